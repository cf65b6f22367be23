// health-check's bundle run the way the GitHub runner runs it: inputs as INPUT_* variables, outputs,
// summary and annotations read back from the runner's files and workflow commands.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runAction } from '@deploy-actions/harness';

const actionDir = fileURLToPath(new URL('../../actions/health-check', import.meta.url));
const TOKEN = 'tok_9f8e7d6c5b4a-secret';
const URL_PASSWORD = 'pw-7Hq2xZ';

let server: Server;
let base: string;
let flakyHits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (req.url) {
      case '/health':
        return json(200, { status: 'ok', version: 'abc123', checks: { db: 'up' } });
      case '/echo-auth':
        // A careless service that echoes the credential back in its error body.
        return json(503, { error: 'not ready', seen: req.headers.authorization });
      case '/echo-accept':
        // Answers what it was sent, so a check on it shows the value the user gave.
        res.writeHead(200, { 'content-type': 'text/plain', 'x-seen-accept': req.headers.accept ?? '' });
        return res.end(`accept=${req.headers.accept} key=${req.headers['x-api-key']} tenant=${req.headers['x-tenant']}`);
      case '/basic':
        // Basic credentials from the URL's userinfo; the body names the user only.
        return req.headers.authorization === `Basic ${Buffer.from(`ci:${URL_PASSWORD}`).toString('base64')}` ? json(503, { user: 'ci', ready: false }) : json(401, { error: 'who?' });
      case '/maintenance':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html><body>down for maintenance</body></html>');
      case '/starting':
        flakyHits += 1;
        return flakyHits < 3 ? json(503, { status: 'starting' }) : json(200, { status: 'ok' });
      default:
        return json(404, { error: 'no route' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('health-check bundle', () => {
  it('passes on a healthy URL and sets every output', async () => {
    const run = await runAction({
      actionDir,
      inputs: { url: `${base}/health`, 'json-path': '$.status == "ok"\n$.version == "abc123"\n$.checks.db exists', 'consecutive-successes': '2', interval: '50ms' }
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.outputs.attempts).toBe('2');
    expect(Number(run.outputs['duration-ms'])).toBeGreaterThanOrEqual(0);
    const results = JSON.parse(run.outputs.results ?? '[]');
    expect(results).toEqual([
      expect.objectContaining({
        url: `${base}/health`,
        healthy: true,
        status: 200,
        attempts: 2,
        failure: null,
        'latency-ms': expect.objectContaining({ p50: expect.any(Number), p95: expect.any(Number) }),
        // An IP literal over plain http: no DNS, no TLS, but a connect and a first byte.
        'last-timings-ms': { dns: null, connect: expect.any(Number), tls: null, 'first-byte': expect.any(Number), total: expect.any(Number) }
      })
    ]);
    expect(run.summary).toMatch(/Where the time of the last response went[\s\S]*\| URL \| DNS \| Connect \| TLS \| First byte \| Total \|/);
    expect(run.summary).toContain('## ✅ Health check passed: the URL is healthy');
    // Latencies and times read as in the log (3.4ms, 418ms, 1.25s), each with its unit.
    const duration = String.raw`\d+(?:\.\d+)?m?s`;
    expect(run.summary).toMatch(new RegExp(`^\\| http://127\\.0\\.0\\.1:\\d+/health \\| ✅ healthy \\| 2 \\| 200 \\| ${duration} / ${duration} / ${duration} \\| ${duration} \\|$`, 'm'));
    expect(run.summary).toMatch(new RegExp(`^\\| http://127\\.0\\.0\\.1:\\d+/health \\| – \\| ${duration} \\| – \\| ${duration} \\| ${duration} \\|$`, 'm'));
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
  });

  it('quotes the body once when several checks of it fail, naming each check', async () => {
    const run = await runAction({ actionDir, inputs: { url: `${base}/maintenance`, 'body-contains': 'ready', 'json-path': '$.status == "ok"\n$.checks.db exists', 'max-attempts': '1' } });
    expect(run.exitCode).toBe(1);
    const annotation = run.annotations.find((a) => a.properties.title === 'health-check: not healthy')!.message;
    const logLine = run.stdout.split('\n').find((l) => l.startsWith(`${base}/maintenance: attempt 1: `))!;
    const failure = (JSON.parse(run.outputs.results ?? '[]') as Array<{ failure: string }>)[0]!.failure;
    for (const line of [annotation, logLine, failure]) {
      expect(line.split('down for maintenance')).toHaveLength(2);
      expect(line).toContain('body: expected to contain "ready", got "<html><body>down for maintenance</body></html>"; $.status, $.checks.db: expected a JSON body, got invalid JSON');
    }
  });

  it('retries until a starting service is up', async () => {
    flakyHits = 0;
    const run = await runAction({ actionDir, inputs: { url: `${base}/starting`, interval: '20ms', jitter: 'false' } });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.attempts).toBe('3');
    expect(run.stdout).toContain('attempt 1: status: expected 200-299, got 503');
  });

  it('fails with the reason in the summary, an annotation and the outputs', async () => {
    const run = await runAction({
      actionDir,
      // A deadline that leaves a busy machine time for an answer from each URL: the reasons quote them.
      inputs: { url: `${base}/health\n${base}/missing`, 'json-path': '$.version == "def456"', deadline: '5s', interval: '1s', backoff: 'fixed' }
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.summary).toContain('## ❌ Health check failed: 2 of 2 URLs not healthy');
    expect(run.summary).toContain('| $.version == "def456" | $.version | "def456" | "abc123" |');
    expect(run.summary).toContain('**Last status:** 404 Not Found');
    expect(run.summary).toContain('{"error":"no route"}');
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/health: not healthy by the deadline after \d+ attempts; last: \$\.version: expected "def456", got "abc123"$/),
        expect.stringMatching(/\/missing: not healthy by the deadline after \d+ attempts; last: status: expected 200-299, got 404/),
        '2 of 2 URLs not healthy'
      ])
    );
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<{ failure: string | null }>;
    expect(results.every((r) => typeof r.failure === 'string' && r.failure.length > 0)).toBe(true);
  });

  it('keeps a token given in headers out of stdout, summary and outputs, even when the server echoes it', async () => {
    const run = await runAction({
      actionDir,
      // One attempt with the default timeout, so the echoing answer always arrives.
      inputs: { url: `${base}/echo-auth`, headers: `Authorization: Bearer ${TOKEN}\nX-Team: platform`, 'max-attempts': '1' }
    });
    expect(run.exitCode).toBe(1);
    expect(run.masks).toEqual(expect.arrayContaining([`Bearer ${TOKEN}`, TOKEN]));
    // The raw stdout is what the runner sees before its own masking: the token must not be there
    // except inside the ::add-mask:: commands that register it.
    const withoutMaskCommands = run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expect(withoutMaskCommands).not.toContain(TOKEN);
    expect(run.stderr).not.toContain(TOKEN);
    expect(run.summary).not.toContain(TOKEN);
    expect(run.summary).toContain('"seen":"***"');
    for (const value of Object.values(run.outputs)) expect(value).not.toContain(TOKEN);
  });

  it('masks credential headers and the headers named in secret-headers, and leaves ordinary values readable', async () => {
    const run = await runAction({
      actionDir,
      inputs: {
        url: `${base}/echo-accept`,
        headers: 'Accept: text/plain\nX-Api-Key: key-4b7e91\nX-Tenant: acme-internal',
        'secret-headers': 'X-Tenant',
        'expected-headers': 'X-Seen-Accept: application/json',
        'max-attempts': '1'
      }
    });
    expect(run.exitCode).toBe(1);
    expect(run.masks).toEqual(expect.arrayContaining(['key-4b7e91', 'acme-internal']));
    expect(run.masks).not.toContain('text/plain');
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors[0]).toContain('header X-Seen-Accept: expected "application/json", got "text/plain"');
    expect(run.summary).toContain('accept=text/plain key=*** tenant=***');
    const everything = [run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n'), run.summary, ...Object.values(run.outputs)].join('\n');
    expect(everything).not.toContain('key-4b7e91');
    expect(everything).not.toContain('acme-internal');
    expect(everything).toContain('text/plain');
  });

  it('sends the password of a URL as Basic credentials and shows the URL as user:***@ everywhere', async () => {
    const url = `${base.replace('http://', `http://ci:${URL_PASSWORD}@`)}/basic`;
    const run = await runAction({ actionDir, inputs: { url, 'max-attempts': '1' } });
    expect(run.exitCode).toBe(1);
    expect(run.masks).toContain(URL_PASSWORD);
    const shown = `${base.replace('http://', 'http://ci:***@')}/basic`;
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<{ url: string; status: number }>;
    // 503 (not 401): the credentials reached the server.
    expect(results).toEqual([expect.objectContaining({ url: shown, status: 503 })]);
    expect(run.summary).toContain(shown);
    expect(run.stdout).toContain(`${shown}: attempt 1`);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors[0]).toContain(shown);
    const everything = [run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary, ...Object.values(run.outputs), ...errors].join('\n');
    expect(everything).not.toContain(URL_PASSWORD);
  });

  it('masks the Basic credential built from a URL password when a service echoes it back', async () => {
    const url = `${base.replace('http://', `http://ci:${URL_PASSWORD}@`)}/echo-auth`;
    const basic = Buffer.from(`ci:${URL_PASSWORD}`).toString('base64');
    const run = await runAction({ actionDir, inputs: { url, 'body-contains': 'ready', 'max-attempts': '1' } });
    expect(run.exitCode).toBe(1);
    expect(run.masks).toContain(basic);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    // The body is shown (the check failed on it), with the echoed credential masked.
    expect(run.summary).toContain('"seen":"Basic ***"');
    const everything = [run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary, ...Object.values(run.outputs), ...errors].join('\n');
    expect(everything).not.toContain(basic);
    expect(everything).not.toContain(URL_PASSWORD);
  });

  it('rejects a bad input with one clear line and sends no request', async () => {
    const run = await runAction({ actionDir, inputs: { url: `${base}/health`, timeout: '10 seconds' } });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual(['input timeout: "10 seconds" is not a duration; expected a duration such as 250ms, 10s, 5m, 1h or 1m30s']);
    expect(run.stdout).not.toMatch(/attempt \d/);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(run.outputs).toEqual({});
  });

  it('shows a URL it rejects with its password masked', async () => {
    const run = await runAction({ actionDir, inputs: { url: 'ftp://deploy:ftp-pass-31@files.example.com/health' } });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual(['input url: "ftp://deploy:***@files.example.com/health" is not an http(s) URL; expected absolute URLs such as https://example.com/health, one per line']);
    expect(run.stdout).not.toContain('ftp-pass-31');
  });

  it('refuses HEAD with body checks before any request: they could never pass', async () => {
    let requests = 0;
    const counting = createServer((_req, res) => {
      requests += 1;
      res.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(counting.address() as AddressInfo).port}/health`;
      const run = await runAction({ actionDir, inputs: { url, method: 'head', 'json-path': '$.status == "ok"', 'body-contains': 'ok', deadline: '2s' } });
      expect(run.exitCode).toBe(1);
      const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors).toEqual([
        'input method: HEAD gets a response without a body, so body-contains and json-path could never pass; expected GET (or another method whose response has a body) with body checks, or HEAD without them'
      ]);
      expect(run.outputs).toEqual({});
      expect(requests).toBe(0);
      // HEAD alone is fine.
      expect((await runAction({ actionDir, inputs: { url, method: 'HEAD' } })).exitCode).toBe(0);
      expect(requests).toBe(1);
    } finally {
      counting.closeAllConnections();
      await new Promise((resolve) => counting.close(resolve));
    }
  });

  it('shows no latency for a URL that never answered', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const run = await runAction({ actionDir, inputs: { url: `http://127.0.0.1:${port}/`, 'max-attempts': '2', interval: '10ms' } });
    expect(run.exitCode).toBe(1);
    const [result] = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>;
    expect(result).toMatchObject({ status: null, 'latency-ms': null, 'last-timings-ms': null });
    expect(run.summary).toMatch(/\| http:\/\/127\.0\.0\.1:\d+\/ \| ❌ unhealthy \| 2 \| – \| – \|/);
  });

  it('does not warn about insecure when no URL speaks TLS (https URLs: health-check-trial.test.ts)', async () => {
    const run = await runAction({ actionDir, inputs: { url: `${base}/health`, insecure: 'true' } });
    expect(run.exitCode).toBe(0);
    expect(run.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  });
});
