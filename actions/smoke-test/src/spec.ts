// The smoke-test spec: YAML, validated against schemas/smoke-test.schema.json (through a validator
// generated at build time) and then for what a schema cannot say (unique names, known needs, no
// cycles), before any request is sent. Every error names the line and the key that is wrong.
import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, type Document } from 'yaml';
import { validate } from './generated/spec-validator.js';

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

export interface SpecTest {
  name: string;
  needs?: string[];
  retries?: number;
  timeout?: string;
  request: SpecRequest;
  expect?: SpecExpect;
  capture?: Record<string, string | { from: string; secret?: boolean }>;
  /** 1-based line of the test in the spec file. */
  line: number;
}

export interface SpecDefaults {
  timeout?: string;
  retries?: number;
  'retry-interval'?: string;
  headers?: Record<string, Scalar>;
  'max-latency'?: string;
  'follow-redirects'?: boolean;
}

export interface Spec {
  'base-url'?: string;
  defaults?: SpecDefaults;
  vars?: Record<string, Scalar>;
  tests: SpecTest[];
}

export class SpecError extends Error {
  constructor(
    readonly problem: string,
    readonly line?: number,
    readonly file?: string
  ) {
    super(`${file ?? 'spec'}${line ? `:${line}` : ''}: ${problem}`);
    this.name = 'SpecError';
  }
}

type PathKey = string | number;

/** The line of the node at `path`, or of the nearest ancestor that exists. */
function lineOf(doc: Document, counter: LineCounter, path: readonly PathKey[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The line of a key inside the map at `path` (for "unknown key" errors). */
function lineOfKey(doc: Document, counter: LineCounter, path: readonly PathKey[], key: string): number | undefined {
  const map = doc.getIn(path, true);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.value === key && pair.key.range) return counter.linePos(pair.key.range[0]).line;
    }
  }
  return lineOf(doc, counter, path);
}

function describePath(path: readonly PathKey[], spec: unknown): string {
  // `tests[2] (name "profile").expect.status` reads better than a JSON pointer.
  let text = '';
  let node: unknown = spec;
  for (const key of path) {
    node = (node as Record<PathKey, unknown> | undefined)?.[key];
    if (typeof key === 'number') {
      const name = (node as { name?: unknown } | undefined)?.name;
      text += `[${key}]${typeof name === 'string' ? ` (${JSON.stringify(name)})` : ''}`;
    } else text += text ? `.${key}` : key;
  }
  return text || 'the spec';
}

function pathOf(pointer: string): PathKey[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Parses and checks a spec. `file` is only used in messages and annotations. */
export function loadSpec(text: string, file?: string): Spec {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    // With prettyErrors off the parser sets no linePos: the line comes from the error's offset.
    const line = yamlError.linePos?.[0].line ?? counter.linePos(yamlError.pos[0]).line;
    throw new SpecError(`invalid YAML: ${yamlError.message.split('\n')[0]}`, line, file);
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!validate(data)) {
    // The most specific error first: the deepest path, then unknown keys before type mismatches.
    const errors = [...(validate.errors ?? [])].sort((a, b) => b.instancePath.length - a.instancePath.length);
    const error = errors.find((e) => e.keyword !== 'oneOf' && e.keyword !== 'if') ?? errors[0]!;
    const path = pathOf(error.instancePath);
    const where = describePath(path, data);
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      throw new SpecError(`unknown key "${key}" in ${where}`, lineOfKey(doc, counter, path, key), file);
    }
    if (error.keyword === 'required') {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      throw new SpecError(`${where} needs the key "${key}"`, lineOf(doc, counter, path), file);
    }
    throw new SpecError(`${where} ${friendlyMessage(error.schemaPath) ?? error.message ?? 'is not valid'}`, lineOf(doc, counter, path), file);
  }
  const spec = data as Spec;
  spec.tests.forEach((test, index) => {
    test.line = lineOf(doc, counter, ['tests', index]) ?? 0;
  });
  checkTests(spec, doc, counter, file);
  return spec;
}

/** ajv's "must match pattern ^(0|(\d+…" says nothing to a person: say what is accepted instead. */
function friendlyMessage(schemaPath: string): string | undefined {
  if (schemaPath === '#/type') return 'must be a mapping with a `tests:` list';
  if (schemaPath.startsWith('#/definitions/duration')) return 'must be a duration such as 250ms, 5s or 1m30s';
  if (schemaPath.startsWith('#/definitions/status')) return 'must be a status code or a set such as 2xx, 200-299 or "200,204"';
  if (schemaPath.startsWith('#/definitions/name')) return 'must be a name of letters, digits, _ . and -, not starting with a digit';
  if (schemaPath.startsWith('#/definitions/captureSource') || schemaPath.includes('/capture/')) {
    return 'must be a JSONPath ($.token), header:<name> or regex:<pattern>, or { from: <one of those>, secret: false }';
  }
  if (schemaPath.includes('/json/propertyNames')) return 'must be JSONPath expressions starting with $';
  return undefined;
}

function checkTests(spec: Spec, doc: Document, counter: LineCounter, file: string | undefined): void {
  const byName = new Map<string, number>();
  spec.tests.forEach((test, index) => {
    if (byName.has(test.name)) {
      throw new SpecError(`two tests are named ${JSON.stringify(test.name)}; names must be unique`, lineOf(doc, counter, ['tests', index, 'name']), file);
    }
    byName.set(test.name, index);
    const bodies = (['json', 'body', 'form'] as const).filter((key) => test.request[key] !== undefined);
    if (bodies.length > 1) {
      throw new SpecError(`test ${JSON.stringify(test.name)} gives both ${bodies.join(' and ')}; a request has one body`, lineOf(doc, counter, ['tests', index, 'request']), file);
    }
  });
  spec.tests.forEach((test, index) => {
    for (const [needIndex, need] of (test.needs ?? []).entries()) {
      if (!byName.has(need)) {
        throw new SpecError(`test ${JSON.stringify(test.name)} needs ${JSON.stringify(need)}, which is not a test in this spec`, lineOf(doc, counter, ['tests', index, 'needs', needIndex]), file);
      }
      if (need === test.name) throw new SpecError(`test ${JSON.stringify(test.name)} needs itself`, lineOf(doc, counter, ['tests', index, 'needs', needIndex]), file);
    }
  });
  const cycle = findCycle(spec.tests);
  if (cycle) {
    const first = spec.tests.find((t) => t.name === cycle[0])!;
    throw new SpecError(`tests need each other in a cycle: ${cycle.join(' -> ')}`, first.line, file);
  }
}

/** A cycle in `needs` as a list of names (first repeated at the end), or undefined. */
function findCycle(tests: readonly SpecTest[]): string[] | undefined {
  const needs = new Map(tests.map((t) => [t.name, t.needs ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const need of needs.get(name) ?? []) {
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const test of tests) {
    const cycle = visit(test.name);
    if (cycle) return cycle;
  }
  return undefined;
}
