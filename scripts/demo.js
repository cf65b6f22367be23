// The demo: a real pipeline run locally, each step the way GitHub would run it, against services
// this script starts itself on 127.0.0.1 (the test bed's API, and a cache service: the stand-in for
// GitHub's results service over real Azurite). It prints what a user would see in the job's log and
// summary.
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { startAzurite } from '../testbed/azurite.ts';
import { startCloudflareBed } from '../testbed/cloudflare/bed.ts';
import { runWrangler, wranglerEnvironment } from '../testbed/cloudflare/wrangler.ts';
import { startResultsService } from '../testbed/results-service.ts';
import { DEMO_PASSWORD, startService } from '../testbed/service.js';
import { startGitHubStandIn } from '../testbed/github/server.ts';

const cli = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));
const version = 'a1b2c3d';

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
// The Cloudflare bed: real wrangler against the API stand-in, every version in real workerd.
const bed = await startCloudflareBed();
const wrangler = await wranglerEnvironment({ url: bed.apiUrl }, { accountId: bed.accountId, token: bed.token });
const worker = mkdtempSync(join(tmpdir(), 'demo-worker-'));
try {
  await cp(fileURLToPath(new URL('../testbed/cloudflare/worker/', import.meta.url)), worker, { recursive: true });
  await mkdir(join(worker, 'node_modules'));
  await symlink(fileURLToPath(new URL('../node_modules/wrangler', import.meta.url)), join(worker, 'node_modules/wrangler'), 'dir');
  const first = await runWrangler(['deploy'], { env: wrangler.env, cwd: worker });
  if (first.code !== 0) throw new Error(`wrangler deploy failed: ${first.stderr}`);
  /** The next upload's vars: its label and the share of requests it fails. */
  const nextVersion = async (label, failPercent) => {
    const config = join(worker, 'wrangler.toml');
    await writeFile(config, (await readFile(config, 'utf8')).replace(/VERSION_LABEL = "[^"]*"/, `VERSION_LABEL = "${label}"`).replace(/FAIL_PERCENT = "[^"]*"/, `FAIL_PERCENT = "${failPercent}"`));
  };
  const canaryArgs = [
    'canary-shift',
    '--worker', 'sample',
    '--version', 'upload',
    '--url', `${bed.workerUrl('sample')}/health`,
    '--json-path', '$.path == "/health"',
    '--steps', '0,5,25,50,100',
    '--bake', '2s',
    '--interval', '1s',
    '--probe-rate', '20',
    '--min-samples', '10'
  ];

  banner('4. canary-shift on the local Cloudflare bed: v1 serves 100 %. v2, healthy, is uploaded with\n   wrangler and moved through 0/5/25/50/100 %, each step judged against v1 measured at the same time.');
  await nextVersion('v2', 0);
  const promoted = await deployActions(canaryArgs, wrangler.env, worker);
  console.log(`\n→ exit code ${promoted.code}, result ${promoted.outputs.result} (expected 0: promoted)`);
  failed ||= promoted.code !== 0 || promoted.outputs.result !== 'promoted';

  banner('5. v3 fails 30 % of its requests: caught at its 0 % step, before any user reached it, and\n   v2 serves 100 % again. The summary explains the failing step first.');
  await nextVersion('v3', 30);
  const rolledBack = await deployActions(canaryArgs, wrangler.env, worker);
  const serving = bed.store.worker('sample').deployments.at(-1).versions;
  console.log(`\n→ exit code ${rolledBack.code}, result ${rolledBack.outputs.result}; the bed serves ${serving.map((v) => `${v.version_id} at ${v.percentage} %`).join(', ')} (expected 1: rolled back, v2 at 100 %)`);
  failed ||= rolledBack.code !== 1 || rolledBack.outputs.result !== 'rolled-back' || serving.length !== 1 || serving[0].version_id !== promoted.outputs['canary-version'];
} finally {
  await bed.stop();
  await wrangler.cleanup();
  rmSync(worker, { recursive: true, force: true });
}
const github = await startGitHubStandIn({ collaborators: ['octocat'] });
try {
  banner(`6. The paper trail: create-tracking-issue opens the deploy's tracking issue on GitHub (the\n   OpenAPI-checked stand-in) with a checklist, a 60-minute window, the rollback command and the\n   health results; the same run again finds it by its hidden marker and writes nothing.`);
  const env = { ...github.env(), GITHUB_TOKEN: github.token, GITHUB_SHA: `${version}${'0'.repeat(33)}`, GITHUB_WORKFLOW: 'Deploy', GITHUB_RUN_ID: '4242' };
  const trackingArgs = [
    'create-tracking-issue',
    '--title', 'Deploy {{ short-sha }} to {{ environment }}',
    '--environment', 'staging',
    '--body', 'Deployed by @{{ actor }}; healthy twice in a row on the version just deployed.',
    '--labels', 'deploy',
    '--assignees', 'octocat',
    '--checklist', 'Error rate below 1% on the dashboard',
    '--checklist', 'No new alerts',
    '--monitor-for', '60m',
    '--rollback-command', 'npx wrangler rollback --env staging',
    '--results', healthResults
  ];
  const created = await deployActions(trackingArgs, env);
  const again = await deployActions(trackingArgs, env);
  console.log(`\n→ action=${created.outputs.action}, then action=${again.outputs.action} (expected created, then unchanged)`);
  failed ||= created.code !== 0 || created.outputs.action !== 'created' || again.code !== 0 || again.outputs.action !== 'unchanged';
  failed ||= github.violations().length > 0;

  const issue = github.issueJson(Number(created.outputs.number));
  banner(`The tracking issue as GitHub shows it (${github.violations().length} schema violations in ${github.calls().length} API calls):`);
  console.log(`${issue.title} #${issue.number}   [${issue.state}]`);
  console.log(`${issue.user.login} opened this issue · labels: ${issue.labels.map((label) => label.name).join(', ')} · assignees: ${issue.assignees.map((user) => user.login).join(', ')}`);
  console.log('─'.repeat(78));
  // GitHub does not show HTML comments: the marker stays hidden.
  console.log(issue.body.replace(/^<!--[^\n]*-->\n/, ''));
} finally {
  await github.stop();
}

if (failed) {
  console.error('\nThe demo did not end as expected.');
  process.exit(1);
}
console.log('\nDemo finished: every run ended as expected.');
