// The bed's edge: an HTTP server on 127.0.0.1 that routes each request to one version of a Worker the
// way Cloudflare's gradual deployments do, and records what it served (store.served) for the analytics.
//
// - Which Worker: the first path segment. `http://127.0.0.1:PORT/<worker>/health` reaches `/health` of
//   <worker> (the prefix is removed before the Worker sees the URL); workerUrl(name) gives that base.
// - Which version: the current deployment, read from the store on every request, split by its
//   percentages. With a propagation delay, a deployment takes effect that many milliseconds after it
//   was made (the one before it serves until then).
// - `Cloudflare-Workers-Version-Overrides: <worker>="<version-id>"` (an RFC 8941 Dictionary whose values
//   are Strings) sends the request to that version, but only if it is in the current deployment, even
//   at 0 %; otherwise, or if the header is not a valid Dictionary, the percentages decide.
//   (https://developers.cloudflare.com/workers/versions-and-deployments/version-overrides/)
// - `Cloudflare-Workers-Version-Key: <key>`: the key is hashed to a point of the split, so one key keeps
//   one version for a given deployment; as the newer version's share grows, keys already on it stay.
//   (https://developers.cloudflare.com/workers/versions-and-deployments/gradual-deployments/version-affinity/)
// - Every answer names the version in `x-testbed-version` and the Worker in `x-testbed-worker`.
//
// Erasable TypeScript importing only `./x.ts` siblings, so plain Node 24 can run the bed's CLI.

import { createHash } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudflareStore, StoredDeployment, WorkerState } from './store.ts';
import type { Lease } from './workerd.ts';

export const OVERRIDES_HEADER = 'cloudflare-workers-version-overrides';
export const VERSION_KEY_HEADER = 'cloudflare-workers-version-key';
export const VERSION_HEADER = 'x-testbed-version';
export const WORKER_HEADER = 'x-testbed-worker';

export interface VersionPorts {
  lease(worker: string, versionId: string): Promise<Lease | undefined>;
}

export interface RouterOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Milliseconds after its creation before a deployment serves; default 0. */
  propagationDelayMs?: number;
}

export interface Router {
  url: string;
  /** The base URL of one Worker, e.g. http://127.0.0.1:PORT/my-api */
  workerUrl(worker: string): string;
  stop(): Promise<void>;
}

// Hop-by-hop headers (RFC 9110 7.6.1) are the connection's, not the request's.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

export async function startRouter(store: CloudflareStore, versions: VersionPorts, options: RouterOptions = {}): Promise<Router> {
  const propagationDelayMs = options.propagationDelayMs ?? 0;
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => void route(req, res));

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = Date.now();
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://router');
    const [, worker = '', ...rest] = url.pathname.split('/');
    const state = store.worker(decodeURIComponent(worker));
    const deployment = state && effectiveDeployment(state, arrived, propagationDelayMs);
    if (state === undefined || deployment === undefined) {
      answerPlain(res, 404, `No Worker named "${worker}" is deployed on this bed. Worker URLs look like /<worker>/<path>.`);
      return;
    }
    const versionId = chooseVersion(state, deployment, req.headers[OVERRIDES_HEADER], req.headers[VERSION_KEY_HEADER]);
    res.setHeader(WORKER_HEADER, state.name);
    res.setHeader(VERSION_HEADER, versionId);
    res.once('close', () => {
      store.served.push({
        worker: state.name,
        versionId,
        at: arrived,
        status: res.statusCode,
        durationMs: performance.now() - started
      });
    });

    const lease = await versions.lease(state.name, versionId);
    if (lease === undefined) {
      answerPlain(res, 503, `Version ${versionId} of ${state.name} is not running.`);
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: lease.port, method: req.method, path: `/${rest.join('/')}${url.search}`, headers, agent },
      (answer) => {
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
        }
        res.writeHead(answer.statusCode ?? 502);
        answer.pipe(res);
        answer.once('end', lease.release);
        answer.once('error', lease.release);
      }
    );
    upstream.once('error', (error) => {
      lease.release();
      if (!res.headersSent) answerPlain(res, 502, `workerd did not answer for version ${versionId}: ${error.message}`);
      else res.destroy(error);
    });
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
      lease.release();
    });
    req.pipe(upstream);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    workerUrl: (worker) => `${url}/${encodeURIComponent(worker)}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    }
  };
}

function answerPlain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

/** The deployment serving at `now`: the newest one made at least `delayMs` ago. */
export function effectiveDeployment(state: WorkerState, now: number, delayMs: number): StoredDeployment | undefined {
  for (let index = state.deployments.length - 1; index >= 0; index--) {
    const deployment = state.deployments[index]!;
    if (Date.parse(deployment.createdOn) + delayMs <= now) return deployment;
  }
  return undefined;
}

/** The version a request goes to: a valid override of a version in the deployment, else the split. */
export function chooseVersion(
  state: WorkerState,
  deployment: StoredDeployment,
  overrides: string | string[] | undefined,
  versionKey: string | string[] | undefined
): string {
  const override = overrides === undefined ? undefined : parseDictionary(String(overrides))?.get(state.name);
  if (typeof override === 'string' && deployment.versions.some((share) => share.version_id === override)) return override;
  const point = versionKey === undefined ? Math.random() * 100 : hashToPercent(String(versionKey));
  return versionAt(state, deployment, point);
}

/**
 * The version at `point` (0 ≤ point < 100) of the split. Older versions (by upload number) take the
 * bottom of the range and newer ones the top, whatever order the deployment lists them in, so a key
 * on the newer version stays there as its share grows.
 */
export function versionAt(state: WorkerState, deployment: StoredDeployment, point: number): string {
  const number = (id: string) => state.versions.find((version) => version.id === id)?.number ?? 0;
  const shares = [...deployment.versions].sort((a, b) => number(a.version_id) - number(b.version_id));
  let edge = 0;
  for (const share of shares) {
    edge += share.percentage;
    if (point < edge) return share.version_id;
  }
  // Percentages summing to a hair under 100 (float); the last version with a share takes the rest.
  return [...shares].reverse().find((share) => share.percentage > 0)?.version_id ?? shares[shares.length - 1]!.version_id;
}

function hashToPercent(key: string): number {
  return (createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32) * 100;
}

/**
 * An RFC 8941 Dictionary: member name → its value when that is a String, `true` for a bare key, or
 * null for any other item (a Token, Integer, inner List …). undefined when the text is not a valid
 * Dictionary, which makes the whole header not apply, as on Cloudflare.
 */
export function parseDictionary(text: string): Map<string, string | true | null> | undefined {
  const members = new Map<string, string | true | null>();
  let at = 0;
  const skip = (pattern: RegExp) => {
    while (at < text.length && pattern.test(text[at]!)) at++;
  };
  const key = (): string | undefined => {
    const match = /^[a-z*][a-z0-9_.*-]*/.exec(text.slice(at));
    if (!match) return undefined;
    at += match[0].length;
    return match[0];
  };
  const string = (): string | undefined => {
    let value = '';
    at++; // opening quote
    while (at < text.length) {
      const char = text[at++]!;
      if (char === '"') return value;
      if (char === '\\') {
        const next = text[at++];
        if (next !== '"' && next !== '\\') return undefined;
        value += next;
      } else if (char < ' ' || char > '~') {
        return undefined;
      } else {
        value += char;
      }
    }
    return undefined;
  };
  /** A bare item that is not a String: only checked for well-formedness. */
  const otherItem = (): boolean => {
    const match = /^(?:\?[01]|-?\d+(?:\.\d+)?|[A-Za-z*][A-Za-z0-9:\/!#$%&'*+.^_`|~-]*|:[A-Za-z0-9+\/=]*:)/.exec(text.slice(at));
    if (!match) return false;
    at += match[0].length;
    return true;
  };
  const item = (): string | null | undefined => {
    if (text[at] === '"') return string();
    return otherItem() ? null : undefined;
  };
  const parameters = (): boolean => {
    while (text[at] === ';') {
      at++;
      skip(/ /);
      if (key() === undefined) return false;
      if (text[at] === '=') {
        at++;
        if (item() === undefined) return false;
      }
    }
    return true;
  };
  skip(/[ \t]/);
  if (at === text.length) return members;
  for (;;) {
    const name = key();
    if (name === undefined) return undefined;
    let value: string | true | null = true;
    if (text[at] === '=') {
      at++;
      if (text[at] === '(') {
        at++;
        for (;;) {
          skip(/ /);
          if (text[at] === ')') break;
          if (item() === undefined || !parameters()) return undefined;
          if (text[at] !== ' ' && text[at] !== ')') return undefined;
        }
        at++;
        value = null;
      } else {
        const parsed = item();
        if (parsed === undefined) return undefined;
        value = parsed;
      }
    }
    if (!parameters()) return undefined;
    members.set(name, value);
    skip(/[ \t]/);
    if (at === text.length) return members;
    if (text[at] !== ',') return undefined;
    at++;
    skip(/[ \t]/);
    if (at === text.length) return undefined; // a trailing comma
  }
}
