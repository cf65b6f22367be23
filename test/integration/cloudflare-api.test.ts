// The real wrangler 4.164.0 against the bed's Cloudflare API stand-in: each command a user would run
// (deploy, versions upload|list|view|deploy, deployments list|status, rollback, secret put|list), with
// what the user sees (exit code, stdout JSON, stderr with Cloudflare's error code) and what the bed
// stored. Every wrangler run loads the connect guard: the last tests prove wrangler opened no
// connection except to the stand-in on 127.0.0.1, and that the guard does catch one that is not.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { ErrorCode, startCloudflareApi, type CloudflareApi } from '../../testbed/cloudflare/api.ts';
import { CloudflareStore, type StoredDeployment } from '../../testbed/cloudflare/store.ts';
import { runWrangler, wranglerEnvironment, type WranglerEnvironment } from '../../testbed/cloudflare/wrangler.ts';

const guard = fileURLToPath(new URL('../../testbed/cloudflare/connect-guard.mjs', import.meta.url));
const TOKEN = 'cf-token-3b9d1e';
const WRANGLER_TIMEOUT = 120_000;
const UNKNOWN_VERSION = '00000000-0000-4000-8000-000000000000';

const WORKER = `export default {
  async fetch(request, env) {
    return new Response(\`hello from \${env.GREETING}\`);
  }
};
`;
const THROWS_AT_STARTUP = `throw new Error('boom at start-up');
export default { fetch: () => new Response('never') };
`;

let store: CloudflareStore;
let api: CloudflareApi;
let wrangler: WranglerEnvironment;
let work: string;
let guardLog: string;
const deploymentEvents: StoredDeployment[] = [];

interface Seen {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The API calls this run made, as `METHOD /path?query` without the /client/v4/accounts/<id> prefix. */
  calls: string[];
}

async function run(args: string[], options: { input?: string; cwd?: string } = {}): Promise<Seen> {
  const before = store.calls.length;
  const result = await runWrangler(args, { env: wrangler.env, cwd: options.cwd ?? path.join(work, 'shop'), input: options.input });
  return {
    code: result.code,
    stdout: stripVTControlCharacters(result.stdout),
    stderr: stripVTControlCharacters(result.stderr),
    calls: store.calls.slice(before).map((call) => `${call.method} ${call.path.replace(/^\/client\/v4(\/accounts\/[0-9a-f]+)?/, '')}`)
  };
}

function versionIds(): string[] {
  return store.worker('shop')?.versions.map((version) => version.id) ?? [];
}

function serving(): Array<{ version_id: string; percentage: number }> | undefined {
  return store.currentDeployment('shop')?.versions;
}

async function callApi(method: string, apiPath: string, body?: unknown, token = TOKEN) {
  const response = await fetch(`${api.url}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  store = new CloudflareStore();
  store.on('deployment', (_worker, deployment) => deploymentEvents.push(deployment));
  api = await startCloudflareApi(store, {
    token: TOKEN,
    // Stands in for starting the Worker in workerd: a module that throws at top level is refused.
    validateStartup: async (_worker, version) => {
      const main = version.modules.find((module) => module.name === version.metadata.main_module);
      const thrown = /^throw new Error\("([^"]*)"\);$/m.exec(main?.content.toString('utf8') ?? '');
      return thrown ? `Uncaught Error: ${thrown[1]}\n  at ${main?.name}:1:7` : undefined;
    }
  });
  work = await mkdtemp(path.join(tmpdir(), 'cloudflare-api-test-'));
  guardLog = path.join(work, 'connections.jsonl');
  wrangler = await wranglerEnvironment(api, { accountId: store.accountId, token: TOKEN, nodeOptions: `--import=${guard}` });
  wrangler.env.CONNECT_GUARD_LOG = guardLog;
  await mkdir(path.join(work, 'shop'));
  await writeFile(path.join(work, 'shop', 'worker.js'), WORKER);
  await writeFile(
    path.join(work, 'shop', 'wrangler.toml'),
    'name = "shop"\nmain = "worker.js"\ncompatibility_date = "2025-06-01"\nworkers_dev = false\n\n[vars]\nGREETING = "v1"\n'
  );
  await mkdir(path.join(work, 'broken'));
  await writeFile(path.join(work, 'broken', 'worker.js'), THROWS_AT_STARTUP);
  await writeFile(path.join(work, 'broken', 'wrangler.toml'), 'name = "shop"\nmain = "worker.js"\ncompatibility_date = "2025-06-01"\n');
}, WRANGLER_TIMEOUT);

afterAll(async () => {
  await api?.stop();
  await wrangler?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('wrangler against the Cloudflare API stand-in', () => {
  it('deploy creates the Worker with its first version serving 100 %', async () => {
    const seen = await run(['deploy']);
    expect(seen.code).toBe(0);
    const [v1] = versionIds();
    expect(seen.stdout).toContain(`Current Version ID: ${v1}`);
    expect(serving()).toEqual([{ version_id: v1, percentage: 100 }]);
    expect(seen.calls).toContain('PUT /workers/scripts/shop?excludeScript=true&bindings_inherit=strict');
  }, WRANGLER_TIMEOUT);

  it('versions upload stores the modules and metadata of a new version without deploying it', async () => {
    const seen = await run(['versions', 'upload', '--tag', 'release-2', '--message', 'second release', '--var', 'GREETING:v2']);
    expect(seen.code).toBe(0);
    const [v1, v2] = versionIds();
    expect(seen.stdout).toContain(`Worker Version ID: ${v2}`);
    expect(seen.calls).toEqual([
      'GET /workers/services/shop',
      'GET /workers/scripts/shop/secrets',
      'GET /workers/scripts/shop/settings',
      'POST /workers/scripts/shop/versions?bindings_inherit=strict'
    ]);
    const stored = store.worker('shop')!.versions[1]!;
    expect(stored.modules.map((module) => [module.name, module.contentType])).toEqual([['worker.js', 'application/javascript+module']]);
    expect(stored.modules[0]!.content.toString('utf8')).toContain('hello from');
    expect(stored.metadata).toMatchObject({
      main_module: 'worker.js',
      compatibility_date: '2025-06-01',
      bindings: [{ name: 'GREETING', type: 'plain_text', text: 'v2' }],
      annotations: { 'workers/tag': 'release-2', 'workers/message': 'second release' }
    });
    expect(serving()).toEqual([{ version_id: v1, percentage: 100 }]);
  }, WRANGLER_TIMEOUT);

  it('versions list --json prints the versions oldest first with their runtime', async () => {
    const seen = await run(['versions', 'list', '--json']);
    expect(seen.code).toBe(0);
    const listed = JSON.parse(seen.stdout) as Array<Record<string, any>>;
    expect(listed.map((version) => version.id)).toEqual(versionIds());
    expect(listed[1]).toMatchObject({
      number: 2,
      annotations: { 'workers/tag': 'release-2' },
      resources: { script_runtime: { compatibility_date: '2025-06-01' } }
    });
    expect(seen.calls).toEqual(['GET /workers/scripts/shop/versions?deployable=true']);
  }, WRANGLER_TIMEOUT);

  it('versions view --json prints one version', async () => {
    const [, v2] = versionIds();
    const seen = await run(['versions', 'view', v2!, '--json']);
    expect(seen.code).toBe(0);
    expect(JSON.parse(seen.stdout)).toMatchObject({
      id: v2,
      resources: { bindings: [{ name: 'GREETING', type: 'plain_text', text: 'v2' }], script_runtime: { usage_model: 'standard' } }
    });
  }, WRANGLER_TIMEOUT);

  it('versions view of an unknown version fails with Cloudflare\'s not-found code', async () => {
    const seen = await run(['versions', 'view', UNKNOWN_VERSION, '--json']);
    expect(seen.code).toBe(1);
    expect(seen.stderr).toContain(`[code: ${ErrorCode.versionNotFound}]`);
    expect(seen.calls).toEqual([`GET /workers/scripts/shop/versions/${UNKNOWN_VERSION}`]);
  }, WRANGLER_TIMEOUT);

  it('versions deploy splits traffic between two versions', async () => {
    const [v1, v2] = versionIds();
    const events = deploymentEvents.length;
    const seen = await run(['versions', 'deploy', `${v1}@90%`, `${v2}@10%`, '--yes', '--message', 'canary at 10']);
    expect(seen.code).toBe(0);
    expect(seen.stdout).toContain(`Deployed shop version ${v1} at 90% and version ${v2} at 10%`);
    expect(serving()).toEqual([
      { version_id: v1, percentage: 90 },
      { version_id: v2, percentage: 10 }
    ]);
    expect(store.currentDeployment('shop')?.annotations['workers/message']).toBe('canary at 10');
    expect(deploymentEvents.length).toBe(events + 1);
    expect(seen.calls.filter((call) => call.startsWith('POST'))).toEqual(['POST /workers/scripts/shop/deployments']);
  }, WRANGLER_TIMEOUT);

  it('deployments status --json prints the split serving now', async () => {
    const [v1, v2] = versionIds();
    const seen = await run(['deployments', 'status', '--json']);
    expect(seen.code).toBe(0);
    expect(JSON.parse(seen.stdout)).toMatchObject({
      strategy: 'percentage',
      versions: [
        { version_id: v1, percentage: 90 },
        { version_id: v2, percentage: 10 }
      ],
      annotations: { 'workers/message': 'canary at 10' }
    });
  }, WRANGLER_TIMEOUT);

  it('deployments list --json prints oldest first while the API answers newest first', async () => {
    const seen = await run(['deployments', 'list', '--json']);
    expect(seen.code).toBe(0);
    const printed = (JSON.parse(seen.stdout) as Array<{ id: string }>).map((deployment) => deployment.id);
    const stored = store.worker('shop')!.deployments.map((deployment) => deployment.id);
    expect(printed).toEqual(stored);
    const answered = await callApi('GET', `/accounts/${store.accountId}/workers/scripts/shop/deployments`);
    expect(answered.body.result.deployments.map((deployment: { id: string }) => deployment.id)).toEqual([...stored].reverse());
  }, WRANGLER_TIMEOUT);

  it('versions deploy accepts a 0 % version (a canary no user sees yet)', async () => {
    const [v1, v2] = versionIds();
    const seen = await run(['versions', 'deploy', `${v1}@100%`, `${v2}@0%`, '--yes']);
    expect(seen.code).toBe(0);
    expect(serving()).toEqual([
      { version_id: v1, percentage: 100 },
      { version_id: v2, percentage: 0 }
    ]);
  }, WRANGLER_TIMEOUT);

  it('percentages that do not add up to 100 are refused, by wrangler and by the API', async () => {
    const [v1, v2] = versionIds();
    const before = serving();
    const seen = await run(['versions', 'deploy', `${v1}@90%`, `${v2}@20%`, '--yes']);
    expect(seen.code).toBe(1);
    expect(seen.stderr).toContain('add up to 110%, but must total exactly 100%');
    expect(seen.calls.filter((call) => call.startsWith('POST'))).toEqual([]);
    const deployments = `/accounts/${store.accountId}/workers/scripts/shop/deployments`;
    const split = (a: number, b: number) => ({ strategy: 'percentage', versions: [{ version_id: v1, percentage: a }, { version_id: v2, percentage: b }] });
    const overfull = await callApi('POST', deployments, split(90, 20));
    expect(overfull.status).toBe(400);
    expect(overfull.body).toMatchObject({ success: false, errors: [{ code: ErrorCode.badRequest }] });
    expect(overfull.body.errors[0].message).toContain('add up to 100');
    const three = await callApi('POST', deployments, {
      strategy: 'percentage',
      versions: [{ version_id: v1, percentage: 50 }, { version_id: v2, percentage: 50 }, { version_id: v1, percentage: 0 }]
    });
    expect(three.status).toBe(400);
    expect(three.body.errors[0].message).toContain('1 or 2 versions');
    const unknown = await callApi('POST', deployments, { strategy: 'percentage', versions: [{ version_id: UNKNOWN_VERSION, percentage: 100 }] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].code).toBe(ErrorCode.versionNotFound);
    expect(serving()).toEqual(before);
  }, WRANGLER_TIMEOUT);

  it('versions deploy of an unknown version fails before deploying anything', async () => {
    const before = serving();
    const seen = await run(['versions', 'deploy', `${UNKNOWN_VERSION}@100%`, '--yes']);
    expect(seen.code).toBe(1);
    expect(seen.stderr).toContain(`[code: ${ErrorCode.versionNotFound}]`);
    expect(serving()).toEqual(before);
  }, WRANGLER_TIMEOUT);

  it('an unknown Worker answers 10007, and wrangler does not go on to verify the token', async () => {
    const seen = await run(['versions', 'list', '--name', 'no-such-worker', '--json']);
    expect(seen.code).toBe(1);
    expect(seen.stderr).toContain('This Worker does not exist on your account. [code: 10007]');
    expect(seen.calls).toEqual(['GET /workers/scripts/no-such-worker/versions?deployable=true']);
  }, WRANGLER_TIMEOUT);

  it('rollback without a version goes back to the newest earlier deployment with one version at 100 %', async () => {
    const [v1, v2] = versionIds();
    expect((await run(['versions', 'deploy', `${v2}@100%`, '--yes'])).code).toBe(0);
    const seen = await run(['rollback', '--message', 'bad release']);
    expect(seen.code).toBe(0);
    expect(seen.stdout).toContain(`Worker Version ${v1} has been deployed to 100% of traffic.`);
    expect(serving()).toEqual([{ version_id: v1, percentage: 100 }]);
    expect(store.currentDeployment('shop')?.annotations['workers/message']).toBe('bad release');
  }, 2 * WRANGLER_TIMEOUT);

  it('secret put makes a new version with the secret and deploys it; secret list names it', async () => {
    const [, v2] = versionIds();
    // Cloudflare refuses a secret change while the latest version is not the one serving all traffic.
    const refused = await run(['secret', 'put', 'API_KEY'], { input: 'first-value' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("the latest version of your Worker isn't currently deployed");
    expect((await run(['versions', 'deploy', `${v2}@100%`, '--yes'])).code).toBe(0);
    const seen = await run(['secret', 'put', 'API_KEY'], { input: 'first-value' });
    expect(seen.code).toBe(0);
    expect(seen.stdout).toContain('Success! Uploaded secret API_KEY');
    const v3 = versionIds()[2];
    expect(serving()).toEqual([{ version_id: v3, percentage: 100 }]);
    expect(store.worker('shop')!.versions[2]!.metadata.annotations).toMatchObject({ 'workers/triggered_by': 'secret' });
    const listed = await run(['secret', 'list']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([{ name: 'API_KEY', type: 'secret_text' }]);
    const viewed = await run(['versions', 'view', v3!, '--json']);
    expect(JSON.parse(viewed.stdout).resources.bindings).toContainEqual({ name: 'API_KEY', type: 'secret_text' });
    expect(viewed.stdout).not.toContain('first-value');
  }, 4 * WRANGLER_TIMEOUT);

  it('a version whose secrets changed since it was uploaded is refused with 10220 naming them; rollback forces past it', async () => {
    expect((await run(['secret', 'put', 'API_KEY'], { input: 'second-value' })).code).toBe(0);
    const v3 = versionIds()[2]!;
    const refused = await run(['versions', 'deploy', `${v3}@100%`, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The following secrets have changed: API_KEY [code: 10220]');
    expect(serving()).toEqual([{ version_id: versionIds()[3], percentage: 100 }]);

    // wrangler's non-interactive rollback answers its own "continue?" with yes and retries with force=true.
    const seen = await run(['rollback', v3, '--message', 'back to the first key']);
    expect(seen.code).toBe(0);
    expect(seen.stdout).toContain(`The following secrets have changed since version ${v3} was deployed`);
    expect(seen.stdout).toContain('* API_KEY');
    expect(seen.calls.filter((call) => call.startsWith('POST'))).toEqual([
      'POST /workers/scripts/shop/deployments',
      'POST /workers/scripts/shop/deployments?force=true'
    ]);
    expect(store.calls.filter((call) => call.method === 'POST').at(-2)?.status).toBe(400);
    expect(serving()).toEqual([{ version_id: v3, percentage: 100 }]);
  }, 2 * WRANGLER_TIMEOUT);

  it('a Worker that throws at start-up is refused with 10021 and not stored', async () => {
    const before = versionIds().length;
    const seen = await run(['versions', 'upload'], { cwd: path.join(work, 'broken') });
    expect(seen.code).toBe(1);
    expect(seen.stderr).toContain('Uncaught Error: boom at start-up');
    expect(seen.stderr).toContain('[code: 10021]');
    expect(versionIds().length).toBe(before);
  }, WRANGLER_TIMEOUT);

  it('a wrong token is refused with an authentication error', async () => {
    const seen = await runWrangler(['versions', 'list', '--json'], {
      env: { ...wrangler.env, CLOUDFLARE_API_TOKEN: 'not-the-token' },
      cwd: path.join(work, 'shop')
    });
    expect(seen.code).toBe(1);
    expect(stripVTControlCharacters(seen.stderr)).toContain('Authentication error [code: 10000]');
  }, WRANGLER_TIMEOUT);
});

describe('the stand-in itself', () => {
  it('refuses calls without the bearer token, records every call, and answers GraphQL only when given analytics', async () => {
    const anonymous = await callApi('GET', `/accounts/${store.accountId}/workers/services/shop`, undefined, 'wrong');
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.errors[0].code).toBe(ErrorCode.authentication);
    expect(store.calls.at(-1)).toMatchObject({ method: 'GET', status: 403 });
    const graphql = await callApi('POST', '/graphql', { query: '{ viewer { accounts { workersInvocationsAdaptive { sum { requests } } } } }' });
    expect(graphql.status).toBe(200);
    expect(graphql.body.data).toBeNull();
    expect(graphql.body.errors[0].message).toContain('not served');
  });
});

describe('hermetic wrangler', () => {
  async function connections(file: string): Promise<Array<Record<string, unknown>>> {
    const text = await readFile(file, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('every wrangler run above opened connections to the stand-in on 127.0.0.1 only', async () => {
    const seen = await connections(guardLog);
    const apiPort = new URL(api.url).port;
    // The guard was loaded in wrangler's processes: it saw their calls to the stand-in.
    expect(seen.filter((entry) => entry.kind === 'connect' && String(entry.port) === apiPort).length).toBeGreaterThan(20);
    const elsewhere = seen.filter((entry) => entry.kind !== 'ipc' && !(entry.host === '127.0.0.1' && entry.allowed === true));
    expect(elsewhere).toEqual([]);
  });

  it('the guard catches (and refuses) a connection wrangler tries elsewhere: the npm update check without its cache file', async () => {
    const project = path.join(work, 'unknown-field');
    await mkdir(project);
    await writeFile(path.join(project, 'worker.js'), WORKER);
    // A field wrangler does not know makes it look for a newer wrangler (an update check).
    await writeFile(path.join(project, 'wrangler.toml'), 'name = "shop"\nmain = "worker.js"\ncompatibility_date = "2025-06-01"\nnot_a_wrangler_field = true\n');
    const withCache = path.join(work, 'with-cache.jsonl');
    const cached = await runWrangler(['versions', 'list', '--json'], { env: { ...wrangler.env, CONNECT_GUARD_LOG: withCache }, cwd: project });
    expect(cached.code).toBe(0);
    expect((await connections(withCache)).filter((entry) => entry.allowed !== true)).toEqual([]);

    const fresh = await wranglerEnvironment(api, { accountId: store.accountId, token: TOKEN, nodeOptions: `--import=${guard}` });
    try {
      await rm(path.join(fresh.dir, 'update-check'), { recursive: true });
      const withoutCache = path.join(work, 'without-cache.jsonl');
      await runWrangler(['versions', 'list', '--json'], { env: { ...fresh.env, CONNECT_GUARD_LOG: withoutCache }, cwd: project });
      expect((await connections(withoutCache)).filter((entry) => entry.allowed !== true)).toEqual([
        expect.objectContaining({ kind: 'connect', host: 'registry.npmjs.org', port: 443 })
      ]);
    } finally {
      await fresh.cleanup();
    }
  }, 2 * WRANGLER_TIMEOUT);
});
