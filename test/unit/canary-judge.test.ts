// canary-shift's judgement of one window: canary against stable over the same time, and the
// absolute limits; how a step's windows add up against failure-limit.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decideStep, judgeSource, judgeWindow, type SourceMeasure, type Thresholds, type VersionMeasure } from '../../actions/canary-shift/src/judge.js';

const limits: Thresholds = { maxErrorRate: 2, maxErrorRateIncrease: 1, maxLatencyIncrease: 20, latencyFloorMs: 10, minSamples: 20 };
const version = (samples: number, errors: number, p95Ms: number | null = 50, p50Ms: number | null = 20): VersionMeasure => ({ samples, errors, p50Ms, p95Ms });
const probes = (canary: VersionMeasure, stable?: VersionMeasure): SourceMeasure => ({ source: 'probes', canary, ...(stable ? { stable } : {}) });

describe('judgeSource', () => {
  it('passes a canary as good as stable, saying what was measured', () => {
    const judgement = judgeSource(probes(version(100, 0, 50), version(100, 0, 48)), limits);
    expect(judgement).toEqual({ verdict: 'passed', reasons: ['probes: canary 0% (0 of 100), p95 50ms vs stable 0% (0 of 100), p95 48ms'] });
  });

  it('fails a canary erring 30 % against a clean stable, on both error limits', () => {
    const judgement = judgeSource(probes(version(100, 30), version(100, 0)), limits);
    expect(judgement.verdict).toBe('failed');
    expect(judgement.reasons).toEqual([
      'probes: canary error rate 30% (30 of 100) is above max-error-rate 2%',
      "probes: canary error rate 30% (30 of 100) is 30 points above stable's 0% (0 of 100) (max-error-rate-increase 1)"
    ]);
  });

  it('judges the increase in points over stable measured at the same time, not a fixed baseline', () => {
    const relative = { ...limits, maxErrorRate: undefined };
    // Stable itself fails 5 %; the canary 5.5 %: half a point over, within one.
    expect(judgeSource(probes(version(1000, 55), version(1000, 50)), relative).verdict).toBe('passed');
    // 6 − 5 is exactly one point (1.0000000000000009 in floating point): still within.
    expect(judgeSource(probes(version(100, 6), version(100, 5)), relative).verdict).toBe('passed');
    expect(judgeSource(probes(version(1000, 61), version(1000, 50)), relative)).toEqual({
      verdict: 'failed',
      reasons: ["probes: canary error rate 6.1% (61 of 1000) is 1.1 points above stable's 5% (50 of 1000) (max-error-rate-increase 1)"]
    });
  });

  it('fails p95 more than max-latency-increase above stable, but never on a difference under latency-floor', () => {
    expect(judgeSource(probes(version(100, 0, 250), version(100, 0, 50)), limits)).toEqual({
      verdict: 'failed',
      reasons: ["probes: canary p95 250ms is 200ms above stable's 50ms (+400%) (max-latency-increase 20%)"]
    });
    // 2ms → 8ms is +300 %, but 6ms: noise.
    expect(judgeSource(probes(version(100, 0, 8), version(100, 0, 2)), limits).verdict).toBe('passed');
    // 50ms → 60ms is exactly 20 %: within.
    expect(judgeSource(probes(version(100, 0, 60), version(100, 0, 50)), limits).verdict).toBe('passed');
  });

  it('fails on the absolute max-latency', () => {
    expect(judgeSource(probes(version(100, 0, 900), version(100, 0, 880)), { ...limits, maxLatencyMs: 800 }).reasons).toEqual(['probes: canary p95 900ms is above max-latency 800ms']);
  });

  it('calls fewer than min-samples of either version inconclusive, never a pass', () => {
    expect(judgeSource(probes(version(5, 0), version(100, 0)), limits)).toEqual({ verdict: 'inconclusive', reasons: ['probes: too few samples to judge (canary 5; min-samples 20)'] });
    expect(judgeSource(probes(version(100, 0), version(0, 0)), limits).verdict).toBe('inconclusive');
    // Even a canary failing every request is not judged on three samples.
    expect(judgeSource(probes(version(3, 3), version(100, 0)), limits).verdict).toBe('inconclusive');
  });

  it('calls a source that could not be read an error', () => {
    expect(judgeSource({ source: 'cloudflare-analytics', error: 'GraphQL answered 500' }, limits)).toEqual({
      verdict: 'error',
      reasons: ['cloudflare-analytics: could not be read: GraphQL answered 500']
    });
  });

  it('judges the canary alone by the absolute limits at 100 %', () => {
    expect(judgeSource(probes(version(100, 1, 5000)), limits).verdict).toBe('passed');
    expect(judgeSource(probes(version(100, 3)), limits).verdict).toBe('failed');
  });

  it('never passes a window with fewer samples than min-samples (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 19 }), fc.nat({ max: 1000 }), fc.nat({ max: 1000 }), (thin, other, errors) => {
        const canaryThin = judgeSource(probes(version(thin, Math.min(errors, thin)), version(other + 20, 0)), limits);
        const stableThin = judgeSource(probes(version(other + 20, 0), version(thin, Math.min(errors, thin))), limits);
        return canaryThin.verdict === 'inconclusive' && stableThin.verdict === 'inconclusive';
      })
    );
  });

  it('never fails a canary that errs no more and is no slower than stable, under relative limits alone (property)', () => {
    const relative = { ...limits, maxErrorRate: undefined };
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5000 }), (samples, stableShare, better, p95) => {
        const stableErrors = Math.floor(samples * stableShare);
        const canaryErrors = Math.floor(stableErrors * better);
        return judgeSource(probes(version(samples, canaryErrors, Math.floor(p95 * better)), version(samples, stableErrors, p95)), relative).verdict === 'passed';
      })
    );
  });

  it('fails whenever the canary errs more than max-error-rate-increase points above stable (property)', () => {
    const relative = { ...limits, maxErrorRate: undefined, maxLatencyIncrease: undefined };
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 5000 }), fc.nat({ max: 90 }), fc.integer({ min: 2, max: 9 }), (samples, stablePercent, extra) => {
        const stableErrors = Math.floor((samples * stablePercent) / 100);
        const canaryErrors = Math.min(samples, stableErrors + Math.ceil((samples * extra) / 100) + 1);
        const increase = ((canaryErrors - stableErrors) / samples) * 100;
        const verdict = judgeSource(probes(version(samples, canaryErrors), version(samples, stableErrors)), relative).verdict;
        return increase > 1 ? verdict === 'failed' : verdict === 'passed';
      })
    );
  });
});

describe('judgeWindow', () => {
  it('needs every source to pass, and takes the worst verdict', () => {
    const good = probes(version(100, 0), version(100, 0));
    const analytics = (canary: VersionMeasure, stable: VersionMeasure): SourceMeasure => ({ source: 'cloudflare-analytics', canary, stable });
    expect(judgeWindow([good, analytics(version(500, 0), version(9000, 9))], limits).verdict).toBe('passed');
    const thin = judgeWindow([good, analytics(version(3, 0), version(9000, 9))], limits);
    expect(thin).toEqual({ verdict: 'inconclusive', reasons: ['cloudflare-analytics: too few samples to judge (canary 3; min-samples 20)'] });
    expect(judgeWindow([good, { source: 'cloudflare-analytics', error: 'timeout' }], limits).verdict).toBe('error');
    expect(judgeWindow([probes(version(100, 50), version(100, 0)), { source: 'cloudflare-analytics', error: 'timeout' }], limits).verdict).toBe('failed');
    expect(judgeWindow([], limits).verdict).toBe('inconclusive');
  });
});

describe('decideStep', () => {
  it('rolls back at the first failed window with failure-limit 0', () => {
    expect(decideStep(['passed'], 0)).toBe('continue');
    expect(decideStep(['passed', 'failed'], 0)).toBe('failed');
  });

  it('tolerates failure-limit failed windows in a step, errors counted alike', () => {
    expect(decideStep(['failed'], 1)).toBe('continue');
    expect(decideStep(['failed', 'passed', 'error'], 1)).toBe('error');
    expect(decideStep(['error', 'error'], 2)).toBe('continue');
    expect(decideStep(['error', 'error', 'failed'], 2)).toBe('failed');
  });

  it('ends the step at once on thin data, whatever the limit', () => {
    expect(decideStep(['passed', 'inconclusive'], 5)).toBe('inconclusive');
  });

  it('continues exactly while failed and error windows are within the limit (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('passed' as const, 'failed' as const, 'error' as const), { maxLength: 20 }), fc.nat({ max: 10 }), (verdicts, limit) => {
        // Walk the windows as the shift does: it stops at the first decision that is not continue.
        let stoppedAt = -1;
        for (let i = 0; i < verdicts.length && stoppedAt < 0; i++) if (decideStep(verdicts.slice(0, i + 1), limit) !== 'continue') stoppedAt = i;
        const bad = verdicts.map((v, i) => (v === 'passed' ? -1 : i)).filter((i) => i >= 0);
        return stoppedAt === (bad[limit] ?? -1);
      })
    );
  });
});
