// examples/advanced-cicd-v2 end to end: the Advanced CI/CD v2 pipeline (quality gates, one build shared
// across workflows by its build-cache-key, staging with checks and a tracking issue, production by
// dispatch after a stabilisation wait, GitHub deployment records, rollback to the last good version)
// in a user's repository, through the local workflow runner on the beds: real wrangler against the
// Cloudflare bed, the cache service stand-in, the GitHub stand-in. The example's files are put in the
// repository's .github/workflows as they are, as its README says, and its variables set to the
// bed's Workers. The tests run in order: each starts from what the ones before deployed.
// Needs the bundles (`npm run build`).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWrangler } from '../../testbed/cloudflare/wrangler.ts';
import { job, logs, overview, pipelineWorld } from '../helpers/pipeline-world.js';
import { repoRoot } from '../helpers/run-node.js';
import type { WorkflowRun } from '@deploy-actions/harness';
import { parse as parseYaml } from 'yaml';

const world = pipelineWorld();
const { git, serving, servedLabel } = world;
const example = join(repoRoot, 'examples/advanced-cicd-v2');
const sampleWorker = join(repoRoot, 'testbed/cloudflare/worker');

interface Behaviour {
  label: string;
  failPercent?: number;
}

/** worker/wrangler.toml: production at the top level (my-worker), staging as `--env staging` (my-worker-staging). */
function wranglerToml(production: Behaviour, staging: Behaviour): string {
  const vars = (b: Behaviour) => `VERSION_LABEL = "${b.label}"\nFAIL_PERCENT = "${b.failPercent ?? 0}"\nLATENCY_MS = "0"\n`;
  return [
    'name = "my-worker"',
    'main = "dist/index.js"',
    'compatibility_date = "2025-09-01"',
    'workers_dev = false',
    '',
    '[vars]',
    vars(production),
    '[env.staging]',
    'name = "my-worker-staging"',
    'workers_dev = false',
    '',
    '[env.staging.vars]',
    vars(staging)
  ].join('\n');
}

const SMOKE_SPEC = `tests:
  - name: health
    request: { url: /health }
    expect:
      status: 200
      json:
        $.healthy: { equals: true }
  - name: orders
    request: { url: /orders }
    expect:
      status: 200
      json:
        $.path: { equals: /orders }
`;

const UNIT_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import worker from '../src/index.js';

test('answers healthy with its label', async () => {
  const response = await worker.fetch(new Request('http://localhost/health'), { VERSION_LABEL: 'unit' });
  assert.deepEqual(await response.json(), { label: 'unit', path: '/health', healthy: true });
});
`;

describe('examples/advanced-cicd-v2', () => {
  let root: string;
  let npmCache: string;
  const worker = () => join(root, 'worker');
  const stagingUrl = () => world.bed.workerUrl('my-worker-staging');
  const productionUrl = () => world.bed.workerUrl('my-worker');

  const commit = (message: string) => {
    git(root, ['add', '-A']);
    git(root, ['commit', '-qm', message]);
  };

  const run = (workflow: string, options: { label: string; event: 'push' | 'workflow_dispatch'; inputs?: Record<string, string> }) =>
    world.run(root, {
      workflow: `.github/workflows/${workflow}`,
      event: options.event,
      inputs: options.inputs ?? {},
      label: options.label,
      vars: { WORKER: 'my-worker', STAGING_URL: stagingUrl(), PRODUCTION_URL: productionUrl() },
      // npm installs nothing here (the Worker has no dependencies): offline, no audit, a cache of its own.
      env: { npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_cache: npmCache }
    });

  const failedLog = (result: WorkflowRun) => (result.conclusion === 'success' ? '' : logs(result));
  const records = (environment: string) => world.github.deployments().filter((d) => d.environment === environment);
  const states = (record: { statuses: Array<{ state: string }> }) => record.statuses.map((s) => s.state);
  const versionOf = (record: { payload: unknown }) => (record.payload as { versionId: string }).versionId;

  beforeAll(async () => {
    npmCache = mkdtempSync(join(tmpdir(), 'npm-cache-'));
    root = world.repository({});
    // The user's Worker, its checks and its smoke spec.
    mkdirSync(join(worker(), 'src'), { recursive: true });
    mkdirSync(join(worker(), 'test'));
    cpSync(join(sampleWorker, 'index.js'), join(worker(), 'src/index.js'));
    writeFileSync(join(worker(), 'test/index.test.js'), UNIT_TEST);
    writeFileSync(
      join(worker(), 'package.json'),
      `${JSON.stringify(
        {
          name: 'my-worker',
          private: true,
          type: 'module',
          scripts: { lint: 'node --check src/index.js', typecheck: 'node --check src/index.js', test: 'node --test', build: 'mkdir -p dist && cp src/index.js dist/index.js' }
        },
        null,
        2
      )}\n`
    );
    writeFileSync(join(worker(), 'package-lock.json'), `${JSON.stringify({ name: 'my-worker', lockfileVersion: 3, requires: true, packages: { '': { name: 'my-worker' } } }, null, 2)}\n`);
    writeFileSync(join(worker(), 'smoke.yml'), SMOKE_SPEC);
    writeFileSync(join(worker(), '.gitignore'), 'dist/\nnode_modules/\n');
    writeFileSync(join(worker(), 'wrangler.toml'), wranglerToml({ label: 'v1' }, { label: 'v1' }));
    // .github/workflows: this repository's reusable workflows beside the example's files.
    rmSync(join(root, '.github'));
    mkdirSync(join(root, '.github/workflows'), { recursive: true });
    for (const file of readdirSync(join(repoRoot, '.github/workflows'))) symlinkSync(join(repoRoot, '.github/workflows', file), join(root, '.github/workflows', file));
    for (const file of readdirSync(example).filter((name) => name.endsWith('.yml'))) {
      rmSync(join(root, '.github/workflows', file), { force: true });
      cpSync(join(example, file), join(root, '.github/workflows', file));
    }
    commit('my-worker and its pipeline');
    // v1 serves in both environments before the pipeline runs (built by hand, the build not cached).
    mkdirSync(join(worker(), 'dist'));
    cpSync(join(worker(), 'src/index.js'), join(worker(), 'dist/index.js'));
    for (const args of [['deploy'], ['deploy', '--env', 'staging']]) {
      const deployed = await runWrangler(args, { env: world.wrangler.env, cwd: worker() });
      if (deployed.code !== 0) throw new Error(`wrangler ${args.join(' ')}: ${deployed.stderr}`);
    }
    rmSync(join(worker(), 'dist'), { recursive: true });
  }, 300_000);

  afterAll(() => {
    if (npmCache) rmSync(npmCache, { recursive: true, force: true });
  });

  it('CI builds once, staging restores that build and opens a tracking issue, production promotes it, both recorded', async () => {
    writeFileSync(join(worker(), 'wrangler.toml'), wranglerToml({ label: 'v2' }, { label: 'v2' }));
    commit('v2');
    const sha = git(root, ['rev-parse', 'HEAD']);
    const [[v1Staging]] = serving('my-worker-staging') as [[string, number]];
    const [[v1Production]] = serving('my-worker') as [[string, number]];

    // A push to main: the gates, one build, staging.
    const ci = await run('ci.yml', { event: 'push', label: 'CI and staging' });
    expect({ conclusion: ci.conclusion, jobs: overview(ci), log: failedLog(ci) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [
        ['Lint', 'success'],
        ['Typecheck', 'success'],
        ['Test', 'success'],
        ['Build once', 'success'],
        ['Staging / Deploy to staging', 'success'],
        ['Staging / Rollback', 'skipped']
      ]
    });
    // Built once, on the miss, and saved under the key CI hands on.
    const build = job(ci, 'Build once');
    const buildKey = build.outputs['build-key']!;
    expect(buildKey).toMatch(/^worker-build-[0-9a-f]{64}$/);
    expect(build.steps.find((s) => s.id === 'build')?.outputs['cache-hit']).toBe('false');
    expect(build.steps.find((s) => s.name === 'Build (these sources were never built)')?.outcome).toBe('success');
    expect(world.results.cacheEntries().filter((entry) => entry.key.startsWith('worker-build-')).map((entry) => entry.key)).toEqual([buildKey]);
    // Staging restored exactly that build (a hit on CI's key), and built nothing.
    const staging = job(ci, 'Staging / Deploy to staging');
    expect(staging.steps.find((s) => s.id === 'build')?.outputs).toMatchObject({ key: buildKey, 'cache-hit': 'true' });
    expect(staging.log.join('\n')).toContain(`Restored ${buildKey}, the build CI made`);
    const v2Staging = staging.outputs.version!;
    expect(serving('my-worker-staging')).toEqual([[v2Staging, 100]]);
    expect(await servedLabel('my-worker-staging')).toBe('v2');
    expect(serving('my-worker')).toEqual([[v1Production, 100]]);
    // Checked: health and smoke passed, and the summaries say so.
    expect(staging.steps.find((s) => s.id === 'health')?.outputs.healthy).toBe('true');
    expect(staging.steps.find((s) => s.id === 'smoke')?.outputs).toMatchObject({ passed: '2', failed: '0' });
    // The tracking issue: the versions, the checklist, the 60-minute window, the rollback procedure, the results.
    const [stagingIssue, ...otherIssues] = world.github.issues();
    expect(otherIssues).toEqual([]);
    expect(stagingIssue).toMatchObject({ state: 'open', title: `Deploy ${sha.slice(0, 7)} to staging`, labels: expect.arrayContaining(['deploy', 'staging']) });
    const body = stagingIssue!.body;
    expect(body).toContain(`Version \`${v2Staging}\` of **my-worker-staging** serves all of staging; it replaced \`${v1Staging}\`.`);
    expect(body).toContain(`Built once by CI (build \`${buildKey}\`), restored here, not rebuilt.`);
    expect(body).toMatch(/### Monitoring\n\nWatch until \*\*(?:\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\*\* \(1h from \d\d:\d\d UTC\)\./);
    expect(body).toContain('### Checklist\n\n- [ ] Health check passed\n- [ ] Smoke tests passed\n');
    expect(body).toContain("```\ngh workflow run rollback.yml -f environment=staging -f to=previous -f reason='<why>'\n```");
    expect(body).toMatch(/\| orders \|/);
    // Recorded: a staging deployment of this commit, in progress and then successful.
    expect(records('staging').map((d) => ({ sha: d.sha, version: versionOf(d), states: states(d) }))).toEqual([{ sha, version: v2Staging, states: ['in_progress', 'success'] }]);

    // Production, by hand, with a short stabilisation instead of 30 s.
    const production = await run('deploy-production.yml', { event: 'workflow_dispatch', inputs: { stabilisation: '1s' }, label: 'production' });
    expect({ conclusion: production.conclusion, jobs: overview(production), log: failedLog(production) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [
        ['Production / Deploy to production', 'success'],
        ['Production / Rollback', 'skipped']
      ]
    });
    const deploy = job(production, 'Production / Deploy to production');
    expect(deploy.steps.find((s) => s.id === 'build')?.outputs).toMatchObject({ key: buildKey, 'cache-hit': 'true' });
    expect(deploy.steps.find((s) => s.name === 'Let it stabilise')?.outcome).toBe('success');
    const v2Production = deploy.outputs.version!;
    expect(v2Production).not.toBe(v2Staging);
    expect(serving('my-worker')).toEqual([[v2Production, 100]]);
    expect(await servedLabel('my-worker')).toBe('v2');
    // Still one build: production restored it too.
    expect(world.results.cacheEntries().filter((entry) => entry.key.startsWith('worker-build-'))).toHaveLength(1);
    expect(records('production').map((d) => ({ sha: d.sha, version: versionOf(d), states: states(d) }))).toEqual([{ sha, version: v2Production, states: ['in_progress', 'success'] }]);
    expect(records('staging').map(states)).toEqual([['in_progress', 'success']]);
    const productionIssue = world.github.issues().find((i) => i.title === `Deploy ${sha.slice(0, 7)} to production`);
    expect(productionIssue?.body).toContain(`Version \`${v2Production}\` of **my-worker** serves all of production; it replaced \`${v1Production}\`.`);
    expect(productionIssue?.body).toContain("gh workflow run rollback.yml -f environment=production -f to=previous -f reason='<why>'");
    // Nothing secret reached GitHub or the log.
    expect(JSON.stringify(world.github.issues()) + logs(ci) + logs(production)).not.toContain(world.bed.token);
  }, 900_000);

  it('a version that fails its production checks is rolled back to the last good one, with an incident and a failed record', async () => {
    // Production's last good deploy, recorded (this test's GitHub starts empty).
    const good = await run('deploy-production.yml', { event: 'workflow_dispatch', inputs: { stabilisation: '1s' }, label: 'production, good' });
    expect({ conclusion: good.conclusion, log: failedLog(good) }).toEqual({ conclusion: 'success', log: '' });
    const lastGood = job(good, 'Production / Deploy to production').outputs.version!;

    // A production-only setting breaks it: every request fails. The sources (and so the build) are unchanged.
    writeFileSync(join(worker(), 'wrangler.toml'), wranglerToml({ label: 'v3', failPercent: 100 }, { label: 'v3' }));
    commit('v3: a production setting');
    const bad = await run('deploy-production.yml', { event: 'workflow_dispatch', inputs: { stabilisation: '1s', 'check-deadline': '5s' }, label: 'production, failing checks' });
    expect({ conclusion: bad.conclusion, jobs: overview(bad) }).toEqual({
      conclusion: 'failure',
      jobs: [
        ['Production / Deploy to production', 'failure'],
        ['Production / Rollback / Roll back production', 'success']
      ]
    });
    const deploy = job(bad, 'Production / Deploy to production');
    const v3 = deploy.outputs.version!;
    expect(v3).not.toBe(lastGood);
    expect(deploy.steps.find((s) => s.id === 'health')?.outcome).toBe('failure');
    expect(deploy.steps.find((s) => s.id === 'tracking')?.outcome).toBe('skipped');
    // Back on the last good version, verified.
    const rollback = job(bad, 'Production / Rollback / Roll back production');
    expect(JSON.parse(rollback.outputs['rolled-back-to']!)).toEqual({ 'my-worker': lastGood });
    expect(JSON.parse(rollback.outputs['rolled-back-from']!)).toEqual({ 'my-worker': v3 });
    expect(rollback.outputs.verified).toBe('true');
    expect(serving('my-worker')).toEqual([[lastGood, 100]]);
    expect(await servedLabel('my-worker')).toBe('v2');
    // The incident says what happened.
    const incidents = world.github.issues().filter((i) => i.labels.includes('incident'));
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ state: 'open', title: 'Incident: emergency rollback of production' });
    expect(incidents[0]!.body).toContain(`**Reason:** version ${v3} failed its checks in production`);
    expect(incidents[0]!.body).toContain('Rollback done; verification: true.');
    expect(incidents[0]!.body).toContain(`\`{"my-worker":"${lastGood}"}\``);
    // The records: the good deploy still good, the bad one failed, the rollback recorded as what left it.
    const [goodRecord, badRecord, rollbackRecord, ...more] = records('production');
    expect(more).toEqual([]);
    expect({ version: versionOf(goodRecord!), latest: states(goodRecord!).at(-1) }).toEqual({ version: lastGood, latest: 'success' });
    expect({ version: versionOf(badRecord!), states: states(badRecord!) }).toEqual({ version: v3, states: ['in_progress', 'success', 'failure'] });
    expect(badRecord!.statuses.at(-1)!.description).toContain(`rolled back to ${lastGood}`);
    // The rollback deployed the good record's commit again.
    expect({ sha: rollbackRecord!.sha, payload: rollbackRecord!.payload }).toMatchObject({ sha: goodRecord!.sha, payload: { versionId: lastGood, rolledBackFrom: { versionId: v3 } } });
    expect(states(rollbackRecord!).at(-1)).toBe('success');
  }, 900_000);

  it("the tracking issue's rollback command puts staging back on the version it replaced, recorded, with an incident", async () => {
    const [[v2Staging]] = serving('my-worker-staging') as [[string, number]];
    const before = world.bed.store.worker('my-worker-staging')!.deployments;
    const v1Staging = before.at(-2)!.versions[0]!.version_id;
    // gh workflow run rollback.yml -f environment=staging -f to=previous -f reason='<why>'
    const result = await run('rollback.yml', { event: 'workflow_dispatch', inputs: { environment: 'staging', to: 'previous', reason: 'orders page broken on staging' }, label: 'rollback by hand' });
    expect({ conclusion: result.conclusion, jobs: overview(result), log: failedLog(result) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [['Rollback / Roll back staging', 'success']]
    });
    expect(serving('my-worker-staging')).toEqual([[v1Staging, 100]]);
    expect(await servedLabel('my-worker-staging')).toBe('v1');
    // Production untouched.
    expect(await servedLabel('my-worker')).toBe('v2');
    const [incident, ...others] = world.github.issues();
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ title: 'Incident: emergency rollback of staging', labels: expect.arrayContaining(['incident', 'rollback']) });
    expect(incident!.body).toContain('**Reason:** orders page broken on staging');
    expect(incident!.body).toContain('Rollback done; verification: true.');
    expect(records('staging').map((d) => ({ payload: d.payload, states: states(d) }))).toEqual([
      { payload: expect.objectContaining({ worker: 'my-worker-staging', versionId: v1Staging, rolledBackFrom: expect.objectContaining({ versionId: v2Staging }), reason: 'Emergency rollback: orders page broken on staging' }), states: ['in_progress', 'success'] }
    ]);
    expect(records('production')).toEqual([]);
  }, 600_000);

  it('a failing unit test stops CI at the gates: nothing built, nothing deployed, nothing recorded', async () => {
    const entries = world.results.cacheEntries().length;
    const stagingDeployments = world.bed.store.worker('my-worker-staging')!.deployments.length;
    writeFileSync(join(worker(), 'src/index.js'), readFileSync(join(worker(), 'src/index.js'), 'utf8').replace('healthy: failPercent === 0', 'healthy: false'));
    commit('a bug');
    try {
      const result = await run('ci.yml', { event: 'push', label: 'CI, a failing unit test' });
      expect({ conclusion: result.conclusion, jobs: overview(result) }).toEqual({
        conclusion: 'failure',
        jobs: [
          ['Lint', 'success'],
          ['Typecheck', 'success'],
          ['Test', 'failure'],
          ['Build once', 'skipped'],
          ['Staging', 'skipped']
        ]
      });
      expect(job(result, 'Test').log.join('\n')).toContain('answers healthy with its label');
      expect(world.results.cacheEntries()).toHaveLength(entries);
      expect(world.bed.store.worker('my-worker-staging')!.deployments).toHaveLength(stagingDeployments);
      expect(world.github.issues()).toEqual([]);
      expect(world.github.deployments()).toEqual([]);
    } finally {
      git(root, ['reset', '-q', '--hard', 'HEAD~1']);
    }
  }, 600_000);

  it('a build key other than the one CI handed on stops the deploy before anything is uploaded', async () => {
    const stagingBefore = serving('my-worker-staging');
    const versionsBefore = world.bed.store.worker('my-worker-staging')!.versions.length;
    const otherKey = `worker-build-${'0'.repeat(64)}`;
    const result = await world.run(root, {
      workflow: '.github/workflows/deploy.yml',
      event: 'workflow_call',
      inputs: { environment: 'staging', worker: 'my-worker-staging', 'wrangler-environment': 'staging', url: stagingUrl(), 'build-key': otherKey },
      label: 'deploy.yml, another build key'
    });
    expect({ conclusion: result.conclusion, jobs: overview(result) }).toEqual({
      conclusion: 'failure',
      jobs: [
        ['Deploy to staging', 'failure'],
        ['Rollback', 'skipped']
      ]
    });
    const deploy = job(result, 'Deploy to staging');
    expect(deploy.steps.find((s) => s.name === 'Check it is the build CI made')?.outcome).toBe('failure');
    expect(deploy.log.join('\n')).toMatch(new RegExp(`##\\[error\\]These sources give the build key worker-build-[0-9a-f]{64}, but CI built ${otherKey}`));
    expect(deploy.steps.find((s) => s.id === 'deploy')?.outcome).toBe('skipped');
    expect(serving('my-worker-staging')).toEqual(stagingBefore);
    expect(world.bed.store.worker('my-worker-staging')!.versions).toHaveLength(versionsBefore);
    expect(world.github.deployments()).toEqual([]);
  }, 600_000);

  it('keeps the real timings as its defaults: 30 s stabilisation, a 60-minute monitoring window', () => {
    const inputs = (file: string, event: string) => (parseYaml(readFileSync(join(example, file), 'utf8')) as { on: Record<string, { inputs: Record<string, { default?: string }> }> }).on[event]!.inputs;
    expect(inputs('deploy-production.yml', 'workflow_dispatch')).toMatchObject({ stabilisation: { default: '30s' }, 'monitor-for': { default: '60m' }, 'check-deadline': { default: '2m' } });
    expect(inputs('deploy.yml', 'workflow_call')).toMatchObject({ stabilisation: { default: '0s' }, 'monitor-for': { default: '60m' } });
  });
});
