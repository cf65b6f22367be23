// What a user of health-check sees when it meets real peers: redirects that change where (and how
// safely) the answer comes from, credentials in query strings, a proxy that refuses its
// credentials, inputs that name a directory. Run through the bundle, as the runner runs it.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction, type ActionRun } from '@deploy-actions/harness';
import { selfSignedCertificate, startHttpsServer, startNpmProxy, startRawServer, startServer, type Handler, type TestServer } from '../helpers/servers.js';

const actionDir = fileURLToPath(new URL('../../actions/health-check', import.meta.url));

const open: TestServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});
async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  open.push(server);
  return server;
}

const echo: Handler = (req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`you asked for ${req.url}`);
};
const errorsOf = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const warningsOf = (run: ActionRun) => run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
/** Everything a user can read, except the ::add-mask:: commands that register the secrets. */
const everything = (run: ActionRun) =>
  [run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n'), run.stderr, run.summary, ...Object.values(run.outputs)].join('\n');

describe('redirects', () => {
  it('a failure after a redirect names the URL the response came from; results carry it as final-url', async () => {
    const target = await serve(echo);
    const start = await serve((_req, res) => void res.writeHead(302, { location: target.url('/echo?token=tok-77x1') }).end());
    const run = await runAction({ actionDir, inputs: { url: start.url('/start'), 'expected-status': '418', 'max-attempts': '1' } });
    expect(run.exitCode).toBe(1);
    const shown = `${target.url('/echo')}?token=***`;
    expect(errorsOf(run)[0]).toBe(`${start.url('/start')}: not healthy after 1 attempt; last: status: expected 418, got 200 from ${shown} after 1 redirect`);
    expect(run.stdout).toContain(`attempt 1: status: expected 418, got 200 from ${shown} after 1 redirect (`);
    const [result] = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>;
    expect(result).toMatchObject({ url: start.url('/start'), 'final-url': shown, status: 200 });
    // A token in a redirect's Location is masked although nobody registered it.
    expect(everything(run)).not.toContain('tok-77x1');
  });

  it('an https to http redirect is followed, with one warning naming both ends', async () => {
    const tls = await selfSignedCertificate();
    const plain = await serve(echo);
    const secure = await startHttpsServer((_req, res) => void res.writeHead(301, { location: plain.url('/echo') }).end(), tls);
    open.push(secure);
    const run = await runAction({ actionDir, inputs: { url: secure.url('/health'), 'ca-cert': tls.cert, 'consecutive-successes': '2', interval: '10ms' } });
    expect(run.exitCode).toBe(0);
    const downgrades = warningsOf(run).filter((w) => w.includes('redirected from https to plain http'));
    expect(downgrades).toEqual([
      `${secure.url('/health')}: redirected from https to plain http (${secure.url('/health')} -> ${plain.url('/echo')}); what follows is not encrypted. Set follow-redirects: false to refuse redirects.`
    ]);
    const [result] = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>;
    expect(result).toMatchObject({ healthy: true, 'final-url': plain.url('/echo') });
  });
});

describe('failures no retry can fix', () => {
  it('a 407 from a real proxy is not retried, and says so in the same words in the log and the annotation', async () => {
    const proxy = await startNpmProxy({ basicAuth: ['ci', 'proxy-pass-3'] });
    open.push(proxy);
    const target = await serve(echo);
    const run = await runAction({ actionDir, inputs: { url: target.url('/health'), 'expected-status': '4xx', deadline: '1m' }, env: { HTTP_PROXY: proxy.origin } });
    expect(run.exitCode).toBe(1);
    const reason = `proxy ${proxy.origin} refused the request: 407 Proxy Authentication Required`;
    expect(errorsOf(run)[0]).toBe(`${target.url('/health')}: ${reason}; proxy-auth failures are not retried`);
    expect(run.stdout).toMatch(new RegExp(`attempt 1: ${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\S+\\); proxy-auth failures are not retried`));
    expect(run.stdout).not.toContain('attempt 2');
    expect(target.requests).toHaveLength(0);
  });

  it('a JSON check on a body cut at max-body-size fails at once, naming the input', async () => {
    const server = await serve((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', pad: 'x'.repeat(4000) })));
    const run = await runAction({ actionDir, inputs: { url: server.url('/big'), 'json-path': '$.status == "ok"', 'max-body-size': '1KiB', deadline: '1m' } });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(/: \$\.status: expected a JSON body, got a body cut at max-body-size \(1KiB\), so not complete JSON; body starts .*; body-size failures are not retried$/);
    expect(server.requests).toHaveLength(1);
  });

  it('the summary shows a status without a reason phrase without a trailing space', async () => {
    // A status line with an empty reason phrase, as HTTP/1.1 allows (Node's server always fills one in).
    const server = await startRawServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 418 \r\ncontent-length: 2\r\nconnection: close\r\n\r\nno'));
    });
    open.push(server);
    const run = await runAction({ actionDir, inputs: { url: server.url('/tea'), 'max-attempts': '1' } });
    expect(run.summary).toMatch(/\*\*Last status:\*\* 418\n/);
  });
});

describe('inputs', () => {
  it('ca-cert naming a directory is an input error in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-dir-'));
    try {
      const run = await runAction({ actionDir, inputs: { url: 'http://127.0.0.1:1/', 'ca-cert': dir } });
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run)).toEqual([`input ca-cert: ${JSON.stringify(dir)} is a directory, not a file; expected a path to a PEM file, or PEM text`]);
      expect(run.stdout).not.toMatch(/attempt \d/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('credential query parameters are masked everywhere and registered as secrets; others stay readable', async () => {
    const server = await serve(echo);
    const url = server.url('/health?api_key=K3yValue9&access_token=acc-55&sig=s1gn4ture&page=2');
    const run = await runAction({ actionDir, inputs: { url, 'expected-status': '418', 'max-attempts': '1' } });
    expect(run.exitCode).toBe(1);
    expect(run.masks).toEqual(expect.arrayContaining(['K3yValue9', 'acc-55', 's1gn4ture']));
    const shown = server.url('/health?api_key=***&access_token=***&sig=***&page=2');
    expect(errorsOf(run)[0]).toContain(shown);
    const [result] = JSON.parse(run.outputs.results ?? '[]') as Array<Record<string, unknown>>;
    expect(result).toMatchObject({ url: shown });
    for (const secret of ['K3yValue9', 'acc-55', 's1gn4ture']) expect(everything(run)).not.toContain(secret);
  });

  it('a URL listed twice is checked once, in its first place, and the log says so', async () => {
    const server = await serve(echo);
    const run = await runAction({ actionDir, inputs: { url: `${server.url('/a')}\n${server.url('/b')}\n${server.url('/a')}` } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`${server.url('/a')} is listed more than once in url; it is checked once`);
    expect(server.requests.map((r) => r.url)).toEqual(expect.arrayContaining(['/a', '/b']));
    expect(server.requests).toHaveLength(2);
    expect((JSON.parse(run.outputs.results ?? '[]') as Array<{ url: string }>).map((r) => r.url)).toEqual([server.url('/a'), server.url('/b')]);
  });

  it('insecure warns only where TLS is spoken: not for plain http URLs, but for https ones', async () => {
    const server = await serve(echo);
    const plain = await runAction({ actionDir, inputs: { url: server.url('/'), insecure: 'true' } });
    expect(plain.exitCode).toBe(0);
    expect(warningsOf(plain)).toEqual([]);

    const tls = await selfSignedCertificate();
    const secure = await startHttpsServer(echo, tls);
    open.push(secure);
    const run = await runAction({ actionDir, inputs: { url: `${server.url('/')}\n${secure.url('/')}`, insecure: 'true' } });
    expect(run.exitCode).toBe(0);
    expect(warningsOf(run)).toEqual([expect.stringContaining('TLS certificates are not verified')]);
  });
});
