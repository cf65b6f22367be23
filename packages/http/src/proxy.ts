// Which proxy a request goes through: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY, read the way
// curl reads them. NO_PROXY takes `*`, host names (a name covers its subdomains, with or without a
// leading `.` or `*.`), IP addresses and CIDR ranges (IPv4 and IPv6), each optionally with `:port`.
import { BlockList, isIP } from 'node:net';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** A variable in either case; the lower-case one wins, as in curl. */
function read(env: NodeJS.ProcessEnv, name: string): string {
  return (env[name.toLowerCase()] || env[name.toUpperCase()] || '').trim();
}

/** The proxy URL for `url`, or undefined for a direct connection. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): string | undefined {
  const proxy = read(env, `${url.protocol.slice(0, -1)}_proxy`) || read(env, 'all_proxy');
  if (!proxy || bypassesProxy(url, read(env, 'no_proxy'))) return undefined;
  // A proxy given without a scheme is an http proxy, whatever the scheme of the request.
  return proxy.includes('://') ? proxy : `http://${proxy}`;
}

/** Whether NO_PROXY names the host (and port) of `url`. */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  const family = isIP(host);
  for (const item of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (item === '') continue;
    if (item === '*') return true;
    const { name, port: only } = splitPort(item);
    if (only !== undefined && only !== port) continue;
    const range = /^(.+)\/(\d{1,3})$/.exec(name);
    if (range || isIP(name)) {
      if (family && inRange(host, family, range ? range[1]! : name, range ? Number(range[2]) : undefined)) return true;
      continue;
    }
    const suffix = name.replace(/^\*?\.+/, '').replace(/\.$/, '');
    if (suffix !== '' && (host === suffix || host.endsWith(`.${suffix}`))) return true;
  }
  return false;
}

/** `host:port`, `[v6]:port`, or a bare name or address (an IPv6 address has colons of its own). */
function splitPort(item: string): { name: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(item);
  if (bracketed) return { name: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : undefined };
  const withPort = /^([^:]+):(\d+)$/.exec(item);
  return withPort ? { name: withPort[1]!, port: Number(withPort[2]) } : { name: item };
}

function inRange(host: string, family: number, network: string, prefix: number | undefined): boolean {
  const networkFamily = isIP(network);
  if (networkFamily !== family) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  try {
    if (prefix === undefined) list.addAddress(network, type);
    else list.addSubnet(network, prefix, type);
  } catch {
    // A prefix longer than the address: an entry that matches nothing, as curl treats it.
    return false;
  }
  return list.check(host, type);
}
