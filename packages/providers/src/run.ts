// One tool run through @actions/exec: an argument array (no shell), output captured and not echoed
// (what a tool prints may hold a credential; callers mask what they show), the exit code returned
// rather than thrown so the caller can say what went wrong in the platform's own words.

import { statSync, type Stats } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Masker } from '@deploy-actions/report';
import { oneLine } from '@deploy-actions/report';
import type { ProviderEnvironment } from './config.js';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Wall time of the run, milliseconds. */
  durationMs: number;
}

export interface RunOptions {
  cwd?: string;
  env?: ProviderEnvironment;
  /** Fed to the tool's stdin. */
  input?: string;
}

/**
 * @actions/exec parses its first argument as a command line (spaces split it, double quotes group),
 * so a tool path with spaces is quoted for it; the arguments are passed as they are.
 */
function toolForExec(tool: string): string {
  return /[\s"]/.test(tool) ? `"${tool.replace(/"/g, '\\"')}"` : tool;
}

/** Executable by this process, as @actions/io's which() tells: by anyone, by its group, or by its owner. */
function isExecutable(stats: Stats): boolean {
  return (stats.mode & 0o001) !== 0 || ((stats.mode & 0o010) !== 0 && stats.gid === process.getgid?.()) || ((stats.mode & 0o100) !== 0 && stats.uid === process.getuid?.());
}

/**
 * The file a bare command name runs: the first absolute PATH directory holding an executable file of
 * that name, the one @actions/io's which() finds, so @actions/exec is handed a path it only checks.
 * Its own lookup awaits one stat per PATH entry in series, every entry even after a match, all before
 * the tool starts. Anything else (a path, no match, a relative PATH entry on the way, Windows with its
 * PATHEXT) is left to @actions/exec to resolve, and to word the failure.
 */
export function locateTool(tool: string, path = process.env.PATH ?? ''): string {
  if (process.platform === 'win32' || tool.includes('/')) return tool;
  for (const directory of path.split(delimiter)) {
    if (directory === '') continue;
    if (!isAbsolute(directory)) return tool;
    const candidate = join(directory, tool);
    const stats = statSync(candidate, { throwIfNoEntry: false });
    if (stats?.isFile() && isExecutable(stats)) return candidate;
  }
  return tool;
}

export async function run(tool: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { getExecOutput } = await import('@actions/exec');
  const env = Object.fromEntries(Object.entries(options.env ?? process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const started = performance.now();
  const result = await getExecOutput(toolForExec(locateTool(tool)), [...args], {
    cwd: options.cwd,
    env,
    silent: true,
    ignoreReturnCode: true,
    ...(options.input !== undefined ? { input: Buffer.from(options.input) } : {})
  });
  return { ...result, durationMs: performance.now() - started };
}

/** The last lines a tool wrote to stderr, masked, for an error's detail (ANSI colours removed). */
export function stderrTail(stderr: string, masker?: Masker, lines = 12): string {
  const plain = stderr.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  const kept = plain.split(/\r?\n/).map((line) => line.trimEnd()).filter((line) => line.trim() !== '').slice(-lines).join('\n');
  return masker ? masker.mask(kept) : kept;
}

/** The last non-empty line of a tool's output, on one line, for a one-line error message. */
export function lastLine(text: string): string {
  return oneLine(text.split(/\r?\n/).filter((line) => line.trim() !== '').at(-1) ?? '');
}
