// The Shuttle CLI subset the examples use: deploy, deployment list | status | redeploy.
//
// Shapes follow https://docs.shuttle.dev/guides/cli (`shuttle deploy`, `shuttle deployment list`,
// `shuttle deployment redeploy [ID]`, `shuttle deployment status [ID]`) and cargo-shuttle's man page
// (https://man.archlinux.org/man/cargo-shuttle.1.en: global `--name`, `--id`, `--working-directory`,
// `--output normal|json`), with the API key from SHUTTLE_API_KEY (or `--api-key`).
//
// Differences, on purpose: nothing is built; a deployment is the working directory's platform-app.json.
// The project is `--name`, else Shuttle.toml's `name`, else platform-app.json's "name", else the folder's
// name. A project serves its newest running deployment at 100 %; `redeploy` starts a new deployment from
// an older one's build, which is how a Shuttle rollback is done.

import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ok, parseOptions, type CommandContext, type Handler, type Invocation } from './invocation.ts';
import { CliError, readBehaviour, type App, type AppVersion } from './store.ts';

function shuttleError(message: string): CliError {
  return new CliError(1, `Error: ${message}\n`);
}

function usageError(message: string, usage: string): CliError {
  return new CliError(2, `error: ${message}\n\nUsage: ${usage}\n\nFor more information, try '--help'.\n`);
}

const OPTIONS = {
  name: { type: 'string' },
  id: { type: 'string' },
  'working-directory': { type: 'string', short: 'C' },
  output: { type: 'string' },
  'api-key': { type: 'string' },
  'no-follow': { type: 'boolean' },
  'allow-dirty': { type: 'boolean' },
  debug: { type: 'boolean' },
  offline: { type: 'boolean' }
} as const;

function checkKey(call: Invocation, context: CommandContext, flag: string | undefined): void {
  const key = flag ?? call.env.SHUTTLE_API_KEY;
  if (!key) throw shuttleError('No valid API key found, try logging in first with:\n  shuttle login');
  if (key !== context.secrets.shuttleApiKey) throw shuttleError('API key is invalid (401 Unauthorized)');
}

function projectName(dir: string, flag: string | undefined): string {
  if (flag) return flag;
  const toml = join(dir, 'Shuttle.toml');
  const fromToml = existsSync(toml) ? /^\s*name\s*=\s*"([^"]+)"/m.exec(readFileSync(toml, 'utf8'))?.[1] : undefined;
  if (fromToml) return fromToml;
  try {
    const named = readBehaviour(dir, (message) => new CliError(1, message)).name;
    if (named) return named;
  } catch {
    // No platform-app.json (deployment list runs anywhere): the folder names the project.
  }
  return basename(dir);
}

const running = (app: App) => app.split[0]?.version;

function describe(app: App, deployment: AppVersion) {
  return { id: deployment.id, state: running(app) === deployment.id ? 'running' : 'stopped', label: deployment.label, created_at: deployment.createdOn, ...(deployment.meta.redeployOf ? { redeploy_of: deployment.meta.redeployOf } : {}) };
}

export const shuttle: Handler = (call, context) => {
  const { values, positionals } = parseOptions(call.argv, OPTIONS, (problem) => usageError(problem.replace(/^Unknown option '([^']+)'.*$/s, "unexpected argument '$1' found"), 'shuttle [OPTIONS] <COMMAND>'));
  const dir = resolve(call.cwd, values['working-directory'] ?? '.');
  if (values.output !== undefined && values.output !== 'normal' && values.output !== 'json') throw usageError(`invalid value '${values.output}' for '--output <OUTPUT_MODE>'\n  [possible values: normal, json]`, 'shuttle --output <OUTPUT_MODE> <COMMAND>');
  const asJson = values.output === 'json';
  const [command, subcommand, argument, ...extra] = positionals;
  if (command === 'deploy' || command === 'd') {
    if (subcommand !== undefined) throw usageError(`unexpected argument '${subcommand}' found`, 'shuttle deploy [OPTIONS]');
    checkKey(call, context, values['api-key']);
    const behaviour = readBehaviour(dir, (message) => shuttleError(message));
    if (context.faulted()) throw shuttleError('Deployment failed: build failed (injected fault: the bed was told to fail this call)');
    const name = projectName(dir, values.name);
    const app = context.store.appOrCreate('shuttle', name);
    const deployment = context.store.addVersion(app, `depl_${context.store.nextSerial()}`, behaviour, dir);
    context.store.setSplit(app, [{ version: deployment.id, percentage: 100 }], 'deploy');
    const url = context.appUrl('shuttle', name);
    if (asJson) return ok(`${JSON.stringify({ ...describe(app, deployment), project: name, uri: url })}\n`);
    return ok(`Deployment ${deployment.id} - running\n${url}\n`, `Packing files...\nUploading code...\nCreating deployment...\n`);
  }
  if (command === 'deployment' || command === 'depl') {
    checkKey(call, context, values['api-key']);
    const name = projectName(dir, values.name);
    const app = context.store.app('shuttle', name);
    if (!app) throw shuttleError(`Project '${name}' not found (404 Not Found)`);
    if (subcommand === 'list') {
      const rows = [...app.versions].reverse().map((deployment) => describe(app, deployment));
      if (asJson) return ok(`${JSON.stringify({ deployments: rows })}\n`);
      const lines = rows.map((row) => `${row.id}  ${row.state.padEnd(8)}  ${row.created_at}  ${row.label}`);
      return ok(`Deployments in project '${name}'\n${lines.join('\n')}\n`);
    }
    if (subcommand === 'status' || subcommand === 'redeploy') {
      if (extra.length > 0) throw usageError(`unexpected argument '${extra[0]}' found`, `shuttle deployment ${subcommand} [OPTIONS] [ID]`);
      const deployment = argument ? app.versions.find((v) => v.id === argument) : subcommand === 'status' ? app.versions.find((v) => v.id === running(app)) : app.versions.at(-1);
      if (!deployment) throw shuttleError(`Deployment '${argument ?? '(latest)'}' not found in project '${name}' (404 Not Found)`);
      if (subcommand === 'status') return ok(asJson ? `${JSON.stringify(describe(app, deployment))}\n` : `Deployment ${deployment.id} - ${describe(app, deployment).state}\n`);
      if (context.faulted()) throw shuttleError('Redeploy failed: injected fault (the bed was told to fail this call)');
      const redeployed = context.store.addVersion(app, `depl_${context.store.nextSerial()}`, deployment, deployment.source, { redeployOf: deployment.id });
      context.store.setSplit(app, [{ version: redeployed.id, percentage: 100 }], `redeploy ${deployment.id}`);
      if (asJson) return ok(`${JSON.stringify(describe(app, redeployed))}\n`);
      return ok(`Deployment ${redeployed.id} - running (redeploy of ${deployment.id})\n${context.appUrl('shuttle', name)}\n`);
    }
    throw usageError(subcommand ? `unrecognized subcommand '${subcommand}'` : "'shuttle deployment' requires a subcommand", 'shuttle deployment [OPTIONS] <COMMAND>\n\nCommands: list, status, redeploy (the test bed\'s shuttle supports only these)');
  }
  throw usageError(command ? `unrecognized subcommand '${command}'` : "'shuttle' requires a subcommand", "shuttle [OPTIONS] <COMMAND>\n\nCommands: deploy, deployment (the test bed's shuttle supports only these)");
};
