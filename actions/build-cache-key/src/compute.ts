// Computes the key of the shared files and, per package folder, a key over the files under it plus
// the shared ones. One listing serves all: git's index when it can, a walk of the tree when not.
import picomatch from 'picomatch';
import { InputError } from '@deploy-actions/inputs';
import { GitListingError, inRepository, listByWalking, listFromGit, pathsChangedSince, type Listing } from './files.js';
import type { FileEntry } from './hashing.js';
import { checkKey, hashFiles, restoreKeys, type Patterns } from './key.js';

export interface KeyRequest {
  workspace: string;
  /** Shared files; undefined when only packages are keyed. */
  files?: Patterns;
  /** Globs of package folders, such as `services/*`. */
  packages: string[];
  prefix: string;
  extra: string[];
  git: 'auto' | 'true' | 'false';
  /** A commit to compare with: `changed` lists the packages whose files differ from it. Needs git. */
  changedSince?: string;
  /**
   * The build output (`path` lines, `{package}` standing for a package folder): never part of a
   * key, or a workspace that keeps its output (a self-hosted runner) would never hit again.
   */
  outputs?: string[];
}

/** What changed-since is good for, said by its errors. */
export const CHANGED_SINCE_FORM = 'a commit to compare with (such as origin/main) in a git checkout, with git auto or true';

export interface PackageKey {
  /** The package folder, relative to the workspace. */
  name: string;
  key: string;
  hash: string;
  fileCount: number;
}

export interface KeyResult {
  key: string;
  hash: string;
  restoreKeys: string[];
  fileCount: number;
  source: Listing['source'];
  /** Files read and hashed by us (the rest came from git's index). */
  hashed: number;
  /** Threads that read them (worker threads share out large trees). */
  threads: number;
  /**
   * What git said when `git: auto` had a repository to read but git could not list it (another
   * user's repository, git not installed), so the tree was walked; undefined otherwise (git
   * listed, `git: false`, or no repository: walking is then the plan, not a fallback).
   */
  gitUnavailable?: string;
  /** With `changedSince`: the packages whose files (or the shared ones) differ from that commit. */
  changed?: string[];
  durationMs: number;
  packages: PackageKey[];
}

/** The package folder a path lies in (the outermost folder matching a package glob), or undefined. */
function packageFinder(globs: readonly string[]): (path: string) => string | undefined {
  if (globs.length === 0) return () => undefined;
  const isPackage = picomatch(globs.map((glob) => glob.replace(/\/+$/, '')), { dot: true });
  const known = new Map<string, boolean>();
  return (path) => {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) {
      const dir = parts.slice(0, depth).join('/');
      let match = known.get(dir);
      if (match === undefined) known.set(dir, (match = isPackage(dir)));
      if (match) return dir;
    }
    return undefined;
  };
}

/** True for a path inside the build output: `path` lines as folders or globs, per package where they say `{package}`. */
function outputMatcher(lines: readonly string[]): (path: string, packageDir: string | undefined) => boolean {
  if (lines.length === 0) return () => false;
  const patterns = lines.map((line) => line.replace(/^\.\//, '').replace(/\/+$/, ''));
  const shared = patterns.filter((p) => !p.includes('{package}'));
  const perPackage = patterns.filter((p) => p.includes('{package}'));
  const sharedMatch = shared.length ? picomatch(shared.flatMap((p) => [p, `${p}/**`]), { dot: true }) : () => false;
  const compiled = new Map<string, (path: string) => boolean>();
  return (path, packageDir) => {
    if (sharedMatch(path)) return true;
    if (!packageDir || perPackage.length === 0) return false;
    let match = compiled.get(packageDir);
    if (!match) {
      const resolved = perPackage.map((p) => p.replaceAll('{package}', packageDir));
      match = picomatch(resolved.flatMap((p) => [p, `${p}/**`]), { dot: true });
      compiled.set(packageDir, match);
    }
    return match(path);
  };
}

export async function computeKeys(request: KeyRequest): Promise<KeyResult> {
  // performance.now(), not the probe's clock from @deploy-actions/http: importing that package for
  // one function bundled the whole HTTP probe into this step's start-up (@actions/core has loaded
  // perf_hooks already, so the global costs nothing more).
  const started = performance.now();
  const findPackage = packageFinder(request.packages);
  const isOutput = outputMatcher(request.outputs ?? []);
  // What each listed path is, decided once as it is listed: the patterns cost more than the lookups.
  const packageOf = new Map<string, string>();
  const packageOnly = new Set<string>();
  /** Where a path counts: in the shared key, in a package's, neither (undefined). */
  const classify = (path: string): { shared: boolean; packageDir: string | undefined } | undefined => {
    const packageDir = findPackage(path);
    const shared = request.files?.matches(path) ?? false;
    if (!(shared || packageDir !== undefined) || isOutput(path, packageDir)) return undefined;
    return { shared, packageDir };
  };
  const wanted = (path: string) => {
    const where = classify(path);
    if (!where) return false;
    if (where.packageDir !== undefined) packageOf.set(path, where.packageDir);
    if (!where.shared) packageOnly.add(path);
    return true;
  };

  let listing: Listing | undefined;
  let gitUnavailable: string | undefined;
  // Without a .git (a tarball, a folder that was never a repository) there is nothing for git to
  // read: `auto` walks without asking it, and `true` is an input error.
  const repository = request.git !== 'false' && inRepository(request.workspace);
  if (request.git === 'true' && !repository) {
    throw new InputError('git', `${request.workspace} is not inside a git work tree`, 'auto or false outside a git repository');
  }
  if (request.changedSince !== undefined && !repository) {
    throw new InputError('changed-since', `it needs git's history, and ${request.git === 'false' ? 'git is false' : `${request.workspace} is not inside a git work tree`}`, CHANGED_SINCE_FORM);
  }
  const changedPaths = request.changedSince !== undefined ? pathsChangedSince(request.workspace, request.changedSince) : undefined;
  // Settled at once, so that a failure here while the listing fails too is never left unhandled.
  changedPaths?.catch(() => undefined);
  if (repository) {
    listing = await listFromGit(request.workspace, wanted).catch((error: unknown) => {
      // Only git failing sends `auto` to the walk: a file that cannot be read would fail the walk too.
      if (!(error instanceof GitListingError)) throw error;
      if (request.git === 'auto' && changedPaths === undefined) {
        gitUnavailable = error.message;
        return undefined;
      }
      throw new Error(`git could not list the files in ${request.workspace}: ${error.message}`);
    });
  }
  listing ??= await listByWalking(request.workspace, wanted);

  const shared: FileEntry[] = request.files ? listing.files.filter((file) => !packageOnly.has(file.path)) : [];
  if (request.files && shared.length === 0) {
    throw new InputError('files', `no file matches ${request.files.include.join(', ')}${request.files.exclude.length ? ` without ${request.files.exclude.join(', ')}` : ''}`, 'patterns that match at least one file (an empty match would give every build the same key)');
  }
  const byPackage = new Map<string, FileEntry[]>();
  for (const file of listing.files) {
    const name = packageOf.get(file.path);
    if (!name) continue;
    const list = byPackage.get(name);
    if (list) list.push(file);
    else byPackage.set(name, [file]);
  }
  if (request.packages.length > 0 && byPackage.size === 0) {
    throw new InputError('packages', `no folder with files matches ${request.packages.join(', ')}`, 'globs of package folders such as services/* or packages/*');
  }

  const hash = hashFiles(shared, request.extra);
  const packages = [...byPackage]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, files]): PackageKey => {
      // A package changes when its own files or the shared ones (lockfile, build config) do.
      const packageHash = hashFiles([...files, ...shared], request.extra);
      return { name, hash: packageHash, key: checkKey('packages', `${request.prefix}-${name}-${packageHash}`), fileCount: files.length };
    });
  let changed: string[] | undefined;
  if (changedPaths) {
    // A package changed when one of its files did, or a shared file (every package key holds them).
    const touched = new Set<string>();
    let sharedTouched = false;
    // The dirty paths bring the untracked files (the rest of them git diff has already).
    for (const path of [...(await changedPaths), ...(listing.dirty ?? [])]) {
      const where = classify(path);
      if (where?.shared) sharedTouched = true;
      else if (where?.packageDir !== undefined) touched.add(where.packageDir);
    }
    changed = packages.filter((pkg) => sharedTouched || touched.has(pkg.name)).map((pkg) => pkg.name);
  }
  return {
    key: checkKey('prefix', `${request.prefix}-${hash}`),
    hash,
    restoreKeys: restoreKeys(request.prefix),
    fileCount: shared.length,
    source: listing.source,
    hashed: listing.hashed,
    threads: listing.threads,
    ...(gitUnavailable ? { gitUnavailable } : {}),
    ...(changed ? { changed } : {}),
    durationMs: Math.round(performance.now() - started),
    packages
  };
}
