// The hidden marker every issue the engine writes carries on its first line. A run finds its issue by
// listing the marker label and reading this marker, never through the search API (whose index
// lags, so a re-run right after a create would not see it and would open a second issue).

export interface Marker {
  /** Two runs with the same key write the same issue. */
  key: string;
  /** The family close-previous works on, such as one workflow's deploys to one environment. */
  series: string;
}

const PREFIX = '<!-- deploy-actions:create-tracking-issue ';
// The JSON never holds `<` or `>` (escaped below), so `-->` or `--!>` inside a key cannot end the
// comment early, and `[^<>]*` finds its end.
const MARKER = /<!-- deploy-actions:create-tracking-issue (\{[^<>]*\}) -->/;

export function formatMarker(marker: Marker): string {
  const json = JSON.stringify({ key: marker.key, series: marker.series }).replace(/[<>]/g, (c) => (c === '<' ? '\\u003c' : '\\u003e'));
  return `${PREFIX}${json} -->`;
}

// A comment carries its own marker, last, with an id drawn for that one post: when GitHub's answer to
// the post is lost, the run lists the comments and knows whether its comment is among them.
const COMMENT_MARKER = /<!-- deploy-actions:comment ([0-9a-f-]{36}) -->/;

export function formatCommentMarker(id: string): string {
  return `<!-- deploy-actions:comment ${id} -->`;
}

/** The id in a comment's marker, or undefined when it has none. */
export function parseCommentMarker(body: string | null | undefined): string | undefined {
  return (body ? COMMENT_MARKER.exec(body) : null)?.[1];
}

/** The marker of an issue body, or undefined when it has none (or one not of our making). */
export function parseMarker(body: string | null | undefined): Marker | undefined {
  const found = body ? MARKER.exec(body) : null;
  if (!found) return undefined;
  try {
    const value = JSON.parse(found[1]!) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { key, series } = value as Record<string, unknown>;
    return typeof key === 'string' && typeof series === 'string' ? { key, series } : undefined;
  } catch {
    return undefined;
  }
}
