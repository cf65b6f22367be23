// Assertions on an HTTP response. Each failure explains itself: what was checked, where, what was
// expected and what was there. health-check and smoke-test share these.
import { isDeepStrictEqual } from 'node:util';
import { InputError, formatByteSize, formatDuration, type StatusSet } from '@deploy-actions/inputs';
import { isCredentialHeader, oneLine } from '@deploy-actions/report';

export type JsonPathOperator = 'exists' | 'not-exists' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'matches';

export type Assertion =
  | { kind: 'status'; expected: StatusSet }
  | { kind: 'header'; name: string; equals?: string; matches?: RegExp }
  | { kind: 'body-contains'; text: string }
  | { kind: 'body-regex'; pattern: RegExp }
  | { kind: 'json-path'; source: string; path: string; length: boolean; operator: JsonPathOperator; value?: unknown; pattern?: RegExp }
  | { kind: 'latency'; maxMs: number }
  | { kind: 'json-schema'; schema: object; source: string };

export interface CheckedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  truncated: boolean;
  latencyMs: number;
}

export interface AssertionFailure {
  /** The class the retry policy and reports use. */
  kind: 'status' | 'assertion' | 'latency';
  /** The assertion as a user wrote it, or a description of it. */
  assertion: string;
  /** What part of the response was looked at: `status`, `header content-type`, `body`, `$.checks.db`. */
  where: string;
  expected: string;
  actual: string;
  /**
   * The part of `actual` that quotes the body (all of it, or its end: `; body starts "…"`), so a
   * reason naming several failures of one response quotes the body once.
   */
  bodyQuote?: string;
}

export function describeAssertion(assertion: Assertion): string {
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
      return `latency <= ${formatDuration(assertion.maxMs)}`;
    case 'json-schema':
      return `body matches the JSON Schema ${assertion.source}`;
  }
}

const SHOWN_ACTUAL_CHARS = 200;
function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > SHOWN_ACTUAL_CHARS ? `${text.slice(0, SHOWN_ACTUAL_CHARS)}...` : text;
}

type JsonPathEngine = (typeof import('jsonpath-plus'))['JSONPath'];
type SchemaValidator = import('ajv').ValidateFunction;

const compiledSchemas = new WeakMap<object, SchemaValidator>();

/** Compiles a user's JSON Schema once; ajv and its formats load only when a spec uses a schema. */
async function schemaValidator(schema: object): Promise<SchemaValidator> {
  const cached = compiledSchemas.get(schema);
  if (cached) return cached;
  // These are CommonJS modules whose export is the class itself: under Node's ESM and under the
  // bundler alike, `default` is that export and `.default` on it the class (a named import is not).
  const [{ default: Ajv2020 }, { default: Ajv }, { default: addFormats }] = await Promise.all([
    import('ajv/dist/2020.js'),
    import('ajv'),
    import('ajv-formats')
  ]);
  // A schema says which draft it is written in; 2020-12 has its own class in ajv.
  const draft2020 = String((schema as { $schema?: unknown }).$schema ?? '').includes('2020-12');
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
export async function evaluate(assertions: readonly Assertion[], response: CheckedResponse): Promise<AssertionFailure[]> {
  const engine = assertions.some((a) => a.kind === 'json-path') ? (await import('jsonpath-plus')).JSONPath : undefined;
  const validators = new Map<Assertion, SchemaValidator>();
  for (const assertion of assertions) if (assertion.kind === 'json-schema') validators.set(assertion, await schemaValidator(assertion.schema));
  const failures: AssertionFailure[] = [];
  let text: string | undefined;
  const bodyText = () => (text ??= response.body.toString('utf8'));
  let parsed: ReturnType<typeof parseJsonBody> | undefined;
  // A body cut short is named by the input that cut it, so the fix is plain.
  const cutAt = `max-body-size (${formatByteSize(response.body.length)})`;
  const json = () => (parsed ??= parseJsonBody(bodyText(), response.truncated ? cutAt : undefined));
  const cutNote = response.truncated ? ` (the body was cut at ${cutAt})` : '';

  for (const assertion of assertions) {
    const described = describeAssertion(assertion);
    const fail = (where: string, expected: string, actual: string, kind: AssertionFailure['kind'] = 'assertion', bodyQuote?: string) =>
      failures.push({ kind, assertion: described, where, expected, actual, ...(bodyQuote === undefined ? {} : { bodyQuote }) });
    const failOnBody = (expected: string) => {
      const quoted = `${excerpt(bodyText())}${cutNote}`;
      fail('body', expected, quoted, 'assertion', quoted);
    };
    const notJson = (where: string, error: { error: string; bodyQuote: string }) => fail(where, 'a JSON body', error.error, 'assertion', error.bodyQuote);
    switch (assertion.kind) {
      case 'status':
        if (!assertion.expected.has(response.status)) fail('status', assertion.expected.text, String(response.status), 'status');
        break;
      case 'header': {
        const raw = response.headers[assertion.name.toLowerCase()];
        const value = Array.isArray(raw) ? raw.join(', ') : raw;
        const where = `header ${assertion.name}`;
        // A credential the server sent (Set-Cookie, a token header) is never quoted in a report.
        const shown = isCredentialHeader(assertion.name) ? 'a value not shown (a credential header)' : show(value);
        if (value === undefined) fail(where, assertion.matches ? `matching ${assertion.matches}` : show(assertion.equals), 'header absent');
        else if (assertion.matches && !assertion.matches.test(value)) fail(where, `matching ${assertion.matches}`, shown);
        else if (assertion.equals !== undefined && value !== assertion.equals) fail(where, show(assertion.equals), shown);
        break;
      }
      case 'body-contains':
        if (!bodyText().includes(assertion.text)) failOnBody(`to contain ${show(assertion.text)}`);
        break;
      case 'body-regex':
        if (!assertion.pattern.test(bodyText())) failOnBody(`to match ${assertion.pattern}`);
        break;
      case 'json-path': {
        const document = json();
        if (!document.ok) {
          notJson(assertion.path, document);
          break;
        }
        const problem = checkJsonPath(engine!, assertion, document.value);
        if (problem) fail(assertion.length ? `${assertion.path} length` : assertion.path, problem.expected, problem.actual);
        break;
      }
      case 'latency':
        if (response.latencyMs > assertion.maxMs) fail('latency', `<= ${formatDuration(assertion.maxMs)}`, formatDuration(response.latencyMs), 'latency');
        break;
      case 'json-schema': {
        const document = json();
        if (!document.ok) {
          notJson('body', document);
          break;
        }
        const validateBody = validators.get(assertion)!;
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
export function summarizeFailures(failures: readonly AssertionFailure[]): { kind: AssertionFailure['kind']; reason: string } {
  const lead = failures.find((f) => f.kind === 'status') ?? failures[0]!;
  // Checks that failed on the same thing are said once, so the body they quote shows once: every
  // JSONPath line on a body that is not JSON (`$.a, $.b: expected a JSON body, got …`), or several
  // checks of the body (`body: expected to contain "x" and to match /y/, got …`).
  const alike: Array<{ where: string[]; expected: string[]; actual: string; bodyQuote?: string }> = [];
  for (const f of failures) {
    const group = alike.find(
      (g) => g.actual === f.actual && ((g.expected.length === 1 && g.expected[0] === f.expected) || (g.where.length === 1 && g.where[0] === f.where))
    );
    if (!group) alike.push({ where: [f.where], expected: [f.expected], actual: f.actual, bodyQuote: f.bodyQuote });
    else if (group.expected.includes(f.expected)) {
      if (!group.where.includes(f.where)) group.where.push(f.where);
    } else group.expected.push(f.expected);
  }
  // Checks that failed on the body differently (not JSON; not containing a text) still quote it once:
  // the first quotes it, the later ones say what else they saw.
  let bodyQuoted = false;
  const reason = alike
    .map((g) => {
      let actual = g.actual;
      if (g.bodyQuote !== undefined) {
        if (bodyQuoted) actual = actual === g.bodyQuote ? 'the same body' : actual.slice(0, actual.length - g.bodyQuote.length);
        bodyQuoted = true;
      }
      return `${g.where.join(', ')}: expected ${g.expected.join(' and ')}, got ${actual}`;
    })
    .join('; ');
  return { kind: lead.kind, reason: oneLine(reason) };
}

/** The value at a JSON pointer, for showing what failed a schema. */
function valueAt(document: unknown, pointer: string): unknown {
  let node = document;
  for (const part of pointer.split('/').slice(1)) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}

function excerpt(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  if (folded === '') return 'an empty body';
  return show(folded.length > 120 ? `${folded.slice(0, 120)}...` : folded);
}

/**
 * A response body as JSON, or why it is not JSON (ending with the start of the body, `bodyQuote`).
 * Every reader of a JSON body goes through here: checks, captures. `cutAt`: the limit a cut body
 * was cut at, or undefined for a whole body.
 */
export function parseJsonBody(body: Buffer | string, cutAt?: string): { ok: true; value: unknown } | { ok: false; error: string; bodyQuote: string } {
  let text = typeof body === 'string' ? body : body.toString('utf8');
  // A UTF-8 byte order mark before the JSON is no part of it (RFC 8259 lets a parser ignore it).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { ok: false, error: 'an empty body', bodyQuote: '' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // V8 quotes the start of the text in its message; the body is shown once, below.
    const problem = (error as Error).message.replace(/,\s*".*\s+is not valid JSON$/s, '');
    const reason = cutAt ? `a body cut at ${cutAt}, so not complete JSON` : `invalid JSON (${problem})`;
    const bodyQuote = `; body starts ${excerpt(text)}`;
    return { ok: false, error: `${reason}${bodyQuote}`, bodyQuote };
  }
}

/** The selected value: one match as itself, several as a list, none as undefined. */
function select(engine: JsonPathEngine, path: string, document: unknown): unknown {
  const matches = engine({ path, json: document as object, wrap: true, eval: 'safe' }) as unknown[];
  if (matches.length === 0) return undefined;
  return matches.length === 1 ? matches[0] : matches;
}

function checkJsonPath(engine: JsonPathEngine, assertion: Extract<Assertion, { kind: 'json-path' }>, document: unknown): { expected: string; actual: string } | undefined {
  let actual = select(engine, assertion.path, document);
  if (assertion.length) {
    if (actual === undefined) return { expected: 'a value with a length', actual: 'no match' };
    if (!Array.isArray(actual) && typeof actual !== 'string' && (typeof actual !== 'object' || actual === null)) {
      return { expected: 'an array, string or object', actual: show(actual) };
    }
    actual = Array.isArray(actual) || typeof actual === 'string' ? actual.length : Object.keys(actual as object).length;
  }
  const expectedValue = assertion.value;
  switch (assertion.operator) {
    case 'exists':
      return actual === undefined ? { expected: 'to exist', actual: 'no match' } : undefined;
    case 'not-exists':
      return actual === undefined ? undefined : { expected: 'no match', actual: show(actual) };
    case '==':
      return isDeepStrictEqual(actual, expectedValue) ? undefined : { expected: show(expectedValue), actual: actual === undefined ? 'no match' : show(actual) };
    case '!=':
      return isDeepStrictEqual(actual, expectedValue) ? { expected: `not ${show(expectedValue)}`, actual: show(actual) } : undefined;
    case 'matches':
      if (typeof actual !== 'string' && typeof actual !== 'number') return { expected: `a string matching ${assertion.pattern}`, actual: actual === undefined ? 'no match' : show(actual) };
      return assertion.pattern!.test(String(actual)) ? undefined : { expected: `matching ${assertion.pattern}`, actual: show(actual) };
    default: {
      const limit = expectedValue as number;
      if (typeof actual !== 'number') return { expected: `a number ${assertion.operator} ${limit}`, actual: actual === undefined ? 'no match' : show(actual) };
      const holds =
        assertion.operator === '<' ? actual < limit : assertion.operator === '<=' ? actual <= limit : assertion.operator === '>' ? actual > limit : actual >= limit;
      return holds ? undefined : { expected: `${assertion.operator} ${limit}`, actual: show(actual) };
    }
  }
}

/**
 * HEAD gets a response without a body: checks of the body (named as the user wrote them) could never
 * pass, so a request with both is an input error before any request is sent. Undefined when it is fine.
 */
export function headWithBodyChecks(input: string, method: string, bodyChecks: readonly string[]): InputError | undefined {
  if (method.toUpperCase() !== 'HEAD' || bodyChecks.length === 0) return undefined;
  const named = bodyChecks.length > 1 ? `${bodyChecks.slice(0, -1).join(', ')} and ${bodyChecks.at(-1)}` : bodyChecks[0];
  return new InputError(input, `HEAD gets a response without a body, so ${named} could never pass`, 'GET (or another method whose response has a body) with body checks, or HEAD without them');
}

const JSON_PATH_FORM =
  'lines such as `$.status == "ok"`, `$.checks.db exists`, `$.items length > 0`, `$.version matches /^v2/` (operators: exists, !exists, ==, !=, <, <=, >, >=, matches, length)';

/**
 * One assertion line: `<path> exists`, `<path> !exists`, `<path> <op> <value>`, `<path> matches /re/flags`,
 * `<path> length <op> <number>`. Values are JSON (`"ok"`, `3`, `true`, `null`); a bare word is a string.
 */
export function parseJsonPathAssertion(input: string, line: string): Extract<Assertion, { kind: 'json-path' }> {
  const source = line.trim();
  const split = splitPath(source);
  if (split === 'unbalanced') {
    throw new InputError(input, `the path in ${JSON.stringify(source)} is not valid JSONPath (unbalanced brackets or quotes)`, JSON_PATH_FORM);
  }
  const match = split && /^(length\s+)?(exists|!exists|not\s+exists|==|!=|<=|>=|<|>|matches)(?:\s+(.*))?$/s.exec(split.rest);
  if (!split || !match) throw new InputError(input, `cannot read ${JSON.stringify(source)}`, JSON_PATH_FORM);
  const { path } = split;
  const [, lengthWord, op = '', rest = ''] = match;
  const operator: JsonPathOperator = op === '!exists' || /^not\s+exists$/.test(op) ? 'not-exists' : (op as JsonPathOperator);
  const base = { kind: 'json-path' as const, source, path, length: Boolean(lengthWord), operator };
  if (operator === 'exists' || operator === 'not-exists') {
    if (rest.trim() !== '' || lengthWord) throw new InputError(input, `${JSON.stringify(source)} has extra words after ${op}`, JSON_PATH_FORM);
    return base;
  }
  if (rest.trim() === '') throw new InputError(input, `${JSON.stringify(source)} has no value after ${op}`, JSON_PATH_FORM);
  if (operator === 'matches') {
    return { ...base, pattern: parseRegex(input, rest.trim(), JSON_PATH_FORM) };
  }
  const value = parseLiteral(rest.trim());
  if (['<', '<=', '>', '>='].includes(operator) || lengthWord) {
    if (typeof value !== 'number') throw new InputError(input, `${JSON.stringify(source)} compares with ${op} but ${JSON.stringify(rest.trim())} is not a number`, JSON_PATH_FORM);
  }
  return { ...base, value };
}

/**
 * Splits `<path> <rest>` at the first blank outside brackets, parentheses and quotes, so filters
 * such as `$.items[?(@.price > 10)]` stay whole. The JSONPath library itself is lenient about
 * unbalanced paths, so they are caught here.
 */
function splitPath(source: string): { path: string; rest: string } | 'unbalanced' | undefined {
  if (!source.startsWith('$')) return undefined;
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i]!;
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth += 1;
    else if (c === ']' || c === ')') {
      depth -= 1;
      if (depth < 0) return 'unbalanced';
    } else if (/\s/.test(c) && depth === 0) return { path: source.slice(0, i), rest: source.slice(i).trim() };
  }
  return depth === 0 && !quote ? { path: source, rest: '' } : 'unbalanced';
}

function parseLiteral(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `/pattern/flags`, or a bare pattern. */
export function parseRegex(input: string, text: string, form = 'a regular expression such as /ok|ready/i'): RegExp {
  const slashed = /^\/(.*)\/([dgimsuvy]*)$/s.exec(text);
  try {
    // The g and y flags make RegExp.test stateful between calls: drop them.
    return slashed ? new RegExp(slashed[1] ?? '', (slashed[2] ?? '').replace(/[gy]/g, '')) : new RegExp(text);
  } catch (error) {
    throw new InputError(input, `${JSON.stringify(text)} is not a valid regular expression (${(error as Error).message})`, form);
  }
}
