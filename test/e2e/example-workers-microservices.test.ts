// examples/workers-microservices/deploy.yml end to end, as the team's repository runs it on a push:
// five Workers under services/ (database, auth, users, orders, gateway), each with its smoke spec,
// the database's migrations applied through the `db` CLI (the platform bed's stand-in) before the
// database Worker deploys. Real wrangler against the Cloudflare bed, the GitHub stand-in for the
// issues. The tests follow one another on the same repository, as a team's pushes do: each commits
// a change and runs the pipeline on it (`changed-since: HEAD~1`, as a push's `github.event.before`).
// Needs the bundles (`npm run build`).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { job, logs, overview, pipelineWorld } from '../helpers/pipeline-world.js';
import { repoRoot } from '../helpers/run-node.js';
import { startPlatformBed, type PlatformBed } from '../../testbed/platforms/bed.ts';
import type { WorkflowRun } from '@deploy-actions/harness';

const world = pipelineWorld();
const { git, repository, setVars, wranglerDeploy, serving, servedLabel } = world;

const example = join(repoRoot, 'examples/workers-microservices');
const SERVICES = ['database', 'auth', 'users', 'orders', 'gateway'] as const;
type Service = (typeof SERVICES)[number];

let platforms: PlatformBed | undefined;
let root: string;
const dir = (service: Service) => join(root, 'services', service);
const bed = () => {
  if (!platforms) throw new Error('the platform bed is not started');
  return platforms;
};

/** Every Worker's versions and deployments so far, to tell what a run made. */
function counts(): Record<Service, { versions: number; deployments: number }> {
  return Object.fromEntries(
    SERVICES.map((name) => {
      const worker = world.bed.store.worker(name)!;
      return [name, { versions: worker.versions.length, deployments: worker.deployments.length }];
    })
  ) as Record<Service, { versions: number; deployments: number }>;
}

/** When the run first touched `name` (its version's upload) and when it last deployed it, epoch ms. */
function activity(name: Service, before: ReturnType<typeof counts>): { uploaded: number; deployed: number } {
  const worker = world.bed.store.worker(name)!;
  const versions = worker.versions.slice(before[name].versions);
  const deployments = worker.deployments.slice(before[name].deployments);
  if (versions.length === 0 || deployments.length === 0) throw new Error(`${name}: the run made no version or deployment`);
  return { uploaded: Date.parse(versions[0]!.createdOn), deployed: Date.parse(deployments.at(-1)!.createdOn) };
}

/** A team member's change to the services named, committed as one push. */
function push(message: string, changes: Partial<Record<Service, { label: string; failPercent?: number }>>, files: Record<string, string> = {}) {
  for (const [service, vars] of Object.entries(changes)) setVars(dir(service as Service), vars);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(root, path), content);
  git(root, ['add', '-A']);
  git(root, ['commit', '-qm', message]);
}

/** The example's pipeline on the last push, with short canary figures (real ones are its defaults). */
function deploy(label: string): Promise<WorkflowRun> {
  const { env, binDir } = bed();
  return world.run(root, {
    workflow: join(example, 'deploy.yml'),
    event: 'workflow_dispatch',
    inputs: {
      'changed-since': 'HEAD~1',
      'health-url': `${world.bed.routerUrl}/{0}/health`,
      'base-url': `${world.bed.routerUrl}/{0}`,
      steps: '0,50,100',
      bake: '2s',
      interval: '1s',
      'probe-rate': '20',
      'min-samples': '5',
      // Latency is not under test: over a few samples a window's p95 moves by more than 20 % on a
      // loaded machine. The failing version fails on errors.
      'max-latency-increase': '500%'
    },
    secrets: { DATABASE_URL: env.DATABASE_URL! },
    env: { ...env, PATH: `${binDir}:${process.env.PATH ?? ''}` },
    label
  });
}

/** Each job's result by name (legs of the core matrix start in either order). */
const results = (run: WorkflowRun) => Object.fromEntries(overview(run));

beforeAll(async () => {
  platforms = await startPlatformBed();
  root = repository(Object.fromEntries(SERVICES.map((name) => [`services/${name}`, name])));
  // The example's smoke specs and migrations beside each Worker.
  cpSync(join(example, 'services'), join(root, 'services'), { recursive: true });
  git(root, ['add', '-A']);
  git(root, ['commit', '-qm', 'smoke specs and migrations']);
  for (const name of SERVICES) await wranglerDeploy(dir(name));
  // Production as it stands: v1 of every service, the database at its two first migrations.
  // Asynchronously: the platform bed answers the shim from this very process.
  await promisify(execFile)(join(platforms.binDir, 'db'), ['migrate', 'up', '--database', 'shop'], {
    cwd: dir('database'),
    env: { ...process.env, ...platforms.env, PATH: `${platforms.binDir}:${process.env.PATH ?? ''}` },
    timeout: 60_000
  });
}, 300_000);

afterAll(async () => {
  await platforms?.stop();
});

describe('examples/workers-microservices/deploy.yml', () => {
  it('migrates the database first, deploys it, then auth and users in parallel, the gateway last; orders untouched', async () => {
    push('orders get a status; auth and users v2, gateway v2', { database: { label: 'v2' }, auth: { label: 'v2' }, users: { label: 'v2' }, gateway: { label: 'v2' } }, {
      'services/database/migrations/0003_add_order_status.sql': "ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'placed';\n"
    });
    const before = counts();
    const callsBefore = bed().calls().length;
    const result = await deploy('microservices: database, auth, users, gateway');
    expect({ conclusion: result.conclusion, log: result.conclusion === 'success' ? '' : logs(result) }).toEqual({ conclusion: 'success', log: '' });
    expect(results(result)).toEqual({
      'Deploy / Find the changed services': 'success',
      'Deploy / Migrate the database': 'success',
      'Deploy / Database / Deploy database to production': 'success',
      'Deploy / Database / Incident for database in production': 'skipped',
      'Deploy / Core (services/auth, auth) / Deploy auth to production': 'success',
      'Deploy / Core (services/auth, auth) / Incident for auth in production': 'skipped',
      'Deploy / Core (services/users, users) / Deploy users to production': 'success',
      'Deploy / Core (services/users, users) / Incident for users in production': 'skipped',
      'Deploy / Gateway / Deploy gateway to production': 'success',
      'Deploy / Gateway / Incident for gateway in production': 'skipped'
    });
    expect(JSON.parse(job(result, 'Deploy / Find the changed services').outputs.core!)).toEqual([
      { directory: 'services/auth', worker: 'auth' },
      { directory: 'services/users', worker: 'users' }
    ]);

    // The migration: one `db migrate up` in services/database, applying only the new file.
    const calls = bed().calls().slice(callsBefore);
    expect(calls.map((call) => ({ tool: call.tool, argv: call.argv, cwd: call.cwd, exitCode: call.exitCode }))).toEqual([
      { tool: 'db', argv: ['migrate', 'up', '--database', 'shop'], cwd: dir('database'), exitCode: 0 }
    ]);
    expect(calls[0]!.stdout).toContain('applied 0003_add_order_status.sql');
    expect(bed().state().databases.find((d) => d.name === 'shop')!.migrations.map((m) => m.file)).toEqual([
      '0001_create_users.sql',
      '0002_create_orders.sql',
      '0003_add_order_status.sql'
    ]);

    // In order, by the beds' clocks: migrated, then the database Worker uploaded and deployed, then
    // auth and users, then the gateway.
    const migrated = Date.parse(calls[0]!.at);
    const database = activity('database', before);
    const auth = activity('auth', before);
    const users = activity('users', before);
    const gateway = activity('gateway', before);
    expect(migrated).toBeLessThanOrEqual(database.uploaded);
    expect(database.deployed).toBeLessThanOrEqual(Math.min(auth.uploaded, users.uploaded));
    expect(Math.max(auth.deployed, users.deployed)).toBeLessThanOrEqual(gateway.uploaded);
    // auth and users at the same time: each one's deploy job ran while the other's did.
    const authJob = job(result, 'Deploy / Core (services/auth, auth) / Deploy auth to production');
    const usersJob = job(result, 'Deploy / Core (services/users, users) / Deploy users to production');
    expect(authJob.startedAt).toBeLessThan(usersJob.finishedAt);
    expect(usersJob.startedAt).toBeLessThan(authJob.finishedAt);

    // What serves now; orders not touched at all.
    for (const name of ['database', 'auth', 'users', 'gateway'] as const) expect(await servedLabel(name)).toBe('v2');
    expect(await servedLabel('orders')).toBe('v1');
    expect(counts().orders).toEqual(before.orders);

    // Each service's own smoke spec ran against its canary at 0 %, through its own base URL.
    expect(authJob.log.join('\n')).toContain('auth serves sessions');
    expect(usersJob.log.join('\n')).toContain('users serves a profile');
    expect(job(result, 'Deploy / Gateway / Deploy gateway to production').log.join('\n')).toContain('gateway routes the public API');
    expect(authJob.summary).toContain('Canary promoted');

    // One tracking issue per service that went out, none for orders, no incident.
    const issues = world.github.issues();
    expect(issues.map((i) => i.title).sort()).toEqual(
      ['auth', 'database', 'gateway', 'users'].map((name) => expect.stringMatching(new RegExp(`^Deploy ${name} [0-9a-f]{7} to production$`)))
    );
    expect(issues.every((i) => i.state === 'open' && i.labels.includes('deploy'))).toBe(true);
    const authIssue = issues.find((i) => i.title.startsWith('Deploy auth '))!;
    expect(authIssue.body).toContain(`of **auth** serves 100 % of production`);
    // The database's password reached neither the log nor GitHub.
    const password = decodeURIComponent(new URL(bed().env.DATABASE_URL!).password);
    expect(logs(result) + JSON.stringify(issues)).not.toContain(password);
  }, 900_000);

  it('rolls back a failing auth with an incident, promotes orders, and keeps the gateway from deploying', async () => {
    push('auth v3 (broken), orders v2, gateway v3', { auth: { label: 'v3', failPercent: 40 }, orders: { label: 'v2' }, gateway: { label: 'v3' } });
    const before = counts();
    const authStable = serving('auth')[0]![0];
    const callsBefore = bed().calls().length;
    const result = await deploy('microservices: auth fails, orders ships, gateway held');
    expect(result.conclusion).toBe('failure');
    expect(results(result)).toEqual({
      'Deploy / Find the changed services': 'success',
      'Deploy / Migrate the database': 'skipped',
      'Deploy / Database': 'skipped',
      'Deploy / Core (services/auth, auth) / Deploy auth to production': 'failure',
      'Deploy / Core (services/auth, auth) / Incident for auth in production': 'success',
      'Deploy / Core (services/orders, orders) / Deploy orders to production': 'success',
      'Deploy / Core (services/orders, orders) / Incident for orders in production': 'skipped',
      'Deploy / Gateway': 'skipped'
    });

    // auth: its v3 was uploaded, judged and rolled back; v2 serves all of it.
    const authJob = job(result, 'Deploy / Core (services/auth, auth) / Deploy auth to production');
    expect(authJob.outputs.result).toBe('rolled-back');
    const v3 = authJob.outputs.version!;
    expect(v3).not.toBe(authStable);
    expect(counts().auth.versions).toBe(before.auth.versions + 1);
    expect(serving('auth')).toEqual([[authStable, 100]]);
    expect(await servedLabel('auth')).toBe('v2');
    expect(authJob.summary).toContain(`## ❌ Canary rolled back: \`${authStable}\` serves 100 % again`);
    expect(authJob.summary).toContain('### Why: the 0 % step failed');
    // orders went out all the same; the gateway's v3 was not even uploaded; the database not touched.
    expect(await servedLabel('orders')).toBe('v2');
    expect(counts().gateway).toEqual(before.gateway);
    expect(await servedLabel('gateway')).toBe('v2');
    expect(counts().database).toEqual(before.database);
    expect(bed().calls().slice(callsBefore)).toEqual([]);

    // The incident for auth, and the tracking issue for orders.
    const issues = world.github.issues();
    const incidents = issues.filter((i) => i.labels.includes('incident'));
    expect(incidents.map((i) => i.title)).toEqual(['Incident: deploy of auth to production failed']);
    expect(incidents[0]!.body).toContain('ended `rolled-back`');
    expect(incidents[0]!.body).toContain(`Version \`${v3}\` was uploaded; \`${authStable}\` is the version serving.`);
    expect(issues.filter((i) => !i.labels.includes('incident')).map((i) => i.title)).toEqual([expect.stringMatching(/^Deploy orders [0-9a-f]{7} to production$/)]);
  }, 900_000);

  it('deploys the gateway alone when only the gateway changed', async () => {
    push('gateway v4', { gateway: { label: 'v4' } });
    const before = counts();
    const result = await deploy('microservices: the gateway alone');
    expect({ conclusion: result.conclusion, log: result.conclusion === 'success' ? '' : logs(result) }).toEqual({ conclusion: 'success', log: '' });
    expect(results(result)).toEqual({
      'Deploy / Find the changed services': 'success',
      'Deploy / Migrate the database': 'skipped',
      'Deploy / Database': 'skipped',
      'Deploy / Core': 'skipped',
      'Deploy / Gateway / Deploy gateway to production': 'success',
      'Deploy / Gateway / Incident for gateway in production': 'skipped'
    });
    expect(await servedLabel('gateway')).toBe('v4');
    for (const name of ['database', 'auth', 'users', 'orders'] as const) expect(counts()[name]).toEqual(before[name]);
    expect(world.github.issues().map((i) => i.title)).toEqual([expect.stringMatching(/^Deploy gateway [0-9a-f]{7} to production$/)]);
  }, 900_000);

  it('deploys nothing when the migration fails, and opens the database incident', async () => {
    push('orders get a shipping date; users v3', { users: { label: 'v3' } }, {
      'services/database/migrations/0004_add_order_shipped_at.sql': 'ALTER TABLE orders ADD COLUMN shipped_at TIMESTAMPTZ;\n'
    });
    const before = counts();
    bed().failNext('db', 'migrate up');
    const result = await deploy('microservices: the migration fails');
    expect(result.conclusion).toBe('failure');
    expect(results(result)).toEqual({
      'Deploy / Find the changed services': 'success',
      'Deploy / Migrate the database': 'failure',
      'Deploy / Database': 'skipped',
      'Deploy / Core': 'skipped',
      'Deploy / Gateway': 'skipped'
    });
    const migrate = job(result, 'Deploy / Migrate the database');
    expect(migrate.log.join('\n')).toContain('migration 0004_add_order_shipped_at.sql failed');
    // Nothing went out: no Worker got a version, users still serves v2, the database stays at 0003.
    expect(counts()).toEqual(before);
    expect(await servedLabel('users')).toBe('v2');
    expect(bed().state().databases.find((d) => d.name === 'shop')!.migrations.at(-1)!.file).toBe('0003_add_order_status.sql');
    const issues = world.github.issues();
    expect(issues.map((i) => i.title)).toEqual(['Incident: deploy of database to production failed']);
    expect(issues[0]!.labels).toContain('incident');
    expect(issues[0]!.body).toContain('The database command in `services/database`');
    expect(issues[0]!.body).toContain('nothing was deployed after it');
  }, 900_000);
});
