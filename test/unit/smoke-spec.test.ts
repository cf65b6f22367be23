// The smoke-test spec loader on its own: what a valid spec becomes, and, for each way a spec can be
// wrong, the one message and the line a user is sent to.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SpecError, loadSpec } from '../../actions/smoke-test/src/spec.js';
import { captureRules, checkAssertions } from '../../actions/smoke-test/src/suite.js';

const fixtures = fileURLToPath(new URL('../fixtures/smoke/', import.meta.url));
const fixture = (name: string) => readFileSync(`${fixtures}${name}`, 'utf8');

/** The SpecError that loading `text` throws (fails the test when it loads). */
function specError(text: string, file?: string): SpecError {
  try {
    loadSpec(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error('the spec loaded, but it should not have');
}

/** 1-based line of the first line of `text` that contains `needle` (so expectations survive edits above it). */
function lineWith(text: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.includes(needle) && ++seen === occurrence) return index + 1;
  }
  throw new Error(`no line ${occurrence} with ${JSON.stringify(needle)}`);
}

describe('loadSpec: a valid spec', () => {
  it('reads the demo spec with every test, its needs and its 1-based line', () => {
    const text = fixture('demo-api.yml');
    const spec = loadSpec(text, 'demo-api.yml');
    expect(spec.tests.map((t) => t.name)).toEqual(['health', 'login', 'profile', 'create item', 'read item', 'list items', 'flaky route', 'slow route']);
    for (const test of spec.tests) expect(test.line).toBe(lineWith(text, `- name: ${test.name}`));
    expect(spec.tests.find((t) => t.name === 'read item')?.needs).toEqual(['create item']);
    expect(spec.defaults).toEqual({ timeout: '5s', retries: 2, 'retry-interval': '50ms', headers: { Accept: 'application/json' } });
    expect(spec.vars).toEqual({ user: 'alice' });
    const login = spec.tests.find((t) => t.name === 'login')!;
    expect(login.expect?.json).toEqual({ '$.token': { exists: true, matches: '^tok_' }, '$.user.name': { equals: 'alice' } });
    expect(login.capture).toEqual({ token: '$.token' });
  });

  it('accepts every assertion kind and capture form the fixtures use', () => {
    for (const name of ['assertions.yml', 'captures.yml', 'parallel.yml', 'retries.yml', 'dependants.yml', 'junit.yml', 'compare.yml', 'masking.yml', 'vars.yml', 'relative.yml']) {
      expect(() => loadSpec(fixture(name), name)).not.toThrow();
    }
    const spec = loadSpec(fixture('captures.yml'), 'captures.yml');
    expect(spec.tests.find((t) => t.name === 'create item')?.capture).toEqual({ item: '$.id', location: { from: 'header:Location', secret: false }, size: 'regex:"name":"gadget-(\\d+)"' });
  });

  it('takes a status as a number or a set, and a body-contains as a string or a list', () => {
    const spec = loadSpec(
      ['tests:', '  - name: a', '    request: { url: /a }', '    expect: { status: 204, body-contains: x }', '  - name: b', '    request: { url: /b }', '    expect: { status: "2xx, 404", body-contains: [x, y] }'].join('\n')
    );
    expect(spec.tests.map((t) => t.expect)).toEqual([
      { status: 204, 'body-contains': 'x' },
      { status: '2xx, 404', 'body-contains': ['x', 'y'] }
    ]);
  });
});

describe('loadSpec: the error and the line', () => {
  // The same files the integration test feeds the action: the lines here are the annotation lines there.
  const specs: Array<[file: string, problem: string, lineText: string, occurrence?: number]> = [
    ['unknown-key.yml', 'unknown key "expects" in tests[0] ("health")', 'expects:'],
    ['wrong-type.yml', 'tests[1] ("version").retries must be integer', 'retries: three'],
    ['duplicate-name.yml', 'two tests are named "health"; names must be unique', '- name: health', 2],
    ['unknown-need.yml', 'test "profile" needs "signup", which is not a test in this spec', '- signup'],
    ['cycle.yml', 'tests need each other in a cycle: first -> second -> first', '- name: first'],
    ['yaml-syntax.yml', 'invalid YAML: All mapping items must start at the same column', 'method: GET']
  ];
  it.each(specs)('%s: %s', (name, problem, lineText, occurrence = 1) => {
    const text = fixture(`invalid/${name}`);
    const error = specError(text, `smoke/invalid/${name}`);
    const line = lineWith(text, lineText, occurrence);
    expect(error.problem).toBe(problem);
    expect(error.line).toBe(line);
    expect(error.file).toBe(`smoke/invalid/${name}`);
    expect(error.message).toBe(`smoke/invalid/${name}:${line}: ${problem}`);
  });

  const cases: Array<[string, string[], string, number | undefined]> = [
    ['an unknown top-level key', ['base_url: http://x', 'tests:', '  - name: a', '    request: { url: /a }'], 'unknown key "base_url" in the spec', 1],
    ['an unknown key under expect', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      status: 200', '      body_contains: ok'], 'unknown key "body_contains" in tests[0] ("a").expect', 6],
    ['an unknown JSON check', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      json:', '        $.status: { equal: ok }'], 'unknown key "equal" in tests[0] ("a").expect.json.$.status', 6],
    ['an unknown key under request', ['tests:', '  - name: a', '    request:', '      url: /a', '      params: { q: 1 }'], 'unknown key "params" in tests[0] ("a").request', 5],
    ['a test without request', ['tests:', '  - name: a', '    expect: { status: 200 }'], 'tests[0] ("a") needs the key "request"', 2],
    ['a request without url', ['tests:', '  - name: a', '    request:', '      method: GET'], 'tests[0] ("a").request needs the key "url"', 4],
    ['a url that is a number', ['tests:', '  - name: a', '    request:', '      url: 42'], 'tests[0] ("a").request.url must be string', 4],
    ['a status that is not a status', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      status: ok'], 'tests[0] ("a").expect.status must be a status code or a set such as 2xx, 200-299 or "200,204"', 5],
    ['a status out of range', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      status: 600'], 'tests[0] ("a").expect.status must be a status code or a set such as 2xx, 200-299 or "200,204"', 5],
    ['a duration in words', ['defaults:', '  timeout: 5 seconds', 'tests:', '  - name: a', '    request: { url: /a }'], 'defaults.timeout must be a duration such as 250ms, 5s or 1m30s', 2],
    ['a max-latency in words', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      max-latency: fast'], 'tests[0] ("a").expect.max-latency must be a duration such as 250ms, 5s or 1m30s', 5],
    ['a header expectation that is a number', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      headers:', '        x-count: 1'], 'tests[0] ("a").expect.headers.x-count must be string', 6],
    ['a capture that is no JSONPath, header: or regex:', ['tests:', '  - name: a', '    request: { url: /a }', '    capture:', '      token: token'], 'tests[0] ("a").capture.token must be a JSONPath ($.token), header:<name> or regex:<pattern>, or { from: <one of those>, secret: false }', 5],
    ['a capture name with a blank', ['tests:', '  - name: a', '    request: { url: /a }', '    capture:', '      my token: $.token'], 'tests[0] ("a").capture must be a name of letters, digits, _ . and -, not starting with a digit', 5],
    ['a JSON check keyed by a bare name', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      json:', '        status: { equals: ok }'], 'tests[0] ("a").expect.json must be JSONPath expressions starting with $', 6],
    ['a var name starting with a digit', ['vars:', '  1st: x', 'tests:', '  - name: a', '    request: { url: /a }'], 'vars must be a name of letters, digits, _ . and -, not starting with a digit', 2],
    ['retries above the limit', ['tests:', '  - name: a', '    retries: 50', '    request: { url: /a }'], 'tests[0] ("a").retries must be <= 20', 3],
    ['no tests', ['tests: []'], 'tests must NOT have fewer than 1 items', 1],
    ['a test needing itself', ['tests:', '  - name: a', '    needs: [a]', '    request: { url: /a }'], 'test "a" needs itself', 3],
    ['two bodies', ['tests:', '  - name: a', '    request:', '      url: /a', '      json: { a: 1 }', '      form: { a: 1 }'], 'test "a" gives both json and form; a request has one body', 4],
    ['a duplicate key', ['tests:', '  - name: a', '    request: { url: /a }', '    request: { url: /b }'], 'invalid YAML: Map keys must be unique', 4],
    ['a tab for indentation', ['tests:', '  - name: a', '\trequest: { url: /a }'], 'invalid YAML: Tabs are not allowed as indentation', 3],
    ['an unclosed flow map', ['tests:', '  - name: a', '    request: { url: /a', '  - name: b'], 'invalid YAML: Flow map in block collection must be sufficiently indented and end with a }', 4]
  ];
  it.each(cases)('%s', (_, lines, problem, line) => {
    const error = specError(lines.join('\n'), 'spec.yml');
    expect({ problem: error.problem, line: error.line }).toEqual({ problem, line });
  });

  it('names the spec "spec" in the message when no file is given', () => {
    const error = specError('tests:\n  - name: a\n    request: { url: /a }\n    retries: -1\n');
    expect(error.file).toBeUndefined();
    expect(error.message).toBe('spec:4: tests[0] ("a").retries must be >= 0');
  });

  it('reports a cycle at the first test in it, even when tests outside it need the cycle', () => {
    const text = ['tests:', '  - name: entry', '    needs: [b]', '    request: { url: /a }', '  - name: b', '    needs: [c]', '    request: { url: /b }', '  - name: c', '    needs: [b]', '    request: { url: /c }'].join('\n');
    const error = specError(text, 'spec.yml');
    expect(error.problem).toBe('tests need each other in a cycle: b -> c -> b');
    expect(error.line).toBe(5);
  });

  it('checks names before needs: a duplicate is reported even when a need is also unknown', () => {
    const error = specError(['tests:', '  - name: a', '    needs: [zzz]', '    request: { url: /a }', '  - name: a', '    request: { url: /b }'].join('\n'), 'spec.yml');
    expect(error.problem).toBe('two tests are named "a"; names must be unique');
    expect(error.line).toBe(5);
  });

  it('refuses a spec that is not a map of settings', () => {
    expect(specError('- name: a\n', 'spec.yml').problem).toBe('the spec must be a mapping with a `tests:` list');
    expect(specError('', 'spec.yml').problem).toBe('the spec must be a mapping with a `tests:` list');
  });
});

describe('checks built at load time', () => {
  const load = (lines: string[]) => {
    const spec = loadSpec(lines.join('\n'), 'spec.yml');
    return () => checkAssertions(spec, fixtures, 'spec.yml');
  };

  it.each([
    ['a bad regular expression', ['tests:', '  - name: a', '    request: { url: /a }', '  - name: b', '    request: { url: /b }', '    expect: { body-regex: "/(/" }'], 4, /is not a valid regular expression/],
    ['a reversed status range', ['tests:', '  - name: a', '    request: { url: /a }', '    expect: { status: "299-200" }'], 2, /"299-200" is not a status code, class or range/],
    ['a missing schema file', ['tests:', '  - name: a', '    request: { url: /a }', '    expect: { schema: ./schemas/nowhere.json }'], 2, /cannot read the JSON Schema .*nowhere\.json/]
  ])('%s fails at the test line, before any request', (_, lines, line, message) => {
    try {
      load(lines)();
      throw new Error('loaded');
    } catch (error) {
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).line).toBe(line);
      expect((error as SpecError).problem).toMatch(message);
    }
  });

  it('a capture may be marked not secret', () => {
    const spec = loadSpec(['tests:', '  - name: a', '    request: { url: /a }', '    capture:', '      id: { from: $.id, secret: false }', '      token: $.token'].join('\n'));
    expect(captureRules(spec.tests[0]!)).toEqual([
      { name: 'id', from: '$.id', secret: false },
      { name: 'token', from: '$.token', secret: true }
    ]);
  });
});
