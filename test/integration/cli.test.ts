// The CLI as a user runs it: the bundled dist/cli, which runs the bundled action through the harness.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
