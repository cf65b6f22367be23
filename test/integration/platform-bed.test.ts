// The platform bed driven the way a pipeline drives it: its shims run as real processes with the bin
// folder first on PATH (argument arrays, no shell), and what they did is read back from the data
// plane, state() and calls(). The last block runs canary-shift's bundle against the aws stand-in.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveNodeRuntime, runAction, runWorkflow } from '@deploy-actions/harness';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startPlatformBed, type PlatformBed } from '../../testbed/platforms/bed.js';
import { repoRoot, runProgram, type NodeRun } from '../helpers/run-node.js';

let bed: PlatformBed;
let work: string;

beforeAll(async () => {
  bed = await startPlatformBed();
  work = mkdtempSync(join(tmpdir(), 'platform-bed-it-'));
});

afterAll(async () => {
  await bed.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The environment a pipeline step would have: the bed's variables and the shims first on PATH. */
function stepEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = { PATH: `${bed.binDir}${delimiter}${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '', ...bed.env, ...overrides };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** A folder to deploy: its platform-app.json says how the version behaves. */
function appFolder(name: string, behaviour: Record<string, unknown>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'platform-app.json'), JSON.stringify(behaviour));
  return dir;
}

function shim(cwd: string, tool: string, args: string[], overrides: Record<string, string | undefined> = {}): Promise<NodeRun> {
  return runProgram(tool, args, 60_000, cwd, stepEnv(overrides));
}

/** Sends `n` requests one after another and counts the answers by version and status. */
async function tally(url: string, n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const res = await fetch(url);
    const body = (await res.json()) as { label: string };
    const key = `${body.label}:${res.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const secrets = () => [bed.env.AWS_SECRET_ACCESS_KEY!, bed.env.VERCEL_TOKEN!, bed.env.SHUTTLE_API_KEY!, new URL(bed.env.DATABASE_URL!).password];

function expectNoSecrets(...texts: string[]): void {
  for (const text of texts) for (const secret of secrets()) expect(text).not.toContain(secret);
}

describe('aws and sam', () => {
  it('deploys with sam, publishes a version, splits 25 % by alias weights, and rolls back', async () => {
    const v1 = appFolder('orders-v1', { label: 'v1' });
    const v2 = appFolder('orders-v2', { label: 'v2' });
    // SAM's list options take several words each, as in real pipelines.
    const deploy = await shim(v1, 'sam', ['deploy', '--stack-name', 'orders', '--no-confirm-changeset', '--resolve-s3', '--capabilities', 'CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND', '--parameter-overrides', 'Stage=prod', 'Tier=2']);
    expect(deploy).toMatchObject({ code: 0 });
    expect(JSON.parse(deploy.stdout)).toEqual({ StackName: 'orders', FunctionName: 'orders', FunctionVersion: '1', Alias: 'live', AliasFunctionVersion: '1' });
    expect(deploy.stderr).toContain('Successfully created stack - orders in us-east-1');

    const publish = await shim(v2, 'aws', ['lambda', 'publish-version', '--function-name', 'orders']);
    expect(publish.code).toBe(0);
    expect(JSON.parse(publish.stdout)).toMatchObject({ FunctionName: 'orders', Version: '2', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:2' });
    // Publishing alone moves no traffic.
    expect(await tally(`${bed.appUrl('aws', 'orders')}/health`, 10)).toEqual({ 'v1:200': 10 });

    const shift = await shim(work, 'aws', ['lambda', 'update-alias', '--function-name', 'orders', '--name', 'live', '--function-version', '1', '--routing-config', 'AdditionalVersionWeights={"2"=0.25}']);
    expect(shift.code).toBe(0);
    const alias = await shim(work, 'aws', ['lambda', 'get-alias', '--function-name', 'orders', '--name', 'live']);
    expect(JSON.parse(alias.stdout)).toMatchObject({ Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } } });
    // The round-robin is exact over every 4 requests: 200 at 25 % are 50 and 150.
    expect(await tally(`${bed.appUrl('aws', 'orders')}/health`, 200)).toEqual({ 'v1:200': 150, 'v2:200': 50 });

    // The JSON form of --routing-config, and the adapter's split read back for canary-shift.
    await shim(work, 'aws', ['lambda', 'update-alias', '--function-name', 'orders', '--name', 'live', '--routing-config', '{"AdditionalVersionWeights":{"2":0.5}}']);
    const status = await shim(work, 'split', ['aws', 'status', 'orders', 'live']);
    expect(JSON.parse(status.stdout).versions).toEqual([
      { version: '1', percentage: 50 },
      { version: '2', percentage: 50 }
    ]);

    const rollback = await shim(work, 'split', ['aws', 'set', 'orders', 'live', '2', '1', '0']);
    expect(rollback.code).toBe(0);
    expect(await tally(`${bed.appUrl('aws', 'orders')}/`, 20)).toEqual({ 'v1:200': 20 });
    expect(bed.state().apps.find((app) => app.platform === 'aws' && app.name === 'orders')?.split).toEqual([{ version: '1', percentage: 100 }]);

    const versions = JSON.parse((await shim(work, 'aws', ['lambda', 'list-versions-by-function', '--function-name', 'orders'])).stdout);
    expect(versions.Versions.map((v: { Version: string }) => v.Version)).toEqual(['$LATEST', '1', '2']);

    // calls() shows what ran, with the adapter's own aws calls among them.
    const ran = bed.calls().filter((call) => call.tool === 'aws' || call.tool === 'sam').map((call) => [call.tool, call.argv.slice(0, 2).join(' '), call.exitCode]);
    expect(ran).toEqual([
      ['sam', 'deploy --stack-name', 0],
      ['aws', 'lambda publish-version', 0],
      ['aws', 'lambda update-alias', 0],
      ['aws', 'lambda get-alias', 0],
      ['aws', 'lambda update-alias', 0],
      ['aws', 'lambda get-alias', 0],
      ['aws', 'lambda update-alias', 0],
      ['aws', 'lambda list-versions-by-function', 0]
    ]);
    expectNoSecrets(deploy.stdout, deploy.stderr, publish.stdout, JSON.stringify(bed.state()));

    // The --query / --output text idioms pipelines use instead of jq.
    const listed = await shim(work, 'aws', ['lambda', 'list-versions-by-function', '--function-name', 'orders', '--query', 'Versions[*].Version', '--output', 'text']);
    expect(listed.stdout).toBe('$LATEST\t1\t2\n');
    const newest = await shim(work, 'aws', ['lambda', 'list-versions-by-function', '--function-name', 'orders', '--query', 'Versions[-1].Version', '--output', 'text']);
    expect(newest.stdout).toBe('2\n');
    const live = await shim(work, 'aws', ['lambda', 'get-alias', '--function-name', 'orders', '--name', 'live', '--query', 'FunctionVersion', '--output', 'text']);
    expect(live.stdout).toBe('1\n');
  });

  it('reaches one version alone at <app>@<version>, and fails exactly failPercent of its requests', async () => {
    const bad = appFolder('orders-v3', { label: 'v3', failPercent: 10 });
    const publish = await shim(bad, 'aws', ['lambda', 'publish-version', '--function-name', 'orders', '--query', 'Version', '--output', 'text']);
    const version = publish.stdout.trim();
    expect(version).toBe('3');
    const res = await fetch(`${bed.versionUrl('aws', 'orders', version)}/health?x=1`);
    expect(res.headers.get('x-testbed-version')).toBe(version);
    expect(await res.json()).toEqual({ label: 'v3', version, path: '/health', healthy: true });
    // 99 more: the first 100 requests hold exactly 10 failures.
    const counts = await tally(`${bed.versionUrl('aws', 'orders', version)}/health`, 99);
    expect(counts).toEqual({ 'v3:200': 89, 'v3:500': 10 });
    // Spread evenly: one in every ten, the tenth.
    expect(await tally(`${bed.versionUrl('aws', 'orders', version)}/health`, 9)).toEqual({ 'v3:200': 9 });
    const failing = await fetch(`${bed.versionUrl('aws', 'orders', version)}/health`);
    expect(failing.status).toBe(500);
    expect(await failing.json()).toMatchObject({ label: 'v3', healthy: false, error: 'v3 fails 10% of requests' });
  });

  it('refuses bad arguments, missing credentials and impossible weights as the AWS CLI does', async () => {
    const missing = await shim(work, 'aws', ['lambda', 'update-alias', '--function-name', 'orders', '--function-version', '1']);
    expect(missing.code).toBe(252);
    expect(missing.stderr).toContain('aws: error: the following arguments are required: --name');
    const unknown = await shim(work, 'aws', ['lambda', 'get-alias', '--function-name', 'orders', '--name', 'live', '--bogus', 'x']);
    expect({ code: unknown.code, said: unknown.stderr.trim().split('\n').at(-1) }).toEqual({ code: 252, said: 'aws: error: Unknown options: --bogus' });
    const shorthand = await shim(work, 'aws', ['lambda', 'update-alias', '--function-name', 'orders', '--name', 'live', '--routing-config', 'Weights=2']);
    expect(shorthand.code).toBe(252);
    expect(shorthand.stderr).toContain("Error parsing parameter '--routing-config'");
    const tooHeavy = await shim(work, 'aws', ['lambda', 'update-alias', '--function-name', 'orders', '--name', 'live', '--routing-config', 'AdditionalVersionWeights={2=1.5}']);
    expect(tooHeavy.code).toBe(254);
    expect(tooHeavy.stderr).toContain('An error occurred (ValidationException) when calling the UpdateAlias operation');
    const filter = await shim(work, 'aws', ['lambda', 'list-versions-by-function', '--function-name', 'orders', '--query', "Versions[?Version=='1']"]);
    expect(filter.code).toBe(252);
    expect(filter.stderr).toContain("argument --query: the test bed's aws takes field paths only");
    const table = await shim(work, 'aws', ['lambda', 'get-alias', '--function-name', 'orders', '--name', 'live', '--output', 'table']);
    expect(table.code).toBe(252);
    expect(table.stderr).toContain("argument --output: the test bed's aws prints json or text, not table");
    const nowhere = await shim(work, 'aws', ['lambda', 'get-alias', '--function-name', 'nope', '--name', 'live']);
    expect(nowhere.stderr).toContain('(ResourceNotFoundException) when calling the GetAlias operation: Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope');

    const noCredentials = await shim(work, 'aws', ['lambda', 'get-alias', '--function-name', 'orders', '--name', 'live'], { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    expect({ code: noCredentials.code, stderr: noCredentials.stderr.trim() }).toEqual({ code: 253, stderr: 'Unable to locate credentials. You can configure credentials by running "aws configure".' });
    const wrongKey = await shim(work, 'aws', ['lambda', 'get-alias', '--function-name', 'orders', '--name', 'live'], { AWS_SECRET_ACCESS_KEY: 'not-the-key' });
    expect(wrongKey.code).toBe(254);
    expect(wrongKey.stderr).toContain('InvalidSignatureException');
    expect(wrongKey.stderr).not.toContain('not-the-key');
    const noRegion = await shim(work, 'aws', ['lambda', 'get-alias', '--function-name', 'orders', '--name', 'live'], { AWS_REGION: undefined });
    expect({ code: noRegion.code, stderr: noRegion.stderr.trim() }).toEqual({ code: 253, stderr: 'You must specify a region. You can also configure your region by running "aws configure".' });
    const samNoStack = await shim(appFolder('orders-v1', { label: 'v1' }), 'sam', ['deploy']);
    expect({ code: samNoStack.code, said: samNoStack.stderr.trim().split('\n').at(-1) }).toEqual({ code: 2, said: "Error: Missing option '--stack-name'" });
  });

  it('fails the next update-alias when told to, and leaves the split as it was', async () => {
    const before = bed.state().apps.find((app) => app.name === 'orders')!.split;
    bed.failNext('aws', 'lambda update-alias');
    const faulted = await shim(work, 'split', ['aws', 'set', 'orders', 'live', '2', '1', '50']);
    expect(faulted.code).toBe(254);
    expect(faulted.stderr).toContain('An error occurred (ServiceException) when calling the UpdateAlias operation');
    expect(bed.state().apps.find((app) => app.name === 'orders')!.split).toEqual(before);
    // Only the next one: the same call works again.
    expect((await shim(work, 'split', ['aws', 'set', 'orders', 'live', '2', '1', '50'])).code).toBe(0);
  });

  it('degrades a version after its deploy: from then on it fails the share it is told to, until told otherwise', async () => {
    expect((await shim(work, 'split', ['aws', 'set', 'orders', 'live', '2', '1', '0'])).code).toBe(0);
    expect(await tally(`${bed.appUrl('aws', 'orders')}/health`, 4)).toEqual({ 'v1:200': 4 });
    bed.degrade('aws', 'orders', '1', 50);
    expect(await tally(`${bed.versionUrl('aws', 'orders', '1')}/health`, 10)).toEqual({ 'v1:200': 5, 'v1:500': 5 });
    bed.degrade('aws', 'orders', '1', 0);
    expect(await tally(`${bed.appUrl('aws', 'orders')}/health`, 4)).toEqual({ 'v1:200': 4 });
    expect(() => bed.degrade('aws', 'orders', '9', 100)).toThrow('degrade: aws app orders has no version 9');
    expect(() => bed.degrade('aws', 'orders', '1', 101)).toThrow('degrade: failPercent must be a number from 0 to 100, not 101');
  });
});

describe('vercel', () => {
  it('deploys to production and preview, promotes, rolls back, and lists', async () => {
    const v1 = appFolder('web-v1', { label: 'v1', name: 'web' });
    const v2 = appFolder('web-v2', { label: 'v2', name: 'web' });
    const prod = await shim(v1, 'vercel', ['deploy', '--prod', '--yes']);
    expect(prod.code).toBe(0);
    const prodUrl = prod.stdout.trim();
    expect(prodUrl).toMatch(new RegExp(`^${bed.url}/vercel/web@dpl_\\w+$`));
    expect(prod.stderr).toContain(`Production: ${prodUrl}`);

    // `vercel <path>` deploys that folder, whatever the working directory.
    const preview = await shim(work, 'vercel', [v2, '--prebuilt', '--token', bed.env.VERCEL_TOKEN!], { VERCEL_TOKEN: undefined });
    expect(preview.code).toBe(0);
    const previewUrl = preview.stdout.trim();
    // A preview serves at its own URL only; production is still v1.
    expect(await tally(`${previewUrl}/`, 2)).toEqual({ 'v2:200': 2 });
    expect(await tally(`${bed.appUrl('vercel', 'web')}/`, 3)).toEqual({ 'v1:200': 3 });

    const promote = await shim(work, 'vercel', ['promote', previewUrl, '--yes']);
    expect(promote.code).toBe(0);
    expect(promote.stderr).toContain(`Success! web was promoted to production ${previewUrl}`);
    expect(await tally(`${bed.appUrl('vercel', 'web')}/`, 3)).toEqual({ 'v2:200': 3 });

    const rollback = await shim(v1, 'vercel', ['rollback', '--yes']);
    expect(rollback.code).toBe(0);
    expect(await tally(`${bed.appUrl('vercel', 'web')}/`, 3)).toEqual({ 'v1:200': 3 });

    const list = await shim(v1, 'vercel', ['ls', 'web', '--json']);
    expect(JSON.parse(list.stdout).deployments.map((d: { url: string; current: boolean }) => [d.url, d.current])).toEqual([
      [previewUrl, false],
      [prodUrl, true]
    ]);
    // The token given as an argument is not kept in calls().
    expect(bed.calls().find((call) => call.argv.includes('--prebuilt'))?.argv).toEqual([v2, '--prebuilt', '--token', '***']);
    const inspect = await shim(work, 'vercel', ['inspect', previewUrl, '--json']);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ name: 'web', target: 'preview', current: false });
    expectNoSecrets(prod.stdout, prod.stderr, preview.stdout, preview.stderr, JSON.stringify(bed.calls().filter((c) => c.tool === 'vercel').map((c) => [c.stdout, c.stderr])));
  });

  it('needs a token, says so, and never echoes a wrong one', async () => {
    const dir = appFolder('web-v1', { label: 'v1', name: 'web' });
    const none = await shim(dir, 'vercel', ['deploy', '--prod'], { VERCEL_TOKEN: undefined });
    expect({ code: none.code, said: none.stderr.trim().split('\n').at(-1) }).toEqual({ code: 1, said: 'Error: No existing credentials found. Please run `vercel login` or pass "--token"' });
    const wrong = await shim(dir, 'vercel', ['deploy', '--token', 'wrong-token-123']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('The specified token is not valid');
    expect(wrong.stderr).not.toContain('wrong-token-123');
    const nowhere = await shim(dir, 'vercel', ['no-such-folder', '--prod']);
    expect(nowhere.stderr).toContain('Error: The specified file or directory "no-such-folder" does not exist.');
    const deployments = bed.state().apps.find((app) => app.platform === 'vercel' && app.name === 'web')!.versions.length;
    bed.failNext('vercel', 'deploy');
    const faulted = await shim(dir, 'vercel', ['--prod']);
    expect({ code: faulted.code, said: faulted.stderr.trim().split('\n').at(-1) }).toEqual({ code: 1, said: 'Error: Deployment failed: the build did not complete (injected fault: the bed was told to fail this call)' });
    expect(bed.state().apps.find((app) => app.platform === 'vercel' && app.name === 'web')!.versions).toHaveLength(deployments);
    const bad = await shim(dir, 'vercel', ['deploy', '--frobnicate']);
    expect(bad.stderr).toContain('Error: unknown or unexpected option: --frobnicate');
  });
});

describe('shuttle', () => {
  it('deploys, lists, and rolls back by redeploying an older deployment', async () => {
    const v1 = appFolder('svc-v1', { label: 'v1' });
    const v2 = appFolder('svc-v2', { label: 'v2', failPercent: 100 });
    const first = await shim(v1, 'shuttle', ['deploy', '--name', 'svc']);
    expect(first.code).toBe(0);
    const firstId = /^Deployment (depl_\w+) - running$/m.exec(first.stdout)?.[1];
    expect(first.stdout).toContain(bed.appUrl('shuttle', 'svc'));
    await shim(v2, 'shuttle', ['deploy', '--name', 'svc', '--allow-dirty']);
    expect(await tally(`${bed.appUrl('shuttle', 'svc')}/health`, 2)).toEqual({ 'v2:500': 2 });

    const list = await shim(work, 'shuttle', ['deployment', 'list', '--name', 'svc', '--output', 'json']);
    const listed = JSON.parse(list.stdout).deployments as Array<{ id: string; state: string; label: string }>;
    expect(listed.map((d) => [d.label, d.state])).toEqual([
      ['v2', 'running'],
      ['v1', 'stopped']
    ]);
    const redeploy = await shim(work, 'shuttle', ['deployment', 'redeploy', firstId!, '--name', 'svc']);
    expect(redeploy.code).toBe(0);
    expect(redeploy.stdout).toContain(`(redeploy of ${firstId})`);
    expect(await tally(`${bed.appUrl('shuttle', 'svc')}/health`, 2)).toEqual({ 'v1:200': 2 });
    const svc = bed.state().apps.find((app) => app.platform === 'shuttle' && app.name === 'svc')!;
    expect(svc.history.map((event) => event.action)).toEqual(['deploy', 'deploy', `redeploy ${firstId}`]);
  });

  it('needs an API key and refuses unknown subcommands', async () => {
    const none = await shim(work, 'shuttle', ['deployment', 'list', '--name', 'svc'], { SHUTTLE_API_KEY: undefined });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No valid API key found');
    const bad = await shim(work, 'shuttle', ['deployment', 'rollback', '--name', 'svc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error: unrecognized subcommand 'rollback'");
  });
});

describe('db', () => {
  it('migrates up and down, backs up and restores, and reports status as JSON', async () => {
    const dir = join(work, 'pitchey');
    mkdirSync(join(dir, 'migrations'), { recursive: true });
    for (const file of ['0001_init.sql', '0002_users.sql', '0003_pitches.sql']) writeFileSync(join(dir, 'migrations', file), '-- sql\n');
    const up = await shim(dir, 'db', ['migrate', 'up', '--to', '2', '--database', 'pitchey']);
    expect(up).toMatchObject({ code: 0, stdout: 'applied 0001_init.sql\napplied 0002_users.sql\npitchey is at 0002\n' });
    const backup = await shim(dir, 'db', ['backup', 'create', '--database', 'pitchey', '--label', 'pre-deploy']);
    const backupId = backup.stdout.trim();
    expect(backupId).toMatch(/^bkp_\w+$/);
    await shim(dir, 'db', ['migrate', 'up', '--database', 'pitchey']);
    expect(JSON.parse((await shim(dir, 'db', ['status', '--database', 'pitchey', '--json'])).stdout)).toEqual({
      database: 'pitchey',
      version: '0003',
      applied: ['0001_init.sql', '0002_users.sql', '0003_pitches.sql'],
      pending: []
    });
    const down = await shim(dir, 'db', ['migrate', 'down', '--database', 'pitchey']);
    expect(down.stdout).toBe('reverted 0003_pitches.sql\npitchey is at 0002\n');
    await shim(dir, 'db', ['migrate', 'down', '--to', '0', '--database', 'pitchey']);
    const restore = await shim(dir, 'db', ['backup', 'restore', backupId, '--database', 'pitchey']);
    expect(restore.stdout).toBe(`restored ${backupId} to pitchey\npitchey is at 0002\n`);
    const database = bed.state().databases.find((d) => d.name === 'pitchey')!;
    expect(database.migrations.map((m) => m.file)).toEqual(['0001_init.sql', '0002_users.sql']);
    expect(database.backups).toEqual([expect.objectContaining({ id: backupId, label: 'pre-deploy' })]);
    expect(database.history.map((event) => `${event.action} → ${event.version}`)).toEqual([
      'migrate up --to 2 → 0002',
      `backup create ${backupId} → 0002`,
      'migrate up → 0003',
      'migrate down → 0002',
      'migrate down --to 0 → 0000',
      `backup restore ${backupId} → 0002`
    ]);
    const list = JSON.parse((await shim(dir, 'db', ['backup', 'list', '--json'])).stdout);
    expect(list.backups).toEqual([expect.objectContaining({ id: backupId, database: 'pitchey', version: '0002' })]);
  });

  it('fails a migration when told to, applying nothing, and checks the password without printing it', async () => {
    const dir = join(work, 'pitchey');
    bed.failNext('db', 'migrate up');
    const failed = await shim(dir, 'db', ['migrate', 'up', '--database', 'pitchey']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('error: migration 0003_pitches.sql failed: injected fault (the bed was told to fail this call); nothing applied, pitchey stays at 0002\n');
    expect(bed.state().databases.find((d) => d.name === 'pitchey')!.migrations).toHaveLength(2);

    const url = new URL(bed.env.DATABASE_URL!);
    url.password = 'hunter2-wrong';
    const denied = await shim(dir, 'db', ['status', '--database', 'pitchey'], { DATABASE_URL: url.toString() });
    expect({ code: denied.code, stderr: denied.stderr }).toEqual({ code: 1, stderr: 'error: password authentication failed for user "deploy"\n' });
    const unset = await shim(dir, 'db', ['status', '--database', 'pitchey'], { DATABASE_URL: undefined });
    expect(unset.stderr).toContain('DATABASE_URL is not set');
    const sideways = await shim(dir, 'db', ['migrate', 'sideways', '--database', 'pitchey']);
    expect(sideways.code).toBe(2);
    expect(sideways.stderr).toContain("invalid value 'sideways'");
    const noDatabase = await shim(dir, 'db', ['backup', 'create']);
    expect(noDatabase.stderr).toContain('the following required arguments were not provided:\n  --database <NAME>');
    expectNoSecrets(failed.stderr, denied.stderr, unset.stderr);
  });

  it('says where it belongs when PLATFORM_BED_URL is not set', async () => {
    const lost = await shim(work, 'db', ['status', '--database', 'x'], { PLATFORM_BED_URL: undefined });
    expect(lost.code).toBe(255);
    expect(lost.stderr).toContain("db: PLATFORM_BED_URL is not set. This db is the deploy-actions test bed's stand-in");
  });
});

describe('canary-shift with provider: command against the aws stand-in', () => {
  const actionDir = fileURLToPath(new URL('../../actions/canary-shift', import.meta.url));

  function canaryInputs(canary: string, stable: string, steps = '0,50,100'): Record<string, string> {
    return {
      provider: 'command',
      version: canary,
      'stable-version': stable,
      'shift-command': 'split aws set checkout live {canary} {stable} {percentage}',
      'rollback-command': 'split aws set checkout live {canary} {stable} 0',
      'status-command': 'split aws status checkout live',
      'canary-url': `${bed.versionUrl('aws', 'checkout', canary)}/health`,
      'stable-url': `${bed.versionUrl('aws', 'checkout', stable)}/health`,
      'json-path': '$.healthy == true',
      steps,
      bake: '1s',
      interval: '1s',
      'probe-rate': '20',
      'min-samples': '5',
      // Two local versions' p95 differ by scheduling noise on a loaded machine; latency is not under test here.
      'max-latency-increase': 'none'
    };
  }

  async function publish(label: string, failPercent = 0): Promise<string> {
    const dir = appFolder(`checkout-${label}`, { label, failPercent });
    const result = await shim(dir, 'aws', ['lambda', 'publish-version', '--function-name', 'checkout']);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout).Version as string;
  }

  const alias = () => bed.state().apps.find((app) => app.platform === 'aws' && app.name === 'checkout')!.aliases.live!;
  const aliasCalls = (since: number) =>
    bed
      .calls()
      .slice(since)
      .filter((call) => call.argv[1] === 'update-alias')
      .map((call) => `${call.argv[call.argv.indexOf('--function-version') + 1]} ${call.argv[call.argv.indexOf('--routing-config') + 1]}`);

  it('promotes a healthy version 0 → 50 → 100 through the alias', async () => {
    const first = await shim(appFolder('checkout-v1', { label: 'v1' }), 'sam', ['deploy', '--stack-name', 'checkout']);
    expect(first.code).toBe(0);
    const canary = await publish('v2');
    const since = bed.calls().length;
    const run = await runAction({ actionDir, inputs: canaryInputs(canary, '1'), env: stepEnv() });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 0, result: 'promoted' });
    expect(aliasCalls(since)).toEqual([
      '1 {"AdditionalVersionWeights":{}}',
      '1 {"AdditionalVersionWeights":{"2":0.5}}',
      '2 {"AdditionalVersionWeights":{}}'
    ]);
    expect(alias()).toMatchObject({ functionVersion: '2', additionalVersionWeights: {} });
    expect(await tally(`${bed.appUrl('aws', 'checkout')}/`, 10)).toEqual({ 'v2:200': 10 });
    expect(run.summary).toContain('## ✅ Canary promoted: `2` serves 100 %');
    expect(run.post?.conclusion).toBe('success');
  });

  it('rolls back a canary failing 30 % at 50 % to the stable version alone', async () => {
    const canary = await publish('v3', 30);
    const since = bed.calls().length;
    // No 0 % step: users reach the canary, so the rollback command has something to undo.
    const run = await runAction({ actionDir, inputs: canaryInputs(canary, '2', '50,100'), env: stepEnv() });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 1, result: 'rolled-back' });
    expect(aliasCalls(since)).toEqual(['2 {"AdditionalVersionWeights":{"3":0.5}}', '2 {"AdditionalVersionWeights":{}}']);
    expect(alias()).toMatchObject({ functionVersion: '2', additionalVersionWeights: {} });
    expect(await tally(`${bed.appUrl('aws', 'checkout')}/`, 10)).toEqual({ 'v2:200': 10 });
    expect(run.summary).toMatch(/^## ❌ Canary rolled back: `2` serves 100 % again/);
    expect(run.summary).toMatch(/canary error rate \d+(\.\d+)?% \(\d+ of \d+\) is above max-error-rate 2%/);
    expectNoSecrets(run.log, run.summary, JSON.stringify(run.outputs));
  });
});

describe('blue/green through split: canary-shift with steps 0,100 on the vercel and shuttle stand-ins', () => {
  const actionDir = fileURLToPath(new URL('../../actions/canary-shift', import.meta.url));

  function blueGreen(platform: 'vercel' | 'shuttle', project: string, canary: string, stable: string): Record<string, string> {
    return {
      provider: 'command',
      version: canary,
      'stable-version': stable,
      'shift-command': `split ${platform} set ${project} {canary} {stable} {percentage}`,
      'status-command': `split ${platform} status ${project}`,
      'canary-url': `${bed.versionUrl(platform, project, canary)}/health`,
      'stable-url': `${bed.versionUrl(platform, project, stable)}/health`,
      'json-path': '$.healthy == true',
      steps: '0,100',
      bake: '1s',
      interval: '1s',
      'probe-rate': '20',
      'min-samples': '5',
      'max-latency-increase': 'none'
    };
  }

  it('promotes a Vercel preview deployment to production', async () => {
    const stable = (await shim(appFolder('shop-v1', { label: 'v1', name: 'shop' }), 'vercel', ['deploy', '--prod'])).stdout.trim().split('@').at(-1)!;
    const canary = (await shim(appFolder('shop-v2', { label: 'v2', name: 'shop' }), 'vercel', ['deploy'])).stdout.trim().split('@').at(-1)!;
    const run = await runAction({ actionDir, inputs: blueGreen('vercel', 'shop', canary, stable), env: stepEnv() });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 0, result: 'promoted' });
    expect(await tally(`${bed.appUrl('vercel', 'shop')}/`, 4)).toEqual({ 'v2:200': 4 });
    // A split Vercel cannot serve is refused by the adapter, in words naming the fix.
    const half = await shim(work, 'split', ['vercel', 'set', 'shop', canary, stable, '50']);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('split: Vercel production serves one deployment at a time: only 0 (stable) and 100 (canary), not 50; use steps: 0,100');
  });

  it('keeps a failing Shuttle deployment from ever serving: it fails at 0 % and stable keeps running', async () => {
    const stableRun = await shim(appFolder('queue-v1', { label: 'v1' }), 'shuttle', ['deploy', '--name', 'queue']);
    const stable = /Deployment (depl_\w+)/.exec(stableRun.stdout)![1]!;
    const canaryRun = await shim(appFolder('queue-v2', { label: 'v2', failPercent: 50 }), 'shuttle', ['deploy', '--name', 'queue']);
    const canary = /Deployment (depl_\w+)/.exec(canaryRun.stdout)![1]!;
    // A Shuttle deploy serves at once; put stable back so the canary starts at 0 %.
    expect((await shim(work, 'split', ['shuttle', 'set', 'queue', canary, stable, '0'])).code).toBe(0);
    const run = await runAction({ actionDir, inputs: blueGreen('shuttle', 'queue', canary, stable), env: stepEnv() });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 1, result: 'rolled-back' });
    expect(run.summary).toContain('### Why: the 0 % step failed');
    expect(await tally(`${bed.appUrl('shuttle', 'queue')}/`, 4)).toEqual({ 'v1:200': 4 });
    const status = await shim(work, 'split', ['shuttle', 'status', 'queue']);
    expect(JSON.parse(status.stdout).versions).toEqual([{ version: stable, percentage: 100 }]);
  });
});

describe('node testbed/platforms/bed.ts', () => {
  it('starts on its own, prints the export lines the shims need, and stops on SIGTERM', async () => {
    const script = fileURLToPath(new URL('../../testbed/platforms/bed.ts', import.meta.url));
    const child = spawn(resolveNodeRuntime('node24'), [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('Ctrl-C stops the bed.')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`bed.ts exited ${code} before it was ready: ${out}`)));
      });
      await ready;
      const exported = Object.fromEntries([...out.matchAll(/^  export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.replace(/^'(.*)'$/, '$1')]));
      expect(Object.keys(exported).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_PAGER', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'DATABASE_URL', 'PATH', 'PLATFORM_BED_STATE', 'PLATFORM_BED_URL', 'SHUTTLE_API_KEY', 'VERCEL_TOKEN']);
      const { PATH: _path, ...rest } = exported;
      const env = { ...rest, PATH: `${bed.binDir}${delimiter}${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '' };
      const deployed = await runProgram('shuttle', ['deploy', '--name', 'standalone'], 60_000, appFolder('standalone', { label: 'solo' }), env);
      expect(deployed.code).toBe(0);
      const res = await fetch(`${exported.PLATFORM_BED_URL}/shuttle/standalone/`);
      expect(await res.json()).toMatchObject({ label: 'solo', healthy: true });
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
    expect(child.exitCode).toBe(0);
  });
});

describe('rollback with provider: command against the vercel and db stand-ins', () => {
  const actionDir = fileURLToPath(new URL('../../actions/rollback', import.meta.url));

  it('backs the database up first, rolls Vercel production back, and verifies it', async () => {
    const good = (await shim(appFolder('pitchey-v1', { label: 'v1', name: 'pitchey' }), 'vercel', ['deploy', '--prod'])).stdout.trim().split('@').at(-1)!;
    const bad = (await shim(appFolder('pitchey-v2', { label: 'v2', name: 'pitchey', failPercent: 100 }), 'vercel', ['deploy', '--prod'])).stdout.trim().split('@').at(-1)!;
    expect(await tally(`${bed.appUrl('vercel', 'pitchey')}/health`, 2)).toEqual({ 'v2:500': 2 });
    const run = await runAction({
      actionDir,
      inputs: {
        provider: 'command',
        worker: 'pitchey',
        to: good,
        'canary-version': bad,
        'pre-rollback-command': 'db backup create --database pitchey-prod --label pre-rollback',
        'rollback-command': 'vercel rollback {stable} --yes',
        'status-command': 'split vercel status pitchey',
        url: `${bed.appUrl('vercel', 'pitchey')}/health`,
        'json-path': '$.healthy == true',
        'verify-deadline': '30s',
        'verify-interval': '200ms'
      },
      env: stepEnv()
    });
    expect({ exitCode: run.exitCode, from: run.outputs['rolled-back-from'], to: run.outputs['rolled-back-to'], verified: run.outputs.verified }).toEqual({ exitCode: 0, from: bad, to: good, verified: 'true' });
    expect(await tally(`${bed.appUrl('vercel', 'pitchey')}/health`, 3)).toEqual({ 'v1:200': 3 });
    const backups = bed.state().databases.find((d) => d.name === 'pitchey-prod')!.backups;
    expect(backups).toEqual([expect.objectContaining({ label: 'pre-rollback' })]);
    // The backup ran before anything changed.
    const order = bed.calls().map((call) => `${call.tool} ${call.argv[0]}`);
    expect(order.lastIndexOf('db backup')).toBeLessThan(order.lastIndexOf('vercel rollback'));
    expectNoSecrets(run.log, run.summary);
  });
});

describe('a workflow run by the local runner, its run: steps and canary-shift on the bed', () => {
  const WORKFLOW = `name: payments
on: workflow_dispatch
jobs:
  deploy:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: app
    steps:
      - name: Migrate the database first
        run: db migrate up --database payments
      - name: Publish the new version
        id: publish
        run: echo "version=$(aws lambda publish-version --function-name payments | jq -r .Version)" >> "$GITHUB_OUTPUT"
      - name: Canary
        id: canary
        uses: ./actions/canary-shift
        with:
          provider: command
          version: \${{ steps.publish.outputs.version }}
          stable-version: '1'
          shift-command: split aws set payments live {canary} {stable} {percentage}
          status-command: split aws status payments live
          canary-url: \${{ env.PLATFORM_BED_URL }}/aws/payments@\${{ steps.publish.outputs.version }}/health
          stable-url: \${{ env.PLATFORM_BED_URL }}/aws/payments@1/health
          json-path: '$.healthy == true'
          steps: 0,100
          bake: 1s
          interval: 1s
          probe-rate: '20'
          min-samples: '5'
          max-latency-increase: none
`;

  it('migrates, publishes, and promotes, with the shims first on PATH', async () => {
    const root = mkdtempSync(join(tmpdir(), 'platform-bed-repo-'));
    try {
      symlinkSync(join(repoRoot, 'actions'), join(root, 'actions'));
      symlinkSync(join(repoRoot, 'dist'), join(root, 'dist'));
      mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
      writeFileSync(join(root, '.github', 'workflows', 'payments.yml'), WORKFLOW);
      mkdirSync(join(root, 'app', 'migrations'), { recursive: true });
      writeFileSync(join(root, 'app', 'migrations', '0001_init.sql'), '');
      writeFileSync(join(root, 'app', 'platform-app.json'), JSON.stringify({ label: 'p1' }));
      expect((await shim(join(root, 'app'), 'sam', ['deploy', '--stack-name', 'payments'])).code).toBe(0);
      writeFileSync(join(root, 'app', 'platform-app.json'), JSON.stringify({ label: 'p2' }));

      const run = await runWorkflow({ workflow: '.github/workflows/payments.yml', root, event: 'workflow_dispatch', env: stepEnv() });
      const job = run.jobs[0]!;
      expect({ conclusion: run.conclusion, steps: job.steps.map((step) => `${step.name}: ${step.outcome}`) }).toEqual({
        conclusion: 'success',
        steps: ['Migrate the database first: success', 'Publish the new version: success', 'Canary: success']
      });
      expect(job.steps[2]!.outputs).toMatchObject({ result: 'promoted', 'canary-version': '2' });
      expect(await tally(`${bed.appUrl('aws', 'payments')}/`, 3)).toEqual({ 'p2:200': 3 });
      expect(bed.state().databases.find((d) => d.name === 'payments')!.migrations.map((m) => m.file)).toEqual(['0001_init.sql']);
      expect(job.summary).toContain('Canary promoted: `2` serves 100 %');
      expectNoSecrets(job.log.join('\n'), job.summary);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
