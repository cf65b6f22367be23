// A local stand-in for GitHub's Actions results service: the Twirp JSON API behind the real
// @actions/artifact client (and the v2 cache API of @actions/cache), with Azurite as its blob storage.
// Like the real service it never touches artifact bytes on the way in or out: it hands out short-lived
// SAS URLs and the clients talk to blob storage themselves, so the whole real client path runs here.
//
// What the clients need from their environment (see `env`):
//   ACTIONS_RUNTIME_TOKEN  a JWT whose `scp` holds `Actions.Results:<runBackendId>:<jobBackendId>`;
//                          the clients read the backend ids from it and send it as a bearer token
//   ACTIONS_RESULTS_URL    this server; the clients post to <origin>/twirp/<service>/<method>
//   GITHUB_SERVER_URL      must look like github.com, or both clients refuse to run (GHES is unsupported)
//   ACTIONS_CACHE_SERVICE_V2  makes @actions/cache speak the Twirp cache API below instead of the v1 REST one
//
// Written as erasable TypeScript with type-only relative imports, so plain Node 24 scripts can load it.

import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobSASPermissions, BlobServiceClient, StorageSharedKeyCredential, generateBlobSASQueryParameters, type ContainerClient } from '@azure/storage-blob';
import type { Azurite } from './azurite.js';

export interface ArtifactRecord {
  id: number;
  name: string;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  /** False between CreateArtifact and FinalizeArtifact; only finalized artifacts are listed or served. */
  finalized: boolean;
  /** Bytes, as the client reported when finalizing. */
  size: number;
  /** `sha256:<hex>`, as the client reported when finalizing. */
  digest?: string;
  /** What Azurite holds at finalize time, measured by the stand-in, to check the client's report against. */
  stored?: { bytes: number; sha256: string; contentType?: string };
  mimeType?: string;
  createdAt: Date;
  expiresAt?: Date;
  blobName: string;
}

export interface CacheEntryRecord {
  id: number;
  key: string;
  version: string;
  finalized: boolean;
  size: number;
  createdAt: Date;
  blobName: string;
}

export interface ServiceCall {
  /** `<service>/<method>`, e.g. `github.actions.results.api.v1.ArtifactService/CreateArtifact`. */
  route: string;
  status: number;
  /** The Twirp error code when the call failed. */
  code?: string;
}

export interface ResultsService {
  /** Origin of the Twirp API, e.g. http://127.0.0.1:40123 */
  url: string;
  runtimeToken: string;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  /** Everything the clients need on top of what the runner (or the harness) provides. */
  env: Record<string, string>;
  /** Every artifact record, pending ones included, oldest first. */
  artifacts(): ArtifactRecord[];
  cacheEntries(): CacheEntryRecord[];
  /** Every Twirp call answered so far, in order. */
  calls(): ServiceCall[];
  stop(): Promise<void>;
}

export interface ResultsServiceOptions {
  azurite: Pick<Azurite, 'blobEndpoint' | 'accountName' | 'accountKey'>;
  /** Blob container the stand-in keeps artifacts and caches in; created when missing. */
  container?: string;
}

const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService';
const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService';
const MAX_REQUEST_BYTES = 1024 * 1024;
const TOKEN_LIFETIME_S = 6 * 60 * 60;
const SIGNED_URL_LIFETIME_MS = 60 * 60 * 1000;

type Json = Record<string, unknown>;

/** The caller, as its runtime token says. */
interface Caller {
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
}

type Handler = (request: Json, caller: Caller) => Promise<Json>;

const TWIRP_STATUS: Record<string, number> = {
  invalid_argument: 400,
  malformed: 400,
  unauthenticated: 401,
  permission_denied: 403,
  bad_route: 404,
  not_found: 404,
  already_exists: 409,
  internal: 500
};

/** A Twirp error: the clients show `msg`; the HTTP status decides whether they retry (5xx do). */
class TwirpError extends Error {
  code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export async function startResultsService(options: ResultsServiceOptions): Promise<ResultsService> {
  const { azurite } = options;
  const credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
  const containerName = options.container ?? 'actions-results';
  const container = new BlobServiceClient(azurite.blobEndpoint, credential).getContainerClient(containerName);
  await container.createIfNotExists();

  const signingKey = randomBytes(32);
  const workflowRunBackendId = randomUUID();
  const workflowJobRunBackendId = randomUUID();
  const runtimeToken = signToken(signingKey, { workflowRunBackendId, workflowJobRunBackendId });

  const artifacts: ArtifactRecord[] = [];
  const cacheEntries: CacheEntryRecord[] = [];
  const calls: ServiceCall[] = [];
  let nextId = 1;

  const signedUrl = (blobName: string, permissions: 'cw' | 'r', contentDisposition?: string): string => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + SIGNED_URL_LIFETIME_MS),
        ...(contentDisposition ? { contentDisposition } : {})
      },
      credential
    ).toString();
    return `${container.getBlockBlobClient(blobName).url}?${sas}`;
  };

  const finalizedArtifact = (runId: string, name: string, jobId?: string) =>
    artifacts.findLast(
      (artifact) =>
        artifact.finalized && artifact.workflowRunBackendId === runId && artifact.name === name && (jobId === undefined || artifact.workflowJobRunBackendId === jobId)
    );

  // The Twirp methods served, by `<service>/<method>`. Another client (a later results API, the v1
  // cache REST API under another path) is added here or beside `handle` below.
  const routes: Record<string, Handler> = {
    async [`${ARTIFACT_SERVICE}/CreateArtifact`](request, caller) {
      const ids = ownBackendIds(request, caller);
      const name = requiredString(request, 'name');
      if (finalizedArtifact(ids.workflowRunBackendId, name)) {
        throw new TwirpError('already_exists', `an artifact with the name '${name}' already exists on this workflow run`);
      }
      // A retried upload that never finalized is replaced, not kept as a second pending record.
      const pending = artifacts.findIndex((artifact) => !artifact.finalized && artifact.workflowRunBackendId === ids.workflowRunBackendId && artifact.name === name);
      if (pending >= 0) artifacts.splice(pending, 1);
      const id = nextId++;
      const expiresAt = optionalString(request, 'expires_at');
      const mimeType = optionalString(request, 'mime_type');
      const record: ArtifactRecord = {
        id,
        name,
        ...ids,
        finalized: false,
        size: 0,
        createdAt: new Date(),
        blobName: `artifacts/${ids.workflowRunBackendId}/${id}`,
        ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}),
        ...(mimeType ? { mimeType } : {})
      };
      artifacts.push(record);
      return { ok: true, signed_upload_url: signedUrl(record.blobName, 'cw') };
    },

    async [`${ARTIFACT_SERVICE}/FinalizeArtifact`](request, caller) {
      const ids = ownBackendIds(request, caller);
      const name = requiredString(request, 'name');
      const record = artifacts.findLast(
        (artifact) => !artifact.finalized && artifact.workflowJobRunBackendId === ids.workflowJobRunBackendId && artifact.name === name
      );
      if (!record) throw new TwirpError('not_found', `no upload in progress for an artifact named '${name}'; call CreateArtifact first`);
      const stored = await measureBlob(container, record.blobName);
      if (!stored) throw new TwirpError('not_found', `nothing was uploaded for the artifact '${name}'; upload to its signed_upload_url before finalizing`);
      const digest = optionalString(request, 'hash');
      Object.assign(record, { finalized: true, size: integer(request, 'size'), stored, ...(digest ? { digest } : {}) });
      return { ok: true, artifact_id: String(record.id) };
    },

    async [`${ARTIFACT_SERVICE}/ListArtifacts`](request, caller) {
      const runId = callerRun(request, caller);
      const nameFilter = optionalString(request, 'name_filter');
      const idFilter = optionalString(request, 'id_filter');
      const listed = artifacts.filter(
        (artifact) =>
          artifact.finalized &&
          artifact.workflowRunBackendId === runId &&
          (nameFilter === undefined || artifact.name === nameFilter) &&
          (idFilter === undefined || String(artifact.id) === idFilter)
      );
      return {
        artifacts: listed.map((artifact) => ({
          workflow_run_backend_id: artifact.workflowRunBackendId,
          workflow_job_run_backend_id: artifact.workflowJobRunBackendId,
          database_id: String(artifact.id),
          name: artifact.name,
          size: String(artifact.size),
          created_at: artifact.createdAt.toISOString(),
          ...(artifact.digest ? { digest: artifact.digest } : {})
        }))
      };
    },

    async [`${ARTIFACT_SERVICE}/GetSignedArtifactURL`](request, caller) {
      const runId = callerRun(request, caller);
      const name = requiredString(request, 'name');
      const record = finalizedArtifact(runId, name, requiredString(request, 'workflow_job_run_backend_id'));
      if (!record) throw new TwirpError('not_found', `no artifact named '${name}' on this workflow run`);
      // The client names a raw (unzipped) download after Content-Disposition, as it does on GitHub.
      return { signed_url: signedUrl(record.blobName, 'r', attachment(record.name)) };
    },

    async [`${ARTIFACT_SERVICE}/DeleteArtifact`](request, caller) {
      const runId = callerRun(request, caller);
      const name = requiredString(request, 'name');
      const record = finalizedArtifact(runId, name, requiredString(request, 'workflow_job_run_backend_id'));
      if (!record) throw new TwirpError('not_found', `no artifact named '${name}' on this workflow run`);
      await container.deleteBlob(record.blobName, { deleteSnapshots: 'include' }).catch(() => undefined);
      artifacts.splice(artifacts.indexOf(record), 1);
      return { ok: true, artifact_id: String(record.id) };
    },

    // Cache v2. Entries are scoped to the stand-in (one repository, one branch): GitHub's per-branch
    // scopes are not emulated.
    async [`${CACHE_SERVICE}/CreateCacheEntry`](request) {
      const key = requiredString(request, 'key');
      const version = requiredString(request, 'version');
      if (cacheEntries.some((entry) => entry.key === key && entry.version === version)) {
        throw new TwirpError('already_exists', `a cache entry for key '${key}' and this version already exists or is being uploaded`);
      }
      const id = nextId++;
      const entry: CacheEntryRecord = { id, key, version, finalized: false, size: 0, createdAt: new Date(), blobName: `caches/${id}` };
      cacheEntries.push(entry);
      return { ok: true, signed_upload_url: signedUrl(entry.blobName, 'cw') };
    },

    async [`${CACHE_SERVICE}/FinalizeCacheEntryUpload`](request) {
      const key = requiredString(request, 'key');
      const version = requiredString(request, 'version');
      const entry = cacheEntries.find((candidate) => !candidate.finalized && candidate.key === key && candidate.version === version);
      if (!entry) return { ok: false, message: `no cache upload in progress for key '${key}'` };
      const stored = await measureBlob(container, entry.blobName);
      if (!stored) return { ok: false, message: `nothing was uploaded for the cache key '${key}'` };
      Object.assign(entry, { finalized: true, size: integer(request, 'size_bytes') });
      return { ok: true, entry_id: String(entry.id) };
    },

    async [`${CACHE_SERVICE}/GetCacheEntryDownloadURL`](request) {
      const key = requiredString(request, 'key');
      const version = requiredString(request, 'version');
      const restoreKeys = Array.isArray(request.restore_keys) ? request.restore_keys.filter((k): k is string => typeof k === 'string') : [];
      const entry = matchCacheEntry(cacheEntries, version, key, restoreKeys);
      if (!entry) return { ok: false };
      return { ok: true, signed_download_url: signedUrl(entry.blobName, 'r'), matched_key: entry.key };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const route = (new URL(req.url ?? '/', 'http://stand-in').pathname.match(/^\/twirp\/(.+)$/)?.[1]) ?? req.url ?? '';
    const answer = (status: number, body: Json, code?: string) => {
      calls.push({ route, status, ...(code ? { code } : {}) });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const handler = Object.hasOwn(routes, route) ? routes[route] : undefined;
      if (req.method !== 'POST' || !handler) throw new TwirpError('bad_route', `no such method: ${req.method} ${req.url}`);
      const caller = authenticate(req.headers.authorization, signingKey);
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        throw new TwirpError('bad_route', 'the stand-in serves the Twirp JSON encoding only (Content-Type: application/json)');
      }
      answer(200, await handler(await readJson(req), caller));
    } catch (error) {
      // Every answer is JSON: the clients retry (for up to a minute) on a body they cannot parse.
      const twirp = error instanceof TwirpError ? error : new TwirpError('internal', error instanceof Error ? error.message : String(error));
      answer(TWIRP_STATUS[twirp.code] ?? 500, { code: twirp.code, msg: twirp.message }, twirp.code);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let stopped: Promise<void> | undefined;
  return {
    url,
    runtimeToken,
    workflowRunBackendId,
    workflowJobRunBackendId,
    env: {
      ACTIONS_RUNTIME_TOKEN: runtimeToken,
      ACTIONS_RESULTS_URL: `${url}/`,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      GITHUB_SERVER_URL: 'https://github.com'
    },
    artifacts: () => artifacts.map((artifact) => ({ ...artifact })),
    cacheEntries: () => cacheEntries.map((entry) => ({ ...entry })),
    calls: () => [...calls],
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The clients keep connections alive; close does not wait for them.
        server.closeAllConnections();
      });
      return stopped;
    }
  };
}

// ---------------------------------------------------------------------------------------------------
// Runtime token: an HS256 JWT carrying the claims the clients parse (`scp`) and the ones a real
// token also has (`ac`, the cache scopes), signed with a key only this service instance knows.

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function signToken(key: Buffer, ids: Caller): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'deploy-actions-results-stand-in',
    nbf: now - 60,
    iat: now,
    exp: now + TOKEN_LIFETIME_S,
    scp: `Actions.GenericRead:${ids.workflowRunBackendId} Actions.UploadArtifacts:${ids.workflowRunBackendId}:${ids.workflowJobRunBackendId} Actions.Results:${ids.workflowRunBackendId}:${ids.workflowJobRunBackendId}`,
    ac: JSON.stringify([{ Scope: 'refs/heads/main', Permission: 3 }])
  };
  const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

function authenticate(header: string | undefined, key: Buffer): Caller {
  const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
  if (!token) throw new TwirpError('unauthenticated', 'no bearer token: send the runtime token (ACTIONS_RUNTIME_TOKEN) in the Authorization header');
  const [head, body, signature] = token.split('.');
  const expected = createHmac('sha256', key).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature ?? '', 'base64url');
  if (!body || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new TwirpError('unauthenticated', 'the runtime token is not valid: it was not issued by this results service');
  }
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { exp?: number; scp?: string };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) throw new TwirpError('unauthenticated', 'the runtime token has expired');
  const scope = (claims.scp ?? '').split(' ').find((part) => part.startsWith('Actions.Results:'));
  const [, workflowRunBackendId, workflowJobRunBackendId] = scope?.split(':') ?? [];
  if (!workflowRunBackendId || !workflowJobRunBackendId) throw new TwirpError('permission_denied', 'the runtime token grants no Actions.Results scope');
  return { workflowRunBackendId, workflowJobRunBackendId };
}

// ---------------------------------------------------------------------------------------------------
// Requests: the clients send protobuf JSON with proto field names; int64 values arrive as strings and
// wrapper types (StringValue, Int64Value, Timestamp) as bare values.

function readJson(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_REQUEST_BYTES) {
        reject(new TwirpError('malformed', `request body over ${MAX_REQUEST_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        resolve(parsed as Json);
      } catch (error) {
        reject(new TwirpError('malformed', `request body is not a JSON object: ${error instanceof Error ? error.message : String(error)}`));
      }
    });
  });
}

/** protobuf JSON allows the lowerCamelCase name too; the clients send proto names, but accept both. */
function field(request: Json, name: string): unknown {
  return request[name] ?? request[name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())];
}

function optionalString(request: Json, name: string): string | undefined {
  const value = field(request, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new TwirpError('invalid_argument', `${name} must be a string`);
  return String(value);
}

function requiredString(request: Json, name: string): string {
  const value = optionalString(request, name);
  if (!value) throw new TwirpError('invalid_argument', `${name} is required`);
  return value;
}

/** proto3 leaves a zero out of the JSON, so an absent integer is 0. */
function integer(request: Json, name: string): number {
  const value = Number(optionalString(request, name) ?? 0);
  if (!Number.isSafeInteger(value) || value < 0) throw new TwirpError('invalid_argument', `${name} must be a non-negative integer`);
  return value;
}

/** The backend ids a write names must be the caller's own: a job writes only its own artifacts. */
function ownBackendIds(request: Json, caller: Caller): Caller {
  const ids = {
    workflowRunBackendId: requiredString(request, 'workflow_run_backend_id'),
    workflowJobRunBackendId: requiredString(request, 'workflow_job_run_backend_id')
  };
  if (ids.workflowRunBackendId !== caller.workflowRunBackendId || ids.workflowJobRunBackendId !== caller.workflowJobRunBackendId) {
    throw new TwirpError('permission_denied', 'the runtime token does not grant access to this workflow job');
  }
  return ids;
}

/** Reads are allowed across the jobs of the caller's workflow run. */
function callerRun(request: Json, caller: Caller): string {
  const runId = requiredString(request, 'workflow_run_backend_id');
  if (runId !== caller.workflowRunBackendId) throw new TwirpError('permission_denied', 'the runtime token does not grant access to this workflow run');
  return runId;
}

async function measureBlob(container: ContainerClient, blobName: string): Promise<ArtifactRecord['stored'] | undefined> {
  const blob = container.getBlobClient(blobName);
  if (!(await blob.exists())) return undefined;
  const download = await blob.download();
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of download.readableStreamBody ?? []) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    hash.update(buffer);
  }
  return { bytes, sha256: hash.digest('hex'), ...(download.contentType ? { contentType: download.contentType } : {}) };
}

function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * GitHub's documented lookup: the key exactly, then the newest entry the key prefixes, then each
 * restore key in order (newest prefix match); always for the same version.
 */
function matchCacheEntry(entries: CacheEntryRecord[], version: string, key: string, restoreKeys: string[]): CacheEntryRecord | undefined {
  const usable = entries.filter((entry) => entry.finalized && entry.version === version);
  const newestWithPrefix = (prefix: string) => usable.filter((entry) => entry.key.startsWith(prefix)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)[0];
  return usable.find((entry) => entry.key === key) ?? newestWithPrefix(key) ?? restoreKeys.map(newestWithPrefix).find((entry) => entry !== undefined);
}
