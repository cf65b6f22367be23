import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InputError,
  Inputs,
  formatByteSize,
  formatDuration,
  parseBoolean,
  parseByteSize,
  parseCaCertificate,
  parseDuration,
  parseEnum,
  parseHeaders,
  parseInteger,
  parseList,
  parseNumber,
  parsePercent,
  parseStatusSet
} from '@deploy-actions/inputs';

/** Runs `parse` and asserts it either returns or throws our InputError, never anything else. */
function onlyInputErrors(parse: (raw: string) => unknown) {
  return (raw: string) => {
    try {
      parse(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const message = (error as InputError).message;
      expect(message).toMatch(/^input [a-z-]+: .+; expected .+$/s);
    }
  };
}

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', ' ', '\n', '1e309', '-0', '0x10', 'NaN', '999999999999999999999h'));

describe('parsers never let anything but InputError escape', () => {
  const parsers: Record<string, (raw: string) => unknown> = {
    duration: (raw) => parseDuration('timeout', raw, { min: 0, max: 3_600_000 }),
    boolean: (raw) => parseBoolean('jitter', raw),
    enum: (raw) => parseEnum('backoff', raw, ['fixed', 'exponential'] as const),
    integer: (raw) => parseInteger('max-attempts', raw, { min: 0, max: 100 }),
    number: (raw) => parseNumber('ratio', raw, { min: 0, max: 1 }),
    size: (raw) => parseByteSize('max-body-size', raw),
    headers: (raw) => parseHeaders('headers', raw),
    status: (raw) => parseStatusSet('expected-status', raw),
    list: (raw) => parseList(raw),
    percent: (raw) => parsePercent('max-latency-regression', raw)
  };
  for (const [name, parse] of Object.entries(parsers)) {
    it(name, () => fc.assert(fc.property(anyText, onlyInputErrors(parse)), { numRuns: 500 }));
  }
});

describe('parseCaCertificate', () => {
  it('names the input, what was wrong and the accepted form for a directory or a missing file', () => {
    const form = 'a path to a PEM file, or PEM text';
    const dir = mkdtempSync(join(tmpdir(), 'ca-'));
    try {
      expect(() => parseCaCertificate('ca-cert', dir)).toThrow(new InputError('ca-cert', `${JSON.stringify(dir)} is a directory, not a file`, form));
      expect(() => parseCaCertificate('ca-cert', join(dir, 'none.pem'))).toThrow(new InputError('ca-cert', `no file at ${JSON.stringify(join(dir, 'none.pem'))}`, form));
      writeFileSync(join(dir, 'notes.txt'), 'hello');
      expect(() => parseCaCertificate('ca-cert', join(dir, 'notes.txt'))).toThrow(new InputError('ca-cert', `${JSON.stringify(join(dir, 'notes.txt'))} holds no PEM certificate`, form));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['0', 0],
    [' 2s ', 2000]
  ])('%s is %d ms', (raw, ms) => expect(parseDuration('timeout', raw)).toBe(ms));

  it.each(['10', 's', '5 m', '1d', '-1s', 'ten seconds', ''])('rejects %j with the accepted form', (raw) => {
    expect(() => parseDuration('timeout', raw)).toThrow(/^input timeout: .* is not a duration; expected a duration such as 250ms, 10s, 5m, 1h/);
  });

  it('enforces the range with a message naming the limit once', () => {
    expect(() => parseDuration('deadline', '7h', { min: 1, max: 6 * 3_600_000 })).toThrow(
      new InputError('deadline', '7h is too long', 'a duration such as 250ms, 10s, 5m, 1h or 1m30s, at most 6h')
    );
    expect(() => parseDuration('timeout', '0', { min: 1 })).toThrow('input timeout: 0ms is too short; expected a duration such as 250ms, 10s, 5m, 1h or 1m30s, at least 1ms');
  });

  it('formatDuration rounds measured times: one decimal under 10 ms, whole ms under a second', () => {
    expect(formatDuration(3.4159)).toBe('3.4ms');
    expect(formatDuration(3)).toBe('3ms');
    expect(formatDuration(418.1339999998454)).toBe('418ms');
    expect(formatDuration(1234.5)).toBe('1.23s');
    expect(formatDuration(90_000)).toBe('1m30s');
  });

  it('round-trips through formatDuration for whole units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seconds) => {
        expect(parseDuration('timeout', formatDuration(seconds * 1000))).toBe(seconds * 1000);
      })
    );
  });
});

describe('parseStatusSet', () => {
  it('accepts codes, classes, ranges and mixtures', () => {
    const set = parseStatusSet('expected-status', '200,204, 3xx 418-420');
    expect([200, 204, 301, 399, 418, 420].every((s) => set.has(s))).toBe(true);
    expect([201, 400, 421, 500].some((s) => set.has(s))).toBe(false);
    expect(set.text).toBe('200,204,3xx,418-420');
  });
  it('2xx equals 200-299 for every code', () => {
    const klass = parseStatusSet('s', '2xx');
    const range = parseStatusSet('s', '200-299');
    fc.assert(fc.property(fc.integer({ min: 100, max: 599 }), (code) => expect(klass.has(code)).toBe(range.has(code))));
  });
  it.each(['', '20', '6xx', '299-200', '99', 'ok', '200-700'])('rejects %j', (raw) => {
    expect(() => parseStatusSet('expected-status', raw)).toThrow(/^input expected-status: .*; expected status codes, classes or ranges/);
  });
});

describe('parseBoolean', () => {
  it('takes the YAML 1.2 core set only', () => {
    for (const word of ['true', 'True', 'TRUE']) expect(parseBoolean('b', word)).toBe(true);
    for (const word of ['false', 'False', 'FALSE']) expect(parseBoolean('b', word)).toBe(false);
    for (const word of ['yes', 'on', '1', 'tRuE']) expect(() => parseBoolean('insecure', word)).toThrow(`input insecure: "${word}" is not a boolean; expected true or false`);
  });
});

describe('parseHeaders', () => {
  it('keeps order and repeats, and trims', () => {
    expect(parseHeaders('headers', 'Authorization: Bearer a:b\n\nX-Env:  prod \nX-Env: canary')).toEqual([
      ['Authorization', 'Bearer a:b'],
      ['X-Env', 'prod'],
      ['X-Env', 'canary']
    ]);
  });
  it('never echoes a value back in its error', () => {
    expect(() => parseHeaders('headers', 'Bad Name: secret-value')).toThrow('input headers: header name "Bad Name" is not valid');
    expect(() => parseHeaders('headers', 'no-colon-secret-value')).toThrow('input headers: a line without "Name:" is not valid');
    try {
      parseHeaders('headers', 'no-colon-secret-value');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-value');
    }
  });
});

describe('numbers, sizes, enums, lists', () => {
  it('integers with a range', () => {
    expect(parseInteger('n', ' 42 ', { min: 0, max: 100 })).toBe(42);
    // The limit is said once, in the accepted form.
    expect(() => parseInteger('consecutive-successes', '0', { min: 1, max: 1000 })).toThrow(
      new InputError('consecutive-successes', '0 is too small', 'an integer from 1 to 1000')
    );
    expect(() => parseInteger('max-redirects', '51', { min: 0, max: 50 })).toThrow(new InputError('max-redirects', '51 is too large', 'an integer from 0 to 50'));
    expect(() => parseNumber('ratio', '-1', { min: 0 })).toThrow(new InputError('ratio', '-1 is too small', 'a number, at least 0'));
    expect(() => parseInteger('n', '1.5')).toThrow('input n: "1.5" is not an integer; expected an integer');
  });
  it('sizes in decimal and binary units', () => {
    expect(parseByteSize('s', '1MiB')).toBe(1_048_576);
    expect(parseByteSize('s', '10MB')).toBe(10_000_000);
    expect(parseByteSize('s', '512 KiB')).toBe(524_288);
    expect(parseByteSize('s', '65536')).toBe(65_536);
  });
  it('sizes out of range are shown in units, the limit once', () => {
    const limits = { min: 1, max: 256 * 1024 ** 2 };
    const form = 'a size such as 512KiB, 1MiB, 10MB or 65536 (bytes)';
    expect(() => parseByteSize('max-body-size', '300MiB', limits)).toThrow(new InputError('max-body-size', '300MiB is too large', `${form}, at most 256MiB`));
    expect(() => parseByteSize('max-body-size', '1GB', limits)).toThrow(new InputError('max-body-size', '1GB is too large', `${form}, at most 256MiB`));
    expect(() => parseByteSize('max-body-size', '0', limits)).toThrow(new InputError('max-body-size', '0 bytes is too small', `${form}, at least 1 byte`));
  });
  it.each([
    [268_435_456, '256MiB'],
    [1_572_864, '1.5MiB'],
    [300_000_000, '300MB'],
    [1024, '1KiB'],
    [1_000_000_000, '1GB'],
    [1000, '1KB'],
    [65_537, '65537 bytes'],
    [1, '1 byte']
  ])('formatByteSize(%d) is %s, which parses back to the same count', (bytes, shown) => {
    expect(formatByteSize(bytes)).toBe(shown);
    expect(parseByteSize('s', shown.replace(/ bytes?$/, ''))).toBe(bytes);
  });
  it('formatByteSize shows any count as a size that parses back to it', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (bytes) => expect(parseByteSize('s', formatByteSize(bytes).replace(/ bytes?$/, ''))).toBe(bytes)));
  });
  it('percentages as fractions', () => {
    expect(parsePercent('p', '20%')).toBe(0.2);
    expect(parsePercent('p', '2.5 %')).toBe(0.025);
    expect(() => parsePercent('max-latency-regression', '20')).toThrow('input max-latency-regression: "20" is not a percentage; expected a percentage such as 20%');
  });
  it('enums name the choices', () => {
    expect(() => parseEnum('backoff', 'linear', ['exponential', 'fixed'])).toThrow('input backoff: "linear" is not a known value; expected one of exponential, fixed');
  });
  it('lists split on newlines and commas, or newlines only', () => {
    expect(parseList('a, b\n\n c,')).toEqual(['a', 'b', 'c']);
    expect(parseList('https://x/?a=1,2\nhttps://y', { commas: false })).toEqual(['https://x/?a=1,2', 'https://y']);
  });
  it('Inputs takes the action.yml default only for empty values', () => {
    const defaults = { timeout: '10s', interval: '2s', url: '' };
    const inputs = new Inputs((name: keyof typeof defaults) => ({ timeout: '', interval: '3s', url: '' })[name], defaults);
    expect(inputs.with('timeout', parseDuration)).toBe(10_000);
    expect(inputs.with('interval', parseDuration)).toBe(3000);
    expect(() => inputs.required('url', 'a URL')).toThrow('input url: it is required but was not given; expected a URL');
  });
});
