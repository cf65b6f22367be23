// The world an end-to-end pipeline test runs in: the Cloudflare bed (real wrangler, every version in
// real workerd behind the bed's router), the cache service stand-in (Azurite behind the results
// service) for build-cache-key, and a fresh GitHub stand-in per test (every call held to GitHub's
// OpenAPI description, asserted after each test). A test file calls `pipelineWorld()` once at its top
// level; it registers the hooks that start and stop the beds, and hands out the user's repositories
// and workflow runs. Needs the bundles (`npm run build`).
import { afterAll, afterEach, beforeAll, beforeEach, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runWorkflow, type JobRun, type RunWorkflowOptions, type WorkflowRun } from '@deploy-actions/harness';
import { startCloudflareBed, type CloudflareBed } from '../../testbed/cloudflare/bed.ts';
import { runWrangler, wranglerEnvironment, type WranglerEnvironment } from '../../testbed/cloudflare/wrangler.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../../testbed/github/server.js';
import { startAzurite, type Azurite } from '../../testbed/azurite.js';
import { startResultsService, type ResultsService } from '../../testbed/results-service.js';
import { repoRoot } from './run-node.js';

const sampleWorker = join(repoRoot, 'testbed/cloudflare/worker');
const guard = join(repoRoot, 'testbed/cloudflare/connect-guard.mjs');

export interface RunOptions extends Pick<RunWorkflowOptions, 'workflow' | 'event' | 'inputs' | 'vars'> {
  /** Names the run in the timings printed at the end. */
  label: string;
  /** Secrets beside the Cloudflare and GitHub ones. */
  secrets?: Record<string, string>;
  /** Environment beside the beds'. */
  env?: Record<string, string>;
}

export interface PipelineWorld {
  readonly bed: CloudflareBed;
  readonly wrangler: WranglerEnvironment;
  readonly results: ResultsService;
  /** This test's GitHub stand-in. */
  readonly github: GitHubStandIn;
  /** A user's repository: a Worker per folder given, with this repository's actions, workflows, bundles and node_modules linked in, committed. */
  repository(workers: Record<string, string>, wranglerMain?: string): string;
  git(root: string, args: string[]): string;
  /** The next upload's behaviour, through the vars of the Worker's wrangler.toml. */
  setVars(dir: string, vars: { label: string; failPercent?: number }): void;
  wranglerDeploy(cwd: string): Promise<void>;
  /** A workflow run as GitHub would start it in `root`, talking to the beds only. */
  run(root: string, options: RunOptions): Promise<WorkflowRun>;
  /** The current deployment of `worker`: [version id, percentage] pairs. */
  serving(worker: string): Array<[string, number]>;
  /** What a request without override gets from `worker` now: the version label its body names. */
  servedLabel(worker: string): Promise<string>;
}

/** Starts the beds around the calling test file and returns the world its tests use. */
export function pipelineWorld(): PipelineWorld {
  let bed: CloudflareBed | undefined;
  let wrangler: WranglerEnvironment | undefined;
  let azurite: Azurite | undefined;
  let results: ResultsService | undefined;
  let github: GitHubStandIn | undefined;
  const made: string[] = [];
  /** How long each run took, printed at the end for the record. */
  const timings: string[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started: use the world inside a test or hook`);
    return value;
  };

  beforeAll(async () => {
    bed = await startCloudflareBed();
    wrangler = await wranglerEnvironment({ url: bed.apiUrl }, { accountId: bed.accountId, token: bed.token, nodeOptions: `--import=${guard}` });
    azurite = await startAzurite();
    results = await startResultsService({ azurite });
  }, 180_000);

  afterAll(async () => {
    await results?.stop();
    await azurite?.stop();
    await bed?.stop();
    await wrangler?.cleanup();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
    if (timings.length > 0) process.stdout.write(`pipeline runs:\n  ${timings.join('\n  ')}\n`);
  });

  beforeEach(async () => {
    github = await startGitHubStandIn();
  });

  afterEach(async () => {
    const violations = github?.violations() ?? [];
    await github?.stop();
    github = undefined;
    // Every request the workflows made to GitHub and every answer were as GitHub's API describes them.
    expect(violations).toEqual([]);
  });

  const world: PipelineWorld = {
    get bed() {
      return started(bed, 'the Cloudflare bed');
    },
    get wrangler() {
      return started(wrangler, 'wrangler');
    },
    get results() {
      return started(results, 'the results service');
    },
    get github() {
      return started(github, 'the GitHub stand-in');
    },

    git(root, args) {
      return execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', '-c', 'init.defaultBranch=main', ...args], {
        cwd: root,
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: world.wrangler.dir, GIT_CEILING_DIRECTORIES: dirname(root) },
        encoding: 'utf8',
        timeout: 60_000
      }).trim();
    },

    repository(workers, wranglerMain = 'index.js') {
      const root = mkdtempSync(join(tmpdir(), 'pipeline-repo-'));
      made.push(root);
      for (const link of ['actions', '.github', 'dist', 'node_modules']) symlinkSync(join(repoRoot, link), join(root, link));
      for (const [folder, name] of Object.entries(workers)) {
        const dir = join(root, folder);
        mkdirSync(dir, { recursive: true });
        cpSync(join(sampleWorker, 'index.js'), join(dir, 'index.js'));
        const config = readFileSync(join(sampleWorker, 'wrangler.toml'), 'utf8').replace(/^name = "[^"]*"/m, `name = "${name}"`).replace(/^main = "[^"]*"/m, `main = "${wranglerMain}"`);
        writeFileSync(join(dir, 'wrangler.toml'), config);
      }
      writeFileSync(join(root, '.gitignore'), 'dist/\n');
      world.git(root, ['init', '-q']);
      world.git(root, ['add', '-A']);
      world.git(root, ['commit', '-qm', 'services']);
      return root;
    },

    setVars(dir, vars) {
      const config = join(dir, 'wrangler.toml');
      writeFileSync(
        config,
        readFileSync(config, 'utf8')
          .replace(/VERSION_LABEL = "[^"]*"/, `VERSION_LABEL = "${vars.label}"`)
          .replace(/FAIL_PERCENT = "[^"]*"/, `FAIL_PERCENT = "${vars.failPercent ?? 0}"`)
      );
    },

    async wranglerDeploy(cwd) {
      const run = await runWrangler(['deploy'], { env: world.wrangler.env, cwd });
      if (run.code !== 0) throw new Error(`wrangler deploy in ${cwd}: ${run.stderr}`);
    },

    async run(root, options) {
      const begun = performance.now();
      const { bed, github, results } = world;
      const result = await runWorkflow({
        root,
        workflow: options.workflow,
        event: options.event,
        inputs: options.inputs,
        vars: options.vars,
        secrets: { CLOUDFLARE_API_TOKEN: bed.token, CLOUDFLARE_ACCOUNT_ID: bed.accountId, GITHUB_TOKEN: github.token, ...options.secrets },
        apiUrl: github.env().GITHUB_API_URL!,
        // github.com, as the cache service (v2) is there only: the API calls go to the stand-in all the same.
        serverUrl: 'https://github.com',
        repository: `${github.owner}/${github.repo}`,
        env: {
          ...world.wrangler.env,
          ...results.env,
          // Octokit's pacing off: the stand-in has no rate limits to respect.
          DEPLOY_ACTIONS_GITHUB_DELAYS: 'off',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CEILING_DIRECTORIES: dirname(root),
          ...options.env
        }
      });
      timings.push(`${options.label}: ${((performance.now() - begun) / 1000).toFixed(1)} s, ${result.conclusion}`);
      return result;
    },

    serving(worker) {
      return world.bed.store.worker(worker)!.deployments.at(-1)!.versions.map((v) => [v.version_id, v.percentage]);
    },

    async servedLabel(worker) {
      const response = await fetch(`${world.bed.workerUrl(worker)}/health`);
      return ((await response.json()) as { label: string }).label;
    }
  };
  return world;
}

export function job(result: WorkflowRun, name: string): JobRun {
  const found = result.jobs.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name}; jobs: ${result.jobs.map((j) => `${j.name} (${j.result})`).join(', ')}`);
  return found;
}

/** Each job's name and result, in the order they started. */
export function overview(result: WorkflowRun): Array<[string, string]> {
  return result.jobs.map((j) => [j.name, j.result]);
}

/** The whole run's log, job by job, as a user reads it when something went wrong. */
export function logs(result: WorkflowRun): string {
  return result.jobs.map((j) => `== ${j.name} (${j.result})\n${j.log.join('\n')}`).join('\n');
}
