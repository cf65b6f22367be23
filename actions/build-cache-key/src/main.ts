// Computes the keys, restores the build output (or only looks it up), and leaves the post step
// what to save on a miss. Never throws.
import { isAbsolute, posix } from 'node:path';
import * as core from '@actions/core';
import { InputError, formatDuration } from '@deploy-actions/inputs';
import { cell, codeSpan, plural, table, writeJobSummary } from '@deploy-actions/report';
import { cacheAvailable, restore, type CacheEntry, type Restored } from './cache.js';
import { computeKeys, type KeyResult } from './compute.js';
import { readInputs } from './inputs.js';

/**
 * The cache entries of a run: the shared build output, and one per package when `path` names
 * `{package}`. Their paths are as @actions/cache reads them, relative to the workspace
 * (GITHUB_WORKSPACE): `path` lines are relative to `working-directory`, `underWorkspace`.
 */
export function cacheEntries(result: KeyResult, paths: readonly string[], prefix: string, underWorkspace = '', crossOs = false): CacheEntry[] {
  if (paths.length === 0) return [];
  const fromWorkspace = (line: string) => {
    const negated = line.startsWith('!');
    const path = negated ? line.slice(1) : line;
    if (!underWorkspace || isAbsolute(path) || path.startsWith('~')) return line;
    return `${negated ? '!' : ''}${posix.join(underWorkspace, path)}`;
  };
  const perPackage = paths.some((path) => path.includes('{package}'));
  if (!perPackage) return [{ name: 'shared', key: result.key, restoreKeys: result.restoreKeys, paths: paths.map(fromWorkspace), crossOs }];
  return result.packages.map((pkg) => ({
    name: pkg.name,
    key: pkg.key,
    restoreKeys: [`${prefix}-${pkg.name}-`],
    paths: paths.map((path) => fromWorkspace(path.replaceAll('{package}', pkg.name))),
    crossOs
  }));
}

/** The `git: auto` fallback, said as it is: a walk gives git's key for most trees, not for every one. */
function walkedInsteadOfGit(reason: string): string {
  return (
    `git could not list the files (${reason}): walked the tree instead. The key is the one git's index gives ` +
    'unless the repository stores files converted (line endings, LFS or another filter) or tracks files .gitignore matches.'
  );
}

function renderSummary(result: KeyResult, restored: Restored[], cacheNote: string, changedSince: string | undefined): string {
  const shared = restored.find((r) => r.entry.name === 'shared');
  const perPackage = `per package, ${restored.filter((r) => r.hit).length} of ${restored.length} exact hits (below)`;
  const verdict = shared ? (shared.hit ? '✅ exact hit' : shared.matchedKey ? `🟡 partial hit (${shared.matchedKey})` : '❌ miss') : restored.length > 0 ? perPackage : cacheNote;
  const parts = [
    `## 🔑 Build cache key`,
    `\`${result.key}\``,
    `${plural(result.fileCount, 'file')} (${result.source === 'git' ? `git index, ${result.hashed} hashed here` : 'tree walked, all hashed here'}) in ${formatDuration(result.durationMs)}. Cache: ${verdict}.`
  ];
  if (result.packages.length > 0) {
    const byName = new Map(restored.map((r) => [r.entry.name, r]));
    const changed = new Set(result.changed ?? []);
    parts.push(
      table(
        ['Package', 'Files', 'Key', changedSince === undefined ? 'Changed' : `Changed since ${codeSpan(changedSince, { inTable: true })}`],
        result.packages.map((pkg) => {
          const found = byName.get(pkg.name);
          const verdict = result.changed ? (changed.has(pkg.name) ? '**yes**' : 'no') : found ? (found.hit ? 'no' : '**yes**') : '**yes** (not looked up)';
          return [cell(pkg.name), String(pkg.fileCount), codeSpan(pkg.key, { inTable: true }), verdict];
        })
      )
    );
  }
  return `${parts.join('\n\n')}\n`;
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const result = await computeKeys(inputs.request);
    if (result.gitUnavailable) core.warning(walkedInsteadOfGit(result.gitUnavailable));
    core.info(`Key ${result.key} over ${plural(result.fileCount, 'file')} (${result.source}, ${result.hashed} hashed here${result.threads > 1 ? ` on ${result.threads} threads` : ''}) in ${result.durationMs}ms`);
    for (const pkg of result.packages) core.info(`Package ${pkg.name}: ${pkg.key} (${plural(pkg.fileCount, 'file')})`);

    const entries = cacheEntries(result, inputs.paths, inputs.request.prefix, inputs.underWorkspace, inputs.crossOs);
    let restored: Restored[] = [];
    let cacheNote = 'not used (no path)';
    /** Why the post step will have nothing to save, when it will not. */
    let nothingToSave = 'no path was given, so there is no build output to save';
    if (entries.length > 0) {
      if (await cacheAvailable()) {
        restored = await Promise.all(entries.map((entry) => restore(entry, inputs.lookupOnly)));
        for (const r of restored) {
          core.info(`${r.entry.name}: ${r.hit ? 'exact hit' : r.matchedKey ? `restored ${r.matchedKey} through a restore key` : 'miss'}${inputs.lookupOnly ? ' (lookup only)' : ''}`);
        }
      } else {
        cacheNote = 'not available (no cache service outside a GitHub job)';
        nothingToSave = 'there is no cache service outside a GitHub job';
        core.info(`The cache is ${cacheNote}: nothing restored${result.changed ? '' : ', every package counts as changed'}.`);
      }
    }

    const shared = restored.find((r) => r.entry.name === 'shared');
    const packages = Object.fromEntries(
      result.packages.map((pkg) => [pkg.name, { key: pkg.key, hit: restored.find((r) => r.entry.name === pkg.name)?.hit ?? false }])
    );
    // With changed-since, what differs from that commit; else what the cache has no exact entry for.
    const changed = result.changed ?? result.packages.filter((pkg) => !packages[pkg.name]!.hit).map((pkg) => pkg.name);
    core.setOutput('key', result.key);
    core.setOutput('hash', result.hash);
    core.setOutput('restore-keys', result.restoreKeys.join('\n'));
    // Per package there is no shared entry: an exact hit then means every package hit exactly.
    const exactHit = shared ? shared.hit : restored.length > 0 && restored.every((r) => r.hit);
    core.setOutput('cache-hit', String(exactHit));
    core.setOutput('matched-key', shared?.matchedKey ?? '');
    core.setOutput('file-count', String(result.fileCount));
    core.setOutput('packages', JSON.stringify(packages));
    core.setOutput('changed-packages', JSON.stringify(changed));
    await writeJobSummary(renderSummary(result, restored, cacheNote, inputs.request.changedSince));

    // The post step saves what missed, and only the exact key: a partial hit is rebuilt and saved anew.
    const toSave = restored.filter((r) => !r.hit).map((r) => r.entry);
    if (restored.length > 0) {
      nothingToSave = inputs.lookupOnly
        ? `lookup-only checks the cache and saves nothing (the step that builds, without lookup-only, saves ${toSave.length > 0 ? 'what missed' : 'on a miss'})`
        : `every entry was an exact hit (${restored.length === 1 ? restored[0]!.entry.key : `${restored.length} entries`})`;
    }
    if (!inputs.lookupOnly && toSave.length > 0) core.saveState('save', JSON.stringify(toSave));
    else core.saveState('nothing-to-save', nothingToSave);

    const missed = restored.filter((r) => !r.hit);
    if (inputs.failOnCacheMiss && restored.length === 0) {
      core.setFailed(`fail-on-cache-miss: the cache is ${cacheNote}, so nothing could be restored for ${result.key}`);
    } else if (inputs.failOnCacheMiss && missed.length > 0) {
      core.setFailed(`fail-on-cache-miss: no cache entry for ${missed.map((r) => r.entry.key).join(', ')}`);
    }
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `build-cache-key failed: ${(error as Error).message}`);
  }
}
