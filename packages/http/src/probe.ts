// One HTTP request with timings, a capped body read, classified failures, proxy support, verified
// TLS and credential-safe redirects. It never throws: every outcome is a ProbeResult.
import http from 'node:http';
import type https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { formatDuration } from '@deploy-actions/inputs';
import { isCredentialHeader, oneLine, redactUrl } from '@deploy-actions/report';
import { proxyFor } from './proxy.js';
import { now } from './retry.js';

/** Why a probe did not produce a usable response. The retry policy decides per kind. */
export type TransportFailureKind = 'refused' | 'reset' | 'timeout' | 'dns' | 'tls' | 'protocol' | 'redirect' | 'proxy' | 'proxy-auth' | 'invalid-url' | 'aborted';

export interface ProbeFailure {
  kind: TransportFailureKind;
  /** One line. */
  message: string;
  code?: string;
}

export interface ProbeOptions {
  method?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: string;
  /** The whole attempt, redirects and body included. */
  timeoutMs: number;
  maxBodyBytes?: number;
  followRedirects?: boolean;
  maxRedirects?: number;
  /** Skip certificate verification. Off unless the user asks. */
  insecure?: boolean;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: readonly string[];
  signal?: AbortSignal;
  /**
   * Reuse connections between probes (a suite of many requests). Off by default: a health check
   * measures a real connect on every attempt.
   */
  keepAlive?: boolean;
  /** Environment to read HTTPS_PROXY/HTTP_PROXY/NO_PROXY from. */
  env?: NodeJS.ProcessEnv;
}

export interface Timings {
  /** Milliseconds from the start of the final hop; null when the phase did not happen (IP literal, reused or proxied socket). */
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  firstByteMs: number | null;
  /** Whole attempt, redirects included. */
  totalMs: number;
}

export interface ProbeResponse {
  url: string;
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  /** The body, decoded when it came gzip, deflate or br encoded. */
  body: Buffer;
  /** The (decoded) body was longer than maxBodyBytes and was cut there. */
  truncated: boolean;
  /** Every URL redirected through before `url`. */
  redirects: string[];
}

export interface ProbeResult {
  response?: ProbeResponse;
  failure?: ProbeFailure;
  timings: Timings;
  /** The URL of the last request sent: the target, or where its redirects led. */
  url?: string;
  /** Every URL redirected through before `url`. */
  redirects?: string[];
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** What a step says when told not to verify TLS. */
export const INSECURE_WARNING = 'insecure: TLS certificates are not verified, so any server can answer for these URLs. Prefer ca-cert.';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|EPROTO|HOSTNAME_MISMATCH)/;
/** Certificates no trusted CA vouches for: the fix is to trust their CA. */
const UNTRUSTED_CERT_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/;

/**
 * What went wrong in a handshake, in words: OpenSSL's `error:0A00010B:SSL routines:…:wrong version
 * number:file:line` becomes its reason, and Node's advice to run with --use-system-ca (a flag an
 * action's user cannot pass) becomes the input that does the same.
 */
function tlsMessage(error: NodeJS.ErrnoException, code: string): string {
  const openssl = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(error.message)?.[1];
  const reason = (openssl ?? error.message).replace(/;\s*if the root CA is installed locally.*$/is, '').trim();
  const hint = UNTRUSTED_CERT_CODES.test(code)
    ? '; to trust this certificate, give its CA certificate in the ca-cert input'
    : /wrong version number|packet length too long|http request/i.test(reason)
      ? '; the server may not speak TLS on this port (an http:// URL?)'
      : '';
  return `TLS handshake failed: ${reason}${code ? ` (${code})` : ''}${hint}`;
}

export function classifyError(error: NodeJS.ErrnoException): ProbeFailure {
  const code = error.code ?? '';
  const kind: TransportFailureKind =
    code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL'
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
  if (kind === 'tls') return { kind, code: code || undefined, message: oneLine(tlsMessage(error, code)) };
  const described: Record<TransportFailureKind, string> = {
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
  return { kind, code: code || undefined, message: oneLine(`${described[kind]} (${error.message})`) };
}

interface Hop {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
  failure?: ProbeFailure;
  /** The request failed on a kept-alive connection the server had already closed: send it again on a fresh one. */
  staleConnection?: boolean;
  phases: Omit<Timings, 'totalMs'>;
}

/** Keep-alive agents, one per scheme and TLS settings, shared by every probe of the process. */
const keepAliveAgents = new Map<string, http.Agent>();

function keepAliveAgent(create: () => http.Agent, key: string): http.Agent {
  let agent = keepAliveAgents.get(key);
  if (!agent) {
    agent = create();
    keepAliveAgents.set(key, agent);
  }
  return agent;
}

interface Transport {
  client: Pick<typeof http, 'request'>;
  agent: http.Agent | false;
  tlsOptions: https.AgentOptions;
  /** The proxy the request goes through, if any. */
  proxy?: string;
}

/**
 * What a hop is sent with. The plain http case, the common one, is settled synchronously so the
 * request leaves at once; TLS (and the OpenSSL set-up it brings) and the proxy agents are loaded
 * only when a URL needs them: every step pays for what it loads at start-up.
 */
function transportFor(url: URL, options: ProbeOptions): Transport | Promise<Transport> {
  const proxy = proxyFor(url, options.env ?? process.env);
  // Without keepAlive no agent: a fresh connection per probe, so every attempt measures a real connect.
  if (url.protocol === 'http:' && !proxy) {
    return { client: http, agent: options.keepAlive ? keepAliveAgent(() => new http.Agent({ keepAlive: true }), 'http') : false, tlsOptions: {} };
  }
  return (async () => {
    if (url.protocol === 'http:') {
      const { HttpProxyAgent } = await import('http-proxy-agent');
      return { client: http, agent: new HttpProxyAgent(proxy!), tlsOptions: {}, proxy };
    }
    const extraCa = options.ca?.length ? [...(await import('node:tls')).rootCertificates, ...options.ca] : undefined;
    const tlsOptions: https.AgentOptions = { rejectUnauthorized: !options.insecure, ...(extraCa ? { ca: extraCa } : {}) };
    const client = await import('node:https');
    if (!proxy) {
      if (!options.keepAlive) return { client, agent: false, tlsOptions };
      const key = `https ${options.insecure ? 'insecure' : 'verified'} ${(options.ca ?? []).join('')}`;
      return { client, agent: keepAliveAgent(() => new client.Agent({ keepAlive: true, ...tlsOptions }), key), tlsOptions };
    }
    const { HttpsProxyAgent } = await import('https-proxy-agent');
    return { client, agent: new HttpsProxyAgent(proxy, tlsOptions), tlsOptions, proxy };
  })();
}

/** One request of a probe: the first, or one after a redirect. */
interface HopRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  readBody: boolean;
  signal: AbortSignal;
}

function requestHop(hop: HopRequest, options: ProbeOptions): Promise<Hop> {
  const transport = transportFor(hop.url, options);
  // A kept-alive connection may have been closed by the server just as it was reused: that is no
  // failure of the service, so the request goes once more on a fresh connection.
  const send = (loaded: Transport) =>
    sendHop(loaded, hop, options).then((result) => (result.staleConnection ? sendHop({ ...loaded, agent: false }, hop, options) : result));
  return transport instanceof Promise ? transport.then(send) : send(transport);
}

/** A proxy as it may be named in a reason: its password hidden, no trailing slash. */
function proxyName(proxy: string): string {
  return redactUrl(proxy).replace(/\/$/, '');
}

/**
 * How a response body is decoded. `deflate` is zlib-wrapped by the standard but raw in some servers,
 * so the first byte decides (as browsers do); an encoding not listed here leaves the body as sent.
 */
const DECODERS: Record<string, (first: Buffer) => Duplex> = {
  gzip: () => zlib().createGunzip(),
  'x-gzip': () => zlib().createGunzip(),
  deflate: (first) => ((first[0]! & 0x0f) === 0x08 ? zlib().createInflate() : zlib().createInflateRaw()),
  br: () => zlib().createBrotliDecompress()
};
/** What a probe asks for unless the user sets Accept-Encoding. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** node:zlib is loaded by the first encoded response, not at start-up. */
function zlib(): typeof import('node:zlib') {
  return process.getBuiltinModule('node:zlib');
}

/**
 * The encodings of a body in the order they were applied (empty when there is nothing to decode),
 * or undefined when one of them is not known here: such a body is left as sent.
 */
function contentEncodings(header: string | undefined): string[] | undefined {
  const encodings = (header ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity');
  return encodings.every((e) => e in DECODERS) ? encodings : undefined;
}

function sendHop({ client, agent, tlsOptions, proxy }: Transport, { url, method, headers, body, readBody, signal }: HopRequest, options: ProbeOptions): Promise<Hop> {
  const started = now();
  const phases: Hop['phases'] = { dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null };
  const since = () => Math.round((now() - started) * 100) / 100;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return new Promise<Hop>((resolve) => {
    let settled = false;
    const finish = (hop: Omit<Hop, 'phases'>) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve({ ...hop, phases });
    };
    const fail = (failure: ProbeFailure, partial?: Partial<Omit<Hop, 'phases'>>) =>
      finish({ status: 0, statusText: '', headers: {}, body: Buffer.alloc(0), truncated: false, ...partial, failure });
    // Through a proxy, everything up to its answer is the proxy's doing, never the target's.
    let proxyAnswered = !proxy;
    // A 407 says the proxy wants (other) credentials: no retry can change them.
    const proxyFailure = (what: string, status?: number): ProbeFailure => ({
      kind: status === 407 ? 'proxy-auth' : 'proxy',
      message: oneLine(`proxy ${proxyName(proxy!)} ${what}`)
    });
    const aborted = (): ProbeFailure => {
      const failure = abortFailure(signal);
      // Still waiting for the proxy: say so, or a hung proxy reads as a slow service.
      return proxyAnswered || failure.kind !== 'timeout' ? failure : { ...failure, message: `${failure.message} waiting for proxy ${proxyName(proxy!)}` };
    };
    // A request still waiting for a proxy agent's socket emits no error when aborted: the timeout
    // ends the hop itself, so a proxy that never answers cannot hold the attempt past it.
    const onAbort = () => {
      fail(aborted());
      request?.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });

    let request: http.ClientRequest | undefined;
    try {
      request = client.request(url, {
        method,
        headers,
        agent,
        ...tlsOptions,
        signal
      });
    } catch (error) {
      fail({ kind: 'invalid-url', message: oneLine(`cannot send the request: ${(error as Error).message}`) });
      return;
    }

    request.on('socket', (socket: Socket) => {
      // A reused kept-alive socket is connected already: it has no DNS, connect or TLS phase, and
      // listeners added to it for every request would pile up on it.
      if (request.reusedSocket) return;
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
    request.on('proxyConnect', (answer: { statusCode?: number; statusText?: string }) => {
      proxyAnswered = true;
      if (answer.statusCode === undefined || answer.statusCode === 200) return;
      fail(proxyFailure(`refused the tunnel: ${answer.statusCode} ${answer.statusText ?? ''}`.trim(), answer.statusCode));
      request.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (!signal.aborted && request.reusedSocket && error.code === 'ECONNRESET') {
        finish({ status: 0, statusText: '', headers: {}, body: Buffer.alloc(0), truncated: false, failure: classifyError(error), staleConnection: true });
        return;
      }
      if (signal.aborted) return fail(aborted());
      const failure = classifyError(error);
      if (proxyAnswered) return fail(failure);
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
      const encodings = contentEncodings(response.headers['content-encoding'] as string | undefined);
      const chunks: Buffer[] = [];
      let size = 0;
      let received = 0;
      const partial = () => ({ ...base, body: Buffer.concat(chunks, size) });
      // Decoded bytes count against the cap, so a small compressed body that inflates to gigabytes
      // is cut at the cap like any other: no more than the cap is ever held.
      const collect = (chunk: Buffer) => {
        if (settled) return;
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

      let decoders: Duplex[] = [];
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        if (!encodings?.length) return collect(chunk);
        if (decoders.length === 0) {
          // Decoders run in the reverse order of the encodings.
          decoders = [...encodings].reverse().map((encoding) => DECODERS[encoding]!(chunk));
          decoders.forEach((decoder, i) => {
            decoder.on('error', (error: Error) => {
              fail({ kind: 'protocol', message: oneLine(`the ${encodings.join(', ')} encoded body could not be decoded (${error.message})`) }, partial());
              response.destroy();
              request.destroy();
            });
            const next = decoders[i + 1];
            if (next) decoder.pipe(next);
          });
          const last = decoders.at(-1)!;
          last.on('data', collect);
          last.on('end', complete);
        }
        if (!decoders[0]!.write(chunk)) {
          response.pause();
          decoders[0]!.once('drain', () => response.resume());
        }
      });
      response.on('end', () => (decoders.length > 0 ? decoders[0]!.end() : complete()));
      const cut = (what: string) => {
        const failure = signal.aborted ? abortFailure(signal) : { kind: 'reset' as const, message: `${what} after ${received} bytes of the body` };
        fail(failure, partial());
      };
      response.on('error', (error: NodeJS.ErrnoException) => {
        const failure = signal.aborted ? abortFailure(signal) : classifyError(error);
        fail({ ...failure, message: `${failure.message} (after ${received} bytes of the body)` }, partial());
      });
      response.on('aborted', () => cut('connection reset'));
      response.on('close', () => {
        if (!response.complete) cut('connection closed');
      });
    });
    request.end(body);
  });
}

class AttemptTimeout extends Error {}

function abortFailure(signal: AbortSignal): ProbeFailure {
  if (signal.reason instanceof AttemptTimeout) return { kind: 'timeout', message: signal.reason.message };
  return { kind: 'aborted', message: 'the probe was cancelled' };
}

function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}

/** Sends one request (following redirects unless told not to) and reads the body up to the cap. */
export async function probe(target: string, options: ProbeOptions): Promise<ProbeResult> {
  const started = now();
  const total = () => Math.round((now() - started) * 100) / 100;
  const emptyTimings = (): Timings => ({ dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null, totalMs: total() });

  let url: URL;
  try {
    url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported scheme ${url.protocol}`);
  } catch (error) {
    return { failure: { kind: 'invalid-url', message: oneLine(`invalid URL: ${(error as Error).message}`) }, timings: emptyTimings() };
  }

  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new AttemptTimeout(`timed out after ${formatDuration(options.timeoutMs)}`)),
    Math.max(0, options.timeoutMs)
  );
  const onOuterAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();

  try {
    const origin = url;
    let method = (options.method ?? 'GET').toUpperCase();
    let body = options.body;
    let headers = Object.fromEntries(mergeHeaders(options.headers ?? []));
    if (body !== undefined && body !== '') headers['content-length'] = String(Buffer.byteLength(body));
    else body = undefined;
    const redirects: string[] = [];
    const visited = new Set<string>();
    const follow = options.followRedirects ?? true;
    const maxRedirects = options.maxRedirects ?? 10;

    // Every result after a request says where it went: a redirect's destination must never be invisible.
    const sent = (result: Omit<ProbeResult, 'url' | 'redirects'>): ProbeResult => ({ ...result, url: url.href, redirects: [...redirects] });
    for (;;) {
      visited.add(`${method} ${url.href}`);
      const readBody = method !== 'HEAD';
      const hop = await requestHop({ url, method, headers, body, readBody, signal: controller.signal }, options);
      const timings: Timings = { ...hop.phases, totalMs: total() };
      const response: ProbeResponse | undefined = hop.status
        ? { url: url.href, status: hop.status, statusText: hop.statusText, headers: hop.headers, body: hop.body, truncated: hop.truncated, redirects }
        : undefined;
      if (hop.failure) return sent({ response, failure: hop.failure, timings });

      const location = hop.headers.location;
      if (!follow || !REDIRECT_STATUSES.has(hop.status) || !location) return sent({ response, timings });

      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
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
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !isCredentialHeader(name)));
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
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** Joins repeated request headers the way HTTP allows (comma list; cookies with "; "). */
function mergeHeaders(list: ReadonlyArray<readonly [string, string]>): Map<string, string> {
  const merged = new Map<string, string>();
  const names = new Map<string, string>();
  for (const [name, value] of list) {
    const lower = name.toLowerCase();
    const key = names.get(lower) ?? name;
    names.set(lower, key);
    const previous = merged.get(key);
    merged.set(key, previous === undefined ? value : `${previous}${lower === 'cookie' ? '; ' : ', '}${value}`);
  }
  if (!names.has('user-agent')) merged.set('User-Agent', 'deploy-actions');
  if (!names.has('accept-encoding')) merged.set('Accept-Encoding', ACCEPT_ENCODING);
  return merged;
}
