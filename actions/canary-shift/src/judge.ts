// The judgement of one analysis window: the canary against stable measured over the same time, and
// against the absolute limits. Pure: numbers in, a verdict and its reasons out.
import { formatDuration } from '@deploy-actions/inputs';

export type MetricSource = 'probes' | 'cloudflare-analytics';

/** What one version did in one window, from one source. */
export interface VersionMeasure {
  samples: number;
  errors: number;
  /** Milliseconds; null without a timed sample. */
  p50Ms: number | null;
  p95Ms: number | null;
}

/** One source's reading of a window; `stable` is absent at 100 %, where stable serves nothing. */
export type SourceMeasure =
  | { source: MetricSource; canary: VersionMeasure; stable?: VersionMeasure }
  | { source: MetricSource; error: string };

export interface Thresholds {
  /** Percent, 0–100. */
  maxErrorRate?: number;
  /** Percentage points over stable's error rate. */
  maxErrorRateIncrease?: number;
  maxLatencyMs?: number;
  /** Percent of stable's p95. */
  maxLatencyIncrease?: number;
  latencyFloorMs: number;
  minSamples: number;
}

/** Worst first: a failure outweighs an unreadable source, which outweighs thin data. */
export type WindowVerdict = 'failed' | 'error' | 'inconclusive' | 'passed';
const SEVERITY: readonly WindowVerdict[] = ['failed', 'error', 'inconclusive', 'passed'];

export interface WindowJudgement {
  verdict: WindowVerdict;
  /** One line each; for a pass, what was measured. */
  reasons: string[];
}

/** Rates are compared in percent; this absorbs float error such as 6 − 5 = 1.0000000000000009. */
const EPSILON = 1e-9;

/** The error rate in percent; 0 without samples. */
export function errorRate(measure: VersionMeasure): number {
  return measure.samples === 0 ? 0 : (measure.errors / measure.samples) * 100;
}

/** `2.5%`: at most two decimals, so 1/3 reads 33.33%. */
export function formatPercent(value: number): string {
  return `${Number(value.toFixed(2))}%`;
}

function rateText(measure: VersionMeasure): string {
  return `${formatPercent(errorRate(measure))} (${measure.errors} of ${measure.samples})`;
}

function latencyText(ms: number | null): string {
  return ms === null ? 'no latency' : formatDuration(ms);
}

export function judgeSource(measure: SourceMeasure, thresholds: Thresholds): WindowJudgement {
  const name = measure.source;
  if ('error' in measure) return { verdict: 'error', reasons: [`${name}: could not be read: ${measure.error}`] };
  const { canary, stable } = measure;
  const thin = [['canary', canary] as const, ...(stable ? [['stable', stable] as const] : [])].filter(([, m]) => m.samples < thresholds.minSamples);
  if (thin.length > 0) {
    const which = thin.map(([version, m]) => `${version} ${m.samples}`).join(', ');
    return { verdict: 'inconclusive', reasons: [`${name}: too few samples to judge (${which}; min-samples ${thresholds.minSamples})`] };
  }

  const failures: string[] = [];
  const canaryRate = errorRate(canary);
  if (thresholds.maxErrorRate !== undefined && canaryRate > thresholds.maxErrorRate + EPSILON) {
    failures.push(`${name}: canary error rate ${rateText(canary)} is above max-error-rate ${formatPercent(thresholds.maxErrorRate)}`);
  }
  if (stable && thresholds.maxErrorRateIncrease !== undefined) {
    const increase = canaryRate - errorRate(stable);
    if (increase > thresholds.maxErrorRateIncrease + EPSILON) {
      failures.push(
        `${name}: canary error rate ${rateText(canary)} is ${Number(increase.toFixed(2))} points above stable's ${rateText(stable)} (max-error-rate-increase ${thresholds.maxErrorRateIncrease})`
      );
    }
  }
  if (thresholds.maxLatencyMs !== undefined && canary.p95Ms !== null && canary.p95Ms > thresholds.maxLatencyMs) {
    failures.push(`${name}: canary p95 ${latencyText(canary.p95Ms)} is above max-latency ${formatDuration(thresholds.maxLatencyMs)}`);
  }
  if (stable && thresholds.maxLatencyIncrease !== undefined && canary.p95Ms !== null && stable.p95Ms !== null) {
    const difference = canary.p95Ms - stable.p95Ms;
    const allowed = (stable.p95Ms * thresholds.maxLatencyIncrease) / 100;
    if (difference > allowed + EPSILON && difference >= thresholds.latencyFloorMs) {
      const percent = stable.p95Ms === 0 ? '' : ` (+${Math.round((difference / stable.p95Ms) * 100)}%)`;
      failures.push(
        `${name}: canary p95 ${latencyText(canary.p95Ms)} is ${formatDuration(difference)} above stable's ${latencyText(stable.p95Ms)}${percent} (max-latency-increase ${thresholds.maxLatencyIncrease}%)`
      );
    }
  }
  if (failures.length > 0) return { verdict: 'failed', reasons: failures };
  const versus = stable ? ` vs stable ${rateText(stable)}, p95 ${latencyText(stable.p95Ms)}` : '';
  return { verdict: 'passed', reasons: [`${name}: canary ${rateText(canary)}, p95 ${latencyText(canary.p95Ms)}${versus}`] };
}

/** A window over several sources takes the worst verdict; each source must pass. */
export function judgeWindow(measures: readonly SourceMeasure[], thresholds: Thresholds): WindowJudgement {
  const judgements = measures.map((measure) => judgeSource(measure, thresholds));
  const verdict = SEVERITY.find((level) => judgements.some((j) => j.verdict === level)) ?? 'inconclusive';
  if (judgements.length === 0) return { verdict: 'inconclusive', reasons: ['nothing was measured'] };
  // A failing window is explained by what failed; a passing one by everything measured.
  const shown = verdict === 'passed' ? judgements : judgements.filter((j) => j.verdict !== 'passed');
  return { verdict, reasons: shown.flatMap((j) => j.reasons) };
}

export type StepDecision = 'continue' | 'failed' | 'error' | 'inconclusive';

/**
 * Whether a step goes on after its latest window. Failed windows and unreadable ones count toward
 * failure-limit together (an analysis nobody can read is no evidence of health); the first beyond
 * it ends the step, named after that window. Thin data ends it at once: it can never become a pass.
 */
export function decideStep(verdicts: readonly WindowVerdict[], failureLimit: number): StepDecision {
  const latest = verdicts.at(-1);
  if (latest === 'inconclusive') return 'inconclusive';
  const counted = verdicts.filter((v) => v === 'failed' || v === 'error').length;
  if ((latest === 'failed' || latest === 'error') && counted > failureLimit) return latest;
  return 'continue';
}
