import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Masker } from '@deploy-actions/report';

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
