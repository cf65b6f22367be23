// The Cloudflare provider with the real wrangler against the bed's API stand-in: what canary-shift and
// rollback rely on (versions, splits read back, rollbacks, Cloudflare's errors in its own words).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Masker } from '@deploy-actions/report';
import { ProviderError, createProvider, type TrafficProvider } from '@deploy-actions/providers';
import { CloudflareStore } from '../../testbed/cloudflare/store.ts';
import { ErrorCode, startCloudflareApi, type CloudflareApi } from '../../testbed/cloudflare/api.ts';
import { runWrangler, wranglerEnvironment, type WranglerEnvironment } from '../../testbed/cloudflare/wrangler.ts';
import { SAMPLE_WORKER_NAME, workerProject } from '../helpers/worker-project.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'bed-token-7d2f9c41e0a8';
const WORKER = SAMPLE_WORKER_NAME;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const traffic = JSON.parse(readFileSync(join(repo, 'test/fixtures/cloudflare/graphql-version-traffic.json'), 'utf8')) as unknown;

let store: CloudflareStore;
let api: CloudflareApi;
let wrangler: WranglerEnvironment;
let project: Awaited<ReturnType<typeof workerProject>>;
let provider: TrafficProvider;
const masker = new Masker();
const graphqlAsked: Array<Record<string, unknown>> = [];
let graphqlAnswer: unknown = traffic;
/** v1 from `wrangler deploy` (100 %), v2 and v3 uploaded through the provider. */
const ids: string[] = [];

beforeAll(async () => {
  store = new CloudflareStore();
  api = await startCloudflareApi(store, {
    token: TOKEN,
    graphql: async (_query, variables) => {
      graphqlAsked.push(variables);
      return graphqlAnswer;
    }
  });
  wrangler = await wranglerEnvironment(api, { accountId: store.accountId, token: TOKEN });
  project = await workerProject();
  const first = await runWrangler(['deploy'], { env: wrangler.env, cwd: project.dir });
  if (first.code !== 0) throw new Error(`wrangler deploy: ${first.stderr}`);
  ids.push(store.worker(WORKER)!.versions[0]!.id);
  // The caller's environment: no Cloudflare credentials in it, the provider adds them.
  const { CLOUDFLARE_API_TOKEN: _token, CLOUDFLARE_ACCOUNT_ID: _account, ...env } = wrangler.env;
  provider = await cloudflareProvider(env);
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await wrangler?.cleanup();
  await project?.remove();
});

function cloudflareProvider(env: Record<string, string>): Promise<TrafficProvider> {
  return createProvider({
    provider: 'cloudflare',
    worker: WORKER,
    apiToken: TOKEN,
    accountId: store.accountId,
    wranglerVersion: '4.164.0',
    workingDirectory: project.dir,
    env,
    masker
  });
}

function serving(): Array<{ version_id: string; percentage: number }> {
  return store.currentDeployment(WORKER)!.versions;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(ProviderError);
  const providerError = error as ProviderError;
  expect(providerError.message).not.toMatch(/\n/);
  expect(`${providerError.message} ${providerError.stderr ?? ''}`).not.toContain(TOKEN);
  return providerError;
}

describe('the Cloudflare provider on the bed, through the real wrangler', () => {
  it('uploads a version with the commit as tag and the run as message, and returns its id', async () => {
    for (const [tag, message] of [
      ['3f9c2ab', 'run 41'],
      ['8e1d7c0', 'run 42']
    ] as const) {
      const version = await provider.upload!({ tag, message });
      const stored = store.worker(WORKER)!.versions.at(-1)!;
      expect(version.id).toBe(stored.id);
      expect(stored.metadata.annotations).toMatchObject({ 'workers/tag': tag, 'workers/message': message });
      ids.push(version.id);
    }
    expect(new Set(ids).size).toBe(3);
  }, 120_000);

  it('lists versions newest first, with their numbers, tags and messages', async () => {
    const versions = await provider.listVersions();
    expect(versions.map((v) => v.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(versions[0]).toMatchObject({ number: 3, tag: '8e1d7c0', message: 'run 42' });
    expect(Date.parse(versions[0]!.createdOn)).toBeGreaterThanOrEqual(Date.parse(versions[2]!.createdOn));
  }, 60_000);

  it('deploys a split and reads the same deployment back', async () => {
    const [v1, v2] = [ids[0]!, ids[1]!];
    const deployment = await provider.shift(
      [
        { versionId: v1, percentage: 75 },
        { versionId: v2, percentage: 25 }
      ],
      'canary 25 %'
    );
    expect(serving()).toEqual([
      { version_id: v1, percentage: 75 },
      { version_id: v2, percentage: 25 }
    ]);
    expect(deployment.id).toBe(store.currentDeployment(WORKER)!.id);
    const current = await provider.currentDeployment();
    expect(current).toMatchObject({ id: deployment.id, message: 'canary 25 %' });
    expect(current.versions).toEqual(deployment.versions);
    const list = await provider.listDeployments();
    expect(list[0]!.id).toBe(deployment.id);
    expect(list.at(-1)!.versions).toEqual([{ versionId: v1, percentage: 100 }]);
  }, 120_000);

  it('reads the deployments with one API GET each, the one wrangler makes, without running wrangler', async () => {
    const callsBefore = store.calls.length;
    const runsBefore = provider.toolCalls!.length;
    const current = await provider.currentDeployment();
    const list = await provider.listDeployments();
    expect(current).toEqual(list[0]);
    expect(list.map((d) => d.id)).toEqual([...store.worker(WORKER)!.deployments].reverse().map((d) => d.id));
    expect(store.calls.slice(callsBefore).map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual(
      Array(2).fill(`GET /client/v4/accounts/${store.accountId}/workers/scripts/${WORKER}/deployments 200`)
    );
    expect(provider.toolCalls!.length).toBe(runsBefore);
    // A Worker Cloudflare does not know: its code and words.
    const ghost = await createProvider({ provider: 'cloudflare', worker: 'ghost', apiToken: TOKEN, accountId: store.accountId, wranglerVersion: '4.164.0', workingDirectory: project.dir, env: wrangler.env, masker });
    const error = await failure(ghost.currentDeployment());
    expect({ code: error.code, message: error.message }).toEqual({
      code: ErrorCode.workerNotFound,
      message: `Cloudflare refused to read the deployments of ghost: This Worker does not exist on your account. (code ${ErrorCode.workerNotFound})`
    });
  });

  it('rolls back to the previous version at 100 %', async () => {
    const before = store.worker(WORKER)!.deployments.length;
    const deployment = await provider.rollback(ids[0]!, { message: 'canary failed', force: false });
    expect(serving()).toEqual([{ version_id: ids[0], percentage: 100 }]);
    expect(store.worker(WORKER)!.deployments.length).toBe(before + 1);
    expect(deployment).toMatchObject({ id: store.currentDeployment(WORKER)!.id, message: 'canary failed', versions: [{ versionId: ids[0], percentage: 100 }] });
  }, 60_000);

  it('refuses a rollback past changed secrets without force, naming them, and makes no deployment', async () => {
    const worker = store.worker(WORKER)!;
    const target = worker.versions[1]!;
    // v2 was uploaded with generation 1 of both secrets; both changed since.
    target.secretGenerations = { DB_PASSWORD: 1, STRIPE_KEY: 1 };
    worker.secrets.set('DB_PASSWORD', { generation: 2, value: 'new-db-password' });
    worker.secrets.set('STRIPE_KEY', { generation: 2, value: 'new-stripe-key' });
    const before = worker.deployments.length;
    const callsBefore = store.calls.length;

    const error = await failure(provider.rollback(target.id, { message: 'back to v2', force: false }));
    expect(error.code).toBe(10220);
    expect(error.names).toEqual(['DB_PASSWORD', 'STRIPE_KEY']);
    expect(error.message).toBe(
      `Cloudflare refused to roll ${WORKER} back to ${target.id} (code 10220): the secrets DB_PASSWORD, STRIPE_KEY changed since that version was uploaded, ` +
        'and it would run with their new values. Check that version works with them and roll back with force: true, or roll back to a newer version.'
    );
    expect(worker.deployments.length).toBe(before);
    expect(serving()).toEqual([{ version_id: ids[0], percentage: 100 }]);
    // Never a forced attempt.
    expect(store.calls.slice(callsBefore).filter((call) => call.path.includes('force=true'))).toEqual([]);
  }, 60_000);

  it('rolls back past changed secrets with force: true', async () => {
    const target = store.worker(WORKER)!.versions[1]!;
    const callsBefore = store.calls.length;
    const deployment = await provider.rollback(target.id, { message: 'back to v2, secrets checked', force: true });
    expect(serving()).toEqual([{ version_id: target.id, percentage: 100 }]);
    expect(deployment.id).toBe(store.currentDeployment(WORKER)!.id);
    expect(store.calls.slice(callsBefore).some((call) => call.method === 'POST' && call.path.includes('/deployments') && call.path.includes('force=true'))).toBe(true);
  }, 120_000);

  it("tells an unknown version in Cloudflare's code and words, with wrangler's stderr", async () => {
    const before = store.worker(WORKER)!.deployments.length;
    const shifted = await failure(provider.shift([{ versionId: UNKNOWN, percentage: 100 }], 'typo'));
    expect(shifted.code).toBe(ErrorCode.versionNotFound);
    expect(shifted.message).toBe(
      `wrangler versions deploy for ${WORKER} failed: Version ${UNKNOWN} of Worker ${WORKER} was not found. (Cloudflare code ${ErrorCode.versionNotFound})`
    );
    expect(shifted.stderr).toContain(`[code: ${ErrorCode.versionNotFound}]`);
    expect(shifted.stderr).toContain('A request to the Cloudflare API');

    const rolled = await failure(provider.rollback(UNKNOWN, { message: 'typo', force: false }));
    expect(rolled.code).toBe(ErrorCode.versionNotFound);
    expect(rolled.message).toBe(`Cloudflare refused to roll ${WORKER} back to ${UNKNOWN}: Version ${UNKNOWN} of Worker ${WORKER} was not found. (code ${ErrorCode.versionNotFound})`);
    expect(store.worker(WORKER)!.deployments.length).toBe(before);
  }, 60_000);

  it('refuses a split Cloudflare would refuse, before running wrangler', async () => {
    await expect(provider.shift([{ versionId: ids[0]!, percentage: 60 }, { versionId: ids[1]!, percentage: 30 }], 'x')).rejects.toThrow(
      `a Cloudflare deployment is one or two versions with percentages from 0 to 100 summing to 100, not ${ids[0]}@60% ${ids[1]}@30%`
    );
  });

  it('aims a probe at one version with the override header', () => {
    expect(provider.routeTo(ids[1]!)).toEqual({ headers: [['Cloudflare-Workers-Version-Overrides', `${WORKER}="${ids[1]}"`]] });
  });

  it("reads each version's traffic from the GraphQL analytics endpoint with the token", async () => {
    const stable = '0a4b9c2e-5d1f-4e7a-9b3c-1f2e3d4c5b6a';
    const canary = '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910';
    const window = { start: new Date('2026-12-01T10:00:00Z'), end: new Date('2026-12-01T10:05:00Z') };
    const result = await provider.traffic!([stable, canary], window);
    expect(result.get(canary)).toEqual({ requests: 218, errors: 41, p50Ms: 2.301, p95Ms: 214.56 });
    expect(result.get(stable)).toMatchObject({ requests: 4120, errors: 3 });
    expect(graphqlAsked).toEqual([
      { accountTag: store.accountId, scriptName: WORKER, datetimeStart: '2026-12-01T10:00:00.000Z', datetimeEnd: '2026-12-01T10:05:00.000Z' }
    ]);
  });

  it('fails, never reads zero traffic, when the analytics cannot be read', async () => {
    graphqlAnswer = { data: null, errors: [{ message: 'not authorized for that account', path: ['viewer'] }] };
    try {
      const window = { start: new Date(Date.now() - 60_000), end: new Date() };
      await expect(provider.traffic!([ids[0]!], window)).rejects.toThrow(new ProviderError('Cloudflare GraphQL refused the traffic query: not authorized for that account'));
    } finally {
      graphqlAnswer = traffic;
    }
  });

  it('says which API call could not be reached', async () => {
    const unreachable = await cloudflareProvider({ ...wrangler.env, CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:1/client/v4' });
    const error = await failure(unreachable.rollback(ids[0]!, { message: 'x', force: false }));
    expect(error.message).toMatch(new RegExp(`^the Cloudflare API \\(/accounts/${store.accountId}/workers/scripts/${WORKER}/deployments\\) could not be reached: .*refused`, 'i'));
  });

  it('times every wrangler run by its command; deployments are read through the API, not wrangler', () => {
    const calls = provider.toolCalls!;
    expect(new Set(calls.map((call) => call.command))).toEqual(new Set(['versions upload', 'versions list', 'versions deploy', 'rollback']));
    expect(calls.every((call) => call.durationMs > 0)).toBe(true);
    expect(calls.filter((call) => call.exitCode !== 0).map((call) => call.command)).toEqual(['versions deploy']);
  });

  it('registers the token with the caller masker', () => {
    expect(masker.mask(`token ${TOKEN}`)).toBe('token ***');
  });
});
