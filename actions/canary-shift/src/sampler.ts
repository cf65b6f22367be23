// Sends samples to every target at a steady rate: the k-th round starts at start + k/rate whatever
// the previous rounds are doing, so a slow version does not slow down how often it is measured.
// In-flight requests per target are bounded; a round that finds its target at the bound is counted
// as skipped, not as a sample. Cancelled through an AbortSignal: no new round starts, in-flight
// requests are aborted, and an aborted request is no sample.
import { latencyStats } from '@deploy-actions/report';
import type { VersionMeasure } from './judge.js';

export interface SampleOutcome {
  ok: boolean;
  /** Milliseconds, for a sample that got a response. */
  latencyMs: number | null;
  /** Why it failed, one line. */
  reason?: string;
  /** The request was aborted by the sampler stopping: not a sample. */
  aborted?: boolean;
}

export interface Sample extends SampleOutcome {
  /** Epoch milliseconds when the request started. */
  startedAt: number;
}

export interface SamplerOptions<Target extends string> {
  targets: readonly Target[];
  ratePerSecond: number;
  /** The most requests in flight per target. */
  maxInFlight: number;
  send: (target: Target, signal: AbortSignal) => Promise<SampleOutcome>;
  signal?: AbortSignal;
  /** Epoch milliseconds; injectable for tests. */
  clock?: () => number;
}

export interface Sampler<Target extends string> {
  /** Samples completed since the last take, per target, and the rounds skipped at the bound. */
  take(): { samples: Map<Target, Sample[]>; skipped: Map<Target, number> };
  /** Stops sending, aborts what is in flight, and waits for it to settle. */
  stop(): Promise<void>;
}

export function startSampler<Target extends string>(options: SamplerOptions<Target>): Sampler<Target> {
  const clock = options.clock ?? Date.now;
  const stopping = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopping.signal]) : stopping.signal;
  const periodMs = 1000 / options.ratePerSecond;
  const startedAt = clock();
  const inFlight = new Map<Target, number>(options.targets.map((t) => [t, 0]));
  const pending = new Set<Promise<void>>();
  let done = new Map<Target, Sample[]>(options.targets.map((t) => [t, []]));
  let skipped = new Map<Target, number>(options.targets.map((t) => [t, 0]));
  let round = 0;
  let timer: NodeJS.Timeout | undefined;

  const sendOne = (target: Target) => {
    if ((inFlight.get(target) ?? 0) >= options.maxInFlight) {
      skipped.set(target, (skipped.get(target) ?? 0) + 1);
      return;
    }
    inFlight.set(target, (inFlight.get(target) ?? 0) + 1);
    const sampleStart = clock();
    const work = options
      .send(target, signal)
      .catch((error: unknown): SampleOutcome => ({ ok: false, latencyMs: null, reason: (error as Error).message }))
      .then((outcome) => {
        inFlight.set(target, (inFlight.get(target) ?? 1) - 1);
        if (outcome.aborted || signal.aborted) return;
        done.get(target)!.push({ ...outcome, startedAt: sampleStart });
      });
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  const tick = () => {
    if (signal.aborted) return;
    for (const target of options.targets) sendOne(target);
    round += 1;
    timer = setTimeout(tick, Math.max(0, startedAt + round * periodMs - clock()));
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  tick();

  return {
    take() {
      const taken = { samples: done, skipped };
      done = new Map(options.targets.map((t) => [t, []]));
      skipped = new Map(options.targets.map((t) => [t, 0]));
      return taken;
    },
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await Promise.all([...pending]);
    }
  };
}

/** What a version's samples say: how many, how many failed, and the latency of those answered. */
export function measureSamples(samples: readonly Sample[]): VersionMeasure {
  const latency = latencyStats(samples.flatMap((s) => (s.latencyMs === null ? [] : [s.latencyMs])));
  return { samples: samples.length, errors: samples.filter((s) => !s.ok).length, p50Ms: latency?.p50 ?? null, p95Ms: latency?.p95 ?? null };
}
