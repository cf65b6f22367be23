// A stand-in for the part of Cloudflare's API (https://api.cloudflare.com/client/v4) that wrangler's
// `versions upload|list|view|deploy`, `deployments list|status`, `rollback`, `secret put|list|delete`
// and `deploy` use. Paths, query parameters, bodies and the response fields wrangler reads come from
// wrangler 4.164.0's own source (wrangler-dist/cli.js); the answers keep Cloudflare's
// `{success, errors, messages, result}` envelope and its error codes, so wrangler prints what a user
// would see. Every call is recorded in store.calls.
//
// Erasable TypeScript importing only `./x.ts` siblings, so plain Node 24 can run the bed's CLI.

import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudflareStore, StoredDeployment, StoredModule, StoredVersion, WorkerState } from './store.ts';

export interface CloudflareApiOptions {
  /** The API token wrangler must send as `Authorization: Bearer <token>`. */
  token: string;
  /** POST /client/v4/graphql is answered by this (the data plane's analytics). */
  graphql?: (query: string, variables: Record<string, unknown>) => Promise<unknown>;
  /** Called on every upload before it is stored: a reason string refuses it with 10021. */
  validateStartup?: (worker: string, version: StoredVersion) => Promise<string | undefined>;
  /** Author recorded on versions and deployments. */
  authorEmail?: string;
}

export interface CloudflareApi {
  /** The base URL wrangler takes as CLOUDFLARE_API_BASE_URL, e.g. http://127.0.0.1:PORT/client/v4. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Error codes the stand-in answers with. 10000, 10007, 10021, 10215 and 10220 are the codes wrangler's
 * source acts on; 100146 is what Cloudflare answers for an unknown version id (as API clients tested
 * against it record); 7000/7003 are Cloudflare's routing errors. Cloudflare documents no code for an
 * invalid deployment body: 10001 stands in for it.
 */
export const ErrorCode = {
  /** A bad or missing token (wrangler then explains authentication, calling /user/tokens/verify). */
  authentication: 10000,
  /** A path with nothing behind it. */
  noRoute: 7000,
  /** An account id that is not this account. */
  invalidObjectIdentifier: 7003,
  /** workers.api.error.script_not_found: wrangler tells "worker not found" by this code. */
  workerNotFound: 10007,
  /** The Worker threw while starting (also used by Cloudflare for other validation failures). */
  scriptValidation: 10021,
  /** A version id the Worker does not have. */
  versionNotFound: 100146,
  /** A secret changed since the version was uploaded; `?force=true` overrides (wrangler's CANNOT_ROLLBACK_WITH_MODIFIED_SECERT_CODE). */
  secretsChanged: 10220,
  /** `secret put` while the latest version is not the one serving 100 % (wrangler's VERSION_NOT_DEPLOYED_ERR_CODE). */
  latestVersionNotDeployed: 10215,
  /** A malformed request body or an invalid deployment. */
  badRequest: 10001,
  /** A secret name the Worker does not have. */
  secretNotFound: 10056
} as const;

class ApiFailure extends Error {
  readonly status: number;
  readonly code: number;
  constructor(status: number, code: number, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

interface ApiCall {
  store: CloudflareStore;
  options: CloudflareApiOptions;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Per Worker settings that are not versioned (logpush, observability, tail consumers, tags). */
  scriptSettings: Map<string, Record<string, unknown>>;
  /** Per Worker workers.dev state (the bed serves Workers through its router, never on workers.dev). */
  subdomains: Map<string, { enabled: boolean; previews_enabled: boolean }>;
}

/** What a handler answers: `result` inside the envelope (optionally `result_info`), or a `raw` body. */
type Answer = { result: unknown; resultInfo?: Record<string, unknown> } | { raw: unknown };

type Handler = (call: ApiCall) => Promise<Answer> | Answer;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

const WORKERS = '/accounts/:account/workers';
const SCRIPT = `${WORKERS}/scripts/:worker`;

/** Every call wrangler makes for the commands this bed supports. */
const ROUTES: Route[] = [
  route('GET', `${WORKERS}/services/:worker`, getService),
  route('PUT', SCRIPT, putScript),
  route('GET', `${SCRIPT}/settings`, getSettings),
  route('PATCH', `${SCRIPT}/script-settings`, patchScriptSettings),
  route('GET', `${SCRIPT}/script-settings`, getScriptSettings),
  route('GET', `${SCRIPT}/secrets`, listSecrets),
  route('PUT', `${SCRIPT}/secrets`, putSecret),
  route('DELETE', `${SCRIPT}/secrets/:secret`, deleteSecret),
  route('POST', `${SCRIPT}/versions`, uploadVersion),
  route('GET', `${SCRIPT}/versions`, listVersions),
  route('GET', `${SCRIPT}/versions/:version`, getVersion),
  route('GET', `${SCRIPT}/deployments`, listDeployments),
  route('POST', `${SCRIPT}/deployments`, createDeployment),
  route('GET', `${WORKERS}/workers/:worker`, getWorker),
  route('POST', `${SCRIPT}/subdomain`, postScriptSubdomain),
  route('GET', '/accounts', listAccounts),
  route('GET', '/memberships', listMemberships),
  route('GET', '/user', getUser),
  route('GET', '/user/tokens/verify', verifyToken),
  route('POST', '/graphql', graphql)
];

function route(method: string, template: string, handler: Handler): Route {
  const names: string[] = [];
  const source = template.replace(/:([a-z]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), names, handler };
}

export async function startCloudflareApi(store: CloudflareStore, options: CloudflareApiOptions): Promise<CloudflareApi> {
  const state = { scriptSettings: new Map(), subdomains: new Map() } satisfies Pick<ApiCall, 'scriptSettings' | 'subdomains'>;
  const server = createServer((request, response) => {
    void answer(store, options, state, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/client/v4`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

const BODY_LIMIT = 100 * 1024 * 1024;

async function answer(
  store: CloudflareStore,
  options: CloudflareApiOptions,
  state: Pick<ApiCall, 'scriptSettings' | 'subdomains'>,
  request: IncomingMessage,
  response: ServerResponse
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const method = request.method ?? 'GET';
  let status = 200;
  let envelope: Record<string, unknown>;
  try {
    const body = await readBody(request);
    const path = url.pathname.replace(/^\/client\/v4/, '') || '/';
    if (request.headers.authorization !== `Bearer ${options.token}`) throw authenticationFailure(path);
    const { handler, params } = findRoute(method, path);
    if (params.account !== undefined && params.account !== store.accountId) {
      throw new ApiFailure(404, ErrorCode.invalidObjectIdentifier, `Could not route to ${path}, perhaps your object identifier is invalid?`);
    }
    const answered = await handler({ store, options, params, query: url.searchParams, headers: request.headers, body, ...state });
    if ('raw' in answered) {
      envelope = answered.raw as Record<string, unknown>;
    } else {
      envelope = { success: true, errors: [], messages: [], result: answered.result };
      if (answered.resultInfo) envelope.result_info = answered.resultInfo;
    }
  } catch (error) {
    const failure =
      error instanceof ApiFailure ? error : new ApiFailure(500, 10013, `An unknown error has occurred: ${(error as Error).message}`);
    status = failure.status;
    envelope = { success: false, errors: [{ code: failure.code, message: failure.message }], messages: [], result: null };
  }
  store.calls.push({ method, path: url.pathname + url.search, status, at: Date.now() });
  const text = JSON.stringify(envelope);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** How Cloudflare refuses a bad token; wrangler then explains it, calling /user/tokens/verify, /user, /accounts. */
function authenticationFailure(path: string): ApiFailure {
  if (path === '/user/tokens/verify') return new ApiFailure(401, 1000, 'Invalid API Token');
  return new ApiFailure(403, ErrorCode.authentication, 'Authentication error');
}

function findRoute(method: string, path: string): { handler: Handler; params: Record<string, string> } {
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    candidate.names.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1] ?? '')));
    return { handler: candidate.handler, params };
  }
  throw new ApiFailure(404, ErrorCode.noRoute, 'No route for that URI');
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new ApiFailure(413, ErrorCode.badRequest, 'Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function jsonBody(call: ApiCall): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(call.body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ApiFailure(400, ErrorCode.badRequest, 'Request body is not a JSON object');
}

// --- Workers ---------------------------------------------------------------------------------------

function workerOf(call: ApiCall): WorkerState {
  const worker = call.store.worker(call.params.worker ?? '');
  if (!worker) throw new ApiFailure(404, ErrorCode.workerNotFound, 'This Worker does not exist on your account.');
  return worker;
}

function versionOf(worker: WorkerState, id: string): StoredVersion {
  const version = worker.versions.find((candidate) => candidate.id === id);
  if (!version) throw new ApiFailure(404, ErrorCode.versionNotFound, `Version ${id} of Worker ${worker.name} was not found.`);
  return version;
}

function authorOf(call: ApiCall): string {
  return call.options.authorEmail ?? 'bed@example.com';
}

function getService(call: ApiCall): Answer {
  const worker = workerOf(call);
  const first = worker.versions[0];
  const latest = worker.versions.at(-1);
  return {
    result: {
      id: worker.name,
      default_environment: {
        environment: 'production',
        created_on: first?.createdOn,
        modified_on: latest?.createdOn,
        script: {
          id: worker.name,
          tag: scriptTag(worker.name),
          tags: call.scriptSettings.get(worker.name)?.tags ?? [],
          etag: latest ? etagOf(latest) : undefined,
          handlers: ['fetch'],
          last_deployed_from: 'wrangler',
          created_on: first?.createdOn,
          modified_on: latest?.createdOn,
          usage_model: 'standard'
        }
      },
      created_on: first?.createdOn,
      modified_on: latest?.createdOn
    }
  };
}

/** `wrangler deploy` of a Worker that does not exist yet: upload a version and deploy it to 100 %. */
async function putScript(call: ApiCall): Promise<Answer> {
  const name = call.params.worker ?? '';
  const existing = call.store.worker(name);
  const worker: WorkerState = existing ?? { name, versions: [], deployments: [], secrets: new Map() };
  const version = await acceptUpload(call, worker, 'upload');
  if (!existing) call.store.workers.set(name, worker);
  storeVersion(call, worker, version);
  storeDeployment(call, worker, [{ version_id: version.id, percentage: 100 }], { 'workers/triggered_by': 'upload' });
  return {
    result: {
      id: name,
      tag: scriptTag(name),
      etag: etagOf(version),
      handlers: ['fetch'],
      compatibility_date: version.metadata.compatibility_date,
      compatibility_flags: version.metadata.compatibility_flags ?? [],
      created_on: worker.versions[0]?.createdOn,
      modified_on: version.createdOn,
      usage_model: 'standard',
      last_deployed_from: 'wrangler',
      deployment_id: version.id,
      startup_time_ms: 1,
      has_modules: true,
      logpush: false
    }
  };
}

function getSettings(call: ApiCall): Answer {
  const worker = workerOf(call);
  const latest = worker.versions.at(-1);
  const settings = call.scriptSettings.get(worker.name) ?? {};
  return {
    result: {
      bindings: latest ? bindingsOf(latest) : [],
      compatibility_date: latest?.metadata.compatibility_date,
      compatibility_flags: latest?.metadata.compatibility_flags ?? [],
      logpush: settings.logpush ?? false,
      observability: settings.observability ?? { enabled: false },
      placement: {},
      tags: settings.tags ?? [],
      tail_consumers: settings.tail_consumers ?? [],
      usage_model: 'standard'
    }
  };
}

function getScriptSettings(call: ApiCall): Answer {
  const worker = workerOf(call);
  return {
    result: { logpush: false, observability: { enabled: false }, tail_consumers: [], ...call.scriptSettings.get(worker.name) }
  };
}

function patchScriptSettings(call: ApiCall): Answer {
  const worker = workerOf(call);
  const merged = { ...call.scriptSettings.get(worker.name), ...jsonBody(call) };
  call.scriptSettings.set(worker.name, merged);
  return getScriptSettings(call);
}

// --- Versions --------------------------------------------------------------------------------------

async function uploadVersion(call: ApiCall): Promise<Answer> {
  const worker = workerOf(call);
  const version = await acceptUpload(call, worker, 'upload');
  storeVersion(call, worker, version);
  return { result: versionView(call, version) };
}

/** Parses a multipart upload (a `metadata` JSON part, then one part per module) into a version. */
async function acceptUpload(call: ApiCall, worker: WorkerState, triggeredBy: string): Promise<StoredVersion> {
  const contentType = call.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    throw new ApiFailure(400, ErrorCode.badRequest, 'Expected a multipart/form-data upload');
  }
  // Node's own multipart parser (undici's Request.formData()).
  const form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': contentType }, body: call.body }).formData();
  const metadataPart = form.get('metadata');
  if (metadataPart === null) throw new ApiFailure(400, ErrorCode.badRequest, 'The upload has no metadata part');
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(typeof metadataPart === 'string' ? metadataPart : await metadataPart.text()) as Record<string, unknown>;
  } catch {
    throw new ApiFailure(400, ErrorCode.badRequest, 'The metadata part is not JSON');
  }
  const modules: StoredModule[] = [];
  for (const [name, part] of form) {
    if (name === 'metadata' || typeof part === 'string' || part.type === 'application/source-map') continue;
    modules.push({ name, contentType: part.type, content: Buffer.from(await part.arrayBuffer()) });
  }
  const mainModule = metadata.main_module ?? metadata.body_part;
  if (typeof mainModule !== 'string' || !modules.some((module) => module.name === mainModule)) {
    throw new ApiFailure(400, ErrorCode.badRequest, `No such module "${String(mainModule)}" in the upload`);
  }
  const annotations = { ...(metadata.annotations as Record<string, unknown> | undefined), 'workers/triggered_by': triggeredBy };
  const keepsSecrets = Array.isArray(metadata.keep_bindings) && metadata.keep_bindings.includes('secret_text');
  const version: StoredVersion = {
    id: randomUUID(),
    number: (worker.versions.at(-1)?.number ?? 0) + 1,
    createdOn: new Date().toISOString(),
    metadata: { ...metadata, annotations },
    modules,
    secretGenerations: keepsSecrets ? currentGenerations(worker) : {}
  };
  const refusal = await call.options.validateStartup?.(worker.name, version);
  if (refusal !== undefined) throw new ApiFailure(400, ErrorCode.scriptValidation, refusal);
  return version;
}

function storeVersion(call: ApiCall, worker: WorkerState, version: StoredVersion): void {
  worker.versions.push(version);
  call.store.emit('version', worker.name, version);
}

function currentGenerations(worker: WorkerState): Record<string, number> {
  return Object.fromEntries([...worker.secrets].map(([name, secret]) => [name, secret.generation]));
}

function listVersions(call: ApiCall): Answer {
  const worker = workerOf(call);
  const newestFirst = [...worker.versions].reverse();
  const { items, resultInfo } = page(newestFirst, call.query);
  return { result: { items: items.map((version) => versionView(call, version)) }, resultInfo };
}

function getVersion(call: ApiCall): Answer {
  const worker = workerOf(call);
  return { result: versionView(call, versionOf(worker, call.params.version ?? '')) };
}

/** Cloudflare's page/per_page pagination; without per_page, everything. */
function page<T>(all: T[], query: URLSearchParams): { items: T[]; resultInfo: Record<string, unknown> } {
  const perPage = Number(query.get('per_page') ?? all.length) || all.length;
  const pageNumber = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const items = all.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  return { items, resultInfo: { page: pageNumber, per_page: perPage, count: items.length, total_count: all.length } };
}

/** A version as Cloudflare answers it (GET versions/:id), with the fields wrangler reads. */
function versionView(call: ApiCall, version: StoredVersion): Record<string, unknown> {
  const metadata = version.metadata;
  return {
    id: version.id,
    number: version.number,
    metadata: {
      author_email: authorOf(call),
      author_id: 'bed',
      created_on: version.createdOn,
      modified_on: version.createdOn,
      source: 'wrangler',
      has_preview: false
    },
    annotations: metadata.annotations ?? {},
    resources: {
      bindings: bindingsOf(version),
      script: {
        etag: etagOf(version),
        handlers: ['fetch'],
        last_deployed_from: 'wrangler'
      },
      script_runtime: {
        compatibility_date: metadata.compatibility_date,
        compatibility_flags: metadata.compatibility_flags ?? [],
        usage_model: 'standard',
        limits: metadata.limits ?? {}
      }
    },
    startup_time_ms: 1
  };
}

/** The version's bindings as the API lists them: secrets by name only. */
function bindingsOf(version: StoredVersion): unknown[] {
  const declared = Array.isArray(version.metadata.bindings) ? (version.metadata.bindings as Array<Record<string, unknown>>) : [];
  const secrets = Object.keys(version.secretGenerations).map((name) => ({ name, type: 'secret_text' }));
  return [...declared.filter((binding) => binding.type !== 'secret_text'), ...secrets];
}

function etagOf(version: StoredVersion): string {
  const hash = createHash('sha256');
  for (const module of version.modules) hash.update(module.name).update(module.content);
  return hash.digest('hex');
}

function scriptTag(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 32);
}

// --- Deployments -----------------------------------------------------------------------------------

function listDeployments(call: ApiCall): Answer {
  const worker = workerOf(call);
  // Newest first, as Cloudflare answers (wrangler sorts them oldest first for display).
  return { result: { deployments: [...worker.deployments].reverse().map(deploymentView) } };
}

/** A deployment as Cloudflare answers it. */
function deploymentView(deployment: StoredDeployment): Record<string, unknown> {
  return {
    id: deployment.id,
    created_on: deployment.createdOn,
    source: deployment.source,
    strategy: deployment.strategy,
    versions: deployment.versions,
    annotations: deployment.annotations,
    author_email: deployment.author_email
  };
}

function createDeployment(call: ApiCall): Answer {
  const worker = workerOf(call);
  const body = jsonBody(call);
  if (body.strategy !== 'percentage') {
    throw new ApiFailure(400, ErrorCode.badRequest, 'Invalid deployment strategy: only "percentage" is supported');
  }
  const split = parseSplit(body.versions);
  for (const entry of split) versionOf(worker, entry.version_id);
  if (call.query.get('force') !== 'true') refuseChangedSecrets(worker, split);
  const annotations = body.annotations && typeof body.annotations === 'object' ? (body.annotations as Record<string, unknown>) : {};
  const message = typeof annotations['workers/message'] === 'string' ? annotations['workers/message'] : undefined;
  const deployment = storeDeployment(call, worker, split, {
    ...(message !== undefined && { 'workers/message': message })
  });
  return { result: deploymentView(deployment) };
}

function parseSplit(versions: unknown): Array<{ version_id: string; percentage: number }> {
  if (!Array.isArray(versions) || versions.length < 1 || versions.length > 2) {
    throw new ApiFailure(400, ErrorCode.badRequest, 'A deployment must have 1 or 2 versions');
  }
  const split = versions.map((entry: unknown) => {
    const { version_id, percentage } = (entry ?? {}) as Record<string, unknown>;
    if (typeof version_id !== 'string' || typeof percentage !== 'number' || !(percentage >= 0 && percentage <= 100)) {
      throw new ApiFailure(400, ErrorCode.badRequest, 'Each version needs a version_id and a percentage between 0 and 100');
    }
    return { version_id, percentage };
  });
  if (new Set(split.map((entry) => entry.version_id)).size !== split.length) {
    throw new ApiFailure(400, ErrorCode.badRequest, 'A version may appear only once in a deployment');
  }
  const total = split.reduce((sum, entry) => sum + entry.percentage, 0);
  if (Math.abs(total - 100) > 1e-9) {
    throw new ApiFailure(400, ErrorCode.badRequest, `The percentages of a deployment must add up to 100, not ${total}`);
  }
  return split;
}

/**
 * 10220, in the words wrangler parses (it splits the names after "The following secrets have changed:"):
 * a version joins the deployment with secrets that changed or went away since it was uploaded. Versions
 * already serving in the current deployment are not checked again.
 */
function refuseChangedSecrets(worker: WorkerState, split: Array<{ version_id: string }>): void {
  const serving = new Set(worker.deployments.at(-1)?.versions.map((entry) => entry.version_id));
  const changed = new Set<string>();
  for (const { version_id } of split) {
    if (serving.has(version_id)) continue;
    const version = versionOf(worker, version_id);
    for (const [name, generation] of Object.entries(version.secretGenerations)) {
      if (worker.secrets.get(name)?.generation !== generation) changed.add(name);
    }
  }
  if (changed.size > 0) {
    throw new ApiFailure(
      400,
      ErrorCode.secretsChanged,
      'A secret has changed since this version was active. If you are sure this is ok, add a ?force=true query parameter to allow the rollback. ' +
        `The following secrets have changed: ${[...changed].sort().join(', ')}`
    );
  }
}

function storeDeployment(
  call: ApiCall,
  worker: WorkerState,
  versions: Array<{ version_id: string; percentage: number }>,
  annotations: Record<string, string>
): StoredDeployment {
  return call.store.addDeployment(worker.name, versions, annotations, authorOf(call));
}

// --- Secrets ---------------------------------------------------------------------------------------

function listSecrets(call: ApiCall): Answer {
  const worker = workerOf(call);
  return { result: [...worker.secrets.keys()].sort().map((name) => ({ name, type: 'secret_text' })) };
}

function putSecret(call: ApiCall): Answer {
  const worker = workerOf(call);
  const body = jsonBody(call);
  if (typeof body.name !== 'string' || body.name === '' || typeof body.text !== 'string') {
    throw new ApiFailure(400, ErrorCode.badRequest, 'A secret needs a name and a text');
  }
  changeSecret(call, worker, body.name, body.text);
  return { result: { name: body.name, type: 'secret_text' } };
}

function deleteSecret(call: ApiCall): Answer {
  const worker = workerOf(call);
  const name = call.params.secret ?? '';
  if (!worker.secrets.has(name)) throw new ApiFailure(404, ErrorCode.secretNotFound, `Secret ${name} not found`);
  changeSecret(call, worker, name, undefined);
  return { result: null };
}

/**
 * A secret change makes a new version (the latest one with the changed secret) and deploys it to 100 %,
 * as Cloudflare does for `wrangler secret put|delete`; refused while the latest version is not the one
 * serving all traffic (a split in progress).
 */
function changeSecret(call: ApiCall, worker: WorkerState, name: string, value: string | undefined): void {
  const latest = worker.versions.at(-1);
  const current = worker.deployments.at(-1);
  const latestServesAll = latest && current?.versions.length === 1 && current.versions[0]?.version_id === latest.id;
  if (latest && !latestServesAll) {
    throw new ApiFailure(
      400,
      ErrorCode.latestVersionNotDeployed,
      'The latest version of this Worker is not fully deployed: deploy it first, or change secrets with `wrangler versions secret`.'
    );
  }
  const generation = (worker.secrets.get(name)?.generation ?? 0) + 1;
  if (value === undefined) worker.secrets.delete(name);
  else worker.secrets.set(name, { generation, value });
  if (!latest) return;
  const version: StoredVersion = {
    ...latest,
    id: randomUUID(),
    number: latest.number + 1,
    createdOn: new Date().toISOString(),
    metadata: { ...latest.metadata, annotations: { 'workers/triggered_by': 'secret' } },
    secretGenerations: currentGenerations(worker)
  };
  storeVersion(call, worker, version);
  storeDeployment(call, worker, [{ version_id: version.id, percentage: 100 }], { 'workers/triggered_by': 'secret' });
}

// --- Account, user, the Workers resource ---------------------------------------------------------------------

/** The Workers "beta" resource: `wrangler deploy` reads the workers.dev subdomain state from it. */
function getWorker(call: ApiCall): Answer {
  const worker = workerOf(call);
  return {
    result: {
      id: scriptTag(worker.name),
      name: worker.name,
      created_on: worker.versions[0]?.createdOn,
      updated_on: worker.versions.at(-1)?.createdOn,
      subdomain: call.subdomains.get(worker.name) ?? { enabled: false, previews_enabled: false }
    }
  };
}

function postScriptSubdomain(call: ApiCall): Answer {
  const worker = workerOf(call);
  const body = jsonBody(call);
  const subdomain = { enabled: body.enabled === true, previews_enabled: body.previews_enabled === true };
  call.subdomains.set(worker.name, subdomain);
  return { result: subdomain };
}

function listAccounts(call: ApiCall): Answer {
  return { result: [{ id: call.store.accountId, name: 'Test bed account' }] };
}

function listMemberships(call: ApiCall): Answer {
  return { result: [{ id: 'membership', account: { id: call.store.accountId, name: 'Test bed account' } }] };
}

function getUser(call: ApiCall): Answer {
  return { result: { id: 'bed', email: authorOf(call) } };
}

function verifyToken(): Answer {
  return { result: { id: 'bed-token', status: 'active' } };
}

// --- GraphQL analytics -----------------------------------------------------------------------------

/** GraphQL answers outside the REST envelope: `{data, errors}`, as Cloudflare's GraphQL endpoint does. */
async function graphql(call: ApiCall): Promise<Answer> {
  return { raw: await graphqlAnswer(call) };
}

async function graphqlAnswer(call: ApiCall): Promise<unknown> {
  const body = jsonBody(call);
  const query = typeof body.query === 'string' ? body.query : '';
  const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
  if (!call.options.graphql) {
    return { data: null, errors: [{ message: 'The GraphQL Analytics API is not served by this bed (no analytics configured)', extensions: { code: 'NOT_IMPLEMENTED' } }] };
  }
  return call.options.graphql(query, variables);
}
