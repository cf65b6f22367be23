// `deploy-actions <action> --<input> <value> ...`: runs an action's bundle outside GitHub, through
// the same harness the tests use, so the local run is the run GitHub would make. Flag names are the
// action's input names; a flag given twice becomes two lines. Exit code: the action's.
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readActionMetadata, resolveNodeRuntime, runAction, type ActionMetadata } from '@deploy-actions/harness';
import { renderLogLine, renderSummary } from './terminal.js';

/** The repository root: the bundle sits at dist/cli/index.js, the sources at packages/cli/src. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5 && !existsSync(join(dir, 'actions')); i += 1) dir = dirname(dir);
  return dir;
}

function actionNames(root: string): string[] {
  return readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'actions', entry.name, 'action.yml')))
    .map((entry) => entry.name)
    .sort();
}

class UsageError extends Error {}

/** `--name value`, `--name=value`, a bare `--flag` as "true"; repeats join with newlines. */
export function parseFlags(argv: readonly string[], metadata: ActionMetadata): Record<string, string> {
  const known = new Set(Object.keys(metadata.inputs ?? {}));
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const flag = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!flag) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}; inputs are given as --<input> <value>`);
    const name = flag[1]!;
    if (!known.has(name)) throw new UsageError(`unknown input --${name}; this action's inputs: ${[...known].map((n) => `--${n}`).join(' ')}`);
    let value = flag[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) value = 'true';
      else {
        value = next;
        i += 1;
      }
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return Object.fromEntries([...values].map(([name, list]) => [name, list.join('\n')]));
}

function help(name: string, metadata: ActionMetadata): string {
  const inputs = Object.entries(metadata.inputs ?? {}).map(([input, spec]) => {
    const flags = [spec?.required ? 'required' : '', spec?.default ? `default ${spec.default}` : ''].filter(Boolean).join(', ');
    return `  --${input}${flags ? ` (${flags})` : ''}\n      ${(spec?.description ?? '').replace(/\s+/g, ' ').trim()}`;
  });
  return `deploy-actions ${name}: ${(metadata.description ?? '').trim()}\n\nInputs:\n${inputs.join('\n')}\n`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const root = repoRoot();
  const names = actionNames(root);
  const [name, ...rest] = argv;
  const usage = `usage: deploy-actions <action> [--<input> <value>]...\nactions: ${names.join(', ')}\n`;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage);
    return name ? 0 : 2;
  }
  if (!names.includes(name)) {
    process.stderr.write(`deploy-actions: no action named ${JSON.stringify(name)}\n${usage}`);
    return 2;
  }
  const actionDir = join(root, 'actions', name);
  const metadata = readActionMetadata(actionDir);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(help(name, metadata));
    return 0;
  }
  let inputs: Record<string, string>;
  try {
    inputs = parseFlags(rest, metadata);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`deploy-actions ${name}: ${error.message}\n`);
    return 2;
  }

  const verbose = process.env.RUNNER_DEBUG === '1';
  const run = await runAction({
    nodePath: nodeFor(metadata.runs.using),
    actionDir,
    inputs,
    workspace: resolve(process.cwd()),
    env: passThroughEnv(),
    timeoutMs: 6 * 3_600_000,
    onLine: (line, stream) => {
      const shown = renderLogLine(line, verbose);
      if (shown !== null) (stream === 'stderr' ? process.stderr : process.stdout).write(`${shown}\n`);
    }
  });
  const outputs = Object.entries(run.outputs);
  const report = [
    run.summary.trim() ? `\n── summary ──\n${renderSummary(run.summary).trim()}\n` : '',
    outputs.length ? `\n── outputs ──\n${outputs.map(([key, value]) => `${key}=${value}`).join('\n')}\n` : ''
  ].join('');
  process.stdout.write(report);
  // No exit code means the step was killed (its time limit): a failure.
  return run.exitCode ?? 1;
}

/**
 * The Node that `runs.using` names, as on GitHub; outside this repository (a global install has no
 * dev dependencies, so no Node 24 of ours) the Node running the CLI, with a warning.
 */
function nodeFor(using: string): string {
  try {
    return resolveNodeRuntime(using);
  } catch (error) {
    process.stderr.write(`Warning: ${(error as Error).message}; running on ${process.version} instead.\n`);
    return process.execPath;
  }
}

/**
 * The environment the action sees, as on a runner: the job's whole environment (a spec may read
 * `{{ env.TOKEN }}`), less what the harness itself provides for the step (inputs, the runner's
 * files), so a CLI started inside a GitHub job cannot write into that job's outputs.
 */
function passThroughEnv(): Record<string, string> {
  const owned = /^(INPUT_.*|STATE_.*|GITHUB_(OUTPUT|STATE|ENV|PATH|STEP_SUMMARY)|RUNNER_TEMP)$/i;
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => !owned.test(entry[0]) && entry[1] !== undefined));
}
