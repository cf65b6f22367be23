// The retry policy: fixed or exponential backoff with a cap and jitter, Retry-After honoured, a
// per-attempt timeout and an overall deadline that is never overrun.

/**
 * Monotonic milliseconds. Not `now()`: its first use loads perf_hooks, a few ms of every
 * step's start-up for nothing.
 */
export function now(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

export interface BackoffPolicy {
  backoff: 'fixed' | 'exponential';
  /** First delay after a failure, and the pause between passing probes while counting a streak. */
  intervalMs: number;
  /** Exponential delays stop growing here. */
  maxIntervalMs: number;
  /** Spread each delay over [delay/2, delay] so parallel probes do not move in lockstep. */
  jitter: boolean;
  factor?: number;
}

/** The pause after `failures` failures in a row (1 = the first failure). Never longer than the un-jittered delay. */
export function backoffDelay(policy: BackoffPolicy, failures: number, random: () => number = Math.random): number {
  const factor = policy.factor ?? 2;
  const raw =
    policy.backoff === 'fixed'
      ? policy.intervalMs
      : Math.min(policy.maxIntervalMs, policy.intervalMs * factor ** Math.max(0, failures - 1));
  return policy.jitter ? Math.round(raw / 2 + (random() * raw) / 2) : raw;
}

/** Retry-After as delta-seconds or an HTTP-date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

export interface AttemptOutcome {
  passed: boolean;
  /** A failure that waiting cannot fix (a bad certificate, a malformed URL): stop at once. */
  fatal?: boolean;
  /** The server asked for this pause (Retry-After). */
  retryAfterMs?: number;
}

export interface PollOptions {
  policy: BackoffPolicy;
  /** Per attempt; clipped so no attempt runs past the deadline. */
  attemptTimeoutMs: number;
  /** now() value by which everything must be over. */
  deadlineAt: number;
  /** Passing attempts in a row needed; a failure resets the count. */
  consecutiveSuccesses?: number;
  /** 0 = until the deadline. */
  maxAttempts?: number;
  signal?: AbortSignal;
  random?: () => number;
  /** Told before each pause: lets the caller log "next attempt in 2s"; `retry-after` when the server's Retry-After made it longer. */
  onWait?: (delayMs: number, reason: 'retry' | 'retry-after' | 'confirm') => void;
}

export type PollEnd = 'passed' | 'fatal' | 'deadline' | 'max-attempts' | 'cancelled';

export interface PollResult {
  end: PollEnd;
  attempts: number;
}

/**
 * Runs `attempt` until it has passed `consecutiveSuccesses` times in a row, a fatal failure, the
 * attempt limit, the deadline or cancellation. A pause that would end past the deadline is not
 * taken: the poll stops at once, so the step never overruns its deadline.
 */
export async function poll(attempt: (timeoutMs: number, attemptNumber: number) => Promise<AttemptOutcome>, options: PollOptions): Promise<PollResult> {
  const needed = Math.max(1, options.consecutiveSuccesses ?? 1);
  // A retry squeezed into the last few milliseconds can only time out, and its "timed out after
  // 2ms" would hide the real last failure: a retry needs this much time left, the first attempt 1 ms.
  const minimumRetryMs = Math.min(options.attemptTimeoutMs, 100);
  let attempts = 0;
  let streak = 0;
  let failuresInRow = 0;
  for (;;) {
    if (options.signal?.aborted) return { end: 'cancelled', attempts };
    const remaining = options.deadlineAt - now();
    if (remaining < (attempts === 0 ? 1 : minimumRetryMs)) return { end: 'deadline', attempts };
    attempts += 1;
    const outcome = await attempt(Math.min(options.attemptTimeoutMs, remaining), attempts);
    if (options.signal?.aborted) return { end: 'cancelled', attempts };
    if (outcome.passed) {
      streak += 1;
      failuresInRow = 0;
      if (streak >= needed) return { end: 'passed', attempts };
    } else {
      streak = 0;
      failuresInRow += 1;
      if (outcome.fatal) return { end: 'fatal', attempts };
    }
    if (options.maxAttempts && attempts >= options.maxAttempts) return { end: 'max-attempts', attempts };

    const backoff = outcome.passed ? options.policy.intervalMs : backoffDelay(options.policy, failuresInRow, options.random);
    const delay = outcome.passed ? backoff : Math.max(backoff, outcome.retryAfterMs ?? 0);
    if (now() + delay + minimumRetryMs > options.deadlineAt) return { end: 'deadline', attempts };
    options.onWait?.(delay, outcome.passed ? 'confirm' : delay > backoff ? 'retry-after' : 'retry');
    await sleep(delay, options.signal);
  }
}
