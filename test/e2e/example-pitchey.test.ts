// examples/pitchey end to end through the local workflow runner: the API a Worker on the Cloudflare
// bed (real wrangler, every version in real workerd), the frontend on the platform bed's Vercel and
// the database on its `db`, issues and deployment records on the GitHub stand-in. One repository
// lives through the tests in order: staging on push and a production blue/green release (v2), a
// release whose green fails at 0 % (v3), a full rollback, a database-only one, then a release whose
// frontend alone fails at 0 % (v4); each asserts what a user would see. Needs the bundles (`npm run build`).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runWrangler } from '../../testbed/cloudflare/wrangler.ts';
import { startPlatformBed, type PlatformBed } from '../../testbed/platforms/bed.ts';
import { job, logs, overview, pipelineWorld } from '../helpers/pipeline-world.js';
import { repoRoot } from '../helpers/run-node.js';

const world = pipelineWorld();
const { git, repository, setVars, wranglerDeploy, serving, servedLabel } = world;
const example = join(repoRoot, 'examples/pitchey');

const PROJECT = 'prj_pitchey_web';
const DATABASE = 'pitchey-production';
/** Short checks: the timing knobs are the workflows' own inputs; the code path is the real one. */
const SHORT_CHECKS = { 'check-for': '2s', 'check-window': '2s', 'probe-rate': '10', 'min-samples': '5', 'max-latency-increase': '500%' };

describe('examples/pitchey', () => {
  let platform: PlatformBed;
  let root: string;
  const api = () => join(root, 'api');
  const frontend = () => join(root, 'frontend');

  /** A CLI of the platform bed, run by hand as the team did before the pipeline existed (never sync: the bed answers from this process). */
  const shim = async (tool: string, args: string[], cwd = root): Promise<void> => {
    await promisify(execFile)(join(platform.binDir, tool), args, { cwd, env: { ...process.env, ...platform.env, VERCEL_PROJECT_ID: PROJECT }, timeout: 60_000 });
  };

  const vercelApp = () => platform.state().apps.find((app) => app.platform === 'vercel' && app.name === PROJECT)!;
  const webServes = () => vercelApp().split.map((share): [string, number] => [share.version, share.percentage]);
  const webLabel = async () => ((await (await fetch(`${platform.appUrl('vercel', PROJECT)}/api/health`)).json()) as { label: string }).label;
  const database = () => platform.state().databases.find((d) => d.name === DATABASE)!;
  const schema = (name = DATABASE) => platform.state().databases.find((d) => d.name === name)?.migrations.map((m) => m.id) ?? [];
  /** The shim calls made since `from`, as `tool words…` lines. */
  const callsSince = (from: number) => platform.calls().slice(from).map((call) => `${call.tool} ${call.argv.join(' ')}`);

  const release = (label: string, options: { failPercent?: number; webFailPercent?: number; migration?: string } = {}) => {
    setVars(api(), { label, failPercent: options.failPercent });
    writeFileSync(join(frontend(), 'platform-app.json'), JSON.stringify({ label, ...(options.webFailPercent ? { failPercent: options.webFailPercent } : {}) }));
    if (options.migration) writeFileSync(join(root, 'db/migrations', options.migration), '-- adds only: the version serving keeps working\n');
    git(root, ['add', '-A']);
    git(root, ['commit', '-qm', `release ${label}`]);
  };

  const run = (workflow: string, options: { event: 'push' | 'workflow_dispatch'; inputs?: Record<string, string>; label: string }) =>
    world.run(root, {
      workflow: join(example, workflow),
      ...options,
      secrets: {
        VERCEL_TOKEN: platform.env.VERCEL_TOKEN!,
        STAGING_DATABASE_URL: platform.env.DATABASE_URL!,
        PRODUCTION_DATABASE_URL: platform.env.DATABASE_URL!
      },
      // The shims find the bed through PLATFORM_BED_URL; the credentials reach them only as the workflows pass their secrets.
      env: { PATH: `${platform.binDir}:${process.env.PATH}`, PLATFORM_BED_URL: platform.env.PLATFORM_BED_URL! }
    });

  beforeAll(async () => {
    platform = await startPlatformBed();
    root = repository({ api: 'pitchey-api' });
    cpSync(join(example, 'api/smoke.yml'), join(api(), 'smoke.yml'));
    mkdirSync(join(root, 'scripts'));
    cpSync(join(example, 'scripts/vercel-switch.sh'), join(root, 'scripts/vercel-switch.sh'));
    mkdirSync(join(root, 'deploy'));
    // The example's targets file, pointed at the beds.
    writeFileSync(
      join(root, 'deploy/environments.json'),
      JSON.stringify({
        // Latency is not under test: over a few samples p95 moves by more than 20 % on a loaded machine.
        staging: { api: world.bed.workerUrl('pitchey-api-staging'), 'check-window': '4s', 'max-latency-increase': '500%' },
        production: { api: world.bed.workerUrl('pitchey-api'), web: platform.appUrl('vercel', PROJECT) }
      })
    );
    mkdirSync(frontend());
    writeFileSync(join(frontend(), 'platform-app.json'), JSON.stringify({ label: 'v1' }));
    mkdirSync(join(root, 'db/migrations'), { recursive: true });
    writeFileSync(join(root, 'db/migrations/0001_pitches.sql'), 'create table pitches (id bigint primary key);\n');
    git(root, ['add', '-A']);
    git(root, ['commit', '-qm', 'pitchey v1']);
    // v1 serves everywhere before the pipeline's first run.
    await wranglerDeploy(api());
    const staging = await runWrangler(['deploy', '--name', 'pitchey-api-staging'], { env: world.wrangler.env, cwd: api() });
    if (staging.code !== 0) throw new Error(`wrangler deploy of pitchey-api-staging: ${staging.stderr}`);
    await shim('vercel', ['deploy', '--prebuilt', '--prod', '--yes'], frontend());
    await shim('db', ['migrate', 'up', '--database', DATABASE], join(root, 'db'));
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('deploys a push to staging, then releases it to production blue/green, switched after the 0 % check', async () => {
    const apiV1 = serving('pitchey-api')[0]![0];
    const webV1 = webServes()[0]![0];
    release('v2', { migration: '0002_ndas.sql' });
    const sha = git(root, ['rev-parse', 'HEAD']);

    const staging = await run('deploy-staging.yml', { event: 'push', label: 'pitchey staging on push' });
    expect({ conclusion: staging.conclusion, jobs: overview(staging), log: staging.conclusion === 'success' ? '' : logs(staging) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [
        ['Migrate the staging database', 'success'],
        ['API / Deploy pitchey-api-staging to staging', 'success'],
        ['API / Incident for pitchey-api-staging in staging', 'skipped'],
        ['Frontend preview', 'success']
      ]
    });
    // Staging serves v2 (API and a preview of the frontend, on a migrated database); production is untouched.
    expect(await servedLabel('pitchey-api-staging')).toBe('v2');
    expect(schema('pitchey-staging')).toEqual(['0001', '0002']);
    const preview = job(staging, 'Frontend preview').outputs.url!;
    expect(((await (await fetch(`${preview}/api/health`)).json()) as { label: string }).label).toBe('v2');
    expect(await servedLabel('pitchey-api')).toBe('v1');
    expect(await webLabel()).toBe('v1');
    expect(schema()).toEqual(['0001']);
    expect(world.github.issues().map((i) => i.title)).toEqual([`Deploy pitchey-api-staging ${sha.slice(0, 7)} to staging`]);

    const callsBefore = platform.calls().length;
    const production = await run('deploy-production.yml', { event: 'workflow_dispatch', inputs: SHORT_CHECKS, label: 'pitchey production, switched' });
    expect({ conclusion: production.conclusion, jobs: overview(production), log: production.conclusion === 'success' ? '' : logs(production) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [
        ['Back up and migrate the database', 'success'],
        ['API blue/green', 'success'],
        ['Frontend blue/green', 'success'],
        ['Release issue', 'success'],
        ['Incident', 'skipped']
      ]
    });
    const apiJob = job(production, 'API blue/green');
    const webJob = job(production, 'Frontend blue/green');
    const apiV2 = apiJob.outputs.green!;
    const webV2 = webJob.outputs.green!;
    expect(apiJob.outputs).toMatchObject({ blue: apiV1, result: 'promoted' });
    expect(webJob.outputs).toMatchObject({ blue: webV1, result: 'promoted' });

    // The API: green sat beside blue at 0 % while it was checked, then took all of it; blue is still uploaded.
    expect(serving('pitchey-api')).toEqual([[apiV2, 100]]);
    expect(await servedLabel('pitchey-api')).toBe('v2');
    const deployments = world.bed.store.worker('pitchey-api')!.deployments.map((d) => Object.fromEntries(d.versions.map((v) => [v.version_id, v.percentage])));
    expect(deployments.slice(-2)).toEqual([{ [apiV1]: 100, [apiV2]: 0 }, { [apiV2]: 100 }]);
    expect(world.bed.store.worker('pitchey-api')!.versions.map((v) => v.id)).toContain(apiV1);
    expect(apiJob.log.join('\n')).toMatch(/pitch listing/);
    expect(apiJob.summary).toContain('Canary promoted');

    // The frontend: green deployed without the domain, checked at its own URL, then promoted; blue kept.
    expect(webServes()).toEqual([[webV2, 100]]);
    expect(await webLabel()).toBe('v2');
    expect(vercelApp().versions.map((v) => v.id)).toContain(webV1);
    expect(webJob.summary).toContain('Canary promoted');

    // The database was backed up before it was migrated.
    const made = callsSince(callsBefore);
    const backup = made.findIndex((line) => line.startsWith(`db backup create --database ${DATABASE}`));
    expect(backup).toBeGreaterThanOrEqual(0);
    expect(backup).toBeLessThan(made.findIndex((line) => line.startsWith(`db migrate up --database ${DATABASE}`)));
    expect(schema()).toEqual(['0001', '0002']);
    const preDeploy = database().backups.at(-1)!;
    expect(preDeploy).toMatchObject({ label: `before deploy ${sha}`, migrations: [expect.objectContaining({ id: '0001' })] });
    expect(made.filter((line) => line.startsWith('vercel promote'))).toEqual([`vercel promote ${webV2} --yes`]);

    // What a person reads: the release issue, and each half recorded as a deployment on GitHub.
    const issue = world.github.issues().find((i) => i.labels.includes('production'))!;
    expect(issue).toMatchObject({ title: `Pitchey ${sha.slice(0, 7)} in production`, state: 'open' });
    expect(issue.body).toContain(`| API Worker \`pitchey-api\` | \`${apiV2}\` | \`${apiV1}\` |`);
    expect(issue.body).toContain(`| Frontend \`pitchey-web\` | \`${webV2}\` | \`${webV1}\` |`);
    expect(issue.body).toContain(`| Database \`pitchey-production\` | migration 0002 | backup \`${preDeploy.id}\` |`);
    const records = world.github.deployments().filter((d) => d.environment === 'production');
    expect(records.map((d) => [(d.payload as { worker: string }).worker, (d.payload as { versionId: string }).versionId, d.statuses.at(-1)?.state])).toEqual([
      ['pitchey-api', apiV2, 'success'],
      ['pitchey-web', webV2, 'success']
    ]);
    // No credential reached a log, a summary or GitHub.
    const shown = JSON.stringify(world.github.issues()) + logs(staging) + logs(production) + production.jobs.map((j) => j.summary).join('\n');
    for (const secret of [platform.env.VERCEL_TOKEN!, new URL(platform.env.DATABASE_URL!).password, world.bed.token]) expect(shown).not.toContain(secret);
  }, 900_000);

  it('keeps blue serving when green fails its health checks at 0 %: no switch, an incident', async () => {
    const apiBlue = serving('pitchey-api')[0]![0];
    const webBlue = webServes()[0]![0];
    const webDeployments = vercelApp().versions.length;
    const apiDeploymentsBefore = world.bed.store.worker('pitchey-api')!.deployments.length;
    // 40 % of green's answers fail, and the others say it is not healthy.
    release('v3', { failPercent: 40 });

    const result = await run('deploy-production.yml', { event: 'workflow_dispatch', inputs: SHORT_CHECKS, label: 'pitchey production, green fails at 0 %' });
    expect({ conclusion: result.conclusion, jobs: overview(result) }).toEqual({
      conclusion: 'failure',
      jobs: [
        ['Back up and migrate the database', 'success'],
        ['API blue/green', 'failure'],
        ['Frontend blue/green', 'skipped'],
        ['Release issue', 'skipped'],
        ['Incident', 'success']
      ]
    });
    const apiJob = job(result, 'API blue/green');
    const green = apiJob.outputs.green!;
    expect(green).not.toBe(apiBlue);
    expect(apiJob.outputs.result).toBe('rolled-back');
    const apiLog = apiJob.log.join('\n');
    // The smoke spec's health test caught it through the version override, before any user reached green.
    expect(apiLog).toMatch(/smoke-test: health: attempt 1: \$\.healthy: expected true, got false/);
    expect(apiLog).toContain('canary-shift rolled-back: the 0 % step failed: smoke-test against the canary failed: 1 of 2 tests failed');
    // Blue serves as before; no deployment this run made ever gave green a share.
    expect(serving('pitchey-api')).toEqual([[apiBlue, 100]]);
    expect(await servedLabel('pitchey-api')).toBe('v2');
    const madeNow = world.bed.store.worker('pitchey-api')!.deployments.slice(apiDeploymentsBefore);
    expect(madeNow.length).toBeGreaterThan(0);
    expect(madeNow.flatMap((d) => d.versions.filter((v) => v.version_id === green && v.percentage > 0))).toEqual([]);
    // The frontend was not touched.
    expect(vercelApp().versions).toHaveLength(webDeployments);
    expect(webServes()).toEqual([[webBlue, 100]]);
    expect(await webLabel()).toBe('v2');

    const incidents = world.github.issues().filter((i) => i.labels.includes('incident'));
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.title).toBe('Incident: Pitchey production deploy failed');
    expect(incidents[0]!.body).toContain('(database success, API failure, frontend skipped)');
    expect(incidents[0]!.body).toContain(`- API: green \`${green}\` ended \`rolled-back\`; \`${apiBlue}\` serves`);
    expect(incidents[0]!.body).toContain('- Frontend: not deployed; what served still serves');
    expect(world.github.issues().some((i) => i.labels.includes('production') && !i.labels.includes('incident'))).toBe(false);
    const record = world.github.deployments().find((d) => (d.payload as { versionId: string }).versionId === green)!;
    expect(record.statuses.at(-1)?.state).toBe('failure');
  }, 900_000);

  it('rolls back in full: the database backed up first, the app put back, the database restored, an incident with the reason', async () => {
    const [apiNow] = serving('pitchey-api')[0]!;
    const webNow = webServes()[0]![0];
    const versions = world.bed.store.worker('pitchey-api')!.versions;
    const apiV1 = versions[0]!.id;
    const webV1 = vercelApp().versions[0]!.id;
    const restoreTo = database().backups.find((b) => b.label.startsWith('before deploy'))!;
    expect(restoreTo.migrations.map((m) => m.id)).toEqual(['0001']);
    const callsBefore = platform.calls().length;

    const result = await run('rollback.yml', {
      event: 'workflow_dispatch',
      inputs: { scope: 'full', reason: 'pitch uploads return 500', 'verify-deadline': '1m' },
      label: 'pitchey rollback, full'
    });
    expect({ conclusion: result.conclusion, jobs: overview(result), log: result.conclusion === 'success' ? '' : logs(result) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [
        ['Back up the database first', 'success'],
        ['Roll back the API', 'success'],
        ['Roll back the frontend', 'success'],
        ['Restore the database', 'success'],
        ['Incident report', 'success']
      ]
    });
    // The app serves v1 again, verified; the Worker's deployment says why.
    expect(serving('pitchey-api')).toEqual([[apiV1, 100]]);
    expect(await servedLabel('pitchey-api')).toBe('v1');
    expect(world.bed.store.worker('pitchey-api')!.deployments.at(-1)!.annotations?.['workers/message']).toBe('Rollback (full): pitch uploads return 500');
    expect(job(result, 'Roll back the API').outputs).toMatchObject({ from: apiNow, to: apiV1, verified: 'true' });
    expect(webServes()).toEqual([[webV1, 100]]);
    expect(await webLabel()).toBe('v1');
    expect(job(result, 'Roll back the frontend').outputs).toMatchObject({ from: webNow, to: webV1, verified: 'true' });

    // The order, from the platform's own record: a backup of what is there now, the app back, then the restore.
    const made = callsSince(callsBefore);
    const backup = made.findIndex((line) => line.startsWith(`db backup create --database ${DATABASE} --label before rollback (full): pitch uploads return 500`));
    const frontendBack = made.indexOf(`vercel rollback ${webV1} --yes`);
    const restore = made.indexOf(`db backup restore ${restoreTo.id} --database ${DATABASE}`);
    expect(backup).toBeGreaterThanOrEqual(0);
    expect(frontendBack).toBeGreaterThan(backup);
    expect(restore).toBeGreaterThan(frontendBack);
    // The API went back before the restore too (the Worker's deployment against the bed's clock of calls).
    expect(world.bed.store.worker('pitchey-api')!.deployments.at(-1)!.createdOn <= platform.calls()[callsBefore + restore]!.at).toBe(true);
    const safety = database().backups.find((b) => b.label.startsWith('before rollback (full)'))!;
    expect(safety.migrations.map((m) => m.id)).toEqual(['0001', '0002']);
    expect(schema()).toEqual(['0001']);

    const incidents = world.github.issues().filter((i) => i.labels.includes('incident'));
    expect(incidents).toHaveLength(1);
    const incident = incidents[0]!;
    expect(incident).toMatchObject({ title: 'Incident: Pitchey production rolled back (full)', labels: expect.arrayContaining(['incident', 'rollback']) });
    expect(incident.body).toContain('**Reason:** pitch uploads return 500');
    expect(incident.body).toContain(`The database was backed up first: \`${safety.id}\`.`);
    expect(incident.body).toContain(`| API Worker \`pitchey-api\` | success | \`${apiNow}\` | \`${apiV1}\` | true |`);
    expect(incident.body).toContain(`| Frontend \`pitchey-web\` | success | \`${webNow}\` | \`${webV1}\` | true |`);
    expect(incident.body).toContain(`| Database \`pitchey-production\` | success | migration 0002 | migration 0001 (backup \`${restoreTo.id}\`) | |`);
  }, 900_000);

  it('rolls back the database alone: backed up, restored, the app untouched', async () => {
    // A migration applied by hand since: the database is ahead of the backup taken before the last deploy.
    await shim('db', ['migrate', 'up', '--database', DATABASE], join(root, 'db'));
    expect(schema()).toEqual(['0001', '0002']);
    const apiDeployments = world.bed.store.worker('pitchey-api')!.deployments.length;
    const webHistory = vercelApp().history.length;
    const callsBefore = platform.calls().length;

    const result = await run('rollback.yml', { event: 'workflow_dispatch', inputs: { scope: 'db', reason: 'the ndas migration locks pitches' }, label: 'pitchey rollback, db only' });
    expect({ conclusion: result.conclusion, jobs: overview(result), log: result.conclusion === 'success' ? '' : logs(result) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [
        ['Back up the database first', 'success'],
        ['Roll back the API', 'skipped'],
        ['Roll back the frontend', 'skipped'],
        ['Restore the database', 'success'],
        ['Incident report', 'success']
      ]
    });
    expect(schema()).toEqual(['0001']);
    const made = callsSince(callsBefore);
    expect(made.findIndex((line) => line.startsWith('db backup create'))).toBeLessThan(made.findIndex((line) => line.startsWith('db backup restore')));
    expect(made.some((line) => line.startsWith('vercel'))).toBe(false);
    expect(world.bed.store.worker('pitchey-api')!.deployments).toHaveLength(apiDeployments);
    expect(vercelApp().history).toHaveLength(webHistory);
    expect(await servedLabel('pitchey-api')).toBe('v1');
    expect(await webLabel()).toBe('v1');
    const incident = world.github.issues().find((i) => i.labels.includes('incident'))!;
    expect(incident.title).toBe('Incident: Pitchey production rolled back (db)');
    expect(incident.body).toContain('**Reason:** the ndas migration locks pitches');
    expect(incident.body).toContain('| API Worker `pitchey-api` | skipped | `-` | `-` | - |');
  }, 900_000);

  it('switches the API but keeps the frontend on blue when only the frontend fails its check at 0 %: an incident says which half serves what', async () => {
    const apiBlue = serving('pitchey-api')[0]![0];
    const webBlue = webServes()[0]![0];
    // The API is healthy; every answer of the frontend's green fails.
    release('v4', { webFailPercent: 100 });
    const callsBefore = platform.calls().length;

    const result = await run('deploy-production.yml', { event: 'workflow_dispatch', inputs: SHORT_CHECKS, label: 'pitchey production, frontend fails at 0 %' });
    expect({ conclusion: result.conclusion, jobs: overview(result) }).toEqual({
      conclusion: 'failure',
      jobs: [
        ['Back up and migrate the database', 'success'],
        ['API blue/green', 'success'],
        ['Frontend blue/green', 'failure'],
        ['Release issue', 'skipped'],
        ['Incident', 'success']
      ]
    });
    // The API's green took all of it.
    const apiGreen = job(result, 'API blue/green').outputs.green!;
    expect(apiGreen).not.toBe(apiBlue);
    expect(serving('pitchey-api')).toEqual([[apiGreen, 100]]);
    expect(await servedLabel('pitchey-api')).toBe('v4');
    // The frontend's green was deployed without the domain, failed at its own URL, and never served.
    const webJob = job(result, 'Frontend blue/green');
    const webGreen = webJob.outputs.green!;
    expect(webJob.outputs).toMatchObject({ blue: webBlue, result: 'rolled-back' });
    expect(webJob.log.join('\n')).toContain('canary-shift rolled-back: the 0 % step failed');
    expect(webServes()).toEqual([[webBlue, 100]]);
    expect(await webLabel()).toBe('v1');
    const promotes = callsSince(callsBefore).filter((line) => line.startsWith('vercel promote'));
    expect(promotes).not.toContain(`vercel promote ${webGreen} --yes`);

    const incidents = world.github.issues().filter((i) => i.labels.includes('incident'));
    expect(incidents.map((i) => i.title)).toEqual(['Incident: Pitchey production deploy failed']);
    const body = incidents[0]!.body;
    expect(body).toContain('(database success, API success, frontend failure)');
    expect(body).toContain(`- API: green \`${apiGreen}\` was switched to and serves`);
    expect(body).toContain(`- Frontend: green \`${webGreen}\` ended \`rolled-back\`; \`${webBlue}\` serves`);
    expect(world.github.issues().some((i) => i.labels.includes('production') && !i.labels.includes('incident'))).toBe(false);
    const states = world.github.deployments().map((d) => [(d.payload as { worker: string }).worker, (d.payload as { versionId: string }).versionId, d.statuses.at(-1)?.state]);
    expect(states).toEqual(expect.arrayContaining([['pitchey-api', apiGreen, 'success'], ['pitchey-web', webGreen, 'failure']]));
  }, 900_000);
});
