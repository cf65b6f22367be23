// The one way a bundle is made, for the bundles we ship (scripts/build.js) and for the bench's own
// (its floors, and a health-check copy when dist/ is missing), so that what the bench compares was
// built alike: the pinned ncc, minified, then each module's factory put in parentheses.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

/**
 * Bundles `entry` into `outDir` and returns the path of the entry's bundle (ncc names it index.js,
 * or index.mjs for an .mjs entry; its lazily loaded chunks, <id>.index.js, lie beside it). `node`
 * runs ncc; `license` also writes the licenses of what is bundled to licenses.txt.
 */
export function bundle(entry, outDir, { node = process.execPath, license = false, timeoutMs = 300_000 } = {}) {
  const args = [ncc, 'build', entry, '-o', outDir, '--minify', ...(license ? ['--license', 'licenses.txt'] : []), '--quiet'];
  const result = spawnSync(node, args, { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', timeout: timeoutMs });
  const file = join(outDir, entry.endsWith('.mjs') ? 'index.mjs' : 'index.js');
  if (result.status !== 0 || !existsSync(file)) {
    throw new Error(`ncc could not bundle ${relative(root, entry)}: ${(result.stderr || result.error?.message || `exit ${result.status}`).trim().slice(-800)}`);
  }
  if (result.stderr) process.stderr.write(result.stderr);
  writeFileSync(file, parenthesizeFactories(readFileSync(file, 'utf8')));
  return file;
}

/**
 * ncc's minifier writes each module of the bundle as a bare function in the top-level modules
 * table, `var t={770:(e,t,A)=>{…},…}`, which V8 compiles lazily: skimmed with the file, then parsed
 * again in full when the module is first required, and nearly every module in an entry's file is
 * required at start-up. In parentheses, `770:((e,t,A)=>{…})` as ncc writes it unminified, V8 compiles
 * each with the file (its guess for a function about to be called), so each is parsed once. Measured
 * on this machine (spawn -> first request, interleaved runs): about 12 % less for the health-check
 * bundle and for a bundle of @actions/core alone, for 2 bytes a module.
 *
 * Only a top-level table is touched: a `var` holding an object whose keys are all numbers and whose
 * values are all functions. A factory already in parentheses is left as it is (ncc's chunks, which
 * it does not minify, and a second pass), so that the result of a pass is its own result.
 */
export function parenthesizeFactories(code) {
  let out = '';
  let copied = 0;
  for (const { start, end } of moduleFactories(code).filter((factory) => !factory.parenthesized)) {
    out += `${code.slice(copied, start)}(${code.slice(start, end)})`;
    copied = end;
  }
  return out + code.slice(copied);
}

/** Where each factory of the top-level modules tables of a bundle lies, and whether it is in parentheses already. */
export function moduleFactories(code) {
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  const factories = [];
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const { init } of declaration.declarations) {
      if (!isModuleTable(init)) continue;
      for (const { value } of init.properties) factories.push({ start: value.start, end: value.end, parenthesized: code[value.start - 1] === '(' });
    }
  }
  return factories;
}

function isModuleTable(node) {
  return (
    node?.type === 'ObjectExpression' &&
    node.properties.length > 0 &&
    node.properties.every(
      (p) => p.type === 'Property' && !p.computed && p.key.type === 'Literal' && typeof p.key.value === 'number' && (p.value.type === 'ArrowFunctionExpression' || p.value.type === 'FunctionExpression')
    )
  );
}
