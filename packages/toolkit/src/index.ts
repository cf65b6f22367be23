// The runner protocol our actions speak: inputs from INPUT_* variables, outputs/state/summary through
// the runner's files, log annotations and masks as workflow commands.
//
// Why not @actions/core: its OIDC client imports @actions/http-client and undici at load time, which
// costs more than Node's whole start-up (about 60 ms here) in every step, for a feature no action of
// ours uses. The protocol itself is small and documented; the harness tests hold this module to the
// same file formats and escaping the runner reads. Names and signatures follow @actions/core, so an
// action that later needs the official toolkit swaps one import.
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

/** The runner's escaping for a command's message. */
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The runner's escaping for a command's property values. */
function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function issueCommand(command: string, properties: Record<string, string | number | undefined>, message: string): void {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/** Appends `name<<delimiter … delimiter` to the runner file named by GITHUB_<kind>. */
function issueFileCommand(kind: 'OUTPUT' | 'STATE' | 'ENV', name: string, value: string): boolean {
  const path = process.env[`GITHUB_${kind}`];
  if (!path) return false;
  if (!existsSync(path)) throw new Error(`the runner's GITHUB_${kind} file is missing: ${path}`);
  // A value holding the delimiter could forge further outputs. The check below rules that out
  // whatever the delimiter is, so it need not be cryptographically random: node:crypto would cost
  // every step's start-up about 10 ms.
  const delimiter = `ghadelimiter_${randomToken()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`unexpected delimiter in ${kind.toLowerCase()} ${name}`);
  appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
  return true;
}

function randomToken(): string {
  const part = () => Math.floor(Math.random() * 2 ** 52).toString(36).padStart(11, '0');
  return `${part()}${part()}${part()}`;
}

/** An input as the runner passes it: INPUT_<NAME>, spaces as underscores, upper-cased, trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function setOutput(name: string, value: string): void {
  if (!issueFileCommand('OUTPUT', name, value)) {
    process.stdout.write(EOL);
    issueCommand('set-output', { name }, value);
  }
}

export function saveState(name: string, value: string): void {
  if (!issueFileCommand('STATE', name, value)) issueCommand('save-state', { name }, value);
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

/** Registers a value the runner masks in the log from now on. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

function annotationProperties(properties: AnnotationProperties): Record<string, string | number | undefined> {
  return {
    title: properties.title,
    file: properties.file,
    line: properties.startLine,
    endLine: properties.endLine,
    col: properties.startColumn,
    endColumn: properties.endColumn
  };
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('error', annotationProperties(properties), message);
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('warning', annotationProperties(properties), message);
}

export function notice(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('notice', annotationProperties(properties), message);
}

/** Marks the step failed with one error line (at a file and line, if given); the process exits 1 when it ends. */
export function setFailed(message: string, properties: AnnotationProperties = {}): void {
  process.exitCode = 1;
  error(message, properties);
}

/** Appends markdown to the job summary; false when the runner gave no summary file (a local run). */
export function appendSummary(markdown: string): boolean {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) return false;
  appendFileSync(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
  return true;
}
