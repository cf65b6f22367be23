// What scripts/bundle.js does to ncc's minified output: each module factory of the top-level
// modules table goes in parentheses (V8 then compiles it once, with the file), and nothing else
// changes. The last test holds the committed bundles to it.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleFactories, parenthesizeFactories } from '../../scripts/bundle.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');

describe('parenthesizeFactories', () => {
  it('puts each factory of a minified modules table in parentheses, and leaves other objects and nested tables alone', () => {
    const minified = 'import{x as e}from"m";var t={1:(e,t)=>{t.a=1},22:function(e){e.b=2},3:e=>{}};var o={a:()=>1},u={5:()=>2};function f(){var u={1:()=>2};return u}';
    expect(parenthesizeFactories(minified)).toBe(
      'import{x as e}from"m";var t={1:((e,t)=>{t.a=1}),22:(function(e){e.b=2}),3:(e=>{})};var o={a:()=>1},u={5:(()=>2)};function f(){var u={1:()=>2};return u}'
    );
  });

  it('leaves a table that is not all numbered functions as it is', () => {
    const mixed = 'var t={1:()=>1,2:3};var n={1:()=>1,b:()=>2};';
    expect(parenthesizeFactories(mixed)).toBe(mixed);
  });

  it('returns its own result unchanged, and ncc\'s unminified chunks as they are', () => {
    const once = parenthesizeFactories('var t={1:(e)=>{e.x=1},2:e=>e};');
    expect(parenthesizeFactories(once)).toBe(once);
    const chunk = 'export const id = 210;\nexport const ids = [210];\nexport const modules = {\n\n/***/ 2210:\n/***/ ((module, exports) => {\nexports.a = 1;\n/***/ })\n\n};\n';
    expect(parenthesizeFactories(chunk)).toBe(chunk);
    expect(moduleFactories(chunk)).toEqual([expect.objectContaining({ parenthesized: true })]);
  });

  it('has been applied to every entry bundle committed in dist/', () => {
    const entries: string[] = [];
    for (const name of readdirSync(join(root, 'dist'))) {
      const dir = join(root, 'dist', name);
      if (existsSync(join(dir, 'index.js'))) entries.push(join(dir, 'index.js'));
      for (const sub of readdirSync(dir)) if (existsSync(join(dir, sub, 'index.js'))) entries.push(join(dir, sub, 'index.js'));
    }
    expect(entries.length).toBeGreaterThanOrEqual(7);
    for (const file of entries) {
      const factories = moduleFactories(readFileSync(file, 'utf8'));
      // A small entry (a worker thread's) may have no modules table; an action's main one has one.
      const hasTable = factories.length > 0 || !/[/\\]main[/\\]index\.js$/.test(file);
      expect({ file, hasTable, bare: factories.filter((f) => !f.parenthesized).length }).toEqual({ file, hasTable: true, bare: 0 });
    }
  });
});
