// `deploy-actions run-workflow <file> ...`: a whole workflow run locally by the harness's workflow
// runner, printed as GitHub's log shows it (each job and its steps, groups, annotations), then each
// job's summary. Exit code: 0 when the run succeeded, 1 when it failed, 2 for a command line or a
// workflow it cannot run.
import { join, resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SUPPORTED_EVENTS, WorkflowError, runWorkflow, type JobRun, type WorkflowEvent } from '@deploy-actions/harness';
import { cancelOnSignals } from './signals.js';
import { renderLogLine, renderOutputs, renderSummary } from './terminal.js';
import { SUMMARY_HTML_USAGE, summaryPageLine, takeSummaryHtml } from './summary-html.js';

export const WORKFLOW_USAGE = `usage: deploy-actions run-workflow <workflow.yml> [--event <event>] [--input name=value]... [--secret NAME[=value]]... [--var name=value]... [--payload event.json]
       [--api-url <url>] [--server-url <url>] [--repository owner/name] [--action-repository owner/name=<folder>]... [--summary-html <path>]

Runs a workflow of the repository in the current directory, as GitHub would: jobs in needs order,
run steps in bash, uses: ./<action> steps through the harness, reusable workflows of this repository.
  --event     ${SUPPORTED_EVENTS.join(', ')} (default: the first of these the workflow runs on)
  --input     a workflow_dispatch or workflow_call input; repeat for each input
  --secret    the secrets context, masked in the log; NAME alone takes the value of the variable NAME
  --var       the vars context
  --payload   a JSON file merged over the event payload (github.event)
  --api-url   the GitHub REST API the actions call (default https://api.github.com); GitHub Enterprise
              Server's https://<host>/api/v3 also sets the GraphQL and server URLs
  --server-url  where run and issue links point (default https://github.com, or the GHES host)
  --repository  github.repository, owner/name (default octo-org/octo-repo)
  --action-repository  run the steps uses: owner/name/<path>@<ref> from a local folder (*/name: any
              owner); default */deploy-actions=<the deploy-actions checkout this command runs from>,
              so released workflows (uses: <owner>/deploy-actions/actions/<name>@vX.Y.Z) run here
${SUMMARY_HTML_USAGE}
Prints each job's log, then each job's summary; exits 0 when the run succeeded, 1 when it failed.
`;

class UsageError extends Error {}

interface WorkflowArguments {
  workflow: string;
  event?: WorkflowEvent;
  inputs: Record<string, string>;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  payload?: Record<string, unknown>;
  summaryHtml?: string;
  apiUrl?: string;
  serverUrl?: string;
  repository?: string;
  /** owner/name (or *\/name) → a local folder, for `uses: owner/name/<path>@<ref>` steps. */
  actionRepositories: Record<string, string>;
}

function httpUrl(flag: string, text: string): string {
  const url = URL.parse(text);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new UsageError(`--${flag} ${JSON.stringify(text)} is not an http(s) URL`);
  return text;
}

function pair(flag: string, text: string, fromEnv = false): [string, string] {
  const equals = text.indexOf('=');
  if (equals > 0) return [text.slice(0, equals), text.slice(equals + 1)];
  if (fromEnv && text !== '') {
    const value = process.env[text];
    if (value === undefined) throw new UsageError(`--secret ${text}: no variable ${text} is set to take its value from; give --secret ${text}=<value>`);
    return [text, value];
  }
  throw new UsageError(`--${flag} needs name=value, got ${JSON.stringify(text)}`);
}

export function parseWorkflowArguments(allArguments: readonly string[], env: NodeJS.ProcessEnv = process.env): WorkflowArguments {
  const page = takeSummaryHtml(allArguments, env);
  if (page.problem) throw new UsageError(page.problem);
  const argv = page.argv;
  const parsed: WorkflowArguments = { workflow: '', inputs: {}, secrets: {}, vars: {}, actionRepositories: {}, ...(page.path !== undefined ? { summaryHtml: page.path } : {}) };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const flag = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!flag) {
      if (parsed.workflow) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}; one workflow file is run at a time`);
      parsed.workflow = arg;
      continue;
    }
    const name = flag[1]!;
    if (!['event', 'input', 'secret', 'var', 'payload', 'api-url', 'server-url', 'repository', 'action-repository'].includes(name)) {
      throw new UsageError(`unknown option --${name}; options: --event --input --secret --var --payload --api-url --server-url --repository --action-repository --summary-html`);
    }
    let value = flag[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      i += 1;
    }
    if (name === 'event') {
      if (!(SUPPORTED_EVENTS as readonly string[]).includes(value)) throw new UsageError(`--event ${value}: the local runner runs ${SUPPORTED_EVENTS.join(', ')}`);
      parsed.event = value as WorkflowEvent;
    } else if (name === 'input') {
      const [key, text] = pair(name, value);
      parsed.inputs[key] = text;
    } else if (name === 'secret') {
      const [key, text] = pair(name, value, true);
      parsed.secrets[key] = text;
    } else if (name === 'var') {
      const [key, text] = pair(name, value);
      parsed.vars[key] = text;
    } else if (name === 'api-url' || name === 'server-url') {
      if (parsed[name === 'api-url' ? 'apiUrl' : 'serverUrl'] !== undefined) throw new UsageError(`--${name} is given twice`);
      parsed[name === 'api-url' ? 'apiUrl' : 'serverUrl'] = httpUrl(name, value);
    } else if (name === 'repository') {
      if (parsed.repository !== undefined) throw new UsageError('--repository is given twice');
      if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(value)) throw new UsageError(`--repository ${JSON.stringify(value)} is not owner/name`);
      parsed.repository = value;
    } else if (name === 'action-repository') {
      const [key, folder] = pair(name, value);
      if (!/^(\*|[A-Za-z0-9-]+)\/[A-Za-z0-9._-]+$/.test(key)) throw new UsageError(`--action-repository ${JSON.stringify(key)} is not owner/name or */name`);
      if (!existsSync(folder)) throw new UsageError(`--action-repository ${key}=${folder}: no such folder`);
      parsed.actionRepositories[key] = resolve(folder);
    } else {
      try {
        parsed.payload = JSON.parse(readFileSync(value, 'utf8')) as Record<string, unknown>;
      } catch (error) {
        throw new UsageError(`--payload ${value}: ${(error as Error).message}; a JSON file holding an object is expected`);
      }
    }
  }
  if (!parsed.workflow) throw new UsageError('which workflow? give its file, e.g. .github/workflows/deploy.yml');
  return parsed;
}

/**
 * The deploy-actions checkout this command runs from (two folders above its source or its bundle's
 * folder), when it is one: released workflows name its actions as <owner>/deploy-actions/actions/<name>@<version>.
 */
export function ownActionRepository(from: string = fileURLToPath(import.meta.url)): Record<string, string> {
  for (const root of [resolve(from, '../../..'), resolve(from, '../../../..')]) {
    try {
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === 'deploy-actions' && existsSync(join(root, 'actions'))) return { '*/deploy-actions': root };
    } catch {
      // not this folder
    }
  }
  return {};
}

/** A line of the runner's log (`##[group]`, `##[error]`, ...) as the terminal shows it; null to hide it. */
export function renderRunnerLine(line: string): string | null {
  const marker = /^##\[(\w+)\](.*)$/s.exec(line);
  if (!marker) return renderLogLine(line);
  const [, kind, text] = marker;
  switch (kind) {
    case 'group':
      return `▸ ${text}`;
    case 'endgroup':
      return null;
    case 'error':
      return `Error: ${text}`;
    case 'warning':
      return `Warning: ${text}`;
    case 'notice':
      return `Notice: ${text}`;
    case 'debug':
      return process.env.RUNNER_DEBUG === '1' ? `debug: ${text}` : null;
    default:
      return line;
  }
}

function printJob(job: JobRun): void {
  const lines = [`\n━━ ${job.name}: ${job.result} ━━`];
  for (const line of job.log) {
    const shown = renderRunnerLine(line);
    if (shown !== null) lines.push(shown);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export async function runWorkflowCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(WORKFLOW_USAGE);
    return 0;
  }
  let args: WorkflowArguments;
  try {
    args = parseWorkflowArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`deploy-actions run-workflow: ${error.message}\n`);
    return 2;
  }
  const cancel = cancelOnSignals();
  try {
    const run = await runWorkflow({
      workflow: resolve(args.workflow),
      root: process.cwd(),
      inputs: args.inputs,
      secrets: args.secrets,
      vars: args.vars,
      signal: cancel.signal,
      ...(args.event ? { event: args.event } : {}),
      ...(args.payload ? { payload: args.payload } : {}),
      ...(args.apiUrl ? { apiUrl: args.apiUrl } : {}),
      ...(args.serverUrl ? { serverUrl: args.serverUrl } : {}),
      ...(args.repository ? { repository: args.repository } : {}),
      actionRepositories: { ...ownActionRepository(), ...args.actionRepositories },
      ...(args.summaryHtml !== undefined ? { summaryPage: args.summaryHtml } : {}),
      onJobEnd: printJob
    });
    const bold = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    const report: string[] = [];
    for (const job of run.jobs.filter((j) => j.summary.trim() !== '')) {
      report.push(`\n── summary: ${job.name} ──\n${renderSummary(job.summary, { bold }).trim()}`);
    }
    const outputs = renderOutputs(run.outputs);
    if (outputs) report.push(`\n── outputs ──\n${outputs}`);
    report.push(`\n${run.name} (${run.event}): ${run.conclusion}`);
    for (const job of run.jobs) report.push(`  ${job.result.padEnd(9)} ${job.name}`);
    process.stdout.write(`${report.join('\n')}\n${run.summaryPage ? summaryPageLine(run.summaryPage) : ''}`);
    return cancel.release() ?? (run.conclusion === 'success' ? 0 : 1);
  } catch (error) {
    if (!(error instanceof WorkflowError)) throw error;
    process.stderr.write(`deploy-actions run-workflow: ${error.message}\n`);
    return 2;
  } finally {
    cancel.release();
  }
}
