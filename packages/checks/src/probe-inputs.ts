// The probe inputs every action that sends checks shares (health-check, canary-shift, rollback's
// verification): what to request, what a good answer is, how to reach it. Read and checked here once,
// so the same input means the same thing in every action. Each action's action.yml declares these
// names; the type below makes an action that forgot one fail the type check.
import { headWithBodyChecks, parseRegex, parseJsonPathAssertion, type Assertion } from '@deploy-actions/assertions';
import {
  InputError,
  Inputs,
  parseBoolean,
  parseByteSize,
  parseCaCertificate,
  parseDuration,
  parseHeaderNames,
  parseHeaders,
  parseInteger,
  parseList,
  parseStatusSet
} from '@deploy-actions/inputs';
import { redactUrl, secretHeaderValues, urlCredentials, urlQuerySecrets } from '@deploy-actions/report';
import type { HealthCheckConfig } from './check.js';

export type ProbeInputName =
  | 'url'
  | 'method'
  | 'headers'
  | 'secret-headers'
  | 'body'
  | 'expected-status'
  | 'expected-headers'
  | 'body-contains'
  | 'body-regex'
  | 'json-path'
  | 'timeout'
  | 'follow-redirects'
  | 'max-redirects'
  | 'insecure'
  | 'ca-cert'
  | 'max-body-size';

export interface ProbeInputs extends Pick<HealthCheckConfig, 'urls' | 'request' | 'probe' | 'assertions' | 'attemptTimeoutMs'> {
  /** Values to mask everywhere: credential header values, passwords and credential query values in URLs. */
  secrets: string[];
  /** URLs given more than once: each is checked once, in the place it first appears. */
  duplicateUrls: string[];
}

export interface ProbeInputOptions {
  /** Whether `url` must be given (false where the platform supplies the address). */
  urlRequired?: boolean;
}

export function readProbeInputs(inputs: Inputs<ProbeInputName>, env: NodeJS.ProcessEnv, options: ProbeInputOptions = {}): ProbeInputs {
  const rawUrls = options.urlRequired === false ? inputs.string('url') : inputs.required('url', 'one or more http(s) URLs, one per line');
  const listed = parseList(rawUrls, { commas: false });
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

  const ca = inputs.optional('ca-cert', parseCaCertificate);
  return {
    urls,
    duplicateUrls,
    secrets: [...secretHeaderValues(headers, secretHeaders), ...urls.flatMap((url) => [...urlCredentials(url), ...urlQuerySecrets(url)])],
    request: { method, headers, body: inputs.raw('body') || undefined },
    probe: {
      maxBodyBytes: inputs.with('max-body-size', (name, raw) => parseByteSize(name, raw, { min: 1, max: 256 * 1024 ** 2 })),
      followRedirects: inputs.with('follow-redirects', parseBoolean),
      maxRedirects: inputs.with('max-redirects', (name, raw) => parseInteger(name, raw, { min: 0, max: 50 })),
      insecure: inputs.with('insecure', parseBoolean),
      ca: ca ? [ca] : undefined,
      env
    },
    assertions,
    attemptTimeoutMs: inputs.with('timeout', (name, raw) => parseDuration(name, raw, { min: 1 }))
  };
}

function requireHttpUrl(url: string): void {
  const parsed = URL.parse(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    const shown = redactUrl(url.length > 80 ? `${url.slice(0, 77)}...` : url);
    throw new InputError('url', `${JSON.stringify(shown)} is not an http(s) URL`, 'absolute URLs such as https://example.com/health, one per line');
  }
}

function readMethod(name: string, raw: string): string {
  if (!/^[A-Za-z]+$/.test(raw)) throw new InputError(name, `${JSON.stringify(raw)} is not an HTTP method`, 'a method such as GET, HEAD or POST');
  return raw.toUpperCase();
}
