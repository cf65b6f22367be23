// build-cache-key's key, on real trees built in temp dirs: what changes it, what must not, and that
// git's index and a plain walk of the tree give the same key for the same files.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { isUtf8 } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { computeKeys, type KeyRequest, type KeyResult } from '../../actions/build-cache-key/src/compute.js';
import { listByWalking, listFromGit } from '../../actions/build-cache-key/src/files.js';
import { BlobReader, FileHasher, type FileEntry } from '../../actions/build-cache-key/src/hashing.js';
import { KEY_FORMAT, checkKey, globMatcher, hashFiles, parsePatterns, restoreKeys } from '../../actions/build-cache-key/src/key.js';
import { pathBytes, pathFromBytes, quotedPathBytes } from '../../actions/build-cache-key/src/paths.js';
import { InputError } from '@deploy-actions/inputs';

let root = '';
const savedEnv: Record<string, string | undefined> = {};
const HERMETIC: Record<string, string | undefined> = { GIT_CONFIG_NOSYSTEM: '1', GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined };

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bck-unit-'));
  mkdirSync(join(root, 'home'));
  // The action's own git calls inherit process.env: no user or system config may leak into them, and
  // discovery must never climb out of our temp root into a repository above it.
  const env = { ...HERMETIC, HOME: join(root, 'home'), GIT_CEILING_DIRECTORIES: dirname(root) };
  for (const [name, value] of Object.entries(env)) {
    savedEnv[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

afterAll(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

let counter = 0;
/** A fresh, empty folder under the test's temp root. */
function fresh(name = 'ws'): string {
  const dir = join(root, `${name}-${(counter += 1)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    env: { ...process.env },
    encoding: 'utf8',
    timeout: 30_000
  });
}

/** A git repository holding `files`, committed. */
function repo(files: Record<string, string | Buffer>, name = 'repo'): string {
  const dir = fresh(name);
  writeTree(dir, files);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

/** A copy of a tree elsewhere on disk, links copied as links; without `.git` unless asked. */
function copyTree(from: string, withGit = false): string {
  const to = join(fresh('copy'), basename(from));
  cpSync(from, to, { recursive: true, verbatimSymlinks: true, filter: (source) => withGit || basename(source) !== '.git' });
  return to;
}

function request(workspace: string, over: Partial<KeyRequest> = {}): KeyRequest {
  return { workspace, files: parsePatterns('files', ['**']), packages: [], prefix: 'build', extra: [], git: 'auto', ...over };
}

const summary = (result: KeyResult) => ({ key: result.key, fileCount: result.fileCount, packages: result.packages.map((pkg) => [pkg.name, pkg.key, pkg.fileCount]) });

/** Keys from git's index and from a walk of the same tree; they must agree. */
async function keyBothWays(workspace: string, over: Partial<KeyRequest> = {}): Promise<{ viaGit: KeyResult; walked: KeyResult }> {
  const viaGit = await computeKeys(request(workspace, { ...over, git: 'true' }));
  const walked = await computeKeys(request(workspace, { ...over, git: 'false' }));
  expect(viaGit.source).toBe('git');
  expect(walked.source).toBe('walk');
  expect(summary(viaGit)).toEqual(summary(walked));
  return { viaGit, walked };
}

const keyOf = async (workspace: string, over: Partial<KeyRequest> = {}) => (await keyBothWays(workspace, over)).walked.key;
const paths = (files: readonly FileEntry[]) => files.map((file) => file.path).sort();
const everything = () => true;

/** `git hash-object` of some bytes, as git itself computes it. */
function gitHashOf(cwd: string, content: string | Buffer): string {
  return execFileSync('git', ['hash-object', '--stdin'], { cwd, input: content, env: { ...process.env }, encoding: 'utf8', timeout: 30_000 }).trim();
}

async function rejection(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

function thrown(action: () => unknown): InputError {
  let error: unknown;
  try {
    action();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('what changes the key', () => {
  it('a rename changes it (and renaming back restores it)', async () => {
    const ws = repo({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n' });
    const before = await keyOf(ws);
    renameSync(join(ws, 'src/b.ts'), join(ws, 'src/c.ts'));
    const renamed = await keyOf(ws);
    expect(renamed).not.toBe(before);
    renameSync(join(ws, 'src/c.ts'), join(ws, 'src/b.ts'));
    expect(await keyOf(ws)).toBe(before);
  });

  it('a content change changes it, even at the same size', async () => {
    const ws = repo({ 'src/a.ts': 'export const a = 1;\n', 'package-lock.json': '{}\n' });
    const before = await keyOf(ws);
    writeFileSync(join(ws, 'src/a.ts'), 'export const a = 2;\n');
    expect(await keyOf(ws)).not.toBe(before);
    writeFileSync(join(ws, 'src/a.ts'), 'export const a = 1;\n');
    expect(await keyOf(ws)).toBe(before);
  });

  it('a mode change (chmod +x) changes it', async () => {
    const ws = repo({ 'bin/run.sh': '#!/bin/sh\necho hi\n', 'src/a.ts': 'a\n' });
    const before = await keyOf(ws);
    chmodSync(join(ws, 'bin/run.sh'), 0o755);
    const { viaGit } = await keyBothWays(ws);
    expect(viaGit.key).not.toBe(before);
    expect((await listByWalking(ws, everything)).files.find((file) => file.path === 'bin/run.sh')?.mode).toBe('100755');
    chmodSync(join(ws, 'bin/run.sh'), 0o644);
    expect(await keyOf(ws)).toBe(before);
  });

  it('an mtime-only change (touch) does not change it, and git hashes nothing anew', async () => {
    const ws = repo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'package-lock.json': '{}\n' });
    const before = await keyOf(ws);
    for (const path of ['src/a.ts', 'src/b.ts', 'package-lock.json']) utimesSync(join(ws, path), new Date('2001-02-03T04:05:06Z'), new Date('2001-02-03T04:05:06Z'));
    const { viaGit, walked } = await keyBothWays(ws);
    expect(walked.key).toBe(before);
    expect(viaGit.hashed).toBe(0);
  });

  it('ignored files (root and nested .gitignore) do not change it', async () => {
    const ws = repo({
      '.gitignore': 'node_modules/\n*.log\n',
      'packages/ui/.gitignore': 'out/\n/local.json\n',
      'packages/ui/src/button.ts': 'button\n',
      'src/a.ts': 'a\n'
    });
    const before = await keyBothWays(ws);
    writeTree(ws, {
      'node_modules/dep/index.js': 'dep\n',
      'debug.log': 'log\n',
      'src/trace.log': 'trace\n',
      'packages/ui/out/bundle.js': 'bundle\n',
      'packages/ui/local.json': '{}\n'
    });
    const after = await keyBothWays(ws);
    expect(after.walked.key).toBe(before.walked.key);
    expect(after.walked.fileCount).toBe(4);
    // An ignored name elsewhere is not ignored: `/local.json` is anchored to packages/ui.
    writeTree(ws, { 'packages/local.json': '{}\n' });
    expect((await keyBothWays(ws)).walked.key).not.toBe(before.walked.key);
  });

  it('a nested .gitignore that re-includes a file overrides its parent, as in git', async () => {
    const ws = repo({ '.gitignore': '*.log\n', 'logs/.gitignore': '!keep.log\n', 'src/a.ts': 'a\n' });
    const before = await keyOf(ws);
    writeTree(ws, { 'logs/keep.log': 'kept\n', 'logs/other.log': 'ignored\n' });
    // git status shows logs/keep.log as untracked, not ignored: it is part of the tree.
    expect(git(ws, 'status', '--porcelain', '--untracked-files=all')).toContain('?? logs/keep.log');
    const { walked } = await keyBothWays(ws);
    expect(walked.key).not.toBe(before);
    expect(paths((await listByWalking(ws, everything)).files)).toEqual(['.gitignore', 'logs/.gitignore', 'logs/keep.log', 'src/a.ts']);
  });

  it('where the workspace sits on disk does not change it', async () => {
    const ws = repo({ 'src/a.ts': 'a\n', 'src/nested/deep/b.ts': 'b\n', 'package-lock.json': '{}\n' });
    symlinkSync('../package-lock.json', join(ws, 'src/lock-link'));
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'link');
    const before = await keyOf(ws);
    const moved = copyTree(ws, true);
    expect(moved).not.toBe(ws);
    expect(await keyOf(moved)).toBe(before);
    const withoutGit = copyTree(ws);
    const walked = await computeKeys(request(withoutGit));
    expect(walked.source).toBe('walk');
    expect(walked.key).toBe(before);
  });

  it('the key is the documented sha256 over format, extra lines and sorted (mode, blob id, path)', async () => {
    const ws = fresh();
    writeTree(ws, { 'b.txt': 'bee\n', 'a dir/ä.txt': 'a\n' });
    const result = await computeKeys(request(ws, { extra: ['node=24', 'env=production'], git: 'false' }));
    const line = (path: string, content: string) => `100644 ${gitHashOf(ws, content)} ${JSON.stringify(path)}\n`;
    const expected = createHash('sha256')
      .update(`${KEY_FORMAT}\nextra "node=24"\nextra "env=production"\n${line('a dir/ä.txt', 'a\n')}${line('b.txt', 'bee\n')}`)
      .digest('hex');
    expect(result.hash).toBe(expected);
    expect(result.key).toBe(`build-${expected}`);
    // Extra lines are part of the key, in order.
    const reordered = await computeKeys(request(ws, { extra: ['env=production', 'node=24'], git: 'false' }));
    expect(reordered.key).not.toBe(result.key);
    expect(hashFiles((await listByWalking(ws, everything)).files.reverse(), ['node=24', 'env=production'])).toBe(expected);
  });
});

describe('reading files on worker threads', () => {
  // The bundled worker runs in the integration tests; here, threads that cannot do their part.
  const tree = () => {
    const ws = fresh('threads');
    const files: Record<string, string> = {};
    for (let index = 0; index < 2500; index += 1) files[`d${index % 17}/f${index}.txt`] = `file ${index}\n`;
    writeTree(ws, files);
    return { ws, paths: Object.keys(files) };
  };
  const hashAll = async (ws: string, paths: string[], workers: number, workerFile?: string) => {
    const hasher = new FileHasher(ws, { workers, workerFile });
    for (const path of paths) hasher.add(path);
    return { files: await hasher.finish(), threads: hasher.threads };
  };

  it.each([
    ['fails as it loads', 'throw new Error("no thread for you");\n'],
    ['exits holding batches', 'import { workerData } from "node:worker_threads";\nworkerData.port.on("message", () => process.exit(3));\n'],
    ['answers nothing, then exits', 'import { workerData } from "node:worker_threads";\nworkerData.port.on("message", () => setTimeout(() => process.exit(0), 50));\n']
  ])('a thread that %s: its files are read on this thread, and the result is the same', async (_, source) => {
    const { ws, paths } = tree();
    const workerFile = join(fresh('worker'), 'broken-worker.mjs');
    writeFileSync(workerFile, source);
    const alone = await hashAll(ws, paths, 0);
    const withBroken = await hashAll(ws, paths, 2, workerFile);
    expect(alone.threads).toBe(1);
    expect(withBroken.threads).toBe(3);
    expect(withBroken.files).toEqual(alone.files);
    expect(withBroken.files).toHaveLength(2500);
    expect(withBroken.files[7]).toEqual({ path: paths[7], mode: '100644', oid: gitHashOf(ws, 'file 7\n') });
  });
});

describe('the same key with and without git', () => {
  it('on a dirty tree: modified, staged then modified, deleted, untracked and ignored files', async () => {
    const ws = repo({
      '.gitignore': 'dist/\n',
      'package-lock.json': '{"lockfileVersion":3}\n',
      'services/api/package.json': '{"name":"api"}\n',
      'services/api/src/index.ts': 'export const api = 1;\n',
      'services/web/package.json': '{"name":"web"}\n',
      'services/web/src/page.ts': 'export const page = 1;\n',
      'services/web/src/old.ts': 'export const old = 1;\n'
    });
    const over: Partial<KeyRequest> = { files: parsePatterns('files', ['package-lock.json']), packages: ['services/*'] };
    const clean = await keyBothWays(ws, over);

    writeFileSync(join(ws, 'services/api/src/index.ts'), 'export const api = 2;\n'); // modified, not staged
    writeFileSync(join(ws, 'services/web/src/page.ts'), 'export const page = 2;\n');
    git(ws, 'add', 'services/web/src/page.ts');
    writeFileSync(join(ws, 'services/web/src/page.ts'), 'export const page = 3;\n'); // staged, then modified again
    unlinkSync(join(ws, 'services/web/src/old.ts')); // tracked, deleted
    writeTree(ws, { 'services/api/src/new.ts': 'export const fresh = 1;\n', 'services/api/dist/index.js': 'built\n' }); // untracked; ignored

    const { viaGit, walked } = await keyBothWays(ws, over);
    expect(viaGit.packages.map((pkg) => pkg.key)).not.toEqual(clean.viaGit.packages.map((pkg) => pkg.key));
    // Only what git reports as changed is read and hashed here: the rest comes from the index.
    expect(viaGit.hashed).toBe(3);
    expect(walked.packages.map((pkg) => [pkg.name, pkg.fileCount])).toEqual([
      ['services/api', 3],
      ['services/web', 2]
    ]);
    // And with no .git at all, the same keys.
    const noGit = await computeKeys(request(copyTree(ws), over));
    expect(noGit.source).toBe('walk');
    expect(summary(noGit)).toEqual(summary(viaGit));
  });

  it('a conflicted merge, an intent-to-add file and a file that became a symlink are read from disk', async () => {
    const ws = repo({ 'shared.txt': 'base\n', 'plain.txt': 'plain\n', 'other.txt': 'other\n' });
    git(ws, 'checkout', '-q', '-b', 'theirs');
    writeFileSync(join(ws, 'shared.txt'), 'theirs\n');
    git(ws, 'commit', '-q', '-am', 'theirs');
    git(ws, 'checkout', '-q', 'main');
    writeFileSync(join(ws, 'shared.txt'), 'ours\n');
    git(ws, 'commit', '-q', '-am', 'ours');
    expect(() => git(ws, 'merge', '-q', 'theirs')).toThrow(); // stops on the conflict
    writeTree(ws, { 'planned.txt': 'planned\n' });
    git(ws, 'add', '--intent-to-add', 'planned.txt'); // in the index as an empty blob
    unlinkSync(join(ws, 'plain.txt'));
    symlinkSync('other.txt', join(ws, 'plain.txt'));

    const listing = await listFromGit(ws, everything);
    const byPath = new Map(listing.files.map((file) => [file.path, file]));
    expect(paths(listing.files)).toEqual(['other.txt', 'plain.txt', 'planned.txt', 'shared.txt']);
    // What is on disk now, conflict markers included; not one of the three staged versions.
    expect(byPath.get('shared.txt')?.oid).toBe(gitHashOf(ws, readFileSync(join(ws, 'shared.txt'))));
    expect(byPath.get('shared.txt')?.oid).not.toBe(gitHashOf(ws, 'ours\n'));
    expect(byPath.get('planned.txt')?.oid).toBe(gitHashOf(ws, 'planned\n'));
    expect(byPath.get('plain.txt')).toEqual({ path: 'plain.txt', mode: '120000', oid: gitHashOf(ws, 'other.txt') });
    expect(listing.hashed).toBe(3);
    await keyBothWays(ws);
  });

  it('an untracked FIFO is neither read nor waited on', async () => {
    const ws = repo({ 'a.txt': 'a\n' });
    execFileSync('mkfifo', [join(ws, 'pipe')]);
    // A reader that opened the FIFO would block until a writer came: none ever does.
    const { viaGit } = await keyBothWays(ws);
    expect(viaGit.fileCount).toBe(1);
  });

  it('without git, the ignore rules of the folders above the workspace and .git/info/exclude apply as with git', async () => {
    const top = repo({
      '.gitignore': '*.log\napps/web/.cache/\n',
      'apps/.gitignore': 'generated/\n!keep.log\n',
      'apps/web/package.json': '{}\n',
      'apps/web/src/a.ts': 'a\n'
    });
    writeFileSync(join(top, '.git/info/exclude'), 'local-notes.md\n');
    const ws = join(top, 'apps/web');
    writeTree(ws, {
      'debug.log': 'ignored from the top\n',
      'keep.log': 'kept again by apps/.gitignore\n',
      '.cache/x': 'ignored by a path from the top\n',
      'generated/y.ts': 'ignored from apps/\n',
      'local-notes.md': 'ignored by info/exclude\n',
      'src/new.ts': 'untracked, counted\n'
    });
    const expected = ['keep.log', 'package.json', 'src/a.ts', 'src/new.ts'];
    expect(paths((await listFromGit(ws, everything)).files)).toEqual(expected);
    expect(paths((await listByWalking(ws, everything)).files)).toEqual(expected);
    await keyBothWays(ws);
  });

  it('a workspace that is a subfolder of the repository', async () => {
    const top = repo({ 'outside.txt': 'outside\n', 'app/package.json': '{}\n', 'app/src/a.ts': 'a\n', 'app/src/b.ts': 'b\n' });
    const ws = join(top, 'app');
    writeFileSync(join(top, 'outside.txt'), 'changed outside\n');
    writeFileSync(join(ws, 'src/a.ts'), 'a changed\n');
    writeTree(ws, { 'src/new.ts': 'new\n' });
    writeTree(top, { 'untracked-outside.txt': 'x\n' });
    const listing = await listFromGit(ws, everything);
    expect(paths(listing.files)).toEqual(['package.json', 'src/a.ts', 'src/b.ts', 'src/new.ts']);
    const { viaGit } = await keyBothWays(ws);
    const elsewhere = await computeKeys(request(copyTree(ws)));
    expect(elsewhere.source).toBe('walk');
    expect(elsewhere.key).toBe(viaGit.key);
  });

  it('an executable bit for group or others only is read as git reads it (not executable)', async () => {
    const ws = repo({ 'tool.sh': '#!/bin/sh\n', 'src/a.ts': 'a\n' });
    chmodSync(join(ws, 'tool.sh'), 0o654);
    const fromGit = (await listFromGit(ws, everything)).files.find((file) => file.path === 'tool.sh');
    expect(fromGit?.mode).toBe('100644');
    expect((await listByWalking(ws, everything)).files.find((file) => file.path === 'tool.sh')?.mode).toBe('100644');
    await keyBothWays(ws);
  });

  it("blob ids are git's object ids (binary, empty, CRLF, non-ASCII name)", async () => {
    const binary = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0, 0x0d, 0x0a]), randomBytes(5000)]);
    // large.bin is bigger than the reader's buffer: it is hashed in pieces.
    const files = { 'bin.dat': binary, 'empty.txt': '', 'crlf.txt': 'one\r\ntwo\r\n', 'ünï côdé.txt': 'unicode\n', 'large.bin': randomBytes(12 * 1024 * 1024 + 7) };
    const ws = repo(files);
    const fromIndex = new Map((await listFromGit(ws, everything)).files.map((file) => [file.path, file.oid]));
    const walked = new Map((await listByWalking(ws, everything)).files.map((file) => [file.path, file.oid]));
    for (const path of Object.keys(files)) {
      const expected = git(ws, 'hash-object', '--', path).trim();
      expect({ path, oid: new BlobReader().entry(ws, path)?.oid }).toEqual({ path, oid: expected });
      expect({ path, oid: fromIndex.get(path) }).toEqual({ path, oid: expected });
      expect({ path, oid: walked.get(path) }).toEqual({ path, oid: expected });
    }
    expect(walked.get('empty.txt')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });

  it('symlinks are hashed as links (mode 120000, id of the target), never followed', async () => {
    const outside = fresh('outside');
    writeTree(outside, { 'secret.txt': 'secret\n', 'deep/more.txt': 'more\n' });
    const ws = repo({ 'real.txt': 'real\n' });
    symlinkSync('real.txt', join(ws, 'to-file'));
    symlinkSync(outside, join(ws, 'to-outside'));
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'links');

    const walked = (await listByWalking(ws, everything)).files;
    expect(paths(walked)).toEqual(['real.txt', 'to-file', 'to-outside']);
    expect(walked.find((file) => file.path === 'to-outside')).toEqual({ path: 'to-outside', mode: '120000', oid: gitHashOf(ws, outside) });
    expect(walked.find((file) => file.path === 'to-file')).toEqual({ path: 'to-file', mode: '120000', oid: gitHashOf(ws, 'real.txt') });
    const before = await keyOf(ws);
    // What a link points at is not part of the key; where it points is.
    writeTree(outside, { 'secret.txt': 'changed\n', 'new.txt': 'new\n' });
    expect(await keyOf(ws)).toBe(before);
    unlinkSync(join(ws, 'to-file'));
    symlinkSync('./real.txt', join(ws, 'to-file'));
    expect(await keyOf(ws)).not.toBe(before);
  });
});

describe('patterns', () => {
  it('the shortcuts for **, <folder>/** and **/<name>/** answer as picomatch does', () => {
    const segment = fc.constantFrom('src', 'node_modules', '.env', 'a.b', 'srcs', 'x', 'dist', 'my app', '@scope', '*', 'a[1]');
    const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
    const pattern = fc.oneof(
      fc.constant('**'),
      fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `${parts.join('/')}/**`),
      segment.map((name) => `**/${name}/**`),
      fc.constantFrom('**/*.b', 'src/*', '*.env', 'src/**/x', '{src,dist}/**', 'src\\*/**', 'src/./x/**', '**/./**')
    );
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 3 }), fc.array(path, { minLength: 1, maxLength: 20 }), (patterns, paths) => {
        const ours = globMatcher(patterns);
        const theirs = picomatch(patterns, { dot: true });
        for (const candidate of paths) expect({ patterns, candidate, matches: ours(candidate) }).toEqual({ patterns, candidate, matches: theirs(candidate) });
      }),
      { numRuns: 2000 }
    );
  });

  const tree = {
    'src/a.ts': 'a\n',
    'src/a.test.ts': 'test\n',
    'src/deep/x/y.ts': 'y\n',
    'src/.env.example': 'X=1\n',
    'srcs/other.ts': 'other\n',
    '.github/workflows/ci.yml': 'on: push\n',
    'README.md': 'readme\n'
  };
  const matched = async (ws: string, lines: string[]) => paths((await listByWalking(ws, parsePatterns('files', lines).matches)).files);

  it('matching nothing is an input error that names the patterns', async () => {
    const ws = repo(tree);
    for (const git of ['true', 'false'] as const) {
      const error = await rejection(computeKeys(request(ws, { git, files: parsePatterns('files', ['lib/**', 'src/**', '!src/**']) })));
      expect(error.input).toBe('files');
      expect(error.message).toMatch(/^input files: no file matches lib\/\*\*, .*src\/\*\* without src\/\*\*/);
    }
  });

  it('a pattern with .. or an absolute path is an input error', () => {
    for (const line of ['../secrets/**', 'src/../../x', '..', '/etc/passwd', '!../x', 'C:/Windows/**', '**/../x']) {
      const error = thrown(() => parsePatterns('files', ['src/**', line]));
      expect({ line, message: error.message }).toEqual({ line, message: `input files: ${JSON.stringify(line)} reaches outside the workspace; expected ${error.expected}` });
    }
  });

  it('! excludes', async () => {
    const ws = fresh();
    writeTree(ws, tree);
    expect(await matched(ws, ['src/**', '!**/*.test.ts'])).toEqual(['src/.env.example', 'src/a.ts', 'src/deep/x/y.ts']);
    const files = parsePatterns('files', ['src/**', '!**/*.test.ts']);
    const before = (await computeKeys(request(ws, { files }))).key;
    writeFileSync(join(ws, 'src/a.test.ts'), 'changed test\n');
    expect((await computeKeys(request(ws, { files }))).key).toBe(before);
    writeFileSync(join(ws, 'src/a.ts'), 'changed\n');
    expect((await computeKeys(request(ws, { files }))).key).not.toBe(before);
  });

  it('a folder name takes everything under it (and nothing beside it)', async () => {
    const ws = fresh();
    writeTree(ws, tree);
    const all = ['src/.env.example', 'src/a.test.ts', 'src/a.ts', 'src/deep/x/y.ts'];
    expect(await matched(ws, ['src'])).toEqual(all);
    expect(await matched(ws, ['src/'])).toEqual(all);
    expect(await matched(ws, ['./src'])).toEqual(all);
    expect(await matched(ws, ['src/deep'])).toEqual(['src/deep/x/y.ts']);
    expect(await matched(ws, ['src', '!src/deep'])).toEqual(['src/.env.example', 'src/a.test.ts', 'src/a.ts']);
  });

  it('dotfiles are included', async () => {
    const ws = fresh();
    writeTree(ws, tree);
    expect(await matched(ws, ['**'])).toEqual(['.github/workflows/ci.yml', 'README.md', ...['src/.env.example', 'src/a.test.ts', 'src/a.ts', 'src/deep/x/y.ts'], 'srcs/other.ts']);
    expect(await matched(ws, ['src/*'])).toContain('src/.env.example');
    expect(await matched(ws, ['**/*.yml'])).toEqual(['.github/workflows/ci.yml']);
  });
});

describe('per-package keys', () => {
  const monorepo = () => {
    const ws = fresh('mono');
    writeTree(ws, {
      'package-lock.json': '{"lockfileVersion":3}\n',
      'tsconfig.base.json': '{}\n',
      'services/api/package.json': '{"name":"api"}\n',
      'services/api/src/index.ts': 'api\n',
      'services/web/package.json': '{"name":"web"}\n',
      'services/web/src/page.ts': 'page\n',
      'docs/guide.md': 'guide\n'
    });
    return ws;
  };
  const keysOf = async (ws: string) => {
    const result = await computeKeys(request(ws, { files: parsePatterns('files', ['package-lock.json', 'tsconfig.base.json']), packages: ['services/*'] }));
    return { shared: result.key, ...Object.fromEntries(result.packages.map((pkg) => [pkg.name, pkg.key])) } as Record<string, string>;
  };

  it('changing a file in one package changes only that package key', async () => {
    const ws = monorepo();
    const before = await keysOf(ws);
    writeFileSync(join(ws, 'services/web/src/page.ts'), 'page 2\n');
    const after = await keysOf(ws);
    expect(after.shared).toBe(before.shared);
    expect(after['services/api']).toBe(before['services/api']);
    expect(after['services/web']).not.toBe(before['services/web']);
    // A file outside every package and the shared files changes nothing.
    writeFileSync(join(ws, 'docs/guide.md'), 'guide 2\n');
    expect(await keysOf(ws)).toEqual(after);
  });

  it('changing a shared file changes every key', async () => {
    const ws = monorepo();
    const before = await keysOf(ws);
    writeFileSync(join(ws, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    const after = await keysOf(ws);
    for (const name of ['shared', 'services/api', 'services/web']) expect({ name, changed: after[name] !== before[name] }).toEqual({ name, changed: true });
  });

  it('a package key is <prefix>-<folder>-<hash>', async () => {
    const ws = monorepo();
    const result = await computeKeys(request(ws, { prefix: 'build-linux', files: parsePatterns('files', ['package-lock.json']), packages: ['services/*/'] }));
    expect(result.packages.map((pkg) => pkg.name)).toEqual(['services/api', 'services/web']);
    for (const pkg of result.packages) {
      expect(pkg.key).toMatch(/^build-linux-services\/(api|web)-[0-9a-f]{64}$/);
      expect(pkg.key).toBe(`build-linux-${pkg.name}-${pkg.hash}`);
      expect(pkg.fileCount).toBe(2);
      expect(pkg.hash).not.toBe(result.hash);
    }
    // Only packages, no shared files: still one key per package.
    const onlyPackages = await computeKeys(request(ws, { files: undefined, packages: ['services/*'] }));
    expect(onlyPackages.packages.map((pkg) => pkg.name)).toEqual(['services/api', 'services/web']);
    const none = await rejection(computeKeys(request(ws, { files: undefined, packages: ['apps/*'] })));
    expect(none.message).toMatch(/^input packages: no folder with files matches apps\/\*/);
  });
});

describe('restore keys and key rules', () => {
  it('restoreKeys is the prefix chain, most specific first', async () => {
    expect(restoreKeys('build-linux-node24')).toEqual(['build-linux-node24-', 'build-linux-', 'build-']);
    expect(restoreKeys('build')).toEqual(['build-']);
    const ws = fresh();
    writeTree(ws, { 'a.txt': 'a\n' });
    const result = await computeKeys(request(ws, { prefix: 'web-prod' }));
    expect(result.restoreKeys).toEqual(['web-prod-', 'web-']);
    // Every restore key is a prefix of the key itself.
    for (const restoreKey of result.restoreKeys) expect(result.key.startsWith(restoreKey)).toBe(true);
  });

  it('checkKey rejects keys over 512 characters and keys with commas, as input errors', async () => {
    expect(checkKey('prefix', 'k'.repeat(512))).toBe('k'.repeat(512));
    expect(thrown(() => checkKey('prefix', 'k'.repeat(513))).message).toMatch(/^input prefix: the key would be 513 characters long; expected .*512/);
    expect(thrown(() => checkKey('prefix', 'build-a,b')).message).toMatch(/^input prefix: the key would contain a comma/);
    const ws = fresh();
    writeTree(ws, { 'a.txt': 'a\n' });
    const error = await rejection(computeKeys(request(ws, { prefix: 'p'.repeat(500) })));
    expect(error.input).toBe('prefix');
    expect(error.message).toContain('565 characters');
  });
});

describe('git', () => {
  it('a shallow clone gives the same key as the full repository', async () => {
    const full = repo({ 'src/a.ts': 'a1\n', 'services/api/x.ts': 'x\n', 'package-lock.json': '{}\n' });
    for (const version of ['a2', 'a3']) {
      writeFileSync(join(full, 'src/a.ts'), `${version}\n`);
      git(full, 'commit', '-q', '-am', version);
    }
    const shallow = join(fresh('clone'), 'shallow');
    git(dirname(shallow), 'clone', '-q', '--depth', '1', `file://${full}`, shallow);
    expect(git(shallow, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    expect(git(shallow, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    const over: Partial<KeyRequest> = { files: parsePatterns('files', ['src/**', 'package-lock.json']), packages: ['services/*'] };
    const fromFull = await keyBothWays(full, over);
    const fromShallow = await keyBothWays(shallow, over);
    expect(summary(fromShallow.viaGit)).toEqual(summary(fromFull.viaGit));
    expect(fromShallow.viaGit.hashed).toBe(0);
  });

  it("git: 'true' outside a repository is an input error; 'auto' walks the tree", async () => {
    const ws = fresh('plain');
    writeTree(ws, { 'a.txt': 'a\n' });
    const error = await rejection(computeKeys(request(ws, { git: 'true' })));
    expect(error.input).toBe('git');
    expect(error.message).toBe(`input git: ${ws} is not inside a git work tree; expected auto or false outside a git repository`);
    const auto = await computeKeys(request(ws, { git: 'auto' }));
    expect(auto.source).toBe('walk');
    // No repository is no failure of git: walking is the plan, and nothing says git failed.
    expect(auto.gitUnavailable).toBeUndefined();
    expect(auto.fileCount).toBe(1);
    expect(auto.key).toBe((await computeKeys(request(ws, { git: 'false' }))).key);
  });
});

describe('build output is never part of a key', () => {
  it('a package whose dist/ is not ignored keeps its key when the output appears', async () => {
    const workspace = repo({ 'services/api/src/a.ts': 'a', 'services/web/src/b.ts': 'b', 'package-lock.json': '{}' });
    const over: Partial<KeyRequest> = { files: parsePatterns('files', ['package-lock.json']), packages: ['services/*'], outputs: ['{package}/dist'] };
    const before = await keyBothWays(workspace, over);
    writeTree(workspace, { 'services/api/dist/a.js': 'built', 'services/web/dist/b.js': 'built' });
    const after = await keyBothWays(workspace, over);
    expect(summary(after.walked)).toEqual(summary(before.walked));
    // Without naming the output, the (untracked, unignored) build output would change the keys.
    const unnamed = await computeKeys(request(workspace, { ...over, outputs: [] }));
    expect(unnamed.packages.map((p) => p.key)).not.toEqual(before.walked.packages.map((p) => p.key));
  });

  it('a shared output folder is left out of the shared key', async () => {
    const workspace = repo({ 'src/a.ts': 'a' });
    const before = await keyOf(workspace, { outputs: ['dist'] });
    writeTree(workspace, { 'dist/a.js': 'built' });
    expect(await keyOf(workspace, { outputs: ['dist'] })).toBe(before);
  });
});

const headOf = (dir: string) => git(dir, 'rev-parse', 'HEAD').trim();
const sha256 = (...parts: Array<string | Buffer>) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

describe('submodules', () => {
  // Local clones are file transport, which git refuses for submodules unless allowed.
  const gitAllowingFiles = (cwd: string, ...args: string[]) => git(cwd, '-c', 'protocol.file.allow=always', ...args);
  /** A library repository, and a repository holding it as a submodule at vendor/lib. */
  const withSubmodule = () => {
    const lib = repo({ 'src/lib.c': 'int lib = 1;\n', README: 'lib\n' }, 'lib');
    const top = repo({ 'src/main.c': 'int main;\n', 'package-lock.json': '{}\n' }, 'super');
    gitAllowingFiles(top, 'submodule', 'add', '-q', lib, 'vendor/lib');
    git(top, 'commit', '-q', '-m', 'the library as a submodule');
    return { lib, top, sub: join(top, 'vendor/lib') };
  };

  it('counts as its commit (mode 160000) with and without git, and a pattern naming it matches it', async () => {
    const { top, sub } = withSubmodule();
    expect(readFileSync(join(sub, '.git'), 'utf8')).toMatch(/^gitdir: \.\.\/\.\.\/\.git\/modules\/vendor\/lib/);
    const gitlink = { path: 'vendor/lib', mode: '160000', oid: headOf(sub) };
    expect(git(top, 'ls-files', '-s', 'vendor/lib')).toBe(`160000 ${gitlink.oid} 0\tvendor/lib\n`);
    expect((await listFromGit(top, everything)).files).toContainEqual(gitlink);
    const walked = (await listByWalking(top, everything)).files;
    expect(walked).toContainEqual(gitlink);
    // One entry: nothing inside the submodule is read.
    expect(paths(walked)).toEqual(['.gitmodules', 'package-lock.json', 'src/main.c', 'vendor/lib']);
    await keyBothWays(top);

    const named = await keyBothWays(top, { files: parsePatterns('files', ['vendor/lib']) });
    expect(named.walked.fileCount).toBe(1);
    expect(named.walked.hash).toBe(sha256(`${KEY_FORMAT}\n160000 ${gitlink.oid} "vendor/lib"\n`));
    expect((await keyBothWays(top, { files: parsePatterns('files', ['vendor/**']) })).walked.hash).toBe(named.walked.hash);
    const inside = await rejection(computeKeys(request(top, { files: parsePatterns('files', ['vendor/lib/src/**']) })));
    expect(inside.message).toMatch(/^input files: no file matches vendor\/lib\/src\/\*\*/);

    // Its branch's ref packed (as git gc leaves it): the commit is read from packed-refs.
    expect(readFileSync(join(top, '.git/modules/vendor/lib/HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    git(sub, 'pack-refs', '--all');
    expect(existsSync(join(top, '.git/modules/vendor/lib/refs/heads/main'))).toBe(false);
    expect((await keyBothWays(top, { files: parsePatterns('files', ['vendor/lib']) })).walked.hash).toBe(named.walked.hash);
  });

  it('a bump changes the key, committed or not, and each checkout gets its commit key; uncommitted work inside does not', async () => {
    const { lib, top, sub } = withSubmodule();
    const before = await keyOf(top);
    writeFileSync(join(sub, 'src/lib.c'), 'int lib = 2; /* not committed in the submodule */\n');
    expect(git(top, 'status', '--porcelain')).toBe(' M vendor/lib\n');
    expect(await keyOf(top)).toBe(before);
    git(sub, 'checkout', '-q', '--', '.');

    writeFileSync(join(lib, 'src/lib.c'), 'int lib = 2;\n');
    git(lib, 'commit', '-q', '-am', 'lib 2');
    gitAllowingFiles(sub, 'pull', '-q', '--ff-only');
    expect(headOf(sub)).toBe(headOf(lib));
    const bumped = await keyOf(top); // checked out at the new commit, not yet committed above
    expect(bumped).not.toBe(before);
    git(top, 'commit', '-q', '-am', 'bump the library');
    expect(await keyOf(top)).toBe(bumped);

    // Fresh checkouts of the commit before and after the bump (submodules detached, as CI has them).
    const checkout = (commit: string) => {
      const dir = join(fresh('checkout'), 'super');
      gitAllowingFiles(dirname(dir), 'clone', '-q', top, dir);
      git(dir, 'checkout', '-q', commit);
      gitAllowingFiles(dir, 'submodule', 'update', '-q', '--init');
      return dir;
    };
    const old = checkout('HEAD~1');
    expect(readFileSync(join(old, '.git/modules/vendor/lib/HEAD'), 'utf8').trim()).toMatch(/^[0-9a-f]{40}$/);
    expect(await keyOf(old)).toBe(before);
    expect(await keyOf(checkout('HEAD'))).toBe(bumped);
  });

  it('a repository cloned inside the tree counts as the commit checked out; one with no commit yet counts as nothing', async () => {
    const lib = repo({ 'lib.c': 'int lib;\n' }, 'lib');
    const top = repo({ 'main.c': 'int main;\n' });
    git(top, 'clone', '-q', lib, 'nested');
    mkdirSync(join(top, 'unborn'));
    git(join(top, 'unborn'), 'init', '-q');
    writeTree(join(top, 'unborn'), { 'x.c': 'x\n' });
    // git lists the untracked repositories as folders.
    expect(git(top, 'ls-files', '-o', '--exclude-standard')).toBe('nested/\nunborn/\n');
    const gitlink = { path: 'nested', mode: '160000', oid: headOf(lib) };
    expect((await listFromGit(top, everything)).files).toEqual([{ path: 'main.c', mode: '100644', oid: gitHashOf(top, 'int main;\n') }, gitlink]);
    expect(paths((await listByWalking(top, everything)).files)).toEqual(['main.c', 'nested']);
    await keyBothWays(top);
  });
});

describe('names that are not UTF-8', () => {
  const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));
  const at = (ws: string, name: Buffer) => Buffer.concat([Buffer.from(`${ws}/`), name]);
  const latin1 = bytes('caf', [0xe9], '.txt'); // "café.txt" as Latin-1
  const sibling = bytes('caf', [0xe8], '.txt'); // differs in that byte only: must not collide
  const folder = bytes('d', [0xff, 0xfe]);
  const inFolder = bytes('d', [0xff, 0xfe], '/x.txt');
  const replacement = bytes('real-\uFFFD.txt'); // valid UTF-8 holding U+FFFD itself
  const names = (files: readonly FileEntry[]) => files.map((file) => pathBytes(file.path).toString('latin1')).sort();

  it('are listed, hashed and keyed by their bytes, tracked, modified and untracked, with and without git', async () => {
    const ws = repo({ 'a.txt': 'a\n' });
    mkdirSync(at(ws, folder));
    writeFileSync(at(ws, latin1), 'one\n');
    writeFileSync(at(ws, sibling), 'sibling\n');
    writeFileSync(at(ws, inFolder), 'x\n');
    writeFileSync(at(ws, replacement), 'fffd\n');
    symlinkSync(latin1, at(ws, bytes('link-', [0xe9]))); // a link whose target is not UTF-8 either
    git(ws, 'add', '-A');
    git(ws, 'commit', '-q', '-m', 'names in Latin-1');
    const clean = await keyBothWays(ws);
    expect(clean.viaGit.hashed).toBe(0);
    const expected = ['a.txt', latin1, sibling, inFolder, replacement, bytes('link-', [0xe9])].map((name) => Buffer.from(name).toString('latin1')).sort();
    const listed = (await listFromGit(ws, everything)).files;
    expect(names(listed)).toEqual(expected);
    expect(names((await listByWalking(ws, everything)).files)).toEqual(expected);
    const byName = new Map(listed.map((file) => [pathBytes(file.path).toString('latin1'), file]));
    expect(byName.get(latin1.toString('latin1'))).toMatchObject({ mode: '100644', oid: gitHashOf(ws, 'one\n') });
    expect(byName.get(bytes('link-', [0xe9]).toString('latin1'))).toMatchObject({ mode: '120000', oid: gitHashOf(ws, latin1) });

    // Modified: read from disk by their bytes (they were dropped, and the walk failed on them).
    writeFileSync(at(ws, latin1), 'two\n');
    writeFileSync(at(ws, inFolder), 'y\n');
    const modified = await keyBothWays(ws);
    expect(modified.viaGit.hashed).toBe(2);
    expect(modified.walked.fileCount).toBe(6);
    expect(modified.walked.key).not.toBe(clean.walked.key);

    // Untracked: a file in a new folder, and a file at the top.
    const newFolder = bytes('new', [0xc3]);
    mkdirSync(at(ws, newFolder));
    writeFileSync(at(ws, bytes('new', [0xc3], '/', [0x80, 0x80])), 'z\n');
    writeFileSync(at(ws, bytes([0xf0, 0x28, 0x8c, 0x28])), 'w\n');
    const untracked = await keyBothWays(ws);
    expect(untracked.viaGit.hashed).toBe(4);
    expect(untracked.walked.fileCount).toBe(8);
    expect(untracked.walked.key).not.toBe(modified.walked.key);

    // Putting a byte back restores the key: the name's bytes, not an approximation, are keyed.
    renameSync(at(ws, latin1), at(ws, bytes('caf', [0xe7], '.txt')));
    const renamed = await keyOf(ws);
    expect(renamed).not.toBe(untracked.walked.key);
    renameSync(at(ws, bytes('caf', [0xe7], '.txt')), at(ws, latin1));
    expect(await keyOf(ws)).toBe(untracked.walked.key);
  });

  it("the key line holds the name's own bytes, quoted as JSON quotes", () => {
    const name = bytes('caf', [0xe9], '"\n\\.txt');
    const oid = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
    const path = pathFromBytes(name);
    expect(hashFiles([{ path, mode: '100644', oid }, { path: 'b.txt', mode: '100644', oid }], [])).toBe(
      sha256(`${KEY_FORMAT}\n100644 ${oid} "b.txt"\n100644 ${oid} `, bytes('"caf', [0xe9], '\\"\\n\\\\.txt"\n'))
    );
  });

  it('bytes become a path and back unchanged; UTF-8 stays as it is, and quotes as JSON.stringify', () => {
    // Bytes around the edges of UTF-8's sequences, so that valid and invalid ones both come up.
    const edges = [0x00, 0x0a, 0x22, 0x2f, 0x5c, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xa9, 0xdf, 0xe0, 0xa0, 0xe2, 0x82, 0xac, 0xed, 0x9f, 0xef, 0xbf, 0xbd, 0xf0, 0x90, 0x9f, 0x98, 0xf4, 0x8f, 0xf5, 0xff];
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...edges));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 24 }), (array) => {
        const original = Buffer.from(array);
        const path = pathFromBytes(original);
        expect(pathBytes(path).equals(original)).toBe(true);
        if (isUtf8(original)) {
          expect(path).toBe(original.toString('utf8'));
          expect(quotedPathBytes(path).equals(Buffer.from(JSON.stringify(path)))).toBe(true);
        }
      }),
      { numRuns: 5000 }
    );
  });
});

describe('changed-since', () => {
  const monorepo = () =>
    repo(
      {
        '.gitignore': 'dist/\n*.log\n',
        'package-lock.json': '{}\n',
        'services/api/package.json': '{}\n',
        'services/api/src/index.ts': 'api 1\n',
        'services/web/src/page.ts': 'web 1\n',
        'services/db/src/schema.sql': 'db 1\n',
        'services/db/README.md': 'db\n',
        'docs/guide.md': 'guide\n'
      },
      'mono'
    );
  const changedOf = async (ws: string, ref: string, over: Partial<KeyRequest> = {}) =>
    (await computeKeys(request(ws, { files: parsePatterns('files', ['package-lock.json']), packages: ['services/*'], changedSince: ref, ...over }))).changed;

  it('lists the packages whose files differ from the commit: committed since, staged, changed on disk, deleted, untracked', async () => {
    const ws = monorepo();
    const base = headOf(ws);
    expect(await changedOf(ws, base)).toEqual([]);
    writeFileSync(join(ws, 'services/web/src/page.ts'), 'web 2\n');
    git(ws, 'commit', '-q', '-am', 'web 2');
    expect(await changedOf(ws, base)).toEqual(['services/web']);
    expect(await changedOf(ws, 'HEAD~1')).toEqual(['services/web']);
    expect(await changedOf(ws, 'HEAD')).toEqual([]);

    writeFileSync(join(ws, 'services/api/src/index.ts'), 'api 2\n');
    git(ws, 'add', '-A'); // staged
    writeFileSync(join(ws, 'services/db/src/schema.sql'), 'db 2\n'); // on disk only
    expect(await changedOf(ws, 'HEAD')).toEqual(['services/api', 'services/db']);
    expect(await changedOf(ws, base)).toEqual(['services/api', 'services/db', 'services/web']);
    git(ws, 'reset', '-q', '--hard');

    unlinkSync(join(ws, 'services/db/src/schema.sql'));
    expect(await changedOf(ws, 'HEAD')).toEqual(['services/db']);
    git(ws, 'reset', '-q', '--hard');
    git(ws, 'mv', 'services/api/src/index.ts', 'services/web/src/moved.ts'); // a rename: both sides
    expect(await changedOf(ws, 'HEAD')).toEqual(['services/api', 'services/web']);
    git(ws, 'reset', '-q', '--hard');

    writeTree(ws, { 'services/api/src/new.ts': 'new\n' });
    expect(await changedOf(ws, 'HEAD')).toEqual(['services/api']);
    git(ws, 'clean', '-q', '-fd');

    // Ignored files, the build output and files of no package change nothing.
    writeTree(ws, { 'services/web/debug.log': 'log\n', 'services/web/dist/page.js': 'built\n', 'services/db/out/schema.bin': 'built\n', 'docs/guide.md': 'guide 2\n' });
    expect(await changedOf(ws, 'HEAD', { outputs: ['{package}/out'] })).toEqual([]);
    git(ws, 'reset', '-q', '--hard');
    git(ws, 'clean', '-q', '-fdx');

    // A shared file is in every package's key.
    writeFileSync(join(ws, 'package-lock.json'), '{"lockfileVersion":3}\n');
    expect(await changedOf(ws, 'HEAD')).toEqual(['services/api', 'services/db', 'services/web']);
  });

  it('in a workspace that is a folder of the repository, only what is under it counts', async () => {
    const top = repo({ 'outside/x.txt': 'x\n', 'app/services/api/a.ts': 'a\n', 'app/services/web/b.ts': 'b\n', 'app/services/x.txt': 'x\n' });
    const ws = join(top, 'app');
    writeFileSync(join(top, 'outside/x.txt'), 'x 2\n');
    writeFileSync(join(ws, 'services/web/b.ts'), 'b 2\n');
    expect(await changedOf(ws, 'HEAD', { files: undefined })).toEqual(['services/web']);
  });

  it('a name git does not know as a commit, or a workspace without git, is an input error naming changed-since', async () => {
    const ws = monorepo();
    const unknown = await rejection(computeKeys(request(ws, { changedSince: 'no-such-branch' })));
    expect(unknown.message).toBe(
      'input changed-since: "no-such-branch" is not a commit in this repository; expected a branch, tag or commit the checkout has, such as origin/main or HEAD~1 (actions/checkout fetches one commit unless fetch-depth is 0)'
    );
    // A shallow clone has no parent commit.
    const shallow = join(fresh('clone'), 'shallow');
    git(dirname(shallow), 'clone', '-q', '--depth', '1', `file://${ws}`, shallow);
    expect((await rejection(computeKeys(request(shallow, { changedSince: 'HEAD~1' })))).input).toBe('changed-since');
    const plain = fresh('plain');
    writeTree(plain, { 'a.txt': 'a\n' });
    const noGit = await rejection(computeKeys(request(plain, { changedSince: 'HEAD' })));
    expect(noGit.message).toBe(`input changed-since: it needs git's history, and ${plain} is not inside a git work tree; expected a commit to compare with (such as origin/main) in a git checkout, with git auto or true`);
  });
});

describe('git through @actions/exec', () => {
  const withPath = async <T>(path: string, action: () => Promise<T>): Promise<T> => {
    const saved = process.env.PATH;
    process.env.PATH = path;
    try {
      return await action();
    } finally {
      process.env.PATH = saved;
    }
  };

  it('names git prints quoted (a newline, a tab, quotes, a backslash, control characters) are read back as they are', async () => {
    const names = ['new\nline.txt', 'tab\there.txt', '"quoted".txt', 'back\\slash.txt', 'bell\u0007-del\u007f-one\u0001.txt', 'dir\n/inner "x".txt', 'caf\u00e9 "\\n".txt'];
    const ws = repo(Object.fromEntries(names.map((name, index) => [name, `file ${index}\n`])));
    // git quotes them (core.quotePath is off in ours, so bytes from 0x80 up are not escaped).
    expect(git(ws, 'ls-files')).toContain('"new\\nline.txt"');
    const clean = await keyBothWays(ws);
    expect(paths((await listFromGit(ws, everything)).files)).toEqual([...names].sort());
    expect(clean.viaGit.hashed).toBe(0);
    writeFileSync(join(ws, names[0]!), 'changed\n'); // modified
    writeTree(ws, { 'untracked\ttoo "\\".txt': 'new\n' });
    const dirty = await keyBothWays(ws);
    expect(dirty.viaGit.hashed).toBe(2);
    expect(dirty.walked.fileCount).toBe(names.length + 1);
    const byPath = new Map((await listFromGit(ws, everything)).files.map((file) => [file.path, file.oid]));
    expect(byPath.get(names[0]!)).toBe(gitHashOf(ws, 'changed\n'));
    expect(byPath.get('untracked\ttoo "\\".txt')).toBe(gitHashOf(ws, 'new\n'));
  });

  it("without git installed, auto walks a repository and says why; true fails saying why", async () => {
    const ws = repo({ 'a.txt': 'a\n' });
    const walked = (await computeKeys(request(ws, { git: 'false' }))).key;
    const empty = fresh('no-git');
    const auto = await withPath(empty, () => computeKeys(request(ws)));
    expect(auto.source).toBe('walk');
    expect(auto.gitUnavailable).toBe('git is not installed (not found on PATH)');
    expect(auto.key).toBe(walked);
    const error = await withPath(empty, () => computeKeys(request(ws, { git: 'true' })).catch((caught: unknown) => caught as Error));
    expect((error as Error).message).toBe(`git could not list the files in ${ws}: git is not installed (not found on PATH)`);
  });
});

describe('a repository owned by another user', () => {
  // Git refuses a repository whose owner is not the user running it; as root, one is made so.
  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot("git's reason and its fix are passed on in one line: auto walks, true fails, and the fix works", async () => {
    const ws = repo({ 'src/a.ts': 'a\n' });
    execFileSync('chown', ['-R', 'nobody', ws]);
    const fix = `git config --global --add safe.directory ${ws}`;
    const auto = await computeKeys(request(ws));
    expect(auto.source).toBe('walk');
    expect(auto.gitUnavailable).toBe(`detected dubious ownership in repository at '${ws}'; to trust it, run: ${fix}`);
    const error = await computeKeys(request(ws, { git: 'true' })).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`git could not list the files in ${ws}: ${auto.gitUnavailable}`);
    // Running the fix as given (into a global configuration of this test's own) lets git read it.
    process.env.GIT_CONFIG_GLOBAL = join(fresh('config'), 'gitconfig');
    try {
      execFileSync('git', fix.split(' ').slice(1), { env: process.env, timeout: 30_000 });
      const trusted = await computeKeys(request(ws, { git: 'true' }));
      expect(trusted.source).toBe('git');
      expect(trusted.key).toBe(auto.key);
    } finally {
      delete process.env.GIT_CONFIG_GLOBAL;
    }
  });
});
