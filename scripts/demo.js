// The demo: real pipelines run locally, each step the way GitHub would run it, against services
// this script starts itself on 127.0.0.1 (the test bed's API, a cache service: the stand-in for
// GitHub's results service over real Azurite, the Cloudflare bed, the platform bed, the GitHub
// stand-in). First single actions through the CLI; then Salunga AI's whole pipeline
// (examples/salunga-ai/deploy.yml) through the workflow runner, twice: promoted, then rolled back.
// It prints what a user would see in the logs, the job summaries and the issues, and where the job
// summaries were written as HTML pages.
import { execFileSync, spawn } from 'node:child_process';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite } from '../testbed/azurite.ts';
import { startCloudflareBed } from '../testbed/cloudflare/bed.ts';
import { runWrangler, wranglerEnvironment } from '../testbed/cloudflare/wrangler.ts';
import { startResultsService } from '../testbed/results-service.ts';
import { DEMO_PASSWORD, startService } from '../testbed/service.js';
import { startGitHubStandIn } from '../testbed/github/server.ts';
import { startPlatformBed } from '../testbed/platforms/bed.ts';
import { makeSalungaRepository, SALUNGA_API_PROJECT } from '../testbed/salunga/repository.ts';

const cli = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));
const version = 'a1b2c3d';

// The workflow runner and the CLI's terminal rendering load from their TypeScript sources, as the
// packages export them: they import siblings as `./x.js` and use syntax that Node's type stripping
// leaves alone (parameter properties), so `./x.js` is found as `./x.ts` and Node's own transform
// compiles them. Only our sources: dependencies load as they are.
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/^\.\.?\/.*\.js$/.test(specifier) || !context.parentURL?.endsWith('.ts')) throw error;
      return nextResolve(specifier.replace(/\.js$/, '.ts'), context);
    }
  },
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
    return { format: 'module', source: stripTypeScriptTypes(readFileSync(fileURLToPath(url), 'utf8'), { mode: 'transform', sourceUrl: url }), shortCircuit: true };
  }
});

/**
 * Runs `deploy-actions <args>` (the bundled CLI, which runs the bundled action) in `cwd`, streams its
 * report, and returns its exit code and outputs.
 */
function deployActions(args, env = {}, cwd = process.cwd()) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env }, cwd });
    let text = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      text += chunk;
    });
    child.on('close', (code) => {
      const outputs = Object.fromEntries([...text.matchAll(/^([a-z-]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
      resolve({ code: code ?? 1, outputs });
    });
  });
}

/**
 * A tiny project the pipeline builds, committed as a checkout has it (so the key comes from git's
 * index, as in a job): its sources, and a "build" that writes dist/.
 */
function makeProject() {
  const dir = mkdtempSync(join(tmpdir(), 'demo-project-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "demo-app", "version": "1.0.0" }\n');
  writeFileSync(join(dir, 'src/index.js'), 'export const hello = () => "hello";\n');
  writeFileSync(join(dir, '.gitignore'), 'dist/\n');
  // No hook, signing or template of the user's own configuration takes part.
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=demo', '-c', 'user.email=demo@localhost', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgSign=false', '-c', 'core.hooksPath=/dev/null', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'demo app');
  return dir;
}

function build(project) {
  mkdirSync(join(project, 'dist'), { recursive: true });
  writeFileSync(join(project, 'dist/app.js'), `// built\n${readFileSync(join(project, 'src/index.js'), 'utf8')}`);
}

function banner(text) {
  console.log(`\n${'═'.repeat(78)}\n${text}\n${'═'.repeat(78)}`);
}

const azurite = await startAzurite();
const results = await startResultsService({ azurite });
const project = makeProject();
let failed = false;

const keyArgs = ['build-cache-key', '--files', 'src/**', '--files', 'package.json', '--prefix', 'demo-app', '--path', 'dist'];
try {
  banner('0a. Pipeline run 1: build once. build-cache-key computes the key from the sources and looks\n    it up in the cache (lookup-only): a miss, so the pipeline builds, and the build job\'s step saves\n    dist/ in its post step (the CLI runs a step\'s main and post together, so it runs after the build).');
  const lookup = await deployActions([...keyArgs, '--lookup-only'], results.env, project);
  failed ||= lookup.code !== 0 || lookup.outputs['cache-hit'] !== 'false';
  console.log(`\n→ cache-hit=${lookup.outputs['cache-hit']}: building dist/ ...`);
  build(project);
  const save = await deployActions(keyArgs, results.env, project);
  failed ||= save.code !== 0 || save.outputs.key !== lookup.outputs.key;

  banner('0b. Pipeline run 2, on a fresh checkout of the same commit: the same key, an exact hit;\n    dist/ is restored and the build is skipped.');
  rmSync(join(project, 'dist'), { recursive: true, force: true });
  const hit = await deployActions(keyArgs, results.env, project);
  const restored = readFileSync(join(project, 'dist/app.js'), 'utf8').startsWith('// built');
  console.log(`\n→ cache-hit=${hit.outputs['cache-hit']}, dist/app.js ${restored ? 'restored' : 'missing'}: no build needed`);
  failed ||= hit.code !== 0 || hit.outputs['cache-hit'] !== 'true' || !restored;
} finally {
  await results.stop();
  await azurite.stop();
  rmSync(project, { recursive: true, force: true });
}

const service = await startService({ readyAfterMs: 3000, version });
let healthResults = '';
const reportDir = mkdtempSync(join(tmpdir(), 'demo-smoke-'));
try {
  banner(`1. Deploy ${version}: the service answers 503 while it starts (about 3 s), then 200.\n   health-check waits until it is live, twice in a row, on the version just deployed.`);
  const { code: healthy, outputs: health } = await deployActions([
    'health-check',
    '--url', `${service.url}/health`,
    '--json-path', '$.status == "ok"',
    '--json-path', `$.version == "${version}"`,
    '--json-path', '$.checks.db == "up"',
    '--headers', 'Authorization: Bearer demo-secret-token',
    '--interval', '500ms',
    '--consecutive-successes', '2',
    '--deadline', '30s'
  ]);
  console.log(`\n→ exit code ${healthy} (expected 0: healthy)`);
  failed ||= healthy !== 0;
  healthResults = health.results ?? '';

  banner('2. The same check, expecting a version that was never deployed: it fails by its\n   deadline, and the summary says why (status, failed assertion, body excerpt).');
  const { code: stale } = await deployActions([
    'health-check',
    '--url', `${service.url}/health`,
    '--json-path', '$.version == "f00dfeed"',
    '--interval', '500ms',
    '--backoff', 'fixed',
    '--deadline', '3s'
  ]);
  console.log(`\n→ exit code ${stale} (expected 1: not healthy)`);
  failed ||= stale !== 1;

  banner('3. Live: smoke-test walks the critical paths from examples/smoke/smoke.yml (log in,\n   read, write, read back) with captures, parallel tests and one route that needs a retry.');
  const { code: smoke } = await deployActions(
    ['smoke-test', '--spec', 'examples/smoke/smoke.yml', '--base-url', service.url, '--report-dir', reportDir],
    { SMOKE_PASSWORD: DEMO_PASSWORD }
  );
  console.log(`\n→ exit code ${smoke} (expected 0: all passed, one flaky); reports in ${reportDir}`);
  failed ||= smoke !== 0;
} finally {
  await service.close();
}
// Salunga AI's pipeline (examples/salunga-ai/deploy.yml) as a workflow run: the workflow runner runs
// its jobs as GitHub would, against the beds: the Cloudflare bed (real wrangler, every version in
// real workerd), the platform bed's `shuttle` for the API, the cache service, the GitHub stand-in.
const [{ runWorkflow }, { renderSummary }, { summaryPageLine }] = await Promise.all([
  import('@deploy-actions/harness'),
  import('@deploy-actions/cli/terminal'),
  import('@deploy-actions/cli/summary-html')
]);
const bed = await startCloudflareBed();
const wrangler = await wranglerEnvironment({ url: bed.apiUrl }, { accountId: bed.accountId, token: bed.token });
const pipelineAzurite = await startAzurite();
const pipelineResults = await startResultsService({ azurite: pipelineAzurite });
const platforms = await startPlatformBed();
const github = await startGitHubStandIn();
const salunga = makeSalungaRepository();
// The pages stay for the reader to open.
const pages = mkdtempSync(join(tmpdir(), 'demo-summaries-'));
try {
  salunga.buildLocally();
  const first = await runWrangler(['deploy'], { env: wrangler.env, cwd: salunga.worker });
  if (first.code !== 0) throw new Error(`wrangler deploy failed: ${first.stderr}`);
  salunga.removeBuild();
  const { SHUTTLE_API_KEY: shuttleKey, ...platformEnv } = platforms.env;

  /** The pipeline on Salunga's repository as it is, dispatched with 2-second soaks instead of 30 minutes; its job summaries printed as the run page shows them. */
  const deploy = async (page) => {
    const run = await runWorkflow({
      root: salunga.root,
      workflow: fileURLToPath(new URL('../examples/salunga-ai/deploy.yml', import.meta.url)),
      event: 'workflow_dispatch',
      inputs: { soak: '2s', interval: '1s', 'probe-rate': '20', 'min-samples': '5', 'max-latency-increase': '500%' },
      vars: {
        PRODUCTION_URL: bed.workerUrl('salunga-ai'),
        STAGING_URL: bed.workerUrl('salunga-ai-staging'),
        API_URL: platforms.appUrl('shuttle', SALUNGA_API_PROJECT),
        SHUTTLE_PROJECT: SALUNGA_API_PROJECT
      },
      secrets: { CLOUDFLARE_API_TOKEN: bed.token, CLOUDFLARE_ACCOUNT_ID: bed.accountId, SHUTTLE_API_KEY: shuttleKey, GITHUB_TOKEN: github.token },
      apiUrl: github.url,
      // github.com, as the cache service is found there only; the API calls go to the stand-in all the same.
      serverUrl: 'https://github.com',
      repository: `${github.owner}/${github.repo}`,
      env: {
        ...wrangler.env,
        ...pipelineResults.env,
        ...platformEnv,
        PATH: `${platforms.binDir}:${process.env.PATH ?? ''}`,
        DEPLOY_ACTIONS_GITHUB_DELAYS: 'off',
        GIT_CONFIG_NOSYSTEM: '1'
      },
      summaryPage: join(pages, page),
      onJobEnd: (job) => console.log(`  ${job.result.padEnd(9)} ${job.name}`)
    });
    for (const job of run.jobs.filter((j) => j.summary.trim() !== '')) console.log(`\n── summary: ${job.name} ──\n${renderSummary(job.summary).trim()}`);
    console.log(`\n${run.name} (${run.event}): ${run.conclusion}`);
    process.stdout.write(summaryPageLine(run.summaryPage));
    return run;
  };
  const production = (run) => run.jobs.find((job) => job.name === 'Production canary');
  const serving = () => bed.store.worker('salunga-ai').deployments.at(-1).versions;
  /** An issue as GitHub shows it; GitHub does not show HTML comments, so the marker stays hidden. */
  const showIssue = (number) => {
    const issue = github.issueJson(number);
    console.log(`${issue.title} #${issue.number}   [${issue.state}]`);
    console.log(`${issue.user.login} opened this issue · labels: ${issue.labels.map((label) => label.name).join(', ')}`);
    console.log('─'.repeat(78));
    console.log(issue.body.replace(/^<!--[^\n]*-->\n/, ''));
  };

  banner("4. Salunga AI's pipeline, examples/salunga-ai/deploy.yml, run by the workflow runner on the beds.\n   v1 serves production; v2 is committed and the pipeline dispatched with 2-second soaks (30 minutes\n   on a push): the API to Shuttle, the Worker built once, staging (health, smoke tests), then\n   production as a canary at 5, 25, 50 and 100 %, each step judged against v1 measured at the same\n   time; promoted, with a tracking issue.");
  salunga.nextVersion('v2', 0);
  const promoted = await deploy('salunga-promoted.html');
  console.log(`\n→ ${promoted.conclusion}, canary ${production(promoted)?.outputs.result}; production serves ${serving().map((v) => `${v.version_id} at ${v.percentage} %`).join(', ')} (expected success, promoted)`);
  failed ||= promoted.conclusion !== 'success' || production(promoted)?.outputs.result !== 'promoted';
  const tracking = github.issues().find((issue) => issue.labels.includes('deploy'));
  if (tracking) {
    banner(`The tracking issue as GitHub shows it:`);
    showIssue(tracking.number);
  }
  failed ||= !tracking;

  banner("5. Then v3, which fails 5 % of its requests (stable: 0 %): staging's few smoke requests\n   pass, the production canary's probes do not. Rolled back at an early step on its own: v2 serves\n   100 % again, and the incident issue says so. The summary explains the failing step first.");
  salunga.nextVersion('v3', 5);
  const rolledBack = await deploy('salunga-rolled-back.html');
  const after = serving();
  console.log(`\n→ ${rolledBack.conclusion}, canary ${production(rolledBack)?.outputs.result}; production serves ${after.map((v) => `${v.version_id} at ${v.percentage} %`).join(', ')} (expected failure, rolled back, v2 at 100 %)`);
  failed ||= rolledBack.conclusion !== 'failure' || production(rolledBack)?.outputs.result !== 'rolled-back' || after.length !== 1 || after[0].version_id !== production(promoted)?.outputs.version;
  const incident = github.issues().find((issue) => issue.labels.includes('incident'));
  if (incident) {
    banner(`The incident as GitHub shows it (${github.violations().length} schema violations in ${github.calls().length} API calls):`);
    showIssue(incident.number);
  }
  failed ||= !incident || github.violations().length > 0;
} finally {
  await github.stop();
  await platforms.stop();
  await pipelineResults.stop();
  await pipelineAzurite.stop();
  await bed.stop();
  await wrangler.cleanup();
  salunga.remove();
}

if (failed) {
  console.error('\nThe demo did not end as expected.');
  process.exit(1);
}
console.log(`\nThe job summaries of both pipeline runs as pages, charts drawn: ${pages}\nDemo finished: every run ended as expected.`);
