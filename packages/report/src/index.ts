// What a user reads: masking of secrets and the pieces of a job summary.

/**
 * Replaces every registered secret with ***. The runner masks its own log, but not step summaries,
 * outputs or files we write, so everything we emit goes through one of these.
 */
export class Masker {
  private readonly secrets = new Set<string>();

  add(value: string | undefined): void {
    const trimmed = value?.trim();
    // One- and two-character "secrets" would shred every line they appear in.
    if (!trimmed || trimmed.length < 3) return;
    this.secrets.add(trimmed);
    // `Bearer abc`: the credential alone can show up elsewhere (a body echoing it back).
    const credential = /^(?:bearer|basic|token|bot)\s+(\S{3,})$/i.exec(trimmed)?.[1];
    if (credential) this.secrets.add(credential);
    // Encoded forms a server may echo back.
    this.secrets.add(encodeURIComponent(trimmed));
    this.secrets.add(JSON.stringify(trimmed).slice(1, -1));
  }

  all(): string[] {
    return [...this.secrets];
  }

  mask(text: string): string {
    let masked = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) masked = masked.split(secret).join('***');
    return masked;
  }
}

/** `1 attempt`, `3 attempts`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Escapes text for a GitHub-flavoured markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A fenced block that cannot be closed early by backticks inside the text. */
export function codeBlock(text: string, language = ''): string {
  const longestRun = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
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
