// Runs the tests of the spec files against one target: tests without needs in parallel (up to
// `concurrency`), a test after the tests it needs with their captures and cookies, retries with the
// shared backoff policy (Retry-After honoured), flaky attempts kept, dependants of a failed test skipped.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluate, parseJsonBody, parseRegex, summarizeFailures, type Assertion, type AssertionFailure, type JsonPathOperator } from '@deploy-actions/assertions';
import { InputError, formatDuration, parseDuration, parseStatusSet, type HeaderList, type StatusSet } from '@deploy-actions/inputs';
import { now, parseRetryAfter, poll, probe, type ProbeOptions, type ProbeResponse, type Timings, type TransportFailureKind } from '@deploy-actions/http';
import { oneLine, secretHeaderValues, type Masker } from '@deploy-actions/report';
import type { JsonCheck, SpecTest } from './spec.js';
import { TemplateError, envNames, render, renderJson, renderString, textOf, type TemplateValues } from './template.js';

export type Outcome = 'passed' | 'failed' | 'flaky' | 'skipped';
export type FailureKind = TransportFailureKind | AssertionFailure['kind'] | 'capture' | 'template';

export interface AttemptRecord {
  attempt: number;
  status: number | null;
  timings: Timings | null;
  passed: boolean;
  failure?: {
    kind: FailureKind;
    reason: string;
    assertions: AssertionFailure[];
    /** The start of the body as received; reports mask it. */
    body: string;
  };
}

export interface TestResult {
  name: string;
  /** The spec file of the test, as shown to the user. */
  file: string;
  line: number;
  outcome: Outcome;
  /** Why a test was skipped. */
  skipped?: string;
  method: string;
  url: string;
  attempts: AttemptRecord[];
  durationMs: number;
  captured: string[];
}

export interface SuiteResult {
  label: string;
  baseUrl: string;
  tests: TestResult[];
  durationMs: number;
}

export interface SuiteTarget {
  label: string;
  /** The base-url (or compare-base-url) input; empty: each spec file's own `base-url`. */
  baseUrl: string;
  /** Added to every request, after the spec's default headers and before a test's own. */
  headers: HeaderList;
}

export interface SuiteOptions {
  tests: readonly SpecTest[];
  target: SuiteTarget;
  /** The second target of compare mode: tests with `compare: false` (and the tests that need them) are left out. */
  second?: boolean;
  /** Start log lines with the target's label (when two targets run at once). */
  labelLogs?: boolean;
  /** The vars input: over each spec file's vars. */
  vars: ReadonlyMap<string, string>;
  env: NodeJS.ProcessEnv;
  concurrency: number;
  failFast: boolean;
  deadlineMs: number;
  probe: Pick<ProbeOptions, 'insecure' | 'ca' | 'maxBodyBytes'>;
  masker: Masker;
  log: (line: string) => void;
}

const BODY_EXCERPT_BYTES = 1024;
const DEFAULT_TIMEOUT = '10s';
const DEFAULT_RETRY_INTERVAL = '500ms';
/** Failures no retry can fix. */
const FATAL: ReadonlySet<FailureKind> = new Set(['tls', 'invalid-url', 'template']);

/** A counting semaphore: at most `size` tests run at once, started in the order they asked. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = size;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

const JSON_OPERATORS: Record<Exclude<keyof JsonCheck, 'exists' | 'length' | 'matches'>, JsonPathOperator> = {
  equals: '==',
  'not-equals': '!=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>='
};

/** Listed once: every test's checks are built at load time, before the first request. */
const JSON_OPERATOR_KEYS = Object.keys(JSON_OPERATORS) as Array<keyof typeof JSON_OPERATORS>;

/** Status sets by their text: a suite's tests repeat a few (200, 2xx), and a set, once read, never changes. */
const statusSets = new Map<string, StatusSet>();

function statusSetOf(text: string, where: (key?: string) => string): StatusSet {
  let set = statusSets.get(text);
  if (set === undefined) {
    set = parseStatusSet(where('expect.status'), text);
    statusSets.set(text, set);
  }
  return set;
}

/** The assertions of a test, from its `expect` (or `expect` as given) and its spec's defaults. */
export function assertionsOf(test: SpecTest, expect: NonNullable<SpecTest['expect']> = test.expect ?? {}): Assertion[] {
  const assertions: Assertion[] = [];
  readAssertions(test, expect, assertions);
  return assertions;
}

/**
 * Reads a test's checks at load time, so a bad regular expression, status set, schema file or
 * duration fails the step before any request, at the test's line, not halfway through the suite.
 * Returns why not. The assertions themselves are built when the test runs, from `expect` with its
 * placeholders filled.
 */
export function assertionProblem(test: SpecTest): string | { problem: string; at: string[] } | undefined {
  try {
    readAssertions(test, test.expect ?? {}, undefined);
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) return (error as Error).message;
    // `test "a" expect.body-regex`, `test "a" expect.json $.id`: the key it is about, for its line.
    const about = error.input.slice(`test ${JSON.stringify(test.name)} `.length);
    const space = about.indexOf(' ');
    const at = space < 0 ? about.split('.') : [...about.slice(0, space).split('.'), about.slice(space + 1)];
    return { problem: `${error.input}: ${error.problem}; expected ${error.expected}`, at };
  }
}

/**
 * Parses what `expect` holds and, given a list, adds the assertions to it. Without one it only
 * parses (every part that can be wrong is parsed either way): the load-time check of every test,
 * which a long spec pays for before its first request.
 */
function readAssertions(test: SpecTest, expect: NonNullable<SpecTest['expect']>, list: Assertion[] | undefined): void {
  // Input names are for error messages only: made when a check does not parse.
  const where = (key?: string) => `test ${JSON.stringify(test.name)}${key ? ` ${key}` : ''}`;
  const expected = statusSetOf(expect.status === undefined ? '2xx' : String(expect.status), where);
  list?.push({ kind: 'status', expected });
  const headers = expect.headers;
  if (headers !== undefined) {
    for (const name in headers) {
      const value = headers[name]!;
      if (value.charCodeAt(0) === 47 && /^\/.*\/[a-z]*$/s.test(value)) {
        const matches = parseRegex(where('expect.headers'), value);
        list?.push({ kind: 'header', name, matches });
      } else list?.push({ kind: 'header', name, equals: value });
    }
  }
  const contains = expect['body-contains'];
  if (list && contains !== undefined) for (const text of Array.isArray(contains) ? contains : [contains]) list.push({ kind: 'body-contains', text });
  if (expect['body-regex'] !== undefined) {
    const pattern = parseRegex(where('expect.body-regex'), expect['body-regex']);
    list?.push({ kind: 'body-regex', pattern });
  }
  const json = expect.json;
  if (json !== undefined) {
    for (const path in json) {
      const check = json[path]!;
      const pattern = check.matches === undefined ? undefined : parseRegex(where(`expect.json ${path}`), textOf(check.matches));
      if (list) jsonAssertions(path, check, pattern, list);
    }
  }
  if (expect.schema !== undefined) {
    const source = typeof expect.schema === 'string' ? expect.schema : 'given inline';
    const schema = typeof expect.schema === 'string' ? readSchema(resolve(test.source.dir, expect.schema), where()) : expect.schema;
    list?.push({ kind: 'json-schema', schema, source });
  }
  const maxLatency = expect['max-latency'] ?? test.source.defaults?.['max-latency'];
  if (maxLatency !== undefined) {
    const maxMs = parseDuration(where('max-latency'), maxLatency);
    list?.push({ kind: 'latency', maxMs });
  }
}

function readSchema(path: string, where: string): object {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as object;
  } catch (error) {
    throw new Error(`${where}: cannot read the JSON Schema ${path}: ${(error as Error).message.replace(/^ENOENT: /, '')}`);
  }
}

/** Adds the assertions of one JSONPath's checks to `list`; `pattern` is its `matches`, parsed. */
function jsonAssertions(path: string, check: JsonCheck, pattern: RegExp | undefined, list: Assertion[]): void {
  if (check.exists !== undefined) list.push({ kind: 'json-path', path, length: false, operator: check.exists ? 'exists' : 'not-exists', source: `${path} ${check.exists ? 'exists' : '!exists'}` });
  if (check.length !== undefined) list.push({ kind: 'json-path', path, length: true, operator: '==', value: check.length, source: `${path} length == ${check.length}` });
  if (pattern !== undefined) list.push({ kind: 'json-path', path, length: false, operator: 'matches', pattern, source: `${path} matches ${pattern}` });
  for (const key of JSON_OPERATOR_KEYS) {
    const value = check[key];
    if (value === undefined) continue;
    const operator = JSON_OPERATORS[key];
    list.push({ kind: 'json-path', path, length: false, operator, value, source: `${path} ${operator} ${JSON.stringify(value)}` });
  }
}

/** The absolute URL of a request: absolute URLs stay, others are joined to the base URL's path. */
export function requestUrl(baseUrl: string, url: string, query: Record<string, unknown> | undefined): string {
  let target: URL;
  if (/^https?:\/\//i.test(url)) target = new URL(url);
  else {
    if (!baseUrl) throw new TemplateError(`the URL ${JSON.stringify(url)} is relative but no base-url is given (spec or input)`);
    target = new URL(`${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`);
  }
  for (const [key, value] of Object.entries(query ?? {})) target.searchParams.append(key, textOf(value));
  return target.href;
}

interface Prepared {
  method: string;
  url: string;
  headers: HeaderList;
  body?: string;
}

function prepareRequest(test: SpecTest, options: SuiteOptions, values: TemplateValues): Prepared {
  const { json, ...rest } = test.request;
  const request = render(rest, values);
  const headers: HeaderList = [];
  const add = (name: string, value: unknown) => {
    // Later sources replace earlier ones: spec defaults, then the target's, then the test's own.
    const existing = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (existing >= 0) headers.splice(existing, 1);
    headers.push([name, textOf(value)]);
  };
  for (const [name, value] of Object.entries(render(test.source.defaults?.headers ?? {}, values))) add(name, value);
  for (const [name, value] of options.target.headers) add(name, renderString(value, values));
  for (const [name, value] of Object.entries(request.headers ?? {})) add(name, value);
  let body: string | undefined;
  const hasType = headers.some(([n]) => n.toLowerCase() === 'content-type');
  if (json !== undefined) {
    body = JSON.stringify(renderJson(json, values));
    if (!hasType) headers.push(['Content-Type', 'application/json']);
  } else if (request.form !== undefined) {
    body = new URLSearchParams(Object.entries(request.form).map(([k, v]): [string, string] => [k, textOf(v)])).toString();
    if (!hasType) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  } else body = request.body;
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    url: requestUrl(options.target.baseUrl || test.source['base-url'] || '', request.url, request.query),
    headers,
    body
  };
}

type CapturedResponse = { headers: Record<string, string | string[] | undefined>; body: Buffer };

interface CaptureRule {
  name: string;
  from: string;
  /** Masked in every output unless the spec says `secret: false` (an id, a Location path). */
  secret: boolean;
}

export function captureRules(test: SpecTest): CaptureRule[] {
  return Object.entries(test.capture ?? {}).map(([name, rule]) =>
    typeof rule === 'string' ? { name, from: rule, secret: true } : { name, from: rule.from, secret: rule.secret ?? true }
  );
}

/**
 * One capture's value from a response, or undefined when its source finds nothing. A JSONPath
 * capture keeps its JSON type (a number, true, null, an object); header: and regex: ones are text.
 */
async function readCapture(test: SpecTest, rule: CaptureRule, response: CapturedResponse): Promise<unknown> {
  let value: unknown;
  if (rule.from.startsWith('header:')) {
    const raw = response.headers[rule.from.slice(7).trim().toLowerCase()];
    value = Array.isArray(raw) ? raw[0] : raw;
  } else if (rule.from.startsWith('regex:')) {
    const match = parseRegex(`test ${JSON.stringify(test.name)} capture ${rule.name}`, rule.from.slice(6)).exec(response.body.toString('utf8'));
    value = match ? (match[1] ?? match[0]) : undefined;
  } else {
    // Read as the checks read it: a byte order mark before the JSON is no part of it.
    const document = parseJsonBody(response.body);
    if (!document.ok) throw new CaptureError(`capture ${rule.name}: ${rule.from} needs a JSON body, got ${document.error}`);
    const { JSONPath } = await import('jsonpath-plus');
    const matches = JSONPath({ path: rule.from, json: document.value as object, wrap: true, eval: 'safe' }) as unknown[];
    return matches.length > 0 ? matches[0] : undefined;
  }
  return value ?? undefined;
}

/** Reads the captures of a passing response, masking the secret ones; a capture that finds nothing fails the test. */
async function capture(test: SpecTest, response: CapturedResponse, masker: Masker): Promise<Map<string, unknown>> {
  const captured = new Map<string, unknown>();
  for (const rule of captureRules(test)) {
    const value = await readCapture(test, rule, response);
    if (value === undefined) throw new CaptureError(`capture ${rule.name}: ${rule.from} found nothing`);
    if (rule.secret) maskValue(masker, value);
    captured.set(rule.name, value);
  }
  return captured;
}

class CaptureError extends Error {}

/**
 * Registers as secrets the values a test would capture from a response it did not accept: a login
 * whose check failed still hands out its token, and the report shows that body.
 */
async function maskCaptures(test: SpecTest, response: CapturedResponse, masker: Masker): Promise<void> {
  for (const rule of captureRules(test).filter((r) => r.secret)) {
    maskValue(masker, await readCapture(test, rule, response).catch(() => undefined));
  }
}

/**
 * A secret capture is masked as the text it is sent as, and each value inside an object or list too;
 * true, false and null say nothing secret (masking them would shred every report).
 */
function maskValue(masker: Masker, value: unknown): void {
  if (value === undefined || value === null || typeof value === 'boolean') return;
  masker.add(textOf(value));
  if (value && typeof value === 'object') for (const item of Object.values(value)) maskValue(masker, item);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A test that changes data: its method is not GET, HEAD or OPTIONS. */
export function writes(test: SpecTest): boolean {
  return !SAFE_METHODS.has((test.request.method ?? 'GET').toUpperCase());
}

/** Set-Cookie headers of a passing response, with the URL they came from (the jar decides where they go). */
export interface CookieRecord {
  url: string;
  setCookie: string[];
}

/**
 * The Cookie header for `url` from the Set-Cookie headers of the tests a test needs (farthest first,
 * so the nearest wins), through tough-cookie's jar: domain, path, expiry and Secure respected. As
 * browsers do, loopback hosts count as secure: a Secure cookie of a local test bed is sent over http.
 */
export async function cookieHeader(records: readonly CookieRecord[], url: string, masker: Masker): Promise<string> {
  if (records.length === 0) return '';
  const { CookieJar } = await import('tough-cookie');
  const jar = new CookieJar();
  for (const record of records) {
    for (const header of record.setCookie) {
      const cookie = jar.setCookieSync(header, record.url, { ignoreError: true });
      // A session cookie is a credential as much as a token is: masked everywhere. Short values
      // (yes, 1, en) are flags and settings, and masking them would shred every report.
      if (cookie && cookie.value.length >= 8) masker.add(cookie.value);
    }
  }
  return jar.getCookieStringSync(url);
}

/**
 * The tests compare mode runs against the first target only, each with the reason: `compare: false`,
 * or a test it needs has it (its captures and writes exist on the first target only).
 */
export function firstTargetOnly(tests: readonly SpecTest[]): Map<string, string> {
  const byName = new Map(tests.map((t) => [t.name, t]));
  const reasons = new Map<string, string>();
  const reasonOf = (test: SpecTest, seen: Set<string>): string | undefined => {
    if (test.compare === false) return 'compare: false (first target only)';
    for (const need of test.needs ?? []) {
      const needed = byName.get(need);
      if (!needed || seen.has(need)) continue;
      seen.add(need);
      if (needed.compare === false || reasonOf(needed, seen)) return `needs ${need}, which ${needed.compare === false ? 'has' : 'needs a test with'} compare: false (first target only)`;
    }
    return undefined;
  };
  for (const test of tests) {
    const reason = reasonOf(test, new Set());
    if (reason) reasons.set(test.name, reason);
  }
  return reasons;
}

export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const { masker } = options;
  const started = now();
  const deadlineAt = started + options.deadlineMs;
  const slots = new Slots(options.concurrency);
  const capturesOf = new Map<string, Map<string, unknown>>();
  const cookiesOf = new Map<string, CookieRecord>();
  const finished = new Map<string, Promise<TestResult>>();
  const byName = new Map(options.tests.map((t) => [t.name, t]));
  let stopAll: string | undefined;
  const log = (line: string) => options.log(masker.mask(options.labelLogs ? `[${options.target.label}] ${line}` : line));

  // Environment values a spec refers to are secrets until proven otherwise: mask them everywhere.
  for (const name of envNames([...new Set(options.tests.map((t) => t.source.defaults?.headers)), ...options.tests.map((t) => [t.request, t.expect])])) masker.add(options.env[name]);

  /** Every test `test` needs, directly or not, each once, a test after the tests it needs. */
  const chainOf = (test: SpecTest): SpecTest[] => {
    const chain: SpecTest[] = [];
    const seen = new Set<string>();
    const visit = (t: SpecTest) => {
      for (const need of t.needs ?? []) {
        if (seen.has(need)) continue;
        seen.add(need);
        visit(byName.get(need)!);
        chain.push(byName.get(need)!);
      }
    };
    visit(test);
    return chain;
  };

  const leftOut = options.second ? firstTargetOnly(options.tests) : new Map<string, string>();

  const runTest = async (test: SpecTest): Promise<TestResult> => {
    const base: TestResult = { name: test.name, file: test.source.file, line: test.line, outcome: 'skipped', method: (test.request.method ?? 'GET').toUpperCase(), url: test.request.url, attempts: [], durationMs: 0, captured: [] };
    const off = leftOut.get(test.name);
    if (off) return { ...base, skipped: off };
    const needs = await Promise.all((test.needs ?? []).map((need) => finished.get(need)!));
    const blocker = needs.find((result) => result.outcome === 'failed' || result.outcome === 'skipped');
    if (blocker) {
      log(`${test.name}: skipped, it needs ${blocker.name}, which ${blocker.outcome}`);
      return { ...base, skipped: `needs ${blocker.name}, which ${blocker.outcome === 'failed' ? 'failed' : 'was skipped'}` };
    }
    return slots.run(async () => {
      if (stopAll) return { ...base, skipped: stopAll };
      const result = await attemptTest(test, base);
      if (result.outcome === 'failed' && options.failFast) stopAll ??= `fail-fast: ${test.name} failed`;
      return result;
    });
  };

  const attemptTest = async (test: SpecTest, base: TestResult): Promise<TestResult> => {
    const testStarted = now();
    const chain = chainOf(test);
    // Spec vars, then the vars input, then captures along the chain of needs, the nearest last so it wins.
    const vars = new Map<string, unknown>(Object.entries(test.source.vars ?? {}));
    for (const [name, value] of options.vars) vars.set(name, value);
    for (const needed of chain) for (const [name, value] of capturesOf.get(needed.name) ?? []) vars.set(name, value);
    const values: TemplateValues = { vars, env: options.env };
    const defaults = test.source.defaults;
    const attempts: AttemptRecord[] = [];
    let assertions: Assertion[];
    let prepared: Prepared;
    try {
      // Expectations take placeholders too: `$.version: { equals: "{{ sha }}" }`, a captured id as a number.
      const expect = test.expect && { ...render(test.expect, values), ...(test.expect.json ? { json: renderChecks(test.expect.json, values) } : {}) };
      assertions = assertionsOf(test, expect);
      prepared = prepareRequest(test, options, values);
      // Credentials written into the spec itself (a header, a password in a URL) are masked too.
      for (const secret of secretHeaderValues(prepared.headers)) masker.add(secret);
      masker.addUrl(prepared.url);
      const cookies = await cookieHeader(
        chain.flatMap((t) => cookiesOf.get(t.name) ?? []),
        prepared.url,
        masker
      );
      if (cookies) prepared.headers.push(['Cookie', cookies]);
    } catch (error) {
      const reason = (error as Error).message;
      log(`${test.name}: failed: ${reason}`);
      attempts.push({ attempt: 1, status: null, timings: null, passed: false, failure: { kind: 'template', reason, assertions: [], body: '' } });
      return { ...base, outcome: 'failed', attempts, durationMs: Math.round(now() - testStarted) };
    }
    const retries = test.retries ?? defaults?.retries ?? 0;
    const timeoutMs = parseDuration(`test ${JSON.stringify(test.name)} timeout`, test.timeout ?? defaults?.timeout ?? DEFAULT_TIMEOUT);
    const intervalMs = parseDuration('defaults.retry-interval', defaults?.['retry-interval'] ?? DEFAULT_RETRY_INTERVAL);
    let captured = new Map<string, unknown>();
    let lastResponse: ProbeResponse | undefined;
    let retryAfterMs: number | undefined;

    const outcome = await poll(
      async (attemptTimeoutMs, attempt) => {
        const result = await probe(prepared.url, {
          method: prepared.method,
          headers: prepared.headers,
          body: prepared.body,
          timeoutMs: attemptTimeoutMs,
          followRedirects: defaults?.['follow-redirects'] ?? true,
          // A suite talks to one service many times: reuse connections, as its clients would.
          keepAlive: true,
          env: options.env,
          ...options.probe
        });
        const response = result.response;
        lastResponse = response;
        // A request that got no response has no latency: its time is a timeout or a refusal, not the service's.
        const record: AttemptRecord = { attempt, status: response?.status ?? null, timings: response ? result.timings : null, passed: false };
        attempts.push(record);
        const bodyExcerpt = response ? response.body.subarray(0, BODY_EXCERPT_BYTES).toString('utf8') : '';
        let failure: AttemptRecord['failure'];
        if (result.failure) failure = { kind: result.failure.kind, reason: result.failure.message, assertions: [], body: bodyExcerpt };
        else if (response) {
          // A check that cannot run at all (a JSON Schema ajv cannot compile) fails this test, not the suite.
          const failed = await evaluate(assertions, { status: response.status, headers: response.headers, body: response.body, truncated: response.truncated, latencyMs: result.timings.totalMs }).catch(
            (error: unknown) => (error instanceof Error ? error : new Error(String(error)))
          );
          if (failed instanceof Error) {
            failure = { kind: 'template', reason: `the checks could not run: ${failed.message}`, assertions: [], body: bodyExcerpt };
          } else if (failed.length > 0) {
            await maskCaptures(test, response, masker);
            failure = { ...summarizeFailures(failed), assertions: failed, body: bodyExcerpt };
          } else {
            try {
              captured = await capture(test, response, masker);
            } catch (error) {
              await maskCaptures(test, response, masker);
              const reason = error instanceof CaptureError ? error.message : `capture failed: ${(error as Error).message}`;
              failure = { kind: 'capture', reason, assertions: [], body: bodyExcerpt };
            }
          }
        }
        const took = formatDuration(result.timings.totalMs);
        if (failure) {
          // A reason goes into log lines and annotations: one line, whatever a library's message held.
          record.failure = { ...failure, reason: oneLine(failure.reason) };
          log(`${test.name}: attempt ${attempt}: ${record.failure.reason} (${took})`);
          // The server says when to come back (a 503 or 429 while it starts or sheds load): the pause is at least that.
          retryAfterMs = parseRetryAfter(response?.headers['retry-after']);
          return { passed: false, fatal: FATAL.has(failure.kind), retryAfterMs };
        }
        record.passed = true;
        log(`${test.name}: attempt ${attempt}: ${response?.status} in ${took}, passed`);
        return { passed: true };
      },
      {
        policy: { backoff: 'exponential', intervalMs, maxIntervalMs: Math.max(intervalMs, 10_000), jitter: true },
        attemptTimeoutMs: timeoutMs,
        deadlineAt,
        maxAttempts: retries + 1,
        onWait: (delayMs) => {
          if (retryAfterMs !== undefined && delayMs <= retryAfterMs) log(`${test.name}: the server asked for ${formatDuration(delayMs)} before the next attempt (Retry-After)`);
        }
      }
    );
    capturesOf.set(test.name, captured);
    const setCookie = lastResponse?.headers['set-cookie'];
    if (outcome.end === 'passed' && setCookie?.length) cookiesOf.set(test.name, { url: lastResponse!.url, setCookie });
    const passed = outcome.end === 'passed';
    if (attempts.length === 0) {
      attempts.push({ attempt: 1, status: null, timings: null, passed: false, failure: { kind: 'timeout', reason: 'the suite deadline ran out before this test could run', assertions: [], body: '' } });
    } else if (outcome.end === 'deadline' && retryAfterMs !== undefined && attempts.length <= retries && now() + retryAfterMs + Math.min(timeoutMs, 100) > deadlineAt) {
      // The pause the server asked for would end past the suite's deadline: say so, or the missing retries are a mystery.
      const last = attempts.at(-1)!.failure!;
      last.reason = `${last.reason}; no retry: Retry-After ${formatDuration(retryAfterMs)} ends past the suite deadline`;
    }
    const result: TestResult = {
      ...base,
      method: prepared.method,
      url: prepared.url,
      outcome: passed ? (attempts.length > 1 ? 'flaky' : 'passed') : 'failed',
      attempts,
      durationMs: Math.round(now() - testStarted),
      captured: [...captured.keys()]
    };
    if (result.outcome === 'flaky') log(`${test.name}: passed on attempt ${attempts.length} after ${attempts.length - 1} failed: flaky`);
    return result;
  };

  // Every test's result is promised before any test starts, so a test may need one listed after it.
  const settle = new Map<string, (result: Promise<TestResult>) => void>();
  for (const test of options.tests) finished.set(test.name, new Promise((resolve) => settle.set(test.name, resolve)));
  for (const [index, test] of options.tests.entries()) {
    // The first requests go out before the other tests are set up: with hundreds of tests that set-up
    // is milliseconds of start-up, and a slot's worth of tests is all that can run at first anyway.
    if (index === options.concurrency) await new Promise((resolve) => setImmediate(resolve));
    settle.get(test.name)!(runTest(test));
  }
  const tests = await Promise.all(options.tests.map((t) => finished.get(t.name)!));
  return { label: options.target.label, baseUrl: options.target.baseUrl, tests, durationMs: Math.round(now() - started) };
}

/** `expect.json` with its placeholders filled: an `equals` that is only a placeholder compares with the value's own type. */
function renderChecks(checks: Record<string, JsonCheck>, values: TemplateValues): Record<string, JsonCheck> {
  return Object.fromEntries(
    Object.entries(checks).map(([path, check]) => {
      const rendered: JsonCheck = render(check, values);
      if (check.equals !== undefined) rendered.equals = renderJson(check.equals, values);
      if (check['not-equals'] !== undefined) rendered['not-equals'] = renderJson(check['not-equals'], values);
      return [renderString(path, values), rendered];
    })
  );
}

export function counts(tests: readonly TestResult[]): Record<Outcome | 'total', number> {
  const tally = { passed: 0, failed: 0, flaky: 0, skipped: 0, total: tests.length };
  for (const test of tests) tally[test.outcome] += 1;
  return tally;
}

/** The reason a test failed, in one line. */
export function failureReason(test: TestResult): string {
  if (test.outcome === 'skipped') return `skipped: ${test.skipped}`;
  if (test.outcome === 'flaky') {
    const failed = test.attempts.filter((a) => !a.passed);
    return `flaky: passed on attempt ${test.attempts.length} after ${failed.length} failed; last failure: ${failed.at(-1)?.failure?.reason ?? 'unknown'}`;
  }
  const last = test.attempts.at(-1)?.failure;
  const tries = test.attempts.length > 1 ? ` (after ${test.attempts.length} attempts)` : '';
  return `${last?.reason ?? 'failed'}${tries}`;
}
