// The rollback's GitHub side, loaded only with github-environment: to: last-good read from the
// environment's deployment records, and the rollback recorded there (what it left, and why). A
// record that cannot be written is a warning: GitHub never holds a rollback back.
import { findLastKnownGood, githubClient, recordDeployment, runRepository, runUrl, setDeploymentStatus, type RecordedDeployment } from '@deploy-actions/github';
import type { GitHubRecordInputs } from './inputs.js';
import type { LastGoodAnswer, LastGoodQuery, WorkerOutcome, WorkerPlan } from './rollback.js';
import { TargetError } from './target.js';
import type { Verified } from './summary.js';

export interface RollbackRecords {
  lastGood(query: LastGoodQuery): Promise<LastGoodAnswer>;
  /** Records each Worker rolled back (or that failed to be), then settles it once verification has spoken. */
  record(plans: readonly WorkerPlan[], outcomes: readonly WorkerOutcome[], message: string): Promise<void>;
  settle(verified: Verified): Promise<void>;
}

export function openGitHub(settings: GitHubRecordInputs, hooks: { log(line: string): void; warn(line: string): void }, env: NodeJS.ProcessEnv = process.env): RollbackRecords {
  const repository = runRepository(env);
  if (!repository) throw new Error('GITHUB_REPOSITORY is not set: there is no repository to record the deployment in');
  const client = githubClient({ token: settings.token });
  const { environment } = settings;
  const logUrl = runUrl(env);
  const pending: Array<{ record: RecordedDeployment; worker: string; to: string }> = [];

  return {
    async lastGood({ worker, currentVersionId, isDeployable }) {
      const result = await findLastKnownGood(client, { repository, environment, worker, provider: settings.provider, currentVersionId, isDeployable });
      hooks.log(`${worker}: read ${result.examined} deployment records of ${environment} in ${result.calls} GitHub calls`);
      if (!result.found) {
        const reasons = [...new Set(result.skipped.map((skipped) => skipped.reason))].slice(0, 4).join('; ');
        throw new TargetError(`no deployment recorded in ${environment} for ${worker} is a known good version other than what serves now${reasons ? ` (passed over: ${reasons})` : ''}`);
      }
      const { found, current } = result;
      return {
        versionId: found.payload.versionId,
        why: `the last known good deployment recorded in ${environment} (GitHub deployment ${found.id}, ${found.createdAt})`,
        sha: found.sha,
        ...(current ? { fromRecordId: current.id } : {})
      };
    },

    async record(plans, outcomes, message) {
      for (const outcome of outcomes) {
        if (outcome.status !== 'rolled-back' && outcome.status !== 'failed') continue;
        const plan = plans.find((candidate) => candidate.worker === outcome.worker)!;
        const fromRecordId = plan.lastGood?.fromRecordId;
        try {
          const record = await recordDeployment(client, {
            repository,
            environment,
            sha: plan.lastGood?.sha ?? env.GITHUB_SHA ?? '',
            payload: {
              provider: settings.provider,
              worker: outcome.worker,
              versionId: outcome.to,
              ...(outcome.from ? { rolledBackFrom: { versionId: outcome.from, ...(fromRecordId ? { deploymentId: fromRecordId } : {}) } } : {}),
              reason: message
            },
            description: `rollback of ${outcome.worker} from ${outcome.from || 'what served'} to ${outcome.to}`,
            ...(logUrl ? { logUrl } : {})
          });
          hooks.log(`${outcome.worker}: recorded as GitHub deployment ${record.id} in ${environment}`);
          if (outcome.status === 'failed') await setDeploymentStatus(client, record, 'failure', `rollback failed: ${outcome.error?.message ?? ''}`);
          else pending.push({ record, worker: outcome.worker, to: outcome.to });
          // The version left is judged: its own record says so too.
          if (outcome.status === 'rolled-back' && fromRecordId) {
            await setDeploymentStatus(client, { repository, id: fromRecordId, ...(logUrl ? { logUrl } : {}) }, 'failure', `rolled back to ${outcome.to}: ${message}`);
          }
        } catch (error) {
          hooks.warn(`${outcome.worker}: the rollback was not recorded on GitHub: ${(error as Error).message}`);
        }
      }
    },

    async settle(verified) {
      for (const { record, worker, to } of pending.splice(0)) {
        try {
          if (verified === 'false') await setDeploymentStatus(client, record, 'failure', `${to} serves, but verification failed`);
          else await setDeploymentStatus(client, record, 'success', verified === 'true' ? `${to} serves 100 %, verified` : `${to} serves 100 %`);
        } catch (error) {
          hooks.warn(`${worker}: the rollback's GitHub deployment ${record.id} was not settled: ${(error as Error).message}`);
        }
      }
    }
  };
}
