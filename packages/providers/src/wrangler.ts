// Finding and running wrangler: the workspace's own when it has one (the version its lockfile pins),
// else the version the action names, installed once into a cache folder. Either runs on the runner's
// Node (process.execPath), never through a shell.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Masker } from '@deploy-actions/report';
import { lastLine, run, stderrTail, type RunResult } from './run.js';
import { ProviderError } from './types.js';
import type { ProviderEnvironment } from './config.js';

const WRANGLER_BIN = path.join('node_modules', 'wrangler', 'bin', 'wrangler.js');

/** node_modules/wrangler/bin/wrangler.js in the directory or the nearest parent that has one. */
export function findWorkspaceWrangler(directory: string): string | undefined {
  for (let dir = path.resolve(directory); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, WRANGLER_BIN);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export interface ResolveWranglerOptions {
  workingDirectory: string;
  version: string;
  cacheDirectory?: string;
  env: ProviderEnvironment;
  masker?: Masker;
}

export interface ResolvedWrangler {
  /** The wrangler.js to run with process.execPath. */
  bin: string;
  /** Where it came from, for the log. */
  source: 'workspace' | 'cache' | 'installed';
}

export function defaultWranglerCache(env: ProviderEnvironment, version: string): string {
  return path.join(env.RUNNER_TOOL_CACHE || tmpdir(), 'deploy-actions-wrangler', version);
}

export async function resolveWrangler(options: ResolveWranglerOptions): Promise<ResolvedWrangler> {
  const own = findWorkspaceWrangler(options.workingDirectory);
  if (own) return { bin: own, source: 'workspace' };
  const prefix = options.cacheDirectory ?? defaultWranglerCache(options.env, options.version);
  const cached = path.join(prefix, WRANGLER_BIN);
  if (existsSync(cached)) return { bin: cached, source: 'cache' };
  await mkdir(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `wrangler@${options.version}`];
  let result: RunResult;
  try {
    result = await run(npm, args, { cwd: prefix, env: options.env });
  } catch (error) {
    throw new ProviderError(`could not run npm to install wrangler@${options.version}: ${lastLine(error instanceof Error ? error.message : String(error))}`);
  }
  if (result.exitCode !== 0 || !existsSync(cached)) {
    const tail = stderrTail(result.stderr, options.masker);
    // npm ends with "A complete log of this run can be found in: …"; the reason is its first error line.
    const reason = tail.split('\n').find((line) => /^npm (error|ERR!) (?!code |errno |A complete log)/.test(line)) ?? lastLine(tail);
    throw new ProviderError(
      `npm install wrangler@${options.version} failed${result.exitCode !== 0 ? ` with exit code ${result.exitCode}` : ' to leave bin/wrangler.js'}: ${reason.replace(/^npm (error|ERR!) /, '') || 'no output'}`,
      undefined,
      tail || undefined
    );
  }
  return { bin: cached, source: 'installed' };
}

/** What wrangler wrote to its output file (WRANGLER_OUTPUT_FILE_PATH): one JSON entry a line. */
export interface WranglerOutputEntry {
  type: string;
  [key: string]: unknown;
}

export interface WranglerResult extends RunResult {
  /** The entries of its output file: version-upload, version-deploy, command-failed … */
  output: WranglerOutputEntry[];
}

/** One wrangler run, with its output file in a folder of its own. */
export async function runWrangler(bin: string, args: readonly string[], options: { cwd: string; env: ProviderEnvironment }): Promise<WranglerResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'deploy-actions-wrangler-out-'));
  const outputFile = path.join(dir, 'output.json');
  try {
    const result = await run(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...options.env, WRANGLER_OUTPUT_FILE_PATH: outputFile } });
    let output: WranglerOutputEntry[] = [];
    try {
      output = (await readFile(outputFile, 'utf8'))
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as WranglerOutputEntry);
    } catch {
      // No output file (wrangler failed before writing one): the exit code and stderr tell.
    }
    return { ...result, output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Cloudflare's own error in what wrangler printed: `<message> [code: <n>]`. */
export interface CloudflareErrorDetail {
  code?: number;
  message?: string;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

export function cloudflareErrorIn(stderr: string, output: readonly WranglerOutputEntry[] = []): CloudflareErrorDetail {
  const plain = stderr.replace(ANSI, '');
  const coded = /^\s*(.+?)\s*\[code: (\d+)\]\s*$/m.exec(plain);
  const failed = output.find((entry) => entry.type === 'command-failed');
  const code = coded ? Number(coded[2]) : typeof failed?.code === 'number' ? failed.code : undefined;
  if (coded) return { code, message: coded[1]!.replace(/^[✘X▲]?\s*\[ERROR\]\s*/, '') };
  const error = /\[ERROR\]\s*(.+)$/m.exec(plain)?.[1] ?? (typeof failed?.message === 'string' ? failed.message : undefined);
  return { code, message: error?.trim() };
}

/** The secret names in Cloudflare's 10220 message: "… The following secrets have changed: A, B". */
export function changedSecrets(message: string | undefined): string[] {
  const marker = 'The following secrets have changed:';
  const at = message?.indexOf(marker) ?? -1;
  if (!message || at < 0) return [];
  return message
    .slice(at + marker.length)
    .split(',')
    .map((name) => name.trim().replace(/[.\s]+$/, ''))
    .filter(Boolean);
}
