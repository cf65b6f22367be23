// The Vercel CLI subset the examples use: deploy, promote, rollback, ls, inspect.
//
// Shapes follow https://vercel.com/docs/cli/deploy (`vercel deploy [--prod] [--prebuilt]
// [--skip-domain]`, the deployment URL alone on stdout, progress on stderr),
// https://vercel.com/docs/cli/promote (`vercel promote <url-or-id> --yes`),
// https://vercel.com/docs/cli/rollback (`vercel rollback [url-or-id]`: no argument goes back to the
// previous production deployment), https://vercel.com/docs/cli/list and /docs/cli/inspect, and
// https://vercel.com/docs/cli/global-options (`--token`, `VERCEL_TOKEN`, `--scope`, `--cwd`, `--yes`).
//
// Differences, on purpose: the deployment URL is the bed's own (it reaches that deployment alone,
// like a *.vercel.app deployment URL); the project is VERCEL_PROJECT_ID, else platform-app.json's
// "name", else the folder's name; `--prebuilt` deploys the same folder (no .vercel/output needed);
// there are no rolling releases, so production traffic is one deployment at 100 %.

import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ok, parseOptions, type CommandContext, type Handler, type Invocation } from './invocation.ts';
import { CliError, readBehaviour, type App, type AppVersion } from './store.ts';

const VERSION_LINE = 'Vercel CLI 47.0.4 (deploy-actions test bed)';

function vercelError(message: string): CliError {
  return new CliError(1, `${VERSION_LINE}\nError: ${message}\n`);
}

const OPTIONS = {
  token: { type: 'string', short: 't' },
  scope: { type: 'string', short: 'S' },
  cwd: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  prod: { type: 'boolean' },
  prebuilt: { type: 'boolean' },
  'skip-domain': { type: 'boolean' },
  force: { type: 'boolean', short: 'f' },
  archive: { type: 'string' },
  env: { type: 'string', short: 'e', multiple: true },
  'build-env': { type: 'string', short: 'b', multiple: true },
  meta: { type: 'string', short: 'm', multiple: true },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean', short: 'd' }
} as const;

function checkToken(call: Invocation, context: CommandContext, flag: string | undefined): void {
  const token = flag ?? call.env.VERCEL_TOKEN;
  if (!token) throw vercelError('No existing credentials found. Please run `vercel login` or pass "--token"');
  if (token !== context.secrets.vercelToken) throw vercelError('The specified token is not valid. Use `vercel login` to generate a new token.');
}

function projectName(call: Invocation, dir: string): string {
  if (call.env.VERCEL_PROJECT_ID) return call.env.VERCEL_PROJECT_ID;
  try {
    const named = readBehaviour(dir, (message) => new CliError(1, message)).name;
    if (named) return named;
  } catch {
    // No platform-app.json here (promote, rollback, ls run anywhere): the folder names the project.
  }
  return basename(dir);
}

/** A deployment named by its id (`dpl_…`) or its URL (the one `vercel deploy` printed). */
function findDeployment(context: CommandContext, ref: string): { app: App; deployment: AppVersion } {
  const fromUrl = /\/vercel\/[^/@]+@([^/?#]+)/.exec(ref)?.[1];
  const id = fromUrl ? decodeURIComponent(fromUrl) : ref;
  for (const app of context.store.apps.values()) {
    if (app.platform !== 'vercel') continue;
    const deployment = app.versions.find((v) => v.id === id);
    if (deployment) return { app, deployment };
  }
  throw vercelError(`The provided argument "${ref}" is not a valid deployment ID or URL`);
}

function makeCurrent(context: CommandContext, app: App, deployment: AppVersion, action: string): void {
  app.productionHistory.push(deployment.id);
  context.store.setSplit(app, [{ version: deployment.id, percentage: 100 }], action);
}

const current = (app: App) => app.split[0]?.version;

const COMMANDS = new Set(['deploy', 'promote', 'rollback', 'ls', 'list', 'inspect', 'login', 'logout', 'env', 'pull', 'build', 'link', 'alias', 'domains', 'logs', 'redeploy', 'remove', 'rm', 'rolling-release', 'project', 'teams', 'whoami']);

export const vercel: Handler = (call, context) => {
  // `vercel`, `vercel --prod` and `vercel ./site` all deploy: a first word that is no command is the path.
  const first = call.argv[0];
  const [command = 'deploy', ...rest] = first === undefined || first.startsWith('-') || !COMMANDS.has(first) ? ['deploy', ...call.argv] : call.argv;
  const { values, positionals } = parseOptions(rest, OPTIONS, (problem) => vercelError(`unknown or unexpected option: ${problem.replace(/^Unknown option '([^']+)'.*$/s, '$1')}`));
  const dir = resolve(call.cwd, values.cwd ?? '.');
  checkToken(call, context, values.token);

  if (command === 'deploy') {
    const target = positionals[0] ? resolve(dir, positionals[0]) : dir;
    if (positionals.length > 1) throw vercelError(`Can't deploy more than one path.`);
    if (!existsSync(target)) throw vercelError(`The specified file or directory "${positionals[0]}" does not exist.`);
    const behaviour = readBehaviour(target, (message) => vercelError(message));
    if (context.faulted()) throw vercelError('Deployment failed: the build did not complete (injected fault: the bed was told to fail this call)');
    const name = call.env.VERCEL_PROJECT_ID ?? behaviour.name ?? basename(target);
    const app = context.store.appOrCreate('vercel', name);
    const id = `dpl_${context.store.nextSerial()}`;
    const production = values.prod === true;
    const deployment = context.store.addVersion(app, id, behaviour, target, { target: production ? 'production' : 'preview', url: context.versionUrl('vercel', name, id) });
    if (production && values['skip-domain'] !== true) makeCurrent(context, app, deployment, 'deploy --prod');
    const url = deployment.meta.url!;
    const stderr = `${VERSION_LINE}\n🔍  Inspect: ${url} [1s]\n${production ? '✅  Production' : '✅  Preview'}: ${url} [1s]\n`;
    return ok(`${url}\n`, stderr);
  }

  if (command === 'promote' || command === 'rollback') {
    if (positionals[0] === 'status') {
      const app = context.store.app('vercel', positionals[1] ?? projectName(call, dir));
      return ok('', `${VERSION_LINE}\n${app && current(app) ? `No ${command} in progress: ${current(app)} serves production` : 'No deployments'}\n`);
    }
    let found: { app: App; deployment: AppVersion };
    if (positionals[0]) {
      found = findDeployment(context, positionals[0]);
    } else if (command === 'promote') {
      throw vercelError('Missing required deployment id or URL: `vercel promote <deployment-id-or-url>`');
    } else {
      const app = context.store.app('vercel', projectName(call, dir));
      const now = app && current(app);
      const previous = app?.productionHistory.filter((id) => id !== now).at(-1);
      if (!app || !previous) throw vercelError('Unable to find a previous production deployment to roll back to');
      found = { app, deployment: app.versions.find((v) => v.id === previous)! };
    }
    if (current(found.app) === found.deployment.id) {
      return ok('', `${VERSION_LINE}\n> ${found.deployment.meta.url} is already the current production deployment\n`);
    }
    if (!values.yes) throw vercelError(`Use --yes to ${command} without a confirmation prompt (stdin is not a terminal)`);
    if (context.faulted()) throw vercelError(`Failed to ${command}: injected fault (the bed was told to fail this call)`);
    makeCurrent(context, found.app, found.deployment, command);
    const verb = command === 'promote' ? 'promoted to production' : 'rolled back to';
    return ok('', `${VERSION_LINE}\nSuccess! ${found.app.name} was ${verb} ${found.deployment.meta.url} [1s]\n`);
  }

  if (command === 'ls' || command === 'list') {
    const app = context.store.app('vercel', positionals[0] ?? projectName(call, dir));
    const rows = [...(app?.versions ?? [])].reverse().map((v) => ({ id: v.id, url: v.meta.url!, target: v.meta.target!, state: 'READY', current: app && current(app) === v.id, createdAt: v.createdOn }));
    if (values.json) return ok(`${JSON.stringify({ deployments: rows }, null, 2)}\n`);
    const lines = rows.map((row) => `  ${row.url}  ● Ready  ${row.target === 'production' ? 'Production' : 'Preview'}${row.current ? '  (current)' : ''}`);
    return ok(`${lines.join('\n')}${lines.length ? '\n' : ''}`, `${VERSION_LINE}\n> Deployments for ${app?.name ?? projectName(call, dir)}\n`);
  }

  if (command === 'inspect') {
    if (!positionals[0]) throw vercelError('Missing required deployment id or URL: `vercel inspect <deployment-id-or-url>`');
    const { app, deployment } = findDeployment(context, positionals[0]);
    const info = { id: deployment.id, name: app.name, target: deployment.meta.target, readyState: 'READY', url: deployment.meta.url, createdAt: deployment.createdOn, current: current(app) === deployment.id, label: deployment.label };
    if (values.json) return ok(`${JSON.stringify(info, null, 2)}\n`);
    return ok(`  General\n\n    id\t\t${info.id}\n    name\t${info.name}\n    target\t${info.target}\n    status\t● Ready\n    url\t\t${info.url}\n    current\t${info.current ? 'yes' : 'no'}\n`, `${VERSION_LINE}\n`);
  }

  throw vercelError(`The command "${command}" is not supported by the test bed's vercel (deploy, promote, rollback, ls, inspect)`);
};
