// The two channels a JavaScript action talks to the runner through, parsed the way the GitHub runner
// parses them: `::name key=value::message` lines on stdout/stderr, and the environment files
// (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_PATH). Strings in, data out: no I/O here, so the
// harness and its tests can share one definition of the protocol.

/** Commands the runner acts on; a `::other::` line is ordinary log output. */
export const RUNNER_COMMANDS: ReadonlySet<string> = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning'
]);

export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  message: string;
}

const COMMAND_MARK = '::';

// Each escape is decoded in one pass, so `%250A` becomes the literal text `%0A`, not a newline.
const DATA_ESCAPES: Record<string, string> = { '%25': '%', '%0D': '\r', '%0A': '\n' };
const PROPERTY_ESCAPES: Record<string, string> = { ...DATA_ESCAPES, '%3A': ':', '%2C': ',' };

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// The runner matches escapes case-sensitively: `%0a` stays as written.
export function unescapeData(text: string): string {
  return text.replace(/%25|%0D|%0A/g, (escape) => DATA_ESCAPES[escape] ?? escape);
}

export function unescapeProperty(text: string): string {
  return text.replace(/%25|%0D|%0A|%3A|%2C/g, (escape) => PROPERTY_ESCAPES[escape] ?? escape);
}

/** The line @actions/core would print for this command. */
export function formatWorkflowCommand(name: string, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `${COMMAND_MARK}${name}${props ? ` ${props}` : ''}${COMMAND_MARK}${escapeData(message)}`;
}

/**
 * Parses one output line (without its line break). Returns undefined when the runner would treat the
 * line as plain output: no `::` prefix after leading blanks, no closing `::`, or a command name not in
 * `known` (lower-case names; the returned name is lower-cased too). Like the runner, properties without a name or a value are dropped silently.
 */
export function parseWorkflowCommand(line: string, known: ReadonlySet<string> = RUNNER_COMMANDS): WorkflowCommand | undefined {
  const text = line.trimStart();
  if (!text.startsWith(COMMAND_MARK)) return undefined;
  const infoEnd = text.indexOf(COMMAND_MARK, COMMAND_MARK.length);
  if (infoEnd < 0) return undefined;
  const info = text.slice(COMMAND_MARK.length, infoEnd);
  const space = info.indexOf(' ');
  // Command names are case-insensitive to the runner: `::ERROR::` is an error annotation.
  const name = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!known.has(name)) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).trim().split(',')) {
      const equals = pair.indexOf('=');
      if (equals <= 0 || equals === pair.length - 1) continue;
      properties[pair.slice(0, equals)] = unescapeProperty(pair.slice(equals + 1));
    }
  }
  return { name, properties, message: unescapeData(text.slice(infoEnd + COMMAND_MARK.length)) };
}

export class EnvironmentFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentFileError';
  }
}

export interface FileEntry {
  name: string;
  value: string;
}

/**
 * Reads the line starting at `at`. Like the runner on Linux, only `\n` ends a line: a `\r` before it
 * stays part of the line (and of a `name=value` value).
 */
function readLine(text: string, at: number): { line: string; lineBreak: string; next: number } | undefined {
  if (at >= text.length) return undefined;
  const newline = text.indexOf('\n', at);
  if (newline < 0) return { line: text.slice(at), lineBreak: '', next: text.length };
  return { line: text.slice(at, newline), lineBreak: '\n', next: newline + 1 };
}

/**
 * Parses GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE content: `name=value` lines and
 * `name<<DELIMITER` heredocs (the form @actions/core writes). Entries come back in file order;
 * a later entry with the same name wins when the caller folds them into a record. Throws
 * EnvironmentFileError on the inputs the runner rejects (and fails the step for).
 */
export function parseEnvironmentFile(text: string): FileEntry[] {
  const entries: FileEntry[] = [];
  let cursor = readLine(text, 0);
  while (cursor) {
    const { line } = cursor;
    let next = cursor.next;
    if (line !== '') {
      const equals = line.indexOf('=');
      const heredoc = line.indexOf('<<');
      if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
        const name = line.slice(0, equals);
        if (name === '') throw new EnvironmentFileError(`Invalid format '${line}'. Name must not be empty`);
        entries.push({ name, value: line.slice(equals + 1) });
      } else if (heredoc >= 0) {
        const name = line.slice(0, heredoc);
        const delimiter = line.slice(heredoc + 2);
        if (name === '') throw new EnvironmentFileError(`Invalid format '${line}'. Name must not be empty`);
        if (delimiter === '') throw new EnvironmentFileError(`Invalid format '${line}'. Delimiter must not be empty`);
        // The value is the raw text up to the line break before the delimiter line, so inner
        // line breaks survive exactly as written. The delimiter line must match exactly.
        const valueStart = next;
        let valueEnd = next;
        let body = readLine(text, next);
        while (body?.line !== delimiter) {
          if (!body) throw new EnvironmentFileError(`Invalid value. Matching delimiter not found '${delimiter}'`);
          valueEnd = body.next - body.lineBreak.length;
          body = readLine(text, body.next);
        }
        next = body.next;
        entries.push({ name, value: text.slice(valueStart, Math.max(valueStart, valueEnd)) });
      } else {
        throw new EnvironmentFileError(`Invalid format '${line}'`);
      }
    }
    cursor = readLine(text, next);
  }
  return entries;
}

/** GITHUB_PATH content: one directory per line (any line break), blank lines ignored. */
export function parsePathFile(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line !== '');
}
