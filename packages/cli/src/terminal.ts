// Turns what an action writes for the GitHub UI (workflow commands, a markdown job summary) into
// text for a terminal.

import { parseWorkflowCommand } from '@deploy-actions/harness';

/** A log line as a person reads it; null for lines the runner would not show (masks, state, debug). */
export function renderLogLine(line: string, verbose = false): string | null {
  // Parsed as the runner parses it (the harness's parser), so what shows here is what GitHub shows.
  const command = parseWorkflowCommand(line);
  if (!command) return line;
  const { name, properties, message: text } = command;
  switch (name) {
    case 'error':
    case 'warning':
    case 'notice': {
      const title = properties.title;
      return `${name === 'error' ? 'Error' : name === 'warning' ? 'Warning' : 'Notice'}: ${title ? `${title}: ` : ''}${text}`;
    }
    case 'debug':
      return verbose ? `debug: ${text}` : null;
    case 'group':
      return `▸ ${text}`;
    case 'endgroup':
    case 'add-mask':
    case 'save-state':
    case 'set-output':
    case 'stop-commands':
    case 'echo':
      return null;
    default:
      return line;
  }
}

export interface SummaryStyle {
  /** Strong emphasis (`**text**`) in bold (a terminal that shows ANSI styles); else plain text. */
  bold?: boolean;
}

const ANSI_STYLE = /\x1b\[[0-9;]*m/g;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * Terminal control bytes (ESC, CR, the other C0 controls, DEL, C1) as `\u001b` and the like, so text
 * from a response body can neither move the cursor nor restyle the terminal. Tabs stay.
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A line of markdown as the terminal shows it: backslash escapes undone, code spans as their text,
 * `**strong**` in bold or plain. Only a `**` pair around text is emphasis, so masks (`[***] and
 * [***]`) stay exactly as written.
 */
function inline(text: string, style: SummaryStyle): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '\\' && ASCII_PUNCTUATION.test(text[i + 1] ?? '')) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const fence = /^`+/.exec(text.slice(i))![0];
      const close = new RegExp(`(?<!\`)${fence}(?!\`)`, 'g');
      close.lastIndex = i + fence.length;
      const end = close.exec(text);
      if (end) {
        const code = text.slice(i + fence.length, end.index);
        out += /^ .* $/.test(code) && code.trim() !== '' ? code.slice(1, -1) : code;
        i = end.index + fence.length;
        continue;
      }
      out += fence;
      i += fence.length;
      continue;
    }
    const strong = /^\*\*(?!\*)(\S(?:.*?\S)?)\*\*(?!\*)/.exec(text.slice(i));
    if (strong && text[i - 1] !== '*' && !strong[1]!.endsWith('*')) {
      const inner = inline(strong[1]!, style);
      out += style.bold ? `\x1b[1m${inner}\x1b[22m` : inner;
      i += strong[0].length;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

/**
 * Markdown job summary → terminal text: headings and emphasis rendered, tables aligned, HTML
 * details opened, fenced blocks indented without their fences.
 */
export function renderSummary(markdown: string, style: SummaryStyle = {}): string {
  const lines = markdown
    .replace(/<details><summary>(.*?)<\/summary>/g, '$1:')
    .replace(/<\/details>/g, '')
    .split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const fence = /^(`{3,})[^`]*$/.exec(line.trim())?.[1];
    if (fence) {
      // The block's text as is (a response body is not markdown), up to the fence that closes it.
      for (i += 1; i < lines.length && lines[i]!.trim() !== fence; i += 1) out.push(`    ${escapeControls(lines[i]!)}`);
      continue;
    }
    if (/^\|.*\|$/.test(line.trim()) && /^\|[\s|:-]+\|$/.test(lines[i + 1]?.trim() ?? '')) {
      const rows: string[][] = [splitRow(line)];
      i += 2;
      while (i < lines.length && /^\|.*\|$/.test(lines[i]!.trim())) rows.push(splitRow(lines[i++]!));
      i -= 1;
      out.push(...alignTable(rows.map((row) => row.map((cell) => inline(escapeControls(cell), style)))));
      continue;
    }
    out.push(inline(escapeControls(line.replace(/^#{1,6} /, '').replace(/<br>/g, ' ')), style));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/**
 * The step's outputs: `name=value` for a one-line value, and a value of several lines as a block
 * under `name:`, each line indented, so where one output ends and the next begins stays clear.
 */
export function renderOutputs(outputs: Record<string, string>): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      const lines = value.replace(/\r?\n$/, '').split(/\r?\n/);
      return lines.length > 1 ? `${name}:\n${lines.map((line) => `    ${line}`).join('\n')}` : `${name}=${value}`;
    })
    .join('\n');
}

function splitRow(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  const inner = line.trim().slice(1, -1);
  for (let i = 0; i < inner.length; i += 1) {
    const c = inner[i]!;
    // `\|` is the table's own escape; any other (`\\`, `\*`) belongs to the cell's markdown.
    if (c === '\\' && (inner[i + 1] === '|' || inner[i + 1] === '\\')) {
      current += inner[i + 1] === '|' ? '|' : '\\\\';
      i += 1;
    } else if (c === '|') {
      cells.push(current.trim());
      current = '';
    } else current += c;
  }
  cells.push(current.trim());
  return cells.map((cell) => cell.replace(/<br>/g, ' '));
}

/** Characters a cell takes on screen (ANSI styles take none). */
function width(cell: string): number {
  return [...cell.replace(ANSI_STYLE, '')].length;
}

function alignTable(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  const format = (row: string[]) => row.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - width(cell))).join('  ').trimEnd();
  const [header, ...body] = rows;
  return [format(header ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(format)];
}
