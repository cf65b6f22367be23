// canary-shift's GitHub side, loaded only with github-environment: the canary recorded as a GitHub
// deployment when the shift starts, and its result when it ends. A record that cannot be written is
// a warning: GitHub never changes the shift.
import { githubClient, recordDeployment, runRepository, runUrl, setDeploymentStatus, type DeploymentState, type RecordedDeployment } from '@deploy-actions/github';
import type { ShiftResult } from './shift.js';

export interface CanaryRecord {
  finish(result: ShiftResult | 'error', reason: string): Promise<void>;
}

/** promoted: the version is good; rolled back or inconclusive: it is not; stopped (or the step erred): the deploy's own trouble. */
const STATE: Record<ShiftResult | 'error', DeploymentState> = { promoted: 'success', 'rolled-back': 'failure', inconclusive: 'failure', stopped: 'error', error: 'error' };

export async function startRecord(
  settings: { token: string; environment: string },
  deployed: { provider: string; worker: string; canary: string; stable: string },
  hooks: { log(line: string): void; warn(line: string): void },
  env: NodeJS.ProcessEnv = process.env
): Promise<CanaryRecord> {
  let record: RecordedDeployment | undefined;
  const client = githubClient({ token: settings.token });
  const logUrl = runUrl(env);
  try {
    const repository = runRepository(env);
    if (!repository) throw new Error('GITHUB_REPOSITORY is not set');
    record = await recordDeployment(client, {
      repository,
      environment: settings.environment,
      sha: env.GITHUB_SHA ?? '',
      payload: { provider: deployed.provider, worker: deployed.worker, versionId: deployed.canary },
      description: `canary ${deployed.canary} over stable ${deployed.stable}`,
      ...(logUrl ? { logUrl } : {})
    });
    hooks.log(`Recorded as GitHub deployment ${record.id} in ${settings.environment}`);
  } catch (error) {
    hooks.warn(`the canary was not recorded on GitHub: ${(error as Error).message}`);
  }
  return {
    async finish(result, reason) {
      if (!record) return;
      try {
        await setDeploymentStatus(client, record, STATE[result], `${result}: ${reason}`);
      } catch (error) {
        hooks.warn(`the canary's GitHub deployment ${record.id} was not settled: ${(error as Error).message}`);
      }
    }
  };
}
