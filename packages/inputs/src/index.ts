import { readFileSync, statSync } from 'node:fs';

// Typed action inputs. Every parser either returns a typed value or throws InputError, whose message
// is the one line a user sees: `input <name>: <what was wrong>; expected <accepted form>`.

export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly problem: string,
    readonly expected: string
  ) {
    super(`input ${input}: ${problem}; expected ${expected}`);
    this.name = 'InputError';
  }
}

/** Shows a user's value in an error message without flooding the line. */
function quote(raw: string): string {
  const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  return JSON.stringify(shown);
}

const DURATION_FORM = 'a duration such as 250ms, 10s, 5m, 1h or 1m30s';
const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_WORDS: RangeWords = { below: 'too short', above: 'too long' };

/** `250ms`, `10s`, `1.5s`, `5m`, `1h`, `1m30s`, or `0`. Returns milliseconds. */
export function parseDuration(input: string, raw: string, range: { min?: number; max?: number } = {}): number {
  const text = raw.trim();
  if (text === '0') return checkRange(input, 0, range, DURATION_FORM, formatDuration, DURATION_WORDS);
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g) : null;
  if (!parts) throw new InputError(input, `${quote(raw)} is not a duration`, DURATION_FORM);
  let total = 0;
  for (const part of parts) {
    const [, amount = '', unit = ''] = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part) ?? [];
    total += Number(amount) * (DURATION_UNITS_MS[unit] ?? Number.NaN);
  }
  if (!Number.isFinite(total)) throw new InputError(input, `${quote(raw)} is too large`, DURATION_FORM);
  return checkRange(input, Math.round(total), range, DURATION_FORM, formatDuration, DURATION_WORDS);
}

/** `3.4ms`, `418ms`, `1.25s`, `12.5s`, `1m30s`: a measured time rounded to what a reader can use. */
export function formatDuration(ms: number): string {
  if (ms < 10) return `${Number(ms.toFixed(1))}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}

interface RangeWords {
  below: string;
  above: string;
}

/**
 * A value outside `range` fails with the limit said once, in the accepted form: the form gets the
 * limit that was crossed appended, unless it states the range already (`an integer from 1 to 1000`).
 */
function checkRange(
  input: string,
  value: number,
  range: { min?: number; max?: number },
  form: string,
  show: (n: number) => string = String,
  words: RangeWords = { below: 'too small', above: 'too large' },
  formStatesRange = false
): number {
  if (range.min !== undefined && value < range.min) {
    throw new InputError(input, `${show(value)} is ${words.below}`, formStatesRange ? form : `${form}, at least ${show(range.min)}`);
  }
  if (range.max !== undefined && value > range.max) {
    throw new InputError(input, `${show(value)} is ${words.above}`, formStatesRange ? form : `${form}, at most ${show(range.max)}`);
  }
  return value;
}

/** Items one per line, or (with `commas`) also separated by commas; blanks are dropped. */
export function parseList(raw: string, { commas = true }: { commas?: boolean } = {}): string[] {
  return raw
    .split(commas ? /[\n,]/ : /\n/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];

/** The YAML 1.2 core schema booleans, as the runner's own getBooleanInput accepts them. */
export function parseBoolean(input: string, raw: string): boolean {
  const text = raw.trim();
  if (TRUE_WORDS.includes(text)) return true;
  if (FALSE_WORDS.includes(text)) return false;
  throw new InputError(input, `${quote(raw)} is not a boolean`, 'true or false');
}

export function parseEnum<T extends string>(input: string, raw: string, allowed: readonly T[]): T {
  const text = raw.trim();
  const match = allowed.find((choice) => choice === text);
  if (match === undefined) throw new InputError(input, `${quote(raw)} is not a known value`, `one of ${allowed.join(', ')}`);
  return match;
}

export function parseInteger(input: string, raw: string, range: { min?: number; max?: number } = {}): number {
  const text = raw.trim();
  const form = describeNumberForm('an integer', range);
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InputError(input, `${quote(raw)} is not an integer`, form);
  }
  return checkRange(input, Number(text), range, form, String, undefined, statesRange(range));
}

export function parseNumber(input: string, raw: string, range: { min?: number; max?: number } = {}): number {
  const text = raw.trim();
  const form = describeNumberForm('a number', range);
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) || !Number.isFinite(Number(text))) {
    throw new InputError(input, `${quote(raw)} is not a number`, form);
  }
  return checkRange(input, Number(text), range, form, String, undefined, statesRange(range));
}

function statesRange(range: { min?: number; max?: number }): boolean {
  return range.min !== undefined && range.max !== undefined;
}

function describeNumberForm(kind: string, range: { min?: number; max?: number }): string {
  return statesRange(range) ? `${kind} from ${range.min} to ${range.max}` : kind;
}

const SIZE_FORM = 'a size such as 512KiB, 1MiB, 10MB or 65536 (bytes)';
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** A byte count: a plain number of bytes or with a unit (KB/MB/GB decimal, KiB/MiB/GiB binary). */
export function parseByteSize(input: string, raw: string, range: { min?: number; max?: number } = {}): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?$/i.exec(raw.trim());
  const unit = SIZE_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) throw new InputError(input, `${quote(raw)} is not a size`, SIZE_FORM);
  return checkRange(input, Math.round(Number(match[1]) * unit), range, SIZE_FORM, formatByteSize);
}

/** Units largest first, binary before decimal of about the same size. */
const SIZE_DISPLAY_UNITS: Array<[unit: string, bytes: number]> = [
  ['GiB', 1024 ** 3],
  ['GB', 1e9],
  ['MiB', 1024 ** 2],
  ['MB', 1e6],
  ['KiB', 1024],
  ['KB', 1e3]
];

/** A byte count the way a size input is written: `256MiB`, `1.5MiB`, `300MB`, `1000 bytes`. */
export function formatByteSize(bytes: number): string {
  for (const [unit, size] of SIZE_DISPLAY_UNITS) {
    const amount = Number((bytes / size).toFixed(2));
    if (bytes >= size && Math.round(amount * size) === bytes) return `${amount}${unit}`;
  }
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

/** A percentage such as `20%`, as a fraction (0.2). */
export function parsePercent(input: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(raw.trim());
  if (!match) throw new InputError(input, `${quote(raw)} is not a percentage`, 'a percentage such as 20%');
  return Number(match[1]) / 100;
}

/** Extra trusted CA certificates: the PEM text itself, or a path to a PEM file. */
export function parseCaCertificate(input: string, value: string): string {
  const form = 'a path to a PEM file, or PEM text';
  if (value.includes('-----BEGIN CERTIFICATE-----')) return value;
  const pem = readInputFile(input, value, form);
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new InputError(input, `${quote(value)} holds no PEM certificate`, form);
  return pem;
}

/**
 * The text of a file an input names. A missing file, a directory or one that cannot be read is an
 * input error in one line, never Node's `EISDIR: illegal operation on a directory, read`.
 */
export function readInputFile(input: string, path: string, form: string): string {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new InputError(input, `no file at ${quote(path)}`, form);
    if (stat.isDirectory()) throw new InputError(input, `${quote(path)} is a directory, not a file`, form);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'EACCES' ? 'is not readable (permission denied)' : `could not be read (${(error as Error).message})`;
    throw new InputError(input, `${quote(path)} ${reason}`, form);
  }
}

/** RFC 9110 token characters: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export type HeaderList = Array<[name: string, value: string]>;

/** `Name: value` lines (blank lines ignored). Order and repeats are kept, as HTTP allows. */
export function parseHeaders(input: string, raw: string): HeaderList {
  const headers: HeaderList = [];
  for (const line of raw.split('\n')) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!HEADER_NAME.test(name)) {
      // The line may hold a secret value, so only its name part is quoted back.
      const shown = colon > 0 ? `header name ${quote(name)}` : 'a line without "Name:"';
      throw new InputError(input, `${shown} is not valid`, '`Name: value` lines, the name made of letters, digits and !#$%&\'*+-.^_`|~');
    }
    const value = line.slice(colon + 1).trim();
    if (/[\r\0]/.test(value)) {
      throw new InputError(input, `the value of header ${name} contains a control character`, '`Name: value` lines with printable values');
    }
    headers.push([name, value]);
  }
  return headers;
}

/** Header names, one per line or comma-separated (no values). */
export function parseHeaderNames(input: string, raw: string): string[] {
  const names = parseList(raw);
  for (const name of names) {
    if (!HEADER_NAME.test(name)) {
      throw new InputError(input, `${quote(name)} is not a header name`, 'header names such as X-Deploy-Key, one per line or comma-separated');
    }
  }
  return names;
}

/** A set of HTTP status codes, as in `200`, `2xx`, `200-299`, `200,204,3xx`. */
export class StatusSet {
  constructor(private readonly ranges: ReadonlyArray<readonly [number, number]>, readonly text: string) {}
  has(status: number): boolean {
    return this.ranges.some(([low, high]) => status >= low && status <= high);
  }
  toString(): string {
    return this.text;
  }
}

const STATUS_FORM = 'status codes, classes or ranges such as 200, 2xx, 200-299 or 200,204,3xx';

export function parseStatusSet(input: string, raw: string): StatusSet {
  const items = raw.split(/[\s,]+/).filter((item) => item !== '');
  if (items.length === 0) throw new InputError(input, 'no status given', STATUS_FORM);
  const ranges: Array<[number, number]> = [];
  for (const item of items) {
    let range: [number, number] | undefined;
    const klass = /^([1-5])xx$/i.exec(item);
    const span = /^(\d{3})-(\d{3})$/.exec(item);
    if (klass) range = [Number(klass[1]) * 100, Number(klass[1]) * 100 + 99];
    else if (span) range = [Number(span[1]), Number(span[2])];
    else if (/^\d{3}$/.test(item)) range = [Number(item), Number(item)];
    if (!range || range[0] < 100 || range[1] > 599 || range[0] > range[1]) {
      throw new InputError(input, `${quote(item)} is not a status code, class or range`, STATUS_FORM);
    }
    ranges.push(range);
  }
  return new StatusSet(ranges, items.join(','));
}

/**
 * Reads raw input strings through `get` (core.getInput in an action, flags in the CLI) and parses
 * them. An empty string means "not given"; the runner has already applied action.yml defaults.
 */
/**
 * An action's inputs, read by name. `defaults` is the action's table generated from action.yml
 * (src/generated/inputs.ts): only its names type-check, and an input left empty takes its default
 * from there, so a default is never written twice.
 */
export class Inputs<Name extends string> {
  constructor(
    private readonly get: (name: Name) => string,
    private readonly defaults: Readonly<Record<Name, string>>
  ) {}

  private value(name: Name): string {
    const value = this.get(name).trim();
    return value === '' ? this.defaults[name].trim() : value;
  }
  /** The value, or the default. */
  string(name: Name): string {
    return this.value(name);
  }
  required(name: Name, expected: string): string {
    const value = this.value(name);
    if (value === '') throw new InputError(name, 'it is required but was not given', expected);
    return value;
  }
  /** Parsed, or undefined when neither the value nor the default says anything. */
  optional<T>(name: Name, parse: (input: string, raw: string) => T): T | undefined {
    const raw = this.value(name);
    return raw === '' ? undefined : parse(name, raw);
  }
  /** The value (or the default) parsed. */
  with<T>(name: Name, parse: (input: string, raw: string) => T): T {
    return parse(name, this.value(name));
  }
  /** The raw multi-line value, keeping inner lines as given (headers, bodies); the default when empty. */
  raw(name: Name): string {
    const value = this.get(name);
    return value.trim() === '' ? this.defaults[name] : value;
  }
}
