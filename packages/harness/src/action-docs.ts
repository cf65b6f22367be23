// The Inputs and Outputs tables in actions/<name>/README.md, generated from action.yml so the two
// cannot drift: writeDocs rewrites what lies between the markers, checkDocs lists the READMEs that
// are out of date (the unit tests fail on any). Only erasable TypeScript here, so Node 24 runs the
// file as is:  node packages/harness/src/action-docs.ts [--check]

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { markdownCell, table } from '@deploy-actions/report';

/** A table cell of a README: trimmed, pipes escaped (GitHub requires it even inside code), line breaks as <br>. */
function cell(value: string): string {
  return markdownCell(value.trim());
}

interface DocumentedInput {
  description?: unknown;
  required?: unknown;
  default?: unknown;
  deprecationMessage?: unknown;
}

interface DocumentedAction {
  name?: unknown;
  description?: unknown;
  inputs?: Record<string, DocumentedInput | null> | null;
  outputs?: Record<string, { description?: unknown } | null> | null;
}

const SECTIONS = {
  inputs: { title: 'Inputs', start: '<!-- inputs:start -->', end: '<!-- inputs:end -->' },
  outputs: { title: 'Outputs', start: '<!-- outputs:start -->', end: '<!-- outputs:end -->' }
} as const;

type Section = keyof typeof SECTIONS;

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** A default value shown verbatim: a code span, or <code> when it spans lines. */
function code(value: string): string {
  if (value === '') return '';
  if (value.includes('\n')) {
    const html = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return `<code>${html.split('\n').join('<br>')}</code>`;
  }
  const fence = value.includes('`') ? '``' : '`';
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

function isRequired(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

export function inputsTable(action: DocumentedAction): string {
  const inputs = Object.entries(action.inputs ?? {});
  if (inputs.length === 0) return 'This action has no inputs.';
  const rows = inputs.map(([name, input]) => {
    const deprecation = text(input?.deprecationMessage);
    const description = cell(text(input?.description)) + (deprecation ? `<br>**Deprecated:** ${cell(deprecation)}` : '');
    return [`\`${name}\``, isRequired(input?.required) ? 'yes' : 'no', cell(code(text(input?.default))), description];
  });
  return table(['Input', 'Required', 'Default', 'Description'], rows);
}

export function outputsTable(action: DocumentedAction): string {
  const outputs = Object.entries(action.outputs ?? {});
  if (outputs.length === 0) return 'This action has no outputs.';
  return table(
    ['Output', 'Description'],
    outputs.map(([name, output]) => [`\`${name}\``, cell(text(output?.description))])
  );
}

function replaceSection(readme: string, section: Section, body: string, where: string): string {
  const { title, start, end } = SECTIONS[section];
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  const block = `${start}\n${body}\n${end}`;
  if (from < 0 && to < 0) return `${readme.trimEnd()}\n\n## ${title}\n\n${block}\n`;
  if (from < 0 || to < from) throw new Error(`${where}: ${start} and ${end} must both be present, in that order`);
  return readme.slice(0, from) + block + readme.slice(to + end.length);
}

/**
 * The README with both tables brought up to date. A README without markers gets the sections
 * appended; a missing README is started from the action's name and description.
 */
export function renderReadme(action: DocumentedAction, readme: string | undefined, where = 'README.md'): string {
  const base = readme ?? `# ${text(action.name)}\n\n${text(action.description).trim()}\n`;
  const withInputs = replaceSection(base, 'inputs', inputsTable(action), where);
  return replaceSection(withInputs, 'outputs', outputsTable(action), where);
}

interface ActionReadme {
  path: string;
  relativePath: string;
  current: string | undefined;
  wanted: string;
}

function actionReadmes(repoRoot: string): ActionReadme[] {
  const actionsDir = join(repoRoot, 'actions');
  if (!existsSync(actionsDir)) return [];
  return readdirSync(actionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(actionsDir, entry.name, 'action.yml')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const relativePath = `actions/${name}/README.md`;
      const path = join(repoRoot, relativePath);
      const action = (parseYaml(readFileSync(join(actionsDir, name, 'action.yml'), 'utf8')) ?? {}) as DocumentedAction;
      const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
      return { path, relativePath, current, wanted: renderReadme(action, current, relativePath) };
    });
}

/** READMEs (relative to repoRoot) whose tables differ from their action.yml, or that are missing. */
export function checkDocs(repoRoot: string): string[] {
  return actionReadmes(repoRoot)
    .filter((readme) => readme.current !== readme.wanted)
    .map((readme) => readme.relativePath);
}

/** Rewrites the out-of-date READMEs; returns the ones it changed, relative to repoRoot. */
export function writeDocs(repoRoot: string): string[] {
  const stale = actionReadmes(repoRoot).filter((readme) => readme.current !== readme.wanted);
  for (const readme of stale) writeFileSync(readme.path, readme.wanted);
  return stale.map((readme) => readme.relativePath);
}

if (import.meta.main) {
  const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
  if (process.argv.includes('--check')) {
    const stale = checkDocs(repoRoot);
    for (const path of stale) console.error(`${path} is out of date with its action.yml`);
    if (stale.length > 0) console.error('Run: node packages/harness/src/action-docs.ts');
    process.exitCode = stale.length > 0 ? 1 : 0;
  } else {
    for (const path of writeDocs(repoRoot)) console.log(`updated ${path}`);
  }
}
