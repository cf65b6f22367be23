export const id = 825;
export const ids = [825];
export const modules = {

/***/ 4825:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MJ: () => (/* reexport */ INSECURE_WARNING),
  tB: () => (/* reexport */ now),
  mu: () => (/* reexport */ parseRetryAfter),
  wt: () => (/* reexport */ poll),
  dy: () => (/* reexport */ probe),
  iJ: () => (/* reexport */ proxyFor)
});

// UNUSED EXPORTS: DEFAULT_MAX_BODY_BYTES, backoffDelay, bypassesProxy, classifyError, sleep

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: ./packages/inputs/src/index.ts
var src = __webpack_require__(9247);
// EXTERNAL MODULE: ./packages/report/src/index.ts
var report_src = __webpack_require__(8796);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./packages/http/src/proxy.ts
// Which proxy a request goes through: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY, read the way
// curl reads them. NO_PROXY takes `*`, host names (a name covers its subdomains, with or without a
// leading `.` or `*.`), IP addresses and CIDR ranges (IPv4 and IPv6), each optionally with `:port`.

const DEFAULT_PORTS = { 'http:': 80, 'https:': 443 };
/** A variable in either case; the lower-case one wins, as in curl. */
function read(env, name) {
    return (env[name.toLowerCase()] || env[name.toUpperCase()] || '').trim();
}
/** The proxy URL for `url`, or undefined for a direct connection. */
function proxyFor(url, env) {
    const proxy = read(env, `${url.protocol.slice(0, -1)}_proxy`) || read(env, 'all_proxy');
    if (!proxy || bypassesProxy(url, read(env, 'no_proxy')))
        return undefined;
    // A proxy given without a scheme is an http proxy, whatever the scheme of the request.
    return proxy.includes('://') ? proxy : `http://${proxy}`;
}
/** Whether NO_PROXY names the host (and port) of `url`. */
function bypassesProxy(url, noProxy) {
    if (!noProxy)
        return false;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
    const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
    const family = (0,external_node_net_.isIP)(host);
    for (const item of noProxy.toLowerCase().split(/[\s,]+/)) {
        if (item === '')
            continue;
        if (item === '*')
            return true;
        const { name, port: only } = splitPort(item);
        if (only !== undefined && only !== port)
            continue;
        const range = /^(.+)\/(\d{1,3})$/.exec(name);
        if (range || (0,external_node_net_.isIP)(name)) {
            if (family && inRange(host, family, range ? range[1] : name, range ? Number(range[2]) : undefined))
                return true;
            continue;
        }
        const suffix = name.replace(/^\*?\.+/, '').replace(/\.$/, '');
        if (suffix !== '' && (host === suffix || host.endsWith(`.${suffix}`)))
            return true;
    }
    return false;
}
/** `host:port`, `[v6]:port`, or a bare name or address (an IPv6 address has colons of its own). */
function splitPort(item) {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(item);
    if (bracketed)
        return { name: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined };
    const withPort = /^([^:]+):(\d+)$/.exec(item);
    return withPort ? { name: withPort[1], port: Number(withPort[2]) } : { name: item };
}
function inRange(host, family, network, prefix) {
    const networkFamily = (0,external_node_net_.isIP)(network);
    if (networkFamily !== family)
        return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const list = new external_node_net_.BlockList();
    try {
        if (prefix === undefined)
            list.addAddress(network, type);
        else
            list.addSubnet(network, prefix, type);
    }
    catch {
        // A prefix longer than the address: an entry that matches nothing, as curl treats it.
        return false;
    }
    return list.check(host, type);
}

;// CONCATENATED MODULE: ./packages/http/src/retry.ts
// The retry policy: fixed or exponential backoff with a cap and jitter, Retry-After honoured, a
// per-attempt timeout and an overall deadline that is never overrun.
/**
 * Monotonic milliseconds. Not `now()`: its first use loads perf_hooks, a few ms of every
 * step's start-up for nothing.
 */
function now() {
    return Number(process.hrtime.bigint() / 1000n) / 1000;
}
/** The pause after `failures` failures in a row (1 = the first failure). Never longer than the un-jittered delay. */
function backoffDelay(policy, failures, random = Math.random) {
    const factor = policy.factor ?? 2;
    const raw = policy.backoff === 'fixed'
        ? policy.intervalMs
        : Math.min(policy.maxIntervalMs, policy.intervalMs * factor ** Math.max(0, failures - 1));
    return policy.jitter ? Math.round(raw / 2 + (random() * raw) / 2) : raw;
}
/** Retry-After as delta-seconds or an HTTP-date, in milliseconds from `now`; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (!text)
        return undefined;
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    const at = Date.parse(text);
    if (Number.isNaN(at))
        return undefined;
    return Math.max(0, at - now);
}
function sleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted || ms <= 0)
            return resolve();
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
    });
}
/**
 * Runs `attempt` until it has passed `consecutiveSuccesses` times in a row, a fatal failure, the
 * attempt limit, the deadline or cancellation. A pause that would end past the deadline is not
 * taken: the poll stops at once, so the step never overruns its deadline.
 */
async function poll(attempt, options) {
    const needed = Math.max(1, options.consecutiveSuccesses ?? 1);
    // A retry squeezed into the last few milliseconds can only time out, and its "timed out after
    // 2ms" would hide the real last failure: a retry needs this much time left, the first attempt 1 ms.
    const minimumRetryMs = Math.min(options.attemptTimeoutMs, 100);
    let attempts = 0;
    let streak = 0;
    let failuresInRow = 0;
    for (;;) {
        if (options.signal?.aborted)
            return { end: 'cancelled', attempts };
        const remaining = options.deadlineAt - now();
        if (remaining < (attempts === 0 ? 1 : minimumRetryMs))
            return { end: 'deadline', attempts };
        attempts += 1;
        const outcome = await attempt(Math.min(options.attemptTimeoutMs, remaining), attempts);
        if (options.signal?.aborted)
            return { end: 'cancelled', attempts };
        if (outcome.passed) {
            streak += 1;
            failuresInRow = 0;
            if (streak >= needed)
                return { end: 'passed', attempts };
        }
        else {
            streak = 0;
            failuresInRow += 1;
            if (outcome.fatal)
                return { end: 'fatal', attempts };
        }
        if (options.maxAttempts && attempts >= options.maxAttempts)
            return { end: 'max-attempts', attempts };
        const backoff = outcome.passed ? options.policy.intervalMs : backoffDelay(options.policy, failuresInRow, options.random);
        const delay = outcome.passed ? backoff : Math.max(backoff, outcome.retryAfterMs ?? 0);
        if (now() + delay + minimumRetryMs > options.deadlineAt)
            return { end: 'deadline', attempts };
        options.onWait?.(delay, outcome.passed ? 'confirm' : delay > backoff ? 'retry-after' : 'retry');
        await sleep(delay, options.signal);
    }
}

;// CONCATENATED MODULE: ./packages/http/src/probe.ts
// One HTTP request with timings, a capped body read, classified failures, proxy support, verified
// TLS and credential-safe redirects. It never throws: every outcome is a ProbeResult.





const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** What a step says when told not to verify TLS. */
const INSECURE_WARNING = 'insecure: TLS certificates are not verified, so any server can answer for these URLs. Prefer ca-cert.';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|EPROTO|HOSTNAME_MISMATCH)/;
/** Certificates no trusted CA vouches for: the fix is to trust their CA. */
const UNTRUSTED_CERT_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/;
/**
 * What went wrong in a handshake, in words: OpenSSL's `error:0A00010B:SSL routines:…:wrong version
 * number:file:line` becomes its reason, and Node's advice to run with --use-system-ca (a flag an
 * action's user cannot pass) becomes the input that does the same.
 */
function tlsMessage(error, code) {
    const openssl = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(error.message)?.[1];
    const reason = (openssl ?? error.message).replace(/;\s*if the root CA is installed locally.*$/is, '').trim();
    const hint = UNTRUSTED_CERT_CODES.test(code)
        ? '; to trust this certificate, give its CA certificate in the ca-cert input'
        : /wrong version number|packet length too long|http request/i.test(reason)
            ? '; the server may not speak TLS on this port (an http:// URL?)'
            : '';
    return `TLS handshake failed: ${reason}${code ? ` (${code})` : ''}${hint}`;
}
function classifyError(error) {
    const code = error.code ?? '';
    const kind = code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL'
        ? 'refused'
        : code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNABORTED'
            ? 'reset'
            : code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA'
                ? 'dns'
                : code === 'ETIMEDOUT'
                    ? 'timeout'
                    : TLS_CODES.test(code)
                        ? 'tls'
                        : code.startsWith('HPE_')
                            ? 'protocol'
                            : 'reset';
    if (kind === 'tls')
        return { kind, code: code || undefined, message: (0,report_src/* oneLine */.TN)(tlsMessage(error, code)) };
    const described = {
        refused: 'connection refused',
        reset: 'connection reset',
        dns: 'DNS lookup failed',
        timeout: 'timed out',
        tls: 'TLS handshake failed',
        protocol: 'invalid HTTP response',
        redirect: 'redirect failed',
        proxy: 'proxy failed',
        'proxy-auth': 'proxy authentication failed',
        'invalid-url': 'invalid URL',
        aborted: 'aborted'
    };
    return { kind, code: code || undefined, message: (0,report_src/* oneLine */.TN)(`${described[kind]} (${error.message})`) };
}
/** Keep-alive agents, one per scheme and TLS settings, shared by every probe of the process. */
const keepAliveAgents = new Map();
function keepAliveAgent(create, key) {
    let agent = keepAliveAgents.get(key);
    if (!agent) {
        agent = create();
        keepAliveAgents.set(key, agent);
    }
    return agent;
}
/**
 * What a hop is sent with. The plain http case, the common one, is settled synchronously so the
 * request leaves at once; TLS (and the OpenSSL set-up it brings) and the proxy agents are loaded
 * only when a URL needs them: every step pays for what it loads at start-up.
 */
function transportFor(url, options) {
    const proxy = proxyFor(url, options.env ?? process.env);
    // Without keepAlive no agent: a fresh connection per probe, so every attempt measures a real connect.
    if (url.protocol === 'http:' && !proxy) {
        return { client: (external_node_http_default()), agent: options.keepAlive ? keepAliveAgent(() => new (external_node_http_default()).Agent({ keepAlive: true }), 'http') : false, tlsOptions: {} };
    }
    return (async () => {
        if (url.protocol === 'http:') {
            const { HttpProxyAgent } = await Promise.all(/* import() */[__webpack_require__.e(411), __webpack_require__.e(947)]).then(__webpack_require__.bind(__webpack_require__, 8947));
            return { client: (external_node_http_default()), agent: new HttpProxyAgent(proxy), tlsOptions: {}, proxy };
        }
        const extraCa = options.ca?.length ? [...(await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1692, 23))).rootCertificates, ...options.ca] : undefined;
        const tlsOptions = { rejectUnauthorized: !options.insecure, ...(extraCa ? { ca: extraCa } : {}) };
        const client = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23));
        if (!proxy) {
            if (!options.keepAlive)
                return { client, agent: false, tlsOptions };
            const key = `https ${options.insecure ? 'insecure' : 'verified'} ${(options.ca ?? []).join('')}`;
            return { client, agent: keepAliveAgent(() => new client.Agent({ keepAlive: true, ...tlsOptions }), key), tlsOptions };
        }
        const { HttpsProxyAgent } = await Promise.all(/* import() */[__webpack_require__.e(411), __webpack_require__.e(566)]).then(__webpack_require__.bind(__webpack_require__, 1566));
        return { client, agent: new HttpsProxyAgent(proxy, tlsOptions), tlsOptions, proxy };
    })();
}
function requestHop(hop, options) {
    const transport = transportFor(hop.url, options);
    // A kept-alive connection may have been closed by the server just as it was reused: that is no
    // failure of the service, so the request goes once more on a fresh connection.
    const send = (loaded) => sendHop(loaded, hop, options).then((result) => (result.staleConnection ? sendHop({ ...loaded, agent: false }, hop, options) : result));
    return transport instanceof Promise ? transport.then(send) : send(transport);
}
/** A proxy as it may be named in a reason: its password hidden, no trailing slash. */
function proxyName(proxy) {
    return (0,report_src/* redactUrl */.BO)(proxy).replace(/\/$/, '');
}
/**
 * How a response body is decoded. `deflate` is zlib-wrapped by the standard but raw in some servers,
 * so the first byte decides (as browsers do); an encoding not listed here leaves the body as sent.
 */
const DECODERS = {
    gzip: () => zlib().createGunzip(),
    'x-gzip': () => zlib().createGunzip(),
    deflate: (first) => ((first[0] & 0x0f) === 0x08 ? zlib().createInflate() : zlib().createInflateRaw()),
    br: () => zlib().createBrotliDecompress()
};
/** What a probe asks for unless the user sets Accept-Encoding. */
const ACCEPT_ENCODING = 'gzip, deflate, br';
/** node:zlib is loaded by the first encoded response, not at start-up. */
function zlib() {
    return process.getBuiltinModule('node:zlib');
}
/**
 * The encodings of a body in the order they were applied (empty when there is nothing to decode),
 * or undefined when one of them is not known here: such a body is left as sent.
 */
function contentEncodings(header) {
    const encodings = (header ?? '')
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .filter((e) => e !== '' && e !== 'identity');
    return encodings.every((e) => e in DECODERS) ? encodings : undefined;
}
function sendHop({ client, agent, tlsOptions, proxy }, { url, method, headers, body, readBody, signal }, options) {
    const started = now();
    const phases = { dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null };
    const since = () => Math.round((now() - started) * 100) / 100;
    const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    return new Promise((resolve) => {
        let settled = false;
        const finish = (hop) => {
            if (settled)
                return;
            settled = true;
            signal.removeEventListener('abort', onAbort);
            resolve({ ...hop, phases });
        };
        const fail = (failure, partial) => finish({ status: 0, statusText: '', headers: {}, body: Buffer.alloc(0), truncated: false, ...partial, failure });
        // Through a proxy, everything up to its answer is the proxy's doing, never the target's.
        let proxyAnswered = !proxy;
        // A 407 says the proxy wants (other) credentials: no retry can change them.
        const proxyFailure = (what, status) => ({
            kind: status === 407 ? 'proxy-auth' : 'proxy',
            message: (0,report_src/* oneLine */.TN)(`proxy ${proxyName(proxy)} ${what}`)
        });
        const aborted = () => {
            const failure = abortFailure(signal);
            // Still waiting for the proxy: say so, or a hung proxy reads as a slow service.
            return proxyAnswered || failure.kind !== 'timeout' ? failure : { ...failure, message: `${failure.message} waiting for proxy ${proxyName(proxy)}` };
        };
        // A request still waiting for a proxy agent's socket emits no error when aborted: the timeout
        // ends the hop itself, so a proxy that never answers cannot hold the attempt past it.
        const onAbort = () => {
            fail(aborted());
            request?.destroy();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        let request;
        try {
            request = client.request(url, {
                method,
                headers,
                agent,
                ...tlsOptions,
                signal
            });
        }
        catch (error) {
            fail({ kind: 'invalid-url', message: (0,report_src/* oneLine */.TN)(`cannot send the request: ${error.message}`) });
            return;
        }
        request.on('socket', (socket) => {
            // A reused kept-alive socket is connected already: it has no DNS, connect or TLS phase, and
            // listeners added to it for every request would pile up on it.
            if (request.reusedSocket)
                return;
            const onLookup = () => (phases.dnsMs = since());
            const onConnect = () => (phases.connectMs = since());
            const onSecureConnect = () => (phases.tlsMs = since());
            socket.once('lookup', onLookup);
            socket.once('connect', onConnect);
            socket.once('secureConnect', onSecureConnect);
            // A phase that does not happen (no lookup for an IP literal, no TLS over http) leaves its
            // listener behind: the socket outlives the request when it is kept alive.
            request.once('close', () => {
                socket.off('lookup', onLookup);
                socket.off('connect', onConnect);
                socket.off('secureConnect', onSecureConnect);
            });
        });
        // The proxy agents tell when the proxy has answered: the plain one once connected to it, the
        // tunnelling one with the proxy's answer to CONNECT, which anything but 200 refuses. Such an
        // answer is the proxy's, so it must never pass for the target's status.
        request.on('proxyConnect', (answer) => {
            proxyAnswered = true;
            if (answer.statusCode === undefined || answer.statusCode === 200)
                return;
            fail(proxyFailure(`refused the tunnel: ${answer.statusCode} ${answer.statusText ?? ''}`.trim(), answer.statusCode));
            request.destroy();
        });
        request.on('error', (error) => {
            if (!signal.aborted && request.reusedSocket && error.code === 'ECONNRESET') {
                finish({ status: 0, statusText: '', headers: {}, body: Buffer.alloc(0), truncated: false, failure: classifyError(error), staleConnection: true });
                return;
            }
            if (signal.aborted)
                return fail(aborted());
            const failure = classifyError(error);
            if (proxyAnswered)
                return fail(failure);
            const unreachable = failure.kind === 'refused' || failure.kind === 'dns';
            fail(proxyFailure(`${unreachable ? 'could not be reached' : 'failed before the target was reached'}: ${failure.message}`));
        });
        request.on('response', (response) => {
            phases.firstByteMs = since();
            const base = { status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers };
            // 407 can only come from a proxy (RFC 9110): the request never reached the target. Over plain
            // http a proxy's own error page looks like the target's answer; squid's at least says whose
            // it is in X-Squid-Error. Other proxies' pages cannot be told apart (see the README).
            const squidError = proxy && url.protocol === 'http:' ? response.headers['x-squid-error'] : undefined;
            if (proxy && (base.status === 407 || squidError)) {
                response.resume();
                const detail = squidError ? ` (X-Squid-Error: ${squidError})` : '';
                fail(proxyFailure(`refused the request: ${base.status} ${base.statusText}`.trim() + detail, base.status));
                request.destroy();
                return;
            }
            if (!readBody) {
                response.resume();
                finish({ ...base, body: Buffer.alloc(0), truncated: false });
                request.destroy();
                return;
            }
            const encodings = contentEncodings(response.headers['content-encoding']);
            const chunks = [];
            let size = 0;
            let received = 0;
            const partial = () => ({ ...base, body: Buffer.concat(chunks, size) });
            // Decoded bytes count against the cap, so a small compressed body that inflates to gigabytes
            // is cut at the cap like any other: no more than the cap is ever held.
            const collect = (chunk) => {
                if (settled)
                    return;
                const room = maxBody - size;
                if (chunk.length > room) {
                    // Cut here: the rest of the body is never buffered; the socket is closed.
                    chunks.push(chunk.subarray(0, room));
                    size += room;
                    finish({ ...partial(), truncated: true });
                    decoders.forEach((d) => d.destroy());
                    response.destroy();
                    request.destroy();
                    return;
                }
                chunks.push(chunk);
                size += chunk.length;
            };
            const complete = () => finish({ ...partial(), truncated: false });
            let decoders = [];
            response.on('data', (chunk) => {
                if (settled)
                    return;
                received += chunk.length;
                if (!encodings?.length)
                    return collect(chunk);
                if (decoders.length === 0) {
                    // Decoders run in the reverse order of the encodings.
                    decoders = [...encodings].reverse().map((encoding) => DECODERS[encoding](chunk));
                    decoders.forEach((decoder, i) => {
                        decoder.on('error', (error) => {
                            fail({ kind: 'protocol', message: (0,report_src/* oneLine */.TN)(`the ${encodings.join(', ')} encoded body could not be decoded (${error.message})`) }, partial());
                            response.destroy();
                            request.destroy();
                        });
                        const next = decoders[i + 1];
                        if (next)
                            decoder.pipe(next);
                    });
                    const last = decoders.at(-1);
                    last.on('data', collect);
                    last.on('end', complete);
                }
                if (!decoders[0].write(chunk)) {
                    response.pause();
                    decoders[0].once('drain', () => response.resume());
                }
            });
            response.on('end', () => (decoders.length > 0 ? decoders[0].end() : complete()));
            const cut = (what) => {
                const failure = signal.aborted ? abortFailure(signal) : { kind: 'reset', message: `${what} after ${received} bytes of the body` };
                fail(failure, partial());
            };
            response.on('error', (error) => {
                const failure = signal.aborted ? abortFailure(signal) : classifyError(error);
                fail({ ...failure, message: `${failure.message} (after ${received} bytes of the body)` }, partial());
            });
            response.on('aborted', () => cut('connection reset'));
            response.on('close', () => {
                if (!response.complete)
                    cut('connection closed');
            });
        });
        request.end(body);
    });
}
class AttemptTimeout extends Error {
}
function abortFailure(signal) {
    if (signal.reason instanceof AttemptTimeout)
        return { kind: 'timeout', message: signal.reason.message };
    return { kind: 'aborted', message: 'the probe was cancelled' };
}
function sameOrigin(a, b) {
    return a.origin === b.origin;
}
/** Sends one request (following redirects unless told not to) and reads the body up to the cap. */
async function probe(target, options) {
    const started = now();
    const total = () => Math.round((now() - started) * 100) / 100;
    const emptyTimings = () => ({ dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null, totalMs: total() });
    let url;
    try {
        url = new URL(target);
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
            throw new Error(`unsupported scheme ${url.protocol}`);
    }
    catch (error) {
        return { failure: { kind: 'invalid-url', message: (0,report_src/* oneLine */.TN)(`invalid URL: ${error.message}`) }, timings: emptyTimings() };
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new AttemptTimeout(`timed out after ${(0,src/* formatDuration */.a3)(options.timeoutMs)}`)), Math.max(0, options.timeoutMs));
    const onOuterAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (options.signal?.aborted)
        onOuterAbort();
    try {
        const origin = url;
        let method = (options.method ?? 'GET').toUpperCase();
        let body = options.body;
        let headers = Object.fromEntries(mergeHeaders(options.headers ?? []));
        if (body !== undefined && body !== '')
            headers['content-length'] = String(Buffer.byteLength(body));
        else
            body = undefined;
        const redirects = [];
        const visited = new Set();
        const follow = options.followRedirects ?? true;
        const maxRedirects = options.maxRedirects ?? 10;
        // Every result after a request says where it went: a redirect's destination must never be invisible.
        const sent = (result) => ({ ...result, url: url.href, redirects: [...redirects] });
        for (;;) {
            visited.add(`${method} ${url.href}`);
            const readBody = method !== 'HEAD';
            const hop = await requestHop({ url, method, headers, body, readBody, signal: controller.signal }, options);
            const timings = { ...hop.phases, totalMs: total() };
            const response = hop.status
                ? { url: url.href, status: hop.status, statusText: hop.statusText, headers: hop.headers, body: hop.body, truncated: hop.truncated, redirects }
                : undefined;
            if (hop.failure)
                return sent({ response, failure: hop.failure, timings });
            const location = hop.headers.location;
            if (!follow || !REDIRECT_STATUSES.has(hop.status) || !location)
                return sent({ response, timings });
            let next;
            try {
                next = new URL(location, url);
            }
            catch {
                return sent({ response, timings, failure: { kind: 'redirect', message: `redirect to an invalid Location ${JSON.stringify(location)}` } });
            }
            if (next.protocol !== 'http:' && next.protocol !== 'https:') {
                return sent({ response, timings, failure: { kind: 'redirect', message: `redirect to unsupported scheme ${next.protocol}` } });
            }
            // 303 always, and 301/302 after a POST, turn into a GET without a body, as browsers do.
            if ((hop.status === 303 && method !== 'HEAD') || ((hop.status === 301 || hop.status === 302) && method === 'POST')) {
                method = 'GET';
                body = undefined;
                headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-(length|type)$/i.test(name)));
            }
            if (!sameOrigin(next, origin)) {
                headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !(0,report_src/* isCredentialHeader */.b5)(name)));
            }
            redirects.push(url.href);
            if (visited.has(`${method} ${next.href}`)) {
                return sent({ response, timings, failure: { kind: 'redirect', message: `redirect loop: ${[...redirects, next.href].join(' -> ')}` } });
            }
            if (redirects.length > maxRedirects) {
                return sent({ response, timings, failure: { kind: 'redirect', message: `more than ${maxRedirects} redirects` } });
            }
            url = next;
        }
    }
    finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onOuterAbort);
    }
}
/** Joins repeated request headers the way HTTP allows (comma list; cookies with "; "). */
function mergeHeaders(list) {
    const merged = new Map();
    const names = new Map();
    for (const [name, value] of list) {
        const lower = name.toLowerCase();
        const key = names.get(lower) ?? name;
        names.set(lower, key);
        const previous = merged.get(key);
        merged.set(key, previous === undefined ? value : `${previous}${lower === 'cookie' ? '; ' : ', '}${value}`);
    }
    if (!names.has('user-agent'))
        merged.set('User-Agent', 'deploy-actions');
    if (!names.has('accept-encoding'))
        merged.set('Accept-Encoding', ACCEPT_ENCODING);
    return merged;
}

;// CONCATENATED MODULE: ./packages/http/src/index.ts





/***/ })

};
