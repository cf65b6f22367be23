// An in-memory TrafficProvider for canary-shift's and rollback's logic: deployments and versions in
// arrays, every call recorded, and hooks to make a call fail or to change the deployment "as
// someone else" between calls.
import type { Deployment, RollbackOptions, TimeWindow, TrafficProvider, VersionRoute, VersionShare, VersionTraffic, WorkerVersion } from '@deploy-actions/providers';

export class FakeTrafficProvider implements TrafficProvider {
  readonly description = 'fake provider';
  /** Oldest first; the last serves. */
  readonly deployments: Deployment[] = [];
  /** Oldest first. */
  readonly versions: WorkerVersion[] = [];
  readonly calls: string[] = [];
  /** Called before a shift or rollback is applied; an Error returned is thrown instead. */
  refuse?: (call: 'shift' | 'rollback', split: VersionShare[]) => Error | undefined;
  /** Called after every write, e.g. to let someone else deploy. */
  afterWrite?: (deployment: Deployment) => void;
  trafficAnswer?: (ids: readonly string[], window: TimeWindow) => Promise<Map<string, VersionTraffic>>;
  private next = 1;

  constructor(versionIds: readonly string[], serving: readonly VersionShare[]) {
    versionIds.forEach((id, i) => this.versions.push({ id, number: i + 1, createdOn: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() }));
    this.deploy(serving, 'initial', 'someone@example.com');
  }

  /** A deployment as anyone would make it (not recorded as a call of the action). */
  deploy(versions: readonly VersionShare[], message: string, author = 'canary-shift'): Deployment {
    const deployment: Deployment = { id: `dep-${this.next++}`, createdOn: new Date().toISOString(), versions: versions.map((v) => ({ ...v })), message, author };
    this.deployments.push(deployment);
    return deployment;
  }

  get current(): Deployment {
    return this.deployments.at(-1)!;
  }

  async currentDeployment(): Promise<Deployment> {
    this.calls.push('currentDeployment');
    return structuredClone(this.current);
  }

  async listDeployments(): Promise<Deployment[]> {
    this.calls.push('listDeployments');
    return structuredClone([...this.deployments].reverse());
  }

  async listVersions(): Promise<WorkerVersion[]> {
    this.calls.push('listVersions');
    return structuredClone([...this.versions].reverse());
  }

  async shift(split: VersionShare[], message: string): Promise<Deployment> {
    this.calls.push(`shift ${split.map((s) => `${s.versionId}@${s.percentage}`).join(' ')}`);
    const refused = this.refuse?.('shift', split);
    if (refused) throw refused;
    const deployment = this.deploy(split, message);
    this.afterWrite?.(deployment);
    return structuredClone(deployment);
  }

  async rollback(versionId: string, options: RollbackOptions): Promise<Deployment> {
    this.calls.push(`rollback ${versionId}`);
    const split = [{ versionId, percentage: 100 }];
    const refused = this.refuse?.('rollback', split);
    if (refused) throw refused;
    const deployment = this.deploy(split, options.message);
    this.afterWrite?.(deployment);
    return structuredClone(deployment);
  }

  async upload(): Promise<WorkerVersion> {
    this.calls.push('upload');
    const version = { id: `v${this.versions.length + 1}`, number: this.versions.length + 1, createdOn: new Date().toISOString() };
    this.versions.push(version);
    return version;
  }

  routeTo(versionId: string): VersionRoute {
    return { headers: [['X-Version', versionId]] };
  }

  async traffic(ids: readonly string[], window: TimeWindow): Promise<Map<string, VersionTraffic>> {
    this.calls.push('traffic');
    if (!this.trafficAnswer) return new Map();
    return this.trafficAnswer(ids, window);
  }

  /** The writes the action made, in order: `shift v2@5 v1@95`, `rollback v1`. */
  get writes(): string[] {
    return this.calls.filter((c) => c.startsWith('shift') || c.startsWith('rollback'));
  }
}
