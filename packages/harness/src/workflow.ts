// A local workflow runner: a workflow file parsed by GitHub's own parser (@actions/workflow-parser),
// every `${{ }}` evaluated by GitHub's expression library, jobs run in `needs` order (independent
// jobs at once), `run:` steps in bash, `uses: ./<action>` steps through the harness (pre, main and
// post as the runner orders them), reusable workflows (`uses: ./.github/workflows/x.yml`) run as the
// called workflow with its inputs, secrets and outputs. What it cannot do as GitHub would is refused
// up front, naming the feature, before any job starts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { Lexer, Parser } from '@actions/expressions';
import { parse as parseYaml } from 'yaml';
import type { ActionStep, ReusableWorkflowJob, RunStep, WorkflowJob, WorkflowTemplate } from '@actions/workflow-parser/model/workflow-template';

/** The steps the runner runs (the other kinds are refused before the run). */
type Step = RunStep | ActionStep;
import type { BasicExpressionToken, MappingToken, SequenceToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { evaluateCondition, evaluateExpression, expressionText, type ExpressionValue, type StatusFunctions } from './expressions.js';
import {
  applyMasks,
  createJobState,
  minimalEnvironment,
  openAction,
  readActionMetadata,
  runCommandStep,
  type Annotation,
  type JobState,
  type OpenedAction,
  type StepRun
} from './runner.js';
import { loadWorkflowParser } from './workflow-parser.js';
import { builtinAction, type BuiltinAction } from './builtin-actions.js';

// ---------------------------------------------------------------------------------------------------
// Public types

export const SUPPORTED_EVENTS = ['workflow_dispatch', 'workflow_call', 'push', 'schedule'] as const;
export type WorkflowEvent = (typeof SUPPORTED_EVENTS)[number];

export interface RunWorkflowOptions {
  /** The workflow file, absolute or relative to `root`. */
  workflow: string;
  /** The repository: the workspace, and where `./actions/x` and `./.github/workflows/x.yml` are found. Default: the working directory. */
  root?: string;
  /** Default: the first of the workflow's events that the runner supports. */
  event?: WorkflowEvent;
  /** `workflow_dispatch` / `workflow_call` inputs, checked against the workflow's declarations. */
  inputs?: Record<string, string>;
  /** The `secrets` context; every value is masked in the log. `GITHUB_TOKEN` is also `github.token`. */
  secrets?: Record<string, string>;
  /** The `vars` context. */
  vars?: Record<string, string>;
  /** Merged over the event payload the runner makes (`github.event`). */
  payload?: Record<string, unknown>;
  /** The `github` context's commit and repository. Default: git's HEAD and branch of `root`, where it is a repository. */
  sha?: string;
  ref?: string;
  repository?: string;
  actor?: string;
  /** The GitHub the run talks to, as on GitHub Enterprise Server (or a stand-in): `github.api_url`, GITHUB_API_URL,
   *  and GITHUB_GRAPHQL_URL (see githubUrls). Default https://api.github.com. */
  apiUrl?: string;
  /** `github.server_url` and GITHUB_SERVER_URL, where run and issue links point. Default: GitHub Enterprise
   *  Server's host for an apiUrl `<host>/api/v3`, else https://github.com. */
  serverUrl?: string;
  /** Variables every step gets beneath the workflow's own `env` (the caller's PATH, HOME, proxies are passed on anyway). */
  env?: Record<string, string>;
  /**
   * Repositories of actions whose `uses: <owner>/<name>/<path>@<ref>` steps run from a local folder
   * instead (the ref is not checked out: the folder is used as it is). Keys are `owner/name`, or
   * `*\/name` for any owner; e.g. `{ '*\/deploy-actions': '/src/deploy-actions' }` runs a released
   * workflow's `acme/deploy-actions/actions/health-check@v2.1.0` from /src/deploy-actions/actions/health-check.
   */
  actionRepositories?: Record<string, string>;
  /** The Node that runs the actions, instead of the one `runs.using` names. */
  nodePath?: string;
  /** Cancels the run, as cancelling a workflow does. */
  signal?: AbortSignal;
  /** Told when a job starts and when it ends (its whole log then). */
  onJobStart?: (job: JobRun) => void;
  onJobEnd?: (job: JobRun) => void;
  /** Where to write the run's job summaries as one HTML page, each under its job's name (folders made as needed). */
  summaryPage?: string;
}

export type JobResult = 'success' | 'failure' | 'cancelled' | 'skipped';
export type StepOutcome = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepResult {
  id: string;
  name: string;
  outcome: StepOutcome;
  /** The outcome after continue-on-error: a failed step allowed to fail concludes success. */
  conclusion: StepOutcome;
  outputs: Record<string, string>;
  annotations: Annotation[];
}

export interface JobRun {
  /** The job's id; `caller/called` for a job of a reusable workflow. */
  id: string;
  /** As GitHub shows it: the job's name, with its matrix values for one leg of a matrix. */
  name: string;
  result: JobResult;
  outputs: Record<string, string>;
  matrix?: Record<string, ExpressionValue>;
  steps: StepResult[];
  /** The runner log: `##[group]`, `##[error]` and the like as GitHub writes them, secrets masked. */
  log: string[];
  /** The job summary: its steps' GITHUB_STEP_SUMMARY, masked. */
  summary: string;
  /** Milliseconds since the run began. */
  startedAt: number;
  finishedAt: number;
}

export interface WorkflowRun {
  name: string;
  event: WorkflowEvent;
  conclusion: 'success' | 'failure' | 'cancelled';
  /** Every job (each matrix leg, each job of a called workflow) in the order they started. */
  jobs: JobRun[];
  /** A `workflow_call` run's `on.workflow_call.outputs`. */
  outputs: Record<string, string>;
  /** The HTML page of the job summaries, absolute, when `summaryPage` asked for one. */
  summaryPage?: string;
}

/** A workflow the runner cannot run: a parse error, an unsupported feature, a bad input. Nothing ran. */
export class WorkflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Loading: GitHub's parser, then every feature checked against what this runner does

// The parser's TokenType (a runtime enum of the lazily loaded package).
const TOKEN = { String: 0, Sequence: 1, Mapping: 2, BasicExpression: 3, InsertExpression: 4, Boolean: 5, Number: 6, Null: 7 } as const;

const CONTEXT_NAMES = ['github', 'inputs', 'vars', 'secrets', 'needs', 'strategy', 'matrix', 'steps', 'job', 'jobs', 'runner', 'env'];
const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'].map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
const SUPPORTED_SHELLS = ['bash', 'sh'];
const UNSUPPORTED_JOB_KEYS: Record<string, string> = { container: 'job containers', services: 'service containers', snapshot: 'job snapshots' };
const UNSUPPORTED_STEP_KEYS: Record<string, string> = {
  background: 'background steps',
  wait: 'wait steps',
  'wait-all': 'wait-all steps',
  cancel: 'cancel steps',
  parallel: 'parallel steps'
};

interface LoadedWorkflow {
  path: string;
  /** Relative to the root, as `github.workflow_ref` and the log name it. */
  file: string;
  template: WorkflowTemplate;
  root: MappingToken;
  name: string;
}

function isMapping(token: TemplateToken | undefined): token is MappingToken {
  return token?.templateTokenType === TOKEN.Mapping;
}

function isSequence(token: TemplateToken | undefined): token is SequenceToken {
  return token?.templateTokenType === TOKEN.Sequence;
}

/** A key of a mapping token, or undefined. */
function member(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  return isMapping(token) ? token.find(key) : undefined;
}

function scalarValue(token: TemplateToken): ExpressionValue {
  return (token as unknown as { value: ExpressionValue }).value;
}

function where(workflow: LoadedWorkflow, token: TemplateToken | undefined): string {
  return token?.line !== undefined ? `${workflow.file}:${token.line}:${token.col ?? 1}` : workflow.file;
}

async function parseWorkflowFile(path: string, root: string, repositories: ActionRepositories): Promise<LoadedWorkflow> {
  const parser = await loadWorkflowParser();
  const file = relative(root, path).split('\\').join('/');
  if (!existsSync(path)) throw new WorkflowError(`${file}: no such workflow file`);
  const content = readFileSync(path, 'utf8');
  const parsed = parser.parseWorkflow({ name: file, content }, new parser.NoOperationTraceWriter());
  const unmapped: string[] = [];
  const fileProvider = {
    async getFileContent(ref: { path: string; repository?: string; owner?: string; version?: string }) {
      const uses = ref.repository ? `${ref.owner}/${ref.repository}/${ref.path}@${ref.version}` : `./${ref.path}`;
      const local = localActionDir(uses, root, repositories);
      if (local === undefined) {
        unmapped.push(uses);
        throw new Error(`${uses}: reusable workflows of other repositories are not supported`);
      }
      return { name: ref.path, content: readFileSync(local, 'utf8') };
    }
  };
  // One level of reusable workflows is inlined so the parser checks the call's inputs and secrets.
  const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value!, fileProvider, { fetchReusableWorkflowDepth: 1 });
  const errors = (template.errors ?? []).map((error) => error.Message);
  if (unmapped.length > 0) {
    // The parser says only that it found no file; what it could not find, and why, is clearer.
    throw new WorkflowError(
      `${file} uses what the local runner cannot run:\n${unmapped.map((uses) => `  ${file}: ${uses}: a reusable workflow from another repository (one mapped to a local folder runs) (not supported by the local runner)`).join('\n')}`
    );
  }
  if (errors.length > 0 || !isMapping(parsed.value)) {
    throw new WorkflowError(`${file}: the workflow is not valid:\n${errors.map((message) => `  ${message}`).join('\n')}`);
  }
  const nameToken = member(parsed.value, 'name');
  const name = nameToken ? String(scalarValue(nameToken)) : file;
  return { path, file, template, root: parsed.value, name };
}

/** Every feature of the workflow (and of the workflows it calls) that this runner would not honour. */
async function checkSupported(workflow: LoadedWorkflow, root: string, seen: Set<string>, repositories: ActionRepositories): Promise<string[]> {
  if (seen.has(workflow.path)) return [];
  seen.add(workflow.path);
  const problems: string[] = [];
  const refuse = (token: TemplateToken | undefined, text: string) => problems.push(`${where(workflow, token)}: ${text} (not supported by the local runner)`);

  // Expressions: GitHub's parser, with the contexts and functions this runner provides.
  const checkExpression = (expression: string, token: TemplateToken) => {
    try {
      new Parser(new Lexer(expression).lex().tokens, CONTEXT_NAMES, STATUS_FUNCTIONS).parse();
    } catch (error) {
      const message = (error as Error).message;
      const unknownFunction = /Unrecognized function: '([^']+)'/.exec(message)?.[1];
      if (unknownFunction) refuse(token, `the expression function ${unknownFunction}()`);
      else problems.push(`${where(workflow, token)}: ${message}`);
    }
  };
  const walk = (token: TemplateToken, key?: string) => {
    if (token.templateTokenType === TOKEN.InsertExpression) refuse(token, '${{ insert }}');
    else if (token.templateTokenType === TOKEN.BasicExpression) checkExpression((token as BasicExpressionToken).expression, token);
    else if (key === 'if' && token.templateTokenType === TOKEN.String) checkExpression(String(scalarValue(token)), token);
    else if (isMapping(token)) for (const pair of token) walk(pair.value, String(scalarValue(pair.key)));
    else if (isSequence(token)) for (const item of token) walk(item);
  };
  walk(workflow.root);

  const rawJobs = member(workflow.root, 'jobs');
  for (const job of workflow.template.jobs ?? []) {
    const rawJob = member(rawJobs, job.id.value);
    for (const [key, feature] of Object.entries(UNSUPPORTED_JOB_KEYS)) {
      const token = member(rawJob, key);
      if (token) refuse(token, `jobs.${job.id.value}.${key}: ${feature}`);
    }
    if (job.type === 'reusableWorkflowJob') {
      const ref = job.ref.value;
      const calledPath = localActionDir(ref, root, repositories);
      if (calledPath === undefined) {
        refuse(job.ref, `jobs.${job.id.value}.uses: ${ref}: a reusable workflow from another repository (one mapped to a local folder runs)`);
        continue;
      }
      const called = await parseWorkflowFile(calledPath, root, repositories);
      problems.push(...(await checkSupported(called, root, seen, repositories)));
      continue;
    }
    const rawSteps = member(rawJob, 'steps');
    job.steps.forEach((step, index) => {
      const rawStep = isSequence(rawSteps) ? rawSteps.get(index) : undefined;
      const label = `jobs.${job.id.value}.steps[${index}]`;
      for (const [key, feature] of Object.entries(UNSUPPORTED_STEP_KEYS)) {
        const token = member(rawStep, key);
        if (token) refuse(token, `${label}.${key}: ${feature}`);
      }
      const shell = member(rawStep, 'shell');
      if (shell && shell.templateTokenType === TOKEN.String && !isSupportedShell(String(scalarValue(shell)))) {
        refuse(shell, `${label}.shell: ${String(scalarValue(shell))}`);
      }
      if ('uses' in step) {
        const uses = step.uses.value;
        const builtin = builtinAction(uses);
        if (builtin) {
          const given = member(rawStep, 'with');
          if (isMapping(given)) {
            for (const pair of given) {
              const key = String(scalarValue(pair.key));
              if (!builtin.inputs.includes(key)) refuse(pair.key, `${label}.with.${key}: ${builtin.name}'s input ${key} (it takes ${builtin.inputs.join(', ')} locally)`);
            }
          }
          return;
        }
        const actionDir = localActionDir(uses, root, repositories);
        if (actionDir === undefined) {
          refuse(
            step.uses,
            `${label}.uses: ${uses}: only actions of this repository (uses: ./path), actions/checkout, actions/setup-node and actions of a repository mapped to a local folder run locally`
          );
          return;
        }
        try {
          const using = readActionMetadata(actionDir).runs.using;
          if (!/^node\d+$/.test(using)) refuse(step.uses, `${label}.uses: ${uses}: runs.using ${using} (only JavaScript actions run locally)`);
        } catch (error) {
          problems.push(`${where(workflow, step.uses)}: ${label}.uses: ${uses}: ${(error as Error).message}`);
        }
      }
    });
  }
  for (const key of ['defaults']) {
    const shell = member(member(member(workflow.root, key), 'run'), 'shell');
    if (shell && shell.templateTokenType === TOKEN.String && !isSupportedShell(String(scalarValue(shell)))) refuse(shell, `defaults.run.shell: ${String(scalarValue(shell))}`);
  }
  return problems;
}

/** `owner/name` (or `*\/name`, any owner), lower case → an absolute local folder. */
type ActionRepositories = Map<string, string>;

function actionRepositoryMap(given: Record<string, string> | undefined, root: string): ActionRepositories {
  const map: ActionRepositories = new Map();
  for (const [key, folder] of Object.entries(given ?? {})) {
    if (!/^(\*|[A-Za-z0-9-]+)\/[A-Za-z0-9._-]+$/.test(key)) throw new WorkflowError(`actionRepositories: ${JSON.stringify(key)} is not owner/name or */name`);
    const path = resolve(root, folder);
    if (!existsSync(path)) throw new WorkflowError(`actionRepositories: ${key} → ${folder}: no such folder`);
    map.set(key.toLowerCase(), path);
  }
  return map;
}

/**
 * Where a `uses:` runs from: ./path in the repository, or a mapped repository's folder (an action's
 * folder, or a reusable workflow's file); undefined for any other.
 */
function localActionDir(uses: string, root: string, repositories: ActionRepositories): string | undefined {
  if (uses.startsWith('./')) return join(root, uses);
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)((?:\/[^@]+)?)@.+$/.exec(uses);
  if (!match) return undefined;
  const [, owner, name, path] = match;
  const folder = repositories.get(`${owner}/${name}`.toLowerCase()) ?? repositories.get(`*/${name}`.toLowerCase());
  return folder === undefined ? undefined : join(folder, path ?? '');
}

function isSupportedShell(shell: string): boolean {
  return SUPPORTED_SHELLS.includes(shell) || /\{0\}/.test(shell);
}

// ---------------------------------------------------------------------------------------------------
// Evaluation of template tokens

type Contexts = Record<string, unknown>;

function evaluateToken(token: TemplateToken, contexts: Contexts): ExpressionValue {
  switch (token.templateTokenType) {
    case TOKEN.Null:
      return null;
    case TOKEN.BasicExpression:
      return evaluateExpression(expressionOf(token as BasicExpressionToken), contexts);
    case TOKEN.Sequence:
      return [...(token as SequenceToken)].map((item) => evaluateToken(item, contexts));
    case TOKEN.Mapping:
      return Object.fromEntries([...(token as MappingToken)].map((pair) => [expressionText(evaluateToken(pair.key, contexts)), evaluateToken(pair.value, contexts)]));
    case TOKEN.InsertExpression:
      throw new WorkflowError('${{ insert }} is not supported by the local runner');
    default:
      return scalarValue(token);
  }
}

/**
 * The expression of a token. The parser (0.3.61) builds the format() of a string with `${{ }}` in it
 * from the YAML source when the string spans lines, so a block scalar's format() would keep the
 * source's indentation (and a folded or quoted one its raw line breaks): such a string is read again
 * as YAML, and its format() built from the value, the same way the parser builds it.
 */
function expressionOf(token: BasicExpressionToken): string {
  const source = token.source;
  if (!token.originalExpressions || source === undefined || !source.includes('\n')) return token.expression;
  const header = token.blockScalarHeader ? `${token.blockScalarHeader}\n` : '';
  const value = (parseYaml(`value: ${header}${source}`) as { value: unknown }).value;
  return typeof value === 'string' ? formatExpression(value) : token.expression;
}

/** `text ${{ a }} more` as `format('text {0} more', a)`, with the parser's rules for finding `}}`. */
function formatExpression(text: string): string {
  const literal = (part: string) => part.replace(/'/g, "''").replace(/\{/g, '{{').replace(/\}/g, '}}');
  let format = '';
  const args: string[] = [];
  let at = 0;
  for (let start = text.indexOf('${{'); start >= 0; start = text.indexOf('${{', at)) {
    let inString = false;
    let end = -1;
    for (let i = start + 3; i < text.length; i += 1) {
      if (text[i] === "'") inString = !inString;
      else if (!inString && text[i] === '}' && text[i - 1] === '}') {
        end = i;
        break;
      }
    }
    if (end < 0) break;
    format += `${literal(text.slice(at, start))}{${args.length}}`;
    args.push(text.slice(start + 3, end - 1).trim());
    at = end + 1;
  }
  format += literal(text.slice(at));
  return `format('${format}'${args.map((arg) => `, ${arg}`).join('')})`;
}

function tokenText(token: TemplateToken | undefined, contexts: Contexts): string | undefined {
  return token === undefined ? undefined : expressionText(evaluateToken(token, contexts));
}

/** A mapping of strings (`env:`, `with:`, `outputs:`), each value evaluated. */
function tokenStrings(token: TemplateToken | undefined, contexts: Contexts): Record<string, string> {
  if (token === undefined) return {};
  const value = evaluateToken(token, contexts);
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new WorkflowError(`expected a mapping, got ${JSON.stringify(value)}`);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expressionText(item)]));
}

function tokenBoolean(token: TemplateToken | undefined, contexts: Contexts): boolean {
  if (token === undefined) return false;
  const value = evaluateToken(token, contexts);
  return value === true || value === 'true';
}

function tokenMinutes(token: TemplateToken | undefined, contexts: Contexts, fallback: number): number {
  if (token === undefined) return fallback;
  const minutes = Number(evaluateToken(token, contexts));
  if (!Number.isFinite(minutes) || minutes <= 0) throw new WorkflowError(`timeout-minutes must be a positive number, got ${JSON.stringify(minutes)}`);
  return minutes;
}

// ---------------------------------------------------------------------------------------------------
// The run: github context, inputs, secrets

interface RunScope {
  root: string;
  github: Record<string, ExpressionValue>;
  inputs: Record<string, ExpressionValue>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  env: Record<string, string>;
  masks: string[];
  eventPath: string;
  actionRepositories: ActionRepositories;
  nodePath: string | undefined;
  signal: AbortSignal;
  started: number;
  jobs: JobRun[];
  /** `caller / ` before the job names of a called workflow. */
  prefix: string;
  idPrefix: string;
  /** How many reusable workflows deep this run is. */
  depth: number;
  onJobStart?: (job: JobRun) => void;
  onJobEnd?: (job: JobRun) => void;
}

const FIXTURE_SHA = 'ffac537e6cbbf934b08745a378932722df287a53';
const MAX_WORKFLOW_DEPTH = 10;

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}

interface InputDefinition {
  type?: string;
  required?: boolean;
  default?: unknown;
  options?: string[];
}

/** The `inputs` context: given values checked against the declarations, defaults filled in, typed. */
function resolveWorkflowInputs(
  definitions: Record<string, InputDefinition>,
  given: Record<string, ExpressionValue>,
  where: string,
  contexts: Contexts
): Record<string, ExpressionValue> {
  const declared = Object.keys(definitions);
  const problems: string[] = [];
  const result: Record<string, ExpressionValue> = {};
  for (const name of Object.keys(given)) {
    if (!declared.some((known) => known.toLowerCase() === name.toLowerCase())) {
      problems.push(`input ${name} is not declared by ${where}${declared.length ? ` (it declares: ${declared.join(', ')})` : ' (it declares none)'}`);
    }
  }
  for (const [name, definition] of Object.entries(definitions)) {
    const givenName = Object.keys(given).find((key) => key.toLowerCase() === name.toLowerCase());
    let value: ExpressionValue | undefined = givenName === undefined ? undefined : given[givenName];
    if (value === undefined) {
      const fallback = definition.default;
      if (fallback !== undefined && fallback !== null) {
        value = typeof fallback === 'object' ? evaluateToken(fallback as TemplateToken, contexts) : (fallback as ExpressionValue);
      } else if (definition.required) {
        problems.push(`input ${name} is required by ${where}; give it with --input ${name}=<value>`);
        continue;
      }
    }
    const type = definition.type ?? 'string';
    if (type === 'boolean') {
      const text = expressionText(value ?? false).toLowerCase();
      if (text !== 'true' && text !== 'false') problems.push(`input ${name} is a boolean: true or false, not ${JSON.stringify(value)}`);
      result[name] = text === 'true';
    } else if (type === 'number') {
      const number = Number(value ?? 0);
      if (!Number.isFinite(number) || expressionText(value ?? '0').trim() === '') problems.push(`input ${name} is a number, not ${JSON.stringify(value)}`);
      result[name] = number;
    } else {
      const text = expressionText(value ?? '');
      if (type === 'choice' && definition.options && !definition.options.includes(text)) {
        problems.push(`input ${name} must be one of ${definition.options.join(', ')}, not ${JSON.stringify(text)}`);
      }
      result[name] = text;
    }
  }
  if (problems.length > 0) throw new WorkflowError(problems.join('\n'));
  return result;
}

function secretValues(secrets: Record<string, string>): string[] {
  // A secret of several lines is masked whole and line by line, as the runner does.
  return Object.values(secrets).flatMap((value) => [value, ...value.split(/\r?\n/)]).filter((value) => value.trim() !== '');
}

/** GITHUB_* and RUNNER_* for a step, from the github context. */
function runnerVariables(github: Record<string, ExpressionValue>, job: string, runnerTemp: string): Record<string, string> {
  const text = (key: string) => expressionText(github[key] ?? '');
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTOR: text('actor'),
    GITHUB_API_URL: text('api_url'),
    GITHUB_BASE_REF: text('base_ref'),
    GITHUB_EVENT_NAME: text('event_name'),
    GITHUB_EVENT_PATH: text('event_path'),
    GITHUB_GRAPHQL_URL: text('graphql_url'),
    GITHUB_HEAD_REF: text('head_ref'),
    GITHUB_JOB: job,
    GITHUB_REF: text('ref'),
    GITHUB_REF_NAME: text('ref_name'),
    GITHUB_REF_TYPE: text('ref_type'),
    GITHUB_REPOSITORY: text('repository'),
    GITHUB_REPOSITORY_OWNER: text('repository_owner'),
    GITHUB_RETENTION_DAYS: text('retention_days'),
    GITHUB_RUN_ATTEMPT: text('run_attempt'),
    GITHUB_RUN_ID: text('run_id'),
    GITHUB_RUN_NUMBER: text('run_number'),
    GITHUB_SERVER_URL: text('server_url'),
    GITHUB_SHA: text('sha'),
    GITHUB_TRIGGERING_ACTOR: text('triggering_actor'),
    GITHUB_WORKFLOW: text('workflow'),
    GITHUB_WORKFLOW_REF: text('workflow_ref'),
    GITHUB_WORKSPACE: text('workspace'),
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'self-hosted',
    RUNNER_NAME: 'deploy-actions local runner',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp
  };
}

function defaultEvent(template: WorkflowTemplate): WorkflowEvent {
  const declared = Object.keys(template.events ?? {});
  const event = SUPPORTED_EVENTS.find((name) => declared.includes(name));
  if (!event) throw new WorkflowError(`the workflow runs on ${declared.join(', ') || 'no event'}; the local runner runs ${SUPPORTED_EVENTS.join(', ')}`);
  return event;
}

/**
 * The run's GitHub URLs as the runner sets them. On github.com the REST API is https://api.github.com
 * and GraphQL is its /graphql; on GitHub Enterprise Server the REST API is `<host>/api/v3` and GraphQL
 * is `<host>/api/graphql` (not `/api/v3/graphql`), and the server itself is `<host>`.
 */
export function githubUrls(apiUrl?: string, serverUrl?: string): { apiUrl: string; graphqlUrl: string; serverUrl: string } {
  const api = (apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const enterprise = /^(.*)\/api\/v3$/.exec(api);
  return {
    apiUrl: api,
    graphqlUrl: enterprise ? `${enterprise[1]}/api/graphql` : `${api}/graphql`,
    serverUrl: (serverUrl ?? enterprise?.[1] ?? 'https://github.com').replace(/\/+$/, '')
  };
}

/**
 * What of a workflow (and of the workflows it calls) the local runner cannot run, each naming the
 * feature and where it is; throws WorkflowError when GitHub's parser finds the workflow invalid.
 */
export async function inspectWorkflow(workflow: string, root: string = process.cwd(), actionRepositories?: Record<string, string>): Promise<string[]> {
  const resolved = resolve(root);
  return (await loadChecked(workflow, resolved, actionRepositoryMap(actionRepositories, resolved))).problems;
}

async function loadChecked(file: string, root: string, repositories: ActionRepositories): Promise<{ workflow: LoadedWorkflow; problems: string[] }> {
  const workflow = await parseWorkflowFile(isAbsolute(file) ? file : join(root, file), root, repositories);
  return { workflow, problems: await checkSupported(workflow, root, new Set(), repositories) };
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
  const root = resolve(options.root ?? process.cwd());
  const actionRepositories = actionRepositoryMap(options.actionRepositories, root);
  const { workflow, problems } = await loadChecked(options.workflow, root, actionRepositories);
  if (problems.length > 0) throw new WorkflowError(`${workflow.file} uses what the local runner cannot run:\n${problems.map((p) => `  ${p}`).join('\n')}`);

  const event = options.event ?? defaultEvent(workflow.template);
  if (!(SUPPORTED_EVENTS as readonly string[]).includes(event)) {
    throw new WorkflowError(`event ${event} is not supported by the local runner (it runs ${SUPPORTED_EVENTS.join(', ')})`);
  }
  if (!(event in (workflow.template.events ?? {}))) {
    throw new WorkflowError(`${workflow.file} does not run on ${event} (on: ${Object.keys(workflow.template.events ?? {}).join(', ')})`);
  }

  const sha = options.sha ?? git(root, ['rev-parse', 'HEAD']) ?? FIXTURE_SHA;
  const ref = options.ref ?? (git(root, ['symbolic-ref', '-q', 'HEAD']) || 'refs/heads/main');
  const repository = options.repository ?? 'octo-org/octo-repo';
  const actor = options.actor ?? 'octocat';
  const { apiUrl, graphqlUrl, serverUrl } = githubUrls(options.apiUrl, options.serverUrl);
  const secrets = { ...options.secrets };
  const scratch = mkdtempSync(join(tmpdir(), 'workflow-run-'));
  const eventPath = join(scratch, 'event.json');
  const repositoryPayload = { full_name: repository, name: repository.split('/')[1] ?? repository, owner: { login: repository.split('/')[0] ?? '' } };
  const githubBase: Record<string, ExpressionValue> = {
    action: '',
    actor,
    api_url: apiUrl,
    base_ref: '',
    event_name: event,
    event_path: eventPath,
    graphql_url: graphqlUrl,
    head_ref: '',
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    repository,
    repository_owner: repository.split('/')[0] ?? '',
    retention_days: '90',
    run_attempt: '1',
    run_id: String(Date.now()),
    run_number: '1',
    server_url: serverUrl,
    sha,
    token: secrets.GITHUB_TOKEN ?? '',
    triggering_actor: actor,
    workflow: workflow.name,
    workflow_ref: `${repository}/${workflow.file}@${ref}`,
    workspace: root
  };

  // Inputs come typed into `inputs`, and as strings into a dispatch's payload.
  const events = workflow.template.events;
  const definitions = (event === 'workflow_dispatch' ? events.workflow_dispatch?.inputs : event === 'workflow_call' ? events.workflow_call?.inputs : undefined) ?? {};
  if (event !== 'workflow_dispatch' && event !== 'workflow_call' && Object.keys(options.inputs ?? {}).length > 0) {
    throw new WorkflowError(`inputs are given, but a ${event} event has none (inputs belong to workflow_dispatch and workflow_call)`);
  }
  const inputs = resolveWorkflowInputs(definitions as Record<string, InputDefinition>, options.inputs ?? {}, `on.${event}.inputs`, {
    github: githubBase,
    inputs: {},
    vars: options.vars ?? {}
  });
  const payloads: Record<WorkflowEvent, Record<string, unknown>> = {
    workflow_dispatch: { inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, expressionText(v)])), ref, workflow: workflow.file },
    workflow_call: {},
    push: { ref, before: '0'.repeat(40), after: sha, created: false, deleted: false, forced: false, commits: [], head_commit: { id: sha }, pusher: { name: actor } },
    schedule: { schedule: events.schedule?.[0]?.cron ?? '' }
  };
  const payload = { ...payloads[event], repository: repositoryPayload, sender: { login: actor }, ...options.payload };
  writeFileSync(eventPath, JSON.stringify(payload, null, 2));
  if (event === 'workflow_call') {
    const required = Object.entries(events.workflow_call?.secrets ?? {}).filter(([name, spec]) => spec?.required && !(name in secrets));
    if (required.length > 0) throw new WorkflowError(required.map(([name]) => `secret ${name} is required by on.workflow_call.secrets; give it with --secret ${name}=<value>`).join('\n'));
  }

  const cancel = new AbortController();
  const abort = () => cancel.abort();
  if (options.signal?.aborted) abort();
  else options.signal?.addEventListener('abort', abort, { once: true });
  const scope: RunScope = {
    root,
    github: { ...githubBase, event: payload as ExpressionValue },
    inputs,
    secrets,
    vars: { ...options.vars },
    env: { ...options.env },
    masks: secretValues(secrets),
    eventPath,
    actionRepositories,
    nodePath: options.nodePath,
    signal: cancel.signal,
    started: performance.now(),
    jobs: [],
    prefix: '',
    idPrefix: '',
    depth: 0,
    ...(options.onJobStart ? { onJobStart: options.onJobStart } : {}),
    ...(options.onJobEnd ? { onJobEnd: options.onJobEnd } : {})
  };
  try {
    const { results, outputs } = await runJobs(workflow, scope);
    const conclusion = cancel.signal.aborted ? 'cancelled' : [...results.values()].some((r) => r.result === 'failure' || r.result === 'cancelled') ? 'failure' : 'success';
    const run: WorkflowRun = { name: workflow.name, event, conclusion, jobs: scope.jobs, outputs };
    if (options.summaryPage !== undefined) run.summaryPage = await writeRunSummaryPage(options.summaryPage, run);
    return run;
  } finally {
    options.signal?.removeEventListener('abort', abort);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The job summaries as GitHub's run page shows them: each job that wrote one, under its name, in the
 * order the jobs started. The renderer is loaded here, only for a run that asked for a page.
 */
async function writeRunSummaryPage(path: string, run: WorkflowRun): Promise<string> {
  const { writeSummaryPage } = await import('./summary-page.js');
  return writeSummaryPage(path, {
    title: run.name,
    subtitle: `${run.event} · ${run.conclusion}`,
    sections: run.jobs.filter((job) => job.summary.trim() !== '').map((job) => ({ title: job.name, result: job.result, markdown: job.summary }))
  });
}

// ---------------------------------------------------------------------------------------------------
// Jobs in `needs` order

interface NeedResult {
  result: JobResult;
  outputs: Record<string, string>;
}

async function runJobs(workflow: LoadedWorkflow, scope: RunScope): Promise<{ results: Map<string, NeedResult>; outputs: Record<string, string> }> {
  const jobs = workflow.template.jobs ?? [];
  const results = new Map<string, NeedResult>();
  const running = new Map<string, Promise<NeedResult>>();
  const ancestors = (job: WorkflowJob): string[] => {
    const direct = (job.needs ?? []).map((need) => need.value);
    return [...new Set(direct.flatMap((id) => [id, ...ancestors(jobs.find((j) => j.id.value === id)!)]))];
  };
  const start = (job: WorkflowJob): Promise<NeedResult> => {
    const id = job.id.value;
    let promise = running.get(id);
    if (!promise) {
      promise = (async () => {
        await Promise.all((job.needs ?? []).map((need) => start(jobs.find((j) => j.id.value === need.value)!)));
        const result = await runJob(workflow, job, scope, results, ancestors(job));
        results.set(id, result);
        return result;
      })();
      running.set(id, promise);
    }
    return promise;
  };
  await Promise.all(jobs.map(start));

  // A called workflow's outputs, from its jobs.
  const outputsToken = member(member(member(workflow.root, 'on'), 'workflow_call'), 'outputs');
  const outputs: Record<string, string> = {};
  if (isMapping(outputsToken)) {
    const jobsContext = Object.fromEntries([...results].map(([id, r]) => [id, { result: r.result, outputs: r.outputs }]));
    for (const pair of outputsToken) {
      const value = member(pair.value, 'value');
      outputs[String(scalarValue(pair.key))] = tokenText(value, { github: scope.github, inputs: scope.inputs, vars: scope.vars, jobs: jobsContext }) ?? '';
    }
  }
  return { results, outputs };
}

function needsContext(job: WorkflowJob, results: Map<string, NeedResult>): Record<string, ExpressionValue> {
  return Object.fromEntries((job.needs ?? []).map((need) => {
    const r = results.get(need.value);
    return [need.value, { result: r?.result ?? 'skipped', outputs: r?.outputs ?? {} }];
  }));
}

function newJobRun(scope: RunScope, id: string, name: string): JobRun {
  const now = performance.now() - scope.started;
  return { id: `${scope.idPrefix}${id}`, name: `${scope.prefix}${name}`, result: 'skipped', outputs: {}, steps: [], log: [], summary: '', startedAt: now, finishedAt: now };
}

async function runJob(workflow: LoadedWorkflow, job: WorkflowJob, scope: RunScope, results: Map<string, NeedResult>, ancestors: string[]): Promise<NeedResult> {
  const id = job.id.value;
  const needs = needsContext(job, results);
  const needResults = ancestors.map((need) => results.get(need)?.result ?? 'skipped');
  const direct = Object.values(needs).map((need) => (need as { result: string }).result);
  const status: StatusFunctions = {
    success: !scope.signal.aborted && direct.every((result) => result === 'success'),
    failure: needResults.some((result) => result === 'failure'),
    cancelled: scope.signal.aborted
  };
  const jobContexts = { github: { ...scope.github, job: id }, inputs: scope.inputs, vars: scope.vars, needs };
  const displayName = (contexts: Contexts) => (job.name ? (tokenText(job.name, contexts) ?? id) : id);

  let run: boolean;
  try {
    run = evaluateCondition(job.if.expression, status, jobContexts);
  } catch (error) {
    const failed = newJobRun(scope, id, displayName(jobContexts));
    failed.result = 'failure';
    failed.log.push(`##[error]Error when evaluating 'if' for job '${id}'. ${(error as Error).message}`);
    publish(scope, failed);
    return { result: 'failure', outputs: {} };
  }
  if (!run) {
    const skipped = newJobRun(scope, id, displayName(jobContexts));
    skipped.log.push(`Skipped: the condition was false (if: ${job.if.expression})`);
    publish(scope, skipped);
    return { result: 'skipped', outputs: {} };
  }

  const rawJob = member(member(workflow.root, 'jobs'), id);
  let legs: Array<Record<string, ExpressionValue> | undefined>;
  let strategy: { failFast: boolean; maxParallel: number };
  try {
    ({ legs, strategy } = expandStrategy(rawJob && member(rawJob, 'strategy'), jobContexts));
  } catch (error) {
    const failed = newJobRun(scope, id, displayName(jobContexts));
    failed.result = 'failure';
    failed.log.push(`##[error]jobs.${id}.strategy: ${(error as Error).message}`);
    publish(scope, failed);
    return { result: 'failure', outputs: {} };
  }

  // The legs of a matrix run at once (up to max-parallel); with fail-fast, a failed leg cancels the rest.
  const legAbort = new AbortController();
  const stopLegs = () => legAbort.abort();
  scope.signal.addEventListener('abort', stopLegs, { once: true });
  const legResults: NeedResult[] = [];
  const outputs: Record<string, string> = {};
  let next = 0;
  const worker = async () => {
    while (next < legs.length) {
      const index = next++;
      const matrix = legs[index];
      const strategyContext = { 'fail-fast': strategy.failFast, 'job-index': index, 'job-total': legs.length, 'max-parallel': strategy.maxParallel };
      const contexts = { ...jobContexts, matrix: matrix ?? {}, strategy: strategyContext };
      const base = displayName(contexts);
      const name = matrix && !(job.name && /\bmatrix\b/.test(String((job.name as unknown as { expression?: string }).expression ?? ''))) ? `${base} (${Object.values(matrix).map(matrixLabel).join(', ')})` : base;
      const result =
        job.type === 'reusableWorkflowJob'
          ? await runCalledWorkflow(job, name, contexts, scope, legAbort.signal)
          : await runSteps(workflow, job, rawJob as MappingToken, name, contexts, scope, legAbort.signal, matrix);
      legResults.push(result);
      Object.assign(outputs, result.outputs);
      if (result.result === 'failure' && strategy.failFast && legs.length > 1) legAbort.abort();
    }
  };
  await Promise.all(Array.from({ length: Math.min(strategy.maxParallel, legs.length) }, worker));
  scope.signal.removeEventListener('abort', stopLegs);
  const result: JobResult = legResults.some((r) => r.result === 'failure')
    ? 'failure'
    : legResults.some((r) => r.result === 'cancelled')
      ? scope.signal.aborted
        ? 'cancelled'
        : 'failure'
      : 'success';
  return { result, outputs };
}

function matrixLabel(value: ExpressionValue): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : expressionText(value);
}

function publish(scope: RunScope, job: JobRun): void {
  job.finishedAt = performance.now() - scope.started;
  scope.jobs.push(job);
  scope.onJobStart?.(job);
  scope.onJobEnd?.(job);
}

/** The legs of `strategy.matrix` as GitHub makes them: the product of its values, less exclude, plus include. */
export function expandMatrix(matrix: Record<string, ExpressionValue>): Array<Record<string, ExpressionValue>> {
  const { include, exclude, ...dimensions } = matrix;
  const keys = Object.keys(dimensions);
  for (const key of keys) {
    if (!Array.isArray(dimensions[key])) throw new Error(`matrix.${key} must be a list, got ${JSON.stringify(dimensions[key])}`);
  }
  const same = (a: ExpressionValue | undefined, b: ExpressionValue | undefined) => JSON.stringify(a) === JSON.stringify(b);
  let legs: Array<Record<string, ExpressionValue>> = keys.length === 0 ? [] : [{}];
  for (const key of keys) legs = legs.flatMap((leg) => (dimensions[key] as ExpressionValue[]).map((value) => ({ ...leg, [key]: value })));
  const list = (value: ExpressionValue | undefined, name: string): Array<Record<string, ExpressionValue>> => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
      throw new Error(`matrix.${name} must be a list of mappings`);
    }
    return value as Array<Record<string, ExpressionValue>>;
  };
  for (const rule of list(exclude, 'exclude')) {
    legs = legs.filter((leg) => !Object.entries(rule).every(([key, value]) => same(leg[key], value)));
  }
  // Each include entry extends every leg whose original values it does not contradict; one that
  // extends none is a leg of its own. Values it added earlier may be overwritten, original ones not.
  const originals = legs.map((leg) => ({ ...leg }));
  for (const entry of list(include, 'include')) {
    let matched = false;
    legs.forEach((leg, index) => {
      const original = originals[index];
      if (!original) return;
      if (Object.entries(entry).every(([key, value]) => !(key in original) || same(original[key], value))) {
        Object.assign(leg, entry);
        matched = true;
      }
    });
    if (!matched) legs.push({ ...entry });
  }
  return legs;
}

function expandStrategy(
  token: TemplateToken | undefined,
  contexts: Contexts
): { legs: Array<Record<string, ExpressionValue> | undefined>; strategy: { failFast: boolean; maxParallel: number } } {
  if (!token) return { legs: [undefined], strategy: { failFast: true, maxParallel: 1 } };
  const value = evaluateToken(token, contexts);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('must be a mapping');
  const matrixValue = value.matrix;
  const matrix = typeof matrixValue === 'string' ? (JSON.parse(matrixValue) as ExpressionValue) : matrixValue;
  if (matrix !== undefined && (typeof matrix !== 'object' || matrix === null || Array.isArray(matrix))) throw new Error('matrix must be a mapping');
  const legs = matrix ? expandMatrix(matrix) : [undefined];
  if (legs.length === 0) throw new Error('the matrix has no legs (every combination was excluded)');
  const failFast = value['fail-fast'] === undefined ? true : value['fail-fast'] === true || value['fail-fast'] === 'true';
  const maxParallel = value['max-parallel'] === undefined ? legs.length : Number(value['max-parallel']);
  if (!Number.isInteger(maxParallel) || maxParallel < 1) throw new Error(`max-parallel must be a positive whole number, got ${JSON.stringify(value['max-parallel'])}`);
  return { legs, strategy: { failFast, maxParallel } };
}

// ---------------------------------------------------------------------------------------------------
// A called workflow (`uses: ./.github/workflows/x.yml`)

async function runCalledWorkflow(job: ReusableWorkflowJob, name: string, contexts: Contexts, scope: RunScope, signal: AbortSignal): Promise<NeedResult> {
  const header = newJobRun(scope, job.id.value, name);
  const fail = (message: string): NeedResult => {
    header.result = 'failure';
    header.log.push(`##[error]${applyMasks(message, scope.masks)}`);
    publish(scope, header);
    return { result: 'failure', outputs: {} };
  };
  // GitHub connects up to ten levels of workflows; a workflow calling itself would never end.
  if (scope.depth >= MAX_WORKFLOW_DEPTH - 1) return fail(`jobs.${job.id.value}: reusable workflows nest at most ${MAX_WORKFLOW_DEPTH} levels deep`);
  let called: LoadedWorkflow;
  let inputs: Record<string, ExpressionValue>;
  let secrets: Record<string, string>;
  try {
    called = await parseWorkflowFile(localActionDir(job.ref.value, scope.root, scope.actionRepositories)!, scope.root, scope.actionRepositories);
    const given = job['input-values'] ? (evaluateToken(job['input-values'], contexts) as Record<string, ExpressionValue>) : {};
    const definitions = called.template.events.workflow_call?.inputs ?? {};
    inputs = resolveWorkflowInputs(definitions as Record<string, InputDefinition>, given, `${job.ref.value} (on.workflow_call.inputs)`, contexts);
    secrets = job['inherit-secrets'] ? { ...scope.secrets } : tokenStrings(job['secret-values'], { ...contexts, secrets: scope.secrets });
  } catch (error) {
    return fail(`jobs.${job.id.value}: ${(error as Error).message}`);
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal.addEventListener('abort', stop, { once: true });
  try {
    const inner: RunScope = {
      ...scope,
      // The github context stays the caller's, as on GitHub.
      inputs,
      secrets,
      env: { ...scope.env },
      signal: controller.signal,
      prefix: `${scope.prefix}${name} / `,
      idPrefix: `${scope.idPrefix}${job.id.value}/`,
      depth: scope.depth + 1
    };
    const { results, outputs } = await runJobs(called, inner);
    const failed = [...results.values()].some((r) => r.result === 'failure' || r.result === 'cancelled');
    return { result: controller.signal.aborted ? 'cancelled' : failed ? 'failure' : 'success', outputs };
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

// ---------------------------------------------------------------------------------------------------
// A job's steps

interface StepPlanned {
  step: Step;
  raw: MappingToken;
  action?: OpenedAction;
  /** Where a mapped repository's action runs from, for the log. */
  actionDir?: string;
  builtin?: BuiltinAction;
}

function shellCommand(shell: string, script: string): { command: string; args: string[]; shown: string } {
  if (shell === 'bash') return { command: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', script], shown: 'bash --noprofile --norc -e -o pipefail {0}' };
  if (shell === 'sh') return { command: 'sh', args: ['-e', script], shown: 'sh -e {0}' };
  // A custom shell: `command [args...] {0}`, split on blanks as the runner does.
  const parts = shell.trim().split(/\s+/);
  return { command: parts[0]!, args: parts.slice(1).map((part) => part.replace('{0}', script)), shown: shell };
}

function defaultStepName(step: Step): string {
  if ('run' in step) {
    const text = step.run.templateTokenType === TOKEN.BasicExpression ? ((step.run as unknown as BasicExpressionToken).source ?? '') : String(scalarValue(step.run));
    return `Run ${text.trim().split('\n')[0] ?? ''}`;
  }
  if ('uses' in step) return `Run ${step.uses.value}`;
  return 'Step';
}

function listing(title: string, values: Record<string, string>): string[] {
  const entries = Object.entries(values);
  if (entries.length === 0) return [];
  // A value of several lines goes on below its name, indented, as the runner's log shows it.
  return [`${title}:`, ...entries.map(([key, value]) => `  ${key}: ${value.replace(/\n$/, '').replace(/\n/g, '\n    ')}`)];
}

async function runSteps(
  workflow: LoadedWorkflow,
  job: Extract<WorkflowJob, { type: 'job' }>,
  rawJob: MappingToken,
  name: string,
  baseContexts: Contexts,
  scope: RunScope,
  signal: AbortSignal,
  matrix: Record<string, ExpressionValue> | undefined
): Promise<NeedResult> {
  const jobRun = newJobRun(scope, job.id.value, name);
  if (matrix) jobRun.matrix = matrix;
  scope.jobs.push(jobRun);
  scope.onJobStart?.(jobRun);
  const state: JobState = createJobState(scope.masks);
  const log = (line: string) => jobRun.log.push(applyMasks(line, state.masks));
  const temp = mkdtempSync(join(tmpdir(), 'workflow-job-'));
  const fileCommandDir = join(temp, '_runner_file_commands');
  mkdirSync(fileCommandDir, { recursive: true });

  const jobAbort = new AbortController();
  const cancelJob = () => jobAbort.abort();
  signal.addEventListener('abort', cancelJob, { once: true });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const opened: StepPlanned[] = [];
  let jobEnv: Record<string, string> = {};
  let cancelled = false;

  try {
    const contextsWith = (env: Record<string, string>, extra: Contexts = {}): Contexts => ({
      ...baseContexts,
      secrets: scope.secrets,
      steps,
      job: { status: cancelled ? 'cancelled' : state.status },
      runner: { os: 'Linux', arch: 'X64', name: 'deploy-actions local runner', temp, tool_cache: join(temp, 'toolcache'), environment: 'self-hosted', debug: '' },
      env,
      ...extra
    });
    const workflowEnv = tokenStrings(member(workflow.root, 'env'), contextsWith({}));
    jobEnv = { ...scope.env, ...workflowEnv, ...tokenStrings(job.env, contextsWith({ ...scope.env, ...workflowEnv })) };
    const runsOn = tokenText(member(rawJob, 'runs-on'), contextsWith(jobEnv));
    const environment = member(rawJob, 'environment');
    log(`Runner: local (runs-on: ${runsOn ?? 'none'})`);
    if (environment) log(`Environment: ${tokenText(member(environment, 'name') ?? environment, contextsWith(jobEnv))}`);
    if (matrix) log(`Matrix: ${JSON.stringify(matrix)}`);
    const timeoutMinutes = tokenMinutes(member(rawJob, 'timeout-minutes'), contextsWith(jobEnv), 360);
    timer = setTimeout(() => {
      timedOut = true;
      jobAbort.abort();
    }, timeoutMinutes * 60_000);
    const defaults = (token: TemplateToken | undefined) => tokenStrings(member(member(token, 'defaults'), 'run'), contextsWith(jobEnv));
    const runDefaults = { ...defaults(workflow.root), ...defaults(rawJob) };
    const rawSteps = member(rawJob, 'steps') as SequenceToken | undefined;

    // Every action of the job is set up first, and its pre step runs, as in the runner's "Set up job".
    (job.steps as Step[]).forEach((step, index) => {
      const raw = rawSteps?.get(index) as MappingToken;
      const planned: StepPlanned = { step, raw };
      const builtin = 'uses' in step ? builtinAction(step.uses.value) : undefined;
      if (builtin) planned.builtin = builtin;
      else if ('uses' in step) {
        // Checked before the run: a step's action is of the repository or of a mapped one.
        const actionDir = localActionDir(step.uses.value, scope.root, scope.actionRepositories)!;
        if (!step.uses.value.startsWith('./')) planned.actionDir = actionDir;
        planned.action = openAction({
          actionDir,
          job: state,
          workspace: scope.root,
          signal: jobAbort.signal,
          ...(scope.nodePath ? { nodePath: scope.nodePath } : {})
        });
      }
      opened.push(planned);
    });
    for (const { step, raw, action } of opened) {
      if (!action?.metadata.runs.pre) continue;
      const stepEnv = { ...jobEnv, ...state.exportedEnv, ...tokenStrings(step.env, contextsWith(jobEnv)) };
      const contexts = contextsWith(stepEnv);
      log(`##[group]Pre ${tokenText(step.name, contexts) ?? defaultStepName(step)}`);
      const pre = await action.pre({
        inputs: tokenStrings(member(raw, 'with'), contexts),
        env: { ...stepEnv, ...runnerVariables(scope.github, job.id.value, temp), GITHUB_ACTION: step.id },
        contexts: contexts as Record<string, ExpressionValue>
      });
      log('##[endgroup]');
      if (pre) absorb(jobRun, pre, log);
    }

    // A step that starts after a cancel (under always() or cancelled()) runs to its end, as on GitHub.
    const stepSignal = () => (jobAbort.signal.aborted ? new AbortController().signal : jobAbort.signal);
    for (const { step, raw, action, actionDir, builtin } of opened) {
      cancelled = jobAbort.signal.aborted;
      const status: StatusFunctions = { success: !cancelled && state.status === 'success', failure: !cancelled && state.status === 'failure', cancelled };
      const envContexts = contextsWith({ ...jobEnv, ...state.exportedEnv });
      const result: StepResult = { id: step.id, name: '', outcome: 'skipped', conclusion: 'skipped', outputs: {}, annotations: [] };
      let stepName = defaultStepName(step);
      try {
        stepName = tokenText(step.name, envContexts) ?? stepName;
        result.name = stepName;
        if (!evaluateCondition(step.if.expression, status, envContexts)) {
          log(`Skipped: ${stepName} (if: ${step.if.expression})`);
          jobRun.steps.push(result);
          if (!step.id.startsWith('__')) steps[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
          continue;
        }
        const stepEnv = { ...jobEnv, ...state.exportedEnv, ...tokenStrings(step.env, envContexts) };
        const contexts = contextsWith(stepEnv);
        const continueOnError = tokenBoolean(member(raw, 'continue-on-error'), contexts);
        const timeoutMs = tokenMinutes(member(raw, 'timeout-minutes'), contexts, 360) * 60_000;
        const variables = { ...runnerVariables(scope.github, job.id.value, temp), GITHUB_ACTION: step.id };
        let run: StepRun;
        if (builtin) {
          const inputs = tokenStrings(member(raw, 'with'), contexts);
          log(`##[group]${stepName}`);
          for (const line of listing('with', inputs)) log(line);
          log('##[endgroup]');
          const env = withPath({ ...minimalEnvironment(), ...stepEnv, ...variables }, state);
          run = builtin.run({ inputs, workspace: scope.root, repository: expressionText(scope.github.repository ?? ''), env });
        } else if (action) {
          const inputs = tokenStrings(member(raw, 'with'), contexts);
          log(`##[group]${stepName}`);
          if (actionDir) log(`from the local folder ${actionDir} (the ref after @ is not checked out: the folder runs as it is)`);
          for (const line of [...listing('with', inputs), ...listing('env', tokenStrings(step.env, envContexts))]) log(line);
          log('##[endgroup]');
          run = await action.main({ inputs, env: { ...stepEnv, ...variables }, timeoutMs, contexts: contexts as Record<string, ExpressionValue>, signal: stepSignal() });
        } else {
          const script = tokenText((step as RunStep).run, contexts) ?? '';
          const shell = tokenText(member(raw, 'shell'), contexts) ?? runDefaults.shell ?? 'bash';
          if (!isSupportedShell(shell)) throw new WorkflowError(`shell ${shell} is not supported by the local runner`);
          const directory = tokenText(member(raw, 'working-directory'), contexts) ?? runDefaults['working-directory'];
          const cwd = directory ? resolve(scope.root, directory) : scope.root;
          // The script goes to a file that the shell runs: nothing of it is passed on a command line.
          const file = join(temp, `${step.id.replace(/[^\w-]/g, '_')}-${jobRun.steps.length}.sh`);
          writeFileSync(file, script);
          const { command, args, shown } = shellCommand(shell, file);
          log(`##[group]${stepName}`);
          for (const line of script.replace(/\n$/, '').split('\n')) log(line);
          log(`shell: ${shown}`);
          for (const line of listing('env', tokenStrings(step.env, envContexts))) log(line);
          log('##[endgroup]');
          if (!existsSync(cwd)) throw new WorkflowError(`working-directory ${directory} does not exist`);
          run = await runCommandStep({
            command,
            args,
            env: withPath({ ...minimalEnvironment(), ...stepEnv, ...variables }, state),
            workspace: scope.root,
            cwd,
            fileCommandDir,
            timeoutMs,
            job: state,
            signal: stepSignal()
          });
          if (run.exitCode !== 0 && !run.timedOut && !run.cancelled) run.annotations.push({ level: 'error', message: `Process completed with exit code ${run.exitCode}.`, properties: {} });
          if (run.exitCode !== 0 && !run.timedOut && !run.cancelled) run.log += `${run.log ? '\n' : ''}##[error]Process completed with exit code ${run.exitCode}.`;
        }
        absorb(jobRun, run, log);
        result.outcome = run.cancelled ? 'cancelled' : run.conclusion;
        result.conclusion = result.outcome === 'failure' && continueOnError ? 'success' : result.outcome;
        result.outputs = run.outputs;
        result.annotations = run.annotations;
        if (result.outcome === 'failure' && continueOnError) log(`Continuing: ${stepName} failed, and continue-on-error is true`);
      } catch (error) {
        const message = (error as Error).message;
        log(`##[error]${stepName}: ${message}`);
        result.name = stepName;
        result.outcome = 'failure';
        result.conclusion = 'failure';
        result.annotations = [{ level: 'error', message, properties: {} }];
      }
      // The job's status follows the conclusions: a step allowed to fail does not fail it.
      state.status = jobRun.steps.concat(result).some((s) => s.conclusion === 'failure' || s.conclusion === 'cancelled') ? 'failure' : 'success';
      jobRun.steps.push(result);
      if (!step.id.startsWith('__')) steps[step.id] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.conclusion };
    }

    // Post steps run last, in reverse order, each under its post-if.
    for (const { step, action } of [...opened].reverse()) {
      if (!action?.metadata.runs.post) continue;
      const post = await action.post({ signal: stepSignal() });
      if (!post) continue;
      const stepName = `Post ${jobRun.steps.find((s) => s.id === step.id)?.name ?? defaultStepName(step)}`;
      if (!post.run) {
        log(`Skipped: ${stepName} (post-if: ${post.condition.expression})`);
        continue;
      }
      log(`##[group]${stepName}`);
      log('##[endgroup]');
      absorb(jobRun, post.run, log);
      if (post.run.conclusion === 'failure') state.status = 'failure';
    }

    cancelled = jobAbort.signal.aborted && !timedOut;
    if (timedOut) log(`##[error]The job has exceeded the maximum execution time of ${timeoutMinutes} minutes.`);
    jobRun.result = cancelled ? 'cancelled' : state.status === 'failure' || timedOut ? 'failure' : 'success';
    // Job outputs are evaluated at the end; one that holds a secret is dropped, as GitHub does.
    const outputs = tokenStrings(job.outputs, contextsWith(jobEnv));
    for (const [key, value] of Object.entries(outputs)) {
      if (applyMasks(value, state.masks) !== value) {
        log(`##[warning]Skip output '${key}' since it may contain secret.`);
        delete outputs[key];
      }
    }
    jobRun.outputs = outputs;
    const continueOnError = tokenBoolean(member(rawJob, 'continue-on-error'), contextsWith(jobEnv));
    if (jobRun.result === 'failure' && continueOnError) log('The job failed, and continue-on-error is true: the run goes on as if it had succeeded');
    return { result: jobRun.result === 'failure' && continueOnError ? 'success' : jobRun.result, outputs };
  } catch (error) {
    log(`##[error]${(error as Error).message}`);
    jobRun.result = 'failure';
    return { result: 'failure', outputs: {} };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', cancelJob);
    for (const { action } of opened) action?.close();
    rmSync(temp, { recursive: true, force: true });
    jobRun.finishedAt = performance.now() - scope.started;
    scope.onJobEnd?.(jobRun);
  }
}

/** GITHUB_PATH entries before PATH, the latest first. */
function withPath(env: Record<string, string>, state: JobState): Record<string, string> {
  if (state.prependPath.length === 0) return env;
  return { ...env, PATH: [...state.prependPath].reverse().concat(env.PATH ?? []).join(delimiter) };
}

/** A finished step's log and summary into the job's. */
function absorb(jobRun: JobRun, run: StepRun, log: (line: string) => void): void {
  if (run.log !== '') for (const line of run.log.split('\n')) log(line);
  if (run.summary.trim() !== '') jobRun.summary += `${jobRun.summary ? '\n' : ''}${run.summary}`;
}

