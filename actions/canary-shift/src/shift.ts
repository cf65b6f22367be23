// The shift itself: each step serves the canary's share, is judged window by window, and either goes
// on, or ends the shift with stable back at 100 %. Before every write the current deployment is read
// again, and a deployment someone else changed is left as it is. The state is saved after every
// write, so the post step can restore stable if this process dies.
import type { Deployment, TrafficProvider, VersionShare } from '@deploy-actions/providers';
import { formatDuration } from '@deploy-actions/inputs';
import { decideStep, judgeWindow, type MetricSource, type SourceMeasure, type Thresholds, type VersionMeasure, type WindowVerdict } from './judge.js';
import type { PlannedStep } from './plan.js';
import { describeDeployment, describeSplit, sameSplit, splitFor } from './split.js';

export interface AnalysisWindow {
  start: Date;
  end: Date;
  measures: SourceMeasure[];
}

/** Measures one step: started after the step's shift, read window by window, stopped at its end. */
export interface StepAnalysis {
  /** Waits out one window (sooner when `signal` aborts) and reads every source over it. */
  next(signal: AbortSignal): Promise<AnalysisWindow>;
  stop(): Promise<void>;
}

export interface Analysis {
  startStep(percentage: number): Promise<StepAnalysis>;
}

/** What survives this process: enough for the post step to put stable back. */
export interface ShiftState {
  canary: string;
  stable: string;
  /** The split this action served last (what the deployment should still be). */
  split: VersionShare[];
  /** The split being written when the state was saved: if the process died mid-write, it may serve. */
  pending?: VersionShare[];
  /** True once the shift ended (promoted, rolled back, or stopped); the post step then does nothing. */
  finished: boolean;
  autoRollback: boolean;
}

export interface ShiftConfig {
  canary: string;
  stable: string;
  plan: readonly PlannedStep[];
  intervalMs: number;
  thresholds: Thresholds;
  failureLimit: number;
  autoRollback: boolean;
  /** The deployment read when the action started: the first "what we last saw". */
  initial: Deployment;
  /** The deployment message for a step, e.g. "canary-shift: 25 % to <id> (run 42)". */
  message: (percentage: number) => string;
}

export interface ShiftHooks {
  provider: TrafficProvider;
  analysis: Analysis;
  log: (line: string) => void;
  warn: (line: string) => void;
  saveState: (state: ShiftState) => void;
  /** Run at the first step (0 % when there is one) before it is judged; a failure ends the shift as a failed step. */
  smoke?: (signal: AbortSignal) => Promise<{ ok: boolean; reason: string }>;
  /** The job was cancelled (SIGINT/SIGTERM): stop, and restore stable unless auto-rollback is off. */
  cancel: AbortSignal;
}

export type StepVerdict = 'passed' | 'failed' | 'error' | 'inconclusive' | 'cancelled' | 'stopped';

export interface WindowRecord {
  start: string;
  end: string;
  verdict: WindowVerdict;
  reasons: string[];
  measures: SourceMeasure[];
}

export interface StepRecord {
  percentage: number;
  startedAt: string;
  endedAt: string;
  verdict: StepVerdict;
  /** One line: why the step ended as it did. */
  reason: string;
  windows: WindowRecord[];
}

export type ShiftResult = 'promoted' | 'rolled-back' | 'inconclusive' | 'stopped';

export interface ShiftOutcome {
  result: ShiftResult;
  /** The canary's share when the shift ended. */
  finalPercentage: number;
  steps: StepRecord[];
  /** Index into steps of the step that ended the shift without promotion. */
  failedStep?: number;
  /** One line: what ended it (for the log, setFailed and the summary's headline). */
  reason: string;
  /** The deployment someone else made, when that stopped the shift. */
  changedBy?: Deployment;
  /** Set when putting stable back failed: stable may not be serving. */
  restoreError?: string;
}

class ChangedElsewhere extends Error {
  constructor(readonly deployment: Deployment) {
    super(`the deployment was changed by someone else: ${describeDeployment(deployment)}`);
  }
}

/** Everything the step and windows measured in one source, for the timeline's step totals. */
export function stepTotals(step: StepRecord, source: MetricSource, version: 'canary' | 'stable'): VersionMeasure | null {
  const present = step.windows.flatMap((w) => w.measures.flatMap((m) => (m.source !== source || 'error' in m || !m[version] ? [] : [m[version]])));
  if (present.length === 0) return null;
  const worst = (pick: (m: VersionMeasure) => number | null) =>
    present.reduce<number | null>((max, m) => {
      const value = pick(m);
      return value === null ? max : max === null ? value : Math.max(max, value);
    }, null);
  return {
    samples: present.reduce((sum, m) => sum + m.samples, 0),
    errors: present.reduce((sum, m) => sum + m.errors, 0),
    // Quantiles of separate windows do not add up: the step shows its worst window's.
    p50Ms: worst((m) => m.p50Ms),
    p95Ms: worst((m) => m.p95Ms)
  };
}

export async function runShift(config: ShiftConfig, hooks: ShiftHooks): Promise<ShiftOutcome> {
  const { provider, log } = hooks;
  const steps: StepRecord[] = [];
  let lastSplit: VersionShare[] = config.initial.versions;
  let percentage = config.initial.versions.find((s) => s.versionId === config.canary)?.percentage ?? 0;
  const save = (finished: boolean, pending?: VersionShare[]) =>
    hooks.saveState({ canary: config.canary, stable: config.stable, split: lastSplit, ...(pending ? { pending } : {}), finished, autoRollback: config.autoRollback });

  /** Reads the deployment again; someone else's change stops everything untouched. */
  const ensureUnchanged = async () => {
    const current = await provider.currentDeployment();
    if (!sameSplit(current.versions, lastSplit)) throw new ChangedElsewhere(current);
  };

  const end = (outcome: Omit<ShiftOutcome, 'steps' | 'finalPercentage'>): ShiftOutcome => {
    // A stable that could not be restored stays the post step's to restore.
    save(outcome.restoreError === undefined);
    return { ...outcome, steps, finalPercentage: percentage };
  };

  /** Ends a step that did not pass: stable back at 100 % (unless auto-rollback is off). */
  const abandon = async (result: 'rolled-back' | 'inconclusive', reason: string, writing?: VersionShare[]): Promise<ShiftOutcome> => {
    const failedStep = steps.length - 1;
    if (!config.autoRollback) {
      log(`${reason}; auto-rollback is off, so the split stays: ${describeSplit(lastSplit)}`);
      return end({ result: 'stopped', failedStep, reason: `${reason}; auto-rollback is off, the split was left as it is` });
    }
    // A write that failed may still have been applied: its split is ours too.
    const restored = await restoreStable(config, hooks, writing ? [lastSplit, writing] : [lastSplit]);
    if (restored.changedBy) return end({ result: 'stopped', failedStep, reason: `${reason}; then ${restored.error}`, changedBy: restored.changedBy });
    if (restored.error) return end({ result, failedStep, reason, restoreError: restored.error });
    lastSplit = restored.split;
    percentage = 0;
    return end({ result, failedStep, reason });
  };

  for (const planned of config.plan) {
    const startedAt = new Date();
    const record: StepRecord = { percentage: planned.percentage, startedAt: startedAt.toISOString(), endedAt: '', verdict: 'passed', reason: '', windows: [] };
    steps.push(record);
    const finish = (verdict: StepVerdict, reason: string) => {
      record.verdict = verdict;
      record.reason = reason;
      record.endedAt = new Date().toISOString();
    };
    if (hooks.cancel.aborted) {
      finish('cancelled', 'the job was cancelled');
      return abandon('rolled-back', `the job was cancelled before the ${planned.percentage} % step`);
    }

    const split = splitFor(config.canary, config.stable, planned.percentage);
    try {
      await ensureUnchanged();
      if (!sameSplit(split, lastSplit) || planned.percentage === 0) {
        log(`Step ${planned.percentage} %: serving ${describeSplit(split)}`);
        save(false, split);
        const served = await provider.shift(split, config.message(planned.percentage));
        lastSplit = served.versions.length > 0 ? served.versions : split;
        percentage = planned.percentage;
        save(false);
      }
    } catch (error) {
      if (error instanceof ChangedElsewhere) {
        finish('stopped', error.message);
        log(`Stopped untouched: ${error.message}`);
        return end({ result: 'stopped', failedStep: steps.length - 1, reason: `stopped without touching it: ${error.message}`, changedBy: error.deployment });
      }
      finish('error', `the shift to ${planned.percentage} % failed: ${(error as Error).message}`);
      return abandon('rolled-back', record.reason, split);
    }

    // The smoke-test runs once, at the first step: at 0 % before any user reaches the canary, else
    // while the first users do.
    if (steps.length === 1 && hooks.smoke) {
      const smoke = await hooks.smoke(hooks.cancel);
      log(`Step ${planned.percentage} %: smoke-test ${smoke.ok ? 'passed' : `failed: ${smoke.reason}`}`);
      if (!smoke.ok) {
        finish('failed', `smoke-test against the canary failed: ${smoke.reason}`);
        return abandon('rolled-back', `the ${planned.percentage} % step failed: ${record.reason}`);
      }
      if (hooks.cancel.aborted) {
        finish('cancelled', 'the job was cancelled');
        return abandon('rolled-back', `the job was cancelled during the ${planned.percentage} % step`);
      }
    }

    if (planned.windows > 0) {
      const analysis = await hooks.analysis.startStep(planned.percentage);
      try {
        for (let index = 0; index < planned.windows; index++) {
          const window = await analysis.next(hooks.cancel);
          if (hooks.cancel.aborted) break;
          const judgement = judgeWindow(window.measures, config.thresholds);
          record.windows.push({ start: window.start.toISOString(), end: window.end.toISOString(), ...judgement, measures: window.measures });
          log(`Step ${planned.percentage} %, window ${index + 1}/${planned.windows} (${formatDuration(window.end.getTime() - window.start.getTime())}): ${judgement.verdict}: ${judgement.reasons.join('; ')}`);
          const decision = decideStep(
            record.windows.map((w) => w.verdict),
            config.failureLimit
          );
          if (decision !== 'continue') {
            const counted = record.windows.filter((w) => w.verdict === 'failed' || w.verdict === 'error').length;
            const limit = decision === 'inconclusive' ? '' : ` (${counted} failed ${counted === 1 ? 'window' : 'windows'}, failure-limit ${config.failureLimit})`;
            finish(decision, `${judgement.reasons.join('; ')}${limit}`);
            return abandon(decision === 'inconclusive' ? 'inconclusive' : 'rolled-back', `the ${planned.percentage} % step ${decision === 'inconclusive' ? 'was inconclusive' : 'failed'}: ${record.reason}`);
          }
        }
      } finally {
        await analysis.stop();
      }
      if (hooks.cancel.aborted) {
        finish('cancelled', 'the job was cancelled');
        return abandon('rolled-back', `the job was cancelled during the ${planned.percentage} % step`);
      }
    }
    const passedWindows = record.windows.length;
    finish('passed', passedWindows === 0 ? 'served; not judged (no bake at this step)' : `${passedWindows} of ${passedWindows} ${passedWindows === 1 ? 'window' : 'windows'} passed`);
  }
  return end({ result: 'promoted', reason: `${config.canary} serves 100 %` });
}

export interface RestoreOutcome {
  split: VersionShare[];
  /** Why stable could not be restored (the rollback and the plain shift both failed). */
  error?: string;
  /** Set when the deployment had been changed by someone else: nothing was written. */
  changedBy?: Deployment;
  /** Stable serves 100 % alone now (whoever made it so). */
  stableAlone?: boolean;
}

/**
 * Serves stable at 100 % again, unless the deployment is no longer the one this action made.
 * The provider's rollback first (Cloudflare records it as a rollback; a command provider runs the
 * user's rollback-command); when that refuses, a plain shift of stable to 100 %.
 */
export async function restoreStable(
  config: Pick<ShiftConfig, 'canary' | 'stable'>,
  hooks: Pick<ShiftHooks, 'provider' | 'log' | 'warn' | 'saveState'> & { autoRollback?: boolean },
  /** The splits this action may have left serving: the last it wrote (and one it was writing). */
  ours: ReadonlyArray<readonly VersionShare[]>
): Promise<RestoreOutcome> {
  const lastSplit = ours[0] ?? [];
  const { provider } = hooks;
  const target = [{ versionId: config.stable, percentage: 100 }];
  let current: Deployment;
  try {
    current = await provider.currentDeployment();
  } catch (error) {
    current = { id: '', createdOn: '', versions: [...lastSplit] };
    hooks.warn(`could not read the current deployment before restoring ${config.stable}: ${(error as Error).message}; restoring anyway`);
  }
  // Exactly stable alone: a canary left in at 0 % could still be reached by the override header.
  const stableAlone = current.versions.length === 1 && current.versions[0]!.versionId === config.stable && current.versions[0]!.percentage === 100;
  if (!ours.some((split) => sameSplit(current.versions, split))) {
    // Someone else's deployment, even one serving stable alone, is theirs: nothing is written over it.
    const line = `the deployment was changed by someone else: ${describeDeployment(current)}; ${stableAlone ? `it serves stable ${config.stable} alone already` : 'stable was not restored over it'}`;
    hooks.warn(line);
    return { split: current.versions, error: line, changedBy: current, stableAlone };
  }
  if (stableAlone) return { split: target, stableAlone };
  const message = `canary-shift: ${config.stable} back at 100 % (canary ${config.canary} rolled back)`;
  hooks.log(`Restoring ${config.stable} at 100 %`);
  const save = (split: VersionShare[]) => hooks.saveState({ canary: config.canary, stable: config.stable, split, finished: true, autoRollback: hooks.autoRollback ?? true });
  try {
    const deployment = await provider.rollback(config.stable, { message, force: false });
    save(target);
    return { split: deployment.versions.length > 0 ? deployment.versions : target };
  } catch (rollbackError) {
    hooks.warn(`rollback to ${config.stable} failed (${(rollbackError as Error).message}); serving it at 100 % with a plain deployment instead`);
    try {
      const deployment = await provider.shift(target, message);
      save(target);
      return { split: deployment.versions.length > 0 ? deployment.versions : target };
    } catch (shiftError) {
      return { split: [...lastSplit], error: `stable ${config.stable} could not be restored: rollback: ${(rollbackError as Error).message}; deploy: ${(shiftError as Error).message}` };
    }
  }
}
