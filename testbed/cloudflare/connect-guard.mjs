// A Node preload (`NODE_OPTIONS=--import=<this file>`, inherited by child Node processes such as the one
// wrangler's bin re-spawns) that records every outbound connection attempt of the process (TCP/TLS
// connects, UDP sends, DNS lookups and queries) as JSON lines in $CONNECT_GUARD_LOG, and refuses those
// not aimed at the loopback interface before anything leaves the machine, so a test that finds one
// has stayed hermetic while finding it.
//
// Covers JavaScript in Node processes (net, tls, undici and fetch on top of them, dgram, dns); native
// programs (workerd, esbuild) are not covered.

import dgram from 'node:dgram';
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import { isIP } from 'node:net';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

const logFile = process.env.CONNECT_GUARD_LOG;

function record(entry) {
  const line = JSON.stringify({ pid: process.pid, ...entry, allowed: isLoopback(entry.host) });
  if (logFile) appendFileSync(logFile, `${line}\n`);
}

/** 127.0.0.0/8, ::1 and localhost; no host at all means localhost to Node. */
function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true;
  const name = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  if (name === 'localhost' || name === '::1') return true;
  const v4 = name.startsWith('::ffff:') ? name.slice(7) : name;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

function refusal(host, port) {
  return Object.assign(new Error(`connect-guard: refused a connection to ${host}${port === undefined ? '' : `:${port}`} (not loopback)`), {
    code: 'ECONNREFUSED'
  });
}

/** The target of Socket#connect's many call forms, including Node's internal normalized array. */
function connectTarget(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') return { host: first.host, port: first.port, path: first.path };
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : undefined, port: Number(first) };
  }
  if (typeof first === 'string') return { path: first };
  return {};
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const target = connectTarget(args);
  if (target.path !== undefined) {
    if (logFile) appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, kind: 'ipc', path: String(target.path), allowed: true })}\n`);
    return originalConnect.apply(this, args);
  }
  record({ kind: 'connect', host: target.host, port: target.port });
  if (isLoopback(target.host)) return originalConnect.apply(this, args);
  process.nextTick(() => this.destroy(refusal(target.host, target.port)));
  return this;
};

const originalLookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  record({ kind: 'lookup', host: hostname });
  if (isLoopback(hostname)) return originalLookup.call(this, hostname, options, callback);
  process.nextTick(() => done(Object.assign(refusal(hostname), { code: 'ENOTFOUND', hostname })));
  return {};
};

const originalPromisesLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromisesLookup(hostname, options) {
  record({ kind: 'lookup', host: hostname });
  if (isLoopback(hostname)) return originalPromisesLookup.call(this, hostname, options);
  throw Object.assign(refusal(hostname), { code: 'ENOTFOUND', hostname });
};

// DNS queries (dns.resolve*, dns.reverse and their Resolver forms) always go to a name server.
function guardQueries(target, asPromise) {
  for (const name of Object.keys(target)) {
    if (!/^(resolve|reverse)/.test(name) || typeof target[name] !== 'function') continue;
    const original = target[name];
    target[name] = function guardedQuery(host, ...rest) {
      record({ kind: 'query', host: String(host), method: name });
      const error = Object.assign(refusal(String(host)), { code: 'ECONNREFUSED', hostname: host });
      if (asPromise) return Promise.reject(error);
      const done = rest.findLast((arg) => typeof arg === 'function');
      if (done) process.nextTick(() => done(error));
      return undefined;
    };
    Object.defineProperty(target[name], 'name', { value: original.name });
  }
}
guardQueries(dns, false);
guardQueries(dns.promises, true);
guardQueries(dns.Resolver.prototype, false);
guardQueries(dns.promises.Resolver.prototype, true);

const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(message, ...rest) {
  const strings = rest.filter((arg) => typeof arg === 'string');
  const numbers = rest.filter((arg) => typeof arg === 'number');
  const host = strings.at(-1);
  const port = numbers.length >= 3 ? numbers[2] : numbers.at(-1);
  record({ kind: 'udp', host, port });
  if (isLoopback(host)) return originalSend.call(this, message, ...rest);
  const done = rest.findLast((arg) => typeof arg === 'function');
  if (done) process.nextTick(() => done(refusal(host, port)));
  return undefined;
};

const originalUdpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function guardedUdpConnect(port, address, callback) {
  const host = typeof address === 'string' ? address : undefined;
  record({ kind: 'udp', host, port });
  if (isLoopback(host)) return originalUdpConnect.call(this, port, address, callback);
  const done = typeof address === 'function' ? address : callback;
  if (done) process.nextTick(() => done(refusal(host, port)));
  return undefined;
};

syncBuiltinESMExports();
