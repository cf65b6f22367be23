// The smoke-test spec loader on its own: what a valid spec becomes, and, for each way a spec can be
// wrong, the message and the line a user is sent to; every error of a spec at once; several files;
// a subset by name or tag; and the fast YAML reader held to what `yaml` reads.
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, parseDocument, stringify } from 'yaml';
import { fastYaml } from '../../actions/smoke-test/src/fast-yaml.js';
import { SpecError, loadSpec, loadSpecs, selectTests, type LoadOptions, type SpecIssue, type SpecTest } from '../../actions/smoke-test/src/spec.js';
import { assertionProblem, captureRules, cookieHeader, firstTargetOnly } from '../../actions/smoke-test/src/suite.js';
import { Masker } from '@deploy-actions/report';
import { readInputs } from '../../actions/smoke-test/src/inputs.js';
import { envNames, placeholdersIn } from '../../actions/smoke-test/src/template.js';

const fixtures = fileURLToPath(new URL('../fixtures/smoke/', import.meta.url));
const fixture = (name: string) => readFileSync(`${fixtures}${name}`, 'utf8');

/** The SpecError that loading `text` throws (fails the test when it loads). */
async function specError(text: string, file?: string, options?: LoadOptions): Promise<SpecError> {
  try {
    await loadSpec(text, file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error('the spec loaded, but it should not have');
}

/** The one issue of a spec with one error. */
async function onlyIssue(text: string, file?: string, options?: LoadOptions): Promise<SpecIssue> {
  const { issues } = await specError(text, file, options);
  expect(issues).toHaveLength(1);
  return issues[0]!;
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
  it('reads the demo spec with every test, its needs and its 1-based line', async () => {
    const text = fixture('demo-api.yml');
    const spec = await loadSpec(text, 'demo-api.yml');
    expect(spec.tests.map((t) => t.name)).toEqual(['health', 'login', 'profile', 'create item', 'read item', 'list items', 'flaky route', 'slow route']);
    for (const test of spec.tests) expect(test.line).toBe(lineWith(text, `- name: ${test.name}`));
    expect(spec.tests.find((t) => t.name === 'read item')?.needs).toEqual(['create item']);
    expect(spec.defaults).toEqual({ timeout: '5s', retries: 2, 'retry-interval': '50ms', headers: { Accept: 'application/json' } });
    expect(spec.vars).toEqual({ user: 'alice' });
    const login = spec.tests.find((t) => t.name === 'login')!;
    expect(login.expect?.json).toEqual({ '$.token': { exists: true, matches: '^tok_' }, '$.user.name': { equals: 'alice' } });
    expect(login.capture).toEqual({ token: '$.token' });
  });

  it('accepts every assertion kind and capture form the fixtures use', async () => {
    for (const name of ['assertions.yml', 'captures.yml', 'parallel.yml', 'retries.yml', 'dependants.yml', 'junit.yml', 'compare.yml', 'masking.yml', 'vars.yml', 'relative.yml']) {
      await expect(loadSpec(fixture(name), name)).resolves.toBeDefined();
    }
    const spec = await loadSpec(fixture('captures.yml'), 'captures.yml');
    expect(spec.tests.find((t) => t.name === 'create item')?.capture).toEqual({ item: '$.id', location: { from: 'header:Location', secret: false }, size: 'regex:"name":"gadget-(\\d+)"' });
  });

  it('takes a status as a number or a set, and a body-contains as a string or a list', async () => {
    const spec = await loadSpec(
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
    ['unknown-key.yml', 'unknown key "expects" in test "health"', 'expects:'],
    ['wrong-type.yml', '`retries` of test "version" must be a whole number, not "three"', 'retries: three'],
    ['duplicate-name.yml', 'two tests are named "health"; names must be unique', '- name: health', 2],
    ['unknown-need.yml', 'test "profile" needs "signup", which is not a test in this spec', '- signup'],
    ['cycle.yml', 'tests need each other in a cycle: first -> second -> first', '- name: first'],
    ['yaml-syntax.yml', 'invalid YAML: All mapping items must start at the same column', 'method: GET']
  ];
  it.each(specs)('%s: %s', async (name, problem, lineText, occurrence = 1) => {
    const text = fixture(`invalid/${name}`);
    const error = await specError(text, `smoke/invalid/${name}`);
    const line = lineWith(text, lineText, occurrence);
    expect(error.issues).toEqual([{ file: `smoke/invalid/${name}`, line, problem }]);
    expect(error.message).toBe(`smoke/invalid/${name}:${line}: ${problem}`);
  });

  const cases: Array<[string, string[], string, number | undefined]> = [
    ['an unknown top-level key', ['base_url: http://x', 'tests:', '  - name: a', '    request: { url: /a }'], 'unknown key "base_url" in the spec', 1],
    ['an unknown key under expect', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      status: 200', '      body_contains: ok'], 'unknown key "body_contains" in `expect` of test "a"', 6],
    ['an unknown JSON check', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      json:', '        $.status: { equal: ok }'], 'unknown key "equal" in `expect.json.$.status` of test "a"', 6],
    ['an unknown key under request', ['tests:', '  - name: a', '    request:', '      url: /a', '      params: { q: 1 }'], 'unknown key "params" in `request` of test "a"', 5],
    ['a test without request', ['tests:', '  - name: a', '    expect: { status: 200 }'], 'test "a" has no `request`', 2],
    ['a test without a name', ['tests:', '  - request: { url: /a }'], 'the test at tests[0] has no `name`', 2],
    ['a request without url', ['tests:', '  - name: a', '    request:', '      method: GET'], '`request` of test "a" has no `url`', 3],
    ['a url that is a number', ['tests:', '  - name: a', '    request:', '      url: 42'], '`request.url` of test "a" must be text, not 42', 4],
    ['a status that is not a status', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      status: ok'], '`expect.status` of test "a" must be a status code or a set such as 2xx, 200-299 or "200,204"', 5],
    ['a status out of range', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      status: 600'], '`expect.status` of test "a" must be a status code or a set such as 2xx, 200-299 or "200,204"', 5],
    ['a duration in words', ['defaults:', '  timeout: 5 seconds', 'tests:', '  - name: a', '    request: { url: /a }'], '`defaults.timeout` must be a duration such as 250ms, 5s or 1m30s', 2],
    ['a max-latency in words', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      max-latency: fast'], '`expect.max-latency` of test "a" must be a duration such as 250ms, 5s or 1m30s', 5],
    ['a header expectation that is a number', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      headers:', '        x-count: 1'], '`expect.headers.x-count` of test "a" must be text, not 1', 6],
    ['a body-contains that is a number', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      body-contains: 3'], '`expect.body-contains` of test "a" must be text or a list of texts', 5],
    ['a capture that is no JSONPath, header: or regex:', ['tests:', '  - name: a', '    request: { url: /a }', '    capture:', '      token: token'], '`capture.token` of test "a" must be a JSONPath ($.token), header:<name> or regex:<pattern>, or { from: <one of those>, secret: false }', 5],
    ['a capture name with a blank', ['tests:', '  - name: a', '    request: { url: /a }', '    capture:', '      my token: $.token'], '"my token" in `capture` of test "a" is not a valid name: use letters, digits, _ . and -, not starting with a digit', 5],
    ['a JSON check keyed by a bare name', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      json:', '        status: { equals: ok }'], '"status" in `expect.json` of test "a" is not a JSONPath: start it with $, as in $.status', 6],
    ['a JSON check with no check', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      json:', '        $.status: {}'], '`expect.json.$.status` of test "a" must give at least one check: exists, equals, not-equals, matches, lt, lte, gt, gte or length', 6],
    ['a var name starting with a digit', ['vars:', '  1st: x', 'tests:', '  - name: a', '    request: { url: /a }'], '"1st" in `vars` is not a valid name: use letters, digits, _ . and -, not starting with a digit', 2],
    ['retries above the limit', ['tests:', '  - name: a', '    retries: 50', '    request: { url: /a }'], '`retries` of test "a" must be at most 20, not 50', 3],
    ['a need listed twice', ['tests:', '  - name: a', '    request: { url: /a }', '  - name: b', '    needs: [a, a]', '    request: { url: /b }'], '`needs` of test "b" lists "a" twice', 5],
    ['a tag with a blank', ['tests:', '  - name: a', '    tags: [smoke test]', '    request: { url: /a }'], '`tags[0]` of test "a" must be a tag without blanks or commas', 3],
    ['compare that is not a boolean', ['tests:', '  - name: a', '    compare: no', '    request: { url: /a }'], '`compare` of test "a" must be true or false, not "no"', 3],
    ['a method with a blank', ['tests:', '  - name: a', '    request: { url: /a, method: "GET X" }'], '`request.method` of test "a" must be an HTTP method such as GET or POST', 3],
    ['a method HTTP does not have', ['tests:', '  - name: a', '    request:', '      url: /a', '      method: FETCH'], 'test "a" request.method "FETCH" is not an HTTP method; expected one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS', 5],
    ['no tests', ['tests: []'], '`tests` must list at least one test', 1],
    ['a test needing itself', ['tests:', '  - name: a', '    needs: [a]', '    request: { url: /a }'], 'test "a" needs itself', 3],
    ['two bodies', ['tests:', '  - name: a', '    request:', '      url: /a', '      json: { a: 1 }', '      form: { a: 1 }'], 'test "a" gives both json and form; a request has one body', 4],
    [
      'HEAD with body checks',
      ['tests:', '  - name: a', '    request: { url: /a, method: Head }', '    expect: { body-regex: /ok/, headers: { etag: /./ } }', '    capture: { tag: "header:ETag" }'],
      'test "a" request.method: HEAD gets a response without a body, so expect.body-regex could never pass; expected GET (or another method whose response has a body) with body checks, or HEAD without them',
      3
    ],
    ['a duplicate key', ['tests:', '  - name: a', '    request: { url: /a }', '    request: { url: /b }'], 'invalid YAML: Map keys must be unique', 4],
    ['a tab for indentation', ['tests:', '  - name: a', '\trequest: { url: /a }'], 'invalid YAML: Tabs are not allowed as indentation', 3],
    ['an unclosed flow map', ['tests:', '  - name: a', '    request: { url: /a', '  - name: b'], 'invalid YAML: Flow map in block collection must be sufficiently indented and end with a }', 4]
  ];
  it.each(cases)('%s', async (_, lines, problem, line) => {
    expect(await onlyIssue(lines.join('\n'), 'spec.yml')).toEqual({ file: 'spec.yml', problem, line });
  });

  it('names the spec "spec" in the message when no file is given', async () => {
    const error = await specError('tests:\n  - name: a\n    request: { url: /a }\n    retries: -1\n');
    expect(error.issues[0]!.file).toBeUndefined();
    expect(error.message).toBe('spec:4: `retries` of test "a" must be at least 0, not -1');
  });

  it('reports a cycle at the first test in it, even when tests outside it need the cycle', async () => {
    const text = ['tests:', '  - name: entry', '    needs: [b]', '    request: { url: /a }', '  - name: b', '    needs: [c]', '    request: { url: /b }', '  - name: c', '    needs: [b]', '    request: { url: /c }'].join('\n');
    expect(await onlyIssue(text, 'spec.yml')).toEqual({ file: 'spec.yml', problem: 'tests need each other in a cycle: b -> c -> b', line: 5 });
  });

  it('reports a duplicate name and an unknown need of the same spec together', async () => {
    const error = await specError(['tests:', '  - name: a', '    needs: [zzz]', '    request: { url: /a }', '  - name: a', '    request: { url: /b }'].join('\n'), 'spec.yml');
    expect(error.issues).toEqual([
      { file: 'spec.yml', line: 3, problem: 'test "a" needs "zzz", which is not a test in this spec' },
      { file: 'spec.yml', line: 5, problem: 'two tests are named "a"; names must be unique' }
    ]);
  });

  it('refuses a spec that is not a map of settings', async () => {
    expect((await onlyIssue('- name: a\n', 'spec.yml')).problem).toBe('the spec must be a mapping with a `tests:` list');
    expect((await onlyIssue('', 'spec.yml')).problem).toBe('the spec must be a mapping with a `tests:` list');
  });

  it('reports every schema error of a spec at once, each at its line, in the order of the file', async () => {
    const text = [
      'defaults:',
      '  timeout: soon',
      'tests:',
      '  - name: health',
      '    retries: many',
      '    request: { url: /health }',
      '    expects: { status: 200 }',
      '  - name: login',
      '    request:',
      '      method: POST',
      '    capture:',
      '      token: token'
    ].join('\n');
    expect((await specError(text, 'smoke.yml')).issues).toEqual([
      { file: 'smoke.yml', line: 2, problem: '`defaults.timeout` must be a duration such as 250ms, 5s or 1m30s' },
      { file: 'smoke.yml', line: 5, problem: '`retries` of test "health" must be a whole number, not "many"' },
      { file: 'smoke.yml', line: 7, problem: 'unknown key "expects" in test "health"' },
      { file: 'smoke.yml', line: 9, problem: '`request` of test "login" has no `url`' },
      { file: 'smoke.yml', line: 12, problem: '`capture.token` of test "login" must be a JSONPath ($.token), header:<name> or regex:<pattern>, or { from: <one of those>, secret: false }' }
    ]);
  });

  it('lists every error of a long plain spec that the quick reader and validator see first, each at its line', async () => {
    // 40 good tests, then errors in three tests and two in one of them: the fast reader reads it,
    // and the list still holds every error, not the first one alone.
    const good = Array.from({ length: 40 }, (_, i) => [`  - name: t${i}`, '    request:', `      url: /t/${i}`, '    expect:', '      status: 200', '      json:', '        $.id:', `          equals: ${i}`]).flat();
    const text = [
      'tests:',
      ...good,
      '  - name: late-1',
      '    request: { url: /a }',
      '    expect: { status: nope }',
      '  - name: late-2',
      '    retries: many',
      '    request: { url: /b }',
      '    expect:',
      '      json:',
      '        id: { equals: 1 }',
      '  - name: late-3',
      '    request: { method: GET }'
    ].join('\n');
    expect(fastYaml(text)).toBeDefined();
    const at = (needle: string) => lineWith(text, needle);
    expect((await specError(text, 'smoke.yml')).issues).toEqual([
      { file: 'smoke.yml', line: at('status: nope'), problem: '`expect.status` of test "late-1" must be a status code or a set such as 2xx, 200-299 or "200,204"' },
      { file: 'smoke.yml', line: at('retries: many'), problem: '`retries` of test "late-2" must be a whole number, not "many"' },
      { file: 'smoke.yml', line: at('id: { equals'), problem: '"id" in `expect.json` of test "late-2" is not a JSONPath: start it with $, as in $.status' },
      { file: 'smoke.yml', line: at('request: { method'), problem: '`request` of test "late-3" has no `url`' }
    ]);
  });

  it('checks the other tests of a spec when some break the schema, and takes a broken test for a known need', async () => {
    const text = [
      'tests:',
      '  - name: login',
      '    retries: many',
      '    request: { url: /login }',
      '    capture: { token: $.token }',
      '  - name: profile',
      '    needs: [login]',
      '    request: { url: "/me?t={{ token }}" }',
      '  - name: other',
      '    request: { url: "/other/{{ typo }}" }'
    ].join('\n');
    expect((await specError(text, 'spec.yml')).issues).toEqual([
      { file: 'spec.yml', line: 3, problem: '`retries` of test "login" must be a whole number, not "many"' },
      { file: 'spec.yml', line: 10, problem: 'test "other" uses {{ typo }}, which has no value: it is not a var, an env.NAME, or a capture of a test it needs' }
    ]);
  });

  it('checks no further when a setting outside the tests is wrong', async () => {
    const text = ['defaults: { retries: lots }', 'tests:', '  - name: a', '    request: { url: "/a/{{ typo }}" }'].join('\n');
    expect((await specError(text, 'spec.yml')).issues).toEqual([{ file: 'spec.yml', line: 1, problem: '`defaults.retries` must be a whole number, not "lots"' }]);
  });

  it('reports every YAML error of a spec at once', async () => {
    const text = ['tests:', '  - name: a', '    request: { url: /a }', '    request: { url: /b }', '  - name: b', '    request: { url: /b }', '    request: { url: /c }'].join('\n');
    expect((await specError(text, 'spec.yml')).issues.map((i) => [i.line, i.problem])).toEqual([
      [4, 'invalid YAML: Map keys must be unique'],
      [7, 'invalid YAML: Map keys must be unique']
    ]);
  });

  it('reports the problems a schema cannot see together: bodies, needs, a cycle, checks, placeholders', async () => {
    const text = [
      'tests:',
      '  - name: a',
      '    request: { url: /a, json: { x: 1 }, form: { x: 1 } }',
      '  - name: b',
      '    needs: [nowhere]',
      '    request: { url: /b }',
      '  - name: c',
      '    request: { url: /c }',
      '    expect: { body-regex: "/(/" }',
      '  - name: d',
      '    request: { url: "/d/{{ missing }}" }'
    ].join('\n');
    const issues = (await specError(text, 'spec.yml', { checkTest: assertionProblem })).issues;
    expect(issues.map((i) => [i.line, i.problem.replace(/: .*regular expression.*/, ': <bad regex>')])).toEqual([
      [3, 'test "a" gives both json and form; a request has one body'],
      [5, 'test "b" needs "nowhere", which is not a test in this spec'],
      [9, 'test "c" expect.body-regex: <bad regex>'],
      [11, 'test "d" uses {{ missing }}, which has no value: it is not a var, an env.NAME, or a capture of a test it needs']
    ]);
  });
});

describe('relative URLs with no base-url input', () => {
  const load = (text: string) => loadSpecs([{ text, file: 'spec.yml', dir: fixtures }], { requireSpecBaseUrl: true });

  it('fail at load time, at the url line, unless the spec has a base-url or the URL is absolute or a placeholder', async () => {
    const tests = ['tests:', '  - name: a', '    request:', '      url: /health', '  - name: b', '    request: { url: "http://x.test/health" }', '  - name: c', '    request: { url: "{{ env.TARGET }}/health" }'];
    await expect(load(tests.join('\n'))).rejects.toMatchObject({
      issues: [{ file: 'spec.yml', line: 4, problem: 'test "a" request.url "/health" is relative, and no base-url is given; expected an absolute URL, or base-url in the spec or as the input' }]
    });
    expect(await load(['base-url: http://x.test', ...tests].join('\n'))).toHaveLength(1);
  });
});

describe('placeholders at load time', () => {
  const spec = (...tests: string[]) => ['vars:', '  user: alice', 'tests:', '  - name: login', '    request: { url: /login }', '    capture: { token: $.token }', ...tests].join('\n');

  it('accepts spec vars, vars input names, env.NAME and captures of the chain of needs, two steps away too', async () => {
    const text = spec(
      '  - name: profile',
      '    needs: [login]',
      '    request: { url: /me, headers: { Authorization: "Bearer {{ token }}" } }',
      '    capture: { id: $.id }',
      '  - name: deep',
      '    needs: [profile]',
      '    request: { url: "/items/{{ id }}?u={{ user }}&t={{ token }}&k={{ env.KEY }}&x={{ extra }}" }',
      '    expect: { json: { $.id: { equals: "{{ id }}" } } }'
    );
    expect((await loadSpec(text, 'spec.yml', { vars: ['extra'] })).tests).toHaveLength(3);
  });

  it('names the test that captures an unknown placeholder, and the line of the string that uses it', async () => {
    const issue = await onlyIssue(spec('  - name: profile', '    request:', '      url: /me', '      headers: { Authorization: "Bearer {{ token }}" }'), 'spec.yml');
    expect(issue).toEqual({
      file: 'spec.yml',
      line: 10,
      problem: 'test "profile" uses {{ token }}, which has no value: it is not a var, an env.NAME, or a capture of a test it needs; "login" captures it: add it to `needs`'
    });
  });

  it('says a test cannot use its own capture', async () => {
    const text = ['tests:', '  - name: a', '    request: { url: "/a/{{ id }}" }', '    capture: { id: $.id }'].join('\n');
    expect((await onlyIssue(text, 'spec.yml')).problem).toBe("test \"a\" uses {{ id }}, which has no value: it is not a var, an env.NAME, or a capture of a test it needs; a test's own captures are for the tests that need it");
  });

  it('finds every placeholder of a value, in keys too, and a blank JSON would escape inside one', () => {
    const request = { url: '/items/{{ id }}', headers: { '{{ name }}': 'Bearer {{ env.TOKEN }}', Tab: '{{\tenv.TABBED }}', Line: '{{ env.BROKEN\n}}' }, json: ['{{{ env.BRACE }}', 'plain'] };
    expect(placeholdersIn(request)).toEqual(['id', 'name', 'env.TOKEN', 'env.TABBED', 'env.BROKEN', 'env.BRACE']);
    expect(placeholdersIn({ url: '/a', json: { n: 1 } })).toEqual([]);
    // The values these name are masked: one missed would show a secret.
    expect(envNames([request, { a: '{{ env.TOKEN }}' }])).toEqual(['TOKEN', 'TABBED', 'BROKEN', 'BRACE']);
  });

  it('refuses a placeholder with no value even when a blank JSON escapes is inside it', async () => {
    const text = ['tests:', '  - name: a', '    request:', '      url: /a', '      headers: { X-Id: "{{\\tid }}" }'].join('\n');
    expect(await onlyIssue(text, 'spec.yml')).toEqual({
      file: 'spec.yml',
      line: 5,
      problem: 'test "a" uses {{ id }}, which has no value: it is not a var, an env.NAME, or a capture of a test it needs'
    });
  });

  it('refuses a capture in defaults.headers: it would apply to the test that captures it', async () => {
    const text = ['defaults:', '  headers:', '    Authorization: "Bearer {{ token }}"', 'tests:', '  - name: login', '    request: { url: /login }', '    capture: { token: $.token }'].join('\n');
    expect(await onlyIssue(text, 'spec.yml')).toEqual({
      file: 'spec.yml',
      line: 3,
      problem: '`defaults.headers.Authorization` uses {{ token }}, which is not a var or env.NAME: a default applies to every test, a capture only to the tests that need its test'
    });
  });
});

describe('the headers inputs', () => {
  const spec = ['base-url: http://a.test', 'vars: { tenant: acme }', 'tests:', '  - name: login', '    request: { url: /login }', '    capture: { token: $.token }'].join('\n');
  const read = (inputs: Record<string, string>) => readInputs((name) => ({ spec, ...inputs } as Record<string, string>)[name] ?? '', { GITHUB_WORKSPACE: fixtures });

  it('take vars and env.NAME placeholders', async () => {
    expect((await read({ headers: 'X-Tenant: {{ tenant }}\nX-Key: {{ env.KEY }}', vars: 'region=eu', 'compare-base-url': 'http://b.test', 'compare-headers': 'X-Region: {{ region }}' })).headers).toEqual([
      ['X-Tenant', '{{ tenant }}'],
      ['X-Key', '{{ env.KEY }}']
    ]);
  });

  it('refuse a capture: a header input applies to every test, the capturing one too', async () => {
    await expect(read({ headers: 'Authorization: Bearer {{ token }}' })).rejects.toThrow(
      'input headers: the Authorization header uses {{ token }}, which is not a var; expected values with {{ env.NAME }} or {{ name }} of a var the spec files or the vars input give'
    );
    await expect(read({ 'compare-base-url': 'http://b.test', 'compare-headers': 'X: {{ nope }}' })).rejects.toThrow('input compare-headers: the X header uses {{ nope }}');
  });
});

describe('several spec files', () => {
  const a = { file: 'smoke/a.yml', dir: fixtures, text: ['base-url: http://a.test', 'vars: { who: alice }', 'tests:', '  - name: login', '    request: { url: /login }', '    capture: { token: $.token }'].join('\n') };
  const b = { file: 'smoke/b.yml', dir: fixtures, text: ['tests:', '  - name: profile', '    needs: [login]', '    request: { url: "/me?t={{ token }}" }'].join('\n') };

  it('loads them as one suite: a test may need a test of another file; each test keeps its file, line and settings', async () => {
    const [first, second] = await loadSpecs([a, b]);
    const login = first!.tests[0]!;
    const profile = second!.tests[0]!;
    expect([login.source.file, login.line, login.source['base-url'], login.source.vars]).toEqual(['smoke/a.yml', 4, 'http://a.test', { who: 'alice' }]);
    expect([profile.source.file, profile.line, profile.source['base-url']]).toEqual(['smoke/b.yml', 2, undefined]);
  });

  it('wants test names unique across the files, naming the file of the other', async () => {
    const c = { file: 'smoke/c.yml', text: ['tests:', '  - name: login', '    request: { url: /other-login }'].join('\n') };
    try {
      await loadSpecs([a, b, c]);
      throw new Error('loaded');
    } catch (error) {
      expect((error as SpecError).issues).toEqual([{ file: 'smoke/c.yml', line: 2, problem: 'two tests are named "login" (the other is at smoke/a.yml:4); names must be unique' }]);
    }
  });

  it('reports the errors of every file at once, each with its file, and leaves unknown needs unsaid while a file cannot be read', async () => {
    const broken = { file: 'smoke/broken.yml', text: ['tests:', '  - name: x', '    request: { url: /x }', '     method: GET'].join('\n') };
    const typo = { file: 'smoke/typo.yml', text: ['tests:', '  - name: y', '    retries: lots', '    request: { url: /y }'].join('\n') };
    try {
      await loadSpecs([broken, b, typo]);
      throw new Error('loaded');
    } catch (error) {
      expect((error as SpecError).issues).toEqual([
        { file: 'smoke/broken.yml', line: 4, problem: 'invalid YAML: All mapping items must start at the same column' },
        { file: 'smoke/typo.yml', line: 3, problem: '`retries` of test "y" must be a whole number, not "lots"' }
      ]);
    }
  });
});

describe('a subset by name or tag', () => {
  let tests: SpecTest[] = [];
  beforeAll(async () => {
    tests = (
      await loadSpec(
        [
          'tests:',
          '  - name: login',
          '    request: { url: /login }',
          '  - name: create',
          '    needs: [login]',
          '    tags: [write]',
          '    request: { url: /items, method: POST }',
          '  - name: read',
          '    needs: [create]',
          '    tags: [read, critical]',
          '    request: { url: /items/1 }',
          '  - name: health',
          '    tags: [critical]',
          '    request: { url: /health }',
          '  - name: other',
          '    request: { url: /other }'
        ].join('\n')
      )
    ).tests;
  });
  const names = (selection: ReturnType<typeof selectTests>) => ('tests' in selection ? [selection.tests.map((t) => t.name), selection.needed] : selection);

  it('runs everything when neither is given', () => expect(names(selectTests(tests, [], []))).toEqual([['login', 'create', 'read', 'health', 'other'], []]));
  it('runs the named tests and what they need, in spec order', () => expect(names(selectTests(tests, ['read'], []))).toEqual([['login', 'create', 'read'], ['login', 'create']]));
  it('runs the tests with any of the tags, and what they need', () => expect(names(selectTests(tests, [], ['critical']))).toEqual([['login', 'create', 'read', 'health'], ['login', 'create']]));
  it('runs the union of names and tags', () => expect(names(selectTests(tests, ['other'], ['write']))).toEqual([['login', 'create', 'other'], ['login']]));
  it('says which names and tags match nothing', () => expect(names(selectTests(tests, ['reed'], ['critcal']))).toEqual({ unknown: { names: ['reed'], tags: ['critcal'] } }));
});

describe('compare: false', () => {
  it('keeps a test, and every test that needs it directly or not, to the first target', async () => {
    const { tests } = await loadSpec(
      ['tests:', '  - name: seed', '    compare: false', '    request: { url: /seed, method: POST }', '  - name: read', '    needs: [seed]', '    request: { url: /r }', '  - name: deeper', '    needs: [read]', '    request: { url: /d }', '  - name: free', '    request: { url: /f }'].join('\n')
    );
    expect(Object.fromEntries(firstTargetOnly(tests))).toEqual({
      seed: 'compare: false (first target only)',
      read: 'needs seed, which has compare: false (first target only)',
      deeper: 'needs read, which needs a test with compare: false (first target only)'
    });
  });
});

describe('the cookie jar of a chain of needs', () => {
  const login = { url: 'https://api.example.test/login', setCookie: ['sid=0123456789abcdef; Path=/; Secure; HttpOnly', 'lang=en; Path=/', 'admin=1; Path=/admin', 'old=1; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'other=1; Domain=elsewhere.test'] };

  it('sends what the cookie rules allow: Secure ones only over https (but to loopback), by path, unexpired, own domain', async () => {
    const masker = new Masker();
    expect(await cookieHeader([login], 'https://api.example.test/me', masker)).toBe('sid=0123456789abcdef; lang=en');
    expect(await cookieHeader([login], 'http://api.example.test/me', masker)).toBe('lang=en');
    expect(await cookieHeader([login], 'https://api.example.test/admin/x', masker)).toBe('admin=1; sid=0123456789abcdef; lang=en');
    expect(await cookieHeader([login], 'https://www.example.test/', masker)).toBe('');
    expect(await cookieHeader([{ ...login, url: 'http://127.0.0.1:8787/login' }], 'http://127.0.0.1:8787/me', masker)).toBe('sid=0123456789abcdef; lang=en');
    // A session id is a credential; a two-letter setting is not.
    expect(masker.mask('sid 0123456789abcdef lang en')).toBe('sid *** lang en');
  });
});

describe('checks built at load time', () => {
  const load = (lines: string[]) => () => loadSpecs([{ text: lines.join('\n'), file: 'spec.yml', dir: fixtures }], { checkTest: assertionProblem });

  it.each([
    ['a bad regular expression', ['tests:', '  - name: a', '    request: { url: /a }', '  - name: b', '    request: { url: /b }', '    expect:', '      status: 200', '      body-regex: "/(/"'], 8, /is not a valid regular expression/],
    ['a bad regular expression in a JSON check', ['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      json:', '        $.id: { exists: true }', '        $.name: { matches: "([a-z" }'], 7, /is not a valid regular expression/],
    ['a reversed status range', ['tests:', '  - name: a', '    request: { url: /a }', '    expect: { status: "299-200" }'], 4, /"299-200" is not a status code, class or range/],
    ['a missing schema file', ['tests:', '  - name: a', '    request: { url: /a }', '    expect: { schema: ./schemas/nowhere.json }'], 2, /cannot read the JSON Schema .*nowhere\.json/]
  ])("%s fails at its line (or else the test's), before any request", async (_, lines, line, message) => {
    try {
      await load(lines)();
      throw new Error('loaded');
    } catch (error) {
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).issues).toEqual([{ file: 'spec.yml', line, problem: expect.stringMatching(message) }]);
    }
  });

  it('a capture may be marked not secret', async () => {
    const spec = await loadSpec(['tests:', '  - name: a', '    request: { url: /a }', '    capture:', '      id: { from: $.id, secret: false }', '      token: $.token'].join('\n'));
    expect(captureRules(spec.tests[0]!)).toEqual([
      { name: 'id', from: '$.id', secret: false },
      { name: 'token', from: '$.token', secret: true }
    ]);
  });
});

describe('the fast YAML reader', () => {
  const specs = [
    ...readdirSync(fixtures).filter((f) => f.endsWith('.yml')).map((f) => `${fixtures}${f}`),
    ...readdirSync(`${fixtures}invalid`).map((f) => `${fixtures}invalid/${f}`),
    fileURLToPath(new URL('../../examples/smoke/smoke.yml', import.meta.url))
  ];

  it.each(specs.map((path) => [path.slice(path.indexOf('/smoke/') + 1), path]))('reads %s as yaml does (or leaves it to yaml)', (_, path) => {
    const text = readFileSync(path, 'utf8');
    const fast = fastYaml(text);
    const doc = parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) expect(fast).toBeUndefined();
    else expect(fast?.value).toEqual(doc.toJS());
  });

  it('reads the specs we write without giving up', () => {
    for (const path of specs.filter((p) => !p.includes('yaml-syntax'))) expect({ path, read: fastYaml(readFileSync(path, 'utf8')) !== undefined }).toEqual({ path, read: true });
  });

  it('knows the line of each test, as yaml does', () => {
    const text = fixture('demo-api.yml');
    const fast = fastYaml(text)!;
    const tests = (fast.value as { tests: object[] }).tests;
    expect(tests.map((t) => fast.lines.get(t))).toEqual(tests.map((t) => lineWith(text, `- name: ${(t as { name: string }).name}`)));
    // Item forms other than `- key: value`: a mapping on the lines after the dash, a flow mapping.
    const other = ['tests:', '  -', '    # the first', '    name: a', '    request: { url: /a }', '  - { name: b, request: { url: /b } }'].join('\n');
    const doc = parseDocument(other, { keepSourceTokens: false });
    const yamlLines = [0, 1].map((i) => {
      const node = doc.getIn(['tests', i], true) as { range: [number] };
      return other.slice(0, node.range[0]).split('\n').length;
    });
    const read = fastYaml(other)!;
    expect((read.value as { tests: object[] }).tests.map((t) => read.lines.get(t))).toEqual(yamlLines);
    expect(yamlLines).toEqual([4, 6]);
  });

  it.each([
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line flow collection', 'a: [1,\n  2]\n'],
    ['a folded block scalar', 'a: >\n  x\n'],
    ['a keep-chomping block scalar', 'a: |+\n  x\n\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a tab', 'a:\t1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['an octal-looking number', 'a: 0o17\n'],
    ['a number with a leading zero', 'a: 007\n'],
    ['an exponent', 'a: 1e3\n'],
    ['infinity', 'a: .inf\n'],
    ['minus zero', 'a: -0\n'],
    ['a merge key', 'a: 1\n<<: { b: 2 }\n'],
    ['a key that is a number', '1: a\n'],
    ['a value that is a mapping on the same line', 'a: b: c\n'],
    // To yaml a blank other than the space is content: it stays in a value and is no indentation.
    ['a value that starts with a no-break space', 'a:\n  - \u00a0x\n'],
    ['a value that ends with an ideographic space', 'a: y\u3000\n'],
    ['a key after a no-break space', 'a:\n  b: 1\n  \u00a0c: 2\n']
  ])('leaves %s to yaml', (_, text) => expect(fastYaml(text)).toBeUndefined());

  it('keeps a no-break space that starts a value, as yaml does', async () => {
    const spec = await loadSpec(['tests:', '  - name: a', '    request: { url: /a }', '    expect:', '      body-contains: \u00a0ok'].join('\n'));
    expect(spec.tests[0]!.expect!['body-contains']).toBe('\u00a0ok');
  });

  it.each([
    ['quoted scalars with escapes', 'a: "x\\ty \\"q\\" \\u00e9 \\x41"\nb: \'it\'\'s\'\n'],
    ['core schema scalars', 'a: ~\nb: null\nc: True\nd: FALSE\ne: 12\nf: -3.25\ng: 2xx\nh: 200-299\ni: 1m30s\nj:\n'],
    ['comments everywhere', '# top\na: 1 # one\n# between\nb: "x" # two\nc: [1, 2] # three\n'],
    ['a literal block scalar, clipped and stripped', 'a: |\n  line 1\n\n  line 2\n\nb: |-\n  x\n  y\nc: 1\n'],
    ['a sequence at the indent of its key', 'a:\n- 1\n- x: 2\n  y: 3\nb: 4\n'],
    ['nested compact sequences', 'a:\n  - - 1\n    - - 2\n      - 3\n  - x\n'],
    ['flow collections', 'a: { b: [1, "two", { c: d }], e: http://x/y?z=1, f: "{{ v }}" }\n'],
    ['keys with dots, dollars, dashes and quotes', '$.a.b[0]: 1\nx-y: 2\n"quoted key": 3\n\'single\': 4\n'],
    ['CRLF line ends and a byte order mark', '\ufeffa: 1\r\nb:\r\n  - c\r\n']
  ])('reads %s as yaml does', (_, text) => {
    const fast = fastYaml(text);
    expect(fast).toBeDefined();
    expect(fast!.value).toEqual(parseYaml(text));
  });

  // Any JSON-like value, written by yaml in its block, flow, quoted and literal styles: what the fast
  // reader accepts it reads as yaml does.
  const key = fc.oneof(fc.constantFrom('a', 'b', 'name', '$.x', '$.items[0].id', 'x-y', 'url', 'true', 'null', '1', 'a b', 'a:b', 'a: b', 'k#', 'k #c', '-k', '? k', "it's", '"q"', '{k}', 'é'), fc.string({ maxLength: 6 }));
  const scalar = fc.oneof(
    fc.constantFrom('', ' ', 'true', 'False', 'null', '~', '1', '-0', '0.5', '007', '1e3', '.inf', '- x', 'a: b', 'a #b', '#', '{{ v }}', '[x]', '{x}', 'x,y', "'", '"', '|', '>', '\\', 'line\nline', 'tail\n', ' lead', 'é'),
    fc.string({ maxLength: 12 }),
    fc.integer({ min: -100_000, max: 100_000 }),
    fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 100),
    fc.boolean(),
    fc.constant(null)
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
    list: fc.array(tie('node'), { maxLength: 4 }),
    map: fc.dictionary(key, tie('node'), { maxKeys: 4 })
  })).node;
  const options = fc.record({
    collectionStyle: fc.constantFrom('any', 'block', 'flow'),
    defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL'),
    indent: fc.constantFrom(2, 4),
    indentSeq: fc.boolean(),
    lineWidth: fc.constantFrom(0, 20, 80)
  }) as fc.Arbitrary<Parameters<typeof stringify>[2] & object>;

  it('reads whatever it accepts exactly as yaml does', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), options, (data, style) => {
        const text = stringify(data, style);
        const fast = fastYaml(text);
        if (fast === undefined) return;
        read += 1;
        expect(fast.value).toEqual(parseYaml(text, { uniqueKeys: true }));
      }),
      { numRuns: 1500 }
    );
    // It must read a good share of them, or the property says little.
    expect(read).toBeGreaterThan(450);
  });

  it('never accepts what yaml refuses, nor reads a broken spec differently', () => {
    const bases = ['demo-api.yml', 'captures.yml', 'assertions.yml', 'junit.yml'].map((name) => fixture(name).split('\n'));
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.array(fc.record({ line: fc.nat(400), op: fc.constantFrom('indent', 'dedent', 'drop', 'cut', 'dup', 'colon', 'dash'), at: fc.nat(40) }), { minLength: 1, maxLength: 3 }), (base, edits) => {
        const lines = [...base];
        for (const edit of edits) {
          const { op, at } = edit;
          const line = edit.line % lines.length;
          const text = lines[line] ?? '';
          if (op === 'indent') lines[line] = ` ${text}`;
          else if (op === 'dedent') lines[line] = text.replace(/^ /, '');
          else if (op === 'drop') lines.splice(line, 1);
          else if (op === 'cut') lines[line] = text.slice(0, at);
          else if (op === 'dup') lines.splice(line, 0, text);
          else if (op === 'colon') lines[line] = `${text.slice(0, at)}: ${text.slice(at)}`;
          else lines[line] = `${text.slice(0, at)}- ${text.slice(at)}`;
        }
        const text = lines.join('\n');
        const fast = fastYaml(text);
        if (fast === undefined) return;
        const doc = parseDocument(text, { uniqueKeys: true });
        expect(doc.errors.map((e) => e.message)).toEqual([]);
        expect(fast.value).toEqual(doc.toJS());
      }),
      { numRuns: 1500 }
    );
  });
});
