// `deploy-actions <action> --<input> <value> ...`: runs an action's bundle outside GitHub, through
// the same harness the tests use, so the local run is the run GitHub would make. Flag names are the
// action's input names; an input that takes one item per line may be given more than once, a line
// each. Exit code: the action's.
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readActionMetadata, resolveNodeRuntime, runAction, type ActionMetadata, type InputMetadata } from '@deploy-actions/harness';
import { renderLogLine, renderOutputs, renderSummary } from './terminal.js';
import { cancelOnSignals } from './signals.js';
import { runWorkflowCommand, WORKFLOW_USAGE } from './workflow.js';

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

/**
 * An input that takes a list, one item per line, as its action.yml description says (`one per line`,
 * `Name: value` per line, `Lines mixed into the key`): only these may be given more than once.
 */
export function takesLines(spec: InputMetadata | undefined): boolean {
  return /\bper line\b|\blines\b/i.test(spec?.description ?? '');
}

/** A boolean input (its default is true or false): only these may be given bare, meaning true. */
export function isBoolean(spec: InputMetadata | undefined): boolean {
  return ['true', 'false'].includes(String(spec?.default ?? '').trim().toLowerCase());
}

/**
 * `--name value` or `--name=value`; a boolean input alone (`--insecure`) is true. An input that takes
 * lines may repeat, each flag a line; any other input given twice is an error, as is a missing value.
 */
export function parseFlags(argv: readonly string[], metadata: ActionMetadata): Record<string, string> {
  const inputs = metadata.inputs ?? {};
  const known = new Set(Object.keys(inputs));
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const flag = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!flag) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}; inputs are given as --<input> <value>`);
    const name = flag[1]!;
    if (!known.has(name)) throw new UsageError(`unknown input --${name}; this action's inputs: ${[...known].map((n) => `--${n}`).join(' ')}`);
    const spec = inputs[name];
    let value = flag[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i += 1;
      } else if (isBoolean(spec)) value = 'true';
      else throw new UsageError(`--${name} needs a value: --${name} <value>, or --${name}=<value> for a value that starts with --`);
    }
    const given = values.get(name) ?? [];
    if (given.length > 0 && !takesLines(spec)) {
      throw new UsageError(`--${name} is given more than once; it takes one value (only inputs that take one item per line may repeat)`);
    }
    values.set(name, [...given, value]);
  }
  return Object.fromEntries([...values].map(([name, list]) => [name, list.join('\n')]));
}

function oneLine(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function help(name: string, metadata: ActionMetadata): string {
  const inputs = Object.entries(metadata.inputs ?? {}).map(([input, spec]) => {
    const notes = [
      spec?.required === true || spec?.required === 'true' ? 'required' : '',
      spec?.default !== undefined && spec.default !== '' ? `default ${String(spec.default)}` : '',
      isBoolean(spec) ? `--${input} alone means true` : '',
      takesLines(spec) ? 'repeatable, a line per flag' : ''
    ].filter(Boolean);
    return `  --${input}${notes.length ? ` (${notes.join(', ')})` : ''}\n      ${oneLine(spec?.description)}`;
  });
  const outputs = Object.entries(metadata.outputs ?? {}).map(([output, spec]) => `  ${output}\n      ${oneLine(spec?.description)}`);
  return [
    `deploy-actions ${name}: ${oneLine(metadata.description)}`,
    '',
    `usage: deploy-actions ${name} [--<input> <value>]...`,
    '',
    'Inputs:',
    ...inputs,
    ...(outputs.length ? ['', 'Outputs (printed after the run):', ...outputs] : []),
    ''
  ].join('\n');
}

/**
 * A reader that went away (`| head -1`) closes the pipe: writing stops there, quietly, and the exit
 * code stays the action's. Any other write failure is still an error.
 */
function stopWritingWhenClosed(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  stopWritingWhenClosed(process.stdout);
  stopWritingWhenClosed(process.stderr);
  const root = repoRoot();
  const names = actionNames(root);
  const [name, ...rest] = argv;
  const usage = `usage: deploy-actions <action> [--<input> <value>]...\n       deploy-actions <action> --help   (its inputs and outputs)\n       ${WORKFLOW_USAGE.split('\n')[0]!.replace(/^usage: /, '')}\nactions: ${names.join(', ')}\n`;
  // Listing the actions is what was asked for: success.
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage);
    return 0;
  }
  if (name === 'run-workflow') return runWorkflowCommand(rest);
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
  const cancel = cancelOnSignals();
  const run = await runAction({
    signal: cancel.signal,
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
  const bold = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const outputs = renderOutputs(run.outputs);
  const report = [
    run.summary.trim() ? `\n── summary ──\n${renderSummary(run.summary, { bold }).trim()}\n` : '',
    outputs ? `\n── outputs ──\n${outputs}\n` : ''
  ].join('');
  process.stdout.write(report);
  const stopped = cancel.release();
  if (stopped !== undefined) return stopped;
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
