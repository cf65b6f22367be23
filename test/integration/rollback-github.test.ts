// rollback's bundle with `to: last-good` and `github-environment`, run the way the runner runs it:
// the command provider's scripts stand in for the platform, the GitHub stand-in holds the
// environment's deployment records. The last known good version is found there, rolled back to, and
// the rollback recorded (what it left, and why), with no schema violation and the token never shown.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { githubClient, recordDeployment, setDeploymentStatus, type DeploymentState, type GitHubClient } from '@deploy-actions/github';
import { runAction } from '@deploy-actions/harness';
import { startGitHubStandIn, type GitHubStandIn } from '../../testbed/github/server.js';

const actionDir = fileURLToPath(new URL('../../actions/rollback', import.meta.url));
const node = process.execPath;
const quoted = (path: string) => `'${path}'`;

let dir: string;
let journal: string;
let state: string;
let rollbackScript: string;
let statusScript: string;
let standIn: GitHubStandIn;
let github: GitHubClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollback-github-it-'));
  journal = join(dir, 'journal.jsonl');
  state = join(dir, 'state.json');
  statusScript = join(dir, 'status.mjs');
  writeFileSync(statusScript, `import { readFileSync } from 'node:fs';\nprocess.stdout.write(readFileSync(${JSON.stringify(state)}, 'utf8'));\n`);
  rollbackScript = join(dir, 'rollback.mjs');
  writeFileSync(
    rollbackScript,
    `import { appendFileSync, writeFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(journal)}, JSON.stringify(process.argv.slice(2)) + '\\n');
writeFileSync(${JSON.stringify(state)}, JSON.stringify({ id: 'dep-after-' + process.argv[2], versions: [{ version: process.argv[2], percentage: 100 }] }));\n`
  );
  standIn = await startGitHubStandIn();
  github = githubClient({ token: standIn.token, baseUrl: standIn.url, delays: false });
});

afterAll(async () => {
  await standIn?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => rmSync(journal, { force: true }));

afterEach(() => {
  const violations = standIn.violations();
  standIn.clearRecords();
  expect(violations).toEqual([]);
});

const repository = () => ({ owner: standIn.owner, repo: standIn.repo });
const sha = (n: number) => n.toString(16).padStart(40, '0');

async function deployed(environment: string, versionId: string, state: DeploymentState, commit: number) {
  const record = await recordDeployment(github, { repository: repository(), environment, sha: sha(commit), payload: { provider: 'command', worker: 'shop', versionId }, production: true });
  await setDeploymentStatus(github, record, state, `${versionId} ${state}`);
  return record;
}

function serving(version: string): void {
  writeFileSync(state, JSON.stringify({ id: `dep-${version}`, versions: [{ version, percentage: 100 }] }));
}

const rolledBackTo = () => (existsSync(journal) ? readFileSync(journal, 'utf8').trim().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as string[])[0]) : []);

function rollback(environment: string, extra: Record<string, string> = {}) {
  return runAction({
    actionDir,
    inputs: {
      provider: 'command',
      worker: 'shop',
      to: 'last-good',
      'github-environment': environment,
      message: 'error rate 12 % after the 14:02 deploy',
      'rollback-command': `${quoted(node)} ${quoted(rollbackScript)} {stable}`,
      'status-command': `${quoted(node)} ${quoted(statusScript)}`,
      ...extra
    },
    env: { ...standIn.env(), GITHUB_TOKEN: standIn.token, DEPLOY_ACTIONS_GITHUB_DELAYS: 'off', GITHUB_RUN_ID: '777', GITHUB_RUN_ATTEMPT: '1' }
  });
}

describe('rollback to: last-good, recorded on GitHub', () => {
  it('rolls back to the newest good version other than the one serving, and records what it left and why', async () => {
    const environment = 'production';
    await deployed(environment, 'v40', 'success', 40);
    await deployed(environment, 'v41', 'failure', 41);
    const bad = await deployed(environment, 'v42', 'success', 42);
    serving('v42');
    const before = standIn.deployments().length;
    standIn.clearRecords();

    const run = await rollback(environment);
    expect(run.exitCode).toBe(0);
    expect(rolledBackTo()).toEqual(['v40']);
    expect(run.outputs).toMatchObject({ 'rolled-back-from': 'v42', 'rolled-back-to': 'v40', verified: 'skipped' });
    expect(run.stdout).toContain('shop: target v40, the last known good deployment recorded in production (GitHub deployment');

    const held = standIn.deployments();
    expect(held).toHaveLength(before + 1);
    const record = held.at(-1)!;
    expect(record).toMatchObject({
      environment,
      sha: sha(40),
      ref: sha(40),
      payload: { provider: 'command', worker: 'shop', versionId: 'v40', rolledBackFrom: { versionId: 'v42', deploymentId: bad.id }, reason: 'error rate 12 % after the 14:02 deploy' },
      description: 'rollback of shop from v42 to v40'
    });
    expect(record.statuses.map((status) => [status.state, status.logUrl])).toEqual([
      ['in_progress', `${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/777/attempts/1`],
      ['success', `${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/777/attempts/1`]
    ]);
    expect(held.find((deployment) => deployment.id === bad.id)!.statuses.map((status) => `${status.state}: ${status.description}`)).toEqual([
      'in_progress: shop v42',
      'success: v42 success',
      'failure: rolled back to v40: error rate 12 % after the 14:02 deploy'
    ]);
    const calls = standIn.calls().map((call) => `${call.method} ${call.operationId}`);
    // The lookup: one page and a status read for each of v41 and v40; the record: create, in_progress, the left version's failure, success.
    expect(calls).toEqual([
      'GET repos/list-deployments',
      'GET repos/list-deployment-statuses',
      'GET repos/list-deployment-statuses',
      'POST repos/create-deployment',
      'POST repos/create-deployment-status',
      'POST repos/create-deployment-status',
      'POST repos/create-deployment-status'
    ]);
    expect([run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary].join('\n')).not.toContain(standIn.token);
    process.stdout.write(`rollback to: last-good: ${calls.length} GitHub calls\n`);

    // Again, now that v40 serves: v42 was rolled back from and v41 failed, so nothing is left; nothing changes.
    rmSync(journal, { force: true });
    const again = await rollback(environment);
    expect(again.exitCode).toBe(1);
    expect(rolledBackTo()).toEqual([]);
    const errors = again.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message);
    expect(errors.join('\n')).toContain('shop: no deployment recorded in production for shop is a known good version other than what serves now');
    expect(errors.join('\n')).toContain('left its version');
    expect(standIn.deployments()).toHaveLength(before + 1);
  });

  it('asks for github-environment with to: last-good, in one line, before anything runs', async () => {
    serving('v42');
    const run = await rollback('');
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message)).toEqual([
      'input github-environment: it is required with to: last-good but was not given; expected the GitHub environment whose deployment records say what was good, such as production'
    ]);
    expect(rolledBackTo()).toEqual([]);
    expect(standIn.calls()).toEqual([]);
  });
});

describe('rollback with incident-issue', () => {
  const runUrl = (runId: string) => `${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/${runId}/attempts/1`;
  const operations = () => standIn.calls().map((call) => `${call.method} ${call.operationId}`);
  const byHand = (runId: string, extra: Record<string, string> = {}) =>
    runAction({
      actionDir,
      inputs: {
        provider: 'command',
        worker: 'shop',
        to: 'v40',
        environment: 'production',
        'incident-issue': 'true',
        message: 'error rate 12 % after the 14:02 deploy',
        'rollback-command': `${quoted(node)} ${quoted(rollbackScript)} {stable}`,
        'status-command': `${quoted(node)} ${quoted(statusScript)}`,
        ...extra
      },
      env: { ...standIn.env(), GITHUB_TOKEN: standIn.token, DEPLOY_ACTIONS_GITHUB_DELAYS: 'off', GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: '1' }
    });

  it('opens one incident per Worker and environment with what was rolled back, and a re-run comments on it instead of opening a second', async () => {
    serving('v42');
    const issuesBefore = standIn.issues().length;
    standIn.clearRecords();
    const run = await byHand('801');
    expect(run.exitCode).toBe(0);
    expect(rolledBackTo()).toEqual(['v40']);
    expect(run.outputs).toMatchObject({ 'rolled-back-from': 'v42', 'rolled-back-to': 'v40', 'incident-number': String(issuesBefore + 1) });
    const issue = standIn.issues().at(-1)!;
    expect(run.outputs['incident-url']).toBe(`${standIn.url}/${standIn.owner}/${standIn.repo}/issues/${issue.number}`);
    expect(issue).toMatchObject({ title: 'Incident: shop rolled back in production', state: 'open', labels: ['deploy-tracking', 'incident'] });
    const body = issue.body!;
    expect(body).toContain('{"key":"incident: shop in production","series":"incidents: production"}');
    expect(body).toContain('| Reason | error rate 12 % after the 14:02 deploy |');
    expect(body).toContain(`| Run | [${runUrl('801')}](${runUrl('801')}) |`);
    // The job summary's own table, by the same renderer: from → to.
    expect(body).toContain('## ✅ Rolled back shop');
    expect(body).toMatch(/\| shop \| ✅ rolled back \| `v42 100 %` \| `v40` \|/);
    expect(run.summary).toMatch(/\| shop \| ✅ rolled back \| `v42 100 %` \| `v40` \|/);
    expect(operations()).toEqual(['GET issues/list-for-repo', 'POST issues/create', 'GET issues/list-for-repo']);

    serving('v42');
    standIn.clearRecords();
    const again = await byHand('802');
    expect(again.exitCode).toBe(0);
    expect(again.outputs['incident-number']).toBe(String(issue.number));
    expect(standIn.issues()).toHaveLength(issuesBefore + 1);
    expect(operations()).toEqual(['GET issues/list-for-repo', 'POST issues/create-comment']);
    const [comment] = standIn.comments(issue.number);
    expect(comment!.body).toContain(`| Run | [${runUrl('802')}](${runUrl('802')}) |`);
    expect(comment!.body).toMatch(/\| shop \| ✅ rolled back \| `v42 100 %` \| `v40` \|/);
    expect([again.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n'), again.stderr, again.summary].join('\n')).not.toContain(standIn.token);
  });

  it('writes the incident for a rollback that failed too, and keeps the failure the step\'s own', async () => {
    serving('v42');
    standIn.clearRecords();
    const run = await byHand('803', { worker: 'cart', 'rollback-command': `${quoted(node)} -e "process.exit(3)"` });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['incident-number']).toMatch(/^\d+$/);
    const issue = standIn.issues().find((candidate) => candidate.number === Number(run.outputs['incident-number']))!;
    expect(issue.title).toBe('Incident: cart rolled back in production');
    expect(issue.body).toContain('## ❌ Rollback failed at cart');
    expect(run.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message).join('\n')).toContain('cart: ');
  });

  it('keeps the rollback its outcome when the incident cannot be written: an error annotation and incident-error', async () => {
    serving('v42');
    standIn.clearRecords();
    const issuesBefore = standIn.issues().length;
    const run = await byHand('804', { 'github-token': 'not-the-token' });
    expect(run.exitCode).toBe(0);
    expect(rolledBackTo()).toEqual(['v40']);
    expect(run.outputs).toMatchObject({ 'rolled-back-from': 'v42', 'rolled-back-to': 'v40' });
    expect(run.outputs['incident-error']).toMatch(/^the incident issue was not written: /);
    expect(run.outputs['incident-number']).toBeUndefined();
    expect(run.annotations).toContainEqual(expect.objectContaining({ level: 'error', message: run.outputs['incident-error'], properties: expect.objectContaining({ title: 'rollback: incident issue' }) }));
    expect(standIn.issues()).toHaveLength(issuesBefore);
    expect([run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary].join('\n')).not.toContain('not-the-token');
  });
});
