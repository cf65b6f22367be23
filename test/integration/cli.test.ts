// The CLI as a user runs it: the bundled dist/cli, which runs the bundled action through the harness.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startService, type Service } from '../../testbed/service.js';
import { repoRoot, runNode } from '../helpers/run-node.js';

const cli = `${repoRoot}dist/cli/index.js`;
let service: Service;

beforeAll(async () => {
  service = await startService({ version: 'v7' });
});
afterAll(() => service.close());

describe('deploy-actions CLI', () => {
  it('lists the actions', async () => {
    const run = await runNode(cli, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('actions: build-cache-key, health-check, smoke-test');
  });

  it('describes an action from its action.yml', async () => {
    const run = await runNode(cli, ['health-check', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--url \(required\)\n\s+URLs to check, one per line/);
    expect(run.stdout).toMatch(/--expected-status \(default 200-299\)/);
  });

  it('runs build-cache-key in the current folder: the keys and the changed packages, no cache asked', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'cli-cache-key-'));
    try {
      for (const [path, content] of Object.entries({ 'src/a.ts': 'a\n', 'services/api/index.ts': 'api\n', 'services/web/index.ts': 'web\n', 'services/web/dist/out.js': 'built\n' })) {
        mkdirSync(dirname(join(tree, path)), { recursive: true });
        writeFileSync(join(tree, path), content);
      }
      writeFileSync(join(tree, '.gitignore'), 'dist/\n');
      const run = await runNode(cli, ['build-cache-key', '--files', 'src/**', '--packages', 'services/*'], 60_000, tree);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const key = /^key=(build-[0-9a-f]{64})$/m.exec(run.stdout)?.[1];
      expect(key).toBeDefined();
      expect(run.stdout).toContain(`Key ${key} over 1 file (walk, 3 hashed here)`);
      expect(run.stdout).toMatch(/^Package services\/api: build-services\/api-[0-9a-f]{64} \(1 file\)$/m);
      expect(run.stdout).toMatch(/^Package services\/web: build-services\/web-[0-9a-f]{64} \(1 file\)$/m);
      expect(run.stdout).toContain('changed-packages=["services/api","services/web"]');
      expect(run.stdout).toMatch(/── summary ──\n🔑 Build cache key/);
      expect(run.stdout).not.toContain('::');
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it('rejects an unknown action or input with usage, exit 2', async () => {
    const action = await runNode(cli, ['health-chek']);
    expect(action.code).toBe(2);
    expect(action.stderr).toContain('deploy-actions: no action named "health-chek"');
    const input = await runNode(cli, ['health-check', '--urls', 'x']);
    expect(input.code).toBe(2);
    expect(input.stderr).toContain('deploy-actions health-check: unknown input --urls; this action\'s inputs: --url');
  });

  it('runs health-check: repeated flags become lines, exit 0, summary as text, outputs', async () => {
    const run = await runNode(cli, [
      'health-check',
      '--url', `${service.url}/health`,
      '--url', `${service.url}/version`,
      '--json-path', '$.version == "v7"',
      '--expected-status', '200'
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('All 2 URLs are healthy after 2 attempts');
    expect(run.stdout).toMatch(/── summary ──\n✅ Health check passed: all 2 URLs are healthy/);
    expect(run.stdout).toMatch(/URL\s+Verdict\s+Attempts\s+Status/);
    expect(run.stdout).toContain('healthy=true');
    expect(run.stdout).not.toContain('::');
  });

  it('exits 1 with the reason when not healthy, and shows no secret', async () => {
    const run = await runNode(cli, [
      'health-check',
      '--url', `${service.url}/nowhere`,
      '--headers', 'Authorization: Bearer cli-secret-123',
      '--deadline', '300ms'
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Error: health-check: not healthy: http://');
    expect(run.stdout).toContain('status: expected 200-299, got 404');
    expect(run.stdout).toContain('healthy=false');
    expect(run.stdout + run.stderr).not.toContain('cli-secret-123');
  });
});
