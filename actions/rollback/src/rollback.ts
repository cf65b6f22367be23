// Rolls back Workers in the order given. Everything is read first, for every Worker, so a target
// that cannot be found stops the run before anything changes; then each Worker is rolled back in
// turn, and the first failure stops the ones after it (the order is there because they depend on
// the ones before).
import { performance } from 'node:perf_hooks';
import { ProviderError, type Deployment, type TrafficProvider, type VersionShare } from '@deploy-actions/providers';
import { describeSplit, resolveTarget, rolledBackFrom, type ResolvedTarget, type RollbackTarget } from './target.js';

export interface WorkerPlan {
  worker: string;
  provider: TrafficProvider;
  /** What serves now. */
  current: Deployment;
  target: ResolvedTarget;
  /** The version left behind (see rolledBackFrom). */
  from: string;
}

export type WorkerStatus = 'rolled-back' | 'already-serving' | 'failed' | 'not-attempted';

export interface WorkerOutcome {
  worker: string;
  status: WorkerStatus;
  /** What served before. */
  before: VersionShare[];
  from: string;
  to: string;
  /** The deployment serving the target (the rollback's, or the current one when nothing changed). */
  deploymentId?: string;
  durationMs: number;
  error?: Error;
}

export interface PlanFailure {
  worker: string;
  error: Error;
}

export interface PlanOptions {
  /**
   * The provider cannot say what serves now (the command provider without status-command): only a
   * version id can be the target, and `leaving` (if known) is what the rollback leaves.
   */
  blind?: { leaving?: string };
}

/** Nothing known of what serves now. */
const UNKNOWN: Deployment = { id: '', createdOn: '', versions: [] };

/** What to read of a Worker to find its target: only what the rule needs, in parallel. */
export async function planWorker(worker: string, provider: TrafficProvider, target: RollbackTarget, options: PlanOptions = {}): Promise<WorkerPlan> {
  if (options.blind) {
    if (target.kind !== 'version') throw new Error(`to: ${target.kind} needs to know what serves now, which ${provider.description} cannot tell`);
    const resolved = { versionId: target.id, why: 'the version asked for (what serves now is not known)', alreadyServing: false };
    return { worker, provider, current: UNKNOWN, target: resolved, from: options.blind.leaving ?? '' };
  }
  // The history's newest deployment is the one serving: where the history is read, it says both in
  // one call (one wrangler run fewer, the most of a rollback's time).
  const needsHistory = target.kind !== 'version';
  const [deployments, versions, serving] = await Promise.all([
    needsHistory ? provider.listDeployments() : Promise.resolve([]),
    target.kind === 'previous' ? Promise.resolve([]) : provider.listVersions(),
    needsHistory ? Promise.resolve(undefined) : provider.currentDeployment()
  ]);
  const current = serving ?? deployments[0];
  if (!current) throw new Error(`${provider.description} has no deployment: there is nothing to roll back from`);
  const resolved = resolveTarget(target, current, deployments, versions);
  return { worker, provider, current, target: resolved, from: rolledBackFrom(current, resolved.versionId) };
}

/** Plans every Worker; the plans in the order given, or every Worker whose plan failed. */
export async function planWorkers(
  workers: ReadonlyArray<{ worker: string; provider: TrafficProvider }>,
  target: RollbackTarget,
  options: PlanOptions = {}
): Promise<{ plans: WorkerPlan[]; failures: PlanFailure[] }> {
  const settled = await Promise.allSettled(workers.map(({ worker, provider }) => planWorker(worker, provider, target, options)));
  const plans: WorkerPlan[] = [];
  const failures: PlanFailure[] = [];
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') plans.push(result.value);
    else failures.push({ worker: workers[i]!.worker, error: asError(result.reason) });
  });
  return { plans, failures };
}

export interface ExecuteOptions {
  message: string;
  force: boolean;
  log?: (line: string) => void;
  /** Aborted when the job is cancelled: the Worker being rolled back finishes, the ones after it are not attempted. */
  signal?: AbortSignal;
}

export async function executePlans(plans: readonly WorkerPlan[], options: ExecuteOptions): Promise<WorkerOutcome[]> {
  const outcomes: WorkerOutcome[] = [];
  let stopped = false;
  for (const plan of plans) {
    const base = { worker: plan.worker, before: plan.current.versions, from: plan.from, to: plan.target.versionId };
    if (stopped || options.signal?.aborted) {
      outcomes.push({ ...base, status: 'not-attempted', durationMs: 0 });
      continue;
    }
    if (plan.target.alreadyServing) {
      options.log?.(`${plan.worker}: ${plan.target.versionId} already serves 100 %; nothing to change`);
      outcomes.push({ ...base, status: 'already-serving', deploymentId: plan.current.id, durationMs: 0 });
      continue;
    }
    options.log?.(`${plan.worker}: rolling back from ${describeSplit(plan.current.versions) || 'what serves now'} to ${plan.target.versionId}`);
    const started = performance.now();
    try {
      const deployment = await plan.provider.rollback(plan.target.versionId, { message: options.message, force: options.force });
      const serving = deployment.versions;
      if (serving.length !== 1 || serving[0]!.versionId !== plan.target.versionId || serving[0]!.percentage !== 100) {
        throw new Error(`after the rollback the platform reports ${describeSplit(serving)} serving, not ${plan.target.versionId} at 100 %`);
      }
      const durationMs = Math.round(performance.now() - started);
      options.log?.(`${plan.worker}: ${plan.target.versionId} serves 100 % (deployment ${deployment.id}) after ${durationMs} ms`);
      outcomes.push({ ...base, status: 'rolled-back', deploymentId: deployment.id, durationMs });
    } catch (error) {
      stopped = true;
      outcomes.push({ ...base, status: 'failed', durationMs: Math.round(performance.now() - started), error: asError(error) });
    }
  }
  return outcomes;
}

/**
 * Why a Worker could not be rolled back, in one line: the platform's code and words (never a bare
 * exit code; the provider's message carries them, and for changed secrets their names and what to do).
 */
export function describeError(error: Error): string {
  if (error instanceof ProviderError && error.code !== undefined && !error.message.includes(String(error.code))) return `${error.message} (code ${error.code})`;
  return error.message;
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
