// One tool run through @actions/exec: an argument array (no shell), output captured and not echoed
// (what a tool prints may hold a credential; callers mask what they show), the exit code returned
// rather than thrown so the caller can say what went wrong in the platform's own words.

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

export async function run(tool: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { getExecOutput } = await import('@actions/exec');
  const env = Object.fromEntries(Object.entries(options.env ?? process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const started = performance.now();
  const result = await getExecOutput(toolForExec(tool), [...args], {
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
