// The only place smoke-test reads its inputs. The spec is loaded and checked here too: a bad spec
// or input fails in one line before any request is sent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import * as core from '@actions/core';
import { INPUT_DEFAULTS, type InputName } from './generated/inputs.js';
import {
  InputError,
  Inputs,
  parseBoolean,
  parseByteSize,
  parseDuration,
  parseHeaders,
  parseInteger,
  parseCaCertificate,
  parseList,
  parsePercent,
  type HeaderList
} from '@deploy-actions/inputs';
import { redactUrl, secretHeaderValues, urlPasswords } from '@deploy-actions/report';
import { loadSpec, type Spec } from './spec.js';
import { checkAssertions } from './suite.js';

export interface SmokeInputs {
  spec: Spec;
  /** The spec file relative to the workspace (for annotations and reports), or `inline spec`. */
  specFile: string;
  specDir: string;
  baseUrl: string;
  headers: HeaderList;
  vars: Map<string, string>;
  concurrency: number;
  failFast: boolean;
  deadlineMs: number;
  reportDir: string;
  artifactName: string;
  compare?: { baseUrl: string; headers: HeaderList };
  maxLatencyRegression: number | null;
  regressionFloorMs: number;
  insecure: boolean;
  ca?: string[];
  maxBodyBytes: number;
  /** Credential header values and passwords in the base URLs: masked everywhere. */
  secrets: string[];
}

function parseVars(raw: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of parseList(raw, { commas: false })) {
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      throw new InputError('vars', `${JSON.stringify(line.slice(0, 40))} is not a name=value line`, 'name=value lines, the name made of letters, digits, _ . -');
    }
    vars.set(name, line.slice(eq + 1).trim());
  }
  return vars;
}

export function readInputs(get: (name: InputName) => string = (name) => core.getInput(name), env: NodeJS.ProcessEnv = process.env): SmokeInputs {
  const inputs = new Inputs(get, INPUT_DEFAULTS);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const specInput = inputs.required('spec', 'a path to a YAML spec file, or the YAML itself');
  let spec: Spec;
  let specFile: string;
  let specDir: string;
  if (/\n/.test(specInput) || /^\s*tests\s*:/m.test(specInput)) {
    specFile = 'inline spec';
    specDir = workspace;
    spec = loadSpec(specInput, specFile);
  } else {
    const path = isAbsolute(specInput) ? specInput : join(workspace, specInput);
    if (!existsSync(path)) throw new InputError('spec', `no file at ${JSON.stringify(specInput)} (looked in ${workspace})`, 'a path to a YAML spec file relative to the workspace, or the YAML itself');
    specFile = relative(workspace, path).split('\\').join('/') || path;
    specDir = dirname(path);
    spec = loadSpec(readFileSync(path, 'utf8'), specFile);
  }

  checkAssertions(spec, specDir, specFile);

  const baseUrl = (inputs.string('base-url') || (spec['base-url'] ?? ''));
  if (baseUrl && !/^https?:\/\/[^/]/.test(baseUrl)) throw new InputError('base-url', `${JSON.stringify(redactUrl(baseUrl))} is not an http(s) URL`, 'a URL such as https://staging.example.com');
  const headers = inputs.with('headers', parseHeaders);
  const compareBaseUrl = inputs.string('compare-base-url');
  if (compareBaseUrl && !/^https?:\/\/[^/]/.test(compareBaseUrl)) {
    throw new InputError('compare-base-url', `${JSON.stringify(redactUrl(compareBaseUrl))} is not an http(s) URL`, 'a URL such as https://stable.example.com');
  }
  const compareHeadersRaw = inputs.raw('compare-headers');
  const compareHeaders = compareHeadersRaw.trim() ? parseHeaders('compare-headers', compareHeadersRaw) : headers;
  const maxLatencyRegression = inputs.optional('max-latency-regression', parsePercent) ?? null;
  if (maxLatencyRegression !== null && !compareBaseUrl) {
    throw new InputError('max-latency-regression', 'it needs a second target to compare with', 'compare-base-url set as well');
  }
  const ca = inputs.optional('ca-cert', parseCaCertificate);
  const vars = new Map<string, string>(Object.entries(spec.vars ?? {}).map(([k, v]) => [k, String(v)]));
  for (const [name, value] of parseVars(inputs.raw('vars'))) vars.set(name, value);

  return {
    spec,
    specFile,
    specDir,
    baseUrl,
    headers,
    vars,
    concurrency: inputs.with('concurrency', (name, raw) => parseInteger(name, raw, { min: 1, max: 256 })),
    failFast: inputs.with('fail-fast', parseBoolean),
    deadlineMs: inputs.with('timeout', (name, raw) => parseDuration(name, raw, { min: 1, max: 6 * 3_600_000 })),
    reportDir: resolve(workspace, inputs.string('report-dir') || join(env.RUNNER_TEMP || join(workspace, '.smoke-test'), 'smoke-test')),
    artifactName: inputs.string('artifact-name'),
    compare: compareBaseUrl ? { baseUrl: compareBaseUrl, headers: compareHeaders } : undefined,
    maxLatencyRegression,
    regressionFloorMs: inputs.with('latency-regression-floor', (name, raw) => parseDuration(name, raw, { min: 0 })),
    insecure: inputs.with('insecure', parseBoolean),
    ca: ca ? [ca] : undefined,
    maxBodyBytes: inputs.with('max-body-size', (name, raw) => parseByteSize(name, raw, { min: 1, max: 256 * 1024 ** 2 })),
    secrets: [...secretHeaderValues([...headers, ...(compareHeadersRaw.trim() ? compareHeaders : [])]), ...urlPasswords(baseUrl), ...urlPasswords(compareBaseUrl)]
  };
}
