import { describe, expect, it } from '@jest/globals';
import { bypassesProxy, proxyFor } from '@deploy-actions/http';

const bypasses = (url: string, noProxy: string) => bypassesProxy(new URL(url), noProxy);

describe('NO_PROXY, as curl reads it', () => {
  it('CIDR ranges and addresses, IPv4 and IPv6', () => {
    expect(bypasses('http://10.1.2.3/', '10.0.0.0/8')).toBe(true);
    expect(bypasses('http://11.1.2.3/', '10.0.0.0/8')).toBe(false);
    expect(bypasses('http://127.0.0.53:8080/', '192.168.0.0/16, 127.0.0.0/8')).toBe(true);
    expect(bypasses('http://[::1]:8080/', '::1')).toBe(true);
    expect(bypasses('http://[fd00::12]/', 'fd00::/8')).toBe(true);
    expect(bypasses('http://[fe80::1]/', 'fd00::/8')).toBe(false);
    expect(bypasses('http://[::1]/', '[::1]')).toBe(true);
    // A name is never compared with a range: curl does not resolve it either.
    expect(bypasses('http://localhost/', '127.0.0.0/8')).toBe(false);
    expect(bypasses('http://10.0.0.1/', '10.0.0.0/99')).toBe(false);
  });

  it('a name covers itself and its subdomains, with or without a leading . or *.', () => {
    for (const entry of ['example.com', '.example.com', '*.example.com', 'EXAMPLE.com.']) {
      expect([entry, bypasses('https://api.example.com/', entry), bypasses('https://example.com/', entry)]).toEqual([entry, true, true]);
    }
    expect(bypasses('https://notexample.com/', 'example.com')).toBe(false);
    expect(bypasses('https://example.com.evil.io/', 'example.com')).toBe(false);
  });

  it('host:port applies to that port only; the default port counts', () => {
    expect(bypasses('http://api.internal:8080/', 'api.internal:8080')).toBe(true);
    expect(bypasses('http://api.internal:9090/', 'api.internal:8080')).toBe(false);
    expect(bypasses('https://api.internal/', 'api.internal:443')).toBe(true);
    expect(bypasses('http://[::1]:8080/', '[::1]:8080')).toBe(true);
    expect(bypasses('http://[::1]:8081/', '[::1]:8080')).toBe(false);
    expect(bypasses('http://10.0.0.7:5000/', '10.0.0.0/8:5000')).toBe(true);
    expect(bypasses('http://10.0.0.7:5001/', '10.0.0.0/8:5000')).toBe(false);
  });

  it('* bypasses everything; blanks and separators are ignored', () => {
    expect(bypasses('https://anything.example/', '*')).toBe(true);
    expect(bypasses('https://anything.example/', ' , ,')).toBe(false);
    expect(bypasses('https://b.example/', 'a.example b.example')).toBe(true);
  });
});

describe('proxyFor', () => {
  it('the scheme\'s proxy, then ALL_PROXY; lower case first; no scheme means an http proxy', () => {
    expect(proxyFor(new URL('https://api.example.com/'), { HTTPS_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128');
    expect(proxyFor(new URL('https://api.example.com/'), { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' })).toBe('http://a:1');
    expect(proxyFor(new URL('http://api.example.com/'), { HTTPS_PROXY: 'http://a:1' })).toBeUndefined();
    expect(proxyFor(new URL('http://api.example.com/'), { ALL_PROXY: 'http://all:1' })).toBe('http://all:1');
    expect(proxyFor(new URL('http://10.2.3.4/'), { HTTP_PROXY: 'http://p:1', NO_PROXY: '10.0.0.0/8' })).toBeUndefined();
    expect(proxyFor(new URL('http://10.2.3.4/'), { HTTP_PROXY: 'http://p:1', no_proxy: '', NO_PROXY: '10.0.0.0/8' })).toBeUndefined();
  });
});
