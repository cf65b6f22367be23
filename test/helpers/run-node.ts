// Runs a script on the Node the project installs (24, as GitHub runs our bundles) and collects
// what a user would see in the terminal.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolveNodeRuntime } from '@deploy-actions/harness';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNode(script: string, args: readonly string[], timeoutMs = 60_000, cwd = repoRoot): Promise<NodeRun> {
  return runProgram(resolveNodeRuntime('node24'), [script, ...args], timeoutMs, cwd);
}

/** Any program, with only PATH and HOME from this environment (or `env`); killed after `timeoutMs`. */
export function runProgram(
  program: string,
  args: readonly string[],
  timeoutMs = 60_000,
  cwd = repoRoot,
  env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
