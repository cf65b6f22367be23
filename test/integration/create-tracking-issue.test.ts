// create-tracking-issue's built bundle run the way the GitHub runner runs it, against the GitHub
// stand-in (every request and answer held to GitHub's OpenAPI description: no test may leave a
// violation). Octokit's pacing is off only through the client's seam, DEPLOY_ACTIONS_GITHUB_DELAYS.
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction, type ActionRun } from '@deploy-actions/harness';
import { startGitHubStandIn, type GitHubStandIn } from '../../testbed/github/server.js';

const actionDir = fileURLToPath(new URL('../../actions/create-tracking-issue', import.meta.url));
const MARKER_PREFIX = '<!-- deploy-actions:create-tracking-issue ';

let standIn: GitHubStandIn;
/** Figures printed at the end, for the record. */
const figures: string[] = [];

beforeEach(async () => {
  standIn = await startGitHubStandIn({ collaborators: ['octocat', 'hubot'], milestones: [{ title: 'v1.4' }] });
});

afterEach(async () => {
  const violations = standIn.violations();
  const pending = standIn.pendingFaults();
  await standIn.stop();
  expect(violations).toEqual([]);
  expect(pending).toEqual([]);
});

afterAll(() => {
  if (figures.length > 0) process.stdout.write(`create-tracking-issue figures:\n  ${figures.join('\n  ')}\n`);
});

function runEnv(extra: Record<string, string> = {}, options: { ghes?: boolean } = {}): Record<string, string> {
  return {
    ...standIn.env(options),
    GITHUB_TOKEN: standIn.token,
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_RUN_ID: '7001',
    GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'octocat',
    DEPLOY_ACTIONS_GITHUB_DELAYS: 'off',
    ...extra
  };
}

const staging = {
  title: 'Deploy {{ short-sha }} to {{ environment }}',
  environment: 'staging',
  body: 'Version {{ version }} by @{{ actor }}.',
  vars: 'version=v1.4.2',
  labels: 'deploy, staging',
  assignees: 'octocat',
  milestone: '1',
  checklist: 'Error rate below 1%\nLatency p95 below 300ms',
  'monitor-for': '1h',
  'rollback-command': 'npx wrangler rollback --name api ```v41```',
  links: 'Dashboard: https://dash.example.com/api?env=staging',
  results: JSON.stringify([{ url: 'https://staging.example.com/health', healthy: true, status: 200, attempts: 2 }])
};

async function run(inputs: Record<string, string>, env: Record<string, string> = runEnv()): Promise<ActionRun> {
  return runAction({ actionDir, inputs, env });
}

/** What the stand-in answered since the last clear, as `METHOD operationId` lines. */
function answered(): string[] {
  return standIn.calls().map((call) => `${call.method} ${call.operationId ?? call.path}`);
}
/** A comment as GitHub shows it: its marker, last, is an HTML comment no reader sees. */
const COMMENT_MARKER = /\n\n<!-- deploy-actions:comment [0-9a-f-]{36} -->$/;
function visible(body: string): string {
  expect(body).toMatch(COMMENT_MARKER);
  return body.replace(COMMENT_MARKER, '');
}
const writes = () => standIn.calls().filter((call) => call.method !== 'GET');
const open = () => standIn.issues().filter((issue) => issue.state === 'open');

function expectSucceeded(result: ActionRun): void {
  if (result.exitCode !== 0) throw new Error(`the step failed:\n${result.log}`);
}

describe('create-tracking-issue bundle', () => {
  it('creates the issue with the labels, assignee, milestone, the sections and the marker, and links it in the summary', async () => {
    const result = await run(staging);
    expectSucceeded(result);
    expect(result.outputs).toEqual({ number: '1', url: `${standIn.url}/${standIn.owner}/${standIn.repo}/issues/1`, action: 'created', 'closed-previous': '[]' });
    const [issue] = standIn.issues();
    expect(issue).toMatchObject({ title: 'Deploy 3f78685 to staging', state: 'open', labels: ['deploy-tracking', 'deploy', 'staging'], assignees: ['octocat'], milestone: 1 });
    const body = issue!.body!;
    expect(body.startsWith(`${MARKER_PREFIX}{"key":"Deploy 3f78685 to staging","series":"Deploy / staging"} -->\n`)).toBe(true);
    expect(body).toContain('Version v1.4.2 by @octocat.');
    expect(body).toContain('- [ ] Error rate below 1%\n- [ ] Latency p95 below 300ms');
    expect(body).toMatch(/Watch until \*\*(\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\*\* \(1h from \d\d:\d\d UTC\)/);
    expect(body).toContain('````\nnpx wrangler rollback --name api ```v41```\n````');
    expect(body).toContain('| url | healthy | status | attempts |\n| --- | --- | --- | --- |\n| https://staging.example.com/health | ✅ true | 200 | 2 |');
    expect(body).toContain(`- [Workflow run](${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/7001)\n- [Dashboard](https://dash.example.com/api?env=staging)`);
    expect(result.summary).toContain(`## 📋 Tracking issue [#1 Deploy 3f78685 to staging](${standIn.url}/${standIn.owner}/${standIn.repo}/issues/1) created`);
    expect(result.log).not.toContain(standIn.token);
    expect(answered()).toEqual(['GET issues/list-for-repo', 'POST issues/create', 'GET issues/list-for-repo']);
  });

  it('writes nothing on an identical re-run (its monitoring window kept), updates on a changed one, and counts the calls of each', async () => {
    const inputs = staging;
    const timed = async (what: string, given: Record<string, string>) => {
      standIn.clearRecords();
      const started = performance.now();
      const result = await run(given);
      const ms = performance.now() - started;
      expectSucceeded(result);
      figures.push(`${what}: ${standIn.calls().length} API calls (${writes().length} writes), ${Math.round(ms)} ms per run of the bundle`);
      return result;
    };
    expect((await timed('create', inputs)).outputs.action).toBe('created');
    const rerun = await timed('re-run, unchanged', inputs);
    expect(rerun.outputs).toMatchObject({ number: '1', action: 'unchanged' });
    expect(writes()).toEqual([]);
    expect(answered()).toEqual(['GET issues/list-for-repo']);
    const changed = await timed('update', { ...inputs, checklist: `${inputs.checklist}\nNo new alerts`, assignees: 'hubot' });
    expect(changed.outputs).toMatchObject({ number: '1', action: 'updated' });
    expect(answered()).toEqual(['GET issues/list-for-repo', 'PATCH issues/update']);
    expect(standIn.issues()).toHaveLength(1);
    expect(standIn.issues()[0]).toMatchObject({ assignees: ['hubot'] });
    expect(standIn.issues()[0]!.body).toContain('- [ ] No new alerts');
  });

  it('comments on the issue found in comment mode', async () => {
    expectSucceeded(await run(staging));
    const result = await run({ ...staging, mode: 'comment', body: 'Still failing at {{ short-sha }}.' });
    expectSucceeded(result);
    expect(result.outputs).toMatchObject({ number: '1', action: 'commented' });
    expect(standIn.issues()).toHaveLength(1);
    const comments = standIn.comments(1);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^Still failing at 3f78685\./);
  });

  it('comments with comment-body, not the body, on an issue already open in comment mode: "still failing since"', async () => {
    const incident = { title: 'Incident: production unhealthy', mode: 'comment', body: 'Failing at {{ run-url }}.', 'comment-body': 'Still failing since {{ issue-opened-at }} (#{{ issue-number }}), at {{ short-sha }}.' };
    const opened = await run(incident);
    expect(opened.outputs).toMatchObject({ number: '1', action: 'created' });
    expect(standIn.comments(1)).toEqual([]);
    const still = await run(incident, runEnv({ GITHUB_RUN_ID: '7002' }));
    expect(still.outputs).toMatchObject({ number: '1', action: 'commented' });
    const createdAt = new Date(standIn.issues()[0]!.createdAt).toISOString();
    const [comment] = standIn.comments(1);
    expect(visible(comment!.body)).toBe(`Still failing since ${createdAt.slice(0, 10)} ${createdAt.slice(11, 16)} UTC (#1), at 3f78685.\n\n### Links\n\n- [Workflow run](${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/7002)`);
    // The issue keeps the first failure's account.
    expect(standIn.issues()[0]!.body).toContain('Failing at ');
    expect(standIn.issues()[0]!.body).toContain('/actions/runs/7001');
  });

  it('in update mode posts comment-body on an issue that was there already, after updating it, and not on one it creates', async () => {
    const inputs = { ...staging, 'comment-body': 'Deployed again by @{{ actor }} to #{{ issue-number }}.' };
    expect((await run(inputs)).outputs).toMatchObject({ number: '1', action: 'created' });
    expect(standIn.comments(1)).toEqual([]);
    standIn.clearRecords();
    const same = await run(inputs);
    expect(same.outputs).toMatchObject({ number: '1', action: 'commented' });
    expect(answered()).toEqual(['GET issues/list-for-repo', 'POST issues/create-comment']);
    standIn.clearRecords();
    const changed = await run({ ...inputs, checklist: 'Nothing left' });
    expect(changed.outputs).toMatchObject({ number: '1', action: 'updated' });
    expect(answered()).toEqual(['GET issues/list-for-repo', 'PATCH issues/update', 'POST issues/create-comment']);
    expect(standIn.comments(1).map((comment) => visible(comment.body))).toEqual(['Deployed again by @octocat to #1.', 'Deployed again by @octocat to #1.']);
    expect(standIn.issues()[0]!.body).toContain('- [ ] Nothing left');
  });

  it('opens a new issue every run in create-always mode', async () => {
    expectSucceeded(await run({ ...staging, mode: 'create-always' }));
    const second = await run({ ...staging, mode: 'create-always' });
    expectSucceeded(second);
    expect(second.outputs).toMatchObject({ number: '2', action: 'created' });
    expect(open().map((issue) => issue.number)).toEqual([1, 2]);
  });

  it('closes the issue found with close: true, and then finds nothing to close', async () => {
    expectSucceeded(await run(staging));
    const closed = await run({ ...staging, close: 'true', body: 'The monitoring window passed green.' });
    expectSucceeded(closed);
    expect(closed.outputs).toMatchObject({ number: '1', action: 'closed' });
    expect(standIn.issues()[0]).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(standIn.issues()[0]!.body).toContain('The monitoring window passed green.');
    // Nothing open to close: no issue is named in the outputs, only in the summary, as closed.
    const again = await run({ ...staging, close: 'true' });
    expectSucceeded(again);
    expect(again.outputs).toEqual({ number: '', url: '', action: 'unchanged', 'closed-previous': '[]' });
    expect(again.summary).toContain(`## 📋 No open tracking issue to close ([#1 Deploy 3f78685 to staging](${standIn.url}/${standIn.owner}/${standIn.repo}/issues/1), the last with this key, is closed)`);
    expect(again.log).toContain('No open issue with this key; nothing was closed (#1 is closed already).');
  });

  it('runs the monitor: opens the incident, comments while failing, closes with a comment when healthy', async () => {
    const incident = { title: 'Incident: production unhealthy', mode: 'comment', labels: 'incident', results: JSON.stringify([{ url: 'https://api.example.com/health', healthy: false, status: 503 }]) };
    const opened = await run({ ...incident, body: 'Failing at {{ run-url }}.' });
    expect(opened.outputs).toMatchObject({ number: '1', action: 'created' });
    const still = await run({ ...incident, body: 'Failing at {{ run-url }}.' }, runEnv({ GITHUB_RUN_ID: '7002' }));
    expect(still.outputs).toMatchObject({ number: '1', action: 'commented' });
    const healthy = await run({ title: incident.title, mode: 'comment', close: 'true', body: 'Healthy again at {{ run-url }}.' }, runEnv({ GITHUB_RUN_ID: '7003' }));
    expectSucceeded(healthy);
    expect(healthy.outputs).toMatchObject({ number: '1', action: 'closed' });
    const [issue] = standIn.issues();
    expect(issue).toMatchObject({ state: 'closed', stateReason: 'completed', labels: ['deploy-tracking', 'incident'] });
    // The incident keeps its account of the failure; the runs after it are comments.
    expect(issue!.body).toContain('| https://api.example.com/health | ❌ false | 503 |');
    expect(standIn.comments(1).map((comment) => comment.body.split('\n')[0])).toEqual([
      `Failing at ${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/7002.`,
      `Healthy again at ${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/7003.`
    ]);
    expect(standIn.issues()).toHaveLength(1);
  });

  it('reopens a closed issue with reopen: true', async () => {
    expectSucceeded(await run(staging));
    expectSucceeded(await run({ ...staging, close: 'true' }));
    const result = await run({ ...staging, reopen: 'true' });
    expectSucceeded(result);
    expect(result.outputs).toMatchObject({ number: '1', action: 'reopened' });
    expect(standIn.issues()).toHaveLength(1);
    expect(standIn.issues()[0]).toMatchObject({ state: 'open' });
  });

  it('opens a new issue linking the closed one without reopen', async () => {
    expectSucceeded(await run(staging));
    expectSucceeded(await run({ ...staging, close: 'true' }));
    const result = await run(staging);
    expectSucceeded(result);
    expect(result.outputs).toMatchObject({ number: '2', action: 'created' });
    expect(standIn.issues().map((issue) => [issue.number, issue.state])).toEqual([[1, 'closed'], [2, 'open']]);
    expect(standIn.issues()[1]!.body).toContain('Follows #1, closed.');
    // The run after that updates #2, the open one, and leaves #1 alone.
    const next = await run({ ...staging, body: 'Second look.' });
    expect(next.outputs).toMatchObject({ number: '2', action: 'updated' });
  });

  it('closes the previous issues of the series with a comment linking the new one', async () => {
    expectSucceeded(await run({ ...staging, title: 'Deploy v1 to {{ environment }}' }));
    expectSucceeded(await run({ ...staging, title: 'Deploy v1 to production', environment: 'production' }));
    const result = await run({ ...staging, title: 'Deploy v2 to {{ environment }}', 'close-previous': 'true' });
    expectSucceeded(result);
    expect(result.outputs).toMatchObject({ number: '3', action: 'created', 'closed-previous': '[1]' });
    // #2 is of another series (production): left open.
    expect(standIn.issues().map((issue) => [issue.number, issue.state])).toEqual([[1, 'closed'], [2, 'open'], [3, 'open']]);
    expect(standIn.comments(1).map((comment) => visible(comment.body))).toEqual(['Superseded by #3.']);
    expect(result.summary).toContain('Closed 1 previous issue of the series: #1.');
  });

  it('finds its issue on the third page of more than 100 issues with the label', async () => {
    expectSucceeded(await run(staging));
    for (let index = 0; index < 230; index += 1) standIn.seedIssue({ title: `Other deploy ${index}`, labels: ['deploy-tracking'], body: index % 2 ? null : `${MARKER_PREFIX}{"key":"other ${index}","series":"Deploy / staging"} -->` });
    standIn.clearRecords();
    const result = await run(staging);
    expectSucceeded(result);
    expect(result.outputs).toMatchObject({ number: '1', action: 'unchanged' });
    // Newest first: #1 is on the last of three pages.
    expect(answered()).toEqual(['GET issues/list-for-repo', 'GET issues/list-for-repo', 'GET issues/list-for-repo']);
    expect(standIn.calls().map((call) => new URLSearchParams(call.query).get('page') ?? '1')).toEqual(['1', '2', '3']);
  });

  it('leaves exactly one open issue when two runs start together, 20 times over', async () => {
    const outcomes: string[] = [];
    let raced = 0;
    const started = performance.now();
    for (let round = 0; round < 20; round += 1) {
      const title = `Deploy round ${round}`;
      // The first two lists are answered late (after being carried out), so both runs see no issue
      // and both create: the race itself, not two runs one after the other.
      standIn.inject({ kind: 'slow', operation: 'issues/list-for-repo', times: 2, delayMs: 2000 });
      const [first, second] = await Promise.all([run({ ...staging, title }), run({ ...staging, title })]);
      expectSucceeded(first!);
      expectSucceeded(second!);
      const openWithTitle = open().filter((issue) => issue.title === title);
      expect(openWithTitle).toHaveLength(1);
      // Both runs report the one that stayed open.
      expect([first!.outputs.number, second!.outputs.number]).toEqual([String(openWithTitle[0]!.number), String(openWithTitle[0]!.number)]);
      outcomes.push([first!.outputs.action, second!.outputs.action].sort().join('+'));
      if (standIn.issues().filter((issue) => issue.title === title).length === 2) raced += 1;
    }
    // Some rounds at least did race (two creates), or the test proved nothing.
    expect(raced).toBeGreaterThan(0);
    const tally = Object.entries(outcomes.reduce<Record<string, number>>((counts, outcome) => ({ ...counts, [outcome]: (counts[outcome] ?? 0) + 1 }), {}));
    figures.push(`race, 20 rounds of two bundles at once (${raced} with two creates): ${tally.map(([outcome, count]) => `${count}× ${outcome}`).join(', ')}; ${Math.round(performance.now() - started)} ms`);
    for (const issue of standIn.issues().filter((candidate) => candidate.state === 'closed')) {
      expect(issue.stateReason).toBe('duplicate');
      expect(standIn.comments(issue.number)[0]!.body).toMatch(/^Closed as a duplicate of #\d+/);
    }
  }, 600_000);

  it('closes the previous issue once when two runs with close-previous race', async () => {
    expectSucceeded(await run({ ...staging, title: 'Deploy v1 to {{ environment }}' }));
    standIn.inject({ kind: 'slow', operation: 'issues/list-for-repo', times: 2, delayMs: 2000 });
    const both = await Promise.all([0, 1].map(() => run({ ...staging, title: 'Deploy v2 to {{ environment }}', 'close-previous': 'true' })));
    both.forEach(expectSucceeded);
    expect(open().map((issue) => issue.title)).toEqual(['Deploy v2 to staging']);
    expect(standIn.comments(1).map((comment) => visible(comment.body))).toEqual([`Superseded by #${open()[0]!.number}.`]);
    expect(both.map((result) => result.outputs['closed-previous']).sort()).toEqual(['[1]', '[]']);
  }, 120_000);

  it('waits out rate limits and a 429 and still creates one issue', async () => {
    standIn.inject({ kind: 'secondary-rate-limit', operation: 'issues/create', retryAfter: 1 });
    standIn.inject({ kind: 'primary-rate-limit', operation: 'issues/list-for-repo', resetIn: 1 });
    standIn.inject({ kind: 'too-many-requests', operation: 'issues/update', retryAfter: 1 });
    expectSucceeded(await run(staging));
    const result = await run({ ...staging, body: 'Changed.' });
    expectSucceeded(result);
    expect(result.outputs).toMatchObject({ number: '1', action: 'updated' });
    expect(standIn.issues()).toHaveLength(1);
    expect(standIn.calls().filter((call) => call.fault).map((call) => call.fault)).toEqual(['primary-rate-limit', 'secondary-rate-limit', 'too-many-requests']);
  });

  it('never leaves a second issue when the create answers 502 after creating', async () => {
    standIn.inject({ kind: 'bad-gateway-after-write', operation: 'issues/create' });
    const result = await run(staging);
    expectSucceeded(result);
    expect(result.outputs).toMatchObject({ number: '1', action: 'created' });
    expect(standIn.issues()).toHaveLength(1);
    expect(answered()).toEqual(['GET issues/list-for-repo', 'POST issues/create', 'GET issues/list-for-repo', 'GET issues/list-for-repo']);
    expect(result.log).toContain('looking whether GitHub created it before trying again');
  });

  it('never leaves a second comment when a comment answers 502 after GitHub took it', async () => {
    const incident = { title: 'Incident: production unhealthy', mode: 'comment', body: 'Failing at {{ run-url }}.' };
    expectSucceeded(await run(incident));
    standIn.clearRecords();
    standIn.inject({ kind: 'bad-gateway-after-write', operation: 'issues/create-comment' });
    const result = await run(incident, runEnv({ GITHUB_RUN_ID: '7002' }));
    expectSucceeded(result);
    expect(result.outputs).toMatchObject({ number: '1', action: 'commented' });
    // One POST (never resent by the retry plugin), then a look at the comments, which finds it.
    expect(answered()).toEqual(['GET issues/list-for-repo', 'POST issues/create-comment', 'GET issues/list-comments']);
    expect(standIn.comments(1).map((comment) => visible(comment.body))).toEqual([`Failing at ${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/7002.\n\n### Links\n\n- [Workflow run](${standIn.url}/${standIn.owner}/${standIn.repo}/actions/runs/7002)`]);
    expect(result.log).toContain('looking whether GitHub took the comment before posting it again');
    expect(result.log).toContain('The comment on #1 was taken; not posting it again.');
  });

  it('posts the closing comment once when it answers 502 after GitHub took it, then closes', async () => {
    expectSucceeded(await run(staging));
    standIn.clearRecords();
    standIn.inject({ kind: 'bad-gateway-after-write', operation: 'issues/create-comment' });
    const result = await run({ ...staging, mode: 'comment', close: 'true', body: 'Healthy again.' }, runEnv({ GITHUB_RUN_ID: '7002' }));
    expectSucceeded(result);
    expect(result.outputs).toMatchObject({ number: '1', action: 'closed' });
    expect(answered()).toEqual(['GET issues/list-for-repo', 'POST issues/create-comment', 'GET issues/list-comments', 'PATCH issues/update']);
    expect(standIn.comments(1)).toHaveLength(1);
    expect(standIn.issues()[0]).toMatchObject({ state: 'closed' });
  });

  it('talks to a GitHub Enterprise Server API root from GITHUB_API_URL', async () => {
    const result = await run(staging, runEnv({}, { ghes: true }));
    expectSucceeded(result);
    expect(result.outputs.action).toBe('created');
    expect(new Set(standIn.calls().map((call) => call.root))).toEqual(new Set(['/api/v3']));
  });

  it('cuts a body over 65,536 characters, marker first and the note inside the limit', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'tracking-'));
    // Astral emoji: two UTF-16 code units each, one character as GitHub counts.
    writeFileSync(join(workspace, 'report.md'), `${'🚀'.repeat(40_000)}${'x'.repeat(40_000)}`);
    const result = await runAction({ actionDir, inputs: { title: 'Big report', 'body-file': 'report.md' }, env: runEnv(), workspace });
    expectSucceeded(result);
    const body = standIn.issues()[0]!.body!;
    expect([...body].length).toBeLessThanOrEqual(65_536);
    expect([...body].length).toBeGreaterThan(65_000);
    expect(body.startsWith(MARKER_PREFIX)).toBe(true);
    expect(body).toMatch(/characters are left out here: GitHub takes at most 65,536\. The full text is in the job summary of the \[workflow run\]\([^)]+\)\._$/);
    expect(result.summary).toContain('x'.repeat(40_000));
    // Not re-cut differently on a re-run: an identical run is still unchanged.
    expect((await runAction({ actionDir, inputs: { title: 'Big report', 'body-file': 'report.md' }, env: runEnv(), workspace })).outputs.action).toBe('unchanged');
  });

  it.each([
    [{ title: 'Deploy {{ nope }}' }, 'input title: {{ nope }} names no known variable; expected {{ name }} with one of sha, short-sha, ref, actor, run-url, environment'],
    [{ title: 'x', results: '{"a": 1' }, 'input results: line 1 is not JSON'],
    [{ title: 'x', mode: 'replace' }, 'input mode:'],
    [{ title: 'x', links: 'Run: javascript:alert(1)' }, 'input links:'],
    [{ title: 'x', body: 'a', 'body-file': 'b.md' }, 'input body-file: it is given together with body'],
    [{ title: 'x', 'comment-body': 'Since {{ issue-opend-at }}' }, 'input comment-body: {{ issue-opend-at }} names no known variable; expected {{ name }} with one of sha, short-sha, ref, actor, run-url, environment, issue-number, issue-url, issue-opened-at'],
    [{ title: 'Opened {{ issue-opened-at }}' }, 'input title: {{ issue-opened-at }} names no known variable'],
    [{ title: 'x', mode: 'create-always', 'comment-body': 'Again.' }, 'input comment-body: it is given with mode create-always']
  ])('fails on bad input %j in one line, before any call', async (inputs, message) => {
    const result = await run(inputs);
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
    expect(errors[0]).not.toContain('\n');
    expect(standIn.calls()).toEqual([]);
  });
});
