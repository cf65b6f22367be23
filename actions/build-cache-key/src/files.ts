// The files a key is made of, each as (path, mode, git blob id). The blob id is computed the same way
// for every file, so a key is the same with and without git: git's index only saves the reading
// and hashing of files it already knows, unmodified.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ignore, { type Ignore } from 'ignore';
import { BlobReader, FileHasher, type FileEntry } from './hashing.js';

const run = promisify(execFile);

export interface Listing {
  files: FileEntry[];
  /** How the list was made: from git's index (hashing only dirty and untracked files) or by walking the tree. */
  source: 'git' | 'walk';
  /** Files whose content was read and hashed by us. */
  hashed: number;
  /** Threads that read them. */
  threads: number;
}

/** Calls `each` with every record of NUL-terminated git output, without splitting it into an array first. */
function forEachRecord(text: string, each: (record: string) => void): void {
  let start = 0;
  for (let end = text.indexOf('\0'); end !== -1; end = text.indexOf('\0', start)) {
    if (end > start) each(text.slice(start, end));
    start = end + 1;
  }
}

/** Git could not list the files: not a repository, no git, a repository git refuses ("dubious ownership"). */
export class GitListingError extends Error {}

async function git(workspace: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd: workspace, maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    return stdout;
  } catch (error) {
    // What git said (its first line), else why it could not run at all (ENOENT: not installed).
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new GitListingError((stderr?.trim() || message).split('\n')[0]!, { cause: error });
  }
}

/** True when `workspace` is inside a git work tree (and git is installed). */
export async function isGitWorkTree(workspace: string): Promise<boolean> {
  try {
    return (await git(workspace, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

/**
 * From git: object ids of tracked, unmodified files straight from the index (`git ls-files -s`);
 * files that differ from the index on disk (modified, deleted, type-changed, intent-to-add,
 * conflicted: `git ls-files -m`) and untracked, not ignored ones (`git ls-files -o
 * --exclude-standard`) are read and hashed by us. What is staged but unchanged on disk has the
 * right id in the index already, so the index is never compared with HEAD (which `git status`
 * would do). The three commands run at once, and the index's list is taken in while the other two
 * still run; their paths are relative to the workspace, which may be a folder inside the
 * repository, and cover only what is under it.
 */
export async function listFromGit(workspace: string, wanted: (path: string) => boolean): Promise<Listing> {
  const modified = git(workspace, ['ls-files', '--modified', '-z']);
  const untracked = git(workspace, ['ls-files', '--others', '--exclude-standard', '-z']);
  const indexed = git(workspace, ['ls-files', '--stage', '-z']).then((staged) => fromIndex(staged, wanted));
  const [fromIndexed, modifiedPaths, untrackedPaths] = await Promise.all([indexed, modified, untracked]);
  const onDisk = new Set<string>(); // what the index does not tell: read below, or gone
  const hasher = new FileHasher(resolve(workspace));
  const readFromDisk = (path: string) => {
    if (onDisk.has(path) || !wanted(path)) return; // a conflicted path is listed once per stage
    onDisk.add(path);
    hasher.add(path);
  };
  forEachRecord(modifiedPaths, readFromDisk);
  forEachRecord(untrackedPaths, readFromDisk);
  const fromDisk = await hasher.finish();
  const files = onDisk.size === 0 ? fromIndexed : fromIndexed.filter((entry) => !onDisk.has(entry.path));
  files.push(...fromDisk);
  return { files, source: 'git', hashed: fromDisk.length, threads: hasher.threads };
}

/** The wanted files of `git ls-files -s -z` output. */
function fromIndex(staged: string, wanted: (path: string) => boolean): FileEntry[] {
  const files: FileEntry[] = [];
  forEachRecord(staged, (record) => {
    // `<mode> <object id> <stage>\t<path>`; the id is 40 or 64 hex digits (SHA-1 or SHA-256 repositories).
    const tab = record.indexOf('\t');
    const mode = record.slice(0, 6);
    // Gitlinks (submodules) are not files of this tree; conflicted entries (stage 1-3) are in `--modified`.
    if (record.charCodeAt(tab - 1) !== 48 /* stage 0 */ || !(mode === '100644' || mode === '100755' || mode === '120000')) return;
    const path = record.slice(tab + 1);
    if (wanted(path)) files.push({ path, mode, oid: record.slice(7, tab - 2) });
  });
  return files;
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
  const below: string[] = []; // the workspace's path under `top`, innermost folder first
  let top = root;
  while (!existsSync(join(top, '.git'))) {
    const parent = dirname(top);
    if (parent === top) return [];
    below.unshift(basename(top));
    top = parent;
  }
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
 * file wanted. Symlinks are hashed as links, never followed.
 */
export async function listByWalking(workspace: string, wanted: (path: string) => boolean): Promise<Listing> {
  const root = resolve(workspace);
  // readdir tells each entry's kind: files go to the hasher as such, the few links are read here.
  const hasher = new FileHasher(root, { regularFiles: true });
  const links = new BlobReader();
  const linked: FileEntry[] = [];
  try {
    walk(root, wanted, (path, isLink) => {
      if (!isLink) return hasher.add(path);
      const entry = links.entry(root, path, true);
      if (entry) linked.push(entry);
    });
  } catch (error) {
    hasher.close(); // the threads started for the files found before the failure
    throw error;
  }
  const files = [...(await hasher.finish()), ...linked];
  return { files, source: 'walk', hashed: files.length, threads: hasher.threads };
}

/** Calls `found` with every file and symlink under `root` that no ignore rule excludes and `wanted` accepts. */
function walk(root: string, wanted: (path: string) => boolean, found: (path: string, isLink: boolean) => void): void {
  const stack: Array<{ dir: string; rules: Rules[] }> = [{ dir: '', rules: rulesAbove(root) }];
  while (stack.length > 0) {
    const { dir, rules: inherited } = stack.pop()!;
    const entries = readdirSync(dir ? `${root}/${dir}` : root, { withFileTypes: true });
    // A folder's own .gitignore applies to everything in it, so it is read before anything else there.
    let rules = inherited;
    if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
      const base = dir ? `${dir}/` : '';
      rules = [...inherited, { base, above: '', rules: ignore().add(readFileSync(`${root}/${base}.gitignore`, 'utf8')) }];
    }
    for (const entry of entries) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && !isIgnored(rules, path, true)) stack.push({ dir: path, rules });
      } else if ((entry.isFile() || entry.isSymbolicLink()) && !isIgnored(rules, path, false) && wanted(path)) {
        found(path, entry.isSymbolicLink());
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
