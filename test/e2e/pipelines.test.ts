// The reusable workflows of .github/workflows run end to end through the local workflow runner, as
// a user's repository would call them: real wrangler against the Cloudflare bed (every version in
// real workerd behind the bed's router), the GitHub stand-in for the issues (every call held to
// GitHub's OpenAPI description), the cache service stand-in for build-cache-key. Each test makes a
// repository of its own (its Workers, plus this repository's actions, workflows and bundles) and
// asserts what a user would see: what serves, which issues exist and what they say, each job's result.
// Needs the bundles (`npm run build`).
import { describe, expect, it, beforeAll } from '@jest/globals';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { job, logs, overview, pipelineWorld } from '../helpers/pipeline-world.js';
import { repoRoot } from '../helpers/run-node.js';

const world = pipelineWorld();
const { git, repository, setVars, wranglerDeploy, run, serving, servedLabel } = world;

const SMOKE_SPEC = `tests:
  - name: health answers for the right path
    request: { url: /web/orders }
    expect:
      status: 200
      json:
        $.path: { equals: /orders }
`;

describe('deploy-cloudflare.yml', () => {
  let root: string;
  const worker = () => join(root, 'worker');

  beforeAll(async () => {
    // The Worker builds into dist/ (what wrangler uploads); v1 serves before the pipeline runs.
    root = repository({ worker: 'web' }, 'dist/index.js');
    writeFileSync(join(root, 'worker/smoke.yml'), SMOKE_SPEC);
    git(root, ['add', '-A']);
    git(root, ['commit', '-qm', 'smoke spec']);
    mkdirSync(join(worker(), 'dist'));
    cpSync(join(worker(), 'index.js'), join(worker(), 'dist/index.js'));
    await wranglerDeploy(worker());
    rmSync(join(worker(), 'dist'), { recursive: true });
  }, 180_000);

  const inputs = (extra: Record<string, string> = {}) => ({
    worker: 'web',
    url: `${world.bed.workerUrl('web')}/health`,
    environment: 'staging',
    'working-directory': 'worker',
    'build-command': 'mkdir -p dist && cp index.js dist/index.js',
    'build-path': 'dist',
    'json-path': '$.healthy == true',
    'smoke-spec': 'worker/smoke.yml',
    steps: '0,50,100',
    bake: '2s',
    interval: '1s',
    'probe-rate': '20',
    'min-samples': '5',
    // Latency is not under test here: over 20 samples a window's p95 moves by more than 20 % on a
    // loaded machine. The failing version fails on errors.
    'max-latency-increase': '500%',
    ...extra
  });

  it('builds once, checks v2 at 0 %, promotes it and opens a tracking issue that says so', async () => {
    setVars(worker(), { label: 'v2' });
    const v1 = serving('web')[0]![0];
    const result = await run(root, { workflow: '.github/workflows/deploy-cloudflare.yml', event: 'workflow_call', inputs: inputs(), label: 'deploy-cloudflare, promoted' });
    expect({ conclusion: result.conclusion, jobs: overview(result), log: result.conclusion === 'success' ? '' : logs(result) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [
        ['Deploy web to staging', 'success'],
        ['Incident for web in staging', 'skipped']
      ]
    });
    const deploy = job(result, 'Deploy web to staging');
    const v2 = result.outputs.version!;
    expect(result.outputs).toMatchObject({ result: 'promoted', 'stable-version': v1 });
    expect(v2).toMatch(/^[0-9a-f-]{36}$/);
    expect(serving('web')).toEqual([[v2, 100]]);
    expect(await servedLabel('web')).toBe('v2');
    // Built on the miss, the build saved for the next job with the same key.
    expect(deploy.steps.find((s) => s.name === 'Build (cache miss)')?.outcome).toBe('success');
    expect(world.results.cacheEntries().some((entry) => /^deploy-web-[0-9a-f]{64}$/.test(entry.key))).toBe(true);
    // The 0 % step ran the smoke spec through the override header, and the summary shows the shift.
    expect(deploy.summary).toContain('Canary promoted');
    expect(deploy.log.join('\n')).toMatch(/health answers for the right path/);
    // The tracking issue: one, open, naming the Worker, both versions and the rollback command.
    const issues = world.github.issues();
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(result.outputs.issue).toBe(String(issue.number));
    expect(issue).toMatchObject({ state: 'open', labels: expect.arrayContaining(['deploy', 'deploy-tracking']) });
    expect(issue.title).toMatch(/^Deploy web [0-9a-f]{7} to staging$/);
    expect(issue.body).toContain(`Version \`${v2}\` of **web** serves 100 % of staging (it replaced \`${v1}\`).`);
    expect(issue.body).toContain(`npx wrangler rollback ${v1} --name web`);
    // Nothing secret reached GitHub or the log.
    expect(JSON.stringify(issues) + logs(result)).not.toContain(world.bed.token);
  }, 600_000);

  it('rolls back v3 failing 40 % at its 0 % step, fails the run and opens one incident per environment', async () => {
    setVars(worker(), { label: 'v3', failPercent: 40 });
    const stable = serving('web')[0]![0];
    const first = await run(root, { workflow: '.github/workflows/deploy-cloudflare.yml', event: 'workflow_call', inputs: inputs(), label: 'deploy-cloudflare, rolled back' });
    expect({ conclusion: first.conclusion, jobs: overview(first) }).toEqual({
      conclusion: 'failure',
      jobs: [
        ['Deploy web to staging', 'failure'],
        ['Incident for web in staging', 'success']
      ]
    });
    const v3 = first.outputs.version!;
    expect(v3).not.toBe(stable);
    expect(first.outputs.result).toBe('rolled-back');
    expect(serving('web')).toEqual([[stable, 100]]);
    expect(await servedLabel('web')).toBe('v2');
    // No tracking issue for the failed deploy: the tracking step never ran.
    const deploy = job(first, 'Deploy web to staging');
    expect(deploy.steps.find((s) => s.id === 'tracking')?.outcome).toBe('skipped');
    const incidents = world.github.issues().filter((i) => i.labels.includes('incident'));
    expect(incidents).toHaveLength(1);
    const incident = incidents[0]!;
    expect(first.outputs.issue).toBe(String(incident.number));
    expect(incident.title).toBe('Incident: deploy of web to staging failed');
    expect(incident.body).toContain('ended `rolled-back`');
    expect(incident.body).toContain(`Version \`${v3}\` was uploaded; \`${stable}\` is the version serving.`);

    // The same failure again: the incident of staging gets a comment, no second issue.
    const second = await run(root, { workflow: '.github/workflows/deploy-cloudflare.yml', event: 'workflow_call', inputs: inputs(), label: 'deploy-cloudflare, rolled back again' });
    expect(second.conclusion).toBe('failure');
    expect(world.github.issues().filter((i) => i.labels.includes('incident'))).toHaveLength(1);
    expect(world.github.comments(incident.number)).toHaveLength(1);
    expect(world.github.comments(incident.number)[0]!.body).toContain('ended `rolled-back`');
  }, 900_000);
});

describe('rollback-cloudflare.yml, started by examples/emergency-rollback.yml', () => {
  it('rolls back the gateway, then the api, verifies both and opens an incident with the reason', async () => {
    const root = repository({ 'services/gateway': 'gateway', 'services/api': 'api' });
    const before: Record<string, string> = {};
    for (const name of ['gateway', 'api']) {
      const dir = join(root, 'services', name);
      await wranglerDeploy(dir);
      before[name] = serving(name)[0]![0] as string;
      setVars(dir, { label: 'v2' });
      await wranglerDeploy(dir);
    }
    const bad = { gateway: serving('gateway')[0]![0], api: serving('api')[0]![0] };
    const started = new Date().toISOString();
    const result = await run(root, {
      workflow: join(repoRoot, 'examples/emergency-rollback.yml'),
      event: 'workflow_dispatch',
      inputs: { reason: 'checkout returns 500s', workers: 'gateway, api', environment: 'production', 'verify-url': `${world.bed.workerUrl('gateway')}/health` },
      label: 'emergency rollback of two Workers'
    });
    expect({ conclusion: result.conclusion, jobs: overview(result), log: result.conclusion === 'success' ? '' : logs(result) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [['rollback / Roll back production', 'success']]
    });
    const rollback = job(result, 'rollback / Roll back production');
    expect(rollback.outputs.verified).toBe('true');
    expect(JSON.parse(rollback.outputs['rolled-back-to']!)).toEqual(before);
    expect(JSON.parse(rollback.outputs['rolled-back-from']!)).toEqual(bad);
    expect(serving('gateway')).toEqual([[before.gateway, 100]]);
    expect(serving('api')).toEqual([[before.api, 100]]);
    expect(await servedLabel('gateway')).toBe('v1');
    expect(await servedLabel('api')).toBe('v1');
    // In the order given: the gateway's rollback was made before the api's, both with the reason.
    const made = ['gateway', 'api'].map((name) => world.bed.store.worker(name)!.deployments.at(-1)!);
    expect(made.every((d) => d.createdOn >= started)).toBe(true);
    expect(made[0]!.createdOn <= made[1]!.createdOn).toBe(true);
    expect(made.map((d) => d.annotations?.['workers/message'])).toEqual(['Emergency rollback: checkout returns 500s', 'Emergency rollback: checkout returns 500s']);
    const issues = world.github.issues();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ title: 'Incident: emergency rollback of production', labels: expect.arrayContaining(['incident', 'rollback']) });
    expect(issues[0]!.body).toContain('**Reason:** checkout returns 500s');
    expect(issues[0]!.body).toContain('Rollback done; verification: true.');
    expect(issues[0]!.body).toContain(`\`{"gateway":"${before.gateway}","api":"${before.api}"}\``);
  }, 600_000);
});

describe('deploy-changed-services.yml', () => {
  it('deploys the one service that changed, alone: database, other services and gateway untouched', async () => {
    const services = ['database', 'api', 'auth', 'gateway'];
    const root = repository(Object.fromEntries(services.map((name) => [`services/${name}`, name])));
    for (const name of services) await wranglerDeploy(join(root, 'services', name));
    const deploymentsBefore = Object.fromEntries(services.map((name) => [name, world.bed.store.worker(name)!.deployments.length]));
    setVars(join(root, 'services/api'), { label: 'v2' });
    git(root, ['commit', '-qam', 'api: v2']);
    const result = await run(root, {
      workflow: '.github/workflows/deploy-changed-services.yml',
      event: 'workflow_call',
      inputs: {
        'changed-since': 'HEAD~1',
        'health-url': `${world.bed.routerUrl}/{0}/health`,
        'json-path': '$.healthy == true',
        steps: '0,100',
        bake: '2s',
        interval: '1s',
        'probe-rate': '20',
        'min-samples': '5',
        // Latency is not under test (see above).
        'max-latency-increase': '500%'
      },
      label: 'selective deploy, one service changed'
    });
    expect({ conclusion: result.conclusion, jobs: overview(result), log: result.conclusion === 'success' ? '' : logs(result) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [
        ['Find the changed services', 'success'],
        ['Database', 'skipped'],
        ['Core (services/api, api) / Deploy api to production', 'success'],
        ['Core (services/api, api) / Incident for api in production', 'skipped'],
        ['Gateway', 'skipped']
      ]
    });
    expect(JSON.parse(result.outputs.changed!)).toEqual(['services/api']);
    expect(JSON.parse(result.outputs.core!)).toEqual([{ directory: 'services/api', worker: 'api' }]);
    expect(await servedLabel('api')).toBe('v2');
    for (const name of ['database', 'auth', 'gateway']) expect(world.bed.store.worker(name)!.deployments.length).toBe(deploymentsBefore[name]);
    expect(world.github.issues().map((i) => i.title)).toEqual([expect.stringMatching(/^Deploy api [0-9a-f]{7} to production$/)]);
  }, 600_000);
});
