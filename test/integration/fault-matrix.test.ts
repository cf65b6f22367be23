// The fault matrix: real servers on 127.0.0.1 misbehaving in the ways deploys do, and what a user of
// health-check sees for each (the failure kind, the reason, the status, attempts, healthy or not).
import { afterEach, describe, expect, test } from '@jest/globals';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { checkHealth, type HealthCheckConfig, type HealthReport, type UrlResult } from '@deploy-actions/checks';
import { readInputs } from '../../actions/health-check/src/inputs.js';
import { probe } from '@deploy-actions/http';
import {
  freePort,
  selfSignedCertificate,
  startForwardProxy,
  startHttpsServer,
  startRawServer,
  startServer,
  startTinyproxy,
  streamFiller,
  startNpmProxy,
  tinyproxyPath,
  type Handler,
  type TestServer
} from '../helpers/servers.js';

const MiB = 1024 * 1024;

/** Servers started by the running test; all closed after it, pass or fail. */
const open: Array<{ close(): Promise<void> }> = [];
async function serve(handler: Handler, options: { port?: number } = {}): Promise<TestServer> {
  const server = await startServer(handler, options);
  open.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

/**
 * Short pauses so the matrix stays quick, and limits long enough that a busy machine never reaches
 * them: the attempt timeout and the deadline are under test only where a test sets them.
 */
const FAST = { interval: '20ms', 'max-interval': '20ms', backoff: 'fixed', jitter: 'false', timeout: '30s', deadline: '50s' };
/** The attempt timeout of a direct probe whose timeout is not under test. */
const PROBE_TIMEOUT_MS = 30_000;

/** A config built the way the action builds it, from its inputs (so defaults such as retry-on are the real ones). */
function configFor(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): HealthCheckConfig {
  const all: Record<string, string> = { ...FAST, ...inputs };
  return readInputs((name) => all[name] ?? '', env).config;
}

async function run(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<{ report: HealthReport; result: UrlResult; logs: string[] }> {
  const logs: string[] = [];
  const report = await checkHealth(configFor(inputs, env), { log: (line) => logs.push(line) });
  return { report, result: report.results[0]!, logs };
}

const ok: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
};

describe('connection faults', () => {
  test('refused until the server comes up on that port: healthy after retries, the first failures were refused', async () => {
    const port = await freePort();
    let starting: Promise<TestServer> | undefined;
    const later = setTimeout(() => (starting = serve(ok, { port })), 400);
    try {
      const { report, result, logs } = await run({ url: `http://127.0.0.1:${port}/health` });
      expect(report.healthy).toBe(true);
      expect(result.end).toBe('passed');
      expect(result.attempts).toBeGreaterThan(1);
      expect(result.status).toBe(200);
      // Every failure before the server came up was a refused connection.
      expect(result.lastFailure?.kind).toBe('refused');
      expect(result.lastFailure?.reason).toMatch(/connection refused/);
      expect(result.lastFailure?.status).toBeNull();
      expect(logs[0]).toMatch(/attempt 1: connection refused/);
      const failedLines = logs.filter((line) => /attempt \d+: /.test(line) && !/passed/.test(line));
      expect(failedLines.length).toBe(result.attempts - 1);
      for (const line of failedLines) expect(line).toMatch(/connection refused/);
      const server = await starting!;
      expect(server.requests).toHaveLength(1);
    } finally {
      clearTimeout(later);
      await starting;
    }
  });

  test('reset mid-body: kind reset, "after N bytes", retried by default', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      res.write(Buffer.alloc(500, 'a'), () => setTimeout(() => res.socket?.destroy(), 30));
    });
    const direct = await probe(server.url('/half'), { timeoutMs: PROBE_TIMEOUT_MS, env: {} });
    expect(direct.failure?.kind).toBe('reset');
    expect(direct.failure?.message).toMatch(/after 500 bytes/);
    expect(direct.response?.status).toBe(200);
    expect(direct.response?.body.length).toBe(500);

    const { report, result } = await run({ url: server.url('/half'), 'max-attempts': '2' });
    expect(report.healthy).toBe(false);
    expect(result.end).toBe('max-attempts');
    expect(result.attempts).toBe(2);
    expect(result.status).toBe(200);
    expect(result.lastFailure?.kind).toBe('reset');
    expect(result.lastFailure?.reason).toMatch(/after 500 bytes/);
  });

  test('the connection dropped before any response: kind reset, no status', async () => {
    const server = await serve((req) => {
      req.socket.destroy();
    });
    const { result } = await run({ url: server.url('/drop'), 'max-attempts': '2' });
    expect(result.healthy).toBe(false);
    expect(result.attempts).toBe(2);
    expect(result.status).toBeNull();
    expect(result.lastFailure?.kind).toBe('reset');
    expect(result.lastFailure?.reason).toMatch(/connection reset/);
    expect(server.requests).toHaveLength(2);
  });

  test('something that is not HTTP answers: kind protocol', async () => {
    let connections = 0;
    const server = await startRawServer((socket) => {
      connections += 1;
      socket.end('SSH-2.0-OpenSSH_9.6\r\nthis is not http\r\n\r\n');
    });
    open.push(server);
    const { result } = await run({ url: server.url('/'), 'max-attempts': '2' });
    expect(result.healthy).toBe(false);
    expect(result.status).toBeNull();
    expect(result.lastFailure?.kind).toBe('protocol');
    expect(result.lastFailure?.reason).toMatch(/invalid HTTP response/);
    // protocol failures are retried by default.
    expect(result.attempts).toBe(2);
    expect(connections).toBe(2);
  });

  test('slow headers beyond the attempt timeout: timeout, and the attempt ends at the timeout', async () => {
    // The answer would come after 30 s: an attempt that ends well before that was ended by its timeout.
    const server = await serve(async (_req, res, { wait }) => {
      if (await wait(30_000)) res.end('too late');
    });
    const started = performance.now();
    const direct = await probe(server.url('/slow'), { timeoutMs: 300, env: {} });
    const took = performance.now() - started;
    expect(direct.failure?.kind).toBe('timeout');
    expect(direct.failure?.message).toMatch(/timed out after 300ms/);
    expect(direct.response).toBeUndefined();
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(15_000);

    const { result, logs } = await run({ url: server.url('/slow'), timeout: '300ms', 'max-attempts': '1' });
    expect(result.healthy).toBe(false);
    // The duration is said once: not "timed out after 300ms (301ms)".
    expect(logs[0]).toMatch(/: attempt 1: timed out after 300ms$/);
    expect(result.lastFailure?.kind).toBe('timeout');
    expect(result.lastFailure?.reason).toMatch(/timed out after 300ms/);
    expect(result.status).toBeNull();
    expect(result.durationMs).toBeLessThan(15_000);
  });

  test('slow body (headers at once, body trickling past the timeout): timeout', async () => {
    // The whole body would take 30 s: an attempt that ends well before that was ended by its timeout.
    const server = await serve(async (_req, res, { wait }) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      for (let i = 0; i < 100; i++) {
        if (!(await wait(300))) return;
        res.write('x');
      }
      res.end();
    });
    const started = performance.now();
    const direct = await probe(server.url('/trickle'), { timeoutMs: 400, env: {} });
    const took = performance.now() - started;
    expect(direct.failure?.kind).toBe('timeout');
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(15_000);

    const { result } = await run({ url: server.url('/trickle'), timeout: '400ms', 'max-attempts': '1' });
    expect(result.healthy).toBe(false);
    expect(result.lastFailure?.kind).toBe('timeout');
  });

  test('the deadline clips a hanging attempt: the run never overruns it', async () => {
    const server = await serve(async (_req, res, { wait }) => {
      if (await wait(30_000)) res.end('too late');
    });
    const { result } = await run({ url: server.url('/hang'), timeout: '30s', deadline: '700ms' });
    expect(result.healthy).toBe(false);
    expect(result.end).toBe('deadline');
    expect(result.lastFailure?.kind).toBe('timeout');
    // The attempt was given what was left of the deadline, not its own 30 s timeout.
    const given = Number(/timed out after ([\d.]+)ms/.exec(result.lastFailure?.reason ?? '')?.[1]);
    expect(given).toBeGreaterThan(0);
    expect(given).toBeLessThanOrEqual(700);
    expect(result.durationMs).toBeLessThan(15_000);
  });
});

describe('status and Retry-After', () => {
  test('503 with Retry-After: 1 waits at least a second although interval is tiny', async () => {
    const server = await serve((_req, res, { index }) => {
      if (index === 0) res.writeHead(503, { 'retry-after': '1' }).end('busy');
      else res.end('ok');
    });
    const { result, logs } = await run({ url: server.url('/ra'), interval: '10ms', 'max-interval': '10ms' });
    expect(result.healthy).toBe(true);
    expect(result.attempts).toBe(2);
    expect(result.lastFailure?.kind).toBe('status');
    expect(result.lastFailure?.status).toBe(503);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
    // The pause is the server's, not the backoff's: the log says why it is longer than interval.
    expect(logs.join('\n')).toMatch(/next attempt in 1s \(Retry-After\)$/m);
  });

  test('503 with Retry-After as an HTTP-date waits until that date', async () => {
    const server = await serve((_req, res, { index }) => {
      // HTTP-dates have whole seconds: 2.5s ahead is at least 1.5s ahead once rounded down.
      if (index === 0) res.writeHead(503, { 'retry-after': new Date(Date.now() + 2500).toUTCString() }).end('busy');
      else res.end('ok');
    });
    const { result } = await run({ url: server.url('/ra-date'), interval: '10ms', 'max-interval': '10ms' });
    expect(result.healthy).toBe(true);
    expect(result.attempts).toBe(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(1200);
  });

  test('Retry-After beyond the deadline: stops at once with end deadline, well before the deadline', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'retry-after': '120' }).end('down for maintenance');
    });
    const started = performance.now();
    const { report, result, logs } = await run({ url: server.url('/maint'), deadline: '40s' });
    const took = performance.now() - started;
    expect(report.healthy).toBe(false);
    expect(result.end).toBe('deadline');
    expect(result.attempts).toBe(1);
    expect(result.status).toBe(503);
    expect(result.lastFailure?.kind).toBe('status');
    expect(result.lastFailure?.reason).toMatch(/status: expected 200-299, got 503/);
    expect(result.lastFailure?.body).toBe('down for maintenance');
    // Waiting for the deadline would take 40 s.
    expect(took).toBeLessThan(20_000);
    expect(logs.join('\n')).toMatch(/not healthy by the deadline/);
  });

  test('a failing endpoint with a long interval: the run ends by the deadline, not after it', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500).end('boom');
    });
    const { result } = await run({ url: server.url('/boom'), interval: '1s', 'max-interval': '1s', deadline: '3s' });
    expect(result.end).toBe('deadline');
    expect(result.lastFailure?.kind).toBe('status');
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    // A pause that ran past the deadline would end the run a whole interval after it.
    expect(result.durationMs).toBeLessThan(3000 + 1000);
  });

  test('429 then 200: healthy after a retry', async () => {
    const server = await serve((_req, res, { index }) => {
      if (index === 0) res.writeHead(429, 'Too Many Requests').end('slow down');
      else res.end('ok');
    });
    const { report, result } = await run({ url: server.url('/limited') });
    expect(report.healthy).toBe(true);
    expect(result.attempts).toBe(2);
    expect(result.status).toBe(200);
    expect(result.lastFailure?.kind).toBe('status');
    expect(result.lastFailure?.status).toBe(429);
    expect(result.lastFailure?.statusText).toBe('Too Many Requests');
  });
});

describe('redirects', () => {
  test('a redirect loop fails with kind redirect naming the loop, and is not retried by default', async () => {
    const server = await serve((req, res) => {
      const to = req.url === '/a' ? '/b' : '/a';
      res.writeHead(302, { location: to }).end();
    });
    const { report, result, logs } = await run({ url: server.url('/a') });
    expect(report.healthy).toBe(false);
    expect(result.end).toBe('fatal');
    expect(result.attempts).toBe(1);
    expect(result.lastFailure?.kind).toBe('redirect');
    expect(result.lastFailure?.reason).toContain('redirect loop');
    expect(result.lastFailure?.reason).toContain(`${server.url('/a')} -> ${server.url('/b')} -> ${server.url('/a')}`);
    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/b']);
    expect(logs.join('\n')).toMatch(/redirect failures are not retried/);
  });

  test('an endless chain of distinct redirects stops at max-redirects', async () => {
    const server = await serve((req, res) => {
      const n = Number(/^\/r\/(\d+)$/.exec(req.url ?? '')?.[1] ?? 0);
      res.writeHead(307, { location: `/r/${n + 1}` }).end();
    });
    const { result } = await run({ url: server.url('/r/0'), 'max-redirects': '3' });
    expect(result.end).toBe('fatal');
    expect(result.lastFailure?.kind).toBe('redirect');
    expect(result.lastFailure?.reason).toMatch(/more than 3 redirects/);
    expect(server.requests.map((r) => r.url)).toEqual(['/r/0', '/r/1', '/r/2', '/r/3']);
  });

  test('credentials never reach another origin; a same-origin redirect keeps them', async () => {
    const other = await serve(ok);
    const server = await serve((req, res) => {
      if (req.url === '/away') res.writeHead(302, { location: other.url('/landing') }).end();
      else if (req.url === '/same') res.writeHead(301, { location: '/landing' }).end();
      else res.end('ok');
    });
    const headers = 'Authorization: Bearer s3cret-token\nCookie: session=abc123\nX-Trace: keep-me';

    const away = await run({ url: server.url('/away'), headers });
    expect(away.result.healthy).toBe(true);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer s3cret-token');
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
    expect(other.requests[0]!.headers.cookie).toBeUndefined();
    expect(other.requests[0]!.headers['x-trace']).toBe('keep-me');
    expect(JSON.stringify(other.requests[0]!.headers)).not.toMatch(/s3cret|abc123/);

    const same = await run({ url: server.url('/same'), headers });
    expect(same.result.healthy).toBe(true);
    const landing = server.requests.find((r) => r.url === '/landing');
    expect(landing?.headers.authorization).toBe('Bearer s3cret-token');
    expect(landing?.headers.cookie).toBe('session=abc123');
  });

  test('303 after a POST becomes a GET without a body; 307 keeps the method and body', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/submit') res.writeHead(303, { location: '/result' }).end();
      else if (req.url === '/keep') res.writeHead(307, { location: '/kept' }).end();
      else res.end('ok');
    });
    const request = { method: 'POST', headers: 'Content-Type: application/json', body: '{"deploy":42}' };

    const seeOther = await run({ url: server.url('/submit'), ...request });
    expect(seeOther.result.healthy).toBe(true);
    const [post, get] = server.requests;
    expect(post).toMatchObject({ method: 'POST', url: '/submit', body: '{"deploy":42}' });
    expect(get).toMatchObject({ method: 'GET', url: '/result', body: '' });
    expect(get!.headers['content-length']).toBeUndefined();
    expect(get!.headers['content-type']).toBeUndefined();
    expect(get!.headers['transfer-encoding']).toBeUndefined();

    const temporary = await run({ url: server.url('/keep'), ...request });
    expect(temporary.result.healthy).toBe(true);
    const kept = server.requests.find((r) => r.url === '/kept');
    expect(kept).toMatchObject({ method: 'POST', body: '{"deploy":42}' });
    expect(kept!.headers['content-type']).toBe('application/json');
  });
});

describe('bodies and assertions', () => {
  test('a 100 MiB body is cut at maxBodyBytes without buffering it, and the connection is closed early', async () => {
    let streamed: Promise<{ sent: number; complete: boolean }> | undefined;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(100 * MiB) });
      streamed = streamFiller(res, 100 * MiB);
    });
    const before = process.memoryUsage();
    const result = await probe(server.url('/huge'), { timeoutMs: PROBE_TIMEOUT_MS, maxBodyBytes: MiB, env: {} });
    const after = process.memoryUsage();
    expect(result.failure).toBeUndefined();
    expect(result.response?.status).toBe(200);
    expect(result.response?.truncated).toBe(true);
    expect(result.response?.body.length).toBe(MiB);
    // Holding the body would cost 100 MiB; a capped read costs a few.
    expect(after.rss - before.rss).toBeLessThan(40 * MiB);
    expect(after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)).toBeLessThan(40 * MiB);
    const { sent, complete } = await streamed!;
    expect(complete).toBe(false);
    expect(sent).toBeLessThan(50 * MiB);

    // Through the action: the cut is reported, and a status check still passes on it.
    const { result: checked } = await run({ url: server.url('/huge'), 'max-body-size': '1MiB' });
    expect(checked.healthy).toBe(true);
  });

  test('invalid JSON under a JSONPath assertion: an assertion failure that says so and shows the body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('<html>Bad Gateway from the load balancer</html>');
    });
    const { report, result } = await run({ url: server.url('/status'), 'json-path': '$.status == "ok"', 'max-attempts': '1' });
    expect(report.healthy).toBe(false);
    expect(result.end).toBe('max-attempts');
    expect(result.status).toBe(200);
    const failure = result.lastFailure!;
    expect(failure.kind).toBe('assertion');
    expect(failure.assertions).toHaveLength(1);
    expect(failure.assertions[0]!.where).toBe('$.status');
    expect(failure.assertions[0]!.actual).toMatch(/invalid JSON/);
    expect(failure.assertions[0]!.actual).toContain('<html>Bad Gateway');
    expect(failure.reason).toMatch(/\$\.status: expected a JSON body, got invalid JSON/);
  });

  test('gzip, deflate (zlib and raw) and br bodies are decoded before the checks; Accept-Encoding asks for them unless the user set one', async () => {
    const document = JSON.stringify({ status: 'ok', version: 'abc123', padding: 'x'.repeat(2000) });
    const encoders: Record<string, (body: string) => Buffer> = {
      gzip: (body) => gzipSync(body),
      deflate: (body) => deflateSync(body),
      'raw-deflate': (body) => deflateRawSync(body),
      br: (body) => brotliCompressSync(body),
      'gzip-then-br': (body) => brotliCompressSync(gzipSync(body))
    };
    const header: Record<string, string> = { gzip: 'gzip', deflate: 'deflate', 'raw-deflate': 'deflate', br: 'br', 'gzip-then-br': 'gzip, br' };
    const server = await serve((req, res) => {
      const kind = (req.url ?? '').slice(1);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': header[kind]! }).end(encoders[kind]!(document));
    });
    for (const kind of Object.keys(encoders)) {
      const { result } = await run({ url: server.url(`/${kind}`), 'json-path': '$.status == "ok"\n$.version == "abc123"', 'body-contains': '"padding":"xxx', 'max-attempts': '1' });
      expect([kind, result.lastFailure?.reason ?? null, result.healthy]).toEqual([kind, null, true]);
    }
    expect(server.requests[0]!.headers['accept-encoding']).toBe('gzip, deflate, br');
    await run({ url: server.url('/gzip'), headers: 'Accept-Encoding: gzip', 'max-attempts': '1' });
    expect(server.requests.at(-1)!.headers['accept-encoding']).toBe('gzip');
  });

  test('a gzip bomb is cut at max-body-size of DECODED bytes without inflating the rest', async () => {
    // 16 MiB of zeros compress to about 16 KiB; 64 gzip members in a row are 1 GiB decoded.
    const member = gzipSync(Buffer.alloc(16 * MiB));
    let sent = 0;
    const server = await serve(async (_req, res, { wait }) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      for (let i = 0; i < 64 && !res.destroyed; i++) {
        if (!res.write(member)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
        sent += 1;
        if (!(await wait(5))) return;
      }
      res.end();
    });
    const before = process.memoryUsage();
    const result = await probe(server.url('/bomb'), { timeoutMs: 20_000, maxBodyBytes: MiB, env: {} });
    const after = process.memoryUsage();
    expect(result.failure).toBeUndefined();
    expect(result.response?.truncated).toBe(true);
    expect(result.response?.body.length).toBe(MiB);
    expect(after.rss - before.rss).toBeLessThan(100 * MiB);
    expect(sent).toBeLessThan(64);

    const { result: checked } = await run({ url: server.url('/bomb'), 'max-body-size': '1MiB', 'body-contains': 'never there', 'max-attempts': '1' });
    expect(checked.lastFailure?.reason).toContain('(the body was cut at max-body-size (1MiB))');
    // A body check on a cut body fails the same way every time: not retried.
    expect(checked.lastFailure?.kind).toBe('body-size');
    expect(checked.end).toBe('fatal');
  });

  test('a body that says gzip but is not: kind protocol, in one line', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end('plain text\nnot gzip at all');
    });
    const { result } = await run({ url: server.url('/liar'), 'max-attempts': '1' });
    expect(result.lastFailure?.kind).toBe('protocol');
    expect(result.lastFailure?.reason).toMatch(/^the gzip encoded body could not be decoded \(.+\)$/);
    expect(result.lastFailure?.reason).not.toMatch(/\n/);
  });

  test('JSON after a UTF-8 byte order mark passes JSONPath checks', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"status":"ok"}')]));
    });
    const { result } = await run({ url: server.url('/bom'), 'json-path': '$.status == "ok"', 'max-attempts': '1' });
    expect(result.lastFailure).toBeNull();
    expect(result.healthy).toBe(true);
  });

  test('invalid JSON under two JSONPath checks: one line that shows the body once', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>\n<h1>Bad Gateway</h1>\n</html>');
    });
    const { result } = await run({ url: server.url('/html'), 'expected-status': '5xx', 'json-path': '$.status == "ok"\n$.version exists', 'max-attempts': '1' });
    const reason = result.lastFailure!.reason;
    expect(reason).not.toMatch(/[\r\n]/);
    expect(reason.split('Bad Gateway')).toHaveLength(2);
    expect(reason).toMatch(/^\$\.status, \$\.version: expected a JSON body, got invalid JSON/);
  });

  test('latency over max-latency: kind latency', async () => {
    const server = await serve(async (_req, res, { wait }) => {
      if (await wait(300)) res.end('ok');
    });
    const { result } = await run({ url: server.url('/sluggish'), 'max-latency': '100ms', 'max-attempts': '1' });
    expect(result.healthy).toBe(false);
    expect(result.status).toBe(200);
    expect(result.lastFailure?.kind).toBe('latency');
    expect(result.lastFailure?.reason).toMatch(/latency: expected <= 100ms, got \d+ms/);
    const got = Number(/got (\d+)ms/.exec(result.lastFailure!.reason)?.[1]);
    expect(got).toBeGreaterThanOrEqual(250);
  });
});

describe('TLS', () => {
  test('a self-signed certificate fails with kind tls at once by default; ca or insecure make it pass', async () => {
    const tls = await selfSignedCertificate();
    const server = await startHttpsServer(ok, tls);
    open.push(server);

    const strict = await run({ url: server.url('/health') });
    expect(strict.report.healthy).toBe(false);
    expect(strict.result.end).toBe('fatal');
    expect(strict.result.attempts).toBe(1);
    expect(strict.result.lastFailure?.kind).toBe('tls');
    expect(strict.result.lastFailure?.reason).toMatch(/TLS handshake failed.*self.signed/i);
    // The fix a user can apply in the workflow, not a Node.js flag.
    expect(strict.result.lastFailure?.reason).toContain('ca-cert');
    expect(strict.result.lastFailure?.reason).not.toContain('--use-system-ca');
    expect(strict.logs.join('\n')).toMatch(/tls failures are not retried/);
    expect(server.requests).toHaveLength(0);

    const trusted = await run({ url: server.url('/health'), 'ca-cert': tls.cert });
    expect(trusted.report.healthy).toBe(true);
    expect(trusted.result.attempts).toBe(1);

    const insecure = await run({ url: server.url('/health'), insecure: 'true' });
    expect(insecure.report.healthy).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  test('a plain http server behind an https URL: one line, OpenSSL\'s reason in words, no raw error dump', async () => {
    const server = await serve(ok);
    const { result } = await run({ url: `https://127.0.0.1:${server.port}/` });
    expect(result.lastFailure?.kind).toBe('tls');
    const reason = result.lastFailure!.reason;
    expect(reason).not.toMatch(/[\r\n]/);
    expect(reason).not.toMatch(/SSL routines|\.c:\d+/);
    expect(reason).toMatch(/^TLS handshake failed: wrong version number \(EPROTO\); the server may not speak TLS on this port/);
  });
});

describe('times in reasons are rounded', () => {
  test('an attempt cut by the deadline says "timed out after 418ms", not 418.1339999998454ms', async () => {
    const server = await serve(async (_req, res, { wait }) => {
      if (await wait(5000)) res.end('too late');
    });
    const { result } = await run({ url: server.url('/hang'), timeout: '10s', deadline: '500ms', 'max-attempts': '1' });
    expect(result.lastFailure?.kind).toBe('timeout');
    expect(result.lastFailure?.reason).toMatch(/^timed out after \d+ms$/);
  });
});

describe('consecutive successes', () => {
  test('a flapping endpoint (200/500) never gets 3 in a row; a stable one needs exactly 3 attempts', async () => {
    const flapping = await serve((_req, res, { index }) => {
      res.writeHead(index % 2 === 0 ? 200 : 500).end(index % 2 === 0 ? 'ok' : 'error');
    });
    // Eight attempts, whatever the machine's speed: a deadline would leave the count to it.
    const flap = await run({ url: flapping.url('/'), 'consecutive-successes': '3', 'max-attempts': '8' });
    expect(flap.report.healthy).toBe(false);
    expect(flap.result.end).toBe('max-attempts');
    expect(flap.result.attempts).toBe(8);
    expect(flap.result.lastFailure?.kind).toBe('status');
    // Every other attempt failed on the 500 and reset the streak: never more than one pass in a row.
    const attemptLines = flap.logs.filter((line) => /: attempt \d+: /.test(line));
    expect(attemptLines).toHaveLength(8);
    attemptLines.forEach((line, i) => expect(line).toMatch(i % 2 === 0 ? /: 200 in \d+(\.\d)?ms, passed$/ : /status: expected 200-299, got 500/));
    expect(flapping.requests).toHaveLength(8);

    const stable = await serve(ok);
    const steady = await run({ url: stable.url('/'), 'consecutive-successes': '3' });
    expect(steady.report.healthy).toBe(true);
    expect(steady.result.attempts).toBe(3);
    expect(steady.result.lastFailure).toBeNull();
    expect(stable.requests).toHaveLength(3);
  });
});

describe('proxies', () => {
  test('HTTP_PROXY in the given env routes the probe through the proxy; NO_PROXY=127.0.0.1 bypasses it', async () => {
    const proxy = await startForwardProxy();
    open.push(proxy);
    const server = await serve(ok);

    const via = await run({ url: server.url('/through') }, { HTTP_PROXY: proxy.origin });
    expect(via.report.healthy).toBe(true);
    expect(proxy.lines).toEqual([`GET ${server.url('/through')}`]);
    expect(server.requests.map((r) => r.url)).toEqual(['/through']);

    const direct = await run({ url: server.url('/direct') }, { HTTP_PROXY: proxy.origin, NO_PROXY: '127.0.0.1' });
    expect(direct.report.healthy).toBe(true);
    expect(proxy.lines).toHaveLength(1);
    expect(server.requests.map((r) => r.url)).toEqual(['/through', '/direct']);
  });

  test('the probe reads proxies from options.env, not process.env', async () => {
    const proxy = await startForwardProxy();
    open.push(proxy);
    const server = await serve(ok);
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy.origin;
    try {
      const result = await probe(server.url('/env'), { timeoutMs: PROBE_TIMEOUT_MS, env: {} });
      expect(result.response?.status).toBe(200);
      expect(proxy.lines).toHaveLength(0);
      // And the probe put process.env back as it was.
      expect(process.env.HTTP_PROXY).toBe(proxy.origin);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
  });

  test('HTTPS_PROXY tunnels an https probe with CONNECT, and the given ca is still checked', async () => {
    const proxy = await startForwardProxy();
    open.push(proxy);
    const tls = await selfSignedCertificate();
    const server = await startHttpsServer(ok, tls);
    open.push(server);
    const env = { HTTPS_PROXY: proxy.origin };

    const trusted = await run({ url: server.url('/tunnel'), 'ca-cert': tls.cert }, env);
    expect(trusted.report.healthy).toBe(true);
    expect(proxy.lines).toEqual([`CONNECT 127.0.0.1:${server.port}`]);

    const strict = await run({ url: server.url('/tunnel') }, env);
    expect(strict.result.end).toBe('fatal');
    expect(strict.result.lastFailure?.kind).toBe('tls');
  });
});

describe('proxy failures are the proxy\'s, never the target\'s status', () => {
  test('a proxy that refuses the CONNECT tunnel with 407: kind proxy-auth naming the proxy and its answer, not retried; expected-status 4xx does not pass', async () => {
    const proxy = await startForwardProxy({ refuse: { status: 407, reason: 'Proxy Authentication Required' } });
    open.push(proxy);
    const tls = await selfSignedCertificate();
    const target = await startHttpsServer(ok, tls);
    open.push(target);

    const { report, result } = await run({ url: target.url('/health'), 'ca-cert': tls.cert, 'expected-status': '4xx', 'max-attempts': '2' }, { HTTPS_PROXY: proxy.origin });
    expect(report.healthy).toBe(false);
    expect(result.status).toBeNull();
    expect(result.latency).toBeNull();
    expect(result.lastFailure?.kind).toBe('proxy-auth');
    expect(result.lastFailure?.reason).toBe(`proxy ${proxy.origin} refused the tunnel: 407 Proxy Authentication Required`);
    // Credentials the proxy refuses stay refused: no retry (a proxy that is down is retried, below).
    expect(result.end).toBe('fatal');
    expect(result.attempts).toBe(1);
    expect(proxy.lines).toEqual([`CONNECT 127.0.0.1:${target.port}`]);
    expect(target.requests).toHaveLength(0);
  });

  test('a 403 refusal, with the proxy password masked in the reason; retry-on without proxy fails at once', async () => {
    const proxy = await startForwardProxy({ refuse: { status: 403, reason: 'Forbidden' } });
    open.push(proxy);
    const tls = await selfSignedCertificate();
    const target = await startHttpsServer(ok, tls);
    open.push(target);
    const env = { HTTPS_PROXY: proxy.origin.replace('http://', 'http://deploy:pr0xy-pass@') };

    const { result } = await run({ url: target.url('/'), 'ca-cert': tls.cert, 'expected-status': '403', 'retry-on': 'refused,status' }, env);
    expect(result.healthy).toBe(false);
    expect(result.end).toBe('fatal');
    expect(result.attempts).toBe(1);
    expect(result.lastFailure?.reason).toBe(`proxy ${proxy.origin.replace('http://', 'http://deploy:***@')} refused the tunnel: 403 Forbidden`);
    expect(proxy.requests[0]!.headers['proxy-authorization']).toBe(`Basic ${Buffer.from('deploy:pr0xy-pass').toString('base64')}`);
  });

  test('a proxy that is down is a proxy failure, not a refused target', async () => {
    const target = await serve(ok);
    const port = await freePort();
    for (const [env, url] of [
      [{ HTTP_PROXY: `http://127.0.0.1:${port}` }, target.url('/plain')],
      [{ HTTPS_PROXY: `http://127.0.0.1:${port}` }, `https://127.0.0.1:${target.port}/tunnelled`]
    ] as const) {
      const { result } = await run({ url, 'max-attempts': '2' }, env);
      expect(result.lastFailure?.kind).toBe('proxy');
      // A proxy that is down may come back: retried by default.
      expect(result.attempts).toBe(2);
      expect(result.lastFailure?.reason).toMatch(new RegExp(`^proxy http://127\\.0\\.0\\.1:${port} could not be reached: connection refused`));
      expect(result.status).toBeNull();
    }
    expect(target.requests).toHaveLength(0);
  });

  test('a proxy that never answers the CONNECT: a timeout that says it was waiting for the proxy', async () => {
    const silent = await startRawServer(() => {
      // Accepts the connection and says nothing.
    });
    open.push(silent);
    const { result } = await run({ url: 'https://127.0.0.1:1/', timeout: '300ms', 'max-attempts': '1' }, { HTTPS_PROXY: silent.origin });
    expect(result.lastFailure?.kind).toBe('timeout');
    expect(result.lastFailure?.reason).toBe(`timed out after 300ms waiting for proxy ${silent.origin}`);
  });

  test('a plain-http proxy answering 407 is a proxy failure too (407 only ever comes from a proxy)', async () => {
    const proxy = await startForwardProxy({ refuse: { status: 407, reason: 'Proxy Authentication Required' } });
    open.push(proxy);
    const target = await serve(ok);
    const { result } = await run({ url: target.url('/health'), 'expected-status': '4xx', 'max-attempts': '1' }, { HTTP_PROXY: proxy.origin });
    expect(result.healthy).toBe(false);
    expect(result.status).toBeNull();
    expect(result.lastFailure?.kind).toBe('proxy-auth');
    expect(result.lastFailure?.reason).toBe(`proxy ${proxy.origin} refused the request: 407 Proxy Authentication Required`);
    expect(target.requests).toHaveLength(0);
  });

  test('over plain http, a squid error page (X-Squid-Error) is the proxy\'s failure, not the target\'s 403', async () => {
    const proxy = await startForwardProxy({ refuse: { status: 403, reason: 'Forbidden', headers: { 'X-Squid-Error': 'ERR_ACCESS_DENIED 0', Via: '1.1 squid (squid/6.10)' } } });
    open.push(proxy);
    const target = await serve(ok);
    const { result } = await run({ url: target.url('/health'), 'expected-status': '4xx', 'max-attempts': '2' }, { HTTP_PROXY: proxy.origin });
    expect(result.healthy).toBe(false);
    expect(result.status).toBeNull();
    expect(result.lastFailure?.kind).toBe('proxy');
    expect(result.lastFailure?.reason).toBe(`proxy ${proxy.origin} refused the request: 403 Forbidden (X-Squid-Error: ERR_ACCESS_DENIED 0)`);
    // A 403 from the proxy may be lifted (an ACL reloaded): retried like a proxy that is down.
    expect(result.attempts).toBe(2);
    expect(target.requests).toHaveLength(0);
  });

  // Real forward proxies: the npm package `proxy` always; tinyproxy too where Debian's package is installed.
  const tinyproxy = tinyproxyPath();
  const realProxies: Array<[string, (basicAuth: [string, string]) => Promise<TestServer>]> = [['the npm proxy', (basicAuth) => startNpmProxy({ basicAuth })]];
  if (tinyproxy) realProxies.push(['tinyproxy', (basicAuth) => startTinyproxy(tinyproxy, { basicAuth })]);
  describe.each(realProxies)('through %s, a real forward proxy', (_name, startProxy) => {
    test('an https target through its tunnel; without its credentials, its 407 is a proxy failure', async () => {
      const proxy = await startProxy(['ci', 'tiny-pass-1']);
      open.push(proxy);
      const tls = await selfSignedCertificate();
      const target = await startHttpsServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'), tls);
      open.push(target);
      const inputs = { url: target.url('/health'), 'ca-cert': tls.cert, 'json-path': '$.status == "ok"', 'max-attempts': '1' };

      const through = await run(inputs, { HTTPS_PROXY: `http://ci:tiny-pass-1@127.0.0.1:${proxy.port}` });
      expect(through.result.lastFailure).toBeNull();
      expect(through.report.healthy).toBe(true);
      expect(target.requests.map((r) => r.url)).toEqual(['/health']);

      const refused = await run({ ...inputs, 'expected-status': '4xx' }, { HTTPS_PROXY: proxy.origin });
      expect(refused.report.healthy).toBe(false);
      expect(refused.result.lastFailure?.kind).toBe('proxy-auth');
      expect(refused.result.end).toBe('fatal');
      expect(refused.result.lastFailure?.reason).toBe(`proxy ${proxy.origin} refused the tunnel: 407 Proxy Authentication Required`);
      expect(target.requests).toHaveLength(1);
    });

    test('a plain-http target through it; without its credentials, its 407 is a proxy failure', async () => {
      const proxy = await startProxy(['ci', 'tiny-pass-2']);
      open.push(proxy);
      const target = await serve(ok);
      const through = await run({ url: target.url('/plain'), 'max-attempts': '1' }, { HTTP_PROXY: `http://ci:tiny-pass-2@127.0.0.1:${proxy.port}` });
      expect(through.result.lastFailure).toBeNull();
      expect(target.requests.map((r) => r.url)).toEqual(['/plain']);

      const refused = await run({ url: target.url('/plain'), 'expected-status': '4xx', 'max-attempts': '1' }, { HTTP_PROXY: proxy.origin });
      expect(refused.result.lastFailure?.kind).toBe('proxy-auth');
      expect(refused.result.end).toBe('fatal');
      expect(refused.result.lastFailure?.reason).toBe(`proxy ${proxy.origin} refused the request: 407 Proxy Authentication Required`);
      expect(target.requests).toHaveLength(1);
    });
  });
});

describe('NO_PROXY as curl reads it', () => {
  test('a CIDR range, a port and * bypass the proxy; another port does not', async () => {
    const proxy = await startForwardProxy();
    open.push(proxy);
    const server = await serve(ok);
    for (const noProxy of ['10.0.0.0/8, 127.0.0.0/8', `127.0.0.1:${server.port}`, '*', 'example.com,.internal, 127.0.0.1/32']) {
      const { report } = await run({ url: server.url('/direct') }, { HTTP_PROXY: proxy.origin, NO_PROXY: noProxy });
      expect([noProxy, report.healthy]).toEqual([noProxy, true]);
    }
    expect(proxy.lines).toEqual([]);
    const other = await run({ url: server.url('/proxied') }, { HTTP_PROXY: proxy.origin, NO_PROXY: `127.0.0.1:${server.port + 1},10.0.0.0/8` });
    expect(other.report.healthy).toBe(true);
    expect(proxy.lines).toEqual([`GET ${server.url('/proxied')}`]);
  });
});

describe('parallel URLs and timings', () => {
  test('20 URLs on one server are checked in parallel: all 20 requests are open at once', async () => {
    // The server answers none until all 20 have arrived: checked one at a time, the first would
    // wait for ever (its 30 s timeout), so one attempt each proves they were all in flight together.
    let arrived = 0;
    let allArrived!: () => void;
    const together = new Promise<void>((resolve) => (allArrived = resolve));
    const server = await serve(async (_req, res) => {
      arrived += 1;
      if (arrived === 20) allArrived();
      await together;
      res.end('ok');
    });
    const urls = Array.from({ length: 20 }, (_, i) => server.url(`/svc/${i}`));
    const { report } = await run({ url: urls.join('\n'), 'max-attempts': '1' });
    expect(report.healthy).toBe(true);
    expect(report.results).toHaveLength(20);
    expect(report.results.map((r) => r.url)).toEqual(urls);
    for (const result of report.results) {
      expect(result.healthy).toBe(true);
      expect(result.attempts).toBe(1);
    }
    expect(report.attempts).toBe(20);
    expect(server.requests).toHaveLength(20);
  });

  test('a URL that fails for good stops the others at once instead of waiting out the deadline', async () => {
    const tls = await selfSignedCertificate();
    const broken = await startHttpsServer(ok, tls);
    open.push(broken);
    const hanging = await serve(async (_req, res, { wait }) => {
      if (await wait(45_000)) res.end('too late');
    });
    const { report } = await run({ url: `${hanging.url('/slow')}\n${broken.url('/health')}`, timeout: '45s', deadline: '50s' });
    expect(report.healthy).toBe(false);
    const [slow, bad] = report.results;
    expect(bad!.end).toBe('fatal');
    expect(bad!.lastFailure?.kind).toBe('tls');
    expect(slow!.end).toBe('cancelled');
    expect(slow!.healthy).toBe(false);
    // Waiting for the hanging URL would take 45 s.
    expect(report.durationMs).toBeLessThan(20_000);
  });

  test('a plain http probe has connect and first-byte timings; an https one has tlsMs', async () => {
    const server = await serve(ok);
    const plain = await probe(server.url('/t'), { timeoutMs: PROBE_TIMEOUT_MS, env: {} });
    expect(plain.failure).toBeUndefined();
    expect(plain.timings.dnsMs).toBeNull();
    expect(typeof plain.timings.connectMs).toBe('number');
    expect(typeof plain.timings.firstByteMs).toBe('number');
    expect(plain.timings.tlsMs).toBeNull();
    expect(plain.timings.firstByteMs!).toBeGreaterThanOrEqual(plain.timings.connectMs!);
    expect(plain.timings.totalMs).toBeGreaterThanOrEqual(plain.timings.firstByteMs!);

    const tls = await selfSignedCertificate();
    const secure = await startHttpsServer(ok, tls);
    open.push(secure);
    const encrypted = await probe(secure.url('/t'), { timeoutMs: PROBE_TIMEOUT_MS, ca: [tls.cert], env: {} });
    expect(encrypted.failure).toBeUndefined();
    expect(typeof encrypted.timings.connectMs).toBe('number');
    expect(typeof encrypted.timings.tlsMs).toBe('number');
    expect(encrypted.timings.tlsMs!).toBeGreaterThanOrEqual(encrypted.timings.connectMs!);
    expect(encrypted.timings.firstByteMs!).toBeGreaterThanOrEqual(encrypted.timings.tlsMs!);
    expect(encrypted.timings.totalMs).toBeGreaterThanOrEqual(encrypted.timings.firstByteMs!);
  });
});
