// Throwaway servers for tests: each listens on 127.0.0.1 (port 0 unless told), records what it
// receives, and is closed by the test that started it. Nothing here talks to anything but loopback.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxy } from 'proxy';
import { generate } from 'selfsigned';

export const HOST = '127.0.0.1';

export interface RecordedRequest {
  method: string;
  /** The request target as sent: a path, or an absolute URL when a client talks to a proxy. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request head arrived. */
  at: number;
}

export interface HandlerContext {
  /** 0-based number of this request on this server. */
  index: number;
  request: RecordedRequest;
  /** Waits `ms`; resolves false at once if the server is closing or the client went away. */
  wait(ms: number): Promise<boolean>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, context: HandlerContext) => void | Promise<void>;

export interface TestServer {
  port: number;
  origin: string;
  url(path?: string): string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const MAX_RECORDED_BODY = 64 * 1024;

function attach(server: http.Server | https.Server, handler: Handler, requests: RecordedRequest[], closing: AbortSignal): void {
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '', at: performance.now() };
    const index = requests.push(recorded) - 1;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size < MAX_RECORDED_BODY) chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => {
      recorded.body = Buffer.concat(chunks).toString('utf8');
      const wait = (ms: number) =>
        new Promise<boolean>((resolve) => {
          if (closing.aborted || res.destroyed) return resolve(false);
          const stop = () => {
            clearTimeout(timer);
            closing.removeEventListener('abort', stop);
            res.off('close', stop);
            resolve(false);
          };
          const timer = setTimeout(() => {
            closing.removeEventListener('abort', stop);
            res.off('close', stop);
            resolve(!closing.aborted && !res.destroyed);
          }, ms);
          closing.addEventListener('abort', stop, { once: true });
          res.once('close', stop);
        });
      Promise.resolve()
        .then(() => handler(req, res, { index, request: recorded, wait }))
        .catch((error: Error) => {
          if (!res.headersSent) res.writeHead(500).end(`handler failed: ${error.message}`);
          else res.destroy();
        });
    });
  });
}

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closer(server: http.Server | https.Server | net.Server, sockets: Set<net.Socket>, controller: AbortController): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () =>
    (closed ??= new Promise<void>((resolve) => {
      controller.abort();
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    }));
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  const add = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  // For TLS servers 'connection' gives the raw socket; destroying it ends the TLS socket too.
  server.on('connection', add);
  return sockets;
}

function toTestServer(scheme: 'http' | 'https', port: number, requests: RecordedRequest[], close: () => Promise<void>): TestServer {
  const origin = `${scheme}://${HOST}:${port}`;
  return { port, origin, url: (path = '/') => `${origin}${path}`, requests, close };
}

/** A plain HTTP server on 127.0.0.1 (port 0 = any free port). */
export async function startServer(handler: Handler, options: { port?: number } = {}): Promise<TestServer> {
  const server = http.createServer();
  const requests: RecordedRequest[] = [];
  const controller = new AbortController();
  attach(server, handler, requests, controller.signal);
  const sockets = track(server);
  const port = await listen(server, options.port ?? 0);
  return toTestServer('http', port, requests, closer(server, sockets, controller));
}

export interface Certificate {
  cert: string;
  key: string;
}

let certificate: Promise<Certificate> | undefined;

/** A self-signed certificate for 127.0.0.1 and localhost (generated once per test file). */
export function selfSignedCertificate(): Promise<Certificate> {
  certificate ??= generate([{ name: 'commonName', value: HOST }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: HOST },
          { type: 2, value: 'localhost' }
        ]
      }
    ]
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return certificate;
}

/** An HTTPS server on 127.0.0.1 with the given certificate. */
export async function startHttpsServer(handler: Handler, tls: Certificate, options: { port?: number } = {}): Promise<TestServer> {
  const server = https.createServer({ cert: tls.cert, key: tls.key });
  server.on('tlsClientError', () => {
    // A client that rejects our certificate hangs up mid-handshake: expected in these tests.
  });
  const requests: RecordedRequest[] = [];
  const controller = new AbortController();
  attach(server, handler, requests, controller.signal);
  const sockets = track(server);
  const port = await listen(server, options.port ?? 0);
  return toTestServer('https', port, requests, closer(server, sockets, controller));
}

/** A port that was free a moment ago (listen on 0, note the port, close). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server, 0);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ProxyServer extends TestServer {
  /** Request lines seen, e.g. `GET http://127.0.0.1:1234/health` or `CONNECT 127.0.0.1:443`. */
  lines: string[];
}

export interface ForwardProxyOptions {
  /** Answer every request and CONNECT with this status instead (407 comes with Proxy-Authenticate). */
  refuse?: { status: number; reason: string; headers?: Record<string, string> };
}

/**
 * A tiny forward proxy: absolute-form requests are forwarded (loopback targets only) and the
 * answer streamed back; CONNECT opens a tunnel to a loopback port. Every request line is recorded.
 * With `refuse` it turns everything away, as a proxy that wants credentials or forbids the target.
 */
export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ProxyServer> {
  const refusal = options.refuse && {
    head: `HTTP/1.1 ${options.refuse.status} ${options.refuse.reason}\r\n${options.refuse.status === 407 ? 'Proxy-Authenticate: Basic realm="proxy"\r\n' : ''}${Object.entries(
      options.refuse.headers ?? {}
    )
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')}`,
    body: `${options.refuse.reason} (from the proxy)`
  };
  const server = http.createServer();
  const requests: RecordedRequest[] = [];
  const lines: string[] = [];
  const controller = new AbortController();
  const sockets = track(server);
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '', at: performance.now() };
    requests.push(recorded);
    lines.push(`${req.method} ${req.url}`);
    if (refusal) {
      res.socket?.end(`${refusal.head}Content-Length: ${Buffer.byteLength(refusal.body)}\r\nConnection: close\r\n\r\n${refusal.body}`);
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('a proxy needs an absolute-form request target');
      return;
    }
    if (target.hostname !== HOST || target.protocol !== 'http:') {
      res.writeHead(403).end('this test proxy only forwards to 127.0.0.1');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = http.request(target, { method: req.method, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502).end(`upstream failed: ${error.message}`);
      else res.destroy();
    });
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    lines.push(`CONNECT ${req.url}`);
    requests.push({ method: 'CONNECT', url: req.url ?? '', headers: req.headers, body: '', at: performance.now() });
    if (refusal) {
      client.end(`${refusal.head}Content-Length: ${Buffer.byteLength(refusal.body)}\r\n\r\n${refusal.body}`);
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    if (host !== HOST || !port) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(port), HOST, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listen(server, 0);
  return { ...toTestServer('http', port, requests, closer(server, sockets, controller)), lines };
}

/**
 * Streams `total` bytes of filler to `res`, honouring backpressure, so the server never holds more
 * than one chunk. Resolves with the bytes handed to the socket and whether all were sent.
 */
export function streamFiller(res: http.ServerResponse, total: number, chunkBytes = 64 * 1024): Promise<{ sent: number; complete: boolean }> {
  const chunk = Buffer.alloc(chunkBytes, 'x');
  let sent = 0;
  return new Promise((resolve) => {
    let done = false;
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      resolve({ sent, complete });
    };
    res.once('close', () => finish(sent >= total && res.writableFinished));
    const pump = () => {
      while (!res.destroyed && sent < total) {
        const piece = total - sent >= chunk.length ? chunk : chunk.subarray(0, total - sent);
        sent += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed && sent >= total) res.end(() => finish(true));
    };
    pump();
  });
}

/** A raw TCP server: `onConnection` gets each socket and may write anything (or nothing) to it. */
export async function startRawServer(onConnection: (socket: net.Socket, index: number) => void): Promise<TestServer> {
  const server = net.createServer();
  const sockets = track(server);
  const requests: RecordedRequest[] = [];
  let connections = 0;
  server.on('connection', (socket) => {
    socket.on('error', () => {
      // The client may hang up first; that is what these tests provoke.
    });
    onConnection(socket, connections++);
  });
  const port = await listen(server, 0);
  return toTestServer('http', port, requests, closer(server, sockets, new AbortController()));
}

/**
 * The npm package `proxy` (the forward proxy of the proxy-agents project, which the proxy agents we
 * use are tested against) on 127.0.0.1, optionally demanding Basic credentials: a real forward
 * proxy nobody here wrote, installed with the project, so it runs wherever the tests do.
 */
export async function startNpmProxy(options: { basicAuth?: [user: string, password: string] } = {}): Promise<TestServer> {
  const server = createProxy(http.createServer());
  if (options.basicAuth) {
    const expected = `Basic ${Buffer.from(options.basicAuth.join(':')).toString('base64')}`;
    server.authenticate = (req) => req.headers['proxy-authorization'] === expected;
  }
  const sockets = track(server);
  const port = await listen(server, 0);
  return toTestServer('http', port, [], closer(server, sockets, new AbortController()));
}

/** Where tinyproxy is installed, if it is: a second real forward proxy, from Debian. */
export function tinyproxyPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin'])) {
    const path = `${dir}/tinyproxy`;
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Starts tinyproxy on 127.0.0.1 (allowing loopback clients only), optionally with Basic
 * credentials it demands. Resolves once it accepts connections; close() stops it.
 */
export async function startTinyproxy(path: string, options: { basicAuth?: [user: string, password: string] } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyproxy-'));
  const port = await freePort();
  const config = [
    `Port ${port}`,
    `Listen ${HOST}`,
    `Allow ${HOST}`,
    'Timeout 30',
    'MaxClients 50',
    'LogLevel Warning',
    'DisableViaHeader Yes',
    ...(options.basicAuth ? [`BasicAuth ${options.basicAuth[0]} ${options.basicAuth[1]}`] : [])
  ];
  writeFileSync(join(dir, 'tinyproxy.conf'), `${config.join('\n')}\n`);
  const child = spawn(path, ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let tries = 0; ; tries++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, HOST, () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (tries >= 100 || child.exitCode !== null) {
      await close();
      throw new Error(`tinyproxy did not start: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return toTestServer('http', port, [], close);
}

/**
 * A service a monitor watches: 401 without `Bearer <token>`, else 200 `{"status":"ok"}` while
 * `healthy()` says so and 503 `{"status":"degraded"}` when it does not (the test flips it).
 */
export function startMonitoredService(token: string, healthy: () => boolean): Promise<TestServer> {
  return startServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    const ok = healthy();
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded' }));
  });
}
