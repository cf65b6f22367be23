// Our lean toolkit must speak the runner protocol exactly as @actions/core 3 does: the same calls,
// made by two throwaway actions, must give the runner the same outputs, state, log and annotations.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runAction } from '../../packages/harness/src/runner.js';

const repoRoot = new URL('../../', import.meta.url).pathname;
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const ACTION_YML = `name: t
description: d
inputs:
  my input:
    description: spaces become underscores
    default: ' padded '
runs:
  using: node24
  main: main.mjs
`;

/** The same sequence of calls; `summary` differs only in how each library appends markdown. */
function script(importPath: string, appendSummary: string): string {
  return `
import * as core from ${JSON.stringify(importPath)};
core.setSecret('s3cr3t-value');
core.info('token s3cr3t-value in a line');
core.info('input=[' + core.getInput('my input') + ']');
core.setOutput('multi', 'line one\\nline two\\n\\nafter a blank');
core.setOutput('percent', '100% done, a:b');
core.saveState('phase', 'main');
core.debug('a debug line');
core.notice('just so you know');
core.warning('careful\\nsecond line', { title: 'T: a, b', file: 'src/x.ts', startLine: 3, endLine: 4, startColumn: 5, endColumn: 6 });
core.error('bad 50%');
${appendSummary}
core.setFailed('it broke');
`;
}

async function runWith(main: string) {
  const dir = mkdtempSync(join(tmpdir(), 'toolkit-'));
  made.push(dir);
  writeFileSync(join(dir, 'action.yml'), ACTION_YML);
  writeFileSync(join(dir, 'main.mjs'), main);
  return runAction({ actionDir: dir });
}

describe('toolkit', () => {
  it('is indistinguishable from @actions/core 3 to the runner', async () => {
    const official = await runWith(
      script(pathToFileURL(join(repoRoot, 'node_modules/@actions/core/lib/core.js')).href, "await core.summary.addRaw('## Done\\n').write();")
    );
    // Node 24 strips the types of this dependency-free module, so the test runs the source itself.
    const ours = await runWith(script(pathToFileURL(join(repoRoot, 'packages/toolkit/src/index.ts')).href, "core.appendSummary('## Done\\n');"));

    expect(ours.exitCode).toBe(1);
    expect(ours.outputs).toEqual({ multi: 'line one\nline two\n\nafter a blank', percent: '100% done, a:b' });
    expect(ours.stdout).toContain('input=[padded]');
    for (const field of ['exitCode', 'outputs', 'state', 'annotations', 'masks', 'debug', 'summary', 'stdout', 'log'] as const) {
      expect([field, ours[field]]).toEqual([field, official[field]]);
    }
  });
});
