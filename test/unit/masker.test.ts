import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Masker, isCredentialHeader, redactUrl, secretHeaderValues, urlCredentials, urlQuerySecrets } from '@deploy-actions/report';

describe('credentials in query strings', () => {
  it('finds the values of parameters named like credential headers, as written and decoded, and leaves others alone', () => {
    const url = 'https://api.example.com/health?api_key=K3y%2Bz&token=t0k&access_token=at1&password=pw9&sig=s1g&page=2&lang=en';
    expect(urlQuerySecrets(url)).toEqual(['K3y%2Bz', 'K3y+z', 't0k', 'at1', 'pw9', 's1g']);
    expect(redactUrl(url)).toBe('https://api.example.com/health?api_key=***&token=***&access_token=***&password=***&sig=***&page=2&lang=en');
    expect(redactUrl('see http://h/x?q=1&X-Amz-Signature=abc#top')).toBe('see http://h/x?q=1&X-Amz-Signature=***#top');
  });
  it('masks them through a Masker, even when never registered (a redirect\'s Location)', () => {
    expect(new Masker().mask('from http://127.0.0.1:1/next?session=ab after 1 redirect')).toBe('from http://127.0.0.1:1/next?session=*** after 1 redirect');
    // Inside JSON the value ends at the quote.
    expect(new Masker().mask('{"final-url":"http://h/x?token=t1","ok":true}')).toBe('{"final-url":"http://h/x?token=***","ok":true}');
  });
});

describe('Masker', () => {
  it('masks a secret, its bare credential and its encoded forms, longest first', () => {
    const masker = new Masker();
    masker.add('Bearer a+b/c"d');
    masker.add('a+b');
    expect(masker.mask('h: Bearer a+b/c"d; bare a+b/c"d; url a%2Bb%2Fc%22d; json a+b/c\\"d; part a+b')).toBe('h: ***; bare ***; url ***; json ***; part ***');
  });

  it('leaves short values and short numbers alone: masking them would corrupt every report', () => {
    const masker = new Masker();
    for (const value of ['ab', '201', '250', '1234567', '3.5']) masker.add(value);
    expect(masker.mask('{"status":201,"latency":250,"id":1234567}')).toBe('{"status":201,"latency":250,"id":1234567}');
    masker.add('12345678901234');
    expect(masker.mask('card 12345678901234')).toBe('card ***');
  });

  it('treats regular-expression characters in secrets literally', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 3, maxLength: 20 }).filter((s) => s.trim() === s && !/^-?\d+(\.\d+)?$/.test(s)), (secret) => {
        const masker = new Masker();
        masker.add(secret);
        expect(masker.mask(`before ${secret} after`)).not.toContain(secret);
      })
    );
  });

  it('notices secrets added after it has masked', () => {
    const masker = new Masker();
    masker.add('first-secret');
    expect(masker.mask('first-secret second-secret')).toBe('*** second-secret');
    masker.add('second-secret');
    expect(masker.mask('first-secret second-secret')).toBe('*** ***');
  });
});

describe('which header values are secrets', () => {
  it('credential headers by name, whatever the case; ordinary headers stay readable', () => {
    for (const name of ['Authorization', 'proxy-authorization', 'Cookie', 'Set-Cookie', 'X-API-Key', 'apikey', 'X-Auth-Token', 'X-Client-Secret', 'X-Password', 'X-Session-Id', 'Private-Token']) {
      expect([name, isCredentialHeader(name)]).toEqual([name, true]);
    }
    for (const name of ['Accept', 'Content-Type', 'User-Agent', 'X-Team', 'X-Request-Id', 'Cache-Control']) {
      expect([name, isCredentialHeader(name)]).toEqual([name, false]);
    }
  });

  it('secretHeaderValues keeps credential values and the headers the user named, nothing else', () => {
    const headers: Array<[string, string]> = [
      ['Accept', 'text/plain'],
      ['Authorization', 'Bearer abc123'],
      ['X-Tenant', 'acme-internal'],
      ['X-Team', 'platform']
    ];
    expect(secretHeaderValues(headers)).toEqual(['Bearer abc123']);
    expect(secretHeaderValues(headers, ['x-tenant'])).toEqual(['Bearer abc123', 'acme-internal']);
  });
});

describe('passwords in URLs', () => {
  it('urlCredentials gives the password as written and decoded, and the Basic credential a client sends; none without one', () => {
    const basic = (pair: string) => Buffer.from(pair).toString('base64');
    expect(urlCredentials('https://deploy:s3cr%40t@example.com/health')).toEqual(['s3cr%40t', 's3cr@t', basic('deploy:s3cr@t')]);
    expect(urlCredentials('https://deploy:hunter22@example.com/')).toEqual(['hunter22', basic('deploy:hunter22')]);
    expect(urlCredentials('https://deploy@example.com/')).toEqual([]);
    expect(urlCredentials('not a url')).toEqual([]);
  });

  it('redactUrl and the Masker show any URL with a password as user:***@, even a short or unregistered one', () => {
    expect(redactUrl('https://user:pass@host/path')).toBe('https://user:***@host/path');
    expect(redactUrl('proxy http://u:p@127.0.0.1:3128 refused; see https://example.com:8443/x and mailto:a@b')).toBe(
      'proxy http://u:***@127.0.0.1:3128 refused; see https://example.com:8443/x and mailto:a@b'
    );
    const masker = new Masker();
    expect(masker.mask('{"url":"http://ci:pw@127.0.0.1:8080/health"}')).toBe('{"url":"http://ci:***@127.0.0.1:8080/health"}');
    masker.addUrl('https://deploy:hunter22@example.com/health');
    // The password alone (a body echoing it) is masked too.
    expect(masker.mask('https://deploy:hunter22@example.com/health said hunter22')).toBe('https://deploy:***@example.com/health said ***');
  });
});
