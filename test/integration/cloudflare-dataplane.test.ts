// The Cloudflare bed's data plane with real workerd: versions written to the store are served, the
// router splits, overrides and pins requests as Cloudflare does, and the analytics answer what it served.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildTrafficQuery, parseTrafficResponse } from '@deploy-actions/providers';
import { CloudflareStore, type StoredVersion } from '../../testbed/cloudflare/store.ts';
import { WorkerdSupervisor, validateStartup } from '../../testbed/cloudflare/workerd.ts';
import { startRouter, type Router } from '../../testbed/cloudflare/router.ts';
import { answerGraphql } from '../../testbed/cloudflare/analytics.ts';
import { THROWS_AT_STARTUP, binomialBounds, deploy, sampleVersion, upload } from '../helpers/cloudflare-bed.ts';

interface Answer {
  status: number;
  version: string | null;
  body: string;
  ms: number;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const began = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.text();
  return { status: response.status, version: response.headers.get('x-testbed-version'), body, ms: performance.now() - began };
}

/** `count` requests, `concurrency` at a time (bounded by count). */
async function many(count: number, url: string, headers: (index: number) => Record<string, string> = () => ({}), concurrency = 8): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        answers[index] = await get(url, headers(index));
      }
    })
  );
  return answers;
}

const tally = (answers: Answer[], version: StoredVersion) => answers.filter((answer) => answer.version === version.id).length;

let store: CloudflareStore;
let workerd: WorkerdSupervisor;
let router: Router;

beforeAll(async () => {
  store = new CloudflareStore();
  workerd = await WorkerdSupervisor.start(store);
  router = await startRouter(store, workerd);
});

afterAll(async () => {
  await router?.stop();
  await workerd?.stop();
});

describe('split by the current deployment', () => {
  it('serves two versions at 90/10 in about that proportion, read live from the store', async () => {
    const v1 = upload(store, 'split', { VERSION_LABEL: 'v1' });
    const v2 = upload(store, 'split', { VERSION_LABEL: 'v2' });
    deploy(store, 'split', [[v1, 90], [v2, 10]]);
    const n = 1000;
    const answers = await many(n, `${router.workerUrl('split')}/health`);
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    const [low, high] = binomialBounds(n, 0.1);
    expect(tally(answers, v2)).toBeGreaterThanOrEqual(low);
    expect(tally(answers, v2)).toBeLessThanOrEqual(high);
    expect(tally(answers, v1) + tally(answers, v2)).toBe(n);
    expect(JSON.parse(answers.find((answer) => answer.version === v2.id)!.body)).toMatchObject({ label: 'v2', path: '/health' });

    // The next deployment is seen by the very next request.
    deploy(store, 'split', [[v2, 100]]);
    expect((await many(20, router.workerUrl('split'))).every((answer) => answer.version === v2.id)).toBe(true);
  });

  it('answers the analytics query with the counts the router served, per version', async () => {
    const start = new Date();
    const v1 = upload(store, 'counted', { VERSION_LABEL: 'v1' });
    const v2 = upload(store, 'counted', { VERSION_LABEL: 'v2', FAIL_PERCENT: 40 });
    const idle = upload(store, 'counted', { VERSION_LABEL: 'v3' });
    deploy(store, 'counted', [[v1, 50], [v2, 50]]);
    const answers = await many(300, router.workerUrl('counted'));
    const end = new Date();

    const { query, variables } = buildTrafficQuery(store.accountId, 'counted', { start, end });
    const traffic = parseTrafficResponse(answerGraphql(store, query, variables), [v1.id, v2.id, idle.id]);
    for (const version of [v1, v2]) {
      const own = answers.filter((answer) => answer.version === version.id);
      expect(traffic.get(version.id)).toMatchObject({
        requests: own.length,
        errors: own.filter((answer) => answer.status >= 500).length
      });
      expect(traffic.get(version.id)!.p50Ms).toBeGreaterThan(0);
      expect(traffic.get(version.id)!.p95Ms).toBeGreaterThanOrEqual(traffic.get(version.id)!.p50Ms!);
    }
    expect(traffic.get(v2.id)!.errors).toBeGreaterThan(0);
    expect(traffic.get(idle.id)).toEqual({ requests: 0, errors: 0, p50Ms: null, p95Ms: null });

    // A window that ends before the traffic began holds none of it.
    const before = buildTrafficQuery(store.accountId, 'counted', { start: new Date(start.getTime() - 60_000), end: new Date(start.getTime() - 1) });
    expect(parseTrafficResponse(answerGraphql(store, before.query, before.variables), [v1.id]).get(v1.id)!.requests).toBe(0);
  });
});

describe('propagation delay', () => {
  it('serves a new deployment only once the delay after its creation has passed', async () => {
    const delayMs = 2500;
    const delayed = await startRouter(store, workerd, { propagationDelayMs: delayMs });
    try {
      const v1 = upload(store, 'propagation', { VERSION_LABEL: 'v1' });
      const v2 = upload(store, 'propagation', { VERSION_LABEL: 'v2' });
      const first = deploy(store, 'propagation', [[v1, 100]]);
      const early = await get(delayed.workerUrl('propagation'));
      // Not yet propagated anywhere, if the answer came back before the delay was over.
      if (Date.now() < Date.parse(first.createdOn) + delayMs) expect(early.status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const deployment = deploy(store, 'propagation', [[v2, 100]]);
      const effective = Date.parse(deployment.createdOn) + delayMs;
      // Bounded: until v2 has answered, 30 s at most.
      for (let waited = 0; waited < 30_000; waited += 50) {
        if ((await get(delayed.workerUrl('propagation'))).version === v2.id) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const served = store.served.filter((request) => request.worker === 'propagation' && request.at >= Date.parse(deployment.createdOn));
      expect(served.some((request) => request.versionId === v2.id)).toBe(true);
      for (const request of served) expect([request.at >= effective, request.versionId]).toEqual([request.at >= effective, request.at >= effective ? v2.id : v1.id]);
      expect(served.filter((request) => request.versionId === v1.id).length).toBeGreaterThan(0);
    } finally {
      await delayed.stop();
    }
  });
});

describe('Cloudflare-Workers-Version-Overrides', () => {
  it('sends requests to the named version of the deployment, even at 0 %', async () => {
    const stable = upload(store, 'override', { VERSION_LABEL: 'stable' });
    const canary = upload(store, 'override', { VERSION_LABEL: 'canary' });
    deploy(store, 'override', [[stable, 100], [canary, 0]]);
    const answers = await many(40, router.workerUrl('override'), () => ({ 'Cloudflare-Workers-Version-Overrides': `override="${canary.id}"` }));
    expect(answers.map((answer) => answer.version)).toEqual(Array(40).fill(canary.id));
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ label: 'canary' });
  });

  it('is ignored for a version not in the deployment, for another Worker, and when not a valid Dictionary', async () => {
    const stable = upload(store, 'ignored', { VERSION_LABEL: 'stable' });
    const outside = upload(store, 'ignored', { VERSION_LABEL: 'not deployed' });
    deploy(store, 'ignored', [[stable, 100]]);
    const headers = [
      `ignored="${outside.id}"`,
      `other-worker="${outside.id}"`,
      `ignored=${outside.id}`, // a Token, not a String
      `ignored="${outside.id}",`, // a trailing comma
      `Ignored="${outside.id}"` // keys are lowercase
    ];
    for (const header of headers) {
      const answer = await get(router.workerUrl('ignored'), { 'Cloudflare-Workers-Version-Overrides': header });
      expect([header, answer.version]).toEqual([header, stable.id]);
    }
    // Among several members, the one naming this Worker applies.
    const several = await get(router.workerUrl('ignored'), { 'Cloudflare-Workers-Version-Overrides': `a="x", ignored="${stable.id}";p=1, b` });
    expect(several.version).toBe(stable.id);
  });
});

describe('Cloudflare-Workers-Version-Key', () => {
  it('keeps one key on one version for a split, spreads keys by the percentages, and keeps keys on the canary as it grows', async () => {
    const v1 = upload(store, 'affinity', { VERSION_LABEL: 'v1' });
    const v2 = upload(store, 'affinity', { VERSION_LABEL: 'v2' });
    deploy(store, 'affinity', [[v2, 20], [v1, 80]]); // listed canary first: the order must not matter
    const keyed = (key: string) => () => ({ 'Cloudflare-Workers-Version-Key': key });
    for (const key of ['user-1', 'user-2', 'user-3']) {
      const answers = await many(15, router.workerUrl('affinity'), keyed(key), 3);
      expect(new Set(answers.map((answer) => answer.version)).size).toBe(1);
    }
    const keys = Array.from({ length: 400 }, (_, index) => `key-${index}`);
    const at20 = await many(keys.length, router.workerUrl('affinity'), (index) => ({ 'Cloudflare-Workers-Version-Key': keys[index]! }));
    const [low, high] = binomialBounds(keys.length, 0.2);
    expect(tally(at20, v2)).toBeGreaterThanOrEqual(low);
    expect(tally(at20, v2)).toBeLessThanOrEqual(high);

    deploy(store, 'affinity', [[v1, 50], [v2, 50]]);
    const at50 = await many(keys.length, router.workerUrl('affinity'), (index) => ({ 'Cloudflare-Workers-Version-Key': keys[index]! }));
    const movedBack = keys.filter((_, index) => at20[index]!.version === v2.id && at50[index]!.version !== v2.id);
    expect(movedBack).toEqual([]);
    expect(tally(at50, v2)).toBeGreaterThan(tally(at20, v2));
  });
});

describe('the sample Worker told by its vars', () => {
  it('fails exactly FAIL_PERCENT % of its requests with a 500, spread evenly', async () => {
    const failing = upload(store, 'failing', { VERSION_LABEL: 'v3', FAIL_PERCENT: 30 });
    const tenths = upload(store, 'failing', { VERSION_LABEL: 'v4', FAIL_PERCENT: 5.5 });
    deploy(store, 'failing', [[failing, 100], [tenths, 0]]);
    // One at a time, so the order sent is the order the isolate counts.
    const answers = await many(400, router.workerUrl('failing'), () => ({}), 1);
    expect(answers.filter((answer) => answer.status !== 500 && answer.status !== 200)).toEqual([]);
    const failedPerTen = Array.from({ length: 40 }, (_, i) => answers.slice(i * 10, i * 10 + 10).filter((answer) => answer.status === 500).length);
    expect(failedPerTen).toEqual(Array(40).fill(3));
    const aimed = await many(1000, router.workerUrl('failing'), () => ({ 'Cloudflare-Workers-Version-Overrides': `failing="${tenths.id}"` }), 1);
    expect(aimed.filter((answer) => answer.status === 500).length).toBe(55);
    // Evenly: no 100 in a row hold more than ceil(5.5) failures.
    const worstHundred = Math.max(...Array.from({ length: 901 }, (_, i) => aimed.slice(i, i + 100).filter((answer) => answer.status === 500).length));
    expect(worstHundred).toBe(6);
  });

  it('adds LATENCY_MS to every answer', async () => {
    const fast = upload(store, 'latency', { VERSION_LABEL: 'v1' });
    const slow = upload(store, 'latency', { VERSION_LABEL: 'v4', LATENCY_MS: 200 });
    deploy(store, 'latency', [[fast, 100], [slow, 0]]);
    const aimed = (version: StoredVersion) => () => ({ 'Cloudflare-Workers-Version-Overrides': `latency="${version.id}"` });
    const slowAnswers = await many(10, router.workerUrl('latency'), aimed(slow), 5);
    const fastAnswers = await many(10, router.workerUrl('latency'), aimed(fast), 5);
    expect(Math.min(...slowAnswers.map((answer) => answer.ms))).toBeGreaterThanOrEqual(200);
    // What the router recorded is what the analytics report: the slow version's wall time too.
    const served = store.served.filter((request) => request.versionId === slow.id);
    expect(Math.min(...served.map((request) => request.durationMs))).toBeGreaterThanOrEqual(200);
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    expect(median(fastAnswers.map((answer) => answer.ms))).toBeLessThan(median(slowAnswers.map((answer) => answer.ms)));
  });
});

describe('workerd', () => {
  it('runs a version with its upload\'s compatibility flags, JSON and text vars, and the Worker\'s secrets', async () => {
    const source = `import { Buffer } from 'node:buffer';
      export default { fetch(request, env) { return Response.json({ encoded: Buffer.from('hi').toString('base64'), config: env.CONFIG, label: env.VERSION_LABEL, key: env.API_KEY }); } };`;
    const version = sampleVersion(1, { VERSION_LABEL: 'flags' }, Buffer.from(source));
    const metadata = version.metadata as { bindings: unknown[]; compatibility_flags?: string[] };
    metadata.compatibility_flags = ['nodejs_compat'];
    metadata.bindings.push({ type: 'json', name: 'CONFIG', json: { retries: 2 } });
    store.workers.set('flags', { name: 'flags', versions: [version], deployments: [], secrets: new Map([['API_KEY', { generation: 1, value: 's3cret' }]]) });
    store.emit('version', 'flags', version);
    await workerd.reload();
    deploy(store, 'flags', [[version, 100]]);
    const answer = await get(router.workerUrl('flags'));
    expect([answer.status, JSON.parse(answer.body)]).toEqual([200, { encoded: 'aGk=', config: { retries: 2 }, label: 'flags', key: 's3cret' }]);
  });

  it('serves a new upload from a new process without dropping a request under load', async () => {
    // Answers that take a while keep requests in flight on the old process at every swap.
    const v1 = upload(store, 'reload', { VERSION_LABEL: 'v1', LATENCY_MS: 20 });
    deploy(store, 'reload', [[v1, 100]]);
    await get(router.workerUrl('reload'));
    let running = true;
    const outcomes = { ok: 0, failed: [] as string[] };
    const loops = Array.from({ length: 6 }, async () => {
      // Bounded: stops when the uploads are done, or after 20,000 requests per loop at most.
      for (let sent = 0; running && sent < 20_000; sent++) {
        try {
          const answer = await get(router.workerUrl('reload'));
          if (answer.status === 200) outcomes.ok++;
          else outcomes.failed.push(`${answer.status} ${answer.body.slice(0, 200)}`);
        } catch (error) {
          outcomes.failed.push(String((error as Error).cause ?? error));
        }
      }
    });
    const pids = new Set([workerd.pid]);
    let newest = v1;
    for (let index = 2; index <= 6; index++) {
      newest = upload(store, 'reload', { VERSION_LABEL: `v${index}`, LATENCY_MS: 20 });
      await workerd.reload();
      pids.add(workerd.pid);
      deploy(store, 'reload', [[newest, 100]]);
      await get(router.workerUrl('reload'));
    }
    running = false;
    await Promise.all(loops);
    expect(pids.size).toBe(6);
    expect(outcomes.failed).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect((await get(router.workerUrl('reload'))).version).toBe(newest.id);
  });

  it('refuses a Worker that throws at start-up with workerd\'s own reason, and passes a healthy one', async () => {
    const reason = await validateStartup('broken', sampleVersion(1, { VERSION_LABEL: 'v1' }, THROWS_AT_STARTUP));
    expect(reason).toMatch(/^Uncaught Error: missing configuration: this Worker throws at start-up\n\s+at index\.js:2:7/);
    await expect(validateStartup('fine', sampleVersion(1, { VERSION_LABEL: 'v1' }))).resolves.toBeUndefined();
  });

  it('leaves out a stored version that cannot start, keeps serving the others, and says why', async () => {
    const healthy = upload(store, 'unstartable', { VERSION_LABEL: 'v1' });
    const broken = sampleVersion(2, { VERSION_LABEL: 'v2' }, THROWS_AT_STARTUP);
    store.worker('unstartable')!.versions.push(broken); // straight into the store: no start-up check
    store.emit('version', 'unstartable', broken);
    await workerd.reload();
    deploy(store, 'unstartable', [[healthy, 100], [broken, 0]]);
    expect((await get(router.workerUrl('unstartable'))).version).toBe(healthy.id);
    const aimed = await get(router.workerUrl('unstartable'), { 'Cloudflare-Workers-Version-Overrides': `unstartable="${broken.id}"` });
    expect(aimed.status).toBe(503);
    expect(aimed.body).toContain(`Version ${broken.id} of unstartable is not running: Uncaught Error: missing configuration`);
    // Later uploads still start.
    const next = upload(store, 'unstartable', { VERSION_LABEL: 'v3' });
    await workerd.reload();
    deploy(store, 'unstartable', [[next, 100]]);
    expect((await get(router.workerUrl('unstartable'))).version).toBe(next.id);
  });

  it('exits when its parent is killed with SIGKILL', async () => {
    // The killed parent cannot clean up after itself: its files go to a directory this test removes.
    const dir = await mkdtemp(join(tmpdir(), 'workerd-orphan-'));
    const script = `
      import { CloudflareStore } from ${JSON.stringify(new URL('../../testbed/cloudflare/store.ts', import.meta.url).href)};
      import { WorkerdSupervisor } from ${JSON.stringify(new URL('../../testbed/cloudflare/workerd.ts', import.meta.url).href)};
      import { upload } from ${JSON.stringify(new URL('../helpers/cloudflare-bed.ts', import.meta.url).href)};
      const store = new CloudflareStore();
      upload(store, 'orphan', { VERSION_LABEL: 'v1' });
      const workerd = await WorkerdSupervisor.start(store, { dir: ${JSON.stringify(dir)} });
      console.log('workerd ' + workerd.pid);
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const match = /workerd (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      parent.once('exit', (code) => reject(new Error(`the parent exited (${code}) before starting workerd: ${out}`)));
    });
    expect(alive(pid)).toBe(true);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('workerd');
    parent.kill('SIGKILL');
    // Bounded wait: 30 s at most for the kernel to deliver the parent-death signal.
    for (let waited = 0; alive(pid) && waited < 30_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    await rm(dir, { recursive: true, force: true });
    expect(alive(pid)).toBe(false);
  });
});

/** Running (a zombie waiting for its new parent to reap it is dead). */
function alive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
