// The optional smoke-test at the first step (0 % when there is one): smoke-test's own bundle, run
// as a child process with its inputs as INPUT_* variables, aimed at the canary by the route's URL
// and headers. Its outputs, summary and state go to files of its own, so they never mix with this
// step's; its log lines are passed on prefixed, so its workflow commands stay its own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as exec from '@actions/exec';
import type { VersionRoute } from '@deploy-actions/providers';

export interface SmokeOptions {
  spec: string;
  baseUrl: string;
  route: VersionRoute;
  /** The user's probe headers, sent with the route's. */
  headers: ReadonlyArray<readonly [string, string]>;
  log: (line: string) => void;
  /** smoke-test's main bundle; by default the one shipped beside this action's. */
  bundle?: string;
}

/** dist/smoke-test/main/index.js, beside this bundle's dist/canary-shift/main/. */
export function smokeBundle(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'smoke-test', 'main', 'index.js');
}

export async function runSmoke(options: SmokeOptions): Promise<{ ok: boolean; reason: string }> {
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'canary-smoke-'));
  try {
    for (const file of ['output', 'summary', 'state', 'env', 'path']) writeFileSync(join(dir, file), '');
    const headers = [...options.headers, ...options.route.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('INPUT_')) env[name] = value;
    Object.assign(env, {
      INPUT_SPEC: options.spec,
      'INPUT_BASE-URL': options.baseUrl,
      INPUT_HEADERS: headers,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_PATH: join(dir, 'path')
    });
    let lastError = '';
    let pending = '';
    let stderr = '';
    const onLine = (line: string) => {
      const error = /^::error(?: [^:]*)?::(.*)$/.exec(line)?.[1];
      if (error) lastError = error.replace(/%0A/g, ' ').replace(/%0D/g, '').replace(/%25/g, '%');
      if (line.trim() !== '' && !line.startsWith('::add-mask::')) options.log(`smoke-test: ${line}`);
    };
    const code = await exec.exec(process.execPath, [options.bundle ?? smokeBundle()], {
      env,
      silent: true,
      ignoreReturnCode: true,
      listeners: {
        stdout: (data: Buffer) => {
          pending += data.toString('utf8');
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          lines.forEach(onLine);
        },
        stderr: (data: Buffer) => {
          stderr = (stderr + data.toString('utf8')).slice(-2000);
        }
      }
    });
    if (pending) onLine(pending);
    return code === 0 ? { ok: true, reason: 'passed' } : { ok: false, reason: lastError || `smoke-test exited with code ${code}${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
