// The reusable workflows as a release ships them: .github/workflows pinned by scripts/release.ts
// (`uses: ./actions/<name>` → `acme/deploy-actions/actions/<name>@v2.1.0`), called from another
// repository that has no actions of its own, as on GitHub. The runner maps acme/deploy-actions to a
// folder holding the release (the pinned workflows beside this checkout's actions and bundles), so
// what is tagged is what runs here. Without the pinning the same call finds no action, as GitHub
// would not. Needs `node scripts/build.js health-check create-tracking-issue`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectWorkflow, runWorkflow, type WorkflowRun } from '@deploy-actions/harness';
import { pinActionReferences } from '../../scripts/release.ts';
import { repoRoot } from '../helpers/run-node.js';
import { startMonitoredService, type TestServer } from '../helpers/servers.js';
import { startGitHubStandIn, type GitHubStandIn } from '../../testbed/github/server.js';

const HEALTH_TOKEN = 'released-health-5ecr3t';
const REUSABLE = ['deploy-cloudflare.yml', 'rollback-cloudflare.yml', 'deploy-changed-services.yml', 'monitor.yml'];

let release: string;
let caller: string;
let service: TestServer;
let github: GitHubStandIn;
let healthy = false;

beforeAll(async () => {
  // The release: the pinned workflows, and the actions with their bundles as the tag holds them.
  release = mkdtempSync(join(tmpdir(), 'released-deploy-actions-'));
  for (const link of ['actions', 'dist']) symlinkSync(join(repoRoot, link), join(release, link));
  mkdirSync(join(release, '.github', 'workflows'), { recursive: true });
  for (const file of readdirSync(join(repoRoot, '.github', 'workflows')).filter((name) => name.endsWith('.yml'))) {
    const text = readFileSync(join(repoRoot, '.github', 'workflows', file), 'utf8');
    writeFileSync(join(release, '.github', 'workflows', file), pinActionReferences(text, { owner: 'acme', repo: 'deploy-actions', version: 'v2.1.0' }));
  }
  // A team's repository: its own workflow only, committed.
  caller = mkdtempSync(join(tmpdir(), 'released-caller-'));
  mkdirSync(join(caller, '.github', 'workflows'), { recursive: true });
  writeFileSync(
    join(caller, '.github', 'workflows', 'monitor.yml'),
    `name: monitor production
on: workflow_dispatch
jobs:
  production:
    uses: acme/deploy-actions/.github/workflows/monitor.yml@v2.1.0
    with:
      environment: production
      url: \${{ vars.HEALTH_URL }}
      json-path: $.status == "ok"
      deadline: 3s
      interval: 200ms
    secrets:
      headers: \${{ secrets.HEALTH_HEADERS }}
`
  );
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], { cwd: caller, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'monitor');

  service = await startMonitoredService(HEALTH_TOKEN, () => healthy);
  github = await startGitHubStandIn();
}, 120_000);

afterAll(async () => {
  await service?.close();
  await github?.stop();
  for (const dir of [release, caller]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const mapping = () => ({ 'acme/deploy-actions': release });

function monitorRun(): Promise<WorkflowRun> {
  return runWorkflow({
    workflow: '.github/workflows/monitor.yml',
    root: caller,
    event: 'workflow_dispatch',
    actionRepositories: mapping(),
    vars: { HEALTH_URL: service.url('/health') },
    secrets: { GITHUB_TOKEN: github.token, HEALTH_HEADERS: `Authorization: Bearer ${HEALTH_TOKEN}` },
    repository: `${github.owner}/${github.repo}`,
    apiUrl: github.url,
    serverUrl: github.url,
    env: { DEPLOY_ACTIONS_GITHUB_DELAYS: 'off' }
  });
}

describe('the reusable workflows as released', () => {
  it.each(REUSABLE)('%s names no ./ path once pinned, and every action it uses resolves in the release', async (file) => {
    const pinned = readFileSync(join(release, '.github', 'workflows', file), 'utf8');
    expect(pinned).not.toMatch(/^\s*(?:-\s+)?uses:\s*['"]?\.\//m);
    expect(await inspectWorkflow(join(release, '.github', 'workflows', file), caller, mapping())).toEqual([]);
  });

  it('as they are in the repository, they find no action in the caller\'s repository (what GitHub would do)', async () => {
    const problems = await inspectWorkflow(join(repoRoot, '.github', 'workflows', 'monitor.yml'), caller);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/uses: \.\/actions\/([\w-]+): No action\.yml or action\.yaml in \S+released-caller-\w+\/actions\/\1$/);
  });

  it("called from another repository, the pinned monitor runs the release's actions: an incident while failing, closed when healthy", async () => {
    healthy = false;
    const failing = await monitorRun();
    expect(failing.conclusion).toBe('failure');
    const job = failing.jobs.find((j) => j.name === 'production / monitor')!;
    const log = job.log.join('\n');
    expect(log).toContain(`from the local folder ${join(release, 'actions/health-check')} (the ref after @ is not checked out: the folder runs as it is)`);
    expect(log).toContain(`from the local folder ${join(release, 'actions/create-tracking-issue')}`);
    expect(log).toContain('##[error]production is failing; incident ');
    expect(log).not.toContain(HEALTH_TOKEN);
    expect(github.issues().filter((issue) => issue.labels.includes('incident'))).toMatchObject([{ number: 1, title: 'Incident: production is failing', state: 'open' }]);

    healthy = true;
    const recovered = await monitorRun();
    expect(recovered.conclusion).toBe('success');
    expect(github.issues().filter((issue) => issue.labels.includes('incident'))).toMatchObject([{ number: 1, state: 'closed' }]);
    expect(github.violations()).toEqual([]);
  }, 300_000);
});
