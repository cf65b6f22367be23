// canary-shift's bundle run the way the runner runs it, with the command provider: a real script
// sets the split in a file (the "platform"), and each version is its own local HTTP server, probed
// at canary-url and stable-url. What the script last wrote proves where the traffic went.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction, type ActionRun } from '@deploy-actions/harness';
import { startGitHubStandIn, type GitHubStandIn } from '../../testbed/github/server.js';
import { startServer, type TestServer } from '../helpers/servers.js';

const actionDir = fileURLToPath(new URL('../../actions/canary-shift', import.meta.url));
const SECRET = 'probe-secret-4b9d2e';

// The platform: `set <canary> <stable> <percentage>`, `reset <stable>`, `status`. KILL_AT=<percentage>
// makes it SIGKILL the step that ran it right after serving that split: a runner process dying mid-shift.
// HOTFIX_AT=<percentage>: someone else deploys hotfix-77 while that step bakes, seen by the second
// status read of that split (the first is the read-back of the write itself), whatever the timing.
const TRAFFIC_SCRIPT = `
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
const [file, command, ...args] = process.argv.slice(2);
if (command === 'status') {
  const at = process.env.HOTFIX_AT;
  if (at && JSON.parse(readFileSync(file, 'utf8')).versions.some((v) => v.version === 'green' && v.percentage === Number(at))) {
    const reads = (existsSync(file + '.reads') ? Number(readFileSync(file + '.reads', 'utf8')) : 0) + 1;
    writeFileSync(file + '.reads', String(reads));
    if (reads === 2) writeFileSync(file, JSON.stringify({ id: 'hotfix-77', versions: [{ version: 'blue', percentage: 100 }] }));
  }
  process.stdout.write(readFileSync(file, 'utf8'));
  process.exit(0);
}
appendFileSync(file + '.log', [command, ...args].join(' ') + '\\n');
const write = (versions) => writeFileSync(file, JSON.stringify({ id: 'split-' + Date.now(), versions }));
if (command === 'set') {
  const [canary, stable, percentage] = args;
  const share = Number(percentage);
  write(share >= 100 ? [{ version: canary, percentage: 100 }] : [{ version: canary, percentage: share }, { version: stable, percentage: 100 - share }]);
  if (process.env.KILL_AT === percentage) process.kill(process.ppid, 'SIGKILL');
} else if (command === 'reset') {
  write([{ version: args[0], percentage: 100 }]);
} else { console.error('unknown command ' + command); process.exit(2); }
`;

type Behaviour = 'healthy' | 'failing-30' | 'slow-200ms' | 'failing-5.5';
let canaryBehaviour: Behaviour = 'healthy';
/** The share of requests stable fails, spread evenly (the n-th fails when floor(n·share) steps up). */
let stableFailShare = 0;
const evenly = (n: number, share: number) => Math.floor(n * share) > Math.floor((n - 1) * share);
let canary: TestServer;
let stable: TestServer;
let dir: string;
let splitFile: string;

beforeAll(async () => {
  let served = 0;
  canary = await startServer(async (_req, res, { wait }) => {
    served += 1;
    if (canaryBehaviour === 'slow-200ms') await wait(200);
    // Three requests in every ten fail: 30 %, whatever the timing.
    const fail = (canaryBehaviour === 'failing-30' && served % 10 < 3) || (canaryBehaviour === 'failing-5.5' && evenly(served, 0.055));
    res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: fail ? 'error' : 'ok', version: 'green' }));
  });
  let stableServed = 0;
  stable = await startServer((_req, res) => {
    stableServed += 1;
    const fail = stableFailShare > 0 && evenly(stableServed, stableFailShare);
    res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: fail ? 'error' : 'ok', version: 'blue' }));
  });
});

afterAll(async () => {
  await Promise.all([canary.close(), stable.close()]);
});

beforeEach(() => {
  canaryBehaviour = 'healthy';
  stableFailShare = 0;
  dir = mkdtempSync(join(tmpdir(), 'canary-shift-it-'));
  splitFile = join(dir, 'split.json');
  writeFileSync(join(dir, 'traffic.mjs'), TRAFFIC_SCRIPT);
  writeFileSync(splitFile, JSON.stringify({ id: 'initial', versions: [{ version: 'blue', percentage: 100 }] }));
});

const split = () => (JSON.parse(readFileSync(splitFile, 'utf8')) as { id: string; versions: Array<{ version: string; percentage: number }> }).versions;
const calls = () => (existsSync(`${splitFile}.log`) ? readFileSync(`${splitFile}.log`, 'utf8').trim().split('\n') : []);
const command = (...args: string[]) => [process.execPath, join(dir, 'traffic.mjs'), splitFile, ...args].map((a) => JSON.stringify(a)).join(' ');

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'command',
    version: 'green',
    'stable-version': 'blue',
    'shift-command': command('set', '{canary}', '{stable}', '{percentage}'),
    'rollback-command': command('reset', '{stable}'),
    'status-command': command('status'),
    'canary-url': canary.origin,
    'stable-url': stable.origin,
    url: 'https://api.example.com/health',
    headers: `Authorization: Bearer ${SECRET}`,
    'json-path': '$.status == "ok"',
    steps: '0,50,100',
    bake: '1s',
    interval: '1s',
    'probe-rate': '20',
    'min-samples': '5',
    // Latency is under test only where a test sets it: two identical servers' p95 differ by more
    // than the 10 ms floor on a loaded machine, which would fail a healthy canary by luck.
    'max-latency-increase': 'none',
    ...overrides
  };
}

function afterRun(run: ActionRun): void {
  // The probe's credential never shows, wherever the run wrote.
  for (const text of [run.log, run.summary, JSON.stringify(run.outputs), ...(run.post ? [run.post.log] : [])]) expect(text).not.toContain(SECRET);
  rmSync(dir, { recursive: true, force: true });
}

describe('canary-shift bundle with the command provider', () => {
  it('promotes a healthy canary through 0/50/100 and reports every step', async () => {
    const run = await runAction({ actionDir, inputs: inputs() });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 0, result: 'promoted' });
    expect(run.outputs['canary-version']).toBe('green');
    expect(run.outputs['stable-version']).toBe('blue');
    expect(run.outputs['final-percentage']).toBe('100');
    expect(calls()).toEqual(['set green blue 0', 'set green blue 50', 'set green blue 100']);
    expect(split()).toEqual([{ version: 'green', percentage: 100 }]);
    const timeline = JSON.parse(run.outputs.timeline ?? '[]');
    expect(timeline.map((s: { percentage: number; verdict: string }) => [s.percentage, s.verdict])).toEqual([
      [0, 'passed'],
      [50, 'passed'],
      [100, 'passed']
    ]);
    expect(timeline[1]).toMatchObject({ source: 'probes', canary: { errors: 0, 'error-rate': 0 }, stable: { errors: 0 } });
    expect(timeline[1].canary.samples).toBeGreaterThanOrEqual(5);
    expect(timeline[1].windows[0].sources.probes.canary['p95-ms']).toEqual(expect.any(Number));
    expect(run.summary).toContain('## ✅ Canary promoted: `green` serves 100 %');
    expect(run.summary).toMatch(/\| Step \| Verdict \| Duration \| Canary errors/);
    expect(run.summary).toContain('```mermaid\nxychart-beta');
    // The post step finds the shift finished and leaves it alone.
    expect(run.post?.conclusion).toBe('success');
    expect(calls()).toHaveLength(3);
    afterRun(run);
  });

  it('rolls back a canary failing 30 % at its first step, with stable back at 100 % and the step failed', async () => {
    canaryBehaviour = 'failing-30';
    const run = await runAction({ actionDir, inputs: inputs() });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 1, result: 'rolled-back' });
    expect(run.outputs['final-percentage']).toBe('0');
    // No user saw it: it failed at the 0 % step and never got a share.
    expect(calls()).toEqual(['set green blue 0', 'reset blue']);
    expect(split()).toEqual([{ version: 'blue', percentage: 100 }]);
    expect(run.summary).toMatch(/^## ❌ Canary rolled back: `blue` serves 100 % again\n\n### Why: the 0 % step failed\n/);
    expect(run.summary).toMatch(/canary error rate \d+(\.\d+)?% \(\d+ of \d+\) is above max-error-rate 2%/);
    expect(run.annotations).toContainEqual(expect.objectContaining({ level: 'error', properties: expect.objectContaining({ title: 'canary-shift: rolled-back' }) }));
    expect(run.log).toMatch(/##\[error\]canary-shift rolled-back: the 0 % step failed: probes: canary error rate/);
    afterRun(run);
  });

  it('catches a canary 200 ms slower than stable by the latency gate', async () => {
    canaryBehaviour = 'slow-200ms';
    const run = await runAction({ actionDir, inputs: inputs({ 'max-latency-increase': '20%' }) });
    expect(run.outputs.result).toBe('rolled-back');
    expect(split()).toEqual([{ version: 'blue', percentage: 100 }]);
    const timeline = JSON.parse(run.outputs.timeline ?? '[]');
    expect(timeline[0].reason).toMatch(/^probes: canary p95 \S+ is \S+ above stable's \S+ \(\+\d+%\) \(max-latency-increase 20%\)/);
    afterRun(run);
  });

  it('calls too few samples inconclusive, rolls back, and fails the step', async () => {
    const run = await runAction({ actionDir, inputs: inputs({ 'min-samples': '100000' }) });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 1, result: 'inconclusive' });
    expect(split()).toEqual([{ version: 'blue', percentage: 100 }]);
    expect(run.summary).toContain('## ⚠️ Canary inconclusive, rolled back');
    expect(run.summary).toMatch(/too few samples to judge \(canary \d+, stable \d+; min-samples 100000\)/);
    afterRun(run);
  });

  it('stops untouched when someone else changes the split mid-shift, and names their deployment', async () => {
    // A person deploys by hand while the 5 % step bakes: the platform itself makes the change, so the
    // action sees it at its next read whatever the machine's speed. The latency gate is off: two local
    // servers' p95 differ by scheduling noise on a loaded machine, and a window failed by it would roll
    // back before the change is read (the latency test covers the gate).
    const run = await runAction({
      actionDir,
      inputs: inputs({ steps: '0,5,50,100', bake: '2s', 'max-latency-increase': 'none' }),
      env: { HOTFIX_AT: '5' }
    });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 1, result: 'stopped' });
    expect(calls()).toEqual(['set green blue 0', 'set green blue 5']);
    expect(JSON.parse(readFileSync(splitFile, 'utf8')).id).toBe('hotfix-77');
    expect(run.log).toContain('the deployment was changed by someone else: deployment hotfix-77 serves blue at 100 %');
    expect(run.post?.conclusion).toBe('success');
    afterRun(run);
  });

  it('on SIGINT mid-shift puts stable back at 100 % before it exits', async () => {
    const cancel = new AbortController();
    const run = await runAction({
      actionDir,
      inputs: inputs({ bake: '50:60s' }),
      signal: cancel.signal,
      onLine: (line) => {
        if (line.includes('Step 50 %: serving')) setTimeout(() => cancel.abort(), 300);
      }
    });
    expect(run.cancelled).toBe(true);
    // The log goes with the calls, so a failure shows what the step did.
    expect({ calls: calls(), log: run.log }).toEqual({ calls: ['set green blue 0', 'set green blue 50', 'reset blue'], log: expect.any(String) });
    expect(split()).toEqual([{ version: 'blue', percentage: 100 }]);
    expect(run.log).toContain('Received SIGINT: stopping the shift and restoring stable');
    expect(run.outputs.result).toBe('rolled-back');
    afterRun(run);
  });

  it('after a SIGKILL mid-shift, the post step puts stable back at 100 %', async () => {
    const run = await runAction({ actionDir, inputs: inputs({ bake: '50:60s' }), env: { KILL_AT: '50' } });
    expect(run.signal).toBe('SIGKILL');
    expect(run.post?.conclusion).toBe('success');
    expect(run.post?.log).toContain('The shift did not finish: restoring blue at 100 %');
    expect(calls()).toEqual(['set green blue 0', 'set green blue 50', 'reset blue']);
    expect(split()).toEqual([{ version: 'blue', percentage: 100 }]);
    afterRun(run);
  });

  it('promotes a canary failing 5.5 % against a stable failing 5 %: one point over stable is allowed', async () => {
    stableFailShare = 0.05;
    canaryBehaviour = 'failing-5.5';
    // Enough samples per window that one error more or less moves a rate by well under a point.
    const run = await runAction({ actionDir, inputs: inputs({ 'max-error-rate': 'none', 'max-error-rate-increase': '1', 'probe-rate': '150', interval: '4s', bake: '4s', 'min-samples': '300' }) });
    const timeline = JSON.parse(run.outputs.timeline ?? '[]');
    const rates = timeline.flatMap((s: { windows: Array<{ sources: { probes: { canary: { 'error-rate': number }; stable: { 'error-rate': number } } } }> }) =>
      s.windows.map((w) => [w.sources.probes.canary['error-rate'], w.sources.probes.stable['error-rate']])
    );
    expect({ result: run.outputs.result, rates }).toEqual({ result: 'promoted', rates: expect.any(Array) });
    expect(rates).toHaveLength(2);
    for (const [canaryRate, stableRate] of rates) {
      expect(canaryRate).toBeGreaterThan(4.5);
      expect(stableRate).toBeGreaterThan(4);
      expect(stableRate).toBeLessThan(6);
    }
    // The same canary against a clean stable is 5.5 points over it: rolled back.
    stableFailShare = 0;
    writeFileSync(splitFile, JSON.stringify({ id: 'initial', versions: [{ version: 'blue', percentage: 100 }] }));
    const against = await runAction({ actionDir, inputs: inputs({ 'max-error-rate': 'none', 'max-error-rate-increase': '1', 'probe-rate': '150', interval: '4s', bake: '4s', 'min-samples': '300' }) });
    expect(against.outputs.result).toBe('rolled-back');
    expect(JSON.parse(against.outputs.timeline ?? '[]')[0].reason).toMatch(/points above stable's 0% .*\(max-error-rate-increase 1\)/);
    afterRun(run);
  });

  it('runs the smoke-test spec against the canary at the 0 % step, and rolls back when it fails', async () => {
    // The canary answers version green; stable would answer blue.
    const passing = await runAction({ actionDir, inputs: inputs({ 'smoke-spec': 'tests:\n  - name: the canary answers\n    request: { url: /version }\n    expect: { status: 200, json: { $.version: { equals: green } } }\n' }) });
    expect({ result: passing.outputs.result, log: passing.outputs.result === 'promoted' ? '' : passing.log }).toEqual({ result: 'promoted', log: '' });
    expect(passing.log).toContain('Step 0 %: smoke-test passed');

    writeFileSync(splitFile, JSON.stringify({ id: 'initial', versions: [{ version: 'blue', percentage: 100 }] }));
    rmSync(`${splitFile}.log`, { force: true });
    const failing = await runAction({ actionDir, inputs: inputs({ 'smoke-spec': 'tests:\n  - name: checkout\n    request: { url: /checkout }\n    expect: { json: { $.version: { equals: purple } } }\n' }) });
    expect({ exitCode: failing.exitCode, result: failing.outputs.result }).toEqual({ exitCode: 1, result: 'rolled-back' });
    expect(calls()).toEqual(['set green blue 0', 'reset blue']);
    expect(failing.summary).toContain('### Why: the 0 % step failed');
    expect(failing.summary).toMatch(/smoke-test against the canary failed: .*1 of 1 test/);
    // The suite's requests carried the user's headers to the canary's address.
    expect(canary.requests.some((r) => r.url === '/checkout' && r.headers.authorization === `Bearer ${SECRET}`)).toBe(true);
    expect(stable.requests.some((r) => r.url === '/checkout')).toBe(false);
    afterRun(failing);
  });

  it('refuses a bad input in one line and runs no command', async () => {
    const run = await runAction({ actionDir, inputs: inputs({ steps: '0,50' }) });
    expect(run.exitCode).toBe(1);
    const errors = run.log.split('\n').filter((line) => line.startsWith('##[error]'));
    expect(errors).toEqual(['##[error]input steps: the last step is 50, not 100; expected ascending percentages from 0 to 100 ending at 100, such as 0,5,25,50,100']);
    expect(calls()).toEqual([]);
    expect(run.post?.log ?? '').not.toContain('restoring');
    afterRun(run);
  });

  it('refuses to start when rollback-command names a program that is not there: one line, nothing shifted', async () => {
    const run = await runAction({ actionDir, inputs: inputs({ 'rollback-command': './scripts/put-stable-back.sh {stable}' }) });
    expect(run.exitCode).toBe(1);
    const errors = run.log.split('\n').filter((line) => line.startsWith('##[error]'));
    expect(errors).toEqual([
      '##[error]input rollback-command: its program "./scripts/put-stable-back.sh" is not there or is not executable, so no command was run; expected a program on PATH, or the path of an executable file (relative to working-directory)'
    ]);
    // Not even the status read or the 0 % step: a canary given traffic could not have been taken back.
    expect(calls()).toEqual([]);
    expect(run.outputs.result).toBeUndefined();
    afterRun(run);
  });
});

describe('canary-shift bundle with github-environment', () => {
  let standIn: GitHubStandIn;
  beforeAll(async () => {
    standIn = await startGitHubStandIn();
  });
  afterAll(async () => {
    await standIn?.stop();
  });
  const env = () => ({ ...standIn.env(), GITHUB_TOKEN: standIn.token, DEPLOY_ACTIONS_GITHUB_DELAYS: 'off', GITHUB_SHA: 'c'.repeat(40), GITHUB_RUN_ID: '9001', GITHUB_RUN_ATTEMPT: '1' });
  const states = (id: number) => standIn.deployments().find((deployment) => deployment.id === id)!.statuses.map((status) => `${status.state}: ${status.description}`);

  it('records the canary in progress when the shift starts, and success when it is promoted', async () => {
    const seen: string[] = [];
    const run = await runAction({
      actionDir,
      inputs: inputs({ 'github-environment': 'staging' }),
      env: env(),
      // While the shift runs, the record is already there, in progress.
      onLine: (line) => {
        if (line.includes('set green blue 50') || /Recorded as GitHub deployment/.test(line)) seen.push(standIn.deployments().at(-1)?.statuses.at(-1)?.state ?? 'none');
      }
    });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 0, result: 'promoted' });
    const [record] = standIn.deployments();
    expect(record).toMatchObject({ environment: 'staging', sha: 'c'.repeat(40), payload: { provider: 'command', worker: 'service', versionId: 'green' }, description: 'canary green over stable blue' });
    expect(states(record!.id)).toEqual(['in_progress: canary green over stable blue', 'success: promoted: green serves 100 %']);
    expect(record!.statuses[0]!.logUrl).toBe(`${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/9001/attempts/1`);
    expect(seen[0]).toBe('in_progress');
    expect(run.log).not.toContain(standIn.token);
    expect(standIn.violations()).toEqual([]);
    afterRun(run);
  });

  it('records the service of provider: command under the worker given, as rollback names it', async () => {
    const run = await runAction({ actionDir, inputs: inputs({ 'github-environment': 'staging', worker: 'frontend' }), env: env() });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 0, result: 'promoted' });
    expect(standIn.deployments().at(-1)).toMatchObject({ payload: { provider: 'command', worker: 'frontend', versionId: 'green' } });
    expect(standIn.violations()).toEqual([]);
    afterRun(run);
  });

  it('records failure when the canary is rolled back', async () => {
    canaryBehaviour = 'failing-30';
    const before = standIn.deployments().length;
    const run = await runAction({ actionDir, inputs: inputs({ 'github-environment': 'staging' }), env: env() });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 1, result: 'rolled-back' });
    const record = standIn.deployments()[before]!;
    expect(states(record.id)[0]).toBe('in_progress: canary green over stable blue');
    expect(states(record.id)[1]).toMatch(/^failure: rolled-back: /);
    expect(states(record.id)).toHaveLength(2);
    expect(standIn.violations()).toEqual([]);
    afterRun(run);
  });
});

describe('canary-shift bundle with incident-issue', () => {
  let standIn: GitHubStandIn;
  beforeAll(async () => {
    standIn = await startGitHubStandIn();
  });
  afterAll(async () => {
    const violations = standIn?.violations() ?? [];
    await standIn?.stop();
    expect(violations).toEqual([]);
  });
  const env = (runId: string) => ({ ...standIn.env(), GITHUB_TOKEN: standIn.token, DEPLOY_ACTIONS_GITHUB_DELAYS: 'off', GITHUB_SHA: 'c'.repeat(40), GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: '1' });
  const runUrl = (runId: string) => `${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/${runId}/attempts/1`;
  /** The issue calls (github-environment adds the deployment record's). */
  const operations = () => standIn.calls().filter((call) => call.operationId?.startsWith('issues/')).map((call) => `${call.method} ${call.operationId}`);

  it('opens one incident for the environment when the canary is rolled back, and a re-run comments on it instead of opening a second', async () => {
    canaryBehaviour = 'failing-30';
    standIn.clearRecords();
    const run = await runAction({ actionDir, inputs: inputs({ 'incident-issue': 'true', 'github-environment': 'production' }), env: env('9101') });
    // The shift's own result is untouched by the incident.
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 1, result: 'rolled-back' });
    expect(run.log).toMatch(/##\[error\]canary-shift rolled-back: the 0 % step failed/);
    expect(run.outputs).toMatchObject({ 'incident-number': '1', 'incident-url': `${standIn.url}/${standIn.owner}/${standIn.repo}/issues/1` });
    expect(run.outputs['incident-error']).toBeUndefined();
    const [issue] = standIn.issues();
    expect(issue).toMatchObject({ number: 1, title: 'Incident: service rolled back in production', state: 'open', labels: ['deploy-tracking', 'incident'] });
    const body = issue!.body!;
    expect(body).toContain('<!-- deploy-actions:create-tracking-issue {"key":"incident: service in production","series":"incidents: production"} -->');
    expect(body).toContain('**service** in **production** was rolled back by canary-shift.');
    expect(body).toContain('| Rolled back | from `green` (the canary) to `blue` (stable) |');
    expect(body).toContain('| Stopped at | the 0 % step (failed) |');
    expect(body).toMatch(/\| Why \| the 0 % step failed: probes: canary error rate/);
    expect(body).toContain(`| Run | [${runUrl('9101')}](${runUrl('9101')}) |`);
    // The job summary's own timeline, by the same renderer.
    expect(body).toContain('## ❌ Canary rolled back: `blue` serves 100 % again');
    expect(body).toMatch(/\| Step \| Verdict \| Duration \| Canary errors \| Canary p50 \/ p95 \| Stable errors \| Stable p50 \/ p95 \| Why \|\n\| --- (\| --- )+\|\n\| 0 % \| ❌ failed \|/);
    expect(body).not.toContain(SECRET);
    expect(operations()).toEqual(['GET issues/list-for-repo', 'POST issues/create', 'GET issues/list-for-repo']);
    for (const text of [run.log, run.summary, JSON.stringify(run.outputs)]) expect(text).not.toContain(SECRET);

    // The same canary rolled back again (a re-run): the same issue gets a comment with this run's account.
    standIn.clearRecords();
    const again = await runAction({ actionDir, inputs: inputs({ 'incident-issue': 'true', 'github-environment': 'production' }), env: env('9102') });
    expect({ exitCode: again.exitCode, result: again.outputs.result }).toEqual({ exitCode: 1, result: 'rolled-back' });
    expect(again.outputs['incident-number']).toBe('1');
    expect(standIn.issues()).toHaveLength(1);
    expect(operations()).toEqual(['GET issues/list-for-repo', 'POST issues/create-comment']);
    const comments = standIn.comments(1);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(`| Run | [${runUrl('9102')}](${runUrl('9102')}) |`);
    expect(comments[0]!.body).toContain('| 0 % | ❌ failed |');
    expect(again.log).toContain(`Incident #1 commented: ${standIn.url}/${standIn.owner}/${standIn.repo}/issues/1`);
    expect(again.log).not.toContain(standIn.token);
    expect(standIn.violations()).toEqual([]);
    afterRun(again);
  });

  it('writes no incident when the canary is promoted', async () => {
    standIn.clearRecords();
    const run = await runAction({ actionDir, inputs: inputs({ 'incident-issue': 'true', environment: 'staging' }), env: env('9103') });
    expect({ exitCode: run.exitCode, result: run.outputs.result }).toEqual({ exitCode: 0, result: 'promoted' });
    expect(run.outputs['incident-number']).toBeUndefined();
    expect(standIn.calls()).toEqual([]);
    afterRun(run);
  });

  it('keeps the rollback its result when the incident cannot be written: an error annotation and incident-error', async () => {
    canaryBehaviour = 'failing-30';
    standIn.clearRecords();
    const issuesBefore = standIn.issues().length;
    const run = await runAction({ actionDir, inputs: inputs({ 'incident-issue': 'true', environment: 'staging', 'github-token': 'not-the-token' }), env: env('9104') });
    expect({ exitCode: run.exitCode, result: run.outputs.result, final: run.outputs['final-percentage'] }).toEqual({ exitCode: 1, result: 'rolled-back', final: '0' });
    expect(split()).toEqual([{ version: 'blue', percentage: 100 }]);
    // The step's failure is still the rollback's; the incident's is an annotation of its own.
    expect(run.log).toMatch(/##\[error\]canary-shift rolled-back: the 0 % step failed/);
    expect(run.outputs['incident-error']).toMatch(/^the incident issue was not written: /);
    expect(run.annotations).toContainEqual(expect.objectContaining({ level: 'error', message: run.outputs['incident-error'], properties: expect.objectContaining({ title: 'canary-shift: incident issue' }) }));
    expect(run.outputs['incident-number']).toBeUndefined();
    expect(standIn.issues()).toHaveLength(issuesBefore);
    expect(run.log).not.toContain('not-the-token');
    afterRun(run);
  });

  it('asks for an environment to name the incident, in one line, before anything runs', async () => {
    const run = await runAction({ actionDir, inputs: inputs({ 'incident-issue': 'true' }), env: env('9105') });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message)).toEqual([
      'input incident-issue: it needs an environment to name the incident, but github-environment and environment are empty; expected github-environment (or environment) set, such as production'
    ]);
    expect(calls()).toEqual([]);
    afterRun(run);
  });
});
