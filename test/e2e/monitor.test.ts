// The reusable monitor (.github/workflows/monitor.yml) run by the local workflow runner, with the
// built health-check, smoke-test and create-tracking-issue bundles, against a service this test flips
// between healthy and failing and the GitHub stand-in (every request and answer held to GitHub's
// OpenAPI description). What a team would see on GitHub over a series of scheduled runs: one incident
// opened, a comment while it keeps failing, closed when healthy, and nothing written when all is well.
// Needs `node scripts/build.js health-check smoke-test create-tracking-issue`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runWorkflow, type JobRun, type WorkflowRun } from '@deploy-actions/harness';
import { repoRoot } from '../helpers/run-node.js';
import { startMonitoredService, type TestServer } from '../helpers/servers.js';
import { startGitHubStandIn, type CommentRecord, type GitHubStandIn, type IssueRecord } from '../../testbed/github/server.js';

const HEALTH_TOKEN = 'monitor-health-5ecr3t';

let service: TestServer;
let healthy = true;
let github: GitHubStandIn;

beforeAll(async () => {
  service = await startMonitoredService(HEALTH_TOKEN, () => healthy);
  github = await startGitHubStandIn();
});

afterAll(async () => {
  await service.close();
  await github.stop();
});

/** One run as the runner would start it, talking to the stand-in as its GitHub. */
function monitor(workflow: string, options: { event: 'workflow_call' | 'workflow_dispatch'; inputs: Record<string, string>; secrets?: Record<string, string> }): Promise<WorkflowRun> {
  return runWorkflow({
    workflow,
    root: repoRoot,
    event: options.event,
    inputs: options.inputs,
    secrets: { GITHUB_TOKEN: github.token, ...options.secrets },
    repository: `${github.owner}/${github.repo}`,
    apiUrl: github.url,
    serverUrl: github.url,
    env: { DEPLOY_ACTIONS_GITHUB_DELAYS: 'off' }
  });
}

/** A scheduled run of the monitor on production, with a short deadline so a failing run ends soon. */
function scheduledRun(): Promise<WorkflowRun> {
  return monitor('.github/workflows/monitor.yml', {
    event: 'workflow_call',
    inputs: { environment: 'production', url: `${service.url('/health')}\n${service.url('/api/ready')}`, 'json-path': '$.status == "ok"', deadline: '3s', interval: '200ms' },
    secrets: { headers: `Authorization: Bearer ${HEALTH_TOKEN}` }
  });
}

function onlyJob(run: WorkflowRun): JobRun {
  expect(run.jobs).toHaveLength(1);
  return run.jobs[0]!;
}

/** Calls and time per run, printed at the end for the record. */
const figures: string[] = [];
const incidents = () => github.issues().filter((issue) => issue.labels.includes('incident'));

/** A run, the calls it made (`METHOD operationId`) and the incidents and their comments after it. */
interface Observed {
  run: WorkflowRun;
  calls: string[];
  writes: string[];
  incidents: IssueRecord[];
  comments: CommentRecord[];
}

describe('the scheduled monitor', () => {
  const observed: Observed[] = [];

  beforeAll(async () => {
    // The four runs in order, each after the service was set as the run should find it.
    for (const state of [false, false, true, true]) {
      healthy = state;
      github.clearRecords();
      const started = performance.now();
      const run = await scheduledRun();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const calls = github.calls().map((call) => `${call.method} ${call.operationId ?? call.path}`);
      observed.push({ run, calls, writes: calls.filter((call) => !call.startsWith('GET ')), incidents: incidents(), comments: github.comments() });
      expect(github.violations()).toEqual([]);
      figures.push(`run ${observed.length} (${state ? 'healthy' : 'failing'}): ${calls.length} calls, ${observed.at(-1)!.writes.length} writes [${calls.join(', ')}], ${seconds} s`);
    }
  }, 600_000);

  afterAll(() => {
    process.stdout.write(`monitor figures:\n  ${figures.join('\n  ')}\n`);
  });

  it('run 1, failing: opens one incident for the environment, labelled incident, with the failed checks', () => {
    const { run, writes, incidents } = observed[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.outputs).toMatchObject({ healthy: 'false', 'incident-action': 'created', 'incident-number': '1' });
    expect(run.outputs['incident-url']).toBe(`${github.url}/${github.owner}/${github.repo}/issues/1`);
    const log = onlyJob(run).log.join('\n');
    expect(log).toContain('##[error]production is failing; incident ');
    expect(log).not.toContain(HEALTH_TOKEN);
    expect(writes.filter((call) => call.startsWith('POST issues/create'))).toEqual(['POST issues/create']);
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({ number: 1, title: 'Incident: production is failing', state: 'open' });
    expect(incident!.labels).toEqual(expect.arrayContaining(['incident', 'deploy-tracking']));
    expect(incident!.body).toContain('**production is failing**: its checks failed in ');
    expect(incident!.body).toContain('### Results');
    expect(incident!.body).toContain(service.url('/health'));
    expect(incident!.body).toContain('503');
    expect(incident!.body).not.toContain(HEALTH_TOKEN);
  });

  it('run 2, still failing: comments on the open incident instead of opening another', () => {
    const { run, writes, incidents, comments } = observed[1]!;
    expect(run.conclusion).toBe('failure');
    expect(run.outputs).toMatchObject({ healthy: 'false', 'incident-action': 'commented', 'incident-number': '1' });
    expect(writes).toEqual(['POST issues/create-comment']);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.state).toBe('open');
    expect(comments).toHaveLength(1);
    const [failing] = comments;
    // "Still failing since" the incident was opened, not the incident's own text again.
    const opened = new Date(incidents[0]!.createdAt).toISOString();
    expect(failing!.body.split('\n')[0]).toMatch(new RegExp(`^\\*\\*production is still failing\\*\\* since ${opened.slice(0, 10)} ${opened.slice(11, 16)} UTC: its checks failed again in ${github.url}/${github.owner}/${github.repo}/actions/runs/\\d+\\.$`));
    expect(failing!.body).not.toContain('**production is failing**');
    expect(failing!.body).toContain('503');
    // The comment names run 2, the issue run 1.
    const runUrl = (text: string) => /\/actions\/runs\/\d+/.exec(text)?.[0];
    expect(runUrl(failing!.body)).toBeDefined();
    expect(runUrl(failing!.body)).not.toBe(runUrl(incidents[0]!.body ?? ''));
  });

  it('run 3, healthy again: closes the incident with a comment, keeping its account of the failure', () => {
    const { run, writes, incidents, comments } = observed[2]!;
    expect(run.conclusion).toBe('success');
    expect(run.outputs).toMatchObject({ healthy: 'true', 'incident-action': 'closed', 'incident-number': '1' });
    expect(writes).toEqual(['POST issues/create-comment', 'PATCH issues/update']);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(incidents[0]!.body).toContain('**production is failing**');
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body).toContain('**production is healthy again** in ');
  });

  it('run 4, healthy with no incident open: lists, writes nothing', () => {
    const { run, calls, writes, incidents, comments } = observed[3]!;
    expect(run.conclusion).toBe('success');
    expect(run.outputs).toMatchObject({ healthy: 'true', 'incident-action': 'unchanged' });
    expect(calls).toEqual(['GET issues/list-for-repo']);
    // Nothing was open, so no incident is named: the closed one belongs to run 3.
    expect(run.outputs['incident-number']).toBe('');
    expect(run.outputs['incident-url']).toBe('');
    expect(writes).toEqual([]);
    expect(incidents).toHaveLength(1);
    expect(comments).toHaveLength(2);
  });

  it('never sent the checks without their header, and never leaked it', () => {
    expect(service.requests.length).toBeGreaterThanOrEqual(8);
    expect(service.requests.every((request) => request.headers.authorization === `Bearer ${HEALTH_TOKEN}`)).toBe(true);
    for (const { run } of observed) expect(onlyJob(run).log.join('\n') + onlyJob(run).summary).not.toContain(HEALTH_TOKEN);
  });
});

describe('the scheduled-monitor example', () => {
  it('a failing smoke test on a healthy service opens a new incident that follows the closed one; dispatched by hand', async () => {
    healthy = true;
    github.clearRecords();
    const spec = ['tests:', '  - name: ready', '    request: { url: /api/ready }', '    expect:', '      status: 200', '      json:', '        $.status: { equals: up }'].join('\n');
    const run = await monitor('examples/scheduled-monitor.yml', {
      event: 'workflow_dispatch',
      inputs: { 'base-url': service.origin, 'smoke-spec': spec },
      secrets: { MONITOR_TOKEN: HEALTH_TOKEN }
    });
    expect(github.violations()).toEqual([]);
    const job = onlyJob(run);
    expect(job.name).toBe('production / monitor');
    expect(job.steps.find((step) => step.id === 'health')!.outcome).toBe('success');
    expect(job.steps.find((step) => step.id === 'smoke')!.outcome).toBe('failure');
    expect(run.conclusion).toBe('failure');
    const open = incidents().filter((issue) => issue.state === 'open');
    expect(open).toHaveLength(1);
    expect(open[0]!.number).toBe(2);
    expect(open[0]!.body).toContain('Follows #1, closed.');
    expect(open[0]!.body).toContain('ready');
  });
});
