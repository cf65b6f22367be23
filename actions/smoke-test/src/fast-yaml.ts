// A fast reader for the plain YAML specs are written in: block mappings and sequences, plain and
// quoted one-line scalars, one-line flow collections, `|` and `|-` block scalars, comments. The
// `yaml` library needs 100+ ms of a step's start-up for a 500-test spec (its lexer, CST and
// Document are general); this reads the same spec in a few. Anything outside that subset (anchors,
// tags, multi-line flow or plain scalars, `>` folding, several documents, tabs and other blanks
// than the space, duplicate keys, a scalar whose type is in doubt) makes it give up and return undefined: the caller then parses with
// `yaml`, which also reports every error with its line. Whatever it accepts it reads exactly as
// `yaml` does (YAML 1.2 core schema); test/unit/smoke-spec.test.ts holds it to that.

export interface FastYaml {
  value: unknown;
  /** 1-based line of each mapping or sequence that is an item of a block sequence (a test of `tests:`). */
  lines: WeakMap<object, number>;
}

/** Thrown to give up; never leaves this module. */
class Unsupported extends Error {}

function giveUp(): never {
  throw new Unsupported();
}

// yaml's core schema: plain scalars that are not strings.
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
/** Numbers read the same by Number() and by yaml, never -0 and never past 2^53. */
const SAFE_INT = /^(?:0|-?[1-9][0-9]{0,14})$/;
const SAFE_FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/** Every other form yaml reads as a number (0x1F, 0o7, 007, +1, 1e3, .5, .inf, .nan): left to yaml. */
const OTHER_NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;
/** A plain scalar may not start with these (a `-`, `?` or `:` only when a blank follows). */
const BAD_PLAIN_START = /^(?:[,[\]{}#&*!|>'"%@`]|[-?:](?:\s|$))/;
/** Letters, digits, `/`, `$`, `_` and `.`: the usual first characters, which need no closer look. */
function plainStartIsSafe(text: string): boolean {
  const c = text.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 47 || c === 36 || c === 95 || c === 46;
}
function badPlainStart(text: string): boolean {
  return !plainStartIsSafe(text) && BAD_PLAIN_START.test(text);
}
/** The first `: ` (or a final `:`) from `from` on, where a block mapping's key ends; -1 when there is none. */
function keyEnd(text: string, from = 0): number {
  for (let colon = text.indexOf(':', from); colon >= 0; colon = text.indexOf(':', colon + 1)) {
    if (colon + 1 === text.length || text.charCodeAt(colon + 1) === 32) return colon;
  }
  return -1;
}
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029'
};
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** First characters of the plain scalars that may not be strings. */
const MAYBE_NOT_STRING = /^[-+.0-9~nNtTfF]/;

function plainValue(text: string): unknown {
  const c = text.charCodeAt(0);
  // Most values start with a letter that no null, boolean or number starts with.
  if ((c >= 97 && c <= 122 && c !== 110 && c !== 116 && c !== 102) || c === 47 || c === 36) return text;
  if (!MAYBE_NOT_STRING.test(text)) return text;
  // The first character tells which of the forms it can be (keys such as name, timeout and tags are many).
  if (c === 126 || c === 110 || c === 78) return NULL.test(text) ? null : text;
  if (c === 116 || c === 84) return TRUE.test(text) ? true : text;
  if (c === 102 || c === 70) return FALSE.test(text) ? false : text;
  if (SAFE_INT.test(text)) return Number(text);
  if (SAFE_FLOAT.test(text)) {
    const value = Number(text);
    if (value === 0 && text.startsWith('-')) giveUp();
    return value;
  }
  if (OTHER_NUMBER.test(text)) giveUp();
  return text;
}

function plainKey(text: string): string {
  if (text.length > 1024 || text === '__proto__' || text === '<<' || typeof plainValue(text) !== 'string') giveUp();
  return text;
}

/** A double-quoted scalar starting at `start` (the quote) on one line: its value and the index after it. */
function doubleQuoted(text: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) giveUp(); // runs on to another line
    const backslash = text.indexOf('\\', i);
    const next = backslash >= 0 && backslash < quote ? backslash : quote;
    value += text.slice(i, next);
    i = next;
    if (i === quote) return [value, i + 1];
    const code = text[i + 1] ?? giveUp();
    const hex = HEX_ESCAPE_LENGTH[code];
    if (hex) {
      const digits = text.slice(i + 2, i + 2 + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) giveUp();
      value += String.fromCodePoint(parseInt(digits, 16));
      i += 2 + hex;
    } else {
      value += ESCAPES[code] ?? giveUp();
      i += 2;
    }
  }
}

function singleQuoted(text: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  for (;;) {
    const next = text.indexOf("'", i);
    if (next < 0) giveUp();
    value += text.slice(i, next);
    if (text[next + 1] !== "'") return [value, next + 1];
    value += "'";
    i = next + 2;
  }
}

function quoted(text: string, start: number): [string, number] {
  return text[start] === '"' ? doubleQuoted(text, start) : singleQuoted(text, start);
}

/** Only blanks, or blanks and a comment, from `from` on. */
function restIsEmpty(text: string, from: number): boolean {
  return from >= text.length || /^(?:\s+#.*)?\s*$/.test(text.slice(from));
}

class Reader {
  private readonly raw: string[];
  /**
   * Where each line's content starts: after its indentation, or after the dash of a `- key: value`
   * item once that is read as a mapping whose keys line up there. Lines are read by number, not
   * copied into objects: a 500-test spec has thousands of them, and start-up pays for each allocation.
   */
  private readonly starts: Int32Array;
  private index = 0;
  readonly positions = new WeakMap<object, number>();
  /** The key and the rest of the line of the entry `entry` read last: fields, not a tuple, as `entry` runs for nearly every line. */
  private key = '';
  private rest = '';
  /**
   * Plain keys and plain values already read, by their text: a spec repeats a few dozen of each
   * (name, request, url, GET, 200) thousands of times, and each is checked once.
   */
  private readonly plainKeys = new Map<string, string>();
  private readonly plainValues = new Map<string, unknown>();

  /** `raw`: lines whose only blanks are spaces (fastYaml leaves any other to yaml). */
  constructor(raw: string[]) {
    this.raw = raw;
    this.starts = new Int32Array(raw.length);
    // Counted, not trimmed: a trimmed copy of each line would be thousands of strings made only to be measured.
    for (let i = 0; i < raw.length; i += 1) this.starts[i] = skipBlanks(raw[i]!, 0);
  }

  /** Line `i` is `-` or starts with `- `. */
  private isDash(i: number): boolean {
    const line = this.raw[i]!;
    const start = this.starts[i]!;
    return line.charCodeAt(start) === 45 && (start + 1 === line.length || line.charCodeAt(start + 1) === 32);
  }

  /** The next line that holds content (not blank, not a comment), or -1 at the end. */
  private peek(): number {
    for (; this.index < this.raw.length; this.index += 1) {
      const line = this.raw[this.index]!;
      const start = this.starts[this.index]!;
      if (start < line.length && line.charCodeAt(start) !== 35) return this.index;
    }
    return -1;
  }

  document(): unknown {
    const first = this.peek();
    if (first < 0 || this.starts[first] !== 0 || /^(?:---|\.\.\.|%)/.test(this.raw[first]!)) giveUp();
    const value = this.block(first);
    if (this.peek() >= 0) giveUp();
    return value;
  }

  /** 1-based line of the next line with content after the current one (where a value on the lines after a `-` starts). */
  private nextContentLine(): number {
    const current = this.index;
    this.index += 1;
    this.peek();
    const line = this.index + 1;
    this.index = current;
    return line;
  }

  /** A block mapping or sequence starting at `line` (the current one). */
  private block(line: number): unknown {
    if (this.isDash(line)) return this.sequence(this.starts[line]!);
    if (this.entry(this.raw[line]!, this.starts[line]!)) return this.mapping(this.starts[line]!);
    return giveUp();
  }

  /**
   * Whether `line` from `start` on is `key: rest`, split at the first `: ` (or a final `:`); when it
   * is, the key and the rest (trimmed at its start) are in `this.key` and `this.rest`.
   */
  private entry(line: string, start: number): boolean {
    const c = line.charCodeAt(start);
    if (c === 123 || c === 91) return false; // { [
    if (c === 34 || c === 39) {
      // " '
      const [key, end] = quoted(line, start);
      const colon = /^ *:(?: |$)/.exec(line.slice(end));
      if (!colon) return false;
      if (key === '__proto__' || key.length > 1024) giveUp();
      this.key = key;
      this.rest = line.slice(end + colon[0].length).trimStart();
      return true;
    }
    const colon = keyEnd(line, start);
    if (colon < 0) return false;
    const text = line.slice(start, colon);
    let key = this.plainKeys.get(text);
    if (key === undefined) {
      key = text.trimEnd();
      if (key === '' || badPlainStart(key) || key.includes(' #')) giveUp();
      key = plainKey(key);
      this.plainKeys.set(text, key);
    }
    this.key = key;
    this.rest = line.slice(skipBlanks(line, colon + 1));
    return true;
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let line = this.peek(); line >= 0 && this.starts[line]! >= indent; line = this.peek()) {
      if (this.starts[line]! > indent) giveUp();
      if (!this.entry(this.raw[line]!, indent)) giveUp();
      const key = this.key;
      if (Object.hasOwn(map, key)) giveUp();
      map[key] = this.value(this.rest, indent, 'mapping');
    }
    return map;
  }

  private sequence(indent: number): unknown[] {
    const list: unknown[] = [];
    for (let line = this.peek(); line >= 0 && this.starts[line]! >= indent; line = this.peek()) {
      if (this.starts[line]! > indent) giveUp();
      if (!this.isDash(line)) break; // the next key of a mapping at this indent
      const raw = this.raw[line]!;
      const innerIndent = skipBlanks(raw, indent + 1);
      const next = raw.charCodeAt(innerIndent);
      // `- key: value` is a mapping whose keys line up after the dash, `- - x` a sequence whose dashes do.
      const compact =
        next === 45 && (innerIndent + 1 === raw.length || raw.charCodeAt(innerIndent + 1) === 32)
          ? 'sequence'
          : innerIndent < raw.length && next !== 35 && this.entry(raw, innerIndent)
            ? 'mapping'
            : undefined;
      if (compact) {
        this.starts[line] = innerIndent;
        const dashLine = line + 1;
        const node = compact === 'sequence' ? this.sequence(innerIndent) : this.mapping(innerIndent);
        this.positions.set(node, dashLine);
        list.push(node);
      } else {
        const rest = raw.slice(innerIndent);
        const itemLine = rest === '' || rest[0] === '#' ? this.nextContentLine() : line + 1;
        const item = this.value(rest, indent, 'sequence');
        if (item !== null && typeof item === 'object') this.positions.set(item, itemLine);
        list.push(item);
      }
    }
    return list;
  }

  /** The value after `key:` or `- ` (`rest`, already trimmed at its start); the current line is the one it is on. */
  private value(rest: string, ownerIndent: number, owner: 'mapping' | 'sequence'): unknown {
    const lineIndex = this.index;
    if (rest === '' || rest[0] === '#') {
      this.index += 1;
      const next = this.peek();
      if (next >= 0 && this.starts[next]! > ownerIndent) return this.block(next);
      // A mapping's value may be a sequence at the mapping's own indent.
      if (next >= 0 && owner === 'mapping' && this.starts[next] === ownerIndent && this.isDash(next)) return this.sequence(ownerIndent);
      return null;
    }
    const first = rest[0]!;
    if (first === '|') return this.literal(rest, ownerIndent);
    let value: unknown;
    let end: number;
    if (first === '"' || first === "'") [value, end] = quoted(rest, 0);
    else if (first === '{' || first === '[') [value, end] = this.flow(rest, 0);
    else {
      end = rest.length;
      value = this.plainValues.get(rest);
      if (value === undefined) {
        if (badPlainStart(rest)) giveUp();
        const comment = rest.indexOf(' #');
        const text = (comment < 0 ? rest : rest.slice(0, comment)).trimEnd();
        // `a: b: c` is an error to yaml; a `: ` inside a plain value is not ours to judge.
        if (keyEnd(text) >= 0) giveUp();
        value = plainValue(text);
        this.plainValues.set(rest, value);
      }
    }
    if (!restIsEmpty(rest, end)) giveUp();
    this.index = lineIndex + 1;
    return value;
  }

  /** A `|` or `|-` block scalar whose header is `header`; its lines follow the current one. */
  private literal(header: string, ownerIndent: number): string {
    const chomp = /^\|(-?)(?:\s+#.*)?\s*$/.exec(header) ?? giveUp();
    const start = this.index + 1;
    let end = start;
    let indent = -1;
    let widestBlank = 0;
    for (; end < this.raw.length; end += 1) {
      const lineIndent = this.starts[end]!;
      if (lineIndent === this.raw[end]!.length) {
        widestBlank = Math.max(widestBlank, lineIndent);
        continue;
      }
      if (indent < 0) {
        if (lineIndent <= ownerIndent) break;
        indent = lineIndent;
      } else if (lineIndent < indent) {
        if (lineIndent > ownerIndent) giveUp();
        break;
      }
    }
    // Blank lines wider than the content's indent hold spaces (or are an error): left to yaml.
    if (widestBlank > Math.max(indent, 0)) giveUp();
    // The final line break of the file decides clipping: a scalar running to the end of a file without one is left to yaml.
    if (end === this.raw.length && this.raw.at(-1) !== '') giveUp();
    let last = end;
    while (last > start && this.starts[last - 1] === this.raw[last - 1]!.length) last -= 1;
    const body = this.raw.slice(start, last).map((line) => line.slice(indent));
    this.index = end;
    if (body.length === 0) return '';
    return body.join('\n') + (chomp[1] === '-' ? '' : '\n');
  }

  /** A flow collection starting at `start` (its `{` or `[`), closed on the same line. */
  private flow(text: string, start: number): [unknown, number] {
    const open = text[start];
    const node = open === '{' ? ({} as Record<string, unknown>) : ([] as unknown[]);
    const close = open === '{' ? '}' : ']';
    let i = skipBlanks(text, start + 1);
    if (text[i] === close) return [node, i + 1];
    for (;;) {
      if (Array.isArray(node)) {
        const [item, after] = this.flowScalarOrCollection(text, i);
        node.push(item);
        i = skipBlanks(text, after);
      } else {
        let key: string;
        let after: number;
        if (text[i] === '"' || text[i] === "'") {
          [key, after] = quoted(text, i);
          if (key === '__proto__' || key.length > 1024) giveUp();
          after = skipBlanks(text, after);
          if (text[after] !== ':') giveUp();
          after += 1;
        } else {
          const match = /^[^,[\]{}:#]+?(?= *:(?:[ ,\]}]|$))/.exec(text.slice(i)) ?? giveUp();
          const raw = match[0];
          if (badPlainStart(raw) || /\s#/.test(raw)) giveUp();
          key = plainKey(raw.trimEnd());
          after = skipBlanks(text, i + raw.length) + 1;
        }
        if (Object.hasOwn(node, key)) giveUp();
        const valueStart = skipBlanks(text, after);
        if (text[valueStart] === ',' || text[valueStart] === '}') giveUp(); // `{ a: }`: an empty value
        const [value, end] = this.flowScalarOrCollection(text, valueStart);
        (node as Record<string, unknown>)[key] = value;
        i = skipBlanks(text, end);
      }
      if (text[i] === close) return [node, i + 1];
      if (text[i] !== ',') giveUp();
      i = skipBlanks(text, i + 1);
      if (text[i] === close || text[i] === ',') giveUp(); // a trailing or doubled comma
    }
  }

  private flowScalarOrCollection(text: string, start: number): [unknown, number] {
    const first = text[start];
    if (first === undefined) giveUp();
    if (first === '{' || first === '[') return this.flow(text, start);
    if (first === '"' || first === "'") return quoted(text, start);
    // A plain scalar ends at a flow indicator or at `: `; `[`, `{` or `#` inside it are left to yaml.
    const match = /^[^,[\]{}#]+/.exec(text.slice(start)) ?? giveUp();
    const raw = match[0];
    const end = start + raw.length;
    if (text[end] === '[' || text[end] === '{' || text[end] === '#' || badPlainStart(raw) || /:(?:[ ,\]}]|$)/.test(text.slice(start, end + 1))) giveUp();
    return [plainValue(raw.trimEnd()), end];
  }
}

function skipBlanks(text: string, from: number): number {
  let i = from;
  while (text.charCodeAt(i) === 32) i += 1;
  return i;
}

/** The spec read from `text`, or undefined when it holds anything this reader leaves to `yaml`. */
export function fastYaml(text: string): FastYaml | undefined {
  let source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.includes('\r')) source = source.replace(/\r\n/g, '\n');
  // Tabs, other control characters and lone carriage returns have rules of their own.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x09\x0b-\x1f\x7f]/.test(source)) return undefined;
  // Blanks other than the space, which JavaScript's trim() removes and YAML keeps: to YAML a
  // no-break space before a value is part of it, and one before a key is no indentation.
  if (/[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(source)) return undefined;
  const reader = new Reader(source.split('\n'));
  try {
    return { value: reader.document(), lines: reader.positions };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
