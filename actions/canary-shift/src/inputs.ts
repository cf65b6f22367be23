// The only place canary-shift reads its inputs. Everything is parsed and checked here, before the
// provider is asked anything, so a bad value fails in one clear line and nothing is half done.
import * as core from '@actions/core';
import { readProbeInputs } from '@deploy-actions/checks';
import { readIncidentSettings, type IncidentSettings } from '@deploy-actions/github/incident-inputs';
import { readCloudflareAccess, splitArguments, type ProviderConfig } from '@deploy-actions/providers';
import { InputError, Inputs, parseBoolean, parseDuration, parseEnum, parseInteger, parseList, parseNumber } from '@deploy-actions/inputs';
import { INPUT_DEFAULTS, type InputName } from './generated/inputs.js';
import type { MetricSource, Thresholds } from './judge.js';
import { parseBake, parseSteps, planSteps, type PlannedStep } from './plan.js';
import type { ProbeTarget } from './probes.js';

/** The provider's config as the factory takes it; the masker and environment are added when it is opened. */
export type ProviderSettings = DistributiveOmit<ProviderConfig, 'masker' | 'env'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type CanaryChoice = { kind: 'newest' } | { kind: 'upload' } | { kind: 'id'; id: string };

export interface CanaryInputs {
  provider: ProviderSettings;
  /** The name the deployment records give what is deployed: the Worker, or with provider: command the `worker` input (`service` when empty), as rollback names it. */
  service: string;
  version: CanaryChoice;
  stableVersion?: string;
  plan: PlannedStep[];
  intervalMs: number;
  metrics: MetricSource[];
  probeRate: number;
  /** Absent when no URL is probed (analytics only, no 0 % step). */
  probe?: ProbeTarget;
  smoke?: { spec: string; baseUrl?: string };
  thresholds: Thresholds;
  failureLimit: number;
  autoRollback: boolean;
  /** With github-environment: the GitHub environment the canary is recorded in, and the token. */
  github?: { token: string; environment: string };
  /** With incident-issue: a rollback opens (or comments on) the incident issue of this environment. */
  incident?: IncidentSettings;
  /** Values to mask everywhere: the API token, the account id, credential headers, URL passwords. */
  secrets: string[];
  duplicateUrls: string[];
}

/** The provider's inputs alone: what the post step needs to put stable back. */
export function readProviderInputs(get: (name: InputName) => string = (name) => core.getInput(name), env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const inputs = new Inputs(get, INPUT_DEFAULTS);
  const kind = inputs.with('provider', (name, raw) => parseEnum(name, raw, ['cloudflare', 'command'] as const));
  const workingDirectory = inputs.string('working-directory');
  if (kind === 'command') {
    // The commands know the versions by the names given: nothing here can list them.
    const canaryVersion = inputs.required('version', 'the canary as shift-command knows it (provider: command cannot list versions)');
    if (canaryVersion === 'upload') throw new InputError('version', 'upload needs provider: cloudflare', 'the canary as shift-command knows it');
    const stableVersion = inputs.required('stable-version', 'the stable version as shift-command knows it (provider: command cannot read the split without status-command)');
    const shiftCommand = inputs.required('shift-command', 'the command that serves a split, such as ./traffic.sh {canary} {percentage}');
    const rollbackCommand = inputs.string('rollback-command') || shiftCommand;
    const statusCommand = inputs.string('status-command') || undefined;
    // Split here, so a broken template is an input error before anything runs.
    splitArguments('shift-command', shiftCommand);
    splitArguments(inputs.string('rollback-command') ? 'rollback-command' : 'shift-command', rollbackCommand);
    if (statusCommand) splitArguments('status-command', statusCommand);
    return {
      provider: kind,
      canaryVersion,
      stableVersion,
      shiftCommand,
      rollbackCommand,
      statusCommand,
      canaryUrl: inputs.optional('canary-url', originInput),
      stableUrl: inputs.optional('stable-url', originInput),
      workingDirectory
    };
  }
  const worker = inputs.required('worker', "the Worker's name, as in wrangler.toml");
  const { apiToken, accountId, wranglerVersion } = readCloudflareAccess(inputs, env);
  return {
    provider: kind,
    worker,
    environment: inputs.string('environment') || undefined,
    workingDirectory,
    apiToken,
    accountId,
    wranglerVersion
  };
}

function originInput(name: string, raw: string): string {
  const url = URL.parse(raw);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new InputError(name, `${JSON.stringify(raw)} is not an http(s) URL`, 'an origin such as https://canary.example.com');
  return raw;
}

/** `1`, `1%` and `1.5` alike: percentage points (or a percentage) from 0 to 100. */
export function parsePoints(input: string, raw: string): number {
  return parseNumber(input, raw.trim().replace(/\s*%$/, ''), { min: 0, max: 100 });
}

/** A limit with a default can be switched off with `none`. */
function orNone<T>(parse: (input: string, raw: string) => T): (input: string, raw: string) => T | undefined {
  return (input, raw) => (raw.trim() === 'none' ? undefined : parse(input, raw));
}

/** A Cloudflare version id, or a name a command provider's commands know. */
const VERSION_ID = /^[0-9A-Za-z][0-9A-Za-z._:@+-]{0,127}$/;

export function readInputs(get: (name: InputName) => string = (name) => core.getInput(name), env: NodeJS.ProcessEnv = process.env): CanaryInputs {
  const inputs = new Inputs(get, INPUT_DEFAULTS);
  const provider = readProviderInputs(get, env);

  const rawVersion = inputs.string('version');
  if (rawVersion !== '' && rawVersion !== 'upload' && !VERSION_ID.test(rawVersion)) {
    throw new InputError('version', `${JSON.stringify(rawVersion.slice(0, 60))} is not a version id`, 'a version id, upload, or empty for the newest uploaded version');
  }
  const version: CanaryChoice = rawVersion === '' ? { kind: 'newest' } : rawVersion === 'upload' ? { kind: 'upload' } : { kind: 'id', id: rawVersion };
  const stableVersion = inputs.optional('stable-version', (name, raw) => {
    if (!VERSION_ID.test(raw)) throw new InputError(name, `${JSON.stringify(raw.slice(0, 60))} is not a version id`, 'a version id, or empty for the version serving the most traffic now');
    return raw;
  });
  if (stableVersion !== undefined && version.kind === 'id' && stableVersion === version.id) {
    throw new InputError('stable-version', `it is the canary (${stableVersion})`, 'a version other than version');
  }

  const steps = inputs.with('steps', parseSteps);
  const intervalMs = inputs.with('interval', (name, raw) => parseDuration(name, raw, { min: 100, max: 3_600_000 }));
  const bake = inputs.with('bake', (name, raw) => parseBake(name, raw, steps));
  const plan = planSteps(steps, bake, intervalMs);

  const metrics = [...new Set(parseList(inputs.string('metrics')).map((raw) => parseEnum('metrics', raw, ['probes', 'cloudflare-analytics'] as const)))];
  if (metrics.length === 0) throw new InputError('metrics', 'it names no source', 'probes, cloudflare-analytics, or both');
  if (metrics.includes('cloudflare-analytics') && provider.provider !== 'cloudflare') {
    throw new InputError('metrics', 'cloudflare-analytics needs provider: cloudflare', 'probes with provider: command');
  }
  const probeRate = inputs.with('probe-rate', (name, raw) => parseNumber(name, raw, { min: 0.1, max: 1000 }));

  const probes = readProbeInputs(inputs, env, { urlRequired: false });
  const needsProbes = metrics.includes('probes') || steps[0] === 0;
  const routedByProvider = provider.provider === 'command' && provider.canaryUrl !== undefined && provider.stableUrl !== undefined;
  if (provider.provider === 'command' && needsProbes && (provider.canaryUrl === undefined) !== (provider.stableUrl === undefined)) {
    throw new InputError(provider.canaryUrl === undefined ? 'canary-url' : 'stable-url', 'only one of canary-url and stable-url was given', 'both, so each version is probed at its own address');
  }
  if (needsProbes && probes.urls.length === 0 && !routedByProvider) {
    const why = metrics.includes('probes') ? 'metrics includes probes' : 'steps starts with a 0 % step, which probes the canary';
    throw new InputError('url', `it is required because ${why}`, provider.provider === 'command' ? 'the URL to probe, or canary-url and stable-url' : 'the URL to probe, such as https://my-worker.example.com/health');
  }
  if (provider.provider === 'command' && needsProbes && provider.canaryUrl === undefined) {
    throw new InputError('canary-url', 'it is required with provider: command, which cannot aim a request at one version otherwise', 'the origin that serves the canary alone, with stable-url');
  }

  const smokeSpec = inputs.raw('smoke-spec').trim();
  const smokeBaseUrl = inputs.optional('smoke-base-url', originInput);

  const thresholds: Thresholds = {
    maxErrorRate: inputs.optional('max-error-rate', orNone(parsePoints)),
    maxErrorRateIncrease: inputs.optional('max-error-rate-increase', orNone(parsePoints)),
    maxLatencyMs: inputs.optional('max-latency', orNone((name, raw) => parseDuration(name, raw, { min: 1 }))),
    maxLatencyIncrease: inputs.optional('max-latency-increase', orNone((name, raw) => parseNumber(name, raw.trim().replace(/\s*%$/, ''), { min: 0, max: 100_000 }))),
    latencyFloorMs: inputs.with('latency-floor', (name, raw) => parseDuration(name, raw, { min: 0 })),
    minSamples: inputs.with('min-samples', (name, raw) => parseInteger(name, raw, { min: 1, max: 10_000_000 }))
  };

  const secrets = [...probes.secrets];
  if (provider.provider === 'cloudflare') secrets.push(provider.apiToken, provider.accountId);
  const githubEnvironment = inputs.string('github-environment');
  const githubToken = inputs.string('github-token');
  if (githubEnvironment !== '' && githubToken === '') throw new InputError('github-token', 'it is empty, but github-environment needs a token to record the deployment', 'a token with deployments: write, such as ${{ github.token }}');
  const incident = readIncidentSettings(inputs);
  if (githubEnvironment !== '' || incident) secrets.push(githubToken);
  const { secrets: _secrets, duplicateUrls, ...probe } = probes;
  return {
    provider,
    service: 'worker' in provider ? provider.worker : inputs.string('worker') || 'service',
    version,
    stableVersion,
    plan,
    intervalMs,
    metrics,
    probeRate,
    probe: needsProbes ? probe : undefined,
    smoke: smokeSpec === '' ? undefined : { spec: smokeSpec, baseUrl: smokeBaseUrl },
    thresholds,
    failureLimit: inputs.with('failure-limit', (name, raw) => parseInteger(name, raw, { min: 0, max: 1000 })),
    autoRollback: inputs.with('auto-rollback', parseBoolean),
    ...(githubEnvironment === '' ? {} : { github: { token: githubToken, environment: githubEnvironment } }),
    ...(incident ? { incident } : {}),
    secrets,
    duplicateUrls
  };
}
