// rollback's bundle run the way the GitHub runner runs it. With the command provider: scripts that
// record their arguments stand in for the platform, and a local server for what verification probes.
// With Cloudflare: the local bed (the API stand-in, every version in real workerd, the router) and
// the real wrangler, which the action runs as it would on a runner.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction, type ActionRun } from '@deploy-actions/harness';
import { startCloudflareBed, type CloudflareBed } from '../../testbed/cloudflare/bed.ts';
import type { StoredVersion } from '../../testbed/cloudflare/store.ts';
import { wranglerEnvironment, type WranglerEnvironment } from '../../testbed/cloudflare/wrangler.ts';
import { deploy, upload } from '../helpers/cloudflare-bed.ts';

const actionDir = fileURLToPath(new URL('../../actions/rollback', import.meta.url));
const node = process.execPath;
const TOKEN = 'health-tok-8d1f3b';

let dir: string;
let journal: string;
let state: string;
let server: Server;
let base: string;

/** A script that appends `<name> <args…>` as JSON to the journal, then does what its environment says. */
function script(name: string, body = ''): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(journal)}, JSON.stringify([${JSON.stringify(name)}, ...process.argv.slice(2)]) + '\\n');
${body}
`
  );
  return file;
}

/** The journal's entries, in the order the scripts ran. */
function calls(): string[][] {
  return existsSync(journal)
    ? readFileSync(journal, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[])
    : [];
}

function serving(version: string): void {
  writeFileSync(state, JSON.stringify({ id: `dep-${version}`, versions: [{ version, percentage: 100 }] }));
}

let rollbackScript: string;
let statusScript: string;
let backupScript: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollback-it-'));
  journal = join(dir, 'journal.jsonl');
  state = join(dir, 'state.json');
  // The platform: status prints what serves, rollback makes its first argument serve alone.
  statusScript = script('status', `process.stdout.write('checking traffic...\\n' + readFileSync(${JSON.stringify(state)}, 'utf8'));`);
  rollbackScript = script(
    'rollback',
    `if (process.env.ROLLBACK_FAILS) { process.stderr.write('route update failed: upstream 503 from the load balancer\\n'); process.exit(4); }
writeFileSync(${JSON.stringify(state)}, JSON.stringify({ id: 'dep-after-' + process.argv[2], versions: [{ version: process.argv[2], percentage: 100 }] }));`
  );
  backupScript = script('backup', `if (process.env.BACKUP_FAILS) { process.stderr.write('pg_dump: error: disk full\\n'); process.exit(3); }`);

  server = createServer((req, res) => {
    const version = JSON.parse(readFileSync(state, 'utf8')).versions[0].version as string;
    if (req.url === '/health' && req.headers.authorization === `Bearer ${TOKEN}`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ status: 'ok', version }));
    }
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'down', version }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  rmSync(journal, { force: true });
  serving('v42');
});

const quoted = (path: string) => `'${path}'`;

function command(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'command',
    worker: 'shop',
    to: 'v41',
    'canary-version': 'v42',
    'rollback-command': `${quoted(node)} ${quoted(rollbackScript)} {stable} --leaving {canary} --percentage {percentage}`,
    'status-command': `${quoted(node)} ${quoted(statusScript)}`,
    ...extra
  };
}

describe('rollback bundle, command provider', () => {
  it('backs up first, rolls back, verifies, and reports from, to, deployment and verified', async () => {
    const run = await runAction({
      actionDir,
      inputs: command({
        'pre-rollback-command': `${quoted(node)} ${quoted(backupScript)} --label "before rollback"`,
        url: `${base}/health`,
        headers: `Authorization: Bearer ${TOKEN}`,
        'json-path': '$.version == "v41"',
        'verify-interval': '100ms'
      })
    });
    expect(run.exitCode).toBe(0);
    const order = calls();
    // Read first, then the backup, then the rollback; the status after it confirms what serves.
    expect(order.map((c) => c[0])).toEqual(['status', 'backup', 'rollback', 'status']);
    expect(order[1]).toEqual(['backup', '--label', 'before rollback']);
    expect(order[2]).toEqual(['rollback', 'v41', '--leaving', 'v42', '--percentage', '0']);
    expect(run.outputs).toMatchObject({ 'rolled-back-from': 'v42', 'rolled-back-to': 'v41', 'deployment-id': 'dep-after-v41', verified: 'true' });
    expect(Number(run.outputs['duration-ms'])).toBeGreaterThan(0);
    expect(run.summary).toContain('## ✅ Rolled back shop, verified');
    expect(run.summary).toMatch(/^\| shop \| ✅ rolled back \| `v42 100 %` \| `v41` \| `dep-after-v41` \| ✅ \| \d+(\.\d+)?m?s \|$/m);
    expect(run.summary).toContain('| URL | Verdict | Attempts | Status | Last failure |');
    // Where the time went: the status read, the rollback, the status read after it.
    expect(run.summary).toMatch(/^Took \d+(\.\d+)?m?s; the commands ran 3 times, \d+(\.\d+)?m?s in all\.$/m);
    const everything = [run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary, ...Object.values(run.outputs)].join('\n');
    expect(everything).not.toContain(TOKEN);
  });

  it('stops before anything changes when pre-rollback-command fails, and says why in one line', async () => {
    const run = await runAction({
      actionDir,
      inputs: command({ 'pre-rollback-command': `${quoted(node)} ${quoted(backupScript)}` }),
      env: { BACKUP_FAILS: '1' }
    });
    expect(run.exitCode).toBe(1);
    expect(calls().map((c) => c[0])).toEqual(['status', 'backup']);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual(['pre-rollback-command exited with code 3: pg_dump: error: disk full; nothing was rolled back']);
    expect(run.outputs).toMatchObject({ verified: 'skipped' });
    expect(run.outputs['rolled-back-to']).toBeUndefined();
    expect(run.summary).toContain('## ❌ Rollback stopped: pre-rollback-command failed, nothing changed');
  });

  it('fails the step when verification fails after the rollback: verified=false, the reason annotated', async () => {
    const run = await runAction({
      actionDir,
      // No credential: the service answers 503 whatever the version.
      inputs: command({ url: `${base}/health`, 'verify-deadline': '1s', 'verify-interval': '100ms' })
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ 'rolled-back-to': 'v41', verified: 'false' });
    expect(calls().map((c) => c[0])).toEqual(['status', 'rollback', 'status']);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toContain(`${base}/health: status: expected 200-299, got 503`);
    expect(errors).toContain('rolled back, but verification failed: 1 of 1 URL not healthy');
    expect(run.summary).toContain('## ❌ Rolled back shop, but verification failed');
    expect(run.summary).toMatch(/^\| shop \| ✅ rolled back \| `v42 100 %` \| `v41` \| `dep-after-v41` \| ❌ \|/m);
  });

  it("reports the command's own stderr when the rollback fails, not just its exit code", async () => {
    const run = await runAction({ actionDir, inputs: command(), env: { ROLLBACK_FAILS: '1' } });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual(['shop: rollback-command failed with exit code 4: route update failed: upstream 503 from the load balancer']);
    expect(run.outputs).toMatchObject({ verified: 'skipped' });
    expect(run.summary).toContain('## ❌ Rollback failed at shop');
    expect(run.summary).toContain('route update failed: upstream 503 from the load balancer');
    expect(run.log).toMatch(/##\[group\]shop: What rollback-command wrote to stderr\nroute update failed: upstream 503 from the load balancer\n##\[endgroup\]/);
  });

  it('stops verifying when the job is cancelled, and says the rollback was done', async () => {
    const cancel = new AbortController();
    const running = runAction({
      actionDir,
      // The service stays down: verification would go on until the deadline.
      inputs: command({ url: `${base}/health`, 'verify-deadline': '5m', 'verify-interval': '200ms' }),
      signal: cancel.signal
    });
    for (let i = 0; i < 600 && !calls().some((c) => c[0] === 'rollback'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    cancel.abort();
    const run = await running;
    expect(run.cancelled).toBe(true);
    expect(run.outputs).toMatchObject({ 'rolled-back-to': 'v41', verified: 'skipped' });
    // Ours, then the runner's own for a cancelled step.
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual(['cancelled before verification ended', 'The operation was canceled.']);
    expect(run.summary).toContain('## ⏹️ Rollback cancelled before verification ended');
    expect(run.durationMs).toBeLessThan(60_000);
  });

  it('changes nothing when the target already serves alone', async () => {
    serving('v41');
    const run = await runAction({ actionDir, inputs: command() });
    expect(run.exitCode).toBe(0);
    expect(calls().map((c) => c[0])).toEqual(['status']);
    expect(run.outputs).toMatchObject({ 'rolled-back-from': 'v41', 'rolled-back-to': 'v41', 'deployment-id': 'dep-v41', verified: 'skipped' });
    expect(run.stdout).toContain('shop: v41 already serves 100 %; nothing to change');
  });

  it('without status-command, runs the rollback blind: from is canary-version', async () => {
    const { 'status-command': _, ...inputs } = command();
    const run = await runAction({ actionDir, inputs });
    expect(run.exitCode).toBe(0);
    expect(calls()).toEqual([['rollback', 'v41', '--leaving', 'v42', '--percentage', '0']]);
    expect(run.outputs).toMatchObject({ 'rolled-back-from': 'v42', 'rolled-back-to': 'v41' });
    expect(run.summary).toMatch(/^\| shop \| ✅ rolled back \| unknown \| `v41` \|/m);
  });

  it('fails a bad input in one line before any command runs', async () => {
    const run = await runAction({ actionDir, inputs: command({ to: 'previous', 'pre-rollback-command': `${quoted(node)} ${quoted(backupScript)}` }) });
    expect(run.exitCode).toBe(1);
    expect(calls()).toEqual([]);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual(['input to: "previous" needs a deployment history the command provider does not have; expected the version id to roll back to, as rollback-command knows it ({stable}), or last-good with github-environment']);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a rollback-command whose program is not on PATH in one line, before pre-rollback-command or any read', async () => {
    const run = await runAction({ actionDir, inputs: command({ 'rollback-command': 'platformctl rollback {stable}', 'pre-rollback-command': `${quoted(node)} ${quoted(backupScript)}` }) });
    expect(run.exitCode).toBe(1);
    expect(calls()).toEqual([]);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([
      'input rollback-command: its program "platformctl" is not on PATH or is not executable, so no command was run; expected a program on PATH, or the path of an executable file (relative to working-directory)'
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('rollback bundle, Cloudflare on the local bed with real wrangler', () => {
  let bed: CloudflareBed;
  let wrangler: WranglerEnvironment;
  let workspace: string;
  /** What the step gets in env: what wrangler needs to talk to the bed only (the token and account id go in as inputs). */
  let stepEnv: Record<string, string>;
  let connections: string;
  const connectGuard = fileURLToPath(new URL('../../testbed/cloudflare/connect-guard.mjs', import.meta.url));

  beforeAll(async () => {
    bed = await startCloudflareBed();
    // Every Node process of the step (the action, wrangler and the child it re-spawns) records its
    // connections and may open none but to loopback.
    wrangler = await wranglerEnvironment({ url: bed.apiUrl }, { accountId: bed.accountId, token: bed.token, nodeOptions: `--import=${connectGuard}` });
    const keep = ['CLOUDFLARE_API_BASE_URL', 'HOME', 'XDG_CONFIG_HOME', 'TMPDIR', 'WRANGLER_SEND_METRICS', 'WRANGLER_HIDE_BANNER', 'NO_PROXY', 'no_proxy', 'FORCE_COLOR', 'NODE_OPTIONS'];
    // A workspace with wrangler installed, as after `npm ci` in a Worker's repository.
    workspace = mkdtempSync(join(tmpdir(), 'rollback-bed-'));
    connections = join(workspace, 'connections.jsonl');
    stepEnv = { ...Object.fromEntries(keep.map((name) => [name, wrangler.env[name]!])), CONNECT_GUARD_LOG: connections };
    symlinkSync(fileURLToPath(new URL('../../node_modules', import.meta.url)), join(workspace, 'node_modules'));
  }, 120_000);

  afterAll(async () => {
    await bed?.stop();
    await wrangler?.cleanup();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  /** A Worker with these versions (by label) and deployments (shares by label), one minute apart, the last serving. */
  function worker(name: string, labels: Record<string, { fail?: number; secrets?: Record<string, number> }>, deployments: Array<Record<string, number>>): Record<string, StoredVersion> {
    const versions = Object.fromEntries(
      Object.entries(labels).map(([label, { fail = 0, secrets = {} }]) => {
        const version = upload(bed.store, name, { VERSION_LABEL: label, FAIL_PERCENT: fail });
        version.secretGenerations = secrets;
        return [label, version];
      })
    );
    deployments.forEach((shares, i) => {
      const made = deploy(
        bed.store,
        name,
        Object.entries(shares).map(([label, percentage]) => [versions[label]!, percentage])
      );
      made.createdOn = new Date(Date.now() - (deployments.length - i) * 60_000).toISOString();
    });
    return versions;
  }

  function serving(name: string): string {
    return bed
      .store.currentDeployment(name)!
      .versions.map((v) => `${v.version_id}@${v.percentage}`)
      .join(' ');
  }

  /** The rollbacks the API was asked for, in order: `<worker>` or `<worker> force`. */
  function rollbackCalls(since: number): string[] {
    return bed.store.calls
      .filter((c) => c.at >= since && c.method === 'POST' && /\/workers\/scripts\/[^/]+\/deployments/.test(c.path))
      .map((c) => `${/scripts\/([^/]+)\//.exec(c.path)![1]}${c.path.includes('force=true') ? ' force' : ''} ${c.status}`);
  }

  function rollback(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
    return runAction({ actionDir, workspace, inputs: { 'api-token': bed.token, 'account-id': bed.accountId, 'verify-interval': '200ms', ...inputs }, env: { ...stepEnv, ...env } });
  }

  function visible(run: ActionRun): string {
    return [run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary, ...Object.values(run.outputs)].join('\n');
  }

  it('rolls back to the previous version that served alone, skipping the canary split, and verifies it through the router', async () => {
    const v = worker('prev', { v1: {}, v2: {} }, [{ v1: 100 }, { v1: 90, v2: 10 }, { v2: 100 }]);
    const since = Date.now();
    const run = await rollback({ worker: 'prev', url: `${bed.workerUrl('prev')}/health`, 'json-path': '$.label == "v1"' });
    expect(run.exitCode).toBe(0);
    expect(serving('prev')).toBe(`${v.v1!.id}@100`);
    expect(run.outputs).toMatchObject({ 'rolled-back-from': v.v2!.id, 'rolled-back-to': v.v1!.id, 'deployment-id': bed.store.currentDeployment('prev')!.id, verified: 'true' });
    expect(bed.store.currentDeployment('prev')!.annotations['workers/message']).toBe('Rollback from https://github.com/octo-org/octo-repo/actions/runs/1658821493');
    expect(rollbackCalls(since)).toEqual(['prev 200']);
    // The router serves v1 now.
    const answer = await fetch(`${bed.workerUrl('prev')}/health`);
    expect(answer.headers.get('x-testbed-version')).toBe(v.v1!.id);
    expect(run.summary).toContain(`| prev | ✅ rolled back | \`${v.v2!.id} 100 %\` | \`${v.v1!.id}\` |`);
    // The history (its newest is what serves) and the rollback are API calls of ours: wrangler never ran.
    expect(run.summary).toMatch(/^Took \d+(\.\d+)?m?s\.$/m);
    expect(run.masks).toEqual(expect.arrayContaining([bed.token, bed.accountId]));
    expect(visible(run)).not.toContain(bed.token);
    expect(visible(run)).not.toContain(bed.accountId);
  }, 180_000);

  it('rolls back to a version id given, one that is not the previous', async () => {
    const v = worker('pick', { v1: {}, v2: {}, v3: {} }, [{ v1: 100 }, { v2: 100 }, { v3: 100 }]);
    const run = await rollback({ worker: 'pick', to: v.v1!.id });
    expect(run.exitCode).toBe(0);
    expect(serving('pick')).toBe(`${v.v1!.id}@100`);
    expect(run.outputs).toMatchObject({ 'rolled-back-from': v.v3!.id, 'rolled-back-to': v.v1!.id, verified: 'skipped' });
  }, 180_000);

  it('ends a canary split at the stable version: the one the split started from, though it has less traffic', async () => {
    const v = worker('split', { v1: {}, v2: {} }, [{ v1: 100 }, { v1: 95, v2: 5 }, { v1: 25, v2: 75 }]);
    const run = await rollback({ worker: 'split', to: 'stable' });
    expect(run.exitCode).toBe(0);
    expect(serving('split')).toBe(`${v.v1!.id}@100`);
    expect(run.outputs).toMatchObject({ 'rolled-back-from': v.v2!.id, 'rolled-back-to': v.v1!.id });
    expect(run.summary).toContain(`| split | ✅ rolled back | \`${v.v1!.id} 25 % + ${v.v2!.id} 75 %\` | \`${v.v1!.id}\` |`);
  }, 180_000);

  it("names Cloudflare's code and message when a Worker cannot be read, and changes nothing", async () => {
    worker('real', { v1: {}, v2: {} }, [{ v1: 100 }, { v2: 100 }]);
    const since = Date.now();
    const run = await rollback({ workers: 'real, ghost' });
    expect(run.exitCode).toBe(1);
    expect(rollbackCalls(since)).toEqual([]);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors[0]).toBe('ghost: Cloudflare refused to read the deployments of ghost: This Worker does not exist on your account. (code 10007)');
    expect(errors[1]).toBe('nothing was rolled back: ghost could not be read or has no target');
    expect(run.summary).toContain('## ❌ Rollback stopped before anything changed');
    expect(run.summary).toMatch(/^\| ghost \| Cloudflare refused to read the deployments of ghost: This Worker does not exist on your account\. \(code 10007\) \|$/m);
    expect(run.summary.split('This Worker does not exist on your account. (code 10007)')).toHaveLength(2);
  }, 180_000);

  it('rolls back several Workers in the order given, the gateway first, each reported', async () => {
    const gateway = worker('gateway', { g1: {}, g2: {} }, [{ g1: 100 }, { g2: 100 }]);
    const api = worker('api', { a1: {}, a2: {} }, [{ a1: 100 }, { a2: 100 }]);
    const since = Date.now();
    const run = await rollback({ workers: 'gateway\napi' });
    expect(run.exitCode).toBe(0);
    expect(rollbackCalls(since)).toEqual(['gateway 200', 'api 200']);
    expect(JSON.parse(run.outputs['rolled-back-to']!)).toEqual({ gateway: gateway.g1!.id, api: api.a1!.id });
    expect(JSON.parse(run.outputs['rolled-back-from']!)).toEqual({ gateway: gateway.g2!.id, api: api.a2!.id });
    expect(Object.keys(JSON.parse(run.outputs['deployment-id']!))).toEqual(['gateway', 'api']);
    expect(run.summary.indexOf('| gateway | ✅ rolled back')).toBeLessThan(run.summary.indexOf('| api | ✅ rolled back'));
  }, 180_000);

  it('refuses to roll back past changed secrets, naming them, and does it with force: true', async () => {
    const v = worker('billing', { v1: { secrets: { DB_URL: 1, STRIPE_KEY: 1 } }, v2: { secrets: { DB_URL: 2, STRIPE_KEY: 1 } } }, [{ v1: 100 }, { v2: 100 }]);
    bed.store.worker('billing')!.secrets.set('DB_URL', { generation: 2, value: 'postgres://new' });
    bed.store.worker('billing')!.secrets.set('STRIPE_KEY', { generation: 1, value: 'sk_live_x' });
    let since = Date.now();
    const refused = await rollback({ worker: 'billing' });
    expect(refused.exitCode).toBe(1);
    expect(serving('billing')).toBe(`${v.v2!.id}@100`);
    expect(rollbackCalls(since)).toEqual(['billing 400']);
    const errors = refused.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^billing: Cloudflare refused to roll billing back to [0-9a-f-]+ \(code 10220\): the secrets DB_URL changed since that version was uploaded/);
    expect(errors[0]).toContain('force: true');
    expect(refused.outputs).toMatchObject({ verified: 'skipped' });

    since = Date.now();
    const forced = await rollback({ worker: 'billing', force: 'true' });
    expect(forced.exitCode).toBe(0);
    expect(serving('billing')).toBe(`${v.v1!.id}@100`);
    // Ours first (refused again), then wrangler's rollback: refused too, and retried by wrangler with force.
    expect(rollbackCalls(since)).toEqual(['billing 400', 'billing 400', 'billing force 200']);
    expect(forced.outputs).toMatchObject({ 'rolled-back-to': v.v1!.id });
  }, 180_000);

  it('fails the step when the version rolled back to does not pass verification: verified=false', async () => {
    const v = worker('broken', { v1: { fail: 100 }, v2: {} }, [{ v1: 100 }, { v2: 100 }]);
    const run = await rollback({ worker: 'broken', url: `${bed.workerUrl('broken')}/health`, 'verify-deadline': '3s' });
    expect(run.exitCode).toBe(1);
    expect(serving('broken')).toBe(`${v.v1!.id}@100`);
    expect(run.outputs).toMatchObject({ 'rolled-back-to': v.v1!.id, verified: 'false' });
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toContain(`${bed.workerUrl('broken')}/health: status: expected 200-299, got 500`);
    expect(errors).toContain('rolled back, but verification failed: 1 of 1 URL not healthy');
  }, 180_000);

  it('runs the backup step before the rollback, and a failing backup leaves the Worker as it was', async () => {
    const v = worker('backed', { v1: {}, v2: {} }, [{ v1: 100 }, { v2: 100 }]);
    const marker = join(workspace, 'backup-at.txt');
    const backup = join(workspace, 'backup.mjs');
    writeFileSync(backup, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, String(Date.now()));\nif (process.env.BACKUP_FAILS) { console.error('backup: bucket not writable'); process.exit(1); }\n`);
    const pre = `${quoted(node)} ${quoted(backup)}`;

    let since = Date.now();
    const failed = await rollback({ worker: 'backed', 'pre-rollback-command': pre }, { BACKUP_FAILS: '1' });
    expect(failed.exitCode).toBe(1);
    expect(existsSync(marker)).toBe(true);
    expect(rollbackCalls(since)).toEqual([]);
    expect(serving('backed')).toBe(`${v.v2!.id}@100`);
    expect(failed.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual(['pre-rollback-command exited with code 1: backup: bucket not writable; nothing was rolled back']);

    rmSync(marker);
    since = Date.now();
    const run = await rollback({ worker: 'backed', 'pre-rollback-command': pre });
    expect(run.exitCode).toBe(0);
    const backedUpAt = Number(readFileSync(marker, 'utf8'));
    const [post] = bed.store.calls.filter((c) => c.at >= since && c.method === 'POST');
    expect(post!.at).toBeGreaterThanOrEqual(backedUpAt);
    expect(serving('backed')).toBe(`${v.v1!.id}@100`);
  }, 180_000);

  it('opened no connection but to loopback, in the action and in every wrangler it ran', () => {
    const entries = readFileSync(connections, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { allowed: boolean; host?: string; pid: number });
    // The guard saw the runs above: several processes (the action, wrangler, its re-spawned child), many connections.
    expect(new Set(entries.map((e) => e.pid)).size).toBeGreaterThan(3);
    expect(entries.filter((e) => !e.allowed)).toEqual([]);
  });
});
