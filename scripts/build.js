// Bundles every action (and the CLI) into dist/<name>/, the way scripts/bundle.js bundles.
// dist/ is committed: the GitHub runner executes it as is, so it must be reproducible from sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');

/**
 * Every bundle we ship, each in a folder of its own so that it keeps every chunk ncc emits for it
 * (ncc names each entry index.js and its lazily loaded chunks <id>.index.js: two entries sharing a
 * folder would overwrite each other's files). An action's bundles: dist/<name>/main from
 * src/index.ts, dist/<name>/post from src/post.ts, and dist/<name>/<worker> from each src/<worker>.ts
 * ending in -worker (a worker thread the action starts). The CLI: dist/cli.
 */
export function bundles() {
  const list = [];
  for (const name of readdirSync(join(root, 'actions')).sort()) {
    const src = join(root, 'actions', name, 'src');
    list.push({ name, entry: join(src, 'index.ts'), out: `${name}/main` });
    if (existsSync(join(src, 'post.ts'))) list.push({ name, entry: join(src, 'post.ts'), out: `${name}/post` });
    for (const file of readdirSync(src).filter((f) => f.endsWith('-worker.ts')).sort()) {
      list.push({ name, entry: join(src, file), out: `${name}/${file.replace(/\.ts$/, '')}` });
    }
  }
  list.push({ name: 'cli', entry: join(root, 'packages/cli/src/index.ts'), out: 'cli' });
  return list;
}

// Generated sources first: the bundles include them.
for (const generator of ['generate-inputs.js', 'generate-validators.js']) execFileSync(process.execPath, [join(root, 'scripts', generator)], { stdio: 'inherit' });

const only = process.argv.slice(2);
const selected = bundles().filter((b) => only.length === 0 || only.includes(b.name));
// A clean slate, so a bundle whose source was removed does not linger in dist/.
if (only.length === 0) rmSync(join(root, 'dist'), { recursive: true, force: true });
else for (const name of new Set(selected.map((b) => b.name))) rmSync(join(root, 'dist', name), { recursive: true, force: true });
for (const b of selected) {
  bundle(b.entry, join(root, 'dist', b.out), { license: true });
  console.log(`built dist/${b.out}/`);
}
