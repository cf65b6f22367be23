// The only place rollback reads its inputs. Everything is parsed and checked here, before any
// command runs or any platform is asked anything, so a bad value fails in one clear line.
import * as core from '@actions/core';
import type { HealthCheckConfig, ProbeInputName } from '@deploy-actions/checks';
import { InputError, Inputs, parseBoolean, parseDuration, parseEnum, parseList } from '@deploy-actions/inputs';
import { readIncidentSettings, type IncidentSettings } from '@deploy-actions/github/incident-inputs';
import { readCloudflareAccess, splitArguments, type ProviderConfig } from '@deploy-actions/providers';
import { resolve } from 'node:path';
import { INPUT_DEFAULTS, type InputName } from './generated/inputs.js';
import type { RollbackTarget } from './target.js';

export interface RollbackInputs {
  /** One per Worker, in the order given (the masker is added when the providers are made). */
  providers: Array<{ worker: string; config: ProviderConfig }>;
  /** The pre-rollback-command and the providers' tools run here. */
  workingDirectory: string;
  /** In the order given. */
  workers: string[];
  /** provider: command without status-command: what serves now cannot be read. */
  blind: boolean;
  /** provider: command: the version being left (canary-version), for {canary} and the outputs. */
  leaving?: string;
  /** True when `workers` named them: the outputs are then JSON objects keyed by Worker. */
  several: boolean;
  target: RollbackTarget;
  message: string;
  force: boolean;
  /** pre-rollback-command as arguments, the tool first. */
  preRollbackCommand?: string[];
  /** Undefined without `url`: nothing is verified. */
  verification?: HealthCheckConfig;
  duplicateUrls: string[];
  /** With github-environment: where the rollback is recorded (and to: last-good looks). */
  github?: GitHubRecordInputs;
  /** With incident-issue: the run opens (or comments on) the incident issue of this environment. */
  incident?: IncidentSettings;
  /** The provider can list the versions it could still deploy (Cloudflare); the command provider cannot. */
  listsVersions: boolean;
  /** Values to mask everywhere: the API token and account id, credential headers, URL passwords. */
  secrets: string[];
}

export interface GitHubRecordInputs {
  token: string;
  environment: string;
  /** The provider's name, for the record's payload. */
  provider: 'cloudflare' | 'command';
}

/** The probe inputs other than url: they mean something only with a url to probe. Every one is listed (the type says so). */
const PROBE_DETAILS = Object.keys({
  method: true,
  headers: true,
  'secret-headers': true,
  body: true,
  'expected-status': true,
  'expected-headers': true,
  'body-contains': true,
  'body-regex': true,
  'json-path': true,
  timeout: true,
  'follow-redirects': true,
  'max-redirects': true,
  insecure: true,
  'ca-cert': true,
  'max-body-size': true
} satisfies Record<Exclude<ProbeInputName, 'url'>, true>) as Array<Exclude<ProbeInputName, 'url'>>;

/**
 * Failures worth waiting out after a rollback while the old version propagates; a TLS, redirect or
 * proxy-auth failure, or a body cut at max-body-size, is answered the same way every time.
 */
const VERIFY_RETRY_ON = ['refused', 'reset', 'timeout', 'dns', 'protocol', 'proxy', 'status', 'assertion', 'latency'] as const;
const VERIFY_MAX_INTERVAL_MS = 30_000;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const NAME_FORM = 'a Worker name such as my-api (letters, digits, -, _ and .)';
const TARGET_FORM = 'previous, stable, last-good or a version id';

export async function readInputs(get: (name: InputName) => string = (name) => core.getInput(name), env: NodeJS.ProcessEnv = process.env): Promise<RollbackInputs> {
  const inputs = new Inputs(get, INPUT_DEFAULTS);
  const kind = inputs.with('provider', (name, raw) => parseEnum(name, raw, ['cloudflare', 'command'] as const));

  const single = inputs.string('worker');
  const listed = parseList(inputs.string('workers'));
  if (single !== '' && listed.length > 0) throw new InputError('workers', 'it was given together with worker', 'either worker (one Worker) or workers (several, in order)');
  if (kind === 'command' && listed.length > 0) throw new InputError('workers', 'the command provider rolls back one service', 'worker (a name for the summary), or provider: cloudflare');
  const workers = single !== '' ? [single] : listed.length > 0 ? listed : kind === 'command' ? ['service'] : [];
  if (workers.length === 0) throw new InputError('worker', 'it is required but was not given', `${NAME_FORM}, or workers: several, in order`);
  const which = listed.length > 0 ? 'workers' : 'worker';
  for (const worker of workers) {
    if (!NAME.test(worker)) throw new InputError(which, `${JSON.stringify(worker)} is not a Worker name`, NAME_FORM);
  }
  const twice = workers.find((worker, i) => workers.indexOf(worker) !== i);
  if (twice) throw new InputError('workers', `${twice} is listed twice`, 'each Worker once, in the order they are rolled back');

  const target = readTarget(inputs, kind, workers.length);
  const workingDirectory = resolve(env.GITHUB_WORKSPACE || process.cwd(), inputs.string('working-directory'));
  const secrets: string[] = [];
  let blind = false;
  let configFor: (worker: string) => ProviderConfig;
  if (kind === 'cloudflare') {
    const { apiToken, accountId, wranglerVersion } = readCloudflareAccess(inputs, env);
    secrets.push(apiToken, accountId);
    for (const name of ['rollback-command', 'status-command'] as const) {
      if (inputs.string(name) !== '') throw new InputError(name, 'it is given with provider: cloudflare', `${name} only with provider: command`);
    }
    const environment = inputs.string('environment') || undefined;
    configFor = (worker) => ({ provider: 'cloudflare', worker, environment, apiToken, accountId, wranglerVersion, workingDirectory, env });
  } else {
    const rollbackCommand = inputs.required('rollback-command', 'the command that puts {stable} back at 100 %, such as ./deploy.sh --version {stable}');
    // Checked here, so a template that cannot be split fails before anything runs.
    splitArguments('rollback-command', rollbackCommand);
    const statusCommand = inputs.string('status-command') || undefined;
    if (statusCommand) splitArguments('status-command', statusCommand);
    blind = statusCommand === undefined;
    const stableVersion = target.kind === 'version' ? target.id : '';
    const canaryVersion = inputs.string('canary-version');
    configFor = () => ({ provider: 'command', canaryVersion, stableVersion, rollbackCommand, statusCommand, workingDirectory, env });
  }

  const github = readGitHub(inputs, kind, target);
  const incident = readIncidentSettings(inputs);
  if (github || incident) secrets.push(inputs.string('github-token'));
  const pre = inputs.string('pre-rollback-command');
  const verify = await readVerification(inputs, env);
  return {
    providers: workers.map((worker) => ({ worker, config: configFor(worker) })),
    workingDirectory,
    workers,
    blind,
    leaving: kind === 'command' ? inputs.string('canary-version') || undefined : undefined,
    several: which === 'workers',
    target,
    message: inputs.string('message') || defaultMessage(env),
    force: inputs.with('force', parseBoolean),
    preRollbackCommand: pre === '' ? undefined : readPreRollbackCommand(pre),
    verification: verify?.config,
    duplicateUrls: verify?.duplicateUrls ?? [],
    ...(github ? { github } : {}),
    ...(incident ? { incident } : {}),
    listsVersions: kind === 'cloudflare',
    secrets: [...secrets, ...(verify?.secrets ?? [])]
  };
}

function readGitHub(inputs: Inputs<InputName>, kind: 'cloudflare' | 'command', target: RollbackTarget): GitHubRecordInputs | undefined {
  const environment = inputs.string('github-environment');
  if (environment === '') {
    if (target.kind === 'last-good') throw new InputError('github-environment', 'it is required with to: last-good but was not given', 'the GitHub environment whose deployment records say what was good, such as production');
    return undefined;
  }
  const token = inputs.string('github-token');
  if (token === '') throw new InputError('github-token', 'it is empty, but github-environment needs a token to record the rollback', 'a token with deployments: write, such as ${{ github.token }}');
  return { token, environment, provider: kind };
}

function readTarget(inputs: Inputs<InputName>, kind: 'cloudflare' | 'command', workerCount: number): RollbackTarget {
  const to = inputs.string('to');
  const canary = inputs.string('canary-version') || undefined;
  if (to === 'last-good') {
    if (canary !== undefined && kind === 'cloudflare') throw new InputError('canary-version', 'it is given with to: last-good', 'canary-version only with to: stable');
    return { kind: 'last-good' };
  }
  if (kind === 'command') {
    if (to === 'previous' || to === 'stable' || !isVersionId(to)) {
      throw new InputError('to', `${JSON.stringify(to)} needs a deployment history the command provider does not have`, 'the version id to roll back to, as rollback-command knows it ({stable}), or last-good with github-environment');
    }
    if (canary !== undefined && !isVersionId(canary)) throw new InputError('canary-version', `${JSON.stringify(canary)} is not a version id`, 'the version being left, as rollback-command knows it ({canary})');
    return { kind: 'version', id: to };
  }
  if (canary !== undefined && to !== 'stable') throw new InputError('canary-version', `it is given with to: ${to}`, 'canary-version only with to: stable');
  if (canary !== undefined && !isVersionId(canary)) throw new InputError('canary-version', `${JSON.stringify(canary)} is not a version id`, 'the canary\'s version id');
  if (canary !== undefined && workerCount > 1) throw new InputError('canary-version', 'a version id names one Worker\'s version, but several workers are given', 'canary-version with worker (one Worker), or no canary-version');
  if (to === 'previous') return { kind: 'previous' };
  if (to === 'stable') return canary === undefined ? { kind: 'stable' } : { kind: 'stable', canary };
  if (!isVersionId(to)) throw new InputError('to', `${JSON.stringify(to)} is not a known value`, TARGET_FORM);
  if (workerCount > 1) throw new InputError('to', 'a version id names one Worker\'s version, but several workers are given', 'previous or stable with workers, or one worker with a version id');
  return { kind: 'version', id: to };
}

/** Split as the command templates are; it runs before anything is decided to change, so nothing fills a placeholder. */
function readPreRollbackCommand(raw: string): string[] {
  const args = splitArguments('pre-rollback-command', raw);
  const placeholder = args.join(' ').match(/\{(canary|stable|percentage)\}/)?.[0];
  if (placeholder) throw new InputError('pre-rollback-command', `has the placeholder ${placeholder}, which only rollback-command fills`, 'a command and its arguments as they are, such as ./backup.sh --label before-rollback');
  return args;
}

function isVersionId(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/.test(text);
}

function defaultMessage(env: NodeJS.ProcessEnv): string {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
  return server && repository && run ? `Rollback from ${server}/${repository}/actions/runs/${run}` : 'Rollback by deploy-actions rollback';
}

async function readVerification(inputs: Inputs<InputName>, env: NodeJS.ProcessEnv) {
  const deadlineMs = inputs.with('verify-deadline', (name, raw) => parseDuration(name, raw, { min: 1, max: 6 * 3_600_000 }));
  const intervalMs = inputs.with('verify-interval', (name, raw) => parseDuration(name, raw, { min: 0, max: VERIFY_MAX_INTERVAL_MS }));
  if (inputs.string('url') === '') {
    const given = PROBE_DETAILS.find((name) => inputs.string(name) !== INPUT_DEFAULTS[name].trim());
    if (given) throw new InputError('url', `${given} is given but there is no url to verify`, 'url with the URLs to check after the rollback, or no probe inputs');
    return undefined;
  }
  // The probe engine is loaded only when something is verified.
  const { readProbeInputs } = await import('@deploy-actions/checks');
  const { secrets, duplicateUrls, ...probe } = readProbeInputs(inputs, env);
  const config: HealthCheckConfig = {
    ...probe,
    policy: { backoff: 'exponential', intervalMs, maxIntervalMs: VERIFY_MAX_INTERVAL_MS, jitter: true },
    deadlineMs,
    maxAttempts: 0,
    consecutiveSuccesses: 1,
    retryOn: new Set(VERIFY_RETRY_ON)
  };
  return { config, secrets, duplicateUrls };
}
