// `deploy-actions run-workflow` as a user runs it: the bundled dist/cli runs a workflow whose jobs use
// the bundled health-check against a server started here, a run step, and a reusable workflow;
// what it prints, what it exits with, what the server saw; and a workflow that writes to the GitHub
// stand-in given with --api-url. Needs `node scripts/build.js cli health-check create-tracking-issue`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveNodeRuntime } from '@deploy-actions/harness';
import { repoRoot, runProgram, type NodeRun } from '../helpers/run-node.js';
import { startServer, type TestServer } from '../helpers/servers.js';
import { startGitHubStandIn } from '../../testbed/github/server.js';

const cli = join(repoRoot, 'dist/cli/index.js');
const TOKEN = 'health-token-5ecr3t';

const DEPLOY = `name: deploy
on:
  workflow_dispatch:
    inputs:
      base-url:
        type: string
        required: true
      expect-version:
        type: string
        default: v7
env:
  ENVIRONMENT: \${{ vars.ENVIRONMENT }}
jobs:
  release:
    runs-on: ubuntu-latest
    outputs:
      version: \${{ steps.pick.outputs.version }}
    steps:
      - id: pick
        run: echo "version=\${{ inputs.expect-version }}" >> "$GITHUB_OUTPUT"
  verify:
    needs: release
    runs-on: ubuntu-latest
    outputs:
      healthy: \${{ steps.health.outputs.healthy }}
    steps:
      - name: Wait until \${{ needs.release.outputs.version }} is live on $ENVIRONMENT
        id: health
        uses: ./actions/health-check
        with:
          url: \${{ inputs.base-url }}/health
          headers: |
            Authorization: Bearer \${{ secrets.HEALTH_TOKEN }}
          json-path: |
            $.version == "\${{ needs.release.outputs.version }}"
          interval: 200ms
          deadline: 3s
  notify:
    needs: verify
    uses: ./.github/workflows/notify.yml
    with:
      healthy: \${{ needs.verify.outputs.healthy }}
    secrets:
      WEBHOOK: \${{ secrets.HEALTH_TOKEN }}
  report:
    needs: [verify, notify]
    if: always()
    runs-on: ubuntu-latest
    steps:
      - env:
          MESSAGE: \${{ needs.notify.outputs.message }}
          VERIFIED: \${{ needs.verify.result }}
        run: |
          echo "verify $VERIFIED; notify said: $MESSAGE"
`;

const NOTIFY = `on:
  workflow_call:
    inputs:
      healthy:
        type: boolean
        required: true
    secrets:
      WEBHOOK:
        required: true
    outputs:
      message:
        value: \${{ jobs.send.outputs.message }}
jobs:
  send:
    runs-on: ubuntu-latest
    outputs:
      message: \${{ steps.send.outputs.message }}
    steps:
      - id: send
        env:
          WEBHOOK: \${{ secrets.WEBHOOK }}
        run: |
          echo "posting to $WEBHOOK"
          echo "message=healthy is \${{ inputs.healthy }}" >> "$GITHUB_OUTPUT"
`;

const TRACK = `name: track
on: workflow_dispatch
jobs:
  track:
    runs-on: ubuntu-latest
    steps:
      - id: issue
        uses: ./actions/create-tracking-issue
        with:
          github-token: \${{ secrets.GITHUB_TOKEN }}
          title: Deploy \${{ github.repository }}
          body: Run \${{ github.server_url }}
      - env:
          URL: \${{ steps.issue.outputs.url }}
        run: echo "issue at $URL"
`;

let server: TestServer;
let root: string;
const node = resolveNodeRuntime('node24');

beforeAll(async () => {
  server = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', version: 'v7' }));
  });
  // A repository of its own, whose actions/ and dist/ are this one's.
  root = mkdtempSync(join(tmpdir(), 'run-workflow-'));
  symlinkSync(join(repoRoot, 'actions'), join(root, 'actions'));
  symlinkSync(join(repoRoot, 'dist'), join(root, 'dist'));
  for (const [path, text] of Object.entries({ '.github/workflows/deploy.yml': DEPLOY, '.github/workflows/notify.yml': NOTIFY, '.github/workflows/track.yml': TRACK })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function runWorkflowCli(args: string[], cwd = root): Promise<NodeRun> {
  return runProgram(node, [cli, 'run-workflow', ...args], 120_000, cwd);
}

describe('deploy-actions run-workflow', () => {
  let run: NodeRun;
  beforeAll(async () => {
    run = await runWorkflowCli([
      '.github/workflows/deploy.yml',
      '--event',
      'workflow_dispatch',
      '--input',
      `base-url=${server.origin}`,
      '--secret',
      `HEALTH_TOKEN=${TOKEN}`,
      '--var',
      'ENVIRONMENT=staging'
    ]);
  });

  it('runs every job in needs order and exits 0', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const order = ['━━ release: success', '━━ verify: success', '━━ notify / send: success', '━━ report: success'].map((header) => run.stdout.indexOf(header));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(run.stdout).toMatch(/deploy \(workflow_dispatch\): success\n {2}success {3}release\n {2}success {3}verify\n {2}success {3}notify \/ send\n {2}success {3}report\n$/);
  });

  it('prints the steps as the runner log does: names, inputs, the action output, the summary', () => {
    expect(run.stdout).toContain('▸ Wait until v7 is live on $ENVIRONMENT');
    expect(run.stdout).toContain(`  url: ${server.origin}/health`);
    expect(run.stdout).toContain('── summary: verify ──');
    expect(run.stdout).toContain('verify success; notify said: healthy is true');
  });

  it('sends the secret where the workflow puts it and masks it everywhere in the log', () => {
    expect(server.requests.some((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(run.stdout).not.toContain(TOKEN);
    expect(run.stdout).toContain('posting to ***');
    expect(run.stdout).toContain('Authorization: Bearer ***');
  });

  it('exits 1 when a job fails, and the log says why', async () => {
    const failed = await runWorkflowCli(['.github/workflows/deploy.yml', '--input', `base-url=${server.origin}`, '--input', 'expect-version=v8', '--secret', `HEALTH_TOKEN=${TOKEN}`]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('━━ verify: failure');
    expect(failed.stdout).toMatch(/Error: .*v8/);
    expect(failed.stdout).toContain('━━ notify: skipped');
    expect(failed.stdout).toContain('verify failure; notify said: ');
    expect(failed.stdout).toMatch(/deploy \(workflow_dispatch\): failure/);
  });

  it('refuses, exit 2, a workflow it cannot run, naming what it cannot do', async () => {
    const refused = await runWorkflowCli(['.github/workflows/ci.yml', '--event', 'push'], repoRoot);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('actions/upload-artifact@v4: only actions of this repository (uses: ./path), actions/checkout, actions/setup-node and actions of a repository mapped to a local folder run locally (not supported by the local runner)');
    expect(refused.stdout).toBe('');
    const missing = await runWorkflowCli(['.github/workflows/deploy.yml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('input base-url is required by on.workflow_dispatch.inputs; give it with --input base-url=<value>');
    const badFlag = await runWorkflowCli(['.github/workflows/deploy.yml', '--input', 'no-equals']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--input needs name=value, got "no-equals"');
  });

  it('talks to the GitHub given with --api-url, as the repository given with --repository', async () => {
    const github = await startGitHubStandIn();
    try {
      const tracked = await runProgram(node, [cli, 'run-workflow', '.github/workflows/track.yml', '--api-url', github.url, '--server-url', 'https://ghe.example.com', '--repository', `${github.owner}/${github.repo}`, '--secret', `GITHUB_TOKEN=${github.token}`], 120_000, root, {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DEPLOY_ACTIONS_GITHUB_DELAYS: 'off'
      });
      expect({ code: tracked.code, stderr: tracked.stderr }).toEqual({ code: 0, stderr: '' });
      const issues = github.issues();
      expect(issues.map((i) => i.title)).toEqual([`Deploy ${github.owner}/${github.repo}`]);
      expect(issues[0]!.body).toContain('\nRun https://ghe.example.com\n');
      expect(tracked.stdout).toMatch(new RegExp(`issue at http\\S+/${github.owner}/${github.repo}/issues/${issues[0]!.number}\n`));
      expect(tracked.stdout).not.toContain(github.token);
      expect(github.violations()).toEqual([]);
      const bad = await runWorkflowCli(['.github/workflows/track.yml', '--api-url', 'api.github.com']);
      expect({ code: bad.code, stderr: bad.stderr }).toEqual({ code: 2, stderr: 'deploy-actions run-workflow: --api-url "api.github.com" is not an http(s) URL\n' });
    } finally {
      await github.stop();
    }
  });

  it("runs a released workflow's <owner>/deploy-actions/actions/<name>@<version> from the deploy-actions checkout it runs from, or the folder --action-repository names", async () => {
    const caller = mkdtempSync(join(tmpdir(), 'run-workflow-caller-'));
    try {
      mkdirSync(join(caller, '.github', 'workflows'), { recursive: true });
      writeFileSync(
        join(caller, '.github', 'workflows', 'released.yml'),
        `on: push
jobs:
  verify:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/deploy-actions/actions/health-check@v2.1.0
        with:
          url: ${server.origin}/health
          interval: 200ms
          deadline: 3s
`
      );
      const byDefault = await runWorkflowCli(['.github/workflows/released.yml'], caller);
      expect(byDefault.code).toBe(0);
      expect(byDefault.stdout).toContain(`from the local folder ${join(repoRoot, 'actions/health-check')} (the ref after @ is not checked out: the folder runs as it is)`);
      const named = await runWorkflowCli(['.github/workflows/released.yml', '--action-repository', `acme/deploy-actions=${root}`], caller);
      expect(named.code).toBe(0);
      expect(named.stdout).toContain(`from the local folder ${join(root, 'actions/health-check')}`);
      const missing = await runWorkflowCli(['.github/workflows/released.yml', '--action-repository', 'acme/deploy-actions=/no/such/folder'], caller);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--action-repository acme/deploy-actions=/no/such/folder: no such folder');
    } finally {
      rmSync(caller, { recursive: true, force: true });
    }
  });

  it('explains itself with --help', async () => {
    const help = await runWorkflowCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: deploy-actions run-workflow <workflow.yml> [--event <event>] [--input name=value]...');
    const top = await runProgram(node, [cli, '--help'], 60_000, root);
    expect(top.stdout).toContain('deploy-actions run-workflow <workflow.yml>');
  });
});
