// What a user reads: masking of secrets and the pieces of a job summary.
import * as core from '@actions/core';

/**
 * Appends markdown to the job summary. Outside a runner (no GITHUB_STEP_SUMMARY) there is no summary
 * to write to, and that is no failure of the step.
 */
export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown.endsWith('\n') ? markdown : `${markdown}\n`).write();
}

/**
 * Request headers whose values are credentials. Only these (and those a user names) are masked:
 * masking every value would turn `Accept: text/plain` into *** for the rest of the job.
 */
const CREDENTIAL_HEADER = /auth|cookie|token|secret|key|passw(?:or)?d|session|credential/i;

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

/**
 * Query parameters whose values are credentials: the names of credential headers (`api_key=`,
 * `access_token=`, `password=`), and the signatures of signed URLs (`sig=`, `X-Amz-Signature=`).
 */
function isCredentialParameter(name: string): boolean {
  return isCredentialHeader(name) || /signature|^sig$/i.test(name);
}

/** The values to mask among request headers: credential headers, and headers the user named secret. */
export function secretHeaderValues(headers: ReadonlyArray<readonly [string, string]>, alsoSecret: Iterable<string> = []): string[] {
  const named = new Set([...alsoSecret].map((name) => name.toLowerCase()));
  return headers.filter(([name]) => isCredentialHeader(name) || named.has(name.toLowerCase())).map(([, value]) => value);
}

/**
 * What to mask of a URL's userinfo (`https://user:pass@host`): the password as written and decoded,
 * and the Basic credential an HTTP client builds from the pair (base64 of `user:pass`), which a
 * server may echo back; nothing for a URL without a password.
 */
export function urlCredentials(url: string): string[] {
  const parsed = URL.parse(url);
  if (!parsed?.password) return [];
  const password = safeDecode(parsed.password);
  const basic = Buffer.from(`${safeDecode(parsed.username)}:${password}`).toString('base64');
  return [...new Set([parsed.password, password, basic])];
}

/** The values of a URL's credential query parameters (`?api_key=…`), as written and decoded. */
export function urlQuerySecrets(url: string): string[] {
  const secrets: string[] = [];
  for (const [, name, raw = ''] of (URL.parse(url)?.search ?? '').matchAll(QUERY_PARAMETER)) {
    if (raw === '' || !isCredentialParameter(safeDecode(name!))) continue;
    const decoded = safeDecode(raw.replace(/\+/g, ' '));
    secrets.push(...(decoded === raw ? [raw] : [raw, decoded]));
  }
  return secrets;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A malformed escape: the text as written is what shows.
    return text;
  }
}

/** `scheme://user:password@` in any text: the password part, whatever its length. */
const URL_PASSWORD = /\b([a-z][a-z\d+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#]*@/gi;
/** `?name=value` and `&name=value` in a query string; it ends where a URL does in text (a quote, a space, `<`). */
const QUERY_PARAMETER = /[?&]([^=&#\s"'<>\\`]+)=([^&#\s"'<>\\`]*)/g;

/** A URL as it may be shown: `https://user:***@host/path?api_key=***`. */
export function redactUrl(url: string): string {
  return url
    .replace(URL_PASSWORD, '$1***@')
    .replace(QUERY_PARAMETER, (whole, name: string, value: string) => (value !== '' && isCredentialParameter(safeDecode(name)) ? `${whole[0]}${name}=***` : whole));
}

/**
 * Replaces every registered secret with ***. The runner masks its own log, but not step summaries,
 * outputs or files we write, so everything we emit goes through one of these.
 */
export class Masker {
  private readonly secrets = new Set<string>();
  /** One alternation of every secret, longest first; rebuilt only when a secret is added. */
  private pattern: RegExp | null = null;

  add(value: string | undefined): void {
    const trimmed = value?.trim();
    // One- and two-character "secrets" would shred every line they appear in, and a short number
    // (an id, a count) would turn every status code and latency that contains it into ***,
    // leaving JSON reports invalid.
    if (!trimmed || trimmed.length < 3 || /^-?\d{1,7}(\.\d+)?$/.test(trimmed)) return;
    const before = this.secrets.size;
    // `Bearer abc`: the credential alone can show up elsewhere (a body echoing it back).
    const credential = /^(?:bearer|basic|token|bot)\s+(\S{3,})$/i.exec(trimmed)?.[1];
    for (const secret of credential ? [trimmed, credential] : [trimmed]) {
      this.secrets.add(secret);
      // Encoded forms a server may echo back.
      this.secrets.add(encodeURIComponent(secret));
      this.secrets.add(JSON.stringify(secret).slice(1, -1));
    }
    if (this.secrets.size !== before) this.pattern = null;
  }

  all(): string[] {
    return [...this.secrets];
  }

  /** Registers the credentials of a URL; mask() shows the URL as `https://user:***@host`. */
  addUrl(url: string): void {
    for (const secret of urlCredentials(url)) this.add(secret);
  }

  mask(text: string): string {
    // A password or a credential query value in a URL is hidden even when too short to register or
    // never registered (a redirect's Location, a proxy URL from the environment).
    text = redactUrl(text);
    if (this.secrets.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.secrets]
        .sort((a, b) => b.length - a.length)
        .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g'
    );
    return text.replace(this.pattern, '***');
  }
}

/** Text on one line: a reason goes into log lines and annotations, where a newline breaks it. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** `1 attempt`, `3 attempts`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Escapes text (a user's or a server's) for a GitHub-flavoured markdown table cell or line: pipes,
 * and the characters of emphasis and code spans, so `[***] and [***]` stays as written instead of
 * turning bold. Mask the text first: a secret escaped would no longer be found to mask.
 */
export function cell(text: string): string {
  // A lone CR ends a line in markdown as a LF does.
  return text.replace(/[\\|*_`~]/g, '\\$&').replace(/\r\n|\r|\n/g, '<br>');
}

/** Markdown of our own (a description) for a table cell: only pipes and line breaks escaped. */
export function markdownCell(markdown: string): string {
  return markdown.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/**
 * Text as a markdown code span, on one line; backticks inside cannot close it early. In a table,
 * pipes are escaped too (GitHub splits cells before it reads code spans).
 */
export function codeSpan(text: string, { inTable = false } = {}): string {
  const line = text.replace(/\r?\n/g, ' ').replace(/\|/g, inTable ? '\\|' : '|');
  const fence = fenceFor(line, 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A run of backticks longer than any inside `text`, and at least `shortest` long. */
function fenceFor(text: string, shortest: number): string {
  return '`'.repeat(Math.max(shortest - 1, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
}

/** A fenced block that cannot be closed early by backticks inside the text. */
export function codeBlock(text: string, language = ''): string {
  const fence = fenceFor(text, 3);
  return `${fence}${language}\n${text}\n${fence}`;
}

export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export interface LatencyStats {
  min: number;
  p50: number;
  p95: number;
  max: number;
}

export function latencyStats(samples: readonly number[]): LatencyStats | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number | undefined) => Math.round((n ?? 0) * 10) / 10;
  return { min: round(sorted[0]), p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted[sorted.length - 1]) };
}
