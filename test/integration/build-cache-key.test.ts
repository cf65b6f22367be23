// build-cache-key end to end on this machine: the committed bundle, run as the runner runs it (main,
// then the post step under `post-if: success()`), restores and saves through the real @actions/cache
// client, against the local results-service stand-in with real Azurite as its blob storage.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeKeys } from '../../actions/build-cache-key/src/compute.js';
import { parsePatterns } from '../../actions/build-cache-key/src/key.js';
import { runAction, type ActionRun } from '@deploy-actions/harness';
import { startAzurite, type Azurite } from '../../testbed/azurite.js';
import { startResultsService, type ResultsService } from '../../testbed/results-service.js';

const actionDir = fileURLToPath(new URL('../../actions/build-cache-key', import.meta.url));
const HEX64 = /^[0-9a-f]{64}$/;

let azurite: Azurite | undefined;
let results: ResultsService | undefined;
let root = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bck-int-'));
  mkdirSync(join(root, 'home'));
  azurite = await startAzurite();
  results = await startResultsService({ azurite });
}, 60_000);

afterAll(async () => {
  await results?.stop();
  await azurite?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** What every step gets besides the runner's own variables: no user or system git config. */
const hermetic = () => ({ HOME: join(root, 'home'), GIT_CONFIG_NOSYSTEM: '1', GIT_CEILING_DIRECTORIES: dirname(root) });
const inGitHub = () => ({ ...results!.env, ...hermetic() });

/** Makes `ws` a git repository with all its files committed (no user or system git configuration). */
function commitAll(ws: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', '-c', 'init.defaultBranch=main', ...args], { cwd: ws, env: { ...process.env, ...hermetic() }, timeout: 30_000 });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
}

let counter = 0;
function workspace(files: Record<string, string | Buffer>): string {
  const dir = join(root, `ws-${(counter += 1)}`);
  writeTree(dir, files);
  return dir;
}

function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** An earlier step's build: a few files of random bytes, one executable, one empty, nested folders. */
function build(dir: string): Record<string, string> {
  writeTree(dir, {
    'index.js': `console.log(${JSON.stringify(randomBytes(8).toString('hex'))});\n`,
    'assets/logo.bin': randomBytes(70_000),
    'assets/empty.txt': '',
    'bin/cli': `#!/usr/bin/env node\n// ${randomBytes(8).toString('hex')}\n`
  });
  chmodSync(join(dir, 'bin/cli'), 0o755);
  return snapshot(dir);
}

/** Every file under `dir`: its sha256 and mode (symlinks by their target), to compare byte for byte. */
function snapshot(dir: string, base = dir, into: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    const relative = path.slice(base.length + 1);
    if (stat.isDirectory()) snapshot(path, base, into);
    else if (stat.isSymbolicLink()) into[relative] = `link ${readlinkSync(path)}`;
    else into[relative] = `${(stat.mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  }
  return into;
}

function run(ws: string, inputs: Record<string, string>, env: Record<string, string> = inGitHub()): Promise<ActionRun> {
  return runAction({ actionDir, workspace: ws, inputs, env, timeoutMs: 60_000 });
}

/** What every run must show, whatever happened: outputs well formed, never an empty cache-hit. */
function expectWellFormed(step: ActionRun, prefix: string): void {
  expect(['true', 'false']).toContain(step.outputs['cache-hit']);
  expect(step.outputs.hash).toMatch(HEX64);
  expect(step.outputs.key).toBe(`${prefix}-${step.outputs.hash}`);
  expect(Number(step.outputs['file-count'])).toBeGreaterThan(0);
  expect(() => JSON.parse(step.outputs.packages ?? '')).not.toThrow();
  expect(() => JSON.parse(step.outputs['changed-packages'] ?? '')).not.toThrow();
}

const entry = (key: string | undefined) => results!.cacheEntries().filter((candidate) => candidate.key === key);
const errors = (step: ActionRun) => step.annotations.filter((a) => a.level === 'error').map((a) => a.message);

describe('one key for the build output', () => {
  const inputs = { files: 'src/**\npackage-lock.json', prefix: 'app-linux', path: 'dist' };
  const sources = { 'src/index.ts': 'export const version = 1;\n', 'src/util/format.ts': 'export const f = 1;\n', 'package-lock.json': '{"lockfileVersion":3}\n', 'README.md': 'not keyed\n' };
  let ws = '';
  let firstKey = '';
  let firstBuild: Record<string, string> = {};
  let secondKey = '';

  it('first run: a miss, and the post step saves the build output under the key', async () => {
    ws = workspace(sources);
    firstBuild = build(join(ws, 'dist'));
    const step = await run(ws, inputs);
    expect(errors(step)).toEqual([]);
    expect(step.exitCode).toBe(0);
    expectWellFormed(step, 'app-linux');
    expect(step.outputs['cache-hit']).toBe('false');
    expect(step.outputs['matched-key']).toBe('');
    expect(step.outputs['restore-keys']).toBe('app-linux-\napp-');
    expect(step.outputs['file-count']).toBe('3');
    expect(step.summary).toContain(`\`${step.outputs.key}\``);
    expect(step.summary).toContain('Cache: ❌ miss.');
    expect(step.postCondition).toEqual({ expression: 'success()', result: true });
    expect(step.post?.exitCode).toBe(0);
    firstKey = step.outputs.key!;
    expect(step.post?.log).toContain(`Saved shared as ${firstKey}`);
    expect(entry(firstKey)).toEqual([expect.objectContaining({ finalized: true })]);
    expect(entry(firstKey)[0]!.size).toBeGreaterThan(0);
  }, 60_000);

  it('second run on the same sources: an exact hit that restores the output byte for byte', async () => {
    expect(firstKey).not.toBe('');
    rmSync(join(ws, 'dist'), { recursive: true });
    const before = results!.cacheEntries().length;
    const step = await run(ws, inputs);
    expect(step.exitCode).toBe(0);
    expectWellFormed(step, 'app-linux');
    expect(step.outputs['cache-hit']).toBe('true');
    expect(step.outputs['matched-key']).toBe(firstKey);
    expect(step.outputs.key).toBe(firstKey);
    expect(snapshot(join(ws, 'dist'))).toEqual(firstBuild);
    expect(step.summary).toContain('Cache: ✅ exact hit.');
    // Nothing new to save on an exact hit, and the post step says so.
    expect(step.post?.log).toContain(`Nothing to save: every entry was an exact hit (${firstKey}).`);
    expect(results!.cacheEntries()).toHaveLength(before);
  }, 60_000);

  it('a changed source: restored through a restore key, and the new key saved', async () => {
    expect(firstKey).not.toBe('');
    writeFileSync(join(ws, 'src/index.ts'), 'export const version = 2;\n');
    rmSync(join(ws, 'dist'), { recursive: true });
    const step = await run(ws, inputs);
    expect(step.exitCode).toBe(0);
    expectWellFormed(step, 'app-linux');
    secondKey = step.outputs.key!;
    expect(secondKey).not.toBe(firstKey);
    expect(step.outputs['cache-hit']).toBe('false');
    expect(step.outputs['matched-key']).toBe(firstKey);
    expect(step.summary).toContain(`partial hit (${firstKey})`);
    // The nearest output is there to build on, and saved anew under the exact key after the job.
    expect(snapshot(join(ws, 'dist'))).toEqual(firstBuild);
    expect(step.post?.log).toContain(`Saved shared as ${secondKey}`);
    expect(entry(secondKey)).toEqual([expect.objectContaining({ finalized: true })]);
  }, 60_000);

  it('lookup-only: reports the hit and restores nothing', async () => {
    expect(secondKey).not.toBe('');
    rmSync(join(ws, 'dist'), { recursive: true });
    const before = results!.cacheEntries().length;
    const step = await run(ws, { ...inputs, 'lookup-only': 'true' });
    expect(step.exitCode).toBe(0);
    expectWellFormed(step, 'app-linux');
    expect(step.outputs['cache-hit']).toBe('true');
    expect(step.outputs['matched-key']).toBe(secondKey);
    expect(existsSync(join(ws, 'dist'))).toBe(false);
    expect(step.post?.log).toContain('Nothing to save: lookup-only checks the cache and saves nothing (the step that builds, without lookup-only, saves on a miss).');
    expect(results!.cacheEntries()).toHaveLength(before);
  }, 60_000);

  it('lookup-only on a miss, then the build and the step that restores: that step saves', async () => {
    writeFileSync(join(ws, 'src/index.ts'), 'export const version = 4;\n');
    rmSync(join(ws, 'dist'), { recursive: true, force: true });
    const lookup = await run(ws, { ...inputs, 'lookup-only': 'true' });
    expect(lookup.outputs['cache-hit']).toBe('false');
    expect(lookup.post?.log).toContain('Nothing to save: lookup-only checks the cache and saves nothing (the step that builds, without lookup-only, saves what missed).');
    expect(entry(lookup.outputs.key)).toEqual([]);
    build(join(ws, 'dist'));
    const step = await run(ws, inputs);
    expect(step.outputs.key).toBe(lookup.outputs.key);
    expect(step.post?.log).toContain(`Saved shared as ${lookup.outputs.key}`);
    expect(entry(lookup.outputs.key)).toEqual([expect.objectContaining({ finalized: true })]);
  }, 60_000);

  it('fail-on-cache-miss: a miss fails the step with a clear error, and the post step does not run', async () => {
    writeFileSync(join(ws, 'src/index.ts'), 'export const version = 3;\n');
    build(join(ws, 'dist'));
    const before = results!.cacheEntries().length;
    const step = await run(ws, { ...inputs, 'fail-on-cache-miss': 'true' });
    expect(step.exitCode).toBe(1);
    expect(step.conclusion).toBe('failure');
    expectWellFormed(step, 'app-linux');
    expect(step.outputs['cache-hit']).toBe('false');
    expect(errors(step)).toEqual([`fail-on-cache-miss: no cache entry for ${step.outputs.key}`]);
    expect(step.postCondition).toEqual({ expression: 'success()', result: false });
    expect(step.post).toBeUndefined();
    expect(results!.cacheEntries()).toHaveLength(before);
  }, 60_000);
});

describe('working-directory', () => {
  it('the repository checked out in a folder of the workspace: git read there, the output saved and restored there', async () => {
    const ws = workspace({ 'app/src/index.ts': 'export const a = 1;\n', 'app/package-lock.json': '{}\n', 'app/.gitignore': 'dist/\n', 'notes.txt': 'outside the repository\n' });
    commitAll(join(ws, 'app'));
    const firstBuild = build(join(ws, 'app/dist'));
    const inputs = { 'working-directory': 'app', files: 'src/**\npackage-lock.json', prefix: 'in-folder', path: 'dist' };
    const first = await run(ws, inputs);
    expect(errors(first)).toEqual([]);
    expectWellFormed(first, 'in-folder');
    // The same key as with the repository itself as the workspace.
    const here = await computeKeys({ workspace: join(ws, 'app'), files: parsePatterns('files', ['src/**', 'package-lock.json']), packages: [], prefix: 'in-folder', extra: [], git: 'false' });
    expect(first.outputs.key).toBe(here.key);
    expect(first.log).toContain(`Key ${here.key} over 2 files (git, 0 hashed here)`);
    expect(first.post?.log).toContain(`Saved shared as ${here.key}`);

    rmSync(join(ws, 'app/dist'), { recursive: true });
    const second = await run(ws, inputs);
    expect(second.outputs['cache-hit']).toBe('true');
    expect(snapshot(join(ws, 'app/dist'))).toEqual(firstBuild);
    expect(existsSync(join(ws, 'dist'))).toBe(false);
  }, 60_000);

  it.each([
    ['../elsewhere', '"../elsewhere" is outside the workspace'],
    ['missing', '"missing" is not a folder'],
    ['file.txt', '"file.txt" is not a folder']
  ])('%s is an input error naming working-directory', async (folder, reason) => {
    const ws = workspace({ 'file.txt': 'x\n', 'src/a.ts': 'a\n' });
    const step = await run(ws, { 'working-directory': folder, files: 'src/**' }, hermetic());
    expect(step.exitCode).toBe(1);
    expect(errors(step)).toEqual([`input working-directory: ${reason}; expected a folder inside the workspace, such as app or services/api`]);
    expect(step.outputs.key).toBeUndefined();
  }, 60_000);
});

describe('one key per package', () => {
  it('changed-packages lists only the package whose files changed', async () => {
    const ws = workspace({
      // As in a real repository: the build output is not a source (a package's key covers its folder).
      '.gitignore': 'dist/\n',
      'package-lock.json': '{"lockfileVersion":3}\n',
      'services/api/package.json': '{"name":"api"}\n',
      'services/api/src/index.ts': 'api 1\n',
      'services/web/package.json': '{"name":"web"}\n',
      'services/web/src/page.ts': 'web 1\n'
    });
    const inputs = { files: 'package-lock.json', packages: 'services/*', path: '{package}/dist', prefix: 'mono' };
    const apiBuild = build(join(ws, 'services/api/dist'));
    build(join(ws, 'services/web/dist'));

    const first = await run(ws, inputs);
    expect(errors(first)).toEqual([]);
    expect(first.exitCode).toBe(0);
    expectWellFormed(first, 'mono');
    expect(JSON.parse(first.outputs['changed-packages']!)).toEqual(['services/api', 'services/web']);
    const firstPackages = JSON.parse(first.outputs.packages!) as Record<string, { key: string; hit: boolean }>;
    expect(Object.keys(firstPackages)).toEqual(['services/api', 'services/web']);
    for (const [name, pkg] of Object.entries(firstPackages)) {
      expect(pkg.key).toMatch(new RegExp(`^mono-${name}-[0-9a-f]{64}$`));
      expect(pkg.hit).toBe(false);
      expect(first.post?.log).toContain(`Saved ${name} as ${pkg.key}`);
      expect(entry(pkg.key)).toEqual([expect.objectContaining({ finalized: true })]);
    }
    expect(first.outputs['cache-hit']).toBe('false');

    writeFileSync(join(ws, 'services/web/src/page.ts'), 'web 2\n');
    rmSync(join(ws, 'services/api/dist'), { recursive: true });
    rmSync(join(ws, 'services/web/dist'), { recursive: true });
    const second = await run(ws, inputs);
    expect(second.exitCode).toBe(0);
    expectWellFormed(second, 'mono');
    expect(JSON.parse(second.outputs['changed-packages']!)).toEqual(['services/web']);
    const secondPackages = JSON.parse(second.outputs.packages!) as Record<string, { key: string; hit: boolean }>;
    expect(secondPackages['services/api']).toEqual({ key: firstPackages['services/api']!.key, hit: true });
    expect(secondPackages['services/web']!.hit).toBe(false);
    expect(secondPackages['services/web']!.key).not.toBe(firstPackages['services/web']!.key);
    // The unchanged package's output is back byte for byte; the changed one gets its previous output.
    expect(snapshot(join(ws, 'services/api/dist'))).toEqual(apiBuild);
    expect(existsSync(join(ws, 'services/web/dist/index.js'))).toBe(true);
    // Only the changed package is saved, under its new key.
    expect(second.post?.log).toContain(`Saved services/web as ${secondPackages['services/web']!.key}`);
    expect(second.post?.log).not.toContain('Saved services/api');
    expect(entry(secondPackages['services/web']!.key)).toEqual([expect.objectContaining({ finalized: true })]);

    // The summary: the shared key, and a row per package saying whether it changed.
    expect(second.summary).toContain(`\`${second.outputs.key}\``);
    expect(second.summary).toContain('| Package | Files | Key | Changed |');
    expect(second.summary).toContain(`| services/api | 2 | \`${secondPackages['services/api']!.key}\` | no |`);
    expect(second.summary).toContain(`| services/web | 2 | \`${secondPackages['services/web']!.key}\` | **yes** |`);
    expect(second.summary).toContain('Cache: per package, 1 of 2 exact hits (below).');
    expect(second.summary).not.toContain('not used (no path)');
  }, 60_000);
});

describe('when the key is being saved by another job', () => {
  it('the post step does not claim to have saved it', async () => {
    const ws = workspace({ 'src/index.ts': 'race\n' });
    const inputs = { files: 'src', prefix: 'race', path: 'dist' };
    build(join(ws, 'dist'));
    const first = await run(ws, inputs);
    expect(first.post?.log).toContain(`Saved shared as ${first.outputs.key}`);
    const [saved] = entry(first.outputs.key);
    expect(saved?.finalized).toBe(true);

    // Another job reserved the next key (same paths, so the same cache version) and is still uploading.
    writeFileSync(join(ws, 'src/index.ts'), 'race 2\n');
    const key = (await computeKeys({ workspace: ws, files: parsePatterns('files', ['src']), packages: [], prefix: 'race', extra: [], git: 'false' })).key;
    const reserve = await fetch(`${results!.url}/twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${results!.runtimeToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key, version: saved!.version })
    });
    expect(reserve.status).toBe(200);

    const second = await run(ws, inputs);
    expect(second.outputs.key).toBe(key);
    expect(second.exitCode).toBe(0);
    expect(second.post?.exitCode).toBe(0);
    expect(second.post?.log).not.toContain(`Saved shared as ${key}`);
    expect(second.post?.log).toMatch(new RegExp(`(not saved|could not save).*${key}`, 'i'));
    expect(entry(key)).toEqual([expect.objectContaining({ finalized: false })]);
  }, 60_000);
});

describe('outside a GitHub job', () => {
  it('prints the keys, says the cache is not available, and succeeds', async () => {
    const ws = workspace({
      'package-lock.json': '{}\n',
      'services/api/src/index.ts': 'api\n',
      'services/web/src/page.ts': 'web\n',
      '.gitignore': 'dist/\n'
    });
    commitAll(ws);
    writeFileSync(join(ws, 'services/web/src/page.ts'), 'web, not committed\n');
    build(join(ws, 'services/api/dist'));

    const step = await run(ws, { files: 'package-lock.json', packages: 'services/*', path: '{package}/dist' }, hermetic());
    expect(errors(step)).toEqual([]);
    expect(step.exitCode).toBe(0);
    expectWellFormed(step, 'build');
    expect(step.outputs['cache-hit']).toBe('false');
    expect(step.outputs['matched-key']).toBe('');
    expect(JSON.parse(step.outputs['changed-packages']!)).toEqual(['services/api', 'services/web']);
    // The bundle read git's index; the key is the one a walk of the same tree gives.
    const walked = await computeKeys({ workspace: ws, files: parsePatterns('files', ['package-lock.json']), packages: ['services/*'], prefix: 'build', extra: [], git: 'false' });
    expect(step.outputs.key).toBe(walked.key);
    expect(step.log).toContain(`Key ${walked.key} over 1 file (git, 1 hashed here)`);
    for (const pkg of walked.packages) expect(step.log).toContain(`Package ${pkg.name}: ${pkg.key} (1 file)`);
    expect(step.log).toContain('The cache is not available (no cache service outside a GitHub job): nothing restored, every package counts as changed.');
    expect(step.summary).toContain('Cache: not available (no cache service outside a GitHub job).');
    expect(step.post?.exitCode).toBe(0);
    expect(step.post?.log).toContain('Nothing to save: there is no cache service outside a GitHub job.');
  }, 60_000);

  it('with fail-on-cache-miss, fails saying no cache could be asked, not that an entry is missing', async () => {
    const ws = workspace({ 'package-lock.json': '{}\n', 'src/a.ts': 'a\n' });
    const step = await run(ws, { files: 'src/**', path: 'dist', 'fail-on-cache-miss': 'true' }, hermetic());
    // Not a repository: the tree is walked, and nothing claims git failed.
    expect(step.log).toContain('(walk, 1 hashed here)');
    expect(step.log).not.toContain('git could not');
    expect(step.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    expect(step.exitCode).toBe(1);
    expect(errors(step)).toEqual([
      expect.stringMatching(/^fail-on-cache-miss: the cache is not available \(no cache service outside a GitHub job\), so nothing could be restored for build-[0-9a-f]{64}$/)
    ]);
  }, 60_000);
});

describe('a tree large enough to be read on worker threads', () => {
  it('gives the key of git’s index, of the sources read on one thread, and says how many threads read it', async () => {
    // 3,000 files (the bundle shares out reading from the 1,024th on): nested folders, an executable,
    // a symlink, files larger than the reader's first buffer, a FIFO, and a nested .gitignore.
    const files: Record<string, string | Buffer> = { '.gitignore': 'dist/\n', 'packages/web/.gitignore': '*.log\n!keep.log\n' };
    for (let index = 0; index < 3000; index += 1) {
      const folder = ['src', 'packages/web', 'packages/api/lib', 'docs'][index % 4];
      files[`${folder}/d${index % 37}/f${index}.txt`] = `file ${index}\n`.repeat(1 + (index % 50));
    }
    files['assets/large.bin'] = randomBytes(1_500_000);
    files['assets/larger.bin'] = randomBytes(3_000_000);
    files['packages/web/debug.log'] = 'ignored\n';
    files['packages/web/keep.log'] = 'kept\n';
    files['dist/out.js'] = 'ignored\n';
    const ws = workspace(files);
    // A name that is not UTF-8 ("café" in Latin-1): its bytes go to a worker thread and back intact.
    writeFileSync(Buffer.from(`${ws}/src/d3/caf\xe9.txt`, 'latin1'), 'latin-1 name\n');
    chmodSync(join(ws, 'src/d0/f0.txt'), 0o755);
    symlinkSync('../src/d1/f1.txt', join(ws, 'docs/link.txt'));
    commitAll(ws);
    execFileSync('mkfifo', [join(ws, 'src/pipe')]);

    const inputs = { files: '**', prefix: 'big' };
    const walked = await run(ws, { ...inputs, git: 'false' }, hermetic());
    const fromIndex = await run(ws, { ...inputs, git: 'true' }, hermetic());
    const oneThread = await computeKeys({ workspace: ws, files: parsePatterns('files', ['**']), packages: [], prefix: 'big', extra: [], git: 'false' });
    expect(errors(walked)).toEqual([]);
    expect(walked.outputs['file-count']).toBe('3007'); // 3,000 + 2 large + keep.log + 2 .gitignore + the link + the Latin-1 name
    expect(walked.outputs.key).toBe(fromIndex.outputs.key);
    expect(walked.outputs.key).toBe(oneThread.key);
    const threads = Math.min(3, availableParallelism() - 1) + 1;
    expect(walked.log).toContain(`Key ${oneThread.key} over 3007 files (walk, 3007 hashed here${threads > 1 ? ` on ${threads} threads` : ''})`);
    expect(fromIndex.log).toContain(`Key ${oneThread.key} over 3007 files (git, 0 hashed here)`);
  }, 60_000);
});

describe('changed-since', () => {
  const sources = {
    '.gitignore': 'dist/\n',
    'package-lock.json': '{}\n',
    'services/api/package.json': '{"name":"api"}\n',
    'services/web/package.json': '{"name":"web"}\n',
    'services/web/src/page.ts': 'web 1\n'
  };
  const inputs = { files: 'package-lock.json', packages: 'services/*', path: '{package}/dist', 'changed-since': 'HEAD~1' };

  it('changed-packages lists what differs from the commit, locally too, and the summary says since what', async () => {
    const ws = workspace(sources);
    commitAll(ws);
    writeFileSync(join(ws, 'services/web/src/page.ts'), 'web 2\n');
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-q', '-am', 'web 2'], { cwd: ws, env: { ...process.env, ...hermetic() }, timeout: 30_000 });
    build(join(ws, 'services/api/dist'));

    const step = await run(ws, inputs, hermetic());
    expect(errors(step)).toEqual([]);
    expectWellFormed(step, 'build');
    expect(JSON.parse(step.outputs['changed-packages']!)).toEqual(['services/web']);
    expect(step.log).toContain('The cache is not available (no cache service outside a GitHub job): nothing restored.');
    expect(step.summary).toContain('| Package | Files | Key | Changed since `HEAD~1` |');
    expect(step.summary).toMatch(/\| services\/api \| 1 \| `build-services\/api-[0-9a-f]{64}` \| no \|/);
    expect(step.summary).toMatch(/\| services\/web \| 2 \| `build-services\/web-[0-9a-f]{64}` \| \*\*yes\*\* \|/);

    // Within a GitHub job the cache is asked too, but changed-packages keeps its meaning.
    const inJob = await run(ws, inputs);
    expect(JSON.parse(inJob.outputs['changed-packages']!)).toEqual(['services/web']);
    expect(JSON.parse(inJob.outputs.packages!)['services/api'].hit).toBe(false);
  }, 60_000);

  it.each([
    [{ 'changed-since': 'no-such-branch' }, 'input changed-since: "no-such-branch" is not a commit in this repository; expected a branch, tag or commit the checkout has, such as origin/main or HEAD~1 (actions/checkout fetches one commit unless fetch-depth is 0)'],
    [{ 'changed-since': 'HEAD', git: 'false' }, "input changed-since: it needs git's history, and git is false; expected a commit to compare with (such as origin/main) in a git checkout, with git auto or true"],
    [{ 'changed-since': '--output=/tmp/x' }, 'input changed-since: "--output=/tmp/x" is not a commit name; expected a commit to compare with (such as origin/main) in a git checkout, with git auto or true']
  ])('%j is an input error in one line', async (over, message) => {
    const ws = workspace(sources);
    commitAll(ws);
    const step = await run(ws, { ...inputs, ...over }, hermetic());
    expect(step.exitCode).toBe(1);
    expect(errors(step)).toEqual([message]);
    expect(step.outputs['changed-packages']).toBeUndefined();
  }, 60_000);
});

describe('a repository owned by another user', () => {
  // Git refuses a repository whose owner is not the user running it; as root, one is made so.
  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot("git: auto warns with git's reason and fix and walks; git: true fails with them, in one line", async () => {
    const ws = workspace({ 'src/a.ts': 'a\n' });
    commitAll(ws);
    execFileSync('chown', ['-R', 'nobody', ws]);
    const reason = `detected dubious ownership in repository at '${ws}'; to trust it, run: git config --global --add safe.directory ${ws}`;
    const auto = await run(ws, { files: 'src/**' }, hermetic());
    expect(auto.exitCode).toBe(0);
    expect(auto.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      `git could not list the files (${reason}): walked the tree instead. The key is the one git's index gives unless the repository stores files converted (line endings, LFS or another filter) or tracks files .gitignore matches.`
    ]);
    expect(auto.log).not.toContain('the key is the same');
    expect(auto.log).toContain('(walk, 1 hashed here)');
    const required = await run(ws, { files: 'src/**', git: 'true' }, hermetic());
    expect(required.exitCode).toBe(1);
    expect(errors(required)).toEqual([`build-cache-key failed: git could not list the files in ${ws}: ${reason}`]);
  }, 60_000);
});
