// Kept-alive connections (smoke suites reuse them): a server may close one just as it is reused.
// That is no failure of the service, and the probe must not report one. And a connection reused for
// many requests gathers nothing per request.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import dc from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { probe } from '@deploy-actions/http';

let server: Server;
let url: string;
const perSocket = new WeakMap<Socket, number>();
let requests = 0;
let dropped = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    const seen = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, seen);
    // The second request on any connection finds it gone: the server closed it at that moment.
    if (seen === 2) {
      dropped += 1;
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('keep-alive', () => {
  it('sends a request again on a fresh connection when its kept-alive one was closed', async () => {
    const first = await probe(url, { timeoutMs: 30_000, keepAlive: true });
    const second = await probe(url, { timeoutMs: 30_000, keepAlive: true });
    expect(first.response?.status).toBe(200);
    expect(second.failure).toBeUndefined();
    expect(second.response?.status).toBe(200);
    // The second probe reused the first connection, lost it, and went again on a new one.
    expect(dropped).toBe(1);
    expect(requests).toBe(3);
  });

  it('without keep-alive every probe has a connection of its own', async () => {
    const before = requests;
    const result = await probe(url, { timeoutMs: 30_000 });
    expect(result.response?.status).toBe(200);
    expect(result.timings.connectMs).not.toBeNull();
    expect(requests - before).toBe(1);
  });
});

describe('one kept-alive connection for many requests', () => {
  const PHASE_EVENTS = ['lookup', 'connect', 'secureConnect'] as const;
  let steady: Server;
  let steadyUrl: string;
  let connections = 0;

  beforeAll(async () => {
    steady = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    steady.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => steady.listen(0, '127.0.0.1', resolve));
    steadyUrl = `http://127.0.0.1:${(steady.address() as AddressInfo).port}/steady`;
  });

  afterAll(async () => {
    steady.closeAllConnections();
    await new Promise((resolve) => steady.close(resolve));
  });

  // (Node's MaxListenersExceededWarning goes to the process, which a test here does not see: the
  // smoke-test integration test looks for it in the bundle's stderr.)
  it('adds no timing listeners to a reused socket and times no connect phase on it', async () => {
    // Every client socket Node opens, seen through its own diagnostics channel.
    const sockets: Socket[] = [];
    const onSocket = (message: unknown) => sockets.push((message as { socket: Socket }).socket);
    dc.subscribe('net.client.socket', onSocket);
    try {
      const counts: number[][] = [];
      const results = [];
      for (let i = 0; i < 25; i++) {
        results.push(await probe(steadyUrl, { timeoutMs: 30_000, keepAlive: true }));
        counts.push(PHASE_EVENTS.map((event) => sockets[0]?.listenerCount(event) ?? -1));
      }
      expect(results.every((r) => r.response?.status === 200 && r.failure === undefined)).toBe(true);
      // All 25 went over one connection.
      expect(connections).toBe(1);
      expect(sockets).toHaveLength(1);
      // No growth, and none left behind once a request is done.
      expect(counts.at(-1)).toEqual(counts[0]);
      expect(counts.every((c) => c.every((n) => n === 0))).toBe(true);
      // The first request opened the connection; the others found it open.
      expect(results[0]!.timings.connectMs).not.toBeNull();
      for (const r of results.slice(1)) expect([r.timings.dnsMs, r.timings.connectMs, r.timings.tlsMs]).toEqual([null, null, null]);
    } finally {
      dc.unsubscribe('net.client.socket', onSocket);
    }
  });
});
