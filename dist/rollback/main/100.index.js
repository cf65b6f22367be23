export const id = 100;
export const ids = [100];
export const modules = {

/***/ 3100:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BODY_EXCERPT_BYTES: () => (/* reexport */ BODY_EXCERPT_BYTES),
  FAILURE_KINDS: () => (/* reexport */ FAILURE_KINDS),
  checkHealth: () => (/* reexport */ checkHealth),
  judgeAttempt: () => (/* reexport */ judgeAttempt),
  notRetried: () => (/* reexport */ notRetried),
  readProbeInputs: () => (/* reexport */ readProbeInputs)
});

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./packages/inputs/src/index.ts
var src = __webpack_require__(9247);
// EXTERNAL MODULE: ./packages/report/src/index.ts
var report_src = __webpack_require__(8796);
;// CONCATENATED MODULE: ./packages/assertions/src/index.ts
// Assertions on an HTTP response. Each failure explains itself: what was checked, where, what was
// expected and what was there. health-check and smoke-test share these.



function describeAssertion(assertion) {
    switch (assertion.kind) {
        case 'status':
            return `status in ${assertion.expected.text}`;
        case 'header':
            return assertion.matches ? `header ${assertion.name} matches ${assertion.matches}` : `header ${assertion.name} == ${JSON.stringify(assertion.equals)}`;
        case 'body-contains':
            return `body contains ${JSON.stringify(assertion.text)}`;
        case 'body-regex':
            return `body matches ${assertion.pattern}`;
        case 'json-path':
            return assertion.source;
        case 'latency':
            return `latency <= ${(0,src/* formatDuration */.a3)(assertion.maxMs)}`;
        case 'json-schema':
            return `body matches the JSON Schema ${assertion.source}`;
    }
}
const SHOWN_ACTUAL_CHARS = 200;
function show(value) {
    const text = value === undefined ? 'nothing' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
    return text.length > SHOWN_ACTUAL_CHARS ? `${text.slice(0, SHOWN_ACTUAL_CHARS)}...` : text;
}
const compiledSchemas = new WeakMap();
/** Compiles a user's JSON Schema once; ajv and its formats load only when a spec uses a schema. */
async function schemaValidator(schema) {
    const cached = compiledSchemas.get(schema);
    if (cached)
        return cached;
    // These are CommonJS modules whose export is the class itself: under Node's ESM and under the
    // bundler alike, `default` is that export and `.default` on it the class (a named import is not).
    const [{ default: Ajv2020 }, { default: Ajv }, { default: addFormats }] = await Promise.all([
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(210)]).then(__webpack_require__.t.bind(__webpack_require__, 2210, 23)),
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(463)]).then(__webpack_require__.t.bind(__webpack_require__, 2463, 23)),
        Promise.all(/* import() */[__webpack_require__.e(457), __webpack_require__.e(815)]).then(__webpack_require__.t.bind(__webpack_require__, 2815, 23))
    ]);
    // A schema says which draft it is written in; 2020-12 has its own class in ajv.
    const draft2020 = String(schema.$schema ?? '').includes('2020-12');
    const ajv = draft2020 ? new Ajv2020.default({ allErrors: true, strict: false }) : new Ajv.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const compiled = ajv.compile(schema);
    compiledSchemas.set(schema, compiled);
    return compiled;
}
/**
 * Evaluates every assertion; the body is decoded and JSON-parsed at most once. The JSONPath engine is
 * loaded on the first JSONPath assertion only: a step without one does not pay for it at start-up.
 */
async function evaluate(assertions, response) {
    const engine = assertions.some((a) => a.kind === 'json-path') ? (await __webpack_require__.e(/* import() */ 229).then(__webpack_require__.bind(__webpack_require__, 6229))).JSONPath : undefined;
    const validators = new Map();
    for (const assertion of assertions)
        if (assertion.kind === 'json-schema')
            validators.set(assertion, await schemaValidator(assertion.schema));
    const failures = [];
    let text;
    const bodyText = () => (text ??= response.body.toString('utf8'));
    let parsed;
    // A body cut short is named by the input that cut it, so the fix is plain.
    const cutAt = `max-body-size (${(0,src/* formatByteSize */.$j)(response.body.length)})`;
    const json = () => (parsed ??= parseJsonBody(bodyText(), response.truncated ? cutAt : undefined));
    const cutNote = response.truncated ? ` (the body was cut at ${cutAt})` : '';
    for (const assertion of assertions) {
        const described = describeAssertion(assertion);
        const fail = (where, expected, actual, kind = 'assertion', bodyQuote) => failures.push({ kind, assertion: described, where, expected, actual, ...(bodyQuote === undefined ? {} : { bodyQuote }) });
        const failOnBody = (expected) => {
            const quoted = `${excerpt(bodyText())}${cutNote}`;
            fail('body', expected, quoted, 'assertion', quoted);
        };
        const notJson = (where, error) => fail(where, 'a JSON body', error.error, 'assertion', error.bodyQuote);
        switch (assertion.kind) {
            case 'status':
                if (!assertion.expected.has(response.status))
                    fail('status', assertion.expected.text, String(response.status), 'status');
                break;
            case 'header': {
                const raw = response.headers[assertion.name.toLowerCase()];
                const value = Array.isArray(raw) ? raw.join(', ') : raw;
                const where = `header ${assertion.name}`;
                // A credential the server sent (Set-Cookie, a token header) is never quoted in a report.
                const shown = (0,report_src/* isCredentialHeader */.b5)(assertion.name) ? 'a value not shown (a credential header)' : show(value);
                if (value === undefined)
                    fail(where, assertion.matches ? `matching ${assertion.matches}` : show(assertion.equals), 'header absent');
                else if (assertion.matches && !assertion.matches.test(value))
                    fail(where, `matching ${assertion.matches}`, shown);
                else if (assertion.equals !== undefined && value !== assertion.equals)
                    fail(where, show(assertion.equals), shown);
                break;
            }
            case 'body-contains':
                if (!bodyText().includes(assertion.text))
                    failOnBody(`to contain ${show(assertion.text)}`);
                break;
            case 'body-regex':
                if (!assertion.pattern.test(bodyText()))
                    failOnBody(`to match ${assertion.pattern}`);
                break;
            case 'json-path': {
                const document = json();
                if (!document.ok) {
                    notJson(assertion.path, document);
                    break;
                }
                const problem = checkJsonPath(engine, assertion, document.value);
                if (problem)
                    fail(assertion.length ? `${assertion.path} length` : assertion.path, problem.expected, problem.actual);
                break;
            }
            case 'latency':
                if (response.latencyMs > assertion.maxMs)
                    fail('latency', `<= ${(0,src/* formatDuration */.a3)(assertion.maxMs)}`, (0,src/* formatDuration */.a3)(response.latencyMs), 'latency');
                break;
            case 'json-schema': {
                const document = json();
                if (!document.ok) {
                    notJson('body', document);
                    break;
                }
                const validateBody = validators.get(assertion);
                if (!validateBody(document.value)) {
                    for (const error of (validateBody.errors ?? []).slice(0, 5)) {
                        const where = `body${error.instancePath ? ` ${error.instancePath}` : ''}`;
                        const shown = show(valueAt(document.value, error.instancePath));
                        // An error on the document itself shows the whole body.
                        fail(where, `${error.message ?? 'to match'} (${error.schemaPath})`, shown, 'assertion', error.instancePath === '' ? shown : undefined);
                    }
                }
                break;
            }
        }
    }
    return failures;
}
/**
 * What a failed attempt was, in one line: the class the retry policy goes by (the status when it is
 * wrong, as it explains the most; otherwise the first failed assertion) and every failure spelled out.
 */
function summarizeFailures(failures) {
    const lead = failures.find((f) => f.kind === 'status') ?? failures[0];
    // Checks that failed on the same thing are said once, so the body they quote shows once: every
    // JSONPath line on a body that is not JSON (`$.a, $.b: expected a JSON body, got …`), or several
    // checks of the body (`body: expected to contain "x" and to match /y/, got …`).
    const alike = [];
    for (const f of failures) {
        const group = alike.find((g) => g.actual === f.actual && ((g.expected.length === 1 && g.expected[0] === f.expected) || (g.where.length === 1 && g.where[0] === f.where)));
        if (!group)
            alike.push({ where: [f.where], expected: [f.expected], actual: f.actual, bodyQuote: f.bodyQuote });
        else if (group.expected.includes(f.expected)) {
            if (!group.where.includes(f.where))
                group.where.push(f.where);
        }
        else
            group.expected.push(f.expected);
    }
    // Checks that failed on the body differently (not JSON; not containing a text) still quote it once:
    // the first quotes it, the later ones say what else they saw.
    let bodyQuoted = false;
    const reason = alike
        .map((g) => {
        let actual = g.actual;
        if (g.bodyQuote !== undefined) {
            if (bodyQuoted)
                actual = actual === g.bodyQuote ? 'the same body' : actual.slice(0, actual.length - g.bodyQuote.length);
            bodyQuoted = true;
        }
        return `${g.where.join(', ')}: expected ${g.expected.join(' and ')}, got ${actual}`;
    })
        .join('; ');
    return { kind: lead.kind, reason: (0,report_src/* oneLine */.TN)(reason) };
}
/** The value at a JSON pointer, for showing what failed a schema. */
function valueAt(document, pointer) {
    let node = document;
    for (const part of pointer.split('/').slice(1))
        node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return node;
}
function excerpt(text) {
    const folded = text.replace(/\s+/g, ' ').trim();
    if (folded === '')
        return 'an empty body';
    return show(folded.length > 120 ? `${folded.slice(0, 120)}...` : folded);
}
/**
 * A response body as JSON, or why it is not JSON (ending with the start of the body, `bodyQuote`).
 * Every reader of a JSON body goes through here: checks, captures. `cutAt`: the limit a cut body
 * was cut at, or undefined for a whole body.
 */
function parseJsonBody(body, cutAt) {
    let text = typeof body === 'string' ? body : body.toString('utf8');
    // A UTF-8 byte order mark before the JSON is no part of it (RFC 8259 lets a parser ignore it).
    if (text.charCodeAt(0) === 0xfeff)
        text = text.slice(1);
    if (text.trim() === '')
        return { ok: false, error: 'an empty body', bodyQuote: '' };
    try {
        return { ok: true, value: JSON.parse(text) };
    }
    catch (error) {
        // V8 quotes the start of the text in its message; the body is shown once, below.
        const problem = error.message.replace(/,\s*".*\s+is not valid JSON$/s, '');
        const reason = cutAt ? `a body cut at ${cutAt}, so not complete JSON` : `invalid JSON (${problem})`;
        const bodyQuote = `; body starts ${excerpt(text)}`;
        return { ok: false, error: `${reason}${bodyQuote}`, bodyQuote };
    }
}
/** The selected value: one match as itself, several as a list, none as undefined. */
function src_select(engine, path, document) {
    const matches = engine({ path, json: document, wrap: true, eval: 'safe' });
    if (matches.length === 0)
        return undefined;
    return matches.length === 1 ? matches[0] : matches;
}
function checkJsonPath(engine, assertion, document) {
    let actual = src_select(engine, assertion.path, document);
    if (assertion.length) {
        if (actual === undefined)
            return { expected: 'a value with a length', actual: 'no match' };
        if (!Array.isArray(actual) && typeof actual !== 'string' && (typeof actual !== 'object' || actual === null)) {
            return { expected: 'an array, string or object', actual: show(actual) };
        }
        actual = Array.isArray(actual) || typeof actual === 'string' ? actual.length : Object.keys(actual).length;
    }
    const expectedValue = assertion.value;
    switch (assertion.operator) {
        case 'exists':
            return actual === undefined ? { expected: 'to exist', actual: 'no match' } : undefined;
        case 'not-exists':
            return actual === undefined ? undefined : { expected: 'no match', actual: show(actual) };
        case '==':
            return (0,external_node_util_.isDeepStrictEqual)(actual, expectedValue) ? undefined : { expected: show(expectedValue), actual: actual === undefined ? 'no match' : show(actual) };
        case '!=':
            return (0,external_node_util_.isDeepStrictEqual)(actual, expectedValue) ? { expected: `not ${show(expectedValue)}`, actual: show(actual) } : undefined;
        case 'matches':
            if (typeof actual !== 'string' && typeof actual !== 'number')
                return { expected: `a string matching ${assertion.pattern}`, actual: actual === undefined ? 'no match' : show(actual) };
            return assertion.pattern.test(String(actual)) ? undefined : { expected: `matching ${assertion.pattern}`, actual: show(actual) };
        default: {
            const limit = expectedValue;
            if (typeof actual !== 'number')
                return { expected: `a number ${assertion.operator} ${limit}`, actual: actual === undefined ? 'no match' : show(actual) };
            const holds = assertion.operator === '<' ? actual < limit : assertion.operator === '<=' ? actual <= limit : assertion.operator === '>' ? actual > limit : actual >= limit;
            return holds ? undefined : { expected: `${assertion.operator} ${limit}`, actual: show(actual) };
        }
    }
}
/**
 * HEAD gets a response without a body: checks of the body (named as the user wrote them) could never
 * pass, so a request with both is an input error before any request is sent. Undefined when it is fine.
 */
function headWithBodyChecks(input, method, bodyChecks) {
    if (method.toUpperCase() !== 'HEAD' || bodyChecks.length === 0)
        return undefined;
    const named = bodyChecks.length > 1 ? `${bodyChecks.slice(0, -1).join(', ')} and ${bodyChecks.at(-1)}` : bodyChecks[0];
    return new src/* InputError */.dz(input, `HEAD gets a response without a body, so ${named} could never pass`, 'GET (or another method whose response has a body) with body checks, or HEAD without them');
}
const JSON_PATH_FORM = 'lines such as `$.status == "ok"`, `$.checks.db exists`, `$.items length > 0`, `$.version matches /^v2/` (operators: exists, !exists, ==, !=, <, <=, >, >=, matches, length)';
/**
 * One assertion line: `<path> exists`, `<path> !exists`, `<path> <op> <value>`, `<path> matches /re/flags`,
 * `<path> length <op> <number>`. Values are JSON (`"ok"`, `3`, `true`, `null`); a bare word is a string.
 */
function parseJsonPathAssertion(input, line) {
    const source = line.trim();
    const split = splitPath(source);
    if (split === 'unbalanced') {
        throw new src/* InputError */.dz(input, `the path in ${JSON.stringify(source)} is not valid JSONPath (unbalanced brackets or quotes)`, JSON_PATH_FORM);
    }
    const match = split && /^(length\s+)?(exists|!exists|not\s+exists|==|!=|<=|>=|<|>|matches)(?:\s+(.*))?$/s.exec(split.rest);
    if (!split || !match)
        throw new src/* InputError */.dz(input, `cannot read ${JSON.stringify(source)}`, JSON_PATH_FORM);
    const { path } = split;
    const [, lengthWord, op = '', rest = ''] = match;
    const operator = op === '!exists' || /^not\s+exists$/.test(op) ? 'not-exists' : op;
    const base = { kind: 'json-path', source, path, length: Boolean(lengthWord), operator };
    if (operator === 'exists' || operator === 'not-exists') {
        if (rest.trim() !== '' || lengthWord)
            throw new src/* InputError */.dz(input, `${JSON.stringify(source)} has extra words after ${op}`, JSON_PATH_FORM);
        return base;
    }
    if (rest.trim() === '')
        throw new src/* InputError */.dz(input, `${JSON.stringify(source)} has no value after ${op}`, JSON_PATH_FORM);
    if (operator === 'matches') {
        return { ...base, pattern: parseRegex(input, rest.trim(), JSON_PATH_FORM) };
    }
    const value = parseLiteral(rest.trim());
    if (['<', '<=', '>', '>='].includes(operator) || lengthWord) {
        if (typeof value !== 'number')
            throw new src/* InputError */.dz(input, `${JSON.stringify(source)} compares with ${op} but ${JSON.stringify(rest.trim())} is not a number`, JSON_PATH_FORM);
    }
    return { ...base, value };
}
/**
 * Splits `<path> <rest>` at the first blank outside brackets, parentheses and quotes, so filters
 * such as `$.items[?(@.price > 10)]` stay whole. The JSONPath library itself is lenient about
 * unbalanced paths, so they are caught here.
 */
function splitPath(source) {
    if (!source.startsWith('$'))
        return undefined;
    let depth = 0;
    let quote = null;
    for (let i = 0; i < source.length; i += 1) {
        const c = source[i];
        if (quote) {
            if (c === '\\')
                i += 1;
            else if (c === quote)
                quote = null;
        }
        else if (c === '"' || c === "'")
            quote = c;
        else if (c === '[' || c === '(')
            depth += 1;
        else if (c === ']' || c === ')') {
            depth -= 1;
            if (depth < 0)
                return 'unbalanced';
        }
        else if (/\s/.test(c) && depth === 0)
            return { path: source.slice(0, i), rest: source.slice(i).trim() };
    }
    return depth === 0 && !quote ? { path: source, rest: '' } : 'unbalanced';
}
function parseLiteral(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}
/** `/pattern/flags`, or a bare pattern. */
function parseRegex(input, text, form = 'a regular expression such as /ok|ready/i') {
    const slashed = /^\/(.*)\/([dgimsuvy]*)$/s.exec(text);
    try {
        // The g and y flags make RegExp.test stateful between calls: drop them.
        return slashed ? new RegExp(slashed[1] ?? '', (slashed[2] ?? '').replace(/[gy]/g, '')) : new RegExp(text);
    }
    catch (error) {
        throw new src/* InputError */.dz(input, `${JSON.stringify(text)} is not a valid regular expression (${error.message})`, form);
    }
}

// EXTERNAL MODULE: ./packages/http/src/index.ts + 3 modules
var http_src = __webpack_require__(4825);
;// CONCATENATED MODULE: ./packages/checks/src/check.ts
// Checks every URL in parallel until each one passes its assertions the required number of times
// in a row, or the deadline, the attempt limit or a failure that waiting cannot fix ends it.





const FAILURE_KINDS = [
    'refused',
    'reset',
    'timeout',
    'dns',
    'tls',
    'protocol',
    'redirect',
    'proxy',
    'proxy-auth',
    'status',
    'assertion',
    'latency',
    'body-size'
];
const BODY_EXCERPT_BYTES = 1024;
/** Why an attempt failed, or null when it passed. */
async function judgeAttempt(result, assertions) {
    const response = result.response;
    const base = {
        status: response?.status ?? null,
        statusText: response?.statusText ?? '',
        body: response ? response.body.subarray(0, BODY_EXCERPT_BYTES).toString('utf8') : '',
        bodyTruncated: response ? response.truncated || response.body.length > BODY_EXCERPT_BYTES : false
    };
    if (result.failure) {
        // A redirect failure names its chain itself; any other says where the redirects had led.
        const where = result.failure.kind === 'redirect' ? '' : redirectedTo(result, 'at');
        return { ...base, kind: result.failure.kind, reason: `${result.failure.message}${where}`, assertions: [] };
    }
    if (!response)
        return { ...base, kind: 'reset', reason: 'no response', assertions: [] };
    const failures = await evaluate(assertions, {
        status: response.status,
        headers: response.headers,
        body: response.body,
        truncated: response.truncated,
        latencyMs: result.timings.totalMs
    });
    if (failures.length === 0)
        return null;
    const summary = summarizeFailures(failures);
    // A body check on a body cut at max-body-size fails the same way every time.
    const cutBodyFailed = response.truncated && summary.kind === 'assertion' && failures.some((f) => f.kind === 'assertion' && !f.where.startsWith('header '));
    return { ...base, kind: cutBodyFailed ? 'body-size' : summary.kind, reason: `${summary.reason}${redirectedTo(result, 'from')}`, assertions: failures };
}
/** ` from http://host/next after 1 redirect`, or nothing when no redirect was followed. */
function redirectedTo(result, preposition) {
    const count = result.redirects?.length ?? 0;
    return count > 0 && result.url ? ` ${preposition} ${result.url} after ${(0,report_src/* plural */.LS)(count, 'redirect')}` : '';
}
/** The hop of a redirect chain that went from https to plain http, if one did. */
function downgrade(result) {
    const chain = [...(result.redirects ?? []), ...(result.url ? [result.url] : [])];
    const at = chain.findIndex((url, i) => url.startsWith('https:') && chain[i + 1]?.startsWith('http:'));
    return at === -1 ? undefined : [chain[at], chain[at + 1]];
}
/** How a failure class that is not retried is named: the same words in the log, summary and annotations. */
function notRetried(kind) {
    return `${kind} failures are not retried`;
}
async function checkUrl(url, config, startedAt, hooks, cancelOthers, warnInsecure) {
    const latencies = [];
    let status = null;
    let finalUrl = null;
    let downgradeWarned = false;
    let lastFailure = null;
    let lastTimings = null;
    const log = (line) => hooks.log?.(`${url}: ${line}`);
    const outcome = await (0,http_src/* poll */.wt)(async (timeoutMs, attempt) => {
        const result = await (0,http_src/* probe */.dy)(url, { ...config.request, ...config.probe, timeoutMs, signal: hooks.signal });
        if (result.response) {
            status = result.response.status;
            finalUrl = result.response.url;
            latencies.push(result.timings.totalMs);
            lastTimings = result.timings;
        }
        const insecureHop = [...(result.redirects ?? []), result.url ?? ''].some((hop) => hop.startsWith('https:'));
        if (config.probe.insecure && insecureHop)
            warnInsecure();
        const downgraded = downgrade(result);
        if (downgraded && !downgradeWarned) {
            downgradeWarned = true;
            hooks.warn?.(`${url}: redirected from https to plain http (${downgraded[0]} -> ${downgraded[1]}); what follows is not encrypted. Set follow-redirects: false to refuse redirects.`);
        }
        const failure = await judgeAttempt(result, config.assertions);
        // A timeout says its duration itself.
        const took = failure?.kind === 'timeout' ? '' : ` (${(0,src/* formatDuration */.a3)(result.timings.totalMs)})`;
        if (!failure) {
            log(`attempt ${attempt}: ${status} in ${(0,src/* formatDuration */.a3)(result.timings.totalMs)}, passed`);
            return { passed: true };
        }
        if (failure.kind === 'aborted')
            return { passed: false, fatal: true };
        lastFailure = failure;
        const fatal = !config.retryOn.has(failure.kind);
        log(`attempt ${attempt}: ${failure.reason}${took}${fatal ? `; ${notRetried(failure.kind)}` : ''}`);
        return { passed: false, fatal, retryAfterMs: (0,http_src/* parseRetryAfter */.mu)(result.response?.headers['retry-after']) };
    }, {
        policy: config.policy,
        attemptTimeoutMs: config.attemptTimeoutMs,
        deadlineAt: startedAt + config.deadlineMs,
        consecutiveSuccesses: config.consecutiveSuccesses,
        maxAttempts: config.maxAttempts,
        signal: hooks.signal,
        onWait: (delay, why) => log(why === 'confirm'
            ? `passed; confirming again in ${(0,src/* formatDuration */.a3)(delay)}`
            : `next attempt in ${(0,src/* formatDuration */.a3)(delay)}${why === 'retry-after' ? ' (Retry-After)' : ''}`)
    });
    const healthy = outcome.end === 'passed';
    if (!healthy) {
        if (outcome.end === 'fatal')
            cancelOthers();
        log(outcome.end === 'deadline'
            ? `not healthy by the deadline (${(0,src/* formatDuration */.a3)(config.deadlineMs)}) after ${(0,report_src/* plural */.LS)(outcome.attempts, 'attempt')}`
            : outcome.end === 'max-attempts'
                ? `not healthy after ${(0,report_src/* plural */.LS)(outcome.attempts, 'attempt')} (max-attempts)`
                : outcome.end === 'cancelled'
                    ? 'stopped: another URL failed for good'
                    : 'stopped: this failure is not retried');
    }
    return {
        url,
        healthy,
        end: outcome.end,
        attempts: outcome.attempts,
        durationMs: Math.round((0,http_src/* now */.tB)() - startedAt),
        status,
        finalUrl,
        latency: (0,report_src/* latencyStats */.Ir)(latencies),
        lastTimings,
        lastFailure
    };
}
async function checkHealth(config, hooks = {}) {
    const startedAt = (0,http_src/* now */.tB)();
    // A URL that fails for good fails the step: stop the others instead of waiting out the deadline.
    const cancel = new AbortController();
    const signal = hooks.signal ? AbortSignal.any([hooks.signal, cancel.signal]) : cancel.signal;
    // Skipping verification matters only where TLS is spoken: an https URL, an https proxy, or (seen
    // once it happens) a redirect to https. It is said once, when it first matters.
    let insecureWarned = false;
    const warnInsecure = () => {
        if (insecureWarned)
            return;
        insecureWarned = true;
        hooks.warn?.(http_src/* INSECURE_WARNING */.MJ);
    };
    const env = config.probe.env ?? process.env;
    if (config.probe.insecure && config.urls.some((url) => new URL(url).protocol === 'https:' || (0,http_src/* proxyFor */.iJ)(new URL(url), env)?.startsWith('https:')))
        warnInsecure();
    const results = await Promise.all(config.urls.map((url) => checkUrl(url, config, startedAt, { ...hooks, signal }, () => cancel.abort(), warnInsecure)));
    return {
        healthy: results.every((r) => r.healthy),
        attempts: results.reduce((sum, r) => sum + r.attempts, 0),
        durationMs: Math.round((0,http_src/* now */.tB)() - startedAt),
        results
    };
}

;// CONCATENATED MODULE: ./packages/checks/src/probe-inputs.ts
// The probe inputs every action that sends checks shares (health-check, canary-shift, rollback's
// verification): what to request, what a good answer is, how to reach it. Read and checked here once,
// so the same input means the same thing in every action. Each action's action.yml declares these
// names; the type below makes an action that forgot one fail the type check.



function readProbeInputs(inputs, env, options = {}) {
    const rawUrls = options.urlRequired === false ? inputs.string('url') : inputs.required('url', 'one or more http(s) URLs, one per line');
    const listed = (0,src/* parseList */.E1)(rawUrls, { commas: false });
    for (const url of listed)
        requireHttpUrl(url);
    const urls = [...new Set(listed)];
    const duplicateUrls = [...new Set(listed.filter((url, i) => listed.indexOf(url) !== i))];
    const headers = inputs.with('headers', src/* parseHeaders */.QG);
    const secretHeaders = inputs.with('secret-headers', src/* parseHeaderNames */.$M);
    const assertions = [{ kind: 'status', expected: inputs.with('expected-status', src/* parseStatusSet */.oY) }];
    for (const [name, value] of inputs.with('expected-headers', src/* parseHeaders */.QG)) {
        assertions.push(/^\/.*\/[a-z]*$/s.test(value) ? { kind: 'header', name, matches: parseRegex('expected-headers', value) } : { kind: 'header', name, equals: value });
    }
    const contains = inputs.raw('body-contains');
    if (contains !== '')
        assertions.push({ kind: 'body-contains', text: contains });
    const bodyRegex = inputs.optional('body-regex', parseRegex);
    if (bodyRegex)
        assertions.push({ kind: 'body-regex', pattern: bodyRegex });
    for (const line of (0,src/* parseList */.E1)(inputs.raw('json-path'), { commas: false }))
        assertions.push(parseJsonPathAssertion('json-path', line));
    const method = inputs.with('method', readMethod);
    // The assertion kinds are the input names: body-contains, body-regex, json-path.
    const bodyChecks = [...new Set(assertions.filter((a) => a.kind === 'body-contains' || a.kind === 'body-regex' || a.kind === 'json-path').map((a) => a.kind))];
    const headError = headWithBodyChecks('method', method, bodyChecks);
    if (headError)
        throw headError;
    const ca = inputs.optional('ca-cert', src/* parseCaCertificate */.p7);
    return {
        urls,
        duplicateUrls,
        secrets: [...(0,report_src/* secretHeaderValues */.o4)(headers, secretHeaders), ...urls.flatMap((url) => [...(0,report_src/* urlCredentials */.O4)(url), ...(0,report_src/* urlQuerySecrets */.$g)(url)])],
        request: { method, headers, body: inputs.raw('body') || undefined },
        probe: {
            maxBodyBytes: inputs.with('max-body-size', (name, raw) => (0,src/* parseByteSize */.nS)(name, raw, { min: 1, max: 256 * 1024 ** 2 })),
            followRedirects: inputs.with('follow-redirects', src/* parseBoolean */.yG),
            maxRedirects: inputs.with('max-redirects', (name, raw) => (0,src/* parseInteger */.cG)(name, raw, { min: 0, max: 50 })),
            insecure: inputs.with('insecure', src/* parseBoolean */.yG),
            ca: ca ? [ca] : undefined,
            env
        },
        assertions,
        attemptTimeoutMs: inputs.with('timeout', (name, raw) => (0,src/* parseDuration */.E9)(name, raw, { min: 1 }))
    };
}
function requireHttpUrl(url) {
    const parsed = URL.parse(url);
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
        const shown = (0,report_src/* redactUrl */.BO)(url.length > 80 ? `${url.slice(0, 77)}...` : url);
        throw new src/* InputError */.dz('url', `${JSON.stringify(shown)} is not an http(s) URL`, 'absolute URLs such as https://example.com/health, one per line');
    }
}
function readMethod(name, raw) {
    if (!/^[A-Za-z]+$/.test(raw))
        throw new src/* InputError */.dz(name, `${JSON.stringify(raw)} is not an HTTP method`, 'a method such as GET, HEAD or POST');
    return raw.toUpperCase();
}

;// CONCATENATED MODULE: ./packages/checks/src/index.ts




/***/ })

};
