// rollback's bundle run the way the GitHub runner runs it, with the command provider: scripts that
// record their arguments stand in for the platform, and a local server for what verification probes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction } from '@deploy-actions/harness';

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
    expect(errors).toEqual(['input to: "previous" needs a deployment history the command provider does not have; expected the version id to roll back to, as rollback-command knows it ({stable})']);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
