// canary-shift's bundle on the local Cloudflare bed: real wrangler uploads and deploys through the
// API stand-in, every version runs in real workerd, the router splits the traffic by the current
// deployment and counts what each version served. Each scenario uploads its canary with
// `version: upload` after telling the sample Worker's vars how to behave.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction, type ActionRun } from '@deploy-actions/harness';
import { startCloudflareBed, type CloudflareBed } from '../../testbed/cloudflare/bed.ts';
import { runWrangler, wranglerEnvironment, type WranglerEnvironment } from '../../testbed/cloudflare/wrangler.ts';
import { deploy } from '../helpers/cloudflare-bed.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const actionDir = join(repo, 'actions/canary-shift');
const guard = join(repo, 'testbed/cloudflare/connect-guard.mjs');
let bed: CloudflareBed;
let wrangler: WranglerEnvironment;
let project: string;
let guardLog: string;

beforeAll(async () => {
  bed = await startCloudflareBed();
  project = await mkdtemp(join(tmpdir(), 'canary-bed-'));
  guardLog = join(project, 'connections.jsonl');
  // Every Node process of the run (the action, wrangler and the child wrangler re-spawns) records
  // each connection it opens, and is refused any not to loopback.
  wrangler = await wranglerEnvironment({ url: bed.apiUrl }, { accountId: bed.accountId, token: bed.token, nodeOptions: `--import=${guard}` });
  await cp(join(repo, 'testbed/cloudflare/worker/'), project, { recursive: true });
  await mkdir(join(project, 'node_modules'));
  await symlink(join(repo, 'node_modules/wrangler'), join(project, 'node_modules/wrangler'), 'dir');
  const first = await runWrangler(['deploy'], { env: wrangler.env, cwd: project });
  if (first.code !== 0) throw new Error(`wrangler deploy: ${first.stderr}`);
}, 180_000);

afterAll(async () => {
  await bed?.stop();
  await wrangler?.cleanup();
  if (project) await rm(project, { recursive: true, force: true });
});

const worker = () => bed.store.worker('sample')!;
const serving = () => worker().deployments.at(-1)!.versions.map((v) => [v.version_id, v.percentage]);
const stableNow = () => [...worker().deployments.at(-1)!.versions].sort((a, b) => b.percentage - a.percentage)[0]!.version_id;

/** The next upload's behaviour, through the vars in wrangler.toml. */
async function nextVersion(vars: { label: string; failPercent?: number; latencyMs?: number }): Promise<void> {
  const config = join(project, 'wrangler.toml');
  const text = (await readFile(config, 'utf8'))
    .replace(/VERSION_LABEL = "[^"]*"/, `VERSION_LABEL = "${vars.label}"`)
    .replace(/FAIL_PERCENT = "[^"]*"/, `FAIL_PERCENT = "${vars.failPercent ?? 0}"`)
    .replace(/LATENCY_MS = "[^"]*"/, `LATENCY_MS = "${vars.latencyMs ?? 0}"`);
  await writeFile(config, text);
}

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    worker: 'sample',
    'api-token': bed.token,
    'account-id': bed.accountId,
    version: 'upload',
    url: `${bed.workerUrl('sample')}/health`,
    // The sample Worker's body says healthy: false for any version told to fail: checking it would
    // fail every sample of a version failing 30 %.
    'json-path': '$.path == "/health"',
    steps: '0,5,25,50,100',
    bake: '1s',
    interval: '1s',
    'probe-rate': '20',
    'min-samples': '5',
    // Latency is under test only where a test sets it: two identical versions' p95 differ by more
    // than the 10 ms floor on a loaded machine, which would fail a healthy canary by luck.
    'max-latency-increase': 'none',
    ...overrides
  };
}

function run(overrides: Record<string, string> = {}, options: Partial<Parameters<typeof runAction>[0]> = {}): Promise<ActionRun> {
  const { env, ...rest } = options;
  return runAction({ actionDir, workspace: project, inputs: inputs(overrides), env: { ...wrangler.env, CONNECT_GUARD_LOG: guardLog, ...env }, timeoutMs: 300_000, ...rest });
}

/** What the router serves now to requests without an override: its own record of each answer. */
async function servedWithoutOverride(count: number): Promise<Map<string, number>> {
  const since = Date.now();
  for (let i = 0; i < count; i++) await (await fetch(`${bed.workerUrl('sample')}/health`)).arrayBuffer();
  const counts = new Map<string, number>();
  for (const served of bed.store.served.filter((s) => s.at >= since && s.worker === 'sample')) counts.set(served.versionId, (counts.get(served.versionId) ?? 0) + 1);
  return counts;
}

/** The main step's process, found by a marker only its environment holds (for a SIGKILL). */
async function pidWithMarker(marker: string): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (environ.includes(`CANARY_RUN_MARKER=${marker}`) && cmdline.includes('dist/canary-shift/main/index.js')) return Number(entry);
    } catch {
      // A process that ended meanwhile, or one of another user.
    }
  }
  return undefined;
}

describe('canary-shift on the Cloudflare bed', () => {
  it('uploads a healthy v2 and promotes it through 0/5/25/50/100, judged on probes and analytics', async () => {
    await nextVersion({ label: 'v2' });
    const v1 = stableNow();
    const result = await run({ metrics: 'probes, cloudflare-analytics' });
    expect({ exitCode: result.exitCode, result: result.outputs.result, log: result.exitCode === 0 ? '' : result.log }).toEqual({ exitCode: 0, result: 'promoted', log: '' });
    const v2 = result.outputs['canary-version']!;
    expect(worker().versions.at(-1)!.id).toBe(v2);
    expect(result.outputs['stable-version']).toBe(v1);
    // Every step was a deployment made by wrangler: 0, 5, 25, 50, 100.
    const ours = worker().deployments.filter((d) => d.annotations?.['workers/message']?.startsWith(`canary-shift: ${v2}`));
    expect(ours.map((d) => d.versions.find((v) => v.version_id === v2)?.percentage)).toEqual([0, 5, 25, 50, 100]);
    expect(serving()).toEqual([[v2, 100]]);
    const timeline = JSON.parse(result.outputs.timeline ?? '[]');
    // Above 0 %, both sources judged every window; the analytics saw both versions serve.
    const analytics = timeline[1].windows[0].sources['cloudflare-analytics'];
    expect(analytics.canary.samples).toBeGreaterThan(0);
    expect(analytics.stable.samples).toBeGreaterThan(0);
    expect([...(await servedWithoutOverride(20))]).toEqual([[v2, 20]]);
  }, 300_000);

  it('rolls back v3 failing 30 % at its first step: the router serves only stable again', async () => {
    await nextVersion({ label: 'v3', failPercent: 30 });
    const stable = stableNow();
    const result = await run();
    expect({ exitCode: result.exitCode, result: result.outputs.result }).toEqual({ exitCode: 1, result: 'rolled-back' });
    const v3 = result.outputs['canary-version']!;
    const timeline = JSON.parse(result.outputs.timeline ?? '[]');
    expect(timeline.map((s: { percentage: number; verdict: string }) => [s.percentage, s.verdict])).toEqual([[0, 'failed']]);
    // About 30 %, not all: each sample is one request, and only the thrown ones fail.
    expect(timeline[0].canary['error-rate']).toBeGreaterThan(5);
    expect(timeline[0].canary['error-rate']).toBeLessThan(80);
    expect(serving()).toEqual([[stable, 100]]);
    expect([...(await servedWithoutOverride(40))]).toEqual([[stable, 40]]);
    // The canary only ever answered probes aimed at it: no request without the override reached it.
    expect(bed.store.served.filter((s) => s.versionId === v3).length).toBeGreaterThan(0);
    expect(result.summary).toContain('### Why: the 0 % step failed');
  }, 300_000);

  it('catches v4, 200 ms slower, by the latency gate', async () => {
    await nextVersion({ label: 'v4', latencyMs: 200 });
    const stable = stableNow();
    const result = await run({ 'max-latency-increase': '20%' });
    expect(result.outputs.result).toBe('rolled-back');
    const timeline = JSON.parse(result.outputs.timeline ?? '[]');
    expect(timeline.at(-1).reason).toMatch(/canary p95 \S+ is \S+ above stable's \S+ \(\+\d+%\) \(max-latency-increase 20%\)/);
    expect(serving()).toEqual([[stable, 100]]);
  }, 300_000);

  it('calls too little traffic inconclusive and rolls back', async () => {
    await nextVersion({ label: 'v5' });
    const stable = stableNow();
    const result = await run({ 'min-samples': '100000' });
    expect({ exitCode: result.exitCode, result: result.outputs.result }).toEqual({ exitCode: 1, result: 'inconclusive' });
    expect(serving()).toEqual([[stable, 100]]);
  }, 300_000);

  it('stops untouched when someone else deploys mid-shift, and names that deployment', async () => {
    await nextVersion({ label: 'v6' });
    const stable = worker().versions.find((v) => v.id === stableNow())!;
    let theirs: string | undefined;
    const result = await run(
      { steps: '0,5,50,100', bake: '3s' },
      {
        onLine: (line) => {
          if (theirs === undefined && line.includes('Step 5 %, window 1/3')) theirs = deploy(bed.store, 'sample', [[stable, 100]]).id;
        }
      }
    );
    expect({ exitCode: result.exitCode, result: result.outputs.result }).toEqual({ exitCode: 1, result: 'stopped' });
    expect(result.log).toContain(`the deployment was changed by someone else: deployment ${theirs} by test@example.com serves ${stable.id} at 100 %`);
    // Nothing was written after theirs.
    expect(worker().deployments.at(-1)!.id).toBe(theirs);
    expect(result.post?.conclusion).toBe('success');
  }, 300_000);

  it('on SIGINT mid-shift puts stable back at 100 %', async () => {
    await nextVersion({ label: 'v7' });
    const stable = stableNow();
    const cancel = new AbortController();
    let cancelled = false;
    const result = await run(
      { bake: '25:120s' },
      {
        signal: cancel.signal,
        onLine: (line) => {
          if (!cancelled && line.includes('Step 25 %, window 1/')) {
            cancelled = true;
            cancel.abort();
          }
        }
      }
    );
    expect(result.cancelled).toBe(true);
    expect({ serving: serving(), log: result.log }).toEqual({ serving: [[stable, 100]], log: expect.stringContaining('Received SIGINT') });
    expect([...(await servedWithoutOverride(20))]).toEqual([[stable, 20]]);
  }, 300_000);

  it('after a SIGKILL of the main step mid-shift, the post step puts stable back at 100 %', async () => {
    await nextVersion({ label: 'v8' });
    const stable = stableNow();
    const marker = randomUUID();
    let killed: number | undefined;
    const result = await run(
      { bake: '25:120s' },
      {
        env: { CANARY_RUN_MARKER: marker },
        onLine: (line) => {
          if (killed === undefined && line.includes('Step 25 %, window 1/')) {
            killed = 0;
            void pidWithMarker(marker).then((pid) => {
              killed = pid;
              if (pid) process.kill(pid, 'SIGKILL');
            });
          }
        }
      }
    );
    expect(killed).toEqual(expect.any(Number));
    expect(result.signal).toBe('SIGKILL');
    expect(result.post?.log).toContain(`The shift did not finish: restoring ${stable} at 100 %`);
    expect(result.post?.conclusion).toBe('success');
    expect(serving()).toEqual([[stable, 100]]);
    expect([...(await servedWithoutOverride(20))]).toEqual([[stable, 20]]);
  }, 300_000);

  it('promotes a canary failing 5.5 % against a stable failing 5 % under max-error-rate-increase: 1', async () => {
    // The sample Worker fails its share deterministically (55 of every 1000, spread evenly), so each
    // window's rates are within a sample or two of 5 and 5.5 %: with 500+ samples per version per
    // window, the difference stays under 0.9 points whatever the timing, and the verdict is certain.
    // A 20 s window asks 2,000 probes a version for the 500 needed: a machine a quarter as fast still gets them.
    await nextVersion({ label: 'stable-5', failPercent: 5 });
    const deployed = await runWrangler(['deploy'], { env: wrangler.env, cwd: project });
    expect(deployed.code).toBe(0);
    const stable = stableNow();
    await nextVersion({ label: 'v9', failPercent: 5.5 });
    const gate = { 'max-error-rate': 'none', 'max-error-rate-increase': '1', steps: '0,50,100', 'probe-rate': '100', interval: '20s', bake: '20s', 'min-samples': '500' };
    const result = await run(gate);
    const timeline = JSON.parse(result.outputs.timeline ?? '[]');
    const rates = timeline.flatMap((s: { windows: Array<{ sources: { probes: { canary: { 'error-rate': number; samples: number }; stable: { 'error-rate': number; samples: number } } } }> }) =>
      s.windows.map((w) => ({ canary: w.sources.probes.canary, stable: w.sources.probes.stable }))
    );
    expect({ exitCode: result.exitCode, result: result.outputs.result, stable: result.outputs['stable-version'] }).toEqual({ exitCode: 0, result: 'promoted', stable });
    expect(rates).toHaveLength(2);
    for (const { canary, stable: measured } of rates) {
      expect(canary.samples).toBeGreaterThanOrEqual(500);
      expect(measured.samples).toBeGreaterThanOrEqual(500);
      expect(Math.abs(canary['error-rate'] - 5.5)).toBeLessThan(0.5);
      expect(Math.abs(measured['error-rate'] - 5)).toBeLessThan(0.5);
    }
    expect(serving()).toEqual([[result.outputs['canary-version'], 100]]);
  }, 300_000);

  it('opened no connection but to 127.0.0.1, in the action and in wrangler', () => {
    expect(existsSync(guardLog)).toBe(true);
    const entries = readFileSync(guardLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { allowed: boolean; host?: string });
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((e) => !e.allowed)).toEqual([]);
  });
});
