// What the platform bed knows: every app (a Lambda function, a Vercel project, a Shuttle project) with
// its versions and the split it serves now, and every database with its migrations and backups. The
// command handlers (aws.ts, vercel.ts, shuttle.ts, db.ts) change it; the data plane (bed.ts) reads it.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Platform = 'aws' | 'vercel' | 'shuttle';
export const PLATFORMS: readonly Platform[] = ['aws', 'vercel', 'shuttle'];

/** A deployed folder's `platform-app.json`: how its version answers on the data plane. */
export interface AppBehaviour {
  label: string;
  /** 0–100, to a tenth: exactly that share of requests fails (500), spread evenly. */
  failPercent: number;
  /** Added before answering. */
  latencyMs: number;
}

export interface AppVersion extends AppBehaviour {
  /** The platform's name for it: `3` (Lambda), `dpl_…` (Vercel), `depl_…` (Shuttle). */
  id: string;
  createdOn: string;
  /** The folder it was deployed from. */
  source: string;
  /** Platform specifics shown in state(): Vercel's target, Shuttle's redeploy origin … */
  meta: Record<string, string>;
  /** Requests the data plane sent it (failure spreading counts these). */
  served: number;
}

export interface Share {
  version: string;
  percentage: number;
}

export interface AppEvent {
  at: string;
  /** What changed it, in the CLI's words: `update-alias live`, `promote`, `deploy` … */
  action: string;
  /** The split served after it. */
  split: Share[];
}

export interface App {
  platform: Platform;
  name: string;
  versions: AppVersion[];
  /** What the data plane serves now; empty when nothing is live. */
  split: Share[];
  history: AppEvent[];
  /** Lambda aliases by name (`live` is the one the data plane routes through). */
  aliases: Record<string, LambdaAlias>;
  /** Vercel: production deployments in the order they became current (last = current). */
  productionHistory: string[];
}

export interface LambdaAlias {
  name: string;
  functionVersion: string;
  /** Version → weight (0–1) of the one further version, as AWS's RoutingConfig. */
  additionalVersionWeights: Record<string, number>;
  description: string;
  revisionId: string;
}

export interface AppliedMigration {
  id: string;
  file: string;
  appliedAt: string;
}

export interface Backup {
  id: string;
  database: string;
  label: string;
  createdOn: string;
  migrations: AppliedMigration[];
}

export interface DatabaseEvent {
  at: string;
  action: string;
  /** The newest applied migration after it, `0000` for none. */
  version: string;
}

export interface Database {
  name: string;
  migrations: AppliedMigration[];
  backups: Backup[];
  history: DatabaseEvent[];
}

/** A call the tool refuses: what it prints on stderr and the exit code it ends with. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly stderr: string;

  constructor(exitCode: number, stderr: string) {
    super(stderr);
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

const BEHAVIOUR_FILE = 'platform-app.json';

/** The deploy folder's platform-app.json; a CliError (as `tool` would say it) when missing or wrong. */
export function readBehaviour(dir: string, fail: (message: string) => CliError): AppBehaviour & { name?: string } {
  const file = join(dir, BEHAVIOUR_FILE);
  if (!existsSync(file)) throw fail(`no ${BEHAVIOUR_FILE} in ${dir}: nothing to deploy`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw fail(`${file} is not JSON: ${(error as Error).message}`);
  }
  const record = (parsed ?? {}) as Record<string, unknown>;
  const label = record.label ?? 'unlabelled';
  const failPercent = record.failPercent ?? 0;
  const latencyMs = record.latencyMs ?? 0;
  if (typeof label !== 'string') throw fail(`${file}: label must be a string`);
  if (!isFailPercent(failPercent)) throw fail(`${file}: failPercent must be a number from 0 to 100`);
  if (typeof latencyMs !== 'number' || !Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 60_000) throw fail(`${file}: latencyMs must be a whole number of milliseconds up to 60000`);
  const name = typeof record.name === 'string' ? record.name : undefined;
  return { label, failPercent, latencyMs, ...(name ? { name } : {}) };
}

/** A share of requests to fail, in percent: a number from 0 to 100. */
export function isFailPercent(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 100;
}

/** Whether the n-th request (from 1) is one of the failing share; per mille so 5.5 % is exact. */
export function failsAt(n: number, failPercent: number): boolean {
  const perMille = Math.round(failPercent * 10);
  return perMille > 0 && Math.floor((n * perMille) / 1000) > Math.floor(((n - 1) * perMille) / 1000);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Smooth weighted round-robin (nginx's): each request adds every version's weight to its credit and
 * picks the highest, which then pays the total. Over any run of `total` consecutive requests every
 * version gets exactly its share (200 requests at 25 % reach the canary exactly 50 times), and the
 * picks are spread evenly rather than in blocks. Weights are in hundredths of a percent, reduced.
 */
class WeightedRoundRobin {
  private key = '';
  private credits: number[] = [];
  private weights: number[] = [];
  private total = 0;

  pick(split: readonly Share[]): string | undefined {
    const key = JSON.stringify(split);
    if (key !== this.key) {
      this.key = key;
      const raw = split.map((share) => Math.round(share.percentage * 100));
      const divisor = raw.reduce((a, b) => gcd(a, b), 0) || 1;
      this.weights = raw.map((w) => w / divisor);
      this.total = this.weights.reduce((a, b) => a + b, 0);
      this.credits = split.map(() => 0);
    }
    if (this.total === 0) return undefined;
    let best = 0;
    for (let i = 0; i < this.weights.length; i++) {
      this.credits[i]! += this.weights[i]!;
      if (this.credits[i]! > this.credits[best]!) best = i;
    }
    this.credits[best]! -= this.total;
    return split[best]!.version;
  }
}

export class PlatformStore {
  readonly apps = new Map<string, App>();
  readonly databases = new Map<string, Database>();
  private readonly pickers = new Map<string, WeightedRoundRobin>();
  private counter = 0;

  /** A short unique suffix for ids: increasing, so ids sort in creation order. */
  nextSerial(): string {
    this.counter += 1;
    return this.counter.toString(36).padStart(6, '0');
  }

  app(platform: Platform, name: string): App | undefined {
    return this.apps.get(`${platform}/${name}`);
  }

  appOrCreate(platform: Platform, name: string): App {
    const existing = this.app(platform, name);
    if (existing) return existing;
    const created: App = { platform, name, versions: [], split: [], history: [], aliases: {}, productionHistory: [] };
    this.apps.set(`${platform}/${name}`, created);
    return created;
  }

  addVersion(app: App, id: string, behaviour: AppBehaviour, source: string, meta: Record<string, string> = {}): AppVersion {
    const version: AppVersion = { id, label: behaviour.label, failPercent: behaviour.failPercent, latencyMs: behaviour.latencyMs, createdOn: new Date().toISOString(), source, meta, served: 0 };
    app.versions.push(version);
    return version;
  }

  /** Serves `split` from now on and records why. */
  setSplit(app: App, split: Share[], action: string): void {
    app.split = split.filter((share) => share.percentage > 0);
    app.history.push({ at: new Date().toISOString(), action, split: app.split.map((share) => ({ ...share })) });
  }

  /** The version the next request to `app` reaches, by the current split. */
  route(app: App): AppVersion | undefined {
    const key = `${app.platform}/${app.name}`;
    let picker = this.pickers.get(key);
    if (!picker) this.pickers.set(key, (picker = new WeightedRoundRobin()));
    const id = picker.pick(app.split);
    return id === undefined ? undefined : app.versions.find((version) => version.id === id);
  }

  database(name: string): Database {
    let database = this.databases.get(name);
    if (!database) this.databases.set(name, (database = { name, migrations: [], backups: [], history: [] }));
    return database;
  }

  /** A deep copy of everything, for tests to read without reaching into live state. */
  snapshot(): PlatformState {
    return structuredClone({
      apps: [...this.apps.values()].map(({ platform, name, versions, split, history, aliases }) => ({ platform, name, versions, split, history, aliases })),
      databases: [...this.databases.values()]
    });
  }
}

export interface PlatformState {
  apps: Array<Pick<App, 'platform' | 'name' | 'versions' | 'split' | 'history' | 'aliases'>>;
  databases: Database[];
}
