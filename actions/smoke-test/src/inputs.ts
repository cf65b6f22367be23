// The only place smoke-test reads its inputs. The spec files are loaded and checked here too: a bad
// input fails in one line, a bad spec with every one of its errors, before any request is sent.
import { existsSync, globSync, readFileSync } from 'node:fs';
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
import { redactUrl, secretHeaderValues, urlCredentials } from '@deploy-actions/report';
import { loadSpecs, selectTests, type SpecFile, type SpecTest } from './spec.js';
import { assertionProblem } from './suite.js';
import { placeholderNames } from './template.js';

export interface SmokeInputs {
  /** The tests to run: all of them, or those `only` and `tags` select and the tests they need. */
  tests: SpecTest[];
  /** How many tests the spec files hold. */
  specTests: number;
  /** Tests run only because a selected test needs them. */
  needed: string[];
  /** The spec files relative to the workspace (for annotations and reports), or [`inline spec`]. */
  specFiles: string[];
  /** The base-url input, or the one `base-url` the spec files agree on; '' when each file has its own or none. */
  baseUrl: string;
  headers: HeaderList;
  /** The vars input (over each spec file's vars). */
  vars: Map<string, string>;
  only: string[];
  tags: string[];
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

const SPEC_FORM = 'paths or globs of YAML spec files relative to the workspace, one per line (smoke/*.yml), or the YAML itself';

/** A spec input that is YAML rather than paths: some line starts with a mapping key (`tests:`). */
function isInlineSpec(raw: string): boolean {
  return /^\s*[A-Za-z_-]+\s*:(\s|$)/m.test(raw);
}

/** The spec files a `spec` input names, each path or glob in turn, in order, each file once. */
function specFiles(raw: string, workspace: string): SpecFile[] {
  if (isInlineSpec(raw)) return [{ text: raw, file: 'inline spec', dir: workspace }];
  const paths: string[] = [];
  for (const pattern of parseList(raw, { commas: false })) {
    let matches: string[];
    if (/[*?[\]{}]/.test(pattern)) {
      matches = globSync(pattern, { cwd: workspace }).map((p) => resolve(workspace, p)).sort();
      if (matches.length === 0) throw new InputError('spec', `no file matches ${JSON.stringify(pattern)}${isAbsolute(pattern) ? '' : ` (looked in ${workspace})`}`, SPEC_FORM);
    } else {
      const path = isAbsolute(pattern) ? pattern : join(workspace, pattern);
      if (!existsSync(path)) throw new InputError('spec', `no file at ${JSON.stringify(pattern)}${isAbsolute(pattern) ? '' : ` (looked in ${workspace})`}`, SPEC_FORM);
      matches = [path];
    }
    for (const path of matches) if (!paths.includes(path)) paths.push(path);
  }
  return paths.map((path) => ({ text: readFileSync(path, 'utf8'), file: relative(workspace, path).split('\\').join('/') || path, dir: dirname(path) }));
}

/** Placeholders in a headers input can only be vars or env.NAME: captures belong to single tests. */
function checkHeaderPlaceholders(input: string, headers: HeaderList, vars: ReadonlySet<string>): void {
  for (const [name, value] of headers) {
    const unknown = placeholderNames(value).find((p) => !p.startsWith('env.') && !vars.has(p));
    if (unknown) throw new InputError(input, `the ${name} header uses {{ ${unknown} }}, which is not a var`, 'values with {{ env.NAME }} or {{ name }} of a var the spec files or the vars input give');
  }
}

export async function readInputs(get: (name: InputName) => string = (name) => core.getInput(name), env: NodeJS.ProcessEnv = process.env): Promise<SmokeInputs> {
  const inputs = new Inputs(get, INPUT_DEFAULTS);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const files = specFiles(inputs.required('spec', SPEC_FORM), workspace);
  const vars = parseVars(inputs.raw('vars'));
  const specs = await loadSpecs(files, { vars: [...vars.keys()], checkTest: assertionProblem, requireSpecBaseUrl: inputs.string('base-url') === '' });
  const allTests = specs.flatMap((spec) => spec.tests);

  const only = parseList(inputs.raw('only'), { commas: false });
  const tags = parseList(inputs.raw('tags'));
  const selection = selectTests(allTests, only, tags);
  if ('unknown' in selection) {
    const { names, tags: unknownTags } = selection.unknown;
    if (names.length > 0) throw new InputError('only', `${names.map((n) => JSON.stringify(n)).join(', ')} ${names.length > 1 ? 'are' : 'is'} not a test in the spec`, 'test names, one per line');
    throw new InputError('tags', `no test has the tag${unknownTags.length > 1 ? 's' : ''} ${unknownTags.map((t) => JSON.stringify(t)).join(', ')}`, 'tags the tests list under `tags:`, comma- or line-separated');
  }

  const specBaseUrls = [...new Set(specs.map((spec) => spec['base-url'] ?? ''))];
  const baseUrl = inputs.string('base-url') || (specBaseUrls.length === 1 ? (specBaseUrls[0] ?? '') : '');
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
  // A headers input applies to every test of every file: its placeholders must have a value in all of them.
  const everyFileVars = new Set([...vars.keys(), ...Object.keys(specs[0]?.vars ?? {}).filter((name) => specs.every((spec) => spec.vars?.[name] !== undefined))]);
  checkHeaderPlaceholders('headers', headers, everyFileVars);
  if (compareHeadersRaw.trim()) checkHeaderPlaceholders('compare-headers', compareHeaders, everyFileVars);

  return {
    tests: selection.tests,
    specTests: allTests.length,
    needed: selection.needed,
    specFiles: files.map((f) => f.file!),
    baseUrl,
    headers,
    vars,
    only,
    tags,
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
    secrets: [...secretHeaderValues([...headers, ...(compareHeadersRaw.trim() ? compareHeaders : [])]), ...urlCredentials(baseUrl), ...urlCredentials(compareBaseUrl)]
  };
}
