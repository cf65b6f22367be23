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

/** A value of a line, read once per distinct line: what follows `key:` or `- `. */
type LineValue =
  /** Nothing (or a comment): the value is a block on the lines after, or null. */
  | { kind: 'later' }
  | { kind: 'scalar'; value: unknown }
  /** A one-line flow collection: read again at each use, as each use gets objects of its own. */
  | { kind: 'flow'; text: string }
  /** A `|` block scalar: its lines follow. */
  | { kind: 'literal'; header: string };

/**
 * What a line holds, a function of its text alone: a spec repeats a few dozen distinct lines (`    request:`,
 * `      method: GET`) thousands of times, and each is read once.
 */
interface LineShape {
  /** Where the content starts; -1 for a blank or comment line. */
  indent: number;
  /** `- …` or `-`: an item of a block sequence, its content from `inner` on (-1 when none). */
  dash: boolean;
  inner: number;
  /** The item is itself a sequence (`- - x`). */
  innerDash: boolean;
  /** The key of the line's entry (after the dash for `- key: value`), when it has one. */
  key: string | undefined;
  value: LineValue | undefined;
}

const BLANK: LineShape = { indent: -1, dash: false, inner: -1, innerDash: false, key: undefined, value: undefined };
const LATER: LineValue = { kind: 'later' };

/** The value in `rest` (trimmed at its start), as far as one line tells. */
function lineValue(rest: string, plainValues: Map<string, unknown>): LineValue {
  if (rest === '' || rest.charCodeAt(0) === 35) return LATER;
  const first = rest[0]!;
  if (first === '|') return { kind: 'literal', header: rest };
  if (first === '{' || first === '[') return { kind: 'flow', text: rest };
  if (first === '"' || first === "'") {
    const [value, end] = quoted(rest, 0);
    if (!restIsEmpty(rest, end)) giveUp();
    return { kind: 'scalar', value };
  }
  let value = plainValues.get(rest);
  if (value === undefined) {
    if (badPlainStart(rest)) giveUp();
    const comment = rest.indexOf(' #');
    const text = (comment < 0 ? rest : rest.slice(0, comment)).trimEnd();
    // `a: b: c` is an error to yaml; a `: ` inside a plain value is not ours to judge.
    if (keyEnd(text) >= 0) giveUp();
    value = plainValue(text);
    plainValues.set(rest, value);
  }
  return { kind: 'scalar', value };
}

/** The shape of `line` read from `start` on (its indentation, or the content after a dash). */
function shapeOf(line: string, start: number, plainKeys: Map<string, string>, plainValues: Map<string, unknown>): LineShape {
  const indent = skipBlanks(line, start);
  if (indent === line.length || line.charCodeAt(indent) === 35) return BLANK;
  if (line.charCodeAt(indent) === 45 && (indent + 1 === line.length || line.charCodeAt(indent + 1) === 32)) {
    const inner = skipBlanks(line, indent + 1);
    if (inner === line.length || line.charCodeAt(inner) === 35) return { indent, dash: true, inner: -1, innerDash: false, key: undefined, value: LATER };
    const innerDash = line.charCodeAt(inner) === 45 && (inner + 1 === line.length || line.charCodeAt(inner + 1) === 32);
    if (innerDash) return { indent, dash: true, inner, innerDash, key: undefined, value: undefined };
    const entry = entryAt(line, inner, plainKeys, plainValues);
    return { indent, dash: true, inner, innerDash, key: entry?.key, value: entry ? entry.value : lineValue(line.slice(inner), plainValues) };
  }
  // Only an entry can start a line outside a sequence: a scalar alone on a line is a multi-line value, left to yaml.
  const entry = entryAt(line, indent, plainKeys, plainValues) ?? giveUp();
  return { indent, dash: false, inner: -1, innerDash: false, key: entry.key, value: entry.value };
}

/** `key: rest` from `start` on, split at the first `: ` (or a final `:`), or undefined when the line is no entry. */
function entryAt(line: string, start: number, plainKeys: Map<string, string>, plainValues: Map<string, unknown>): { key: string; value: LineValue } | undefined {
  const c = line.charCodeAt(start);
  if (c === 123 || c === 91) return undefined; // { [
  if (c === 34 || c === 39) {
    // " '
    const [key, end] = quoted(line, start);
    const colon = /^ *:(?: |$)/.exec(line.slice(end));
    if (!colon) return undefined;
    if (key === '__proto__' || key.length > 1024) giveUp();
    return { key, value: lineValue(line.slice(end + colon[0].length).trimStart(), plainValues) };
  }
  const colon = keyEnd(line, start);
  if (colon < 0) return undefined;
  const text = line.slice(start, colon);
  let key = plainKeys.get(text);
  if (key === undefined) {
    key = text.trimEnd();
    if (key === '' || badPlainStart(key) || key.includes(' #')) giveUp();
    key = plainKey(key);
    plainKeys.set(text, key);
  }
  return { key, value: lineValue(line.slice(skipBlanks(line, colon + 1)), plainValues) };
}

/** An open block mapping or sequence, and the indent its entries or dashes line up at. */
interface Block {
  indent: number;
  node: Record<string, unknown> | unknown[];
  isSequence: boolean;
  /** A mapping's key whose value is on the lines after. */
  key: string;
}

/**
 * The document in `lines`, read line by line with a stack of open blocks: one loop, not a call per
 * line and level, as a step reads its spec cold, before the runtime has compiled any of this.
 */
function readDocument(lines: readonly string[], positions: WeakMap<object, number>): unknown {
  const plainKeys = new Map<string, string>();
  const plainValues = new Map<string, unknown>();
  const shapes = new Map<string, LineShape>();
  const stack: Block[] = [];
  /** The top block waits for its value (a mapping's `key:`, a sequence's `-`) on the lines after. */
  let waiting = false;
  let root: unknown;

  /** `value` of the top block at line `index`: a mapping's entry or a sequence's item; returns the index of the last line it used. */
  const put = (block: Block, key: string | undefined, value: LineValue, index: number, ownerIndent: number): number => {
    let read: unknown;
    let last = index;
    if (value.kind === 'later') {
      if (key !== undefined) block.key = key;
      waiting = true;
      return index;
    }
    if (value.kind === 'scalar') read = value.value;
    else if (value.kind === 'flow') {
      let end: number;
      [read, end] = flow(value.text, 0);
      if (!restIsEmpty(value.text, end)) giveUp();
    }
    else [read, last] = literal(lines, value.header, index, ownerIndent);
    if (block.isSequence) {
      if (read !== null && typeof read === 'object') positions.set(read, index + 1);
      (block.node as unknown[]).push(read);
    } else (block.node as Record<string, unknown>)[key!] = read;
    return last;
  };
  /** A new block at `indent`: the root, the item of the sequence on top, or the value the mapping on top waits for. */
  const open = (isSequence: boolean, indent: number, lineNumber: number): Block => {
    const node = isSequence ? [] : {};
    const owner = stack[stack.length - 1];
    if (!owner) root = node;
    else if (owner.isSequence) {
      positions.set(node, lineNumber);
      (owner.node as unknown[]).push(node);
    } else (owner.node as Record<string, unknown>)[owner.key] = node;
    const block = { indent, node, isSequence, key: '' };
    stack.push(block);
    return block;
  };

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    let shape = shapes.get(line);
    if (shape === undefined) {
      shape = shapeOf(line, 0, plainKeys, plainValues);
      shapes.set(line, shape);
    }
    const indent = shape.indent;
    if (indent < 0) continue;
    let top = stack.length > 0 ? stack[stack.length - 1] : undefined;
    if (top === undefined) {
      if (root !== undefined || indent !== 0 || /^(?:---|\.\.\.|%)/.test(line)) giveUp();
    } else if (waiting) {
      waiting = false;
      // The value is a block when it is indented deeper; a mapping's may be a sequence at the mapping's own indent.
      if (indent > top.indent || (indent === top.indent && shape.dash && !top.isSequence)) top = open(shape.dash, indent, index + 1);
      else if (top.isSequence) (top.node as unknown[]).push(null);
      else (top.node as Record<string, unknown>)[top.key] = null;
    }
    // Close the blocks this line is outside of; a sequence at its key's indent ends at the next key.
    while (top !== undefined && (indent < top.indent || (indent === top.indent && !shape.dash && top.isSequence))) {
      stack.pop();
      top = stack.length > 0 ? stack[stack.length - 1] : undefined;
    }
    if (top === undefined) {
      if (root !== undefined) giveUp();
      top = open(shape.dash, indent, index + 1);
    }
    if (indent !== top.indent) giveUp();
    if (!shape.dash) {
      if (top.isSequence) giveUp();
      const key = shape.key!;
      const node = top.node as Record<string, unknown>;
      if (Object.hasOwn(node, key)) giveUp(); // a duplicate key
      const value = shape.value!;
      // The line most lines are, `key: scalar`, is set here; the others take their own steps.
      if (value.kind === 'scalar') node[key] = value.value;
      else index = put(top, key, value, index, indent);
      continue;
    }
    if (!top.isSequence) giveUp();
    // An item: `- value`, `-` (on the lines after), `- key: value` (a mapping lined up after the dash), `- - x`.
    let item = shape;
    let block = top;
    while (item.innerDash) {
      block = open(true, item.inner, index + 1);
      item = shapeOf(line, item.inner, plainKeys, plainValues);
    }
    if (item.inner < 0) {
      waiting = true;
      continue;
    }
    if (item.key !== undefined) {
      const map = open(false, item.inner, index + 1);
      index = put(map, item.key, item.value!, index, item.inner);
    } else index = put(block, undefined, item.value!, index, block.indent);
  }
  if (waiting) {
    const owner = stack[stack.length - 1]!;
    if (owner.isSequence) (owner.node as unknown[]).push(null);
    else (owner.node as Record<string, unknown>)[owner.key] = null;
  }
  if (root === undefined) giveUp();
  return root;
}

/** A `|` or `|-` block scalar whose header is on line `index`, its lines after it: the text and the index of its last line. */
function literal(lines: readonly string[], header: string, index: number, ownerIndent: number): [string, number] {
  const chomp = /^\|(-?)(?:\s+#.*)?\s*$/.exec(header) ?? giveUp();
  const start = index + 1;
  let end = start;
  let indent = -1;
  let widestBlank = 0;
  for (; end < lines.length; end += 1) {
    const line = lines[end]!;
    const lineIndent = skipBlanks(line, 0);
    if (lineIndent === line.length) {
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
  if (end === lines.length && lines.at(-1) !== '') giveUp();
  let last = end;
  while (last > start && skipBlanks(lines[last - 1]!, 0) === lines[last - 1]!.length) last -= 1;
  const body = lines.slice(start, last).map((line) => line.slice(indent));
  const text = body.length === 0 ? '' : body.join('\n') + (chomp[1] === '-' ? '' : '\n');
  return [text, end - 1];
}

/** A flow collection starting at `start` (its `{` or `[`), closed on the same line. */
function flow(text: string, start: number): [unknown, number] {
  const open = text[start];
  const node = open === '{' ? ({} as Record<string, unknown>) : ([] as unknown[]);
  const close = open === '{' ? '}' : ']';
  let i = skipBlanks(text, start + 1);
  if (text[i] === close) return [node, i + 1];
  for (;;) {
    if (Array.isArray(node)) {
      const [item, after] = flowScalarOrCollection(text, i);
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
      const [value, end] = flowScalarOrCollection(text, valueStart);
      (node as Record<string, unknown>)[key] = value;
      i = skipBlanks(text, end);
    }
    if (text[i] === close) return [node, i + 1];
    if (text[i] !== ',') giveUp();
    i = skipBlanks(text, i + 1);
    if (text[i] === close || text[i] === ',') giveUp(); // a trailing or doubled comma
  }
}

function flowScalarOrCollection(text: string, start: number): [unknown, number] {
  const first = text[start];
  if (first === undefined) giveUp();
  if (first === '{' || first === '[') return flow(text, start);
  if (first === '"' || first === "'") return quoted(text, start);
  // A plain scalar ends at a flow indicator or at `: `; `[`, `{` or `#` inside it are left to yaml.
  const match = /^[^,[\]{}#]+/.exec(text.slice(start)) ?? giveUp();
  const raw = match[0];
  const end = start + raw.length;
  if (text[end] === '[' || text[end] === '{' || text[end] === '#' || badPlainStart(raw) || /:(?:[ ,\]}]|$)/.test(text.slice(start, end + 1))) giveUp();
  return [plainValue(raw.trimEnd()), end];
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
  // Tabs, other control characters and lone carriage returns have rules of their own. Blanks other
  // than the space, which JavaScript's trim() removes and YAML keeps: to YAML a no-break space before
  // a value is part of it, and one before a key is no indentation. One look at the text for both.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x09\x0b-\x1f\x7f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(source)) return undefined;
  const positions = new WeakMap<object, number>();
  try {
    return { value: readDocument(source.split('\n'), positions), lines: positions };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
