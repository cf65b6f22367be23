// Bundles every action (and the CLI) with the pinned ncc into dist/<name>/.
// dist/ is committed: the GitHub runner executes it as is, so it must be reproducible from sources.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

function bundle(entry, outDir) {
  const result = spawnSync(process.execPath, [ncc, 'build', entry, '-o', outDir, '--minify', '--license', 'licenses.txt', '--quiet'], {
    cwd: root,
    stdio: 'inherit'
  });
  if (result.status !== 0) throw new Error(`ncc failed for ${entry}`);
}

/**
 * Every bundle we ship: actions/<name>/src/{index,post}.ts, the worker threads an action starts
 * (src/*-worker.ts, bundled beside index.js under the same name) and the CLI.
 */
export function bundles() {
  const list = [];
  for (const name of readdirSync(join(root, 'actions')).sort()) {
    const src = join(root, 'actions', name, 'src');
    list.push({ name, entry: join(src, 'index.ts'), out: 'index.js' });
    if (existsSync(join(src, 'post.ts'))) list.push({ name, entry: join(src, 'post.ts'), out: 'post.js' });
    for (const file of readdirSync(src).filter((f) => f.endsWith('-worker.ts')).sort()) {
      list.push({ name, entry: join(src, file), out: file.replace(/\.ts$/, '.js') });
    }
  }
  list.push({ name: 'cli', entry: join(root, 'packages/cli/src/index.ts'), out: 'index.js' });
  return list;
}

// Generated sources first: the bundles include them.
execFileSync(process.execPath, [join(root, 'scripts/generate-validators.js')], { stdio: 'inherit' });

const only = process.argv.slice(2);
const selected = bundles().filter((b) => only.length === 0 || only.includes(b.name));
// A clean slate, so a bundle whose source was removed does not linger in dist/.
if (only.length === 0) rmSync(join(root, 'dist'), { recursive: true, force: true });
else for (const name of new Set(selected.map((b) => b.name))) rmSync(join(root, 'dist', name), { recursive: true, force: true });
for (const b of selected) {
  const outDir = join(root, 'dist', b.name);
  if (b.out === 'index.js') {
    bundle(b.entry, outDir);
  } else {
    // ncc always names its output index.js: bundle the post step (or a worker) aside, then move it into place.
    const scratch = mkdtempSync(join(tmpdir(), 'ncc-'));
    bundle(b.entry, scratch);
    renameSync(join(scratch, 'index.js'), join(outDir, b.out));
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`built dist/${b.name}/${b.out}`);
}
