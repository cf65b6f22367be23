// The files a key is made of, each as (path, mode, git blob id). The blob id is computed the same way
// for every file, so a key is the same with and without git: git's index only saves the reading
// and hashing of files it already knows, unmodified.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ignore, { type Ignore } from 'ignore';

const run = promisify(execFile);

export type FileMode = '100644' | '100755' | '120000';

export interface FileEntry {
  /** Relative to the workspace, `/`-separated. */
  path: string;
  mode: FileMode;
  /** Git's blob object id (SHA-1 of `blob <size>\0<content>`). */
  oid: string;
}

export interface Listing {
  files: FileEntry[];
  /** How the list was made: from git's index (hashing only dirty and untracked files) or by walking the tree. */
  source: 'git' | 'walk';
  /** Files whose content was read and hashed by us. */
  hashed: number;
}

/** Git's blob id of a file's content, or of a symlink's target (links are hashed as links). */
export function blobId(absolute: string, isLink: boolean): string {
  const content = isLink ? Buffer.from(readlinkSync(absolute)) : readFileSync(absolute);
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function entryFor(workspace: string, path: string): FileEntry | undefined {
  const absolute = join(workspace, path);
  let stat;
  try {
    stat = lstatSync(absolute);
  } catch {
    return undefined; // deleted since it was listed
  }
  if (stat.isSymbolicLink()) return { path, mode: '120000', oid: blobId(absolute, true) };
  if (!stat.isFile()) return undefined;
  // Git reads only the owner's execute bit (a file that is executable for its group alone is 100644).
  return { path, mode: stat.mode & 0o100 ? '100755' : '100644', oid: blobId(absolute, false) };
}

/** Splits NUL-terminated git output. */
function records(text: string): string[] {
  return text.split('\0').filter((record) => record !== '');
}

async function git(workspace: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd: workspace, maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  return stdout;
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
 * modified, staged, type-changed and untracked-but-not-ignored files (`git status`) hashed by us.
 * Paths come relative to the workspace, which may be a folder inside the repository.
 */
export async function listFromGit(workspace: string, wanted: (path: string) => boolean): Promise<Listing> {
  const [staged, status, showPrefix] = await Promise.all([
    git(workspace, ['-c', 'core.quotePath=false', 'ls-files', '--stage', '-z']),
    git(workspace, ['-c', 'core.quotePath=false', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--ignore-submodules=all', '--', '.']),
    git(workspace, ['rev-parse', '--show-prefix'])
  ]);
  const byPath = new Map<string, FileEntry>();
  for (const record of records(staged)) {
    const tab = record.indexOf('\t');
    const [mode = '', oid = '', stage = ''] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    // Gitlinks (submodules) are not files of this tree; conflicted entries are read from disk below.
    if (stage !== '0' || !(mode === '100644' || mode === '100755' || mode === '120000') || !wanted(path)) continue;
    byPath.set(path, { path, mode, oid });
  }
  // `git status` paths are relative to the repository root; `ls-files` ones to the workspace.
  const prefix = showPrefix.trim();
  let hashed = 0;
  for (const record of records(status)) {
    const code = record.slice(0, 2);
    const fromRoot = record.slice(3);
    if (!fromRoot.startsWith(prefix)) continue;
    const path = fromRoot.slice(prefix.length);
    if (code.includes('D')) {
      byPath.delete(path);
      continue;
    }
    if (!wanted(path)) continue;
    const entry = entryFor(workspace, path);
    hashed += 1;
    if (entry) byPath.set(path, entry);
    else byPath.delete(path);
  }
  return { files: [...byPath.values()], source: 'git', hashed };
}

/** Reads a folder's .gitignore into a matcher for paths relative to that folder. */
function ignoreFileIn(absoluteDir: string): Ignore | undefined {
  const file = join(absoluteDir, '.gitignore');
  return existsSync(file) ? ignore().add(readFileSync(file, 'utf8')) : undefined;
}

/**
 * Without git: walks the tree, honouring every .gitignore on the way (and never entering .git), and
 * hashes each file wanted. Symlinks are hashed as links, never followed.
 */
export function listByWalking(workspace: string, wanted: (path: string) => boolean): Listing {
  const files: FileEntry[] = [];
  type Rules = { base: string; rules: Ignore };
  const rootRules = ignoreFileIn(workspace);
  const stack: Array<{ dir: string; rules: Rules[] }> = [{ dir: '', rules: rootRules ? [{ base: '', rules: rootRules }] : [] }];
  // As in git, the deepest .gitignore with a matching pattern decides: a nested `!keep.log` re-includes
  // what a parent's `*.log` ignores.
  const isIgnored = (rules: Rules[], path: string, directory: boolean) => {
    for (let level = rules.length - 1; level >= 0; level -= 1) {
      const { base, rules: matcher } = rules[level]!;
      const verdict = matcher.test(`${path.slice(base.length)}${directory ? '/' : ''}`);
      if (verdict.ignored || verdict.unignored) return verdict.ignored;
    }
    return false;
  };
  while (stack.length > 0) {
    const { dir, rules } = stack.pop()!;
    for (const entry of readdirSync(join(workspace, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name === '.git' || isIgnored(rules, path, true)) continue;
        const nested = ignoreFileIn(join(workspace, path));
        stack.push({ dir: path, rules: nested ? [...rules, { base: `${path}/`, rules: nested }] : rules });
      } else if ((entry.isFile() || entry.isSymbolicLink()) && !isIgnored(rules, path, false) && wanted(path)) {
        const file = entryFor(workspace, path);
        if (file) files.push(file);
      }
    }
  }
  return { files, source: 'walk', hashed: files.length };
}
