// Every smoke-test spec we show in examples/ must pass the same checks a user's spec does.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../actions/smoke-test/src/spec.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const specs = readdirSync(join(repoRoot, 'examples'), { withFileTypes: true, recursive: true })
  .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
  .map((entry) => join(entry.parentPath, entry.name))
  .filter((path) => /^tests:/m.test(readFileSync(path, 'utf8')));

describe('example smoke specs', () => {
  it('there is at least one', () => expect(specs.length).toBeGreaterThan(0));
  it.each(specs.map((path) => [relative(repoRoot, path), path]))('%s is a valid spec', async (name, path) => {
    const spec = await loadSpec(readFileSync(path, 'utf8'), name);
    expect(spec.tests.length).toBeGreaterThan(0);
  });
});
