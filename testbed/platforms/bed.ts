// The platform test bed: local stand-ins for the CLIs of the platforms deploy-actions does not drive
// itself (AWS Lambda through aws/sam, Vercel, Shuttle, a managed database), so a pipeline's
// `provider: command` steps and `run:` steps reach something real-shaped, never a skip.
//
//   node testbed/platforms/bed.ts [--port=PORT]
//
// starts it, prints the URL and the environment the shims need, and runs until Ctrl-C.
//
// One HTTP server on 127.0.0.1 holds all state in this process:
//   POST /_bed/run                      a shim's call (argv, cwd, the env it read) → stdout, stderr, exit code
//   GET  /_bed/state                    state() as JSON
//   ANY  /<platform>/<app>/<path>       the data plane: one of the app's versions, by the current split
//   ANY  /<platform>/<app>@<version>/…  that version alone
// The shims in bin/ are plain Node scripts (any Node ≥ 20) that forward to PLATFORM_BED_URL.
//
// Erasable TypeScript importing only `./x.ts` siblings, so plain Node 24 can run it.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { aws, sam } from './aws.ts';
import { db } from './db.ts';
import { leadingWords, type BedSecrets, type CommandContext, type Handler, type Invocation, type Outcome } from './invocation.ts';
import { shuttle } from './shuttle.ts';
import { CliError, failsAt, isFailPercent, PLATFORMS, PlatformStore, type Platform, type PlatformState } from './store.ts';
import { vercel } from './vercel.ts';
import { shellQuote, stopOnSignal } from '../standalone.ts';

export type { PlatformState } from './store.ts';
export type Tool = 'aws' | 'sam' | 'vercel' | 'shuttle' | 'db';

const HANDLERS: Record<Tool, Handler> = { aws, sam, vercel, shuttle, db };

export interface ShimCall {
  tool: Tool;
  argv: string[];
  cwd: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  at: string;
}

export interface PlatformBed {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The folder of the shims (aws, sam, vercel, shuttle, db, split): put it first on PATH. */
  binDir: string;
  /** PLATFORM_BED_URL, PLATFORM_BED_STATE and the credentials the shims accept (PATH not included). */
  env: Record<string, string>;
  /** The data plane of an app: each request reaches one version, by the current split. */
  appUrl(platform: Platform, app: string): string;
  /** One version alone (for canary-url / stable-url; add the path, e.g. `${versionUrl(…)}/health`). */
  versionUrl(platform: Platform, app: string, version: string): string;
  state(): PlatformState;
  /** Every shim call, in order; the bed's credentials in arguments read `***`. */
  calls(): ShimCall[];
  /** Makes the next call of `tool` whose leading words start with `subcommand` (`'migrate up'`, `'lambda update-alias'`) fail as the platform would. */
  failNext(tool: Tool, subcommand: string): void;
  /**
   * From now on, version `version` of the app fails `failPercent` (0–100) of the requests that reach
   * it: a fault that shows only after the deploy, as one found in a monitoring window.
   */
  degrade(platform: Platform, app: string, version: string, failPercent: number): void;
  stop(): Promise<void>;
}

export interface PlatformBedOptions {
  /** Where state.json (a copy of state() after every call, PLATFORM_BED_STATE) is written; a temporary folder by default. */
  dir?: string;
  /** The port; a free one by default. */
  port?: number;
}

const BODY_LIMIT = 1024 * 1024;
const binDir = fileURLToPath(new URL('./bin', import.meta.url));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new Error(`request body over ${BODY_LIMIT} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function isInvocation(value: unknown): value is Invocation {
  const v = value as Invocation;
  return (
    typeof v === 'object' && v !== null && typeof v.tool === 'string' && Array.isArray(v.argv) && v.argv.every((a) => typeof a === 'string') &&
    typeof v.cwd === 'string' && typeof v.env === 'object' && v.env !== null
  );
}

export async function startPlatformBed(options: PlatformBedOptions = {}): Promise<PlatformBed> {
  const store = new PlatformStore();
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'platform-bed-'));
  mkdirSync(dir, { recursive: true });
  const stateFile = join(dir, 'state.json');
  const secrets: BedSecrets = {
    awsAccessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    awsSecretAccessKey: randomBytes(20).toString('base64url'),
    vercelToken: randomBytes(12).toString('hex'),
    shuttleApiKey: randomBytes(12).toString('hex'),
    databasePassword: randomBytes(12).toString('hex')
  };
  const calls: ShimCall[] = [];
  const secretValues = Object.values(secrets);
  const redact = (text: string) => secretValues.reduce((out, secret) => out.replaceAll(secret, '***'), text);
  const faults: Array<{ tool: Tool; words: string[] }> = [];
  let url = '';
  const appUrl = (platform: Platform, app: string) => `${url}/${platform}/${encodeURIComponent(app)}`;
  const versionUrl = (platform: Platform, app: string, version: string) => `${appUrl(platform, app)}@${encodeURIComponent(version)}`;

  async function run(call: Invocation): Promise<Outcome> {
    const tool = call.tool as Tool;
    const handler = HANDLERS[tool];
    if (!handler) return { stdout: '', stderr: `${call.tool}: not a tool of the platform bed\n`, exitCode: 127 };
    // `vercel --prod` is `vercel deploy --prod`: match faults on the command the call means.
    const words = tool === 'vercel' && !['promote', 'rollback', 'ls', 'list', 'inspect'].includes(call.argv[0] ?? '') ? ['deploy'] : leadingWords(call.argv);
    const context: CommandContext = {
      store,
      secrets,
      appUrl,
      versionUrl,
      faulted() {
        const index = faults.findIndex((f) => f.tool === tool && f.words.every((word, i) => words[i] === word));
        if (index < 0) return false;
        faults.splice(index, 1);
        return true;
      }
    };
    try {
      return await handler(call, context);
    } catch (error) {
      if (error instanceof CliError) return { stdout: '', stderr: error.stderr, exitCode: error.exitCode };
      return { stdout: '', stderr: `${tool}: internal error in the platform bed: ${(error as Error).message}\n`, exitCode: 255 };
    }
  }

  async function dataPlane(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const match = /^\/([^/]+)\/([^/@]+)(?:@([^/]+))?(\/.*)?$/.exec(pathname);
    const platform = match?.[1] as Platform | undefined;
    if (!match || !platform || !PLATFORMS.includes(platform)) {
      sendJson(res, 404, { error: `no route: expected /<${PLATFORMS.join('|')}>/<app>[@<version>]/<path>` });
      return;
    }
    const name = decodeURIComponent(match[2]!);
    const pinned = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
    const path = match[4] ?? '/';
    const app = store.app(platform, name);
    if (!app) {
      sendJson(res, 404, { error: `${platform} app ${name} is not deployed` });
      return;
    }
    const version = pinned === undefined ? store.route(app) : app.versions.find((v) => v.id === pinned);
    if (!version) {
      sendJson(res, pinned === undefined ? 503 : 404, { error: pinned === undefined ? `${platform} app ${name} serves nothing yet` : `${platform} app ${name} has no version ${pinned}` });
      return;
    }
    version.served += 1;
    const failing = failsAt(version.served, version.failPercent);
    if (version.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, version.latencyMs));
    const headers = { 'x-testbed-version': version.id };
    if (failing) sendJson(res, 500, { label: version.label, version: version.id, path, healthy: false, error: `${version.label} fails ${version.failPercent}% of requests` }, headers);
    else sendJson(res, 200, { label: version.label, version: version.id, path, healthy: true }, headers);
    req.resume();
  }

  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://bed').pathname;
    const handle = async () => {
      if (pathname === '/_bed/run' && req.method === 'POST') {
        const call: unknown = JSON.parse(await readBody(req));
        if (!isInvocation(call)) {
          sendJson(res, 400, { error: 'expected {tool, argv, cwd, env}' });
          return;
        }
        const outcome = await run(call);
        // A token given as an argument (`vercel --token T`) is not kept, even for tests to read.
        calls.push({ tool: call.tool as Tool, argv: call.argv.map(redact), cwd: call.cwd, ...outcome, at: new Date().toISOString() });
        writeFileSync(stateFile, JSON.stringify(store.snapshot(), null, 2));
        sendJson(res, 200, outcome);
        return;
      }
      if (pathname === '/_bed/state') {
        sendJson(res, 200, store.snapshot());
        return;
      }
      await dataPlane(req, res, pathname);
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `platform bed: ${(error as Error).message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(stateFile, JSON.stringify(store.snapshot(), null, 2));

  return {
    url,
    binDir,
    env: {
      PLATFORM_BED_URL: url,
      PLATFORM_BED_STATE: stateFile,
      AWS_ACCESS_KEY_ID: secrets.awsAccessKeyId,
      AWS_SECRET_ACCESS_KEY: secrets.awsSecretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_PAGER: '',
      VERCEL_TOKEN: secrets.vercelToken,
      SHUTTLE_API_KEY: secrets.shuttleApiKey,
      DATABASE_URL: `postgres://deploy:${secrets.databasePassword}@127.0.0.1:${new URL(url).port}/app`
    },
    appUrl,
    versionUrl,
    state: () => store.snapshot(),
    calls: () => structuredClone(calls),
    failNext(tool, subcommand) {
      if (!HANDLERS[tool]) throw new Error(`failNext: ${tool} is not a tool of the platform bed (${Object.keys(HANDLERS).join(', ')})`);
      faults.push({ tool, words: subcommand.trim().split(/\s+/).filter(Boolean) });
    },
    degrade(platform, app, version, failPercent) {
      const target = store.app(platform, app)?.versions.find((v) => v.id === version);
      if (!target) throw new Error(`degrade: ${platform} app ${app} has no version ${version}`);
      if (!isFailPercent(failPercent)) throw new Error(`degrade: failPercent must be a number from 0 to 100, not ${failPercent}`);
      target.failPercent = failPercent;
      writeFileSync(stateFile, JSON.stringify(store.snapshot(), null, 2));
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    }
  };
}

const USAGE = 'Usage: node testbed/platforms/bed.ts [--port=PORT]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { port: { type: 'string', default: '0' } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const port = Number(values.port);
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) {
    console.error(`--port must be a port number (0 picks a free one), got ${values.port}`);
    process.exitCode = 2;
    return;
  }
  const bed = await startPlatformBed({ port });
  console.log('Platform test bed running (aws, sam, vercel, shuttle, db).');
  console.log(`  Control and data plane: ${bed.url}`);
  console.log(`  Apps:    ${bed.url}/<aws|vercel|shuttle>/<app>/<path>   one version: <app>@<version>`);
  console.log('');
  console.log('Environment for the shims (the credentials are the bed\'s own, made up at start):');
  console.log(`  export PATH=${shellQuote(bed.binDir)}:"$PATH"`);
  for (const [name, value] of Object.entries(bed.env)) console.log(`  export ${name}=${shellQuote(value)}`);
  console.log('');
  console.log('Then, e.g.:  cd some-folder-with-platform-app.json && sam deploy --stack-name api');
  console.log('Ctrl-C stops the bed.');
  stopOnSignal(() => bed.stop());
}

if (import.meta.main) await main();
