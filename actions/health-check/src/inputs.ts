// The only place health-check reads its inputs. Everything is parsed and checked here, before any
// request is sent, so a bad value fails in one clear line and nothing is half done.
import * as core from '@actions/core';
import { FAILURE_KINDS, readProbeInputs, type FailureKind, type HealthCheckConfig } from '@deploy-actions/checks';
import { InputError, formatDuration, Inputs, parseBoolean, parseDuration, parseEnum, parseInteger, parseList } from '@deploy-actions/inputs';
import { INPUT_DEFAULTS, type InputName } from './generated/inputs.js';

export interface HealthCheckInputs {
  config: HealthCheckConfig;
  /** Values to mask everywhere: credential header values, passwords and credential query values in URLs. */
  secrets: string[];
  /** URLs given more than once: each is checked once, in the place it first appears. */
  duplicateUrls: string[];
}

export function readInputs(get: (name: InputName) => string = (name) => core.getInput(name), env: NodeJS.ProcessEnv = process.env): HealthCheckInputs {
  const inputs = new Inputs(get, INPUT_DEFAULTS);
  const { secrets, duplicateUrls, ...target } = readProbeInputs(inputs, env);
  const maxLatency = inputs.optional('max-latency', (name, raw) => parseDuration(name, raw, { min: 1 }));
  const assertions = maxLatency === undefined ? target.assertions : [...target.assertions, { kind: 'latency' as const, maxMs: maxLatency }];

  const deadline = inputs.with('deadline', (name, raw) => parseDuration(name, raw, { min: 1, max: 6 * 3_600_000 }));
  const interval = inputs.with('interval', (name, raw) => parseDuration(name, raw, { min: 0 }));
  const maxInterval = inputs.with('max-interval', (name, raw) => parseDuration(name, raw, { min: 0 }));
  if (maxInterval < interval) throw new InputError('max-interval', `it is shorter than interval (${formatDuration(interval)})`, 'a duration at least as long as interval');

  const retryOn = new Set<FailureKind>(parseList(inputs.string('retry-on')).map((kind) => parseEnum('retry-on', kind, FAILURE_KINDS)));
  return {
    duplicateUrls,
    secrets,
    config: {
      ...target,
      assertions,
      policy: {
        backoff: inputs.with('backoff', (name, raw) => parseEnum(name, raw, ['exponential', 'fixed'] as const)),
        intervalMs: interval,
        maxIntervalMs: maxInterval,
        jitter: inputs.with('jitter', parseBoolean)
      },
      deadlineMs: deadline,
      maxAttempts: inputs.with('max-attempts', (name, raw) => parseInteger(name, raw, { min: 0, max: 1_000_000 })),
      consecutiveSuccesses: inputs.with('consecutive-successes', (name, raw) => parseInteger(name, raw, { min: 1, max: 1000 })),
      retryOn
    }
  };
}
