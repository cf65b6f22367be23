// Paths as the file system and git have them: bytes. Nearly all are UTF-8 and stay plain strings. A
// name that is not valid UTF-8 is held as a string in which each byte outside a valid sequence
// stands as a lone surrogate, U+DC00 plus the byte (as Python's "surrogateescape" does): it then
// sorts and matches as a string, never collides with another name (valid UTF-8 never decodes to a
// lone surrogate), and converts back to the exact bytes to be opened and hashed.

/** The path of `bytes[start, end)`, with the bytes that are not valid UTF-8 kept as lone surrogates. */
export function pathFromBytes(bytes: Buffer, start = 0, end = bytes.length): string {
  const text = bytes.toString('utf8', start, end);
  // Every invalid sequence decodes to U+FFFD: without one, the bytes were valid.
  if (!text.includes('\uFFFD')) return text;
  let path = '';
  let run = start; // the start of the valid bytes not yet copied
  for (let index = start; index < end; ) {
    const length = sequenceLength(bytes, index, end);
    if (length > 0) {
      index += length;
      continue;
    }
    path += bytes.toString('utf8', run, index) + String.fromCharCode(0xdc00 + bytes[index]!);
    index += 1;
    run = index;
  }
  return path + bytes.toString('utf8', run, end);
}

/** The length of the valid UTF-8 sequence at `index` (RFC 3629: no overlong forms, surrogates or values past U+10FFFF), 0 when there is none. */
function sequenceLength(bytes: Buffer, index: number, end: number): number {
  const first = bytes[index]!;
  if (first < 0x80) return 1;
  const continuation = (at: number, low = 0x80, high = 0xbf) => at < end && bytes[at]! >= low && bytes[at]! <= high;
  if (first >= 0xc2 && first <= 0xdf) return continuation(index + 1) ? 2 : 0;
  if (first >= 0xe0 && first <= 0xef) {
    const [low, high] = first === 0xe0 ? [0xa0, 0xbf] : first === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return continuation(index + 1, low, high) && continuation(index + 2) ? 3 : 0;
  }
  if (first >= 0xf0 && first <= 0xf4) {
    const [low, high] = first === 0xf0 ? [0x90, 0xbf] : first === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return continuation(index + 1, low, high) && continuation(index + 2) && continuation(index + 3) ? 4 : 0;
  }
  return 0;
}

/**
 * True when `path` holds no escaped byte: it is then its own UTF-8 (String.prototype.isWellFormed,
 * ES2024, in every Node this runs on, is false exactly when a lone surrogate is in it).
 */
export function hasNoEscapes(path: string): boolean {
  return (path as string & { isWellFormed(): boolean }).isWellFormed();
}

/** The bytes of a path made by pathFromBytes. */
export function pathBytes(path: string): Buffer {
  if (hasNoEscapes(path)) return Buffer.from(path);
  const parts: Buffer[] = [];
  let run = 0;
  for (let index = 0; index < path.length; index += 1) {
    const code = path.charCodeAt(index);
    // A low surrogate after a high one is half of a character beyond U+FFFF, not an escaped byte.
    const escaped = code >= 0xdc80 && code <= 0xdcff && !(index > 0 && path.charCodeAt(index - 1) >= 0xd800 && path.charCodeAt(index - 1) <= 0xdbff);
    if (!escaped) continue;
    parts.push(Buffer.from(path.slice(run, index)), Buffer.of(code - 0xdc00));
    run = index + 1;
  }
  parts.push(Buffer.from(path.slice(run)));
  return Buffer.concat(parts);
}

/** `path` (relative, `/`-separated) under `base`, as the file system takes it: a string, or bytes when it holds escaped bytes. */
export function under(base: string | Buffer, path: string): string | Buffer {
  if (typeof base === 'string' && hasNoEscapes(path)) return `${base}/${path}`;
  return Buffer.concat([typeof base === 'string' ? Buffer.from(base) : base, Buffer.of(0x2f), pathBytes(path)]);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SHORT_ESCAPES: Record<number, string> = { 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0c: 'f', 0x0d: 'r' };

/**
 * A path JSON-quoted byte for byte: `"`, `\` and control characters escaped as JSON.stringify
 * escapes them, every other byte as it is. For a valid UTF-8 path that is exactly the UTF-8 of
 * JSON.stringify(path); a path that is not keeps its own bytes.
 */
export function quotedPathBytes(path: string): Buffer {
  const bytes = pathBytes(path);
  const quoted: number[] = [QUOTE];
  for (const byte of bytes) {
    if (byte === QUOTE || byte === BACKSLASH) quoted.push(BACKSLASH, byte);
    else if (byte < 0x20) {
      const escape = SHORT_ESCAPES[byte] ?? `u${byte.toString(16).padStart(4, '0')}`;
      quoted.push(BACKSLASH, ...Buffer.from(escape, 'latin1'));
    } else quoted.push(byte);
  }
  quoted.push(QUOTE);
  return Buffer.from(quoted);
}
