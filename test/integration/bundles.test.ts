// Every bundle, run as the runner runs it with no inputs at all, must load and fail with its own
// clear input error: a module that cannot load (a CJS build of an ESM-only toolkit, a missing
// chunk) shows up here as a stack trace instead.
import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runAction } from '../../packages/harness/src/runner.js';

const actionsRoot = fileURLToPath(new URL('../../actions/', import.meta.url));
const names = readdirSync(actionsRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('every bundle loads and rejects missing inputs in its own words', () => {
  it('finds the actions', () => expect(names.length).toBeGreaterThan(0));

  it.each(names)('%s', async (name) => {
    const run = await runAction({ actionDir: `${actionsRoot}${name}`, inputs: {} });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^input [a-z-]+: .+; expected .+$/);
    expect(run.stderr).not.toMatch(/ERR_|Cannot find|SyntaxError|ReferenceError|\n\s+at /);
  });
});
