// The local test bed's service: a small API that starts up slowly the way a fresh deploy does.
// The demo, the end-to-end tests and the benchmarks run our actions against it, on 127.0.0.1 only.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/**
 * @param {{ readyAfterMs?: number, version?: string, port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, readyAt: number, requests: () => number, close: () => Promise<void> }>}
 */
export async function startService({ readyAfterMs = 0, version = 'v1', port = 0 } = {}) {
  const startedAt = Date.now();
  const readyAt = startedAt + readyAfterMs;
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const ready = Date.now() >= readyAt;
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-service-version': version });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/health') {
      if (!ready) {
        res.setHeader('retry-after', '1');
        return send(503, { status: 'starting', version: null, checks: { db: 'connecting' } });
      }
      return send(200, { status: 'ok', version, uptimeMs: Date.now() - readyAt, checks: { db: 'up', cache: 'up' } });
    }
    if (path === '/version') return send(200, { version });
    send(404, { error: `no route ${path}` });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    readyAt,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}

// `node testbed/service.js [port] [ready-after-ms] [version]` serves until stopped.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [port = '8787', readyAfter = '3000', version = 'v1'] = process.argv.slice(2);
  const service = await startService({ port: Number(port), readyAfterMs: Number(readyAfter), version });
  console.log(`test bed service on ${service.url} (healthy after ${readyAfter}ms, version ${version})`);
}
