// The built-in sections a deploy's issue needs, each shown only when given: the monitoring window,
// the checklist, the rollback command, the results of earlier steps, and the links (the run's
// always among them).
import { formatDuration } from '@deploy-actions/inputs';
import { cell, codeBlock, codeSpan, table } from '@deploy-actions/report';

export interface Link {
  title: string;
  url: string;
}

export interface Sections {
  checklist: string[];
  /** The monitoring window's length in milliseconds. */
  monitorForMs?: number;
  rollbackCommand?: string;
  links: Link[];
  /** The parsed JSON documents of the results input, in order. */
  results: unknown[];
}

/** The issue's markdown below the marker: the user's body, then the sections that were given. */
export function renderContent(body: string, sections: Sections, context: { now: Date; runUrl: string; follows?: { number: number }; previousBody?: string }): string {
  const parts: string[] = [];
  if (body.trim() !== '') parts.push(body.trim());
  if (context.follows) parts.push(`Follows #${context.follows.number}, closed.`);
  if (sections.monitorForMs !== undefined) {
    const line = (context.previousBody && windowOfSameRun(context.previousBody, sections.monitorForMs, context.runUrl)) || monitoringLine(sections.monitorForMs, context.now);
    parts.push(`### Monitoring\n\n${line}`);
  }
  if (sections.checklist.length > 0) parts.push(`### Checklist\n\n${sections.checklist.map((item) => `- [ ] ${item}`).join('\n')}`);
  if (sections.rollbackCommand !== undefined) parts.push(`### Rollback\n\n${codeBlock(sections.rollbackCommand)}`);
  if (sections.results.length > 0) parts.push(`### Results\n\n${sections.results.map(resultsTable).join('\n\n')}`);
  parts.push(`### Links\n\n${[{ title: 'Workflow run', url: context.runUrl }, ...sections.links].map((link) => `- [${cell(link.title)}](${link.url})`).join('\n')}`);
  return parts.join('\n\n');
}

/** "Watch until 14:30 UTC (1h from 13:30 UTC)"; the date too when the window ends on another day. */
export function monitoringLine(durationMs: number, now: Date): string {
  const until = new Date(now.getTime() + durationMs);
  const sameDay = until.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  return `Watch until **${sameDay ? '' : `${until.toISOString().slice(0, 10)} `}${clock(until)} UTC** (${formatDuration(durationMs)} from ${clock(now)} UTC).`;
}

/**
 * The monitoring line of an issue body this same run wrote (its run link is there) with a window of
 * the same length: a re-run of the step keeps the window it opened, so it changes nothing.
 */
export function windowOfSameRun(previousBody: string, durationMs: number, runUrl: string): string | undefined {
  if (!previousBody.includes(`- [Workflow run](${runUrl})\n`) && !previousBody.endsWith(`- [Workflow run](${runUrl})`)) return undefined;
  const line = /^Watch until \*\*[^*\n]+ UTC\*\* \((.+?) from \d\d:\d\d UTC\)\.$/m.exec(previousBody);
  return line && line[1] === formatDuration(durationMs) ? line[0] : undefined;
}

function clock(date: Date): string {
  return date.toISOString().slice(11, 16);
}

/**
 * One JSON document as a table: a list of objects gets a row each and a column per key (in the
 * order keys first appear); an object with a list of objects under one key (smoke-test's `tests`)
 * shows its other fields above that list's table; any other object is a two-column table.
 */
export function resultsTable(document: unknown): string {
  if (Array.isArray(document)) return rowsTable(document);
  if (isObject(document)) {
    const listKey = Object.keys(document).find((key) => Array.isArray(document[key]) && (document[key] as unknown[]).every(isObject) && (document[key] as unknown[]).length > 0);
    const fields = Object.entries(document).filter(([key]) => key !== listKey);
    const fieldTable = fields.length > 0 ? table(['Field', 'Value'], fields.map(([key, value]) => [cell(key), valueCell(value)])) : '';
    return [fieldTable, listKey ? rowsTable(document[listKey] as unknown[]) : ''].filter(Boolean).join('\n\n');
  }
  return table(['Value'], [[valueCell(document)]]);
}

function rowsTable(rows: unknown[]): string {
  if (rows.length === 0) return '_No results._';
  if (!rows.every(isObject)) return table(['Value'], rows.map((row) => [valueCell(row)]));
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return table(columns.map(cell), rows.map((row) => columns.map((column) => (column in row ? valueCell(row[column]) : ''))));
}

function valueCell(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? '✅ true' : '❌ false';
  if (typeof value === 'string') return cell(value);
  if (typeof value === 'number') return String(value);
  return codeSpan(JSON.stringify(value), { inTable: true });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
