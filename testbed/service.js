// The local test bed's service: a small API that starts up slowly the way a fresh deploy does, with
// the routes a smoke suite walks (log in, read, write) and the awkward ones (slow, flaky, broken
// JSON). The demo, the end-to-end tests and the benchmarks run our actions against it, on
// 127.0.0.1 only.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

export const DEMO_PASSWORD = 'correct-horse-battery';

/** Reads a request body (capped: this is a test bed, not a sink) and parses it as JSON when it says so. */
function readBody(req) {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk) => {
      if (text.length < 64 * 1024) text += chunk;
    });
    req.on('end', () => {
      if (!/json/.test(req.headers['content-type'] ?? '')) return resolve(text);
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(undefined);
      }
    });
  });
}

/**
 * @param {{ readyAfterMs?: number, version?: string, port?: number, latencyMs?: number }} [options]
 */
export async function startService({ readyAfterMs = 0, version = 'v1', port = 0, latencyMs = 0 } = {}) {
  const startedAt = Date.now();
  const readyAt = startedAt + readyAfterMs;
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let nextId = 1;
  const tokens = new Map();
  const items = new Map();
  const flakyCounts = new Map();
  const server = createServer(async (req, res) => {
    requests += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    const ready = Date.now() >= readyAt;
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-service-version': version });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const user = tokens.get((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
    if (path === '/login' && req.method === 'POST') {
      const body = await readBody(req);
      if (!body || typeof body.user !== 'string' || body.password !== DEMO_PASSWORD) return send(401, { error: 'bad credentials' });
      const token = `tok_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
      tokens.set(token, body.user);
      return send(200, { token, user: { name: body.user } });
    }
    if (path === '/me') return user ? send(200, { name: user, version }) : send(401, { error: 'no valid token' });
    if (path === '/items' && req.method === 'POST') {
      if (!user) return send(401, { error: 'no valid token' });
      const body = await readBody(req);
      if (!body || typeof body.name !== 'string') return send(400, { error: 'name is required' });
      const item = { id: nextId++, name: body.name, owner: user };
      items.set(item.id, item);
      res.setHeader('location', `/items/${item.id}`);
      return send(201, item);
    }
    if (path === '/items') return send(200, { items: [...items.values()] });
    const itemMatch = /^\/items\/(\d+)$/.exec(path);
    if (itemMatch) {
      const item = items.get(Number(itemMatch[1]));
      if (!item) return send(404, { error: 'no such item' });
      if (req.method === 'DELETE') {
        if (!user) return send(401, { error: 'no valid token' });
        items.delete(item.id);
        return send(204);
      }
      return send(200, item);
    }
    if (path === '/slow') {
      const ms = Math.min(Number(url.searchParams.get('ms') ?? 300), 10_000);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return send(200, { waited: ms });
    }
    if (path === '/flaky') {
      // Fails the first `fail` requests of each `key`, then answers 200: a retry makes it pass.
      const key = url.searchParams.get('key') ?? 'default';
      const seen = (flakyCounts.get(key) ?? 0) + 1;
      flakyCounts.set(key, seen);
      return seen <= Number(url.searchParams.get('fail') ?? 1) ? send(503, { error: 'try again', attempt: seen }) : send(200, { ok: true, attempt: seen });
    }
    if (path === '/invalid-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"status": "ok", oops');
    }
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
    maxInFlight: () => maxInFlight,
    resetCounters: () => {
      requests = 0;
      maxInFlight = inFlight;
      flakyCounts.clear();
    },
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
