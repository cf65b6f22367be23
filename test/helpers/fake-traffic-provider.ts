// An in-memory TrafficProvider: a platform's deployments and versions as data, every call recorded,
// and a failure to answer with on demand. For the unit tests of what canary-shift and rollback decide.
import { ProviderError, type Deployment, type RollbackOptions, type TrafficProvider, type VersionShare, type WorkerVersion } from '@deploy-actions/providers';

export interface FakeState {
  /** Newest first. */
  deployments: Deployment[];
  /** Newest first. */
  versions: WorkerVersion[];
}

export class FakeTrafficProvider implements TrafficProvider {
  readonly description: string;
  readonly calls: string[] = [];
  /** Thrown by the next rollback, if set. */
  rollbackError?: ProviderError;
  private clock: number;

  constructor(
    readonly worker: string,
    readonly state: FakeState,
    /** Every call appends `<worker> <call>` here too, so several fakes share one order. */
    private readonly journal: string[] = []
  ) {
    this.description = `fake Worker ${worker}`;
    this.clock = Math.max(0, ...state.deployments.map((d) => Date.parse(d.createdOn)));
  }

  private note(call: string): void {
    this.calls.push(call);
    this.journal.push(`${this.worker} ${call}`);
  }

  async currentDeployment(): Promise<Deployment> {
    this.note('currentDeployment');
    const current = this.state.deployments[0];
    if (!current) throw new ProviderError(`${this.worker} has no deployment`, 10007);
    return current;
  }

  async listDeployments(): Promise<Deployment[]> {
    this.note('listDeployments');
    return [...this.state.deployments];
  }

  async listVersions(): Promise<WorkerVersion[]> {
    this.note('listVersions');
    return [...this.state.versions];
  }

  async shift(split: VersionShare[], message: string): Promise<Deployment> {
    this.note(`shift ${split.map((s) => `${s.versionId}@${s.percentage}`).join(' ')}`);
    return this.deploy(split, message);
  }

  async rollback(versionId: string, options: RollbackOptions): Promise<Deployment> {
    this.note(`rollback ${versionId}${options.force ? ' --force' : ''}`);
    if (this.rollbackError) throw this.rollbackError;
    return this.deploy([{ versionId, percentage: 100 }], options.message);
  }

  routeTo(): { headers: Array<[string, string]> } {
    return { headers: [] };
  }

  private deploy(versions: VersionShare[], message: string): Deployment {
    this.clock += 60_000;
    const deployment = { id: `${this.worker}-dep-${this.state.deployments.length + 1}`, createdOn: new Date(this.clock).toISOString(), versions, message };
    this.state.deployments.unshift(deployment);
    return deployment;
  }
}

/** Deployments from the oldest to the newest, as `v1`, `v1:95 v2:5`, … one minute apart; returned newest first. */
export function history(...splits: string[]): Deployment[] {
  return splits
    .map((split, i) => ({
      id: `dep-${i + 1}`,
      createdOn: new Date(Date.UTC(2026, 11, 1, 9, i)).toISOString(),
      versions: split.split(' ').map((part) => {
        const [versionId, percentage = '100'] = part.split(':');
        return { versionId: versionId!, percentage: Number(percentage) };
      })
    }))
    .reverse();
}

/** Versions v1 … vN, one minute apart, newest first. */
export function versions(...ids: string[]): WorkerVersion[] {
  return ids.map((id, i) => ({ id, number: i + 1, createdOn: new Date(Date.UTC(2026, 11, 1, 8, i)).toISOString() })).reverse();
}
