// The smoke-test spec: YAML files, validated against schemas/smoke-test.schema.json (through a
// validator generated at build time) and then for what a schema cannot say (unique names across
// the files, known needs, no cycles, checks that compile, placeholders with a value), before any
// request is sent. Every error of every file is reported at once, each with its file and line.
// Start-up matters: a spec in plain YAML is read by fast-yaml.ts; the `yaml` library (and its
// Document, which knows every line) is loaded and used only when that reader gives up or the spec
// is invalid.
import type { Document, LineCounter } from 'yaml';
import type { ErrorObject } from 'ajv';
import { validate } from './generated/spec-validator.js';
import { headWithBodyChecks } from '@deploy-actions/assertions';
import { fastYaml } from './fast-yaml.js';
import { placeholderNames, placeholdersIn } from './template.js';

export type Scalar = string | number | boolean;
export type JsonCheck = {
  exists?: boolean;
  equals?: unknown;
  'not-equals'?: unknown;
  matches?: string;
  lt?: number;
  lte?: number;
  gt?: number;
  gte?: number;
  length?: number;
};

export interface SpecRequest {
  method?: string;
  url: string;
  headers?: Record<string, Scalar>;
  query?: Record<string, Scalar>;
  json?: unknown;
  body?: string;
  form?: Record<string, Scalar>;
}

export interface SpecExpect {
  status?: number | string;
  headers?: Record<string, string>;
  'body-contains'?: string | string[];
  'body-regex'?: string;
  json?: Record<string, JsonCheck>;
  schema?: string | Record<string, unknown>;
  'max-latency'?: string;
}

export interface SpecDefaults {
  timeout?: string;
  retries?: number;
  'retry-interval'?: string;
  headers?: Record<string, Scalar>;
  'max-latency'?: string;
  'follow-redirects'?: boolean;
}

/** The spec file a test comes from, and the settings of that file. */
export interface SpecSource {
  /** As shown in messages, annotations and reports (relative to the workspace), or `inline spec`. */
  file: string;
  /** Folder that relative schema paths are read from. */
  dir: string;
  'base-url'?: string;
  defaults?: SpecDefaults;
  vars?: Record<string, Scalar>;
}

export interface SpecTest {
  name: string;
  needs?: string[];
  tags?: string[];
  /** false: not run against the second target in compare mode. */
  compare?: boolean;
  retries?: number;
  timeout?: string;
  request: SpecRequest;
  expect?: SpecExpect;
  capture?: Record<string, string | { from: string; secret?: boolean }>;
  /** 1-based line of the test in its spec file. */
  line: number;
  source: SpecSource;
}

/** One spec file, as loaded. */
export interface Spec {
  'base-url'?: string;
  defaults?: SpecDefaults;
  vars?: Record<string, Scalar>;
  tests: SpecTest[];
}

export interface SpecIssue {
  file?: string;
  line?: number;
  problem: string;
}

export function formatIssue(issue: SpecIssue): string {
  return `${issue.file ?? 'spec'}${issue.line ? `:${issue.line}` : ''}: ${issue.problem}`;
}

/** Every problem found in the spec files, in file and line order. */
export class SpecError extends Error {
  readonly issues: SpecIssue[];
  constructor(issues: SpecIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'SpecError';
    this.issues = issues;
  }
}

export interface SpecFile {
  text: string;
  /** As shown to the user; undefined for a spec with no name (messages say `spec`). */
  file?: string;
  dir?: string;
}

export interface LoadOptions {
  /** Names the vars input gives values to. */
  vars?: Iterable<string>;
  /**
   * Builds a test's checks; returns why they cannot be built (a bad regular expression, a missing
   * schema file), with the key in the test it is about when known (`['expect', 'body-regex']`).
   */
  checkTest?: (test: SpecTest) => string | { problem: string; at: PathKey[] } | undefined;
  /** No base-url input is given: a relative request URL then needs the base-url of its spec. */
  requireSpecBaseUrl?: boolean;
}

/** The methods a request may use (any case). */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

type PathKey = string | number;

/** The yaml library, once loaded: loading it costs a step ~10 ms of start-up that a valid plain spec never needs. */
let yaml: typeof import('yaml') | undefined;

/** Thrown where the yaml library is needed before it is loaded: loadSpecs loads it and reads the files again. */
class YamlNeeded extends Error {}

function yamlLibrary(): typeof import('yaml') {
  if (!yaml) throw new YamlNeeded();
  return yaml;
}

/** A spec file and the way to the line of any path in it; the Document is built only when a line is asked for. */
class Lines {
  private doc?: Document;
  private counter?: LineCounter;
  constructor(
    private readonly text: string,
    /** Set when the fast reader read the file: the line of each item of its block sequences (each test). */
    private readonly known?: WeakMap<object, number>
  ) {}

  document(): Document {
    if (!this.doc) {
      const { LineCounter, parseDocument } = yamlLibrary();
      this.counter = new LineCounter();
      this.doc = parseDocument(this.text, { lineCounter: this.counter, prettyErrors: false, uniqueKeys: true });
    }
    return this.doc;
  }

  lineAt(offset: number): number {
    this.document();
    return this.counter!.linePos(offset).line;
  }

  /** The line of a test: from the fast reader's positions when it has them. */
  testLine(test: object, index: number): number {
    return this.known?.get(test) ?? this.of(['tests', index]) ?? 0;
  }

  /** The line of the node at `path`, or of the nearest ancestor that exists; with `key`, of that key of the map at `path`. */
  of(path: readonly PathKey[], key?: string): number | undefined {
    const doc = this.document();
    const { isMap, isNode, isPair, isScalar } = yamlLibrary();
    if (key !== undefined) {
      const map = doc.getIn(path, true);
      if (isMap(map)) {
        for (const pair of map.items) {
          if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) return this.lineAt(pair.key.range[0]);
        }
      }
    }
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return this.lineAt(node.range[0]);
    }
    return undefined;
  }
}

/** Parses and checks one spec. `file` is only used in messages. */
export async function loadSpec(text: string, file?: string, options: LoadOptions = {}): Promise<Spec> {
  return (await loadSpecs([{ text, file }], options))[0]!;
}

/**
 * Parses and checks spec files that run together: test names are unique across them and a test may
 * need a test of another file. Rejects with a SpecError holding every problem found.
 */
export async function loadSpecs(files: readonly SpecFile[], options: LoadOptions = {}): Promise<Spec[]> {
  try {
    return readSpecs(files, options);
  } catch (error) {
    if (!(error instanceof YamlNeeded)) throw error;
  }
  // The fast reader gave up on a file, or a problem needs its line: read them all again with yaml.
  yaml = await import('yaml');
  return readSpecs(files, options);
}

function readSpecs(files: readonly SpecFile[], options: LoadOptions): Spec[] {
  const issues: SpecIssue[] = [];
  const loaded: Loaded[] = [];
  for (const source of files) {
    const result = readSpec(source, issues);
    if (result) loaded.push({ ...result, file: source.file });
  }
  checkTests(loaded, { ...options, complete: loaded.length === files.length, several: files.length > 1 }, issues);
  if (issues.length > 0) {
    const order = new Map(files.map((f, i) => [f.file, i]));
    issues.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || (a.line ?? 0) - (b.line ?? 0));
    throw new SpecError(issues);
  }
  return loaded.map((l) => l.spec);
}

/**
 * One file through YAML and the schema, its issues added to `issues`. Undefined when nothing of it
 * can be checked further (a YAML error, a wrong setting outside `tests`); when only some tests break
 * the schema, the others come back for the checks a schema cannot make, and `broken` holds those.
 */
function readSpec(source: SpecFile, issues: SpecIssue[]): Omit<Loaded, 'file'> | undefined {
  const fast = fastYaml(source.text);
  let data: unknown;
  let lines: Lines;
  let valid = fast !== undefined && validate(fast.value);
  if (valid) {
    data = fast!.value;
    lines = new Lines(source.text, fast!.lines);
  } else {
    lines = new Lines(source.text);
    const doc = lines.document();
    if (doc.errors.length > 0) {
      const seen = new Set<string>();
      for (const error of doc.errors) {
        // With prettyErrors off the parser sets no linePos: the line comes from the error's offset.
        const line = error.linePos?.[0].line ?? lines.lineAt(error.pos[0]);
        const problem = `invalid YAML: ${error.message.split('\n')[0]}`;
        if (seen.has(`${line} ${problem}`)) continue;
        seen.add(`${line} ${problem}`);
        issues.push({ file: source.file, line, problem });
      }
      return undefined;
    }
    data = doc.toJS({ maxAliasCount: 100 }) as unknown;
    valid = validate(data);
  }
  const broken = new Map<number, unknown>();
  if (!valid) {
    const errors = validate.errors ?? [];
    for (const issue of schemaIssues(errors, data, lines)) issues.push({ file: source.file, ...issue });
    for (const error of errors) {
      const test = /^\/tests\/(\d+)(?:\/|$)/.exec(error.instancePath);
      // A wrong setting outside the tests (defaults, vars, base-url) bears on every test: check no further.
      if (!test) return undefined;
      broken.set(Number(test[1]), ((data as Spec).tests[Number(test[1])] as { name?: unknown } | undefined)?.name);
    }
  }
  const spec = data as Spec;
  const from: SpecSource = { file: source.file ?? 'spec', dir: source.dir ?? '.', 'base-url': spec['base-url'], defaults: spec.defaults, vars: spec.vars };
  spec.tests.forEach((test, index) => {
    if (broken.has(index)) return;
    test.line = lines.testLine(test, index);
    test.source = from;
  });
  return { spec, lines, broken };
}

// ------------------------------------------------------------------ schema errors in our words

/** Where a path is, for a person: `test "login"`, `` `expect` of test "login" ``, `` `defaults.timeout` ``. */
function where(path: readonly PathKey[], data: unknown): string {
  const join = (keys: readonly PathKey[]) => keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
  if (path[0] === 'tests' && typeof path[1] === 'number') {
    const name = ((data as { tests?: Array<{ name?: unknown }> }).tests?.[path[1]] as { name?: unknown } | undefined)?.name;
    const test = typeof name === 'string' && name ? `test ${JSON.stringify(name)}` : `the test at tests[${path[1]}]`;
    return path.length > 2 ? `\`${join(path.slice(2))}\` of ${test}` : test;
  }
  return path.length > 0 ? `\`${join(path)}\`` : 'the spec';
}

function at(data: unknown, path: readonly PathKey[]): unknown {
  let node = data;
  for (const key of path) node = (node as Record<PathKey, unknown> | undefined)?.[key];
  return node;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value && typeof value === 'object') return 'a mapping';
  if (value === null) return 'empty';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping of keys to values',
  array: 'a list',
  null: 'empty'
};

function typeWords(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types.at(-1)}` : types[0]!;
}

/** What a value of an anyOf (a value of one of several types) must be, by the key it is under. */
function anyOfWords(path: readonly PathKey[]): string {
  const key = path.at(-1);
  if (path.at(-2) === 'capture') return 'must be a JSONPath ($.token), header:<name> or regex:<pattern>, or { from: <one of those>, secret: false }';
  if (key === 'status') return 'must be a status code or a set such as 2xx, 200-299 or "200,204"';
  if (key === 'body-contains') return 'must be text or a list of texts';
  if (key === 'schema') return 'must be the path of a JSON Schema file (relative to the spec) or the schema itself';
  return 'is not one of the accepted forms';
}

/** ajv's "must match pattern ^(0|(\d+…" says nothing to a person: say what is accepted instead. */
function patternWords(error: ErrorObject, path: readonly PathKey[]): string {
  const schemaPath = error.schemaPath;
  if (schemaPath.includes('definitions/duration')) return 'must be a duration such as 250ms, 5s or 1m30s';
  if (schemaPath.includes('definitions/captureSource')) return 'must be a JSONPath ($.token), header:<name> or regex:<pattern>';
  if (schemaPath.includes('method/pattern')) return 'must be an HTTP method such as GET or POST';
  if (schemaPath.includes('base-url')) return 'must be an http(s) URL such as https://staging.example.com';
  if (path.at(-2) === 'tags' || schemaPath.includes('tags')) return 'must be a tag without blanks or commas';
  if (path.at(-1) === 'name') return 'must be one line';
  return `does not have the accepted form (${String((error.params as { pattern?: string }).pattern)})`;
}

/** A rule for the names of keys, by the mapping they are in. */
function propertyNameWords(path: readonly PathKey[]): string {
  const key = path.at(-1);
  if (key === 'json') return 'is not a JSONPath: start it with $, as in $.status';
  if (key === 'headers') return 'is not a valid header name';
  return 'is not a valid name: use letters, digits, _ . and -, not starting with a digit';
}

function schemaIssues(errors: readonly ErrorObject[], data: unknown, lines: Lines): Array<{ line?: number; problem: string }> {
  const pathOf = (pointer: string): PathKey[] =>
    pointer
      ? pointer
          .slice(1)
          .split('/')
          .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
          .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
      : [];
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}/`);
  // One message for a value that matches no branch of an anyOf (not one per branch), and one for a bad
  // key name (not the rule's own error besides).
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  const kept = errors.filter((e) => {
    if (e.keyword !== 'anyOf' && anyOfs.some((p) => within(e.instancePath, p))) return false;
    if (e.keyword !== 'propertyNames' && (e as { propertyName?: string }).propertyName !== undefined) return false;
    // An anyOf inside another anyOf's value (a capture's `from`) is said by the outer one.
    if (e.keyword === 'anyOf' && anyOfs.some((p) => p !== e.instancePath && within(e.instancePath, p))) return false;
    return true;
  });
  const out: Array<{ line?: number; problem: string }> = [];
  const seen = new Set<string>();
  for (const error of kept) {
    const path = pathOf(error.instancePath);
    const subject = where(path, data);
    const value = at(data, path);
    const params = error.params as Record<string, unknown>;
    let problem: string;
    let line: number | undefined;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(params.additionalProperty);
        problem = `unknown key "${key}" in ${subject}`;
        line = lines.of(path, key);
        break;
      }
      case 'required':
        problem = `${subject} has no \`${String(params.missingProperty)}\``;
        // At the key of the mapping that lacks it (`request:`), not at its first entry.
        if (typeof path.at(-1) === 'string') line = lines.of(path.slice(0, -1), path.at(-1) as string);
        break;
      case 'propertyNames': {
        const key = String(params.propertyName);
        problem = `${JSON.stringify(key)} in ${subject} ${propertyNameWords(path)}`;
        line = lines.of(path, key);
        break;
      }
      case 'type':
        problem = path.length === 0 ? 'the spec must be a mapping with a `tests:` list' : `${subject} must be ${typeWords(params.type)}, not ${show(value)}`;
        break;
      case 'minItems':
        problem = path.length === 1 && path[0] === 'tests' ? '`tests` must list at least one test' : `${subject} must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
        break;
      case 'minProperties':
        problem = `${subject} must give at least one check: exists, equals, not-equals, matches, lt, lte, gt, gte or length`;
        break;
      case 'minimum':
      case 'maximum':
        problem = `${subject} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}, not ${show(value)}`;
        break;
      case 'minLength':
        problem = `${subject} must not be empty`;
        break;
      case 'uniqueItems':
        problem = `${subject} lists ${show(at(value, [Number(params.j)]))} twice`;
        break;
      case 'pattern':
        problem = `${subject} ${patternWords(error, path)}`;
        break;
      case 'anyOf':
        problem = `${subject} ${anyOfWords(path)}`;
        break;
      default:
        problem = `${subject} ${error.message ?? 'is not valid'}`;
    }
    line ??= lines.of(path);
    if (seen.has(`${line} ${problem}`)) continue;
    seen.add(`${line} ${problem}`);
    out.push({ line, problem });
  }
  return out;
}

// ------------------------------------------------------------------ what a schema cannot say

interface Loaded {
  spec: Spec;
  lines: Lines;
  file?: string;
  /** Tests (by index) that break the schema, with their `name` as given: left out of the further checks. */
  broken: ReadonlyMap<number, unknown>;
}

/** The capture names a test's `needs` chain hands it (the test's own not included); undefined when a test of the chain is unknown. */
function inheritedCaptures(test: SpecTest, byName: ReadonlyMap<string, SpecTest>): Set<string> | undefined {
  const names = new Set<string>();
  const seen = new Set<string>();
  let complete = true;
  const visit = (t: SpecTest) => {
    for (const need of t.needs ?? []) {
      const needed = byName.get(need);
      if (!needed) complete = false;
      if (!needed || seen.has(need)) continue;
      seen.add(need);
      for (const name of Object.keys(needed.capture ?? {})) names.add(name);
      visit(needed);
    }
  };
  visit(test);
  return complete ? names : undefined;
}

/**
 * Calls `visit` with each placeholder name in `value` (keys too) that is not `known`, and the path of
 * the string it is in (`key` set when it is in a key of the mapping at `path`). A start-up path: the
 * value is walked for paths only when one of its names is not known.
 */
function unknownPlaceholders(value: unknown, path: PathKey[], known: (name: string) => boolean, visit: (name: string, path: PathKey[], key?: string) => void): void {
  if (value === undefined || placeholdersIn(value).every(known)) return;
  const walk = (node: unknown) => {
    if (typeof node === 'string') {
      if (node.includes('{{')) for (const name of placeholderNames(node)) if (!known(name)) visit(name, [...path]);
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => {
        path.push(i);
        walk(item);
        path.pop();
      });
    } else if (node && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        if (key.includes('{{')) for (const name of placeholderNames(key)) if (!known(name)) visit(name, [...path], key);
        path.push(key);
        walk(item);
        path.pop();
      }
    }
  };
  walk(value);
}

/** The checks of a test that read the response body, as written in the spec: `expect.json`, `capture id`. */
function bodyChecks(test: SpecTest): string[] {
  const expectations = (['body-contains', 'body-regex', 'json', 'schema'] as const).filter((key) => test.expect?.[key] !== undefined).map((key) => `expect.${key}`);
  const captures = Object.entries(test.capture ?? {})
    .filter(([, rule]) => !(typeof rule === 'string' ? rule : rule.from).startsWith('header:'))
    .map(([name]) => `capture ${name}`);
  return [...expectations, ...captures];
}

function checkTests(loaded: readonly Loaded[], options: LoadOptions & { complete: boolean; several: boolean }, issues: SpecIssue[]): void {
  const inputVars = new Set(options.vars ?? []);
  const all = loaded.flatMap((l) => l.spec.tests.map((test, index) => ({ test, index, l })).filter((entry) => !l.broken.has(entry.index)));
  // A need naming a test that breaks the schema is no unknown need.
  const brokenNames = new Set(loaded.flatMap((l) => [...l.broken.values()].filter((name) => typeof name === 'string')));
  const byName = new Map<string, (typeof all)[number]>();
  const issue = (entry: { l: Loaded }, path: PathKey[], problem: string, key?: string) => issues.push({ file: entry.l.file, line: entry.l.lines.of(path, key), problem });

  for (const entry of all) {
    const { test, index } = entry;
    const first = byName.get(test.name);
    if (first) {
      const elsewhere = first.l !== entry.l ? ` (the other is at ${first.l.file ?? 'spec'}:${first.test.line})` : '';
      issue(entry, ['tests', index, 'name'], `two tests are named ${JSON.stringify(test.name)}${elsewhere}; names must be unique`);
      continue;
    }
    byName.set(test.name, entry);
    const bodies = (['json', 'body', 'form'] as const).filter((key) => test.request[key] !== undefined);
    if (bodies.length > 1) issue(entry, ['tests', index, 'request'], `test ${JSON.stringify(test.name)} gives both ${bodies.join(' and ')}; a request has one body`);
    const { method, url } = test.request;
    const upperMethod = method?.toUpperCase();
    if (upperMethod !== undefined && !HTTP_METHODS.includes(upperMethod)) {
      issue(entry, ['tests', index, 'request', 'method'], `test ${JSON.stringify(test.name)} request.method ${JSON.stringify(method)} is not an HTTP method; expected one of ${HTTP_METHODS.join(', ')}`);
    }
    // A URL that starts with a placeholder may be absolute once filled in: only the run can tell.
    if (typeof url === 'string' && options.requireSpecBaseUrl && !entry.l.spec['base-url'] && !/^https?:\/\//i.test(url) && !url.trimStart().startsWith('{{')) {
      issue(
        entry,
        ['tests', index, 'request', 'url'],
        `test ${JSON.stringify(test.name)} request.url ${JSON.stringify(url)} is relative, and no base-url is given; expected an absolute URL, or base-url in the spec or as the input`
      );
    }
    // Only a HEAD request can have body checks that never pass: the other tests (nearly all) skip naming theirs.
    if (upperMethod === 'HEAD') {
      const headError = headWithBodyChecks(`test ${JSON.stringify(test.name)} request.method`, method!, bodyChecks(test));
      if (headError) issue(entry, ['tests', index, 'request'], `${headError.input}: ${headError.problem}; expected ${headError.expected}`, 'method');
    }
  }
  const tests = new Map([...byName].map(([name, entry]) => [name, entry.test]));

  for (const entry of all) {
    const { test, index } = entry;
    for (const [needIndex, need] of (test.needs ?? []).entries()) {
      if (need === test.name) issue(entry, ['tests', index, 'needs', needIndex], `test ${JSON.stringify(test.name)} needs itself`);
      // A test of a file that could not be read may be the one needed: say nothing until it can be.
      else if (!tests.has(need) && !brokenNames.has(need) && options.complete) {
        issue(entry, ['tests', index, 'needs', needIndex], `test ${JSON.stringify(test.name)} needs ${JSON.stringify(need)}, which is not a test in ${options.several ? 'any of the spec files' : 'this spec'}`);
      }
    }
  }
  const cycle = findCycle([...tests.values()]);
  if (cycle) {
    const first = byName.get(cycle[0]!)!;
    issues.push({ file: first.l.file, line: first.test.line, problem: `tests need each other in a cycle: ${cycle.join(' -> ')}` });
  }

  for (const entry of all) {
    const found = options.checkTest?.(entry.test);
    if (!found) continue;
    const { problem, at = [] } = typeof found === 'string' ? { problem: found } : found;
    issues.push({ file: entry.l.file, line: at.length > 0 ? (entry.l.lines.of(['tests', entry.index, ...at]) ?? entry.test.line) : entry.test.line, problem });
  }

  // A placeholder with no possible value fails now, not when its test runs.
  const capturedBy = (name: string) => [...tests.values()].filter((t) => t.capture?.[name] !== undefined).map((t) => t.name);
  for (const l of loaded) {
    const vars = new Set([...Object.keys(l.spec.vars ?? {}), ...inputVars]);
    unknownPlaceholders(l.spec.defaults?.headers, ['defaults', 'headers'], (name) => name.startsWith('env.') || vars.has(name), (name, path, key) => {
      const captured = capturedBy(name).length > 0 ? ': a default applies to every test, a capture only to the tests that need its test' : '';
      issue({ l }, path, `\`${path.join('.')}\` uses {{ ${name} }}, which is not a var or env.NAME${captured}`, key);
    });
  }
  for (const entry of all) {
    const { test, index } = entry;
    if (byName.get(test.name) !== entry) continue;
    // One look at both parts: they are walked for the path of a name only when one is not known.
    const names = placeholdersIn([test.request, test.expect]);
    if (names.length === 0) continue;
    let known: Set<string> | undefined;
    let chainUnknown = false;
    const isKnown = (name: string) => {
      if (name.startsWith('env.')) return true;
      if (!known) {
        const captures = inheritedCaptures(test, tests);
        // A need that is unknown (reported above) or in a file that could not be read: its captures are unknown too.
        chainUnknown = captures === undefined;
        known = new Set([...Object.keys(test.source.vars ?? {}), ...inputVars, ...(captures ?? [])]);
      }
      return chainUnknown || known.has(name);
    };
    if (names.every(isKnown)) continue;
    const reported = new Set<string>();
    for (const part of ['request', 'expect'] as const) {
      unknownPlaceholders(test[part], ['tests', index, part], isKnown, (name, path, key) => {
        if (reported.has(name)) return;
        reported.add(name);
        const by = capturedBy(name).filter((n) => n !== test.name);
        const hint = by.length > 0 ? `; ${by.map((n) => JSON.stringify(n)).join(', ')} captures it: add it to \`needs\`` : test.capture?.[name] !== undefined ? '; a test\'s own captures are for the tests that need it' : '';
        issue(entry, path, `test ${JSON.stringify(test.name)} uses {{ ${name} }}, which has no value: it is not a var, an env.NAME, or a capture of a test it needs${hint}`, key);
      });
    }
  }
}

/** A cycle in `needs` as a list of names (first repeated at the end), or undefined. */
function findCycle(tests: readonly SpecTest[]): string[] | undefined {
  // Only a test that needs another can be on a cycle: most tests need none, and are not walked.
  const needs = new Map<string, string[]>();
  for (const test of tests) if (test.needs !== undefined && test.needs.length > 0) needs.set(test.name, test.needs);
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (done.has(name)) return undefined;
    const onStack = stack.indexOf(name);
    if (onStack >= 0) return [...stack.slice(onStack), name];
    stack.push(name);
    for (const need of needs.get(name)!) {
      if (need === name || !needs.has(need)) continue;
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    stack.pop();
    done.add(name);
    return undefined;
  };
  for (const name of needs.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

// ------------------------------------------------------------------ running a subset

export interface Selection {
  tests: SpecTest[];
  /** Tests run only because a selected test needs them. */
  needed: string[];
}

/**
 * The tests named in `names` or tagged with one of `tags` (all tests when both are empty), and every
 * test they need. Returns the name or tag that matches nothing as `unknown`.
 */
export function selectTests(tests: readonly SpecTest[], names: readonly string[], tags: readonly string[]): Selection | { unknown: { names: string[]; tags: string[] } } {
  if (names.length === 0 && tags.length === 0) return { tests: [...tests], needed: [] };
  const byName = new Map(tests.map((t) => [t.name, t]));
  const unknownNames = names.filter((name) => !byName.has(name));
  const unknownTags = tags.filter((tag) => !tests.some((t) => t.tags?.includes(tag)));
  if (unknownNames.length > 0 || unknownTags.length > 0) return { unknown: { names: unknownNames, tags: unknownTags } };
  const chosen = new Set(tests.filter((t) => names.includes(t.name) || t.tags?.some((tag) => tags.includes(tag))).map((t) => t.name));
  const needed = new Set<string>();
  const pull = (test: SpecTest) => {
    for (const need of test.needs ?? []) {
      if (chosen.has(need) || needed.has(need)) continue;
      needed.add(need);
      pull(byName.get(need)!);
    }
  };
  for (const name of chosen) pull(byName.get(name)!);
  return { tests: tests.filter((t) => chosen.has(t.name) || needed.has(t.name)), needed: tests.filter((t) => needed.has(t.name)).map((t) => t.name) };
}
