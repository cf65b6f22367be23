// examples/bayon-coagent/deploy.yml end to end through the local workflow runner: an AWS SAM app
// promoted dev → staging → production on the platform bed (its `sam` and `aws` stand-ins, one Lambda
// function per environment served through alias `live`), the GitHub stand-in for the issues and the
// deployment record. What a user would see: which version each alias serves and with what weights,
// the calls the pipeline made, each job's result, the tracking and incident issues.
// Needs the bundles (`npm run build`).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startPlatformBed, type PlatformBed } from '../../testbed/platforms/bed.ts';
import { job, logs, overview, pipelineWorld } from '../helpers/pipeline-world.js';
import { repoRoot } from '../helpers/run-node.js';

const world = pipelineWorld();
const workflow = join(repoRoot, 'examples/bayon-coagent/deploy.yml');
const ENVIRONMENTS = ['dev', 'staging', 'production'] as const;
const fn = (environment: string) => `bayon-coagent-${environment}`;

let platforms: PlatformBed;
let root: string;

beforeAll(async () => {
  platforms = await startPlatformBed();
  // The team's repository: the SAM app at its root (platform-app.json says how a version answers on
  // the bed), the smoke tests where the workflow reads them; version 1 live in every environment.
  root = world.repository({});
  writeFileSync(join(root, 'template.yaml'), 'Transform: AWS::Serverless-2016-10-31\nResources:\n  CoAgent:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: index.handler, Runtime: nodejs22.x }\n');
  mkdirSync(join(root, 'tests'));
  copyFileSync(join(repoRoot, 'examples/bayon-coagent/smoke.yml'), join(root, 'tests/smoke.yml'));
  release({ label: 'v1' });
  // Asynchronously: the bed answers from this process.
  for (const environment of ENVIRONMENTS) {
    await promisify(execFile)('sam', ['deploy', '--stack-name', fn(environment)], { cwd: root, env: { ...process.env, ...platforms.env, PATH: path() }, timeout: 60_000 });
  }
}, 180_000);

afterAll(async () => {
  await platforms?.stop();
});

function path(): string {
  return [platforms.binDir, dirname(process.execPath), process.env.PATH].join(':');
}

/** The next release: what the app's new version does on the bed, committed. */
function release(behaviour: { label: string; failPercent?: number }): void {
  writeFileSync(join(root, 'platform-app.json'), `${JSON.stringify(behaviour)}\n`);
  world.git(root, ['add', '-A']);
  world.git(root, ['commit', '-qm', `release ${behaviour.label}`]);
}

function run(label: string, inputs: Record<string, string>) {
  const { PLATFORM_BED_URL, PLATFORM_BED_STATE, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION } = platforms.env;
  const production = platforms.appUrl('aws', fn('production'));
  return world.run(root, {
    workflow,
    event: 'workflow_dispatch',
    label,
    inputs: {
      // Short timings; the thresholds as the example has them.
      bake: '2s',
      interval: '1s',
      'probe-rate': '20',
      'min-samples': '5',
      // Latency is not under test: over a few samples a p95 moves by more than 20 % on a loaded machine.
      'max-latency-increase': '500%',
      'monitor-interval': '1s',
      'monitor-checks': '3',
      ...inputs
    },
    secrets: { AWS_ACCESS_KEY_ID: AWS_ACCESS_KEY_ID!, AWS_SECRET_ACCESS_KEY: AWS_SECRET_ACCESS_KEY! },
    vars: {
      AWS_REGION: AWS_REGION!,
      DEV_URL: platforms.appUrl('aws', fn('dev')),
      STAGING_URL: platforms.appUrl('aws', fn('staging')),
      PRODUCTION_URL: production,
      PRODUCTION_VERSION_URL: `${production}@{0}`
    },
    env: { PATH: path(), PLATFORM_BED_URL: PLATFORM_BED_URL!, PLATFORM_BED_STATE: PLATFORM_BED_STATE! }
  });
}

/** Alias `live` of an environment's function: the version it names and its further version's weight. */
function live(environment: string) {
  const app = platforms.state().apps.find((a) => a.platform === 'aws' && a.name === fn(environment));
  const alias = app?.aliases.live;
  return { functionVersion: alias?.functionVersion, weights: alias?.additionalVersionWeights, serving: app?.split };
}

/** What the label of a request to the environment's live URL says serves. */
async function servedLabel(environment: string): Promise<string> {
  const response = await fetch(`${platforms.appUrl('aws', fn(environment))}/health`);
  return ((await response.json()) as { label: string }).label;
}

/** Each `aws lambda update-alias` on the function since call `from`: the version named and the weights given. */
function aliasUpdates(environment: string, from = 0): Array<[string, string]> {
  return platforms
    .calls()
    .slice(from)
    .filter((call) => call.tool === 'aws' && call.argv[1] === 'update-alias' && call.argv.includes(fn(environment)))
    .map((call) => [call.argv[call.argv.indexOf('--function-version') + 1]!, call.argv[call.argv.indexOf('--routing-config') + 1]!]);
}

describe('examples/bayon-coagent/deploy.yml', () => {
  it('promotes v2 through dev and staging, shifts production 5 → 25 → 50 → 100 %, watches it and tracks it', async () => {
    release({ label: 'v2' });
    const sha = world.git(root, ['rev-parse', 'HEAD']);
    const result = await run('bayon-coagent, promoted', {});
    expect({ conclusion: result.conclusion, jobs: overview(result), log: result.conclusion === 'success' ? '' : logs(result) }).toEqual({
      conclusion: 'success',
      log: '',
      jobs: [
        ['Deploy to dev', 'success'],
        ['Deploy to staging', 'success'],
        ['Deploy to production', 'success'],
        ['Watch production', 'success'],
        ['Incident', 'skipped']
      ]
    });
    // Every environment's alias names version 2 alone, and it answers.
    for (const environment of ENVIRONMENTS) {
      expect(live(environment)).toEqual({ functionVersion: '2', weights: {}, serving: [{ version: '2', percentage: 100 }] });
      expect(await servedLabel(environment)).toBe('v2');
    }
    // dev and staging moved at once; production by weights (a fraction of one, as Lambda takes
    // them), from the old version's side, then made version 2 the alias's own.
    expect(aliasUpdates('dev')).toEqual([['2', '{"AdditionalVersionWeights":{}}']]);
    expect(aliasUpdates('staging')).toEqual([['2', '{"AdditionalVersionWeights":{}}']]);
    expect(aliasUpdates('production')).toEqual([
      ['1', '{"AdditionalVersionWeights":{"2":0.05}}'],
      ['1', '{"AdditionalVersionWeights":{"2":0.25}}'],
      ['1', '{"AdditionalVersionWeights":{"2":0.5}}'],
      ['1', '{"AdditionalVersionWeights":{"2":1}}'],
      ['2', '{"AdditionalVersionWeights":{}}']
    ]);
    // The bed's own record of what production served, step by step.
    const history = platforms.state().apps.find((a) => a.name === fn('production'))!.history.map((event) => event.split);
    expect(history).toEqual(
      expect.arrayContaining([
        [{ version: '1', percentage: 95 }, { version: '2', percentage: 5 }],
        [{ version: '1', percentage: 75 }, { version: '2', percentage: 25 }],
        [{ version: '1', percentage: 50 }, { version: '2', percentage: 50 }]
      ])
    );
    // Each environment was built and deployed with sam, in the order of the promotion.
    const sams = platforms.calls().filter((call) => call.tool === 'sam' && call.argv[0] === 'deploy' && call.argv.includes('--resolve-s3'));
    expect(sams.map((call) => call.argv[call.argv.indexOf('--stack-name') + 1])).toEqual(ENVIRONMENTS.map(fn));

    const production = job(result, 'Deploy to production');
    expect(production.outputs).toMatchObject({ version: '2', previous: '1', result: 'promoted' });
    expect(JSON.parse(production.outputs.timeline!).map((step: { percentage: number; verdict: string }) => [step.percentage, step.verdict])).toEqual([
      [5, 'passed'],
      [25, 'passed'],
      [50, 'passed'],
      [100, 'passed']
    ]);
    expect(production.summary).toContain('Canary promoted');
    // The smoke tests ran at the 5 % step against version 2 alone, and again on the live URL.
    expect(production.log.join('\n')).toMatch(/Step 5 %: smoke-test passed/);
    expect(production.steps.find((s) => s.id === 'smoke')?.outcome).toBe('success');

    // The canary is a GitHub deployment of this commit in production, settled as a success.
    const deployments = world.github.deployments();
    expect(deployments.map((d) => [d.environment, d.sha, d.statuses.at(-1)?.state])).toEqual([['production', sha, 'success']]);

    // The tracking issue: opened with the 15-minute window and the rollback command, closed by the
    // watch once its checks passed.
    const issues = world.github.issues();
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(issue.title).toBe(`Deploy Bayon CoAgent ${sha.slice(0, 7)} to production`);
    expect(issue.labels).toEqual(expect.arrayContaining(['deploy', 'production']));
    expect(issue.body).toContain('Version `2` of **bayon-coagent-production** serves 100 % of production through alias `live` (it replaced version `1`).');
    // A window that ends on the next day (UTC) says its date too.
    expect(issue.body).toMatch(/### Monitoring\n\nWatch until \*\*(?:\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\*\* \(15m from \d\d:\d\d UTC\)\./);
    expect(issue.body).toContain(`aws lambda update-alias --function-name bayon-coagent-production --name live --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'`);
    expect(issue.state).toBe('closed');
    expect(world.github.comments(issue.number).map((c) => c.body)).toEqual([expect.stringContaining('The monitoring window passed: 3 checks in a row, 1s apart, all healthy.')]);
    // Nothing secret reached GitHub or the log.
    const seen = JSON.stringify(issues) + JSON.stringify(world.github.comments()) + logs(result);
    expect(seen).not.toContain(platforms.env.AWS_SECRET_ACCESS_KEY);
    expect(seen).not.toContain(platforms.env.AWS_ACCESS_KEY_ID);
  }, 600_000);

  // Goes on from the promotion above: v2 serves everywhere.
  it('rolls production back to v2 when v3 fails its smoke tests at 5 %, and opens an incident with the timeline', async () => {
    // v3 fails every other request: its smoke tests fail, as its users would.
    release({ label: 'v3', failPercent: 50 });
    const callsBefore = platforms.calls().length;
    const result = await run('bayon-coagent, production rolled back', { from: 'production' });
    expect({ conclusion: result.conclusion, jobs: overview(result) }).toEqual({
      conclusion: 'failure',
      jobs: [
        ['Deploy to dev', 'skipped'],
        ['Deploy to staging', 'skipped'],
        ['Deploy to production', 'failure'],
        ['Watch production', 'skipped'],
        ['Incident', 'success']
      ]
    });
    // Version 3 was published, given 5 % of the traffic, then the alias went back to 2 alone.
    expect(live('production')).toEqual({ functionVersion: '2', weights: {}, serving: [{ version: '2', percentage: 100 }] });
    expect(await servedLabel('production')).toBe('v2');
    expect(aliasUpdates('production', callsBefore)).toEqual([
      ['2', '{"AdditionalVersionWeights":{"3":0.05}}'],
      ['2', '{"AdditionalVersionWeights":{}}']
    ]);
    expect(platforms.state().apps.find((a) => a.name === fn('production'))!.versions.map((v) => v.label)).toEqual(['v1', 'v2', 'v3']);
    // dev and staging were not touched.
    expect(live('dev').functionVersion).toBe('2');
    expect(live('staging').functionVersion).toBe('2');

    const production = job(result, 'Deploy to production');
    expect(production.outputs).toMatchObject({ version: '3', previous: '2', result: 'rolled-back' });
    expect(production.log.join('\n')).toMatch(/Step 5 %: smoke-test failed/);
    // No promotion steps after the failed one: nothing made v3 the alias's own, no tracking issue.
    expect(production.steps.find((s) => s.name === "Make the new version live's own")?.outcome).toBe('skipped');
    expect(production.steps.find((s) => s.id === 'tracking')?.outcome).toBe('skipped');
    expect(world.github.deployments().map((d) => [d.environment, d.statuses.at(-1)?.state])).toEqual([['production', 'failure']]);

    const issues = world.github.issues();
    expect(issues.map((i) => [i.title, i.state])).toEqual([['Incident: Bayon CoAgent deploy to production failed', 'open']]);
    const incident = issues[0]!;
    expect(incident.labels).toEqual(expect.arrayContaining(['incident']));
    expect(incident.body).toContain('The deploy of Bayon CoAgent to **production** failed; alias `live` was put back on version `2` (the new version was `3`).');
    expect(incident.body).toContain('The production canary ended `rolled-back`.');
    expect(incident.body).toMatch(/### Timeline\n\n- \S+ → \S+: \*\*5 %\*\* failed: smoke-test against the canary failed: /);
    expect(incident.body).toContain('- [ ] Find the cause before deploying again');
  }, 600_000);

  // Goes on from the rollback above: v2 serves everywhere.
  it('rolls production back to v2 when v4 fails a check in the monitoring window: the tracking issue stays open, an incident says so', async () => {
    release({ label: 'v4' });
    const sha = world.git(root, ['rev-parse', 'HEAD']);
    const trackingTitle = `Deploy Bayon CoAgent ${sha.slice(0, 7)} to production`;
    const callsBefore = platforms.calls().length;
    // More checks than the watch can finish before v4 degrades (one a second): the first failed
    // check ends the watch at once, whenever it comes.
    let settled = false;
    const running = run('bayon-coagent, rolled back in the monitoring window', { from: 'production', 'monitor-checks': '120' }).finally(() => (settled = true));
    // v4 passes its canary and its checks; it fails once it is live and tracked (the production
    // job's last step opens the tracking issue), as a fault found only in the monitoring window.
    let degraded: string | undefined;
    while (!settled && degraded === undefined) {
      if (world.github.issues().some((issue) => issue.title === trackingTitle)) {
        degraded = live('production').functionVersion;
        platforms.degrade('aws', fn('production'), degraded!, 100);
      } else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = await running;
    expect(degraded).toBe('4');
    expect({ conclusion: result.conclusion, jobs: overview(result) }).toEqual({
      conclusion: 'failure',
      jobs: [
        ['Deploy to dev', 'skipped'],
        ['Deploy to staging', 'skipped'],
        ['Deploy to production', 'success'],
        ['Watch production', 'failure'],
        ['Incident', 'success']
      ]
    });
    // v4 was shifted in step by step and made the alias's own; the watch's rollback put v2 back alone.
    expect(aliasUpdates('production', callsBefore)).toEqual([
      ['2', '{"AdditionalVersionWeights":{"4":0.05}}'],
      ['2', '{"AdditionalVersionWeights":{"4":0.25}}'],
      ['2', '{"AdditionalVersionWeights":{"4":0.5}}'],
      ['2', '{"AdditionalVersionWeights":{"4":1}}'],
      ['4', '{"AdditionalVersionWeights":{}}'],
      ['2', '{"AdditionalVersionWeights":{}}']
    ]);
    expect(live('production')).toEqual({ functionVersion: '2', weights: {}, serving: [{ version: '2', percentage: 100 }] });
    expect(await servedLabel('production')).toBe('v2');

    const watch = job(result, 'Watch production');
    expect(watch.steps.map((step) => [step.name, step.outcome])).toEqual(
      expect.arrayContaining([
        ['Health over the monitoring window', 'failure'],
        ['Roll back production', 'success'],
        ['Close the tracking issue', 'skipped']
      ])
    );
    expect(watch.steps.find((step) => step.name === 'Roll back production')?.outputs).toMatchObject({ 'rolled-back-from': '4', 'rolled-back-to': '2', verified: 'true' });
    expect(watch.log.join('\n')).toMatch(/status: expected 200-299, got 500/);

    // The tracking issue was opened with the window and stays open; the incident names the version
    // put back and the new one, and the canary that had promoted it.
    const issues = world.github.issues();
    expect(issues.map((issue) => [issue.title, issue.state]).sort()).toEqual(
      [
        [trackingTitle, 'open'],
        ['Incident: Bayon CoAgent deploy to production failed', 'open']
      ].sort()
    );
    const incident = issues.find((issue) => issue.title.startsWith('Incident:'))!;
    expect(incident.body).toContain('The deploy of Bayon CoAgent to **production** failed; alias `live` was put back on version `2` (the new version was `4`).');
    expect(incident.body).toContain('The production canary ended `promoted`.');
    expect(incident.body).toMatch(/\*\*100 %\*\* passed/);
    expect(world.github.deployments().map((d) => [d.environment, d.sha, d.statuses.at(-1)?.state])).toEqual([['production', sha, 'success']]);
  }, 600_000);
});
