// One copy of each @actions/* package: two copies of the toolkit in one bundle disagree about state
// (and double its size).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const lock = JSON.parse(readFileSync(fileURLToPath(new URL('../../package-lock.json', import.meta.url)), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};

describe('dependencies', () => {
  it('hold one copy of each @actions/* package', () => {
    const copies = new Map<string, string[]>();
    for (const [path, entry] of Object.entries(lock.packages)) {
      const name = /(?:^|\/)node_modules\/(@actions\/[^/]+)$/.exec(path)?.[1];
      if (name) copies.set(name, [...(copies.get(name) ?? []), `${path}@${entry.version}`]);
    }
    expect(copies.size).toBeGreaterThan(0);
    const repeated = [...copies].filter(([, paths]) => paths.length > 1);
    expect(repeated).toEqual([]);
  });
});
