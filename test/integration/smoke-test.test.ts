// smoke-test's bundle run the way the GitHub runner runs it, against the test bed's API on
// 127.0.0.1: what a user sees in the log, the annotations, the outputs, the job summary and the
// JUnit and JSON reports. Spec files live in test/fixtures/smoke/, copied into a fresh workspace.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runAction, type ActionRun, type Annotation } from '@deploy-actions/harness';
import { DEMO_PASSWORD, startService, type Service } from '../../testbed/service.js';

const actionDir = fileURLToPath(new URL('../../actions/smoke-test', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/smoke', import.meta.url));
/** The env var the fixtures read the password from (`{{ env.SMOKE_PASSWORD }}`). */
const PASSWORD = DEMO_PASSWORD;
/** What the test bed's /login hands out: `tok_` and random base-36 characters. */
const TOKEN = /tok_[0-9a-z]{6,}/;

let service: Service;
let workspace: string;
let reportCount = 0;

beforeAll(async () => {
  service = await startService({ version: 'v1' });
  workspace = mkdtempSync(join(tmpdir(), 'smoke-test-'));
  cpSync(fixtures, join(workspace, 'smoke'), { recursive: true });
});

afterAll(async () => {
  await service.close();
  rmSync(workspace, { recursive: true, force: true });
});

beforeEach(() => service.resetCounters());

interface SmokeRun extends ActionRun {
  reportDir: string;
  junit: () => string;
  json: () => ResultsJson;
  /** The `results` output, parsed. */
  results: ResultsOutput;
}

interface ResultsOutput {
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  total: number;
  tests: Array<{ name: string; outcome: string; status: number | null; 'latency-ms': number | null; attempts: number; reason: string | null }>;
}

interface ResultsJson {
  summary: Record<string, number>;
  targets: Array<{
    label: string;
    'base-url': string;
    'duration-ms': number;
    counts: Record<string, number>;
    'latency-ms': { min: number; p50: number; p95: number; max: number } | null;
    tests: Array<{
      name: string;
      line: number;
      outcome: string;
      skipped?: string;
      request: string;
      'duration-ms': number;
      captured: string[];
      attempts: Array<{
        attempt: number;
        passed: boolean;
        status: number | null;
        'timings-ms': { dns: number | null; connect: number | null; tls: number | null; 'first-byte': number | null; total: number } | null;
        failure?: { kind: string; reason: string };
      }>;
    }>;
  }>;
  comparison?: { 'p95-ms': { first: number; second: number }; change: number; limit: number | null; regressed: boolean; reason?: string };
}

/** Runs the action in the shared workspace, reports in a folder of their own. */
async function smoke(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<SmokeRun> {
  reportCount += 1;
  const reportDir = join(workspace, 'reports', String(reportCount));
  const run = await runAction({ actionDir, workspace, inputs: { 'report-dir': reportDir, ...inputs }, env: { SMOKE_PASSWORD: PASSWORD, ...env }, timeoutMs: 30_000 });
  return {
    ...run,
    reportDir,
    junit: () => readFileSync(join(reportDir, 'junit.xml'), 'utf8'),
    json: () => JSON.parse(readFileSync(join(reportDir, 'results.json'), 'utf8')) as ResultsJson,
    results: run.outputs.results ? (JSON.parse(run.outputs.results) as ResultsOutput) : ({ tests: [] } as unknown as ResultsOutput)
  };
}

/** A duration as formatDuration writes it (612ms, 3.4ms, 1.02s), and its milliseconds. */
const DURATION = String.raw`\d+(?:\.\d+)?m?s`;
const milliseconds = (text: string) => Number(/^[\d.]+/.exec(text)![0]) * (text.endsWith('ms') ? 1 : 1000);

const outcomes = (run: SmokeRun) => Object.fromEntries(run.results.tests.map((t) => [t.name, t.outcome]));
const reasons = (run: SmokeRun) => Object.fromEntries(run.results.tests.map((t) => [t.name, t.reason]));
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error');
const warnings = (run: ActionRun) => run.annotations.filter((a) => a.level === 'warning');
const counts = (run: ActionRun) => ({ passed: run.outputs.passed, failed: run.outputs.failed, flaky: run.outputs.flaky, skipped: run.outputs.skipped, total: run.outputs.total });

/** 1-based line of the `occurrence`th line of a fixture that contains `needle`. */
function lineIn(fixture: string, needle: string, occurrence = 1): number {
  let seen = 0;
  for (const [index, line] of readFileSync(join(fixtures, fixture), 'utf8').split('\n').entries()) {
    if (line.includes(needle) && ++seen === occurrence) return index + 1;
  }
  throw new Error(`${fixture}: no line with ${JSON.stringify(needle)}`);
}

/** The annotation of one test, as the runner shows it at the spec's line. */
function testAnnotation(run: ActionRun, title: string): Annotation | undefined {
  return run.annotations.find((a) => a.properties.title === `smoke-test: ${title}`);
}

describe('assertions', () => {
  let run: SmokeRun;
  beforeAll(async () => {
    run = await smoke({ spec: 'smoke/assertions.yml', 'base-url': service.url });
  });

  it('passes every assertion kind that holds', () => {
    const passing = run.results.tests.filter((t) => t.name.startsWith('pass-'));
    expect(passing).toHaveLength(18);
    for (const test of passing) expect({ name: test.name, outcome: test.outcome, reason: test.reason }).toEqual({ name: test.name, outcome: 'passed', reason: null });
  });

  it('fails every assertion kind that does not hold, saying what was expected and what came', () => {
    expect(run.exitCode).toBe(1);
    expect(counts(run)).toEqual({ passed: '18', failed: '22', flaky: '0', skipped: '0', total: '40' });
    const failing = Object.fromEntries(Object.entries(reasons(run)).filter(([name]) => name.startsWith('fail-')));
    expect(failing).toEqual({
      'fail-status-code': 'status: expected 404, got 200',
      'fail-status-set': 'status: expected 500-599,418, got 200',
      'fail-header-equals': 'header x-service-version: expected "v2", got "v1"',
      'fail-header-regex': 'header content-type: expected matching /xml/, got "application/json"',
      'fail-header-absent': 'header x-request-id: expected "abc", got header absent',
      'fail-body-contains': expect.stringMatching(/^body: expected to contain "degraded", got "\{\\"status\\":\\"ok\\",.*\}"$/),
      // Only the missing item of the list fails.
      'fail-body-contains-list': expect.stringMatching(/^body: expected to contain "\\"queue\\":\\"up\\"", got "[^;]*"$/),
      'fail-body-regex': expect.stringMatching(/^body: expected to match \/"status":\\s\*"down"\/, got "\{.*\}"$/),
      'fail-json-exists': '$.checks.queue: expected to exist, got no match',
      'fail-json-not-exists': '$.checks.db: expected no match, got "up"',
      'fail-json-equals': '$.status: expected "down", got "ok"',
      'fail-json-not-equals': '$.status: expected not "ok", got "ok"',
      'fail-json-matches': '$.version: expected matching /^v2/, got "v1"',
      'fail-json-lt': '$.waited: expected < 5, got 5',
      'fail-json-lte': '$.waited: expected <= 4, got 5',
      'fail-json-gt': '$.waited: expected > 5, got 5',
      'fail-json-gte': '$.waited: expected >= 6, got 5',
      'fail-json-length': '$.checks length: expected 3, got 2',
      'fail-json-not-json': expect.stringMatching(/^\$\.status: expected a JSON body, got invalid JSON \(.+\); body starts "\{\\"status\\": \\"ok\\", oops"$/),
      'fail-schema-file': 'body /version: expected must be equal to constant (#/properties/version/const), got "v1"',
      'fail-schema-inline': expect.stringMatching(/^body: expected must have required property 'build' \(#\/required\), got \{"status":"ok",/),
      'fail-max-latency': expect.stringMatching(/^latency: expected <= 100ms, got \d+ms$/)
    });
    const latency = Number(/got (\d+)ms$/.exec(failing['fail-max-latency'] as string)?.[1]);
    expect(latency).toBeGreaterThanOrEqual(300);
  });

  it('puts each failure at its test in the spec, and shows the expected and actual values in the summary', () => {
    for (const name of ['fail-json-equals', 'fail-header-absent', 'fail-max-latency']) {
      expect(testAnnotation(run, name)).toEqual(
        expect.objectContaining({ level: 'error', properties: expect.objectContaining({ file: 'smoke/assertions.yml', line: String(lineIn('assertions.yml', `- name: ${name}`)) }) })
      );
    }
    expect(errors(run).at(-1)?.message).toBe('22 of 40 tests failed');
    expect(run.summary).toContain('## ❌ Smoke test failed: 18 of 40 tests passed, 22 failed');
    expect(run.summary).toContain(`### ❌ fail-json-equals — \`smoke/assertions.yml:${lineIn('assertions.yml', '- name: fail-json-equals')}\``);
    expect(run.summary).toContain('| $.status == "down" | $.status | "down" | "ok" |');
    expect(run.summary).toContain('| header x-service-version == "v2" | header x-service-version | "v2" | "v1" |');
    expect(run.summary).toMatch(/\| pass-schema-file \| ✅ passed \| 200 \| \d+(\.\d+)?m?s \| 1 \|/);
  });
});

describe('JSON Schema', () => {
  // In the bundle, ajv's 2020-12 class is reached through the CommonJS default export only.
  it('checks a schema written for draft 2020-12 by its own rules', async () => {
    const spec = [
      'tests:',
      '  - name: version',
      '    request: { url: /version }',
      '    expect: { schema: ./smoke/schemas/version-2020.json }',
      '  - name: health',
      '    request: { url: /health }',
      '    expect: { schema: ./smoke/schemas/version-2020.json }'
    ].join('\n');
    const run = await smoke({ spec, 'base-url': service.url });
    expect(outcomes(run)).toEqual({ version: 'passed', health: 'failed' });
    // unevaluatedProperties exists in 2020-12 only: a draft-07 validator would ignore it and pass.
    expect(reasons(run).health).toMatch(/^body: expected must NOT have unevaluated properties \(#\/unevaluatedProperties\), got \{"status":"ok",/);
  });

  it('fails only its own test when the schema itself is not valid', async () => {
    const spec = ['tests:', '  - name: bad schema', '    request: { url: /health }', '    expect: { schema: { type: nonsense } }', '  - name: fine', '    request: { url: /health }'].join('\n');
    const run = await smoke({ spec, 'base-url': service.url });
    expect(run.exitCode).toBe(1);
    expect(outcomes(run)).toEqual({ 'bad schema': 'failed', fine: 'passed' });
    expect(reasons(run)['bad schema']).toMatch(/^the checks could not run: schema is invalid: data\/type must be equal to one of the allowed values/);
    expect(errors(run).map((a) => a.message)).toEqual([reasons(run)['bad schema'], '1 of 2 tests failed']);
    expect(existsSync(join(run.reportDir, 'junit.xml'))).toBe(true);
  });
});

/** A request a peer server saw. */
interface Hit {
  at: number;
  method: string;
  path: string;
  cookie: string | null;
  body: string;
}

/**
 * A small server of the test's own on 127.0.0.1 for what the test bed does not do: echo a JSON body,
 * answer 503 with Retry-After once per key, hand out cookies and show the Cookie header it got.
 */
async function startPeer(): Promise<{ url: string; hits: Hit[]; close: () => Promise<void> }> {
  const hits: Hit[] = [];
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://peer');
      hits.push({ at: performance.now(), method: req.method ?? '', path: `${url.pathname}${url.search}`, cookie: req.headers.cookie ?? null, body });
      const json = (status: number, value: unknown, headers: Record<string, string | string[]> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === '/thing') return json(200, { id: 3, ok: true, tags: ['a', 'b'], meta: { k: 1 }, none: null, name: 'widget' });
      if (url.pathname === '/echo') return json(200, { received: JSON.parse(body || 'null') });
      if (url.pathname === '/bom') {
        // JSON after a UTF-8 byte order mark, as some Windows-hosted services send it.
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        return res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ id: 7, status: 'ok' }))]));
      }
      if (url.pathname === '/maintenance') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html><body>down for maintenance</body></html>');
      }
      if (url.pathname === '/busy') {
        const key = url.searchParams.get('key') ?? '';
        seen.set(key, (seen.get(key) ?? 0) + 1);
        return seen.get(key) === 1 ? json(503, { error: 'busy' }, { 'retry-after': url.searchParams.get('after') ?? '1' }) : json(200, { ok: true });
      }
      if (url.pathname === '/login') {
        return json(200, { ok: true }, {
          'set-cookie': [
            'sid=s3cr3t-session-value; Path=/; HttpOnly',
            'scoped=yes; Path=/private',
            'gone=expired; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
            'tls-only=1; Secure',
            'foreign=1; Domain=example.com'
          ]
        });
      }
      if (url.pathname === '/me' || url.pathname === '/private/me') return json(200, { cookie: req.headers.cookie ?? null });
      json(404, { error: 'no route' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

/** A peer server started for the tests of one describe block and stopped after them. */
function peerForBlock(): () => Awaited<ReturnType<typeof startPeer>> {
  let peer: Awaited<ReturnType<typeof startPeer>> | undefined;
  beforeAll(async () => {
    peer = await startPeer();
  });
  afterAll(() => peer?.close());
  return () => peer!;
}

describe('captures', () => {
  it('hands JSONPath, header: and regex: captures down the chain of needs', async () => {
    const run = await smoke({ spec: 'smoke/captures.yml', 'base-url': service.url });
    expect(outcomes(run)).toEqual({
      login: 'passed',
      'create item': 'passed',
      'read by location': 'passed',
      'use the regex capture': 'passed',
      'delete two steps away': 'passed',
      gone: 'passed'
    });
    expect(run.exitCode).toBe(0);
    expect(errors(run)).toEqual([]);
    const tests = run.json().targets[0]!.tests;
    expect(tests.find((t) => t.name === 'create item')?.captured).toEqual(['item', 'location', 'size']);
    expect(tests.find((t) => t.name === 'login')?.captured).toEqual(['token']);
    expect(service.requests()).toBe(6);
    // `secret: false` keeps a capture readable: the Location path shows; the token never does.
    expect(tests.find((t) => t.name === 'read by location')?.request).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/items\/\d+$/);
    expect(run.masks.some((mask) => /^\/items\/\d+$/.test(mask))).toBe(false);
  });

  it('fails a placeholder no test of the chain captures at load time, at its line, before any request', async () => {
    const spec = ['tests:', '  - name: create', '    request: { url: /items, method: POST }', '    capture: { item: $.id }', '  - name: without needs', '    request: { url: "/items/{{ item }}" }'].join('\n');
    const run = await smoke({ spec, 'base-url': service.url });
    expect(run.exitCode).toBe(1);
    expect(errors(run).map((a) => a.message)).toEqual([
      'inline spec:6: test "without needs" uses {{ item }}, which has no value: it is not a var, an env.NAME, or a capture of a test it needs; "create" captures it: add it to `needs`',
      'invalid spec: 1 error in inline spec; no request was sent'
    ]);
    expect(service.requests()).toBe(0);
  });

  describe('from a JSON body that starts with a byte order mark', () => {
    const peer = peerForBlock();

    it('captures with JSONPath and checks expect.json as without the mark', async () => {
      const spec = [
        'tests:',
        '  - name: read',
        '    request: { url: /bom }',
        '    expect:',
        '      json:',
        '        $.status: { equals: ok }',
        '    capture:',
        '      id: { from: $.id, secret: false }',
        '  - name: send',
        '    needs: [read]',
        '    request: { method: POST, url: /echo, json: { id: "{{ id }}" } }',
        '    expect:',
        '      json:',
        '        $.received.id: { equals: 7 }'
      ].join('\n');
      const run = await smoke({ spec, 'base-url': peer().url });
      expect(reasons(run)).toEqual({ read: null, send: null });
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(peer().hits.find((h) => h.path === '/echo')!.body)).toEqual({ id: 7 });
    });
  });

  describe('keep their JSON type when a JSON value is only the placeholder', () => {
    const peer = peerForBlock();

    it('sends a captured number, boolean, list, object and null as such, and as text inside a longer string', async () => {
      const spec = [
        'tests:',
        '  - name: thing',
        '    request: { url: /thing }',
        '    capture:',
        '      id: { from: $.id, secret: false }',
        '      ok: $.ok',
        '      tags: { from: $.tags, secret: false }',
        '      meta: { from: $.meta, secret: false }',
        '      none: $.none',
        '      name: { from: $.name, secret: false }',
        '  - name: send',
        '    needs: [thing]',
        '    request:',
        '      method: POST',
        '      url: /echo',
        '      query: { id: "{{ id }}", meta: "{{ meta }}" }',
        '      json: { id: "{{ id }}", ok: "{{ ok }}", tags: "{{ tags }}", meta: "{{ meta }}", none: "{{ none }}", text: "item {{ id }} is {{ name }} {{ meta }}", list: ["{{ id }}", "{{ name }}"] }',
        '    expect:',
        '      json:',
        '        $.received.id: { equals: "{{ id }}" }',
        '        $.received.meta: { equals: "{{ meta }}" }',
        `        $.received.text: { equals: 'item {{ id }} is {{ name }} {"k":1}' }`
      ].join('\n');
      const run = await smoke({ spec, 'base-url': peer().url });
      expect(outcomes(run)).toEqual({ thing: 'passed', send: 'passed' });
      const sent = peer().hits.find((h) => h.path.startsWith('/echo'))!;
      expect(JSON.parse(sent.body)).toEqual({ id: 3, ok: true, tags: ['a', 'b'], meta: { k: 1 }, none: null, text: 'item 3 is widget {"k":1}', list: [3, 'widget'] });
      // A URL takes text.
      expect(run.json().targets[0]!.tests[1]!.request).toBe(`POST ${peer().url}/echo?id=3&meta=${encodeURIComponent('{"k":1}')}`);
      // true and null are no secrets to mask.
      expect(run.masks).not.toContain('true');
      expect(run.masks).not.toContain('null');
    });
  });
});

describe('Retry-After', () => {
  const peer = peerForBlock();

  it('waits as long as the server asks before a retry, longer than the backoff', async () => {
    const spec = ['defaults: { retry-interval: 50ms }', 'tests:', '  - name: busy', '    retries: 2', '    request: { url: /busy, query: { key: wait, after: 2 } }'].join('\n');
    const run = await smoke({ spec, 'base-url': peer().url });
    expect(outcomes(run)).toEqual({ busy: 'flaky' });
    const [first, second] = peer().hits.filter((h) => h.path === '/busy?key=wait&after=2');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_950);
    expect(run.stdout).toContain('busy: attempt 1: status: expected 2xx, got 503');
    expect(run.stdout).toContain('busy: the server asked for 2s before the next attempt (Retry-After)');
  });

  it('does not wait past the suite deadline: it stops, and says why', async () => {
    const spec = ['tests:', '  - name: busy', '    retries: 2', '    request: { url: /busy, query: { key: deadline, after: 120 } }'].join('\n');
    const run = await smoke({ spec, 'base-url': peer().url, timeout: '5s' });
    expect(run.exitCode).toBe(1);
    expect(reasons(run).busy).toBe('status: expected 2xx, got 503; no retry: Retry-After 2m ends past the suite deadline');
    expect(peer().hits.filter((h) => h.path === '/busy?key=deadline&after=120')).toHaveLength(1);
    // It stopped at once instead of sleeping two minutes (or until the deadline).
    expect(run.json().targets[0]!['duration-ms']).toBeLessThan(60_000);
  });
});

describe('cookies along the chain of needs', () => {
  const peer = peerForBlock();

  it("sends a test's Set-Cookie to the tests that need it, directly or not, by the cookie rules, and to no other", async () => {
    const spec = [
      'tests:',
      '  - name: login',
      '    request: { url: /login }',
      '  - name: profile',
      '    needs: [login]',
      '    request: { url: /me }',
      '  - name: private',
      '    needs: [login]',
      '    request: { url: /private/me }',
      '  - name: two steps away',
      '    needs: [profile]',
      '    request: { url: /me }',
      '  - name: stranger',
      '    request: { url: /me }'
    ].join('\n');
    const run = await smoke({ spec, 'base-url': peer().url });
    expect(run.exitCode).toBe(0);
    const sentBy = (path: string) => peer().hits.filter((h) => h.path === path).map((h) => h.cookie);
    // Path=/ for all of /me; Path=/private only there (longest path first); no expired or foreign-domain
    // cookie. The Secure one goes to this loopback server over http, as browsers send it to localhost
    // (the unit tests hold it back from other hosts over http).
    expect(sentBy('/login')).toEqual([null]);
    expect(sentBy('/private/me')).toEqual(['scoped=yes; sid=s3cr3t-session-value; tls-only=1']);
    expect(sentBy('/me').sort()).toEqual([null, 'sid=s3cr3t-session-value; tls-only=1', 'sid=s3cr3t-session-value; tls-only=1'].sort());
    expect(peer().hits).toHaveLength(5);
    // A session cookie is a credential: masked like a captured token.
    expect(run.masks).toContain('s3cr3t-session-value');
    expect(run.masks).not.toContain('yes');
  });
});

describe('one kept-alive connection', () => {
  it('carries a whole suite without a listener-leak warning, and only its first test times a connect', async () => {
    const tests = Array.from({ length: 25 }, (_, i) => `  - name: health ${i + 1}\n    request: { url: /health }\n`).join('');
    const run = await smoke({ spec: `tests:\n${tests}`, 'base-url': service.url, concurrency: '1' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.passed).toBe('25');
    expect(run.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak/);
    // One at a time over one kept-alive connection: it is opened once, by the first test.
    const connects = run.json().targets[0]!.tests.map((t) => t.attempts[0]!['timings-ms']!.connect);
    expect(connects[0]).not.toBeNull();
    expect(connects.slice(1)).toEqual(Array(24).fill(null));
  });
});

describe('parallelism', () => {
  const serialMs = 4 * 400;

  it('never runs more tests at once than the concurrency input', async () => {
    const run = await smoke({ spec: 'smoke/parallel.yml', 'base-url': service.url, concurrency: '2' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.passed).toBe('4');
    expect(service.maxInFlight()).toBe(2);
    // Two at a time: two rounds of 400 ms.
    expect(run.json().targets[0]!['duration-ms']).toBeGreaterThanOrEqual(2 * 400 - 20);
  });

  it('runs independent tests in parallel by default', async () => {
    const run = await smoke({ spec: 'smoke/parallel.yml', 'base-url': service.url });
    expect(run.exitCode).toBe(0);
    // All four in flight at once is the proof; one by one would take at least serialMs.
    expect(service.maxInFlight()).toBe(4);
    expect(run.json().targets[0]!['duration-ms']).toBeLessThan(serialMs);
  });
});

describe('retries and flaky tests', () => {
  it('reports a test that passed on a retry as flaky, with a warning at its line, and fails the ones out of retries', async () => {
    const run = await smoke({ spec: 'smoke/retries.yml', 'base-url': service.url });
    expect(run.exitCode).toBe(1);
    expect(counts(run)).toEqual({ passed: '1', failed: '2', flaky: '1', skipped: '0', total: '4' });
    expect(run.results.tests.map(({ name, outcome, attempts, reason }) => ({ name, outcome, attempts, reason }))).toEqual([
      { name: 'steady', outcome: 'passed', attempts: 1, reason: null },
      { name: 'flaky once', outcome: 'flaky', attempts: 2, reason: 'flaky: passed on attempt 2 after 1 failed; last failure: status: expected 200, got 503' },
      { name: 'no retries left', outcome: 'failed', attempts: 1, reason: 'status: expected 200, got 503' },
      { name: 'out of retries', outcome: 'failed', attempts: 2, reason: 'status: expected 200, got 503 (after 2 attempts)' }
    ]);
    expect(warnings(run)).toEqual([
      {
        level: 'warning',
        message: 'flaky: passed on attempt 2 after 1 failed; last failure: status: expected 200, got 503',
        properties: { title: 'smoke-test: flaky once', file: 'smoke/retries.yml', line: String(lineIn('retries.yml', '- name: flaky once')) }
      }
    ]);
    expect(testAnnotation(run, 'out of retries')?.properties).toEqual({ title: 'smoke-test: out of retries', file: 'smoke/retries.yml', line: String(lineIn('retries.yml', '- name: out of retries')) });
    expect(run.stdout).toContain('\nflaky once: attempt 1: status: expected 200, got 503');
    expect(run.stdout).toContain('\nflaky once: passed on attempt 2 after 1 failed: flaky');
    // One target: no [label] before the lines.
    expect(run.stdout).not.toContain('[target]');
    expect(run.summary).toContain('**Flaky:** passed on attempt 2; attempt 1 failed: status: expected 200, got 503');
    // steady 1 + flaky once 2 + no retries left 1 + out of retries 2.
    expect(service.requests()).toBe(6);
  });

  it('does not fail the step for a flaky test, but counts it', async () => {
    const spec = ['defaults: { retry-interval: 20ms }', 'tests:', '  - name: warm-up', '    retries: 3', '    request: { url: /flaky, query: { key: alone, fail: 2 } }'].join('\n');
    const run = await smoke({ spec, 'base-url': service.url });
    expect(run.exitCode).toBe(0);
    expect(counts(run)).toEqual({ passed: '0', failed: '0', flaky: '1', skipped: '0', total: '1' });
    expect(run.summary).toContain('## ✅ Smoke test passed: 1 of 1 test passed, 1 flaky');
    expect(run.summary).toMatch(/\| warm-up \| ⚠️ flaky \| 200 \| \d+(\.\d+)?m?s \| 3 \|/);
    // An inline spec has no file to point at: the warning carries no file or line.
    expect(warnings(run)).toEqual([expect.objectContaining({ message: expect.stringContaining('flaky: passed on attempt 3 after 2 failed'), properties: { title: 'smoke-test: warm-up' } })]);
  });
});

describe('a failing test', () => {
  it('skips the tests that need it, directly or not, and sends them no request', async () => {
    const run = await smoke({ spec: 'smoke/dependants.yml', 'base-url': service.url });
    expect(run.exitCode).toBe(1);
    expect(counts(run)).toEqual({ passed: '1', failed: '1', flaky: '0', skipped: '2', total: '4' });
    expect(reasons(run)).toEqual({
      broken: 'status: expected 200, got 404',
      child: 'skipped: needs broken, which failed',
      grandchild: 'skipped: needs child, which was skipped',
      independent: null
    });
    expect(service.requests()).toBe(2);
    expect(run.summary).toContain('Skipped: child (needs broken, which failed); grandchild (needs child, which was skipped)');
    expect(run.stdout).toContain('\nchild: skipped, it needs broken, which failed');
    // Skipped tests are not errors: one annotation for broken, one for the step.
    expect(errors(run).map((a) => a.message)).toEqual(['status: expected 200, got 404', '1 of 4 tests failed']);
  });

  it('with fail-fast, skips the tests not yet started too', async () => {
    const run = await smoke({ spec: 'smoke/dependants.yml', 'base-url': service.url, 'fail-fast': 'true', concurrency: '1' });
    expect(run.exitCode).toBe(1);
    expect(outcomes(run)).toEqual({ broken: 'failed', child: 'skipped', grandchild: 'skipped', independent: 'skipped' });
    expect(reasons(run).independent).toBe('skipped: fail-fast: broken failed');
    expect(service.requests()).toBe(1);
  });
});

describe('compare mode', () => {
  let slow: Service;
  let lagging: Service;
  beforeAll(async () => {
    // Latencies far apart, so a busy machine's own delays cannot change which target is slower.
    slow = await startService({ latencyMs: 1000 });
    lagging = await startService({ latencyMs: 600 });
  });
  afterAll(async () => {
    await slow.close();
    await lagging.close();
  });

  it('shows both targets side by side and fails on a p95 regression over the limit', async () => {
    const run = await smoke({ spec: 'smoke/compare.yml', 'base-url': slow.url, 'compare-base-url': service.url, 'max-latency-regression': '20%' });
    expect(run.exitCode).toBe(1);
    // Every test passed on both: the latency alone fails the step.
    expect(counts(run)).toEqual({ passed: '4', failed: '0', flaky: '0', skipped: '0', total: '4' });
    // Durations read as everywhere else in the log: 1.02s, 612ms.
    const reason = /^p95 latency (\d+(?:\.\d+)?m?s) is (\d+)% above the second target's (\d+(?:\.\d+)?m?s) \(limit 20%\)$/;
    expect(errors(run).map((a) => a.message)).toEqual([expect.stringMatching(reason)]);
    const [, first, , second] = reason.exec(errors(run)[0]!.message)!;
    expect(milliseconds(first!)).toBeGreaterThanOrEqual(1000);
    expect(milliseconds(second!)).toBeLessThan(1000);
    expect(run.summary).toContain('## ❌ Smoke test failed: p95 latency regressed against compare (4 of 4 tests passed)');
    expect(run.summary).toContain('### target vs compare');
    expect(run.summary).toContain('| Test | target | Latency | compare | Latency | Δ |');
    for (const name of ['health', 'version', 'items', 'profile without token']) {
      expect(run.summary).toMatch(new RegExp(`^\\| ${name} \\| ✅ passed \\| ${DURATION} \\| ✅ passed \\| ${DURATION} \\| \\+\\d+% \\|$`, 'm'));
    }
    expect(run.summary).toMatch(/^p95 latency: \d+(\.\d+)?m?s vs \d+(\.\d+)?m?s \(\+\d+%, limit \+20%\) — ❌ p95 latency/m);
    const json = run.json();
    expect(json.targets.map((t) => [t.label, t['base-url']])).toEqual([
      ['target', slow.url],
      ['compare', service.url]
    ]);
    expect(json.comparison).toEqual(expect.objectContaining({ regressed: true, limit: 0.2, reason: errors(run)[0]!.message }));
    expect(slow.requests()).toBe(4);
    expect(service.requests()).toBe(4);
    // Two targets at once: each line says which.
    expect(run.stdout).toMatch(new RegExp(`^\\[target\\] health: attempt 1: 200 in ${DURATION}, passed$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^\\[compare\\] health: attempt 1: 200 in ${DURATION}, passed$`, 'm'));
    // Read-only tests: nothing to say about writes.
    expect(run.stdout).not.toContain('writes');
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(run.junit());
    expect(parsed.testsuites.testsuite.map((s: { name: string; tests: string }) => [s.name, s.tests])).toEqual([
      ['smoke-test target', '4'],
      ['smoke-test compare', '4']
    ]);
  });

  it('lets latency-regression-floor keep a small absolute difference from failing', async () => {
    const run = await smoke({
      spec: 'smoke/compare.yml',
      'base-url': lagging.url,
      'compare-base-url': service.url,
      'max-latency-regression': '20%',
      'latency-regression-floor': '2s'
    });
    expect(run.exitCode).toBe(0);
    const comparison = run.json().comparison!;
    // Well over 20% slower, but by less than the floor.
    expect(comparison.change).toBeGreaterThan(0.2);
    expect(comparison['p95-ms'].first - comparison['p95-ms'].second).toBeLessThan(2000);
    expect(comparison.regressed).toBe(false);
    expect(errors(run)).toEqual([]);
    expect(run.summary).toMatch(/^p95 latency: \d+(\.\d+)?m?s vs \d+(\.\d+)?m?s \(\+\d+%, limit \+20%\)$/m);
  });

  it('says which writes reach both targets, and keeps a test with compare: false (and what needs it) to the first', async () => {
    const spec = [
      'tests:',
      '  - name: login',
      '    request: { method: POST, url: /login, json: { user: frank, password: "{{ env.SMOKE_PASSWORD }}" } }',
      '    capture: { token: $.token }',
      '  - name: create item',
      '    needs: [login]',
      '    compare: false',
      '    request: { method: POST, url: /items, headers: { Authorization: "Bearer {{ token }}" }, json: { name: canary-only } }',
      '    expect: { status: 201 }',
      '    capture: { id: { from: $.id, secret: false } }',
      '  - name: read item',
      '    needs: [create item]',
      '    request: { url: "/items/{{ id }}" }',
      '  - name: version',
      '    request: { url: /version }'
    ].join('\n');
    lagging.resetCounters();
    const run = await smoke({ spec, 'base-url': lagging.url, 'compare-base-url': service.url });
    expect(run.exitCode).toBe(0);
    const writes = 'Compare mode sends the writes of 1 test to both targets: login (POST). compare: false on a test runs it against the first target only.';
    const firstOnly = 'Against the first target only (compare: false, or needs a test that has it): create item, read item.';
    expect(run.stdout).toContain(`⚠️ ${writes}`);
    expect(run.stdout).toContain(firstOnly);
    expect(run.summary).toContain('⚠️ Compare mode sends the writes of 1 test to both targets: login (POST). `compare: false` on a test runs it against the first target only.');
    expect(run.summary).toContain(firstOnly);
    expect(run.summary).toMatch(/^\| create item \| ✅ passed \| \d+(\.\d+)?m?s \| ⏭️ skipped \| – \| – \|$/m);
    const second = run.json().targets[1]!.tests;
    expect(Object.fromEntries(second.map((t) => [t.name, t.skipped ?? t.outcome]))).toEqual({
      login: 'passed',
      'create item': 'compare: false (first target only)',
      'read item': 'needs create item, which has compare: false (first target only)',
      version: 'passed'
    });
    // The second target got the login and the version read, never the item write.
    expect(service.requests()).toBe(2);
    expect(lagging.requests()).toBe(4);
  });
});

describe('an invalid spec', () => {
  const specs: Array<[file: string, lineText: string, problem: string, occurrence?: number]> = [
    ['unknown-key.yml', 'expects:', 'unknown key "expects" in test "health"'],
    ['wrong-type.yml', 'retries: three', '`retries` of test "version" must be a whole number, not "three"'],
    ['duplicate-name.yml', '- name: health', 'two tests are named "health"; names must be unique', 2],
    ['unknown-need.yml', '- signup', 'test "profile" needs "signup", which is not a test in this spec'],
    ['cycle.yml', '- name: first', 'tests need each other in a cycle: first -> second -> first'],
    ['yaml-syntax.yml', 'method: GET', 'invalid YAML: All mapping items must start at the same column']
  ];
  it.each(specs)('%s: the error at its line, exit 1, no request sent', async (name, lineText, problem, occurrence = 1) => {
    const run = await smoke({ spec: `smoke/invalid/${name}`, 'base-url': service.url });
    const file = `smoke/invalid/${name}`;
    const line = lineIn(`invalid/${name}`, lineText, occurrence);
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toEqual([
      { level: 'error', message: `${file}:${line}: ${problem}`, properties: { title: 'smoke-test: invalid spec', file, line: String(line) } },
      { level: 'error', message: `invalid spec: 1 error in ${file}; no request was sent`, properties: {} }
    ]);
    expect(service.requests()).toBe(0);
    expect(run.outputs).toEqual({});
    expect(run.stdout).not.toContain('Running');
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(run.reportDir)).toBe(false);
  });

  it('in an inline spec: the error names the line, with no file to annotate', async () => {
    const run = await smoke({ spec: 'tests:\n  - name: a\n    request: { url: /health }\n    retries: many\n', 'base-url': service.url });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual(['inline spec:4: `retries` of test "a" must be a whole number, not "many"', 'invalid spec: 1 error in inline spec; no request was sent']);
    expect(run.annotations[0]!.properties).toEqual({ title: 'smoke-test: invalid spec' });
    expect(service.requests()).toBe(0);
  });

  it('reports every error of every spec file at once: one annotation each at its file and line, then their count', async () => {
    writeFileSync(join(workspace, 'smoke/broken-a.yml'), ['tests:', '  - name: a', '    retries: many', '    request: { url: /a }', '    expects: {}', '  - name: b', '    request: { url: /b }'].join('\n'));
    writeFileSync(join(workspace, 'smoke/broken-b.yml'), ['tests:', '  - name: c', '    request: { url: "/c/{{ nope }}" }'].join('\n'));
    writeFileSync(join(workspace, 'smoke/broken-c.yml'), ['tests:', '  - name: d', '    request: { url: /d }', '  - name: c', '    request: { url: /c }'].join('\n'));
    const run = await smoke({ spec: 'smoke/broken-a.yml\nsmoke/broken-b.yml\nsmoke/broken-c.yml', 'base-url': service.url });
    expect(run.exitCode).toBe(1);
    const at = (file: string, line: number) => ({ title: 'smoke-test: invalid spec', file: `smoke/${file}`, line: String(line) });
    expect(run.annotations).toEqual([
      { level: 'error', message: 'smoke/broken-a.yml:3: `retries` of test "a" must be a whole number, not "many"', properties: at('broken-a.yml', 3) },
      { level: 'error', message: 'smoke/broken-a.yml:5: unknown key "expects" in test "a"', properties: at('broken-a.yml', 5) },
      {
        level: 'error',
        message: 'smoke/broken-b.yml:3: test "c" uses {{ nope }}, which has no value: it is not a var, an env.NAME, or a capture of a test it needs',
        properties: at('broken-b.yml', 3)
      },
      { level: 'error', message: 'smoke/broken-c.yml:4: two tests are named "c" (the other is at smoke/broken-b.yml:2); names must be unique', properties: at('broken-c.yml', 4) },
      { level: 'error', message: 'invalid spec: 4 errors in smoke/broken-a.yml, smoke/broken-b.yml, smoke/broken-c.yml; no request was sent', properties: {} }
    ]);
    // No doubled prefix anywhere: the title says "invalid spec", the message does not repeat it.
    expect(run.stdout).not.toContain('invalid spec: invalid spec');
    expect(service.requests()).toBe(0);
  });
});

describe('HEAD with body checks', () => {
  it('is a spec error at the method of each such test, with the other errors, before any request', async () => {
    const lines = [
      'tests:',
      '  - name: head with checks',
      '    request:',
      '      url: /health',
      '      method: head',
      '    expect:',
      '      body-contains: ok',
      '      json:',
      '        $.status: { equals: ok }',
      '      schema: { type: object }',
      '    capture:',
      '      status: $.status',
      '      version: "header: x-service-version"',
      '  - name: head with a regex capture',
      '    request: { url: /health, method: HEAD }',
      '    capture: { word: "regex:(ok)" }',
      '  - name: plain head',
      '    request: { url: /health, method: HEAD }',
      '    expect: { status: 200, headers: { content-type: /json/ } }',
      '    capture: { type: "header: content-type" }',
      '  - name: broken',
      '    request: { url: /health }',
      '    retries: many'
    ];
    writeFileSync(join(workspace, 'smoke/head.yml'), lines.join('\n'));
    const run = await smoke({ spec: 'smoke/head.yml', 'base-url': service.url });
    expect(run.exitCode).toBe(1);
    const at = (line: number) => ({ title: 'smoke-test: invalid spec', file: 'smoke/head.yml', line: String(line) });
    expect(run.annotations).toEqual([
      {
        level: 'error',
        message:
          'smoke/head.yml:5: test "head with checks" request.method: HEAD gets a response without a body, so expect.body-contains, expect.json, expect.schema and capture status could never pass; expected GET (or another method whose response has a body) with body checks, or HEAD without them',
        properties: at(5)
      },
      {
        level: 'error',
        message:
          'smoke/head.yml:15: test "head with a regex capture" request.method: HEAD gets a response without a body, so capture word could never pass; expected GET (or another method whose response has a body) with body checks, or HEAD without them',
        properties: at(15)
      },
      { level: 'error', message: 'smoke/head.yml:23: `retries` of test "broken" must be a whole number, not "many"', properties: at(23) },
      { level: 'error', message: 'invalid spec: 3 errors in smoke/head.yml; no request was sent', properties: {} }
    ]);
    expect(service.requests()).toBe(0);
  });
});

describe('a failure on several checks of one body', () => {
  const peer = peerForBlock();

  it('quotes the body once in the reason and the annotation, and names every failed check', async () => {
    const spec = [
      'tests:',
      '  - name: page',
      '    request: { url: /maintenance }',
      '    expect:',
      '      body-contains: ready',
      '      body-regex: /^\\{/',
      '      json:',
      '        $.status: { equals: ok }',
      '      schema: { type: object }'
    ].join('\n');
    const run = await smoke({ spec, 'base-url': peer().url });
    expect(run.exitCode).toBe(1);
    const reason = reasons(run).page!;
    const annotation = testAnnotation(run, 'page')!.message;
    const logLine = run.stdout.split('\n').find((l) => l.startsWith('page: attempt 1: '))!;
    for (const line of [reason, annotation, logLine]) {
      expect(line.split('down for maintenance')).toHaveLength(2);
      for (const check of ['body: expected to contain "ready" and to match /^\\{/', '$.status, body: expected a JSON body']) expect(line).toContain(check);
    }
    expect(reason).toMatch(/^body: expected to contain "ready" and to match \/\^\\\{\/, got "<html><body>down for maintenance<\/body><\/html>"; \$\.status, body: expected a JSON body, got invalid JSON \(Unexpected token '<'\)$/);
  });
});

describe('several spec files and a subset', () => {
  it('runs every file a glob matches as one suite: captures cross files, each test annotated at its own file', async () => {
    const run = await smoke({ spec: 'smoke/multi/*.yml', 'base-url': service.url });
    expect(run.exitCode).toBe(0);
    expect(outcomes(run)).toEqual({ 'create item': 'passed', 'read item': 'passed', health: 'passed', login: 'passed' });
    expect(run.stdout).toContain('Running 4 tests from smoke/multi/items.yml, smoke/multi/login.yml against');
    const tests = run.json().targets[0]!.tests;
    expect(tests.map((t) => [t.name, t.line])).toEqual([
      ['create item', lineIn('multi/items.yml', '- name: create item')],
      ['read item', lineIn('multi/items.yml', '- name: read item')],
      ['health', lineIn('multi/items.yml', '- name: health')],
      ['login', lineIn('multi/login.yml', '- name: login')]
    ]);
    const files = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(run.junit()).testsuites.testsuite.testcase.map((c: { name: string; file: string }) => [c.name, c.file]);
    expect(files).toContainEqual(['login', 'smoke/multi/login.yml']);
    expect(files).toContainEqual(['health', 'smoke/multi/items.yml']);
  });

  it('takes several paths, one per line, and fails a path or glob that finds nothing in one line', async () => {
    const run = await smoke({ spec: 'smoke/multi/login.yml\nsmoke/multi/items.yml', 'base-url': service.url });
    expect(run.exitCode).toBe(0);
    const missing = await smoke({ spec: 'smoke/multi/login.yml\nsmoke/nothing/*.yml', 'base-url': service.url });
    expect(missing.exitCode).toBe(1);
    expect(errors(missing).map((a) => a.message)).toEqual([
      `input spec: no file matches "smoke/nothing/*.yml" (looked in ${workspace}); expected paths or globs of YAML spec files relative to the workspace, one per line (smoke/*.yml), or the YAML itself`
    ]);
  });

  it('runs only the named tests, and the tests they need, saying so', async () => {
    const run = await smoke({ spec: 'smoke/multi/*.yml', 'base-url': service.url, only: 'read item' });
    expect(run.exitCode).toBe(0);
    expect(outcomes(run)).toEqual({ 'create item': 'passed', 'read item': 'passed', login: 'passed' });
    expect(run.stdout).toContain('Running 3 of 4 tests from smoke/multi/items.yml, smoke/multi/login.yml (only: read item; with the tests they need: create item, login) against');
    expect(service.requests()).toBe(3);
  });

  it('runs only the tests with a tag', async () => {
    const run = await smoke({ spec: 'smoke/multi/*.yml', 'base-url': service.url, tags: 'critical' });
    expect(outcomes(run)).toEqual({ health: 'passed' });
    expect(run.outputs.total).toBe('1');
    expect(service.requests()).toBe(1);
  });

  it('fails a name or tag that matches no test before any request', async () => {
    const name = await smoke({ spec: 'smoke/multi/*.yml', 'base-url': service.url, only: 'read itme' });
    expect(errors(name).map((a) => a.message)).toEqual(['input only: "read itme" is not a test in the spec; expected test names, one per line']);
    const tag = await smoke({ spec: 'smoke/multi/*.yml', 'base-url': service.url, tags: 'critcal' });
    expect(errors(tag).map((a) => a.message)).toEqual(['input tags: no test has the tag "critcal"; expected tags the tests list under `tags:`, comma- or line-separated']);
    expect(service.requests()).toBe(0);
  });
});

describe('reports', () => {
  let run: SmokeRun;
  beforeAll(async () => {
    run = await smoke({ spec: 'smoke/junit.yml', 'base-url': service.url });
  });

  it('writes valid JUnit XML: counts, times, failure with expected vs actual, flakyFailure, skipped', () => {
    const xml = run.junit();
    expect(XMLValidator.validate(xml)).toBe(true);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      textNodeName: 'text',
      isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ['testsuite', 'testcase', 'flakyFailure', 'failure', 'skipped'].includes(name)
    });
    const { testsuites } = parser.parse(xml);
    expect(testsuites).toEqual(expect.objectContaining({ name: 'smoke-test', tests: '4', failures: '1', errors: '0', skipped: '1' }));
    expect(testsuites.testsuite).toHaveLength(1);
    const [suite] = testsuites.testsuite;
    expect(suite).toEqual(expect.objectContaining({ name: 'smoke-test target', tests: '4', failures: '1', errors: '0', skipped: '1', hostname: service.url }));
    for (const time of [testsuites.time, suite.time]) expect(time).toMatch(/^\d+\.\d{3}$/);
    const cases = suite.testcase as Array<Record<string, unknown> & { name: string; time: string }>;
    expect(cases.map((c) => c.name)).toEqual(['passes', 'flaky <once> & "quoted"', 'wrong status', 'never runs']);
    for (const testcase of cases) {
      expect(testcase.time).toMatch(/^\d+\.\d{3}$/);
      expect(testcase).toEqual(expect.objectContaining({ file: 'smoke/junit.yml', line: String(lineIn('junit.yml', `- name: ${testcase.name}`)), classname: 'target.smoke/junit.yml' }));
    }
    const [passes, flaky, failed, skipped] = cases as Array<Record<string, unknown>>;
    expect(Object.keys(passes!).sort()).toEqual(['classname', 'file', 'line', 'name', 'time']);
    // The flaky case passed: a flakyFailure per failed attempt, and no failure.
    expect(flaky!.failure).toBeUndefined();
    expect(flaky!.flakyFailure).toEqual([{ message: 'status: expected 200, got 503', type: 'status', stackTrace: expect.stringContaining('attempt 1: status: expected 200, got 503') }]);
    expect((flaky!.flakyFailure as Array<{ stackTrace: string }>)[0]!.stackTrace).toContain('{"error":"try again","attempt":1}');
    expect(failed!.failure).toEqual([
      expect.objectContaining({ message: '$.status: expected "down", got "ok"', type: 'assertion', text: expect.stringContaining('$.status == "down": at $.status, expected "down", actual "ok"') })
    ]);
    expect(skipped!.skipped).toEqual([{ message: 'needs wrong status, which failed' }]);
  });

  it('writes JSON results with the timings of every request', () => {
    const json = run.json();
    expect(json.summary).toEqual({ passed: 1, failed: 1, flaky: 1, skipped: 1, total: 4 });
    const [target] = json.targets;
    expect(target!['latency-ms']).toEqual({ min: expect.any(Number), p50: expect.any(Number), p95: expect.any(Number), max: expect.any(Number) });
    const byName = Object.fromEntries(target!.tests.map((t) => [t.name, t]));
    expect(byName['flaky <once> & "quoted"']!.attempts.map((a) => [a.attempt, a.passed, a.status, a.failure?.kind])).toEqual([
      [1, false, 503, 'status'],
      [2, true, 200, undefined]
    ]);
    expect(byName['never runs']).toEqual(expect.objectContaining({ outcome: 'skipped', skipped: 'needs wrong status, which failed', attempts: [] }));
    expect(byName.passes!.request).toBe(`GET ${service.url}/health`);
    const sent = target!.tests.flatMap((t) => t.attempts);
    expect(sent).toHaveLength(4);
    for (const attempt of sent) {
      const timings = attempt['timings-ms']!;
      // A suite reuses connections: a request on a reused one has no connect phase of its own.
      expect(timings).toEqual({ dns: null, connect: timings.connect === null ? null : expect.any(Number), tls: null, 'first-byte': expect.any(Number), total: expect.any(Number) });
      expect(timings.total).toBeGreaterThanOrEqual(timings['first-byte']!);
      expect(timings['first-byte']!).toBeGreaterThanOrEqual(timings.connect ?? 0);
    }
    // The first request of the run opened a connection of its own.
    expect(sent.some((attempt) => typeof attempt['timings-ms']!.connect === 'number')).toBe(true);
  });

  it('puts the reports where report-dir says, relative to the workspace', async () => {
    const relativeRun = await smoke({ spec: 'smoke/parallel.yml', 'base-url': service.url, 'report-dir': 'out/smoke' });
    expect(relativeRun.outputs['junit-path']).toBe(join(workspace, 'out/smoke/junit.xml'));
    expect(relativeRun.outputs['json-path']).toBe(join(workspace, 'out/smoke/results.json'));
    expect(readFileSync(relativeRun.outputs['junit-path']!, 'utf8')).toContain('<testsuites name="smoke-test" tests="4"');
    expect(JSON.parse(readFileSync(relativeRun.outputs['json-path']!, 'utf8')).summary.total).toBe(4);
  });

  it('fails a report-dir that cannot be made in one line naming it, before any request, and soon', async () => {
    writeFileSync(join(workspace, 'a-file'), '');
    const cases: Array<[string, string]> = [
      ['/proc/nope', 'its parent folder takes no new folders'],
      ['/sys/nope', 'EPERM: operation not permitted'],
      [join(workspace, 'a-file/reports'), `${join(workspace, 'a-file')} is not a folder`]
    ];
    for (const [dir, reason] of cases) {
      const before = service.requests();
      const run = await smoke({ spec: 'smoke/parallel.yml', 'base-url': service.url, 'report-dir': dir });
      expect(run.timedOut).toBe(false);
      expect(run.exitCode).toBe(1);
      expect(errors(run).map((a) => a.message)).toEqual([
        `input report-dir: cannot create or write to ${JSON.stringify(dir)} (${reason}); expected a folder that can be created and written to (absolute, or relative to the workspace)`
      ]);
      expect(service.requests()).toBe(before);
    }
  });

  it('names an absolute spec path that does not exist without the workspace it was not looked in', async () => {
    const missing = join(tmpdir(), 'no-such-folder', 'nope.yml');
    const run = await smoke({ spec: missing, 'base-url': service.url });
    expect(errors(run).map((a) => a.message)).toEqual([
      `input spec: no file at ${JSON.stringify(missing)}; expected paths or globs of YAML spec files relative to the workspace, one per line (smoke/*.yml), or the YAML itself`
    ]);
  });

  it('names the JUnit class of a spec outside the workspace by its file name, with no run of dots', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'smoke-outside-'));
    try {
      writeFileSync(join(outside, 'smoke.yml'), 'tests:\n  - name: health\n    request: { url: /health }\n');
      const run = await smoke({ spec: join(outside, 'smoke.yml'), 'base-url': service.url });
      expect(run.exitCode).toBe(0);
      const cases = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(run.junit()).testsuites.testsuite.testcase;
      expect(cases.map((c: { classname: string }) => c.classname)).toEqual(['target.smoke.yml']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('puts the reports under RUNNER_TEMP when report-dir is empty', async () => {
    const runnerTemp = join(workspace, 'runner-temp');
    const defaultRun = await smoke({ spec: 'smoke/parallel.yml', 'base-url': service.url, 'report-dir': '' }, { RUNNER_TEMP: runnerTemp });
    expect(defaultRun.outputs['junit-path']).toBe(join(runnerTemp, 'smoke-test/junit.xml'));
    expect(defaultRun.outputs['json-path']).toBe(join(runnerTemp, 'smoke-test/results.json'));
    for (const path of [defaultRun.outputs['junit-path']!, defaultRun.outputs['json-path']!]) expect(existsSync(path)).toBe(true);
  });
});

describe('masking', () => {
  it('keeps the env password and every token out of the log, summary, outputs and reports, even when the API echoes them', async () => {
    const run = await smoke({ spec: 'smoke/masking.yml', 'base-url': service.url });
    expect(run.exitCode).toBe(1);
    expect(outcomes(run)).toEqual({
      login: 'passed',
      'token echoed': 'failed',
      'password echoed': 'failed',
      'token in the URL': 'failed',
      'login with a wrong expectation': 'failed'
    });
    // Both the password and the tokens are registered with the runner...
    expect(run.masks).toContain(PASSWORD);
    expect(run.masks.filter((mask) => /^tok_[0-9a-z]+$/.test(mask))).toHaveLength(2);
    // ...and never written in clear anywhere else, although the echoed bodies are shown.
    expect(run.summary).toContain('"name":"***"');
    expect(run.summary).toContain('{"token":"***","user":{"name":"dave"}}');
    expect(run.summary).toContain('no route /nowhere/***');
    const places: Record<string, string> = {
      stdout: run.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
      stderr: run.stderr,
      summary: run.summary,
      outputs: JSON.stringify(run.outputs),
      'junit.xml': run.junit(),
      'results.json': JSON.stringify(run.json())
    };
    for (const [place, text] of Object.entries(places)) {
      expect({ place, password: text.includes(PASSWORD), token: TOKEN.exec(text)?.[0] ?? null }).toEqual({ place, password: false, token: null });
    }
    expect(places['junit.xml']).toContain('&quot;name&quot;:&quot;***&quot;');
  });

  it('shows no latency for a request that got no response', async () => {
    const spec = ['tests:', '  - name: answered', '    request: { url: /health }', '  - name: unanswered', '    request: { url: "http://127.0.0.1:1/health" }'].join('\n');
    const run = await smoke({ spec, 'base-url': service.url });
    expect(outcomes(run)).toEqual({ answered: 'passed', unanswered: 'failed' });
    const byName = Object.fromEntries(run.results.tests.map((t) => [t.name, t['latency-ms']]));
    expect(byName.answered).toEqual(expect.any(Number));
    expect(byName.unanswered).toBeNull();
    const unanswered = run.json().targets[0]!.tests.find((t) => t.name === 'unanswered')!;
    expect(unanswered.attempts[0]!['timings-ms']).toBeNull();
    // The suite's latency figures are those of the answered request alone.
    const stats = run.json().targets[0]!['latency-ms']!;
    expect(stats.min).toBe(stats.max);
    // The suite figures are rounded to 0.1 ms, the test's to 0.01 ms: at most half a step apart (plus float error).
    expect(Math.abs(stats.max - (byName.answered as number))).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(run.summary).toMatch(/^\| unanswered \| ❌ failed \| – \| – \| 1 \|$/m);
  });

  it('masks credential headers (input or spec) and a password in base-url, and leaves ordinary header values alone', async () => {
    const spec = [
      'tests:',
      '  - name: keyed',
      '    request: { url: /nowhere, headers: { Accept: text/plain, X-Api-Key: spec-key-5150 } }'
    ].join('\n');
    const baseUrl = service.url.replace('http://', 'http://ci:base-pw-8086@');
    const run = await smoke({ spec, 'base-url': baseUrl, headers: 'Accept-Language: en-GB\nX-Deploy-Token: dtok-2718281' });
    expect(run.exitCode).toBe(1);
    expect(run.masks).toEqual(expect.arrayContaining(['dtok-2718281', 'base-pw-8086', 'spec-key-5150']));
    expect(run.masks).not.toContain('en-GB');
    expect(run.masks).not.toContain('text/plain');
    const shown = service.url.replace('http://', 'http://ci:***@');
    expect(run.json().targets[0]!['base-url']).toBe(shown);
    expect(run.summary).toContain(`**Request:** \`GET ${shown}/nowhere\``);
    const places = [run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary, JSON.stringify(run.outputs), run.junit(), JSON.stringify(run.json())];
    for (const text of places) expect(text).not.toMatch(/base-pw-8086|dtok-2718281|spec-key-5150/);
  });
});

describe('inputs', () => {
  let other: Service;
  beforeAll(async () => {
    other = await startService({ version: 'v2' });
  });
  afterAll(() => other.close());
  beforeEach(() => other.resetCounters());

  it('vars override the spec vars of the same name and keep the others', async () => {
    const withVars = await smoke({ spec: 'smoke/vars.yml', 'base-url': service.url, vars: 'user=bob' });
    expect(withVars.exitCode).toBe(0);
    expect(withVars.outputs.passed).toBe('1');
    const withoutVars = await smoke({ spec: 'smoke/vars.yml', 'base-url': service.url });
    expect(withoutVars.exitCode).toBe(1);
    expect(reasons(withoutVars)['login as the chosen user']).toBe('$.user.name: expected "bob-hello", got "alice-hello"');
  });

  it('takes the spec inline, as YAML in the spec input', async () => {
    const spec = ['tests:', '  - name: version', '    request: { url: /version }', '    expect: { json: { $.version: { equals: v1 } } }', '  - name: wrong', '    request: { url: /version }', '    expect: { json: { $.version: { equals: v9 } } }'].join('\n');
    const run = await smoke({ spec, 'base-url': service.url });
    expect(run.exitCode).toBe(1);
    expect(outcomes(run)).toEqual({ version: 'passed', wrong: 'failed' });
    expect(run.stdout).toContain('Running 2 tests from inline spec against');
    expect(run.summary).toContain(`\`inline spec\` against ${service.url}`);
    expect(testAnnotation(run, 'wrong')).toEqual({ level: 'error', message: '$.version: expected "v9", got "v1"', properties: { title: 'smoke-test: wrong' } });
  });

  it('base-url overrides the spec base-url', async () => {
    const spec = [`base-url: ${other.url}`, 'tests:', '  - name: version', '    request: { url: /version }', '    expect: { json: { $.version: { equals: v1 } } }'].join('\n');
    const overridden = await smoke({ spec, 'base-url': service.url });
    expect(overridden.exitCode).toBe(0);
    expect(service.requests()).toBe(1);
    expect(other.requests()).toBe(0);
    const fromSpec = await smoke({ spec });
    expect(fromSpec.exitCode).toBe(1);
    expect(reasons(fromSpec).version).toBe('$.version: expected "v1", got "v2"');
    expect(other.requests()).toBe(1);
  });

  it('sends an absolute URL in a test as it is, whatever the base-url', async () => {
    const spec = [
      'tests:',
      '  - name: relative',
      '    request: { url: /version }',
      '    expect: { json: { $.version: { equals: v1 } } }',
      '  - name: absolute',
      `    request: { url: "${other.url}/version", query: { q: 1 } }`,
      '    expect: { json: { $.version: { equals: v2 } } }'
    ].join('\n');
    const run = await smoke({ spec, 'base-url': service.url });
    expect(run.exitCode).toBe(0);
    expect(run.json().targets[0]!.tests.map((t) => t.request)).toEqual([`GET ${service.url}/version`, `GET ${other.url}/version?q=1`]);
    expect([service.requests(), other.requests()]).toEqual([1, 1]);
  });

  it('fails a relative URL with no base-url anywhere as a spec error at its line, without sending anything', async () => {
    const run = await smoke({ spec: 'smoke/relative.yml' });
    expect(run.exitCode).toBe(1);
    const line = lineIn('relative.yml', 'url: /health');
    expect(errors(run)).toEqual([
      {
        level: 'error',
        message: `smoke/relative.yml:${line}: test "relative" request.url "/health" is relative, and no base-url is given; expected an absolute URL, or base-url in the spec or as the input`,
        properties: { title: 'smoke-test: invalid spec', file: 'smoke/relative.yml', line: String(line) }
      },
      { level: 'error', message: 'invalid spec: 1 error in smoke/relative.yml; no request was sent', properties: {} }
    ]);
    expect(service.requests()).toBe(0);
    expect(existsSync(run.reportDir)).toBe(false);
  });

  it('refuses a method HTTP does not have, listing those it accepts, without sending anything', async () => {
    const run = await smoke({ spec: 'tests:\n  - name: fetch\n    request:\n      url: /health\n      method: FETCH\n', 'base-url': service.url });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]!.message).toBe('inline spec:5: test "fetch" request.method "FETCH" is not an HTTP method; expected one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    expect(service.requests()).toBe(0);
  });
});
