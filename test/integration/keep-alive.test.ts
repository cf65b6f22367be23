// Kept-alive connections (smoke suites reuse them): a server may close one just as it is reused.
// That is no failure of the service, and the probe must not report one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
