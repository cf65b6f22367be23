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
  it('lists the actions, asked with --help or with no argument at all: exit 0', async () => {
    for (const args of [['--help'], []]) {
      const run = await runNode(cli, args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('actions: build-cache-key, health-check, smoke-test');
      expect(run.stderr).toBe('');
    }
  });

  it('describes an action from its action.yml: inputs, how to give them, and outputs', async () => {
    const run = await runNode(cli, ['health-check', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--url \(required, repeatable, a line per flag\)\n\s+URLs to check, one per line/);
    expect(run.stdout).toMatch(/--expected-status \(default 200-299\)\n/);
    expect(run.stdout).toMatch(/--insecure \(default false, --insecure alone means true\)\n/);
    expect(run.stdout).toMatch(/\nOutputs \(printed after the run\):\n  healthy\n\s+`true` when every URL was healthy, else `false`\.\n  attempts\n/);
    expect(run.stdout).toMatch(/\n  results\n\s+JSON list, one entry per URL/);
  });

  it('rejects a repeated single-value flag and a flag without its value in one line, exit 2, nothing run', async () => {
    const cases: Array<[string[], string]> = [
      [['--url', `${service.url}/health`, '--deadline', '5s', '--deadline', '3s'], '--deadline is given more than once; it takes one value (only inputs that take one item per line may repeat)'],
      [['--url', `${service.url}/health`, '--deadline'], '--deadline needs a value: --deadline <value>, or --deadline=<value> for a value that starts with --'],
      [['--url', '--insecure'], '--url needs a value: --url <value>, or --url=<value> for a value that starts with --']
    ];
    const before = service.requests();
    for (const [args, message] of cases) {
      const run = await runNode(cli, ['health-check', ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`deploy-actions health-check: ${message}\n`);
      expect(run.stdout).toBe('');
    }
    expect(service.requests()).toBe(before);
  });

  it('shows sizes in units and each limit once when an input is out of range', async () => {
    const size = await runNode(cli, ['health-check', '--url', `${service.url}/health`, '--max-body-size', '300MiB']);
    expect(size.code).toBe(1);
    expect(size.stdout).toContain(
      'Error: input max-body-size: 300MiB is too large; expected a size such as 512KiB, 1MiB, 10MB or 65536 (bytes), at most 256MiB\n'
    );
    const count = await runNode(cli, ['health-check', '--url', `${service.url}/health`, '--max-redirects', '51']);
    expect(count.code).toBe(1);
    expect(count.stdout).toContain('Error: input max-redirects: 51 is too large; expected an integer from 0 to 50\n');
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
      // The summary's packages table, its markdown emphasis rendered as text.
      expect(run.stdout).toMatch(/^services\/api\s+1\s+`build-services\/api-[0-9a-f]{64}`\s+yes \(not looked up\)$/m);
      expect(run.stdout).not.toContain('**');
      expect(run.stdout).not.toContain('::');
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it('prints an output of several lines as an indented block under its name', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'cli-outputs-'));
    try {
      writeFileSync(join(tree, 'a.txt'), 'a\n');
      const run = await runNode(cli, ['build-cache-key', '--files', 'a.txt', '--prefix', 'demo-app'], 60_000, tree);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/\nkey=demo-app-[0-9a-f]{64}\nhash=[0-9a-f]{64}\nrestore-keys:\n    demo-app-\n    demo-\ncache-hit=false\n/);
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
      // One attempt, with the default attempt timeout: a deadline short enough to end the run soon
      // would also cut the attempt short on a busy machine, before the 404 it is to report.
      '--max-attempts', '1'
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Error: health-check: not healthy: http://');
    expect(run.stdout).toContain('status: expected 200-299, got 404');
    expect(run.stdout).toContain('not healthy after 1 attempt (max-attempts)');
    expect(run.stdout).toContain('healthy=false');
    expect(run.stdout + run.stderr).not.toContain('cli-secret-123');
  });
});
