// GitHub refuses an issue or comment body over 65,536 characters ("body is too long (maximum is
// 65536 characters)"), counting characters as code points, not UTF-16 code units: measured in
// dead-claudia/github-limits pull request 13 (a body of 65,536 astral emoji passes, one more code
// point fails), and what Ruby's String#length counts. A body within 65,536 code points is also within
// 262,144 UTF-8 bytes, the other limit measured there. A longer body is cut, never refused: the
// marker stays first, and a note says what was left out, both inside the limit.

export const MAX_BODY_CHARACTERS = 65_536;

/** Characters as GitHub counts them: code points. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

export interface FittedBody {
  text: string;
  /** Characters of the content left out; 0 when it fit. */
  omitted: number;
}

/**
 * `head` (the marker), then as much of `content` as fits, then, when something was cut, `note`
 * (given how many characters were left out); never cutting a code point in two.
 */
export function fitBody(head: string, content: string, note: (omitted: number) => string, limit = MAX_BODY_CHARACTERS): FittedBody {
  const whole = head + content;
  if (whole.length <= limit || characterCount(whole) <= limit) return { text: whole, omitted: 0 };
  const characters = Array.from(content);
  // The note's own length depends on the count it shows; the count's digits bound it from above.
  const noteRoom = characterCount(note(characters.length));
  const keep = Math.max(0, limit - characterCount(head) - noteRoom);
  const omitted = characters.length - keep;
  return { text: head + characters.slice(0, keep).join('') + note(omitted), omitted };
}
