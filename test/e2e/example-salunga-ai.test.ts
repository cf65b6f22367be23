// examples/salunga-ai run end to end through the local runner, as Salunga AI's repository would run
// them: the backend API deployed to Shuttle (the platform bed's `shuttle`), the Worker built once and
// deployed to staging with real wrangler, then to production as a canary 5 → 25 → 50 → 100 % on the
// Cloudflare bed (every version in real workerd), judged against stable; issues and deployment
// records on the GitHub stand-in; and the scheduled monitor after a rejected canary. Short soaks
// through the workflow's inputs, the same code path as the 30-minute default.
// Needs the bundles (`npm run build`).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startPlatformBed, type PlatformBed } from '../../testbed/platforms/bed.ts';
import { makeSalungaRepository, SALUNGA_API_PROJECT as API_PROJECT, type SalungaRepository } from '../../testbed/salunga/repository.ts';
import { job, logs, overview, pipelineWorld } from '../helpers/pipeline-world.js';
import { repoRoot } from '../helpers/run-node.js';

const world = pipelineWorld();
const { wranglerDeploy, run, serving, servedLabel } = world;

const DEPLOY = join(repoRoot, 'examples/salunga-ai/deploy.yml');
const MONITOR = join(repoRoot, 'examples/salunga-ai/deployment-monitor.yml');

let platforms: PlatformBed;
let salunga: SalungaRepository;

/** What deploy.yml and deployment-monitor.yml read from the repository's variables and secrets, pointed at the beds. */
const vars = () => ({
  PRODUCTION_URL: world.bed.workerUrl('salunga-ai'),
  STAGING_URL: world.bed.workerUrl('salunga-ai-staging'),
  API_URL: platforms.appUrl('shuttle', API_PROJECT),
  SHUTTLE_PROJECT: API_PROJECT
});

/** The bed's shims first on PATH; the Shuttle key only as the workflow's secret. */
function platformEnv(): Record<string, string> {
  const { SHUTTLE_API_KEY: _key, ...env } = platforms.env;
  return { ...env, PATH: `${platforms.binDir}:${process.env.PATH ?? ''}` };
}

function deploy(label: string) {
  return run(salunga.root, {
    workflow: DEPLOY,
    event: 'workflow_dispatch',
    inputs: {
      soak: '3s',
      interval: '1s',
      'probe-rate': '20',
      'min-samples': '5',
      // Latency is not under test here: over 20 samples a window's p95 moves by more than 20 % on a
      // loaded machine. The failing version fails on errors.
      'max-latency-increase': '500%'
    },
    vars: vars(),
    secrets: { SHUTTLE_API_KEY: platforms.env.SHUTTLE_API_KEY! },
    env: platformEnv(),
    label
  });
}

async function apiLabel(): Promise<string> {
  const response = await fetch(`${platforms.appUrl('shuttle', API_PROJECT)}/health`);
  return ((await response.json()) as { label: string }).label;
}

beforeAll(async () => {
  platforms = await startPlatformBed();
  salunga = makeSalungaRepository();
  // v1 serves production before the pipeline first runs.
  salunga.buildLocally();
  await wranglerDeploy(salunga.worker);
  salunga.removeBuild();
}, 180_000);

afterAll(async () => {
  await platforms?.stop();
  salunga?.remove();
});

describe('examples/salunga-ai', () => {
  it('deploys the API to Shuttle, builds once, checks staging, promotes v2 through 5/25/50/100 % and opens a tracking issue', async () => {
    salunga.nextVersion('v2', 0);
    const v1 = serving('salunga-ai')[0]![0];
    const result = await deploy('salunga-ai, promoted');
    expect({ conclusion: result.conclusion, jobs: Object.fromEntries(overview(result)), log: result.conclusion === 'success' ? '' : logs(result) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: {
        'Backend API to Shuttle': 'success',
        'Build the Worker once': 'success',
        Staging: 'success',
        'Production canary': 'success',
        Incident: 'skipped'
      }
    });
    // The API first: `shuttle deploy` made its new deployment the one serving.
    expect(await apiLabel()).toBe('api-v2');
    expect(platforms.calls().filter((call) => call.tool === 'shuttle').map((call) => [call.argv.join(' '), call.exitCode])).toEqual([[`deploy --name ${API_PROJECT}`, 0]]);
    // Built once: the build job built on its miss and saved dist/; staging and production restored it.
    expect(job(result, 'Build the Worker once').steps.find((s) => s.name === 'Build (cache miss)')?.outcome).toBe('success');
    for (const name of ['Staging', 'Production canary']) {
      const restore = job(result, name).steps.find((s) => s.name === 'Restore the build')!;
      expect([name, restore.outcome, restore.outputs['cache-hit']]).toEqual([name, 'success', 'true']);
      expect(job(result, name).steps.some((s) => s.name.startsWith('Build'))).toBe(false);
    }
    expect(world.results.cacheEntries().filter((entry) => entry.key.startsWith('salunga-worker-'))).toHaveLength(1);
    expect(await servedLabel('salunga-ai-staging')).toBe('v2');
    // Production: v2 alone, after 5, 25 and 50 % each passed against v1.
    const production = job(result, 'Production canary');
    const v2 = production.outputs.version!;
    expect(production.outputs).toMatchObject({ result: 'promoted', 'stable-version': v1 });
    expect(serving('salunga-ai')).toEqual([[v2, 100]]);
    expect(await servedLabel('salunga-ai')).toBe('v2');
    // The job summary: the timeline, step by step, and its chart.
    expect(production.summary).toContain(`## ✅ Canary promoted: \`${v2}\` serves 100 %`);
    for (const step of [5, 25, 50]) expect(production.summary).toMatch(new RegExp(`\\| ${step} % \\| ✅ passed \\|`));
    expect(production.summary).toContain('xychart-beta');
    // GitHub: the production deployment, successful, and the tracking issue.
    const deployments = world.github.deployments();
    expect(deployments.map((d) => [d.environment, d.statuses.at(-1)?.state])).toEqual([['production', 'success']]);
    const issues = world.github.issues();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ state: 'open', labels: expect.arrayContaining(['deploy']) });
    expect(issues[0]!.title).toMatch(/^Deploy salunga-ai [0-9a-f]{7} to production$/);
    expect(issues[0]!.body).toContain(`Version \`${v2}\` serves 100 % of production after a canary at 5, 25 and 50 % (it replaced \`${v1}\`).`);
    expect(issues[0]!.body).toContain(`npx wrangler rollback ${v1} --name salunga-ai`);
    expect(JSON.stringify(issues) + logs(result)).not.toContain(world.bed.token);
    expect(logs(result)).not.toContain(platforms.env.SHUTTLE_API_KEY!);
  }, 600_000);

  it('rolls back v3, failing 5 % of requests to stable\'s 0 %, at an early step with an incident; the next scheduled monitor leaves the incident open', async () => {
    salunga.nextVersion('v3', 5);
    const stable = serving('salunga-ai')[0]![0];
    const result = await deploy('salunga-ai, rolled back');
    const reachedProduction = job(result, 'Production canary').result !== 'skipped';
    expect({ conclusion: result.conclusion, jobs: Object.fromEntries(overview(result)), log: reachedProduction ? '' : logs(result) }).toEqual({
      conclusion: 'failure',
      log: '',
      jobs: {
        'Backend API to Shuttle': 'success',
        'Build the Worker once': 'success',
        Staging: 'success',
        'Production canary': 'failure',
        Incident: 'success'
      }
    });
    // A few failing requests in a hundred get past staging's smoke tests: staging runs v3.
    expect(await servedLabel('salunga-ai-staging')).toBe('v3');
    // Production: v3 judged against stable, rolled back before 50 %; stable alone again.
    const production = job(result, 'Production canary');
    const v3 = production.outputs.version!;
    expect(v3).not.toBe(stable);
    expect(production.outputs).toMatchObject({ result: 'rolled-back', 'stable-version': stable });
    expect(serving('salunga-ai')).toEqual([[stable, 100]]);
    expect(await servedLabel('salunga-ai')).toBe('v2');
    expect(production.summary).toContain(`## ❌ Canary rolled back: \`${stable}\` serves 100 % again`);
    expect(production.summary).toMatch(/### Why: the (5|25) % step failed/);
    expect(production.summary).toMatch(/canary error rate [\d.]+% \(\d+ of \d+\) is [\d.]+ points above stable's 0% \(0 of \d+\) \(max-error-rate-increase 1\)/);
    expect(production.summary).not.toMatch(/\| 50 % \|/);
    expect(world.github.deployments().map((d) => [d.environment, d.statuses.at(-1)?.state])).toEqual([['production', 'failure']]);
    // One incident, saying what happened and what serves; no tracking issue.
    const issues = world.github.issues();
    expect(issues).toHaveLength(1);
    const incident = issues[0]!;
    expect(incident).toMatchObject({ title: 'Incident: deploy of salunga-ai to production failed', state: 'open', labels: expect.arrayContaining(['incident']) });
    expect(incident.body).toContain('ended `rolled-back` in ');
    expect(incident.body).toContain(`Canary: \`${v3}\`. Serving production: \`${stable}\` at 100 %.`);
    expect(incident.body).toContain('Find the cause before deploying again');

    // The next scheduled monitor run finds production healthy (stable serves): the monitor's own
    // incidents are about production's health, so it writes nothing, and the deploy's incident stays
    // open until someone has found why v3 failed.
    world.github.clearRecords();
    const monitor = await run(salunga.root, { workflow: MONITOR, event: 'schedule', vars: vars(), secrets: { MONITOR_TOKEN: 'monitor-token' }, label: 'salunga-ai monitor, healthy' });
    expect({ conclusion: monitor.conclusion, jobs: overview(monitor), log: monitor.conclusion === 'success' ? '' : logs(monitor) }).toEqual({ conclusion: 'success', log: '', jobs: [['production / monitor', 'success']] });
    expect(job(monitor, 'production / monitor').outputs).toMatchObject({ healthy: 'true', 'incident-action': 'unchanged' });
    expect(world.github.calls().filter((call) => call.method !== 'GET')).toEqual([]);
    expect(world.github.issues().map((i) => [i.number, i.state])).toEqual([[incident.number, 'open']]);
    expect(world.github.comments(incident.number)).toEqual([]);
  }, 600_000);
});
