// The only place health-check reads its inputs. Everything is parsed and checked here, before any
// request is sent, so a bad value fails in one clear line and nothing is half done.
import * as core from '@actions/core';
import { INPUT_DEFAULTS, type InputName } from './generated/inputs.js';
import { headWithBodyChecks, parseRegex, parseJsonPathAssertion, type Assertion } from '@deploy-actions/assertions';
import {
  InputError,
  formatDuration,
  Inputs,
  parseBoolean,
  parseByteSize,
  parseCaCertificate,
  parseDuration,
  parseEnum,
  parseHeaderNames,
  parseHeaders,
  parseInteger,
  parseList,
  parseStatusSet
} from '@deploy-actions/inputs';
import { redactUrl, secretHeaderValues, urlCredentials, urlQuerySecrets } from '@deploy-actions/report';
import { FAILURE_KINDS, type FailureKind, type HealthCheckConfig } from './check.js';

export interface HealthCheckInputs {
  config: HealthCheckConfig;
  /** Values to mask everywhere: credential header values, passwords and credential query values in URLs. */
  secrets: string[];
  /** URLs given more than once: each is checked once, in the place it first appears. */
  duplicateUrls: string[];
}

export function readInputs(get: (name: InputName) => string = (name) => core.getInput(name), env: NodeJS.ProcessEnv = process.env): HealthCheckInputs {
  const inputs = new Inputs(get, INPUT_DEFAULTS);
  const listed = parseList(inputs.required('url', 'one or more http(s) URLs, one per line'), { commas: false });
  for (const url of listed) requireHttpUrl(url);
  const urls = [...new Set(listed)];
  const duplicateUrls = [...new Set(listed.filter((url, i) => listed.indexOf(url) !== i))];

  const headers = inputs.with('headers', parseHeaders);
  const secretHeaders = inputs.with('secret-headers', parseHeaderNames);
  const assertions: Assertion[] = [{ kind: 'status', expected: inputs.with('expected-status', parseStatusSet) }];
  for (const [name, value] of inputs.with('expected-headers', parseHeaders)) {
    assertions.push(/^\/.*\/[a-z]*$/s.test(value) ? { kind: 'header', name, matches: parseRegex('expected-headers', value) } : { kind: 'header', name, equals: value });
  }
  const contains = inputs.raw('body-contains');
  if (contains !== '') assertions.push({ kind: 'body-contains', text: contains });
  const bodyRegex = inputs.optional('body-regex', parseRegex);
  if (bodyRegex) assertions.push({ kind: 'body-regex', pattern: bodyRegex });
  for (const line of parseList(inputs.raw('json-path'), { commas: false })) assertions.push(parseJsonPathAssertion('json-path', line));
  const method = inputs.with('method', readMethod);
  // The assertion kinds are the input names: body-contains, body-regex, json-path.
  const bodyChecks = [...new Set(assertions.filter((a) => a.kind === 'body-contains' || a.kind === 'body-regex' || a.kind === 'json-path').map((a) => a.kind))];
  const headError = headWithBodyChecks('method', method, bodyChecks);
  if (headError) throw headError;
  const maxLatency = inputs.optional('max-latency', (name, raw) => parseDuration(name, raw, { min: 1 }));
  if (maxLatency !== undefined) assertions.push({ kind: 'latency', maxMs: maxLatency });

  const timeout = inputs.with('timeout', (name, raw) => parseDuration(name, raw, { min: 1 }));
  const deadline = inputs.with('deadline', (name, raw) => parseDuration(name, raw, { min: 1, max: 6 * 3_600_000 }));
  const interval = inputs.with('interval', (name, raw) => parseDuration(name, raw, { min: 0 }));
  const maxInterval = inputs.with('max-interval', (name, raw) => parseDuration(name, raw, { min: 0 }));
  if (maxInterval < interval) throw new InputError('max-interval', `it is shorter than interval (${formatDuration(interval)})`, 'a duration at least as long as interval');

  const retryOn = new Set<FailureKind>(
    parseList(inputs.string('retry-on')).map((kind) => parseEnum('retry-on', kind, FAILURE_KINDS))
  );
  const insecure = inputs.with('insecure', parseBoolean);
  const ca = inputs.optional('ca-cert', parseCaCertificate);

  return {
    duplicateUrls,
    secrets: [...secretHeaderValues(headers, secretHeaders), ...urls.flatMap((url) => [...urlCredentials(url), ...urlQuerySecrets(url)])],
    config: {
      urls,
      request: { method, headers, body: inputs.raw('body') || undefined },
      probe: {
        maxBodyBytes: inputs.with('max-body-size', (name, raw) => parseByteSize(name, raw, { min: 1, max: 256 * 1024 ** 2 })),
        followRedirects: inputs.with('follow-redirects', parseBoolean),
        maxRedirects: inputs.with('max-redirects', (name, raw) => parseInteger(name, raw, { min: 0, max: 50 })),
        insecure,
        ca: ca ? [ca] : undefined,
        env
      },
      assertions,
      policy: {
        backoff: inputs.with('backoff', (name, raw) => parseEnum(name, raw, ['exponential', 'fixed'] as const)),
        intervalMs: interval,
        maxIntervalMs: maxInterval,
        jitter: inputs.with('jitter', parseBoolean)
      },
      attemptTimeoutMs: timeout,
      deadlineMs: deadline,
      maxAttempts: inputs.with('max-attempts', (name, raw) => parseInteger(name, raw, { min: 0, max: 1_000_000 })),
      consecutiveSuccesses: inputs.with('consecutive-successes', (name, raw) => parseInteger(name, raw, { min: 1, max: 1000 })),
      retryOn
    }
  };
}

function requireHttpUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    const shown = redactUrl(url.length > 80 ? `${url.slice(0, 77)}...` : url);
    throw new InputError('url', `${JSON.stringify(shown)} is not an http(s) URL`, 'absolute URLs such as https://example.com/health, one per line');
  }
}

function readMethod(name: string, raw: string): string {
  if (!/^[A-Za-z]+$/.test(raw)) throw new InputError(name, `${JSON.stringify(raw)} is not an HTTP method`, 'a method such as GET, HEAD or POST');
  return raw.toUpperCase();
}
