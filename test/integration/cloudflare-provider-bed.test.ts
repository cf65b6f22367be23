// The Cloudflare provider on the whole bed: what it uploads runs in real workerd, a probe aimed with
// routeTo() reaches exactly that version through the router whatever the split, and traffic() reads
// back what the router served, from the bed's GraphQL analytics.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProvider, type TrafficProvider } from '@deploy-actions/providers';
import { startCloudflareBed, type CloudflareBed } from '../../testbed/cloudflare/bed.ts';
import { runWrangler, wranglerEnvironment, type WranglerEnvironment } from '../../testbed/cloudflare/wrangler.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
let bed: CloudflareBed;
let wrangler: WranglerEnvironment;
let project: string;
let provider: TrafficProvider;

beforeAll(async () => {
  bed = await startCloudflareBed();
  wrangler = await wranglerEnvironment({ url: bed.apiUrl }, { accountId: bed.accountId, token: bed.token });
  project = await mkdtemp(join(tmpdir(), 'provider-bed-'));
  await cp(join(repo, 'testbed/cloudflare/worker/'), project, { recursive: true });
  await mkdir(join(project, 'node_modules'));
  await symlink(join(repo, 'node_modules/wrangler'), join(project, 'node_modules/wrangler'), 'dir');
  const first = await runWrangler(['deploy'], { env: wrangler.env, cwd: project });
  if (first.code !== 0) throw new Error(`wrangler deploy: ${first.stderr}`);
  provider = await createProvider({
    provider: 'cloudflare',
    worker: 'sample',
    apiToken: bed.token,
    accountId: bed.accountId,
    wranglerVersion: '4.164.0',
    workingDirectory: project,
    env: wrangler.env
  });
}, 180_000);

afterAll(async () => {
  await bed?.stop();
  await wrangler?.cleanup();
  if (project) await rm(project, { recursive: true, force: true });
});

it("aims probes at each version of a split and reads both versions' traffic back", async () => {
  const v1 = bed.store.worker('sample')!.versions[0]!.id;
  // The canary: the same Worker, told by its vars to fail every request.
  const config = join(project, 'wrangler.toml');
  await writeFile(config, (await readFile(config, 'utf8')).replace('FAIL_PERCENT = "0"', 'FAIL_PERCENT = "100"'));
  const v2 = (await provider.upload!({ tag: 'c0ffee1', message: 'run 7' })).id;
  await provider.shift(
    [
      { versionId: v1, percentage: 95 },
      { versionId: v2, percentage: 5 }
    ],
    'canary 5 %'
  );

  const start = new Date(Date.now() - 1000);
  const served: Record<string, Array<{ version: string | null; status: number }>> = { [v1]: [], [v2]: [] };
  for (const version of [v1, v2]) {
    const route = provider.routeTo(version);
    for (let index = 0; index < 15; index++) {
      const response = await fetch(`${bed.workerUrl('sample')}/health`, { headers: Object.fromEntries(route.headers) });
      await response.arrayBuffer();
      served[version]!.push({ version: response.headers.get('x-testbed-version'), status: response.status });
    }
  }
  // 5 % would send the canary about one request of 15: the override sent every one there.
  expect(served[v1]!.every((answer) => answer.version === v1 && answer.status === 200)).toBe(true);
  expect(served[v2]!.every((answer) => answer.version === v2 && answer.status === 500)).toBe(true);

  const traffic = await provider.traffic!([v1, v2], { start, end: new Date(Date.now() + 1000) });
  expect(traffic.get(v1)).toMatchObject({ requests: 15, errors: 0 });
  expect(traffic.get(v2)).toMatchObject({ requests: 15, errors: 15 });
  expect(traffic.get(v1)!.p50Ms).toEqual(expect.any(Number));
}, 180_000);
