// An in-memory TrafficProvider for the unit tests of what canary-shift and rollback decide: a
// platform's deployments and versions as data, every call recorded, a hook to make a write fail and
// one to change the deployment "as someone else" between calls. Times come from a clock one minute
// per event past the newest given, so every run sees the same order.
import { ProviderError, type Deployment, type RollbackOptions, type TimeWindow, type TrafficProvider, type VersionRoute, type VersionShare, type VersionTraffic, type WorkerVersion } from '@deploy-actions/providers';

export interface FakeState {
  /** Newest first: the first serves. */
  deployments: Deployment[];
  /** Newest first. */
  versions: WorkerVersion[];
}

export interface FakeOptions {
  /** Names the fake in its description and its deployments' ids (`<worker>-dep-3`). */
  worker?: string;
  /** Every call appends `<worker> <call>` here too, so several fakes share one order. */
  journal?: string[];
}

export class FakeTrafficProvider implements TrafficProvider {
  readonly description: string;
  readonly calls: string[] = [];
  /** Called before a shift or rollback is applied; an Error returned is thrown instead. */
  refuse?: (call: 'shift' | 'rollback', split: VersionShare[]) => Error | undefined;
  /** Called after every write, e.g. to let someone else deploy. */
  afterWrite?: (deployment: Deployment) => void;
  trafficAnswer?: (ids: readonly string[], window: TimeWindow) => Promise<Map<string, VersionTraffic>>;
  private clock: number;

  constructor(
    readonly state: FakeState,
    private readonly options: FakeOptions = {}
  ) {
    this.description = options.worker ? `fake Worker ${options.worker}` : 'fake provider';
    this.clock = Math.max(0, ...[...state.deployments, ...state.versions].map((item) => Date.parse(item.createdOn)));
  }

  /** Versions `ids` (oldest first) and one deployment serving `split`, made by someone@example.com. */
  static serving(ids: readonly string[], split: readonly VersionShare[]): FakeTrafficProvider {
    const fake = new FakeTrafficProvider({ deployments: [], versions: versions(...ids) });
    fake.deploy(split, 'initial', 'someone@example.com');
    return fake;
  }

  /** What serves now. */
  get current(): Deployment {
    return this.state.deployments[0]!;
  }

  /** A deployment as anyone would make it (not recorded as a call of the action). */
  deploy(split: readonly VersionShare[], message: string, author = 'canary-shift'): Deployment {
    const prefix = this.options.worker ? `${this.options.worker}-` : '';
    const deployment: Deployment = { id: `${prefix}dep-${this.state.deployments.length + 1}`, createdOn: this.tick(), versions: split.map((v) => ({ ...v })), message, author };
    this.state.deployments.unshift(deployment);
    return deployment;
  }

  async currentDeployment(): Promise<Deployment> {
    this.note('currentDeployment');
    const current = this.state.deployments[0];
    if (!current) throw new ProviderError(`${this.options.worker ?? 'the Worker'} has no deployment`, 10007);
    return structuredClone(current);
  }

  async listDeployments(): Promise<Deployment[]> {
    this.note('listDeployments');
    return structuredClone(this.state.deployments);
  }

  async listVersions(): Promise<WorkerVersion[]> {
    this.note('listVersions');
    return structuredClone(this.state.versions);
  }

  async shift(split: VersionShare[], message: string): Promise<Deployment> {
    this.note(`shift ${split.map((s) => `${s.versionId}@${s.percentage}`).join(' ')}`);
    return this.write('shift', split, message);
  }

  async rollback(versionId: string, options: RollbackOptions): Promise<Deployment> {
    this.note(`rollback ${versionId}${options.force ? ' --force' : ''}`);
    return this.write('rollback', [{ versionId, percentage: 100 }], options.message);
  }

  async upload(): Promise<WorkerVersion> {
    this.note('upload');
    const number = this.state.versions.length + 1;
    const version = { id: `v${number}`, number, createdOn: this.tick() };
    this.state.versions.unshift(version);
    return structuredClone(version);
  }

  routeTo(versionId: string): VersionRoute {
    return { headers: [['X-Version', versionId]] };
  }

  async traffic(ids: readonly string[], window: TimeWindow): Promise<Map<string, VersionTraffic>> {
    this.note('traffic');
    if (!this.trafficAnswer) return new Map();
    return this.trafficAnswer(ids, window);
  }

  /** The writes the action made, in order: `shift v2@5 v1@95`, `rollback v1`. */
  get writes(): string[] {
    return this.calls.filter((c) => c.startsWith('shift') || c.startsWith('rollback'));
  }

  private write(call: 'shift' | 'rollback', split: VersionShare[], message: string): Deployment {
    const refused = this.refuse?.(call, split);
    if (refused) throw refused;
    const deployment = this.deploy(split, message);
    this.afterWrite?.(deployment);
    return structuredClone(deployment);
  }

  private note(call: string): void {
    this.calls.push(call);
    this.options.journal?.push(`${this.options.worker} ${call}`);
  }

  private tick(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
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
