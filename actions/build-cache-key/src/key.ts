// The key: sha256 over the sorted (path, mode, blob id) of the files, the `extra` lines and a format
// version. Pure functions: the same inputs give the same key on every machine.
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { InputError } from '@deploy-actions/inputs';
import type { FileEntry } from './hashing.js';
import { hasNoEscapes, quotedPathBytes } from './paths.js';

/** Bumped whenever the definition changes, so old keys never match new ones. */
export const KEY_FORMAT = 'deploy-actions/build-cache-key/v1';
/** The cache service's limits on a key. */
export const MAX_KEY_LENGTH = 512;

export interface Patterns {
  include: string[];
  exclude: string[];
  /** True when a path is wanted: it matches an include and no exclude. */
  matches: (path: string) => boolean;
}

const GLOB_FORM = 'glob patterns relative to the workspace, one per line, `!` to exclude, such as src/** or !**/*.test.ts';

/**
 * Glob patterns, one per line, `!` to exclude, relative to the workspace. A pattern naming a folder
 * (no glob characters) takes everything under it too.
 */
export function parsePatterns(input: string, lines: readonly string[]): Patterns {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const line of lines) {
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).trim().replace(/^\.\//, '');
    if (pattern === '') throw new InputError(input, `${JSON.stringify(line)} is an empty pattern`, GLOB_FORM);
    if (pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern) || pattern.split('/').includes('..')) {
      throw new InputError(input, `${JSON.stringify(line)} reaches outside the workspace`, GLOB_FORM);
    }
    const forms = picomatch.scan(pattern).isGlob ? [pattern] : [pattern, `${pattern.replace(/\/+$/, '')}/**`];
    (negated ? exclude : include).push(...forms);
  }
  if (include.length === 0) throw new InputError(input, 'no pattern includes anything', GLOB_FORM);
  const isIncluded = globMatcher(include);
  const isExcluded = exclude.length ? globMatcher(exclude) : () => false;
  return { include, exclude, matches: (path) => isIncluded(path) && !isExcluded(path) };
}

/** A path segment no glob character or escape can hide in (and not `.` or `..`, which picomatch treats apart). */
const PLAIN_SEGMENT = /^(?!\.\.?$)[\w.@+ -]+$/;

// picomatch (dotfiles included) for paths as git lists them (no `.` or `..` segments), with the
// commonest patterns answered without a regex, the way picomatch answers them: `**` matches
// everything, `<folder>/**` the folder and all under it, `**/<name>/**` every path with a segment
// `<name>`. On tens of thousands of paths, picomatch's regexes cost more than git's listing does.
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const folders: string[] = [];
  const segments: string[] = [];
  const others: string[] = [];
  for (const pattern of patterns) {
    const { base, glob } = picomatch.scan(pattern);
    const segment = /^\*\*\/([^/]+)\/\*\*$/.exec(pattern)?.[1];
    if (glob === '**' && (base === '' || base.split('/').every((part) => PLAIN_SEGMENT.test(part)))) folders.push(base);
    else if (segment !== undefined && PLAIN_SEGMENT.test(segment)) segments.push(`/${segment}/`);
    else others.push(pattern);
  }
  if (folders.includes('')) return () => true;
  const regex = others.length ? picomatch(others, { dot: true }) : () => false;
  return (path) =>
    folders.some((folder) => path === folder || (path.startsWith(folder) && path.charCodeAt(folder.length) === 47 /* / */)) ||
    (segments.length > 0 && segments.some((segment) => `/${path}/`.includes(segment))) ||
    regex(path);
}

/** sha256 (hex) of the key's definition: format, extra lines, then one line per file sorted by path. */
export function hashFiles(files: readonly FileEntry[], extra: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(`${KEY_FORMAT}\n`);
  for (const line of extra) hash.update(`extra ${JSON.stringify(line)}\n`);
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Lines go to the hash a thousand at a time: one call per file costs more than the hashing.
  for (let start = 0; start < sorted.length; start += 1000) {
    let lines = '';
    // JSON-quoted paths: a newline in a file name cannot forge another line.
    for (const file of sorted.slice(start, start + 1000)) {
      if (hasNoEscapes(file.path)) {
        lines += `${file.mode} ${file.oid} ${JSON.stringify(file.path)}\n`;
        continue;
      }
      // A name that is not UTF-8 goes in as its own bytes, quoted the same way.
      hash.update(`${lines}${file.mode} ${file.oid} `);
      hash.update(quotedPathBytes(file.path));
      lines = '\n';
    }
    hash.update(lines);
  }
  return hash.digest('hex');
}

/** Checks a key against the cache's rules, naming the input that made it. */
export function checkKey(input: string, key: string): string {
  if (key.length > MAX_KEY_LENGTH) throw new InputError(input, `the key would be ${key.length} characters long`, `a prefix short enough for a key of at most ${MAX_KEY_LENGTH} characters`);
  if (key.includes(',')) throw new InputError(input, 'the key would contain a comma', 'a prefix without commas (the cache does not allow them in keys)');
  return key;
}

/**
 * What to fall back on when the exact key misses, most specific first: for `build-linux-node24`
 * that is `build-linux-node24-`, `build-linux-`, `build-`.
 */
export function restoreKeys(prefix: string): string[] {
  const parts = prefix.split('-').filter((part) => part !== '');
  const keys: string[] = [];
  for (let count = parts.length; count >= 1; count -= 1) keys.push(`${parts.slice(0, count).join('-')}-`);
  return keys;
}
