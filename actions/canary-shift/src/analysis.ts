// Reads each analysis window from its sources: probes this step sends to each version, and the
// platform's analytics of both versions' real traffic over the same window.
import type { TrafficProvider, VersionTraffic } from '@deploy-actions/providers';
import type { MetricSource, SourceMeasure, VersionMeasure } from './judge.js';
import { probeSender, type ProbeTarget } from './probes.js';
import { measureSamples, startSampler, type Sampler } from './sampler.js';
import type { Analysis, AnalysisWindow, StepAnalysis } from './shift.js';

export interface AnalysisOptions {
  provider: TrafficProvider;
  canary: string;
  stable: string;
  metrics: readonly MetricSource[];
  intervalMs: number;
  /** What a probe requests and how its answer is judged; needed when probes are a source. */
  probe?: ProbeTarget;
  probeRate: number;
  warn: (line: string) => void;
}

type Version = 'canary' | 'stable';

/** The most probes in flight per version: enough for a timeout's worth of rounds, within reason. */
export function maxInFlight(probeRate: number, timeoutMs: number): number {
  return Math.min(256, Math.max(4, Math.ceil((probeRate * timeoutMs) / 1000)));
}

function fromTraffic(traffic: VersionTraffic | undefined): VersionMeasure {
  // A version absent from the analytics served nothing in the window: zero samples, so inconclusive.
  return traffic ? { samples: traffic.requests, errors: traffic.errors, p50Ms: traffic.p50Ms, p95Ms: traffic.p95Ms } : { samples: 0, errors: 0, p50Ms: null, p95Ms: null };
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function createAnalysis(options: AnalysisOptions): Analysis {
  const { provider } = options;
  return {
    async startStep(percentage: number): Promise<StepAnalysis> {
      // No user reaches the canary at 0 %, and stable serves nothing at 100 %: there, only what can be measured.
      const sources = percentage === 0 ? (['probes'] as const) : options.metrics;
      const versions: Version[] = percentage < 100 ? ['canary', 'stable'] : ['canary'];
      const ids: Record<Version, string> = { canary: options.canary, stable: options.stable };
      let sampler: Sampler<Version> | undefined;
      if (sources.includes('probes') && options.probe) {
        const senders = new Map(versions.map((v) => [v, probeSender(options.probe!, provider.routeTo(ids[v]))]));
        sampler = startSampler({
          targets: versions,
          ratePerSecond: options.probeRate,
          maxInFlight: maxInFlight(options.probeRate, options.probe.attemptTimeoutMs),
          send: (version, signal) => senders.get(version)!(signal)
        });
      }
      let windowStart = new Date();
      return {
        async next(signal: AbortSignal): Promise<AnalysisWindow> {
          await wait(Math.max(0, windowStart.getTime() + options.intervalMs - Date.now()), signal);
          const window = { start: windowStart, end: new Date() };
          windowStart = window.end;
          const measures: SourceMeasure[] = [];
          for (const source of sources) {
            if (source === 'probes') {
              if (!sampler) {
                measures.push({ source, error: 'no url to probe' });
                continue;
              }
              const { samples, skipped } = sampler.take();
              for (const [version, count] of skipped) {
                if (count > 0) options.warn(`probes to the ${version} hit the limit of requests in flight: ${count} skipped; its answers are slower than probe-rate allows`);
              }
              const measure = (v: Version) => measureSamples(samples.get(v) ?? []);
              measures.push({ source, canary: measure('canary'), ...(versions.includes('stable') ? { stable: measure('stable') } : {}) });
            } else {
              if (!provider.traffic) {
                measures.push({ source, error: `${provider.description} has no analytics` });
                continue;
              }
              try {
                const traffic = await provider.traffic(
                  versions.map((v) => ids[v]),
                  window
                );
                measures.push({ source, canary: fromTraffic(traffic.get(options.canary)), ...(versions.includes('stable') ? { stable: fromTraffic(traffic.get(options.stable)) } : {}) });
              } catch (error) {
                measures.push({ source, error: (error as Error).message });
              }
            }
          }
          return { ...window, measures };
        },
        async stop() {
          await sampler?.stop();
        }
      };
    }
  };
}
