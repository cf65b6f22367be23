// canary-shift's state machine against an in-memory provider and scripted analysis windows:
// promoted, rolled back at the first failed window, inconclusive, changed by someone else, cancelled,
// and the post step's restore.
import { describe, expect, it } from '@jest/globals';
import { ProviderError } from '@deploy-actions/providers';
import type { SourceMeasure, Thresholds, VersionMeasure } from '../../actions/canary-shift/src/judge.js';
import type { PlannedStep } from '../../actions/canary-shift/src/plan.js';
import { restoreStable, runShift, type Analysis, type ShiftConfig, type ShiftState } from '../../actions/canary-shift/src/shift.js';
import { decodeState, encodeState } from '../../actions/canary-shift/src/state.js';
import { FakeTrafficProvider } from '../helpers/fake-traffic-provider.js';

const thresholds: Thresholds = { maxErrorRate: 2, maxErrorRateIncrease: 1, maxLatencyIncrease: 20, latencyFloorMs: 10, minSamples: 20 };
const healthy: VersionMeasure = { samples: 100, errors: 0, p50Ms: 10, p95Ms: 20 };
const failing: VersionMeasure = { samples: 100, errors: 30, p50Ms: 10, p95Ms: 20 };
const thin: VersionMeasure = { samples: 4, errors: 0, p50Ms: 10, p95Ms: 20 };
const plan = (windows: number, steps = [0, 5, 25, 50, 100]): PlannedStep[] => steps.map((percentage) => ({ percentage, windows: percentage < 100 ? windows : 0 }));

/** Windows answered at once, from a script: (step %, window index) → what the canary did. */
function scripted(canaryAt: (percentage: number, window: number) => VersionMeasure | 'unreadable', log: string[] = []): Analysis {
  return {
    async startStep(percentage) {
      let index = 0;
      log.push(`start ${percentage}`);
      return {
        async next() {
          const canary = canaryAt(percentage, index++);
          const now = new Date();
          const measures: SourceMeasure[] = canary === 'unreadable' ? [{ source: 'cloudflare-analytics', error: 'GraphQL answered 502' }] : [{ source: 'probes', canary, stable: healthy }];
          return { start: now, end: now, measures };
        },
        async stop() {
          log.push(`stop ${percentage}`);
        }
      };
    }
  };
}

function setUp(overrides: Partial<ShiftConfig> = {}) {
  const provider = FakeTrafficProvider.serving(['v1', 'v2'], [{ versionId: 'v1', percentage: 100 }]);
  const states: ShiftState[] = [];
  const lines: string[] = [];
  const config: ShiftConfig = {
    canary: 'v2',
    stable: 'v1',
    plan: plan(1),
    intervalMs: 1000,
    thresholds,
    failureLimit: 0,
    autoRollback: true,
    initial: provider.current,
    message: (p) => `canary-shift: v2 at ${p} %`,
    ...overrides
  };
  const hooks = (analysis: Analysis, cancel = new AbortController().signal) => ({
    provider,
    analysis,
    log: (line: string) => lines.push(line),
    warn: (line: string) => lines.push(`warning: ${line}`),
    saveState: (state: ShiftState) => states.push(structuredClone(state)),
    cancel
  });
  return { provider, states, lines, config, hooks };
}

describe('runShift', () => {
  it('promotes a healthy canary through 0/5/25/50/100, checking the deployment before every write', async () => {
    const { provider, states, config, hooks } = setUp();
    const outcome = await runShift(config, hooks(scripted(() => healthy)));
    expect(outcome).toMatchObject({ result: 'promoted', finalPercentage: 100, reason: 'v2 serves 100 %' });
    expect(outcome.failedStep).toBeUndefined();
    expect(provider.writes).toEqual(['shift v2@0 v1@100', 'shift v2@5 v1@95', 'shift v2@25 v1@75', 'shift v2@50 v1@50', 'shift v2@100']);
    // Each write is preceded by a fresh read of the deployment.
    const calls = provider.calls;
    calls.forEach((call, i) => {
      if (call.startsWith('shift')) expect(calls[i - 1]).toBe('currentDeployment');
    });
    expect(outcome.steps.map((s) => [s.percentage, s.verdict, s.windows.length])).toEqual([
      [0, 'passed', 1],
      [5, 'passed', 1],
      [25, 'passed', 1],
      [50, 'passed', 1],
      [100, 'passed', 0]
    ]);
    expect(provider.current.versions).toEqual([{ versionId: 'v2', percentage: 100 }]);
    // The state before and after every write; the last says finished.
    expect(states.filter((s) => s.pending).map((s) => s.pending![0]!.percentage)).toEqual([0, 5, 25, 50, 100]);
    expect(states.at(-1)).toEqual({ canary: 'v2', stable: 'v1', split: [{ versionId: 'v2', percentage: 100 }], finished: true, autoRollback: true });
  });

  it('rolls back at the first failed window: stable at 100 % again, no later window or step', async () => {
    const { provider, config, hooks } = setUp({ plan: plan(3) });
    const log: string[] = [];
    const outcome = await runShift(config, hooks(scripted((p, w) => (p === 5 && w === 1 ? failing : healthy), log)));
    expect(outcome.result).toBe('rolled-back');
    expect(outcome.finalPercentage).toBe(0);
    expect(outcome.failedStep).toBe(1);
    expect(outcome.steps.map((s) => [s.percentage, s.verdict, s.windows.map((w) => w.verdict)])).toEqual([
      [0, 'passed', ['passed', 'passed', 'passed']],
      [5, 'failed', ['passed', 'failed']]
    ]);
    expect(outcome.steps[1]!.reason).toBe(
      "probes: canary error rate 30% (30 of 100) is above max-error-rate 2%; probes: canary error rate 30% (30 of 100) is 30 points above stable's 0% (0 of 100) (max-error-rate-increase 1) (1 failed window, failure-limit 0)"
    );
    expect(outcome.reason).toMatch(/^the 5 % step failed: probes: canary error rate 30%/);
    expect(provider.writes).toEqual(['shift v2@0 v1@100', 'shift v2@5 v1@95', 'rollback v1']);
    expect(provider.current.versions).toEqual([{ versionId: 'v1', percentage: 100 }]);
    // The step's analysis is stopped before stable is restored.
    expect(log).toEqual(['start 0', 'stop 0', 'start 5', 'stop 5']);
  });

  it('tolerates failure-limit failed windows, unreadable analysis counted alike', async () => {
    const { config, hooks } = setUp({ plan: plan(3), failureLimit: 1 });
    const once = await runShift(config, hooks(scripted((p, w) => (p === 25 && w === 0 ? failing : healthy))));
    expect(once.result).toBe('promoted');

    const twice = setUp({ plan: plan(3), failureLimit: 1 });
    const outcome = await runShift(twice.config, twice.hooks(scripted((p, w) => (p === 25 && w === 0 ? failing : p === 25 && w === 2 ? 'unreadable' : healthy))));
    expect(outcome.result).toBe('rolled-back');
    expect(outcome.steps[2]).toMatchObject({ percentage: 25, verdict: 'error', reason: 'cloudflare-analytics: could not be read: GraphQL answered 502 (2 failed windows, failure-limit 1)' });
  });

  it('calls thin data inconclusive and rolls back, never promoting on it', async () => {
    const { provider, config, hooks } = setUp();
    const outcome = await runShift(config, hooks(scripted((p) => (p === 5 ? thin : healthy))));
    expect(outcome).toMatchObject({ result: 'inconclusive', finalPercentage: 0, failedStep: 1 });
    expect(outcome.steps[1]!.reason).toBe('probes: too few samples to judge (canary 4; min-samples 20)');
    expect(provider.writes.at(-1)).toBe('rollback v1');
    expect(provider.current.versions).toEqual([{ versionId: 'v1', percentage: 100 }]);
  });

  it('stops without writing when someone else changed the deployment, and names it', async () => {
    const { provider, config, hooks, states } = setUp();
    provider.afterWrite = (deployment) => {
      if (deployment.versions.some((v) => v.percentage === 25)) provider.deploy([{ versionId: 'v1', percentage: 100 }], 'hotfix', 'oncall@example.com');
    };
    const outcome = await runShift(config, hooks(scripted(() => healthy)));
    expect(outcome.result).toBe('stopped');
    expect(outcome.changedBy).toMatchObject({ id: 'dep-5', author: 'oncall@example.com', versions: [{ versionId: 'v1', percentage: 100 }] });
    expect(outcome.reason).toBe('stopped without touching it: the deployment was changed by someone else: deployment dep-5 by oncall@example.com serves v1 at 100 %');
    expect(provider.writes).toEqual(['shift v2@0 v1@100', 'shift v2@5 v1@95', 'shift v2@25 v1@75']);
    expect(provider.current.message).toBe('hotfix');
    // The post step has nothing to do.
    expect(states.at(-1)!.finished).toBe(true);
  });

  it('does not restore stable over a deployment someone else made during a failing step', async () => {
    const { provider, config, hooks } = setUp();
    const analysis: Analysis = {
      async startStep(percentage) {
        return {
          async next() {
            if (percentage === 5) provider.deploy([{ versionId: 'v2', percentage: 50 }, { versionId: 'v1', percentage: 50 }], 'by hand', 'dev@example.com');
            const now = new Date();
            return { start: now, end: now, measures: [{ source: 'probes', canary: percentage === 5 ? failing : healthy, stable: healthy }] };
          },
          async stop() {}
        };
      }
    };
    const outcome = await runShift(config, hooks(analysis));
    expect(outcome.result).toBe('stopped');
    expect(outcome.changedBy?.author).toBe('dev@example.com');
    expect(provider.writes).toEqual(['shift v2@0 v1@100', 'shift v2@5 v1@95']);
  });

  it('names someone else who put stable back during a failing step, and writes nothing over it', async () => {
    const { provider, config, hooks } = setUp();
    const outcome = await runShift(
      config,
      hooks(
        scripted((p) => {
          if (p !== 5) return healthy;
          provider.deploy([{ versionId: 'v1', percentage: 100 }], 'by hand', 'oncall@example.com');
          return failing;
        })
      )
    );
    expect(outcome).toMatchObject({ result: 'stopped', changedBy: { author: 'oncall@example.com' } });
    expect(provider.writes).toEqual(['shift v2@0 v1@100', 'shift v2@5 v1@95']);
  });

  it('on cancellation mid-step stops the analysis and puts stable back', async () => {
    const { provider, config, hooks } = setUp();
    const cancel = new AbortController();
    const analysis: Analysis = {
      async startStep(percentage) {
        return {
          next: (signal) =>
            new Promise((resolve) => {
              const now = new Date();
              const answer = () => resolve({ start: now, end: new Date(), measures: [{ source: 'probes', canary: healthy, stable: healthy }] });
              if (percentage < 25) return answer();
              signal.addEventListener('abort', answer, { once: true });
              cancel.abort();
            }),
          async stop() {}
        };
      }
    };
    const outcome = await runShift(config, hooks(analysis, cancel.signal));
    expect(outcome).toMatchObject({ result: 'rolled-back', finalPercentage: 0, failedStep: 2, reason: 'the job was cancelled during the 25 % step' });
    expect(outcome.steps[2]).toMatchObject({ verdict: 'cancelled', windows: [] });
    expect(provider.writes).toEqual(['shift v2@0 v1@100', 'shift v2@5 v1@95', 'shift v2@25 v1@75', 'rollback v1']);
  });

  it('with auto-rollback off leaves the split for a person', async () => {
    const { provider, config, hooks, states } = setUp({ autoRollback: false });
    const outcome = await runShift(config, hooks(scripted((p) => (p === 25 ? failing : healthy))));
    expect(outcome.result).toBe('stopped');
    expect(outcome.finalPercentage).toBe(25);
    expect(provider.current.versions).toEqual([{ versionId: 'v2', percentage: 25 }, { versionId: 'v1', percentage: 75 }]);
    expect(states.at(-1)).toMatchObject({ finished: true, autoRollback: false });
  });

  it('fails the smoke-test step before any user reaches the canary', async () => {
    const { provider, config, hooks } = setUp();
    const outcome = await runShift(config, { ...hooks(scripted(() => healthy)), smoke: async () => ({ ok: false, reason: '2 of 5 tests failed' }) });
    expect(outcome).toMatchObject({ result: 'rolled-back', failedStep: 0, reason: 'the 0 % step failed: smoke-test against the canary failed: 2 of 5 tests failed' });
    expect(provider.writes).toEqual(['shift v2@0 v1@100', 'rollback v1']);
  });

  it('without a 0 % step, runs the smoke-test once at the first step and rolls back from there when it fails', async () => {
    const { provider, config, hooks, lines } = setUp({ plan: plan(1, [5, 50, 100]) });
    const outcome = await runShift(config, { ...hooks(scripted(() => healthy)), smoke: async () => ({ ok: false, reason: '1 of 3 tests failed' }) });
    expect(outcome).toMatchObject({ result: 'rolled-back', failedStep: 0, reason: 'the 5 % step failed: smoke-test against the canary failed: 1 of 3 tests failed' });
    expect(provider.writes).toEqual(['shift v2@5 v1@95', 'rollback v1']);
    expect(lines).toContain('Step 5 %: smoke-test failed: 1 of 3 tests failed');

    const passing = setUp({ plan: plan(1, [5, 50, 100]) });
    const promoted = await runShift(passing.config, { ...passing.hooks(scripted(() => healthy)), smoke: async () => ({ ok: true, reason: 'passed' }) });
    expect(promoted.result).toBe('promoted');
    expect(passing.lines.filter((line) => line.includes('smoke-test'))).toEqual(['Step 5 %: smoke-test passed']);
  });

  it('falls back to a plain deployment when the rollback is refused, and reports when both fail', async () => {
    const { provider, config, hooks, states } = setUp();
    provider.refuse = (call) => (call === 'rollback' ? new ProviderError('secrets changed since v1 was uploaded', 10220) : undefined);
    const outcome = await runShift(config, hooks(scripted((p) => (p === 5 ? failing : healthy))));
    expect(outcome.result).toBe('rolled-back');
    expect(provider.writes.slice(-2)).toEqual(['rollback v1', 'shift v1@100']);
    expect(provider.current.versions).toEqual([{ versionId: 'v1', percentage: 100 }]);
    expect(states.at(-1)!.finished).toBe(true);

    const broken = setUp();
    broken.provider.refuse = (call, split) => (call === 'rollback' || split.length === 1 ? new ProviderError('API down') : undefined);
    const failed = await runShift(broken.config, broken.hooks(scripted((p) => (p === 5 ? failing : healthy))));
    expect(failed.restoreError).toBe('stable v1 could not be restored: rollback: API down; deploy: API down');
    // Not finished: the post step tries again.
    expect(broken.states.at(-1)!.finished).toBe(false);
  });

  it('restores stable after a shift that failed but was applied all the same', async () => {
    const { provider, config, hooks } = setUp();
    const realShift = provider.shift.bind(provider);
    provider.shift = async (split, message) => {
      const deployment = await realShift(split, message);
      if (split[0]!.percentage === 25) throw new Error('the command timed out after it had served the split');
      return deployment;
    };
    const outcome = await runShift(config, hooks(scripted(() => healthy)));
    expect(outcome).toMatchObject({ result: 'rolled-back', failedStep: 2 });
    expect(outcome.changedBy).toBeUndefined();
    expect(provider.writes).toEqual(['shift v2@0 v1@100', 'shift v2@5 v1@95', 'shift v2@25 v1@75', 'rollback v1']);
    expect(provider.current.versions).toEqual([{ versionId: 'v1', percentage: 100 }]);
  });

  it('treats a failed shift as a failed step and restores stable', async () => {
    const { provider, config, hooks } = setUp();
    provider.refuse = (call, split) => (call === 'shift' && split[0]!.percentage === 25 ? new ProviderError('wrangler versions deploy failed: 10021') : undefined);
    const outcome = await runShift(config, hooks(scripted(() => healthy)));
    expect(outcome).toMatchObject({ result: 'rolled-back', failedStep: 2 });
    expect(outcome.steps[2]).toMatchObject({ verdict: 'error', reason: 'the shift to 25 % failed: wrangler versions deploy failed: 10021' });
    expect(provider.current.versions).toEqual([{ versionId: 'v1', percentage: 100 }]);
  });
});

describe('the post step restore', () => {
  const hooks = (provider: FakeTrafficProvider) => ({ provider, log: () => {}, warn: () => {}, saveState: () => {} });

  it('restores stable from the state a killed main step left, including a write it was in the middle of', async () => {
    const provider = FakeTrafficProvider.serving(['v1', 'v2'], [{ versionId: 'v2', percentage: 25 }, { versionId: 'v1', percentage: 75 }]);
    const state = decodeState(
      encodeState({ canary: 'v2', stable: 'v1', split: [{ versionId: 'v2', percentage: 5 }, { versionId: 'v1', percentage: 95 }], pending: [{ versionId: 'v2', percentage: 25 }, { versionId: 'v1', percentage: 75 }], finished: false, autoRollback: true })
    )!;
    const restored = await restoreStable(state, hooks(provider), [state.split, state.pending!]);
    expect(restored.error).toBeUndefined();
    expect(provider.writes).toEqual(['rollback v1']);
    expect(provider.current.versions).toEqual([{ versionId: 'v1', percentage: 100 }]);
  });

  it('does nothing when stable already serves 100 %, and nothing over someone else\'s deployment', async () => {
    const done = FakeTrafficProvider.serving(['v1', 'v2'], [{ versionId: 'v1', percentage: 100 }]);
    expect(await restoreStable({ canary: 'v2', stable: 'v1' }, hooks(done), [[{ versionId: 'v2', percentage: 0 }, { versionId: 'v1', percentage: 100 }]])).toEqual({
      split: [{ versionId: 'v1', percentage: 100 }],
      stableAlone: true
    });
    // Someone else already put stable back: theirs, said so, and not written over.
    expect(await restoreStable({ canary: 'v2', stable: 'v1' }, hooks(done), [[{ versionId: 'v2', percentage: 5 }, { versionId: 'v1', percentage: 95 }]])).toMatchObject({
      stableAlone: true,
      changedBy: { id: 'dep-1' },
      error: 'the deployment was changed by someone else: deployment dep-1 by someone@example.com serves v1 at 100 %; it serves stable v1 alone already'
    });
    expect(done.writes).toEqual([]);

    const other = FakeTrafficProvider.serving(['v1', 'v2', 'v3'], [{ versionId: 'v3', percentage: 100 }]);
    const restored = await restoreStable({ canary: 'v2', stable: 'v1' }, hooks(other), [[{ versionId: 'v2', percentage: 5 }, { versionId: 'v1', percentage: 95 }]]);
    expect(restored.error).toBe('the deployment was changed by someone else: deployment dep-1 by someone@example.com serves v3 at 100 %; stable was not restored over it');
    expect(other.writes).toEqual([]);
  });

  it('reads back only a state it wrote', () => {
    expect(decodeState('')).toBeUndefined();
    expect(decodeState('not json')).toBeUndefined();
    expect(decodeState('{"canary":1}')).toBeUndefined();
  });
});
