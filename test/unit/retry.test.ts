import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { backoffDelay, now, parseRetryAfter, poll, type BackoffPolicy } from '@deploy-actions/http';

const exponential: BackoffPolicy = { backoff: 'exponential', intervalMs: 100, maxIntervalMs: 1000, jitter: false };

describe('backoffDelay', () => {
  it('doubles up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(exponential, n))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('fixed stays at the interval', () => {
    expect(backoffDelay({ ...exponential, backoff: 'fixed' }, 9)).toBe(100);
  });
  it('jitter stays within [delay/2, delay]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (failures, r) => {
        const plain = backoffDelay(exponential, failures);
        const jittered = backoffDelay({ ...exponential, jitter: true }, failures, () => r);
        expect(jittered).toBeGreaterThanOrEqual(Math.floor(plain / 2));
        expect(jittered).toBeLessThanOrEqual(plain);
      })
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds and HTTP-dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('poll', () => {
  const fast: BackoffPolicy = { backoff: 'fixed', intervalMs: 1, maxIntervalMs: 1, jitter: false };

  it('needs the streak in a row; a failure resets it', async () => {
    const script = [true, true, false, true, true, true, true];
    let i = 0;
    const result = await poll(async () => ({ passed: script[i++] ?? true }), {
      policy: fast,
      attemptTimeoutMs: 100,
      deadlineAt: now() + 5000,
      consecutiveSuccesses: 3
    });
    expect(result).toEqual({ end: 'passed', attempts: 6 });
  });

  it('stops at once on a fatal failure', async () => {
    const result = await poll(async () => ({ passed: false, fatal: true }), { policy: fast, attemptTimeoutMs: 100, deadlineAt: now() + 5000 });
    expect(result).toEqual({ end: 'fatal', attempts: 1 });
  });

  it('honours max attempts', async () => {
    const result = await poll(async () => ({ passed: false }), { policy: fast, attemptTimeoutMs: 100, deadlineAt: now() + 5000, maxAttempts: 4 });
    expect(result).toEqual({ end: 'max-attempts', attempts: 4 });
  });

  it('never starts a pause that would end past the deadline, and clips attempt timeouts', async () => {
    const started = now();
    const timeouts: number[] = [];
    const result = await poll(
      async (timeoutMs) => {
        timeouts.push(timeoutMs);
        return { passed: false, retryAfterMs: 60_000 };
      },
      { policy: fast, attemptTimeoutMs: 60_000, deadlineAt: started + 10_000 }
    );
    expect(result).toEqual({ end: 'deadline', attempts: 1 });
    // Waiting out the deadline would take 10 s.
    expect(now() - started).toBeLessThan(5_000);
    expect(timeouts[0]).toBeLessThanOrEqual(10_000);
  });

  it('starts no retry in the last 100 ms, where it could only time out', async () => {
    const started = now();
    const result = await poll(async () => ({ passed: false }), {
      policy: { backoff: 'fixed', intervalMs: 2150, maxIntervalMs: 2150, jitter: false },
      attemptTimeoutMs: 10_000,
      deadlineAt: started + 2200
    });
    // A retry after the 2150 ms pause would have had 50 ms at most: not taken, and no pause either.
    expect(result).toEqual({ end: 'deadline', attempts: 1 });
    expect(now() - started).toBeLessThan(1_000);
  });

  it('waits at least the Retry-After the server asked for', async () => {
    const at: number[] = [];
    await poll(
      async () => {
        at.push(now());
        return at.length === 1 ? { passed: false, retryAfterMs: 150 } : { passed: true };
      },
      { policy: fast, attemptTimeoutMs: 100, deadlineAt: now() + 5000 }
    );
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(149);
  });

  it('tells the caller when Retry-After, not the backoff, set the pause', async () => {
    const waits: string[] = [];
    let calls = 0;
    await poll(
      async () => {
        calls += 1;
        return calls === 1 ? { passed: false, retryAfterMs: 150 } : calls === 2 ? { passed: false, retryAfterMs: 0 } : { passed: true };
      },
      { policy: fast, attemptTimeoutMs: 100, deadlineAt: now() + 5000, onWait: (delay, reason) => waits.push(`${delay} ${reason}`) }
    );
    expect(waits).toEqual(['150 retry-after', '1 retry']);
  });

  it('ends as cancelled when its signal aborts', async () => {
    const controller = new AbortController();
    const result = await poll(
      async () => {
        controller.abort();
        return { passed: false };
      },
      { policy: fast, attemptTimeoutMs: 100, deadlineAt: now() + 5000, signal: controller.signal }
    );
    expect(result.end).toBe('cancelled');
  });
});
