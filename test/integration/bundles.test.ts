// Every bundle, run as the runner runs it with no inputs at all, must load and fail with its own
// clear input error: a module that cannot load (a CJS build of an ESM-only toolkit, a missing
// chunk) shows up here as a stack trace instead.
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runAction } from '@deploy-actions/harness';
import { repoRoot, runNode } from '../helpers/run-node.js';

const actionsRoot = fileURLToPath(new URL('../../actions/', import.meta.url));
const names = readdirSync(actionsRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('every bundle loads and rejects missing inputs in its own words', () => {
  it('finds the actions', () => expect(names.length).toBeGreaterThan(0));

  it.each(names)('%s', async (name) => {
    const run = await runAction({ actionDir: `${actionsRoot}${name}`, inputs: {} });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^input [a-z-]+: .+; expected .+$/);
    expect(run.stderr).not.toMatch(/ERR_|Cannot find|SyntaxError|ReferenceError|\n\s+at /);
  });
});

// ncc splits what an entry loads lazily into <id>.index.js chunks beside its index.js, and the
// webpack runtime loads them as `<require>.e(<id>)`. A chunk that is missing fails only when a step
// first takes the path that needs it, so each entry's folder is checked for every chunk it or its
// chunks can ask for, and every chunk is loaded.
const dist = join(repoRoot, 'dist');
const entries = readdirSync(dist, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    const folder = join(dist, entry.name);
    return existsSync(join(folder, 'index.js')) ? [folder] : readdirSync(folder).map((name) => join(folder, name)).filter((f) => existsSync(join(f, 'index.js')));
  });

/** The chunk ids a bundle or chunk asks the webpack runtime for. */
function chunkRequests(file: string): number[] {
  return [...readFileSync(file, 'utf8').matchAll(/\b[A-Za-z_$][\w$]*\.e\((\d+)\)/g)].map((m) => Number(m[1]));
}

/** Every chunk reachable from the entry's index.js, with the file that asks for it. */
function reachableChunks(folder: string): Map<number, string> {
  const found = new Map<number, string>();
  const pending = [join(folder, 'index.js')];
  while (pending.length > 0) {
    const file = pending.pop()!;
    for (const id of chunkRequests(file)) {
      if (found.has(id)) continue;
      found.set(id, relative(repoRoot, file));
      const chunk = join(folder, `${id}.index.js`);
      if (existsSync(chunk)) pending.push(chunk);
    }
  }
  return found;
}

describe('every bundle keeps every chunk it needs', () => {
  it('finds each entry: main, post and worker bundles of the actions, and the CLI', () => {
    const names = entries.map((folder) => relative(dist, folder)).sort();
    expect(names).toEqual(expect.arrayContaining(['build-cache-key/hash-worker', 'build-cache-key/main', 'build-cache-key/post', 'cli', 'health-check/main', 'smoke-test/main']));
  });

  it.each(entries.map((folder) => [relative(dist, folder), folder]))('%s: every chunk it can load is in its folder and loads', async (_name, folder) => {
    const wanted = reachableChunks(folder);
    const missing = [...wanted].filter(([id]) => !existsSync(join(folder, `${id}.index.js`))).map(([id, by]) => `${id}.index.js (asked for by ${by})`);
    expect(missing).toEqual([]);

    const chunks = readdirSync(folder).filter((name) => /^\d+\.index\.js$/.test(name));
    if (chunks.length === 0) return;
    // Loading a chunk only registers its modules: it runs none of the action.
    const scratch = mkdtempSync(join(tmpdir(), 'chunks-'));
    try {
      const script = join(scratch, 'load.mjs');
      const urls = chunks.map((name) => pathToFileURL(join(folder, name)).href);
      writeFileSync(script, `const loaded = [];\nfor (const url of ${JSON.stringify(urls)}) loaded.push((await import(url)).id);\nconsole.log(JSON.stringify(loaded.sort((a, b) => a - b)));\n`);
      const run = await runNode(script, []);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual(chunks.map((name) => Number.parseInt(name, 10)).sort((a, b) => a - b));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
