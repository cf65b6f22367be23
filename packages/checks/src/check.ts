// Checks every URL in parallel until each one passes its assertions the required number of times
// in a row, or the deadline, the attempt limit or a failure that waiting cannot fix ends it.
import { evaluate, summarizeFailures, type Assertion, type AssertionFailure } from '@deploy-actions/assertions';
import { INSECURE_WARNING, proxyFor, probe, type ProbeOptions, type ProbeResult, type Timings, type TransportFailureKind } from '@deploy-actions/http';
import { now, parseRetryAfter, poll, type BackoffPolicy, type PollEnd } from '@deploy-actions/http';
import { formatDuration } from '@deploy-actions/inputs';
import { latencyStats, plural, type LatencyStats } from '@deploy-actions/report';

/** `body-size`: a body check failed on a body cut at max-body-size, which no retry can make whole. */
export type FailureKind = TransportFailureKind | AssertionFailure['kind'] | 'body-size';
export const FAILURE_KINDS: readonly FailureKind[] = [
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

export interface HealthCheckConfig {
  urls: string[];
  request: Pick<ProbeOptions, 'method' | 'headers' | 'body'>;
  probe: Pick<ProbeOptions, 'maxBodyBytes' | 'followRedirects' | 'maxRedirects' | 'insecure' | 'ca' | 'env'>;
  assertions: Assertion[];
  policy: BackoffPolicy;
  attemptTimeoutMs: number;
  deadlineMs: number;
  maxAttempts: number;
  consecutiveSuccesses: number;
  retryOn: ReadonlySet<FailureKind>;
}

export interface AttemptFailure {
  kind: FailureKind;
  /** One line: why this attempt failed. */
  reason: string;
  assertions: AssertionFailure[];
  status: number | null;
  statusText: string;
  /** The start of the body, as received (the caller masks it before showing it). */
  body: string;
  bodyTruncated: boolean;
}

export interface UrlResult {
  url: string;
  healthy: boolean;
  end: PollEnd;
  attempts: number;
  durationMs: number;
  /** The status of the last response received, if any. */
  status: number | null;
  /** Where the last response came from: `url`, or where its redirects led; null without a response. */
  finalUrl: string | null;
  latency: LatencyStats | null;
  /** Where the time of the last response went: DNS, connect, TLS, first byte, total. */
  lastTimings: Timings | null;
  /** The last failure seen, even when a later streak made the URL healthy; null if none. */
  lastFailure: AttemptFailure | null;
}

export interface HealthReport {
  healthy: boolean;
  attempts: number;
  durationMs: number;
  results: UrlResult[];
}

export const BODY_EXCERPT_BYTES = 1024;

export interface CheckHooks {
  /** One line per attempt and per pause, for the log. */
  log?: (line: string) => void;
  /** A line worth a warning: TLS not verified, a redirect from https to http. */
  warn?: (line: string) => void;
  signal?: AbortSignal;
}

/** Why an attempt failed, or null when it passed. */
export async function judgeAttempt(result: ProbeResult, assertions: readonly Assertion[]): Promise<AttemptFailure | null> {
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
  if (!response) return { ...base, kind: 'reset', reason: 'no response', assertions: [] };
  const failures = await evaluate(assertions, {
    status: response.status,
    headers: response.headers,
    body: response.body,
    truncated: response.truncated,
    latencyMs: result.timings.totalMs
  });
  if (failures.length === 0) return null;
  const summary = summarizeFailures(failures);
  // A body check on a body cut at max-body-size fails the same way every time.
  const cutBodyFailed = response.truncated && summary.kind === 'assertion' && failures.some((f) => f.kind === 'assertion' && !f.where.startsWith('header '));
  return { ...base, kind: cutBodyFailed ? 'body-size' : summary.kind, reason: `${summary.reason}${redirectedTo(result, 'from')}`, assertions: failures };
}

/** ` from http://host/next after 1 redirect`, or nothing when no redirect was followed. */
function redirectedTo(result: ProbeResult, preposition: 'from' | 'at'): string {
  const count = result.redirects?.length ?? 0;
  return count > 0 && result.url ? ` ${preposition} ${result.url} after ${plural(count, 'redirect')}` : '';
}

/** The hop of a redirect chain that went from https to plain http, if one did. */
function downgrade(result: ProbeResult): [from: string, to: string] | undefined {
  const chain = [...(result.redirects ?? []), ...(result.url ? [result.url] : [])];
  const at = chain.findIndex((url, i) => url.startsWith('https:') && chain[i + 1]?.startsWith('http:'));
  return at === -1 ? undefined : [chain[at]!, chain[at + 1]!];
}

/** How a failure class that is not retried is named: the same words in the log, summary and annotations. */
export function notRetried(kind: FailureKind): string {
  return `${kind} failures are not retried`;
}

async function checkUrl(url: string, config: HealthCheckConfig, startedAt: number, hooks: CheckHooks, cancelOthers: () => void, warnInsecure: () => void): Promise<UrlResult> {
  const latencies: number[] = [];
  let status: number | null = null;
  let finalUrl: string | null = null;
  let downgradeWarned = false;
  let lastFailure: AttemptFailure | null = null;
  let lastTimings: Timings | null = null;
  const log = (line: string) => hooks.log?.(`${url}: ${line}`);

  const outcome = await poll(
    async (timeoutMs, attempt) => {
      const result = await probe(url, { ...config.request, ...config.probe, timeoutMs, signal: hooks.signal });
      if (result.response) {
        status = result.response.status;
        finalUrl = result.response.url;
        latencies.push(result.timings.totalMs);
        lastTimings = result.timings;
      }
      const insecureHop = [...(result.redirects ?? []), result.url ?? ''].some((hop) => hop.startsWith('https:'));
      if (config.probe.insecure && insecureHop) warnInsecure();
      const downgraded = downgrade(result);
      if (downgraded && !downgradeWarned) {
        downgradeWarned = true;
        hooks.warn?.(`${url}: redirected from https to plain http (${downgraded[0]} -> ${downgraded[1]}); what follows is not encrypted. Set follow-redirects: false to refuse redirects.`);
      }
      const failure = await judgeAttempt(result, config.assertions);
      // A timeout says its duration itself.
      const took = failure?.kind === 'timeout' ? '' : ` (${formatDuration(result.timings.totalMs)})`;
      if (!failure) {
        log(`attempt ${attempt}: ${status} in ${formatDuration(result.timings.totalMs)}, passed`);
        return { passed: true };
      }
      if (failure.kind === 'aborted') return { passed: false, fatal: true };
      lastFailure = failure;
      const fatal = !config.retryOn.has(failure.kind);
      log(`attempt ${attempt}: ${failure.reason}${took}${fatal ? `; ${notRetried(failure.kind)}` : ''}`);
      return { passed: false, fatal, retryAfterMs: parseRetryAfter(result.response?.headers['retry-after']) };
    },
    {
      policy: config.policy,
      attemptTimeoutMs: config.attemptTimeoutMs,
      deadlineAt: startedAt + config.deadlineMs,
      consecutiveSuccesses: config.consecutiveSuccesses,
      maxAttempts: config.maxAttempts,
      signal: hooks.signal,
      onWait: (delay, why) =>
        log(
          why === 'confirm'
            ? `passed; confirming again in ${formatDuration(delay)}`
            : `next attempt in ${formatDuration(delay)}${why === 'retry-after' ? ' (Retry-After)' : ''}`
        )
    }
  );

  const healthy = outcome.end === 'passed';
  if (!healthy) {
    if (outcome.end === 'fatal') cancelOthers();
    log(
      outcome.end === 'deadline'
        ? `not healthy by the deadline (${formatDuration(config.deadlineMs)}) after ${plural(outcome.attempts, 'attempt')}`
        : outcome.end === 'max-attempts'
          ? `not healthy after ${plural(outcome.attempts, 'attempt')} (max-attempts)`
          : outcome.end === 'cancelled'
            ? 'stopped: another URL failed for good'
            : 'stopped: this failure is not retried'
    );
  }
  return {
    url,
    healthy,
    end: outcome.end,
    attempts: outcome.attempts,
    durationMs: Math.round(now() - startedAt),
    status,
    finalUrl,
    latency: latencyStats(latencies),
    lastTimings,
    lastFailure
  };
}

export async function checkHealth(config: HealthCheckConfig, hooks: CheckHooks = {}): Promise<HealthReport> {
  const startedAt = now();
  // A URL that fails for good fails the step: stop the others instead of waiting out the deadline.
  const cancel = new AbortController();
  const signal = hooks.signal ? AbortSignal.any([hooks.signal, cancel.signal]) : cancel.signal;
  // Skipping verification matters only where TLS is spoken: an https URL, an https proxy, or (seen
  // once it happens) a redirect to https. It is said once, when it first matters.
  let insecureWarned = false;
  const warnInsecure = () => {
    if (insecureWarned) return;
    insecureWarned = true;
    hooks.warn?.(INSECURE_WARNING);
  };
  const env = config.probe.env ?? process.env;
  if (config.probe.insecure && config.urls.some((url) => new URL(url).protocol === 'https:' || proxyFor(new URL(url), env)?.startsWith('https:'))) warnInsecure();
  const results = await Promise.all(config.urls.map((url) => checkUrl(url, config, startedAt, { ...hooks, signal }, () => cancel.abort(), warnInsecure)));
  return {
    healthy: results.every((r) => r.healthy),
    attempts: results.reduce((sum, r) => sum + r.attempts, 0),
    durationMs: Math.round(now() - startedAt),
    results
  };
}
