// The files a key is made of, each as (path, mode, git object id). The blob id is computed the same
// way for every file, so a key is the same with and without git: git's index only saves the reading
// and hashing of files it already knows, unmodified. Paths are bytes end to end (see paths.ts).
import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { InputError } from '@deploy-actions/inputs';
import { BlobReader, FileHasher, gitlinkEntry, type FileEntry } from './hashing.js';
import { pathFromBytes, under } from './paths.js';

export interface Listing {
  files: FileEntry[];
  /** How the list was made: from git's index (hashing only dirty and untracked files) or by walking the tree. */
  source: 'git' | 'walk';
  /** Files whose content was read and hashed by us. */
  hashed: number;
  /** Threads that read them. */
  threads: number;
  /** From git: the paths that differ from the index on disk or are untracked (wanted or not). */
  dirty?: string[];
}

/**
 * Takes git's output chunk by chunk as it arrives and calls `each` with every line, its bytes that
 * are not UTF-8 escaped (paths.ts). A chunk is decoded up to its last newline at once; only one
 * holding a name that is not UTF-8 is decoded line by line from its bytes.
 */
class LineSplitter {
  private pending: Buffer | undefined;

  constructor(private readonly each: (line: string) => void) {}

  push(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const last = data.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.pending = data;
      return;
    }
    this.pending = last + 1 < data.length ? data.subarray(last + 1) : undefined;
    const text = data.toString('utf8', 0, last + 1);
    if (!text.includes('\uFFFD')) {
      for (let start = 0, end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
        if (end > start) this.each(text.slice(start, end));
      }
      return;
    }
    for (let start = 0, end = data.indexOf(NEWLINE); end !== -1 && end <= last; start = end + 1, end = data.indexOf(NEWLINE, start)) {
      if (end > start) this.each(pathFromBytes(data, start, end));
    }
  }

  /** The last line, should the output not end with a newline. */
  end(): void {
    if (this.pending?.length) this.each(pathFromBytes(this.pending));
    this.pending = undefined;
  }
}

const NEWLINE = 0x0a;
const C_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', '"': '"', '\\': '\\' };

/**
 * A path as git prints it with core.quotePath off: as it is, or, when it holds a control
 * character, `"` or `\`, in double quotes with C escapes (`\n`, `\"`, `\001`). Bytes from
 * 0x80 up are never escaped then, so every escape stands for an ASCII character.
 */
export function unquoteGitPath(printed: string): string {
  if (printed.charCodeAt(0) !== 34 /* " */ || printed.length < 2 || printed.charCodeAt(printed.length - 1) !== 34) return printed;
  return printed.slice(1, -1).replace(/\\(?:([0-7]{3})|(.))/g, (escape, octal: string | undefined, single: string | undefined) =>
    octal !== undefined ? String.fromCharCode(parseInt(octal, 8)) : (C_ESCAPES[single!] ?? escape)
  );
}

/** Git could not answer: a repository git refuses ("dubious ownership"), git not installed, a damaged index. */
export class GitListingError extends Error {
  constructor(
    message: string,
    /** git's exit code; undefined when it could not be run at all. */
    readonly exitCode?: number
  ) {
    super(message);
  }
}

type ExecModule = typeof import('@actions/exec');
let execModule: Promise<ExecModule> | undefined;

/**
 * Runs git in `workspace` through @actions/exec, imported when git first runs (a step that walks
 * never needs it, though @actions/core 3 loads it for its platform module today), handing git's
 * output to `onOutput` chunk by chunk, as bytes.
 *
 * Listings are read a line a record with core.quotePath off (names as their bytes; quoted only
 * with a control character, `"` or `\` in them), not with `-z`: @actions/exec scans what a
 * command printed since its last newline on every chunk it gets, which on NUL-terminated output
 * costs quadratic time (tens of milliseconds on 30,000 files, seconds on 200,000), and
 * `ls-files --format` that could add a newline takes git twice as long as `-s`.
 */
async function git(workspace: string, args: string[], onOutput?: (chunk: Buffer) => void): Promise<void> {
  const { exec } = await (execModule ??= import('@actions/exec'));
  const stderr: Buffer[] = [];
  const env: Record<string, string> = { GIT_OPTIONAL_LOCKS: '0' };
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !(name in env)) env[name] = value;
  let exitCode: number;
  try {
    exitCode = await exec('git', ['-c', 'core.quotePath=false', ...args], {
      cwd: workspace,
      env,
      silent: true,
      ignoreReturnCode: true,
      listeners: { ...(onOutput ? { stdout: onOutput } : {}), stderr: (chunk) => stderr.push(chunk) }
    });
  } catch (error) {
    // @actions/exec looks git up on PATH first, and says so when it is not there.
    throw new GitListingError(/Unable to locate executable/.test((error as Error).message) ? 'git is not installed (not found on PATH)' : (error as Error).message);
  }
  if (exitCode !== 0) throw new GitListingError(gitsReason(Buffer.concat(stderr).toString()) || `git ${args[0]} exited with code ${exitCode}`, exitCode);
}

/**
 * What git said, in one line: its first line, and the command git gives to fix it where it gives
 * one (a repository owned by another user: `git config --global --add safe.directory <path>`).
 */
function gitsReason(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const reason = (lines[0] ?? '').replace(/^(fatal|error): /, '');
  const fix = lines.find((line) => /^git config .*safe\.directory/.test(line));
  return fix ? `${reason}; to trust it, run: ${fix}` : reason;
}

/**
 * The folder holding the `.git` of the repository `root` is in, as git finds it (climbing up, and
 * stopping below any folder of GIT_CEILING_DIRECTORIES), and `root`'s path under it as folder
 * names; undefined when there is none.
 */
function repositoryAbove(root: string, env: NodeJS.ProcessEnv = process.env): { top: string; below: string[] } | undefined {
  const ceilings = new Set((env.GIT_CEILING_DIRECTORIES ?? '').split(':').filter((dir) => dir !== '').map((dir) => resolve(dir)));
  const below: string[] = []; // innermost folder last
  for (let top = root; ; ) {
    if (existsSync(join(top, '.git'))) return { top, below };
    const parent = dirname(top);
    if (parent === top || ceilings.has(parent)) return undefined;
    below.unshift(basename(top));
    top = parent;
  }
}

/** True when git has a repository to look at: a `.git` at or above `workspace`, or GIT_DIR set. */
export function inRepository(workspace: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.GIT_DIR) || repositoryAbove(resolve(workspace), env) !== undefined;
}

/**
 * From git: object ids of tracked, unmodified files and of submodules (their commits) straight
 * from the index (`git ls-files -s`); files that differ from the index on disk (modified, deleted,
 * type-changed, intent-to-add, conflicted, a submodule at another commit) and untracked, not
 * ignored ones are read and hashed by us (`git ls-files -m -o --exclude-standard` lists both at
 * once: one process and one reading of the index fewer than a command each). What is staged but
 * unchanged on disk has the right id in the index already, so the index is never compared with
 * HEAD (which `git status` would do). The two commands run at once, and the index is taken in as
 * git prints it while the other still runs; their paths are relative to the workspace, which may
 * be a folder inside the repository, and cover only what is under it.
 */
export async function listFromGit(workspace: string, wanted: (path: string) => boolean): Promise<Listing> {
  const dirty = gitPaths(workspace, ['ls-files', '--modified', '--others', '--exclude-standard']);
  const [fromIndexed, dirtyPaths] = await Promise.all([readIndex(workspace, wanted), dirty]);
  const onDisk = new Set<string>(); // what the index does not tell: read below, or gone
  const hasher = new FileHasher(resolve(workspace));
  const readFromDisk = (listed: string) => {
    // A repository inside the tree that git does not track is listed as its folder, `name/`.
    const path = listed.endsWith('/') ? listed.slice(0, -1) : listed;
    if (onDisk.has(path) || !wanted(path)) return; // a conflicted path is listed once per stage
    onDisk.add(path);
    hasher.add(path);
  };
  for (const path of dirtyPaths) readFromDisk(path);
  const fromDisk = await hasher.finish();
  const files = onDisk.size === 0 ? fromIndexed : fromIndexed.filter((entry) => !onDisk.has(entry.path));
  files.push(...fromDisk);
  return { files, source: 'git', hashed: fromDisk.length, threads: hasher.threads, dirty: dirtyPaths.map((path) => (path.endsWith('/') ? path.slice(0, -1) : path)) };
}

/** The paths a git command lists, one a line. */
async function gitPaths(workspace: string, args: string[]): Promise<string[]> {
  const paths: string[] = [];
  const splitter = new LineSplitter((line) => paths.push(unquoteGitPath(line)));
  await git(workspace, args, (chunk) => splitter.push(chunk));
  splitter.end();
  return paths;
}

/** The wanted entries of the index, taken in as git prints them: `<mode> <object id> <stage>\t<path>`. */
async function readIndex(workspace: string, wanted: (path: string) => boolean): Promise<FileEntry[]> {
  const files: FileEntry[] = [];
  const splitter = new LineSplitter((record) => {
    // The id is 40 or 64 hex digits (SHA-1 or SHA-256 repositories).
    const tab = record.indexOf('\t');
    const mode = record.slice(0, 6);
    // Conflicted entries (stage 1-3) are in `--modified`.
    if (record.charCodeAt(tab - 1) !== 48 /* stage 0 */ || !(mode === '100644' || mode === '100755' || mode === '120000' || mode === '160000')) return;
    const path = unquoteGitPath(record.slice(tab + 1));
    if (wanted(path)) files.push({ path, mode, oid: record.slice(7, tab - 2) });
  });
  await git(workspace, ['ls-files', '--stage'], (chunk) => splitter.push(chunk));
  splitter.end();
  return files;
}

/**
 * The paths under `workspace` whose content differs from the commit `ref`: committed since, staged
 * or changed on disk, deleted (`git diff --name-only <ref>`, renames as both names, a submodule
 * when its commit differs). Untracked files are not in it (the listing's dirty paths have them). A
 * `ref` git does not know as a commit is an input error of `changed-since`.
 */
export async function pathsChangedSince(workspace: string, ref: string): Promise<string[]> {
  try {
    return await gitPaths(workspace, ['diff', '--name-only', '--no-renames', '--relative', '--ignore-submodules=dirty', '--no-ext-diff', ref, '--']);
  } catch (error) {
    if (!(error instanceof GitListingError) || error.exitCode === undefined) throw error;
    const isCommit = await git(workspace, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).then(
      () => true,
      () => false
    );
    if (isCommit) throw error;
    throw new InputError('changed-since', `${JSON.stringify(ref)} is not a commit in this repository`, 'a branch, tag or commit the checkout has, such as origin/main or HEAD~1 (actions/checkout fetches one commit unless fetch-depth is 0)');
  }
}

/** The ignore rules of one file, for paths relative to the workspace: `base` is cut off their front, `above` put before it. */
interface Rules {
  rules: Ignore;
  /** The folder of a .gitignore inside the workspace, with a trailing `/` ('' for the workspace's own). */
  base: string;
  /** For rules from outside the workspace: the workspace's path under their folder, with a trailing `/`. */
  above: string;
}

/**
 * The rules that reach into the workspace from outside it, as git applies them when the workspace
 * is a folder inside a repository: the repository's `.git/info/exclude` (lowest priority), then the
 * .gitignore of every folder from the repository's top down to the workspace's parent. None when no
 * folder from the workspace up holds a `.git`.
 */
function rulesAbove(root: string): Rules[] {
  const repository = repositoryAbove(root);
  if (!repository) return [];
  const { top, below } = repository;
  const rules: Rules[] = [];
  const read = (file: string, above: string[]) => {
    const text = readOptional(file);
    if (text !== undefined) rules.push({ rules: ignore().add(text), base: '', above: above.map((part) => `${part}/`).join('') });
  };
  read(join(top, '.git', 'info', 'exclude'), below);
  for (let depth = 0; depth < below.length; depth += 1) read(join(top, ...below.slice(0, depth), '.gitignore'), below.slice(depth));
  return rules;
}

/** A file's text, or undefined when there is none (or it is not a readable file, such as `.git` being a file). */
function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Without git: walks the tree, honouring every .gitignore on the way, those above the workspace up
 * to the repository's top and its `.git/info/exclude` (and never entering .git), and hashes each
 * file wanted. Symlinks are hashed as links, never followed; a folder holding a repository (a
 * submodule) counts as the commit checked out in it, and is not entered.
 */
export async function listByWalking(workspace: string, wanted: (path: string) => boolean): Promise<Listing> {
  const root = resolve(workspace);
  // readdir tells each entry's kind: files go to the hasher as such, the few links and submodules are read here.
  const hasher = new FileHasher(root, { regularFiles: true });
  const links = new BlobReader();
  const linked: FileEntry[] = [];
  try {
    walk(root, wanted, (path, kind) => {
      if (kind === 'file') return hasher.add(path);
      const entry = kind === 'link' ? links.entry(root, path, true) : gitlinkEntry(under(root, path), path);
      if (entry) linked.push(entry);
    });
  } catch (error) {
    hasher.close(); // the threads started for the files found before the failure
    throw error;
  }
  const files = [...(await hasher.finish()), ...linked];
  return { files, source: 'walk', hashed: files.length, threads: hasher.threads };
}

/**
 * The entries of the folder `dir` (relative to `root`) and their names. Names are read as text;
 * only a folder where one did not decode (bytes that are not UTF-8) is read again as bytes.
 */
function readFolder(root: string, dir: string): { entries: Array<Dirent<string | Buffer>>; names: string[] } {
  const absolute = dir ? under(root, dir) : root;
  const entries = readdirSync(absolute, { withFileTypes: true, encoding: 'utf8' });
  if (!entries.some((entry) => entry.name.includes('\uFFFD'))) return { entries, names: entries.map((entry) => entry.name) };
  const raw = readdirSync(absolute, { withFileTypes: true, encoding: 'buffer' });
  return { entries: raw, names: raw.map((entry) => pathFromBytes(entry.name)) };
}

/**
 * Calls `found` with every file, symlink and submodule (a folder with a `.git`) under `root` that
 * no ignore rule excludes and `wanted` accepts.
 */
function walk(root: string, wanted: (path: string) => boolean, found: (path: string, kind: 'file' | 'link' | 'submodule') => void): void {
  const stack: Array<{ dir: string; rules: Rules[] }> = [{ dir: '', rules: rulesAbove(root) }];
  while (stack.length > 0) {
    const { dir, rules: inherited } = stack.pop()!;
    const { entries, names } = readFolder(root, dir);
    // A repository inside the tree is its commit, as git sees it: what is inside is not listed.
    if (dir !== '' && names.includes('.git')) {
      if (wanted(dir)) found(dir, 'submodule');
      continue;
    }
    // A folder's own .gitignore applies to everything in it, so it is read before anything else there.
    let rules = inherited;
    if (entries.some((entry, index) => names[index] === '.gitignore' && entry.isFile())) {
      const base = dir ? `${dir}/` : '';
      rules = [...inherited, { base, above: '', rules: ignore().add(readFileSync(under(root, `${base}.gitignore`), 'utf8')) }];
    }
    for (let index = 0; index < entries.length; index += 1) {
      const entry = entries[index]!;
      const name = names[index]!;
      const path = dir ? `${dir}/${name}` : name;
      if (entry.isDirectory()) {
        if (name !== '.git' && !isIgnored(rules, path, true)) stack.push({ dir: path, rules });
      } else if ((entry.isFile() || entry.isSymbolicLink()) && !isIgnored(rules, path, false) && wanted(path)) {
        found(path, entry.isSymbolicLink() ? 'link' : 'file');
      }
    }
  }
}

/**
 * As in git, the deepest .gitignore with a matching pattern decides: a nested `!keep.log` re-includes
 * what a parent's `*.log` ignores.
 */
function isIgnored(rules: readonly Rules[], path: string, directory: boolean): boolean {
  for (let level = rules.length - 1; level >= 0; level -= 1) {
    const { base, above, rules: matcher } = rules[level]!;
    const verdict = matcher.test(`${above}${path.slice(base.length)}${directory ? '/' : ''}`);
    if (verdict.ignored || verdict.unignored) return verdict.ignored;
  }
  return false;
}
