// What the user reads: the job summary, the results output and the failure annotations.
import { formatDuration } from '@deploy-actions/inputs';
import { cell, codeBlock, plural, table, type Masker } from '@deploy-actions/report';
import { notRetried, type HealthReport, type UrlResult } from '@deploy-actions/checks';

/** The `results` output: one object per URL, in the order given. */
export function resultsJson(report: HealthReport, masker: Masker): string {
  const results = report.results.map((r) => ({
    url: r.url,
    healthy: r.healthy,
    status: r.status,
    'final-url': r.finalUrl,
    attempts: r.attempts,
    'duration-ms': r.durationMs,
    'latency-ms': r.latency,
    'last-timings-ms': r.lastTimings && {
      dns: r.lastTimings.dnsMs,
      connect: r.lastTimings.connectMs,
      tls: r.lastTimings.tlsMs,
      'first-byte': r.lastTimings.firstByteMs,
      total: r.lastTimings.totalMs
    },
    failure: r.healthy ? null : failureLine(r)
  }));
  return masker.mask(JSON.stringify(results));
}

/** Why a URL is not healthy, in one line. */
export function failureLine(result: UrlResult): string {
  const last = result.lastFailure?.reason;
  switch (result.end) {
    case 'deadline':
      return `not healthy by the deadline after ${plural(result.attempts, 'attempt')}${last ? `; last: ${last}` : ''}`;
    case 'max-attempts':
      return `not healthy after ${plural(result.attempts, 'attempt')}${last ? `; last: ${last}` : ''}`;
    case 'cancelled':
      return `stopped after ${plural(result.attempts, 'attempt')} because another URL failed${last ? `; last: ${last}` : ''}`;
    case 'fatal':
      return result.lastFailure ? `${result.lastFailure.reason}; ${notRetried(result.lastFailure.kind)}` : 'failed';
    default:
      return last ?? '';
  }
}

function verdict(result: UrlResult): string {
  if (result.healthy) return '✅ healthy';
  return result.end === 'cancelled' ? '⏹️ stopped' : '❌ unhealthy';
}

function latencyCell(result: UrlResult): string {
  const l = result.latency;
  return l ? `${formatDuration(l.p50)} / ${formatDuration(l.p95)} / ${formatDuration(l.max)}` : '–';
}

export function renderSummary(report: HealthReport, masker: Masker): string {
  // Masked before it is escaped: an escaped secret would no longer be found.
  const text = (value: string) => cell(masker.mask(value));
  const healthyCount = report.results.filter((r) => r.healthy).length;
  const total = report.results.length;
  const heading = report.healthy
    ? `## ✅ Health check passed: ${total === 1 ? 'the URL is' : `all ${total} URLs are`} healthy`
    : `## ❌ Health check failed: ${total - healthyCount} of ${total} URL${total === 1 ? '' : 's'} not healthy`;
  const rows = report.results.map((r) => [
    text(r.url),
    verdict(r),
    String(r.attempts),
    r.status === null ? '–' : String(r.status),
    latencyCell(r),
    formatDuration(r.durationMs)
  ]);
  const parts = [
    heading,
    `${plural(report.attempts, 'attempt')} in ${formatDuration(report.durationMs)}.`,
    table(['URL', 'Verdict', 'Attempts', 'Status', 'Latency p50 / p95 / max', 'Time'], rows)
  ];
  const timed = report.results.filter((r) => r.lastTimings);
  if (timed.length > 0) {
    const time = (value: number | null) => (value === null ? '–' : formatDuration(value));
    const timingRows = timed.map((r) => {
      const t = r.lastTimings!;
      return [text(r.url), time(t.dnsMs), time(t.connectMs), time(t.tlsMs), time(t.firstByteMs), time(t.totalMs)];
    });
    parts.push(
      `<details><summary>Where the time of the last response went (from the start of the request)</summary>\n\n${table(['URL', 'DNS', 'Connect', 'TLS', 'First byte', 'Total'], timingRows)}\n\n</details>`
    );
  }
  for (const result of report.results.filter((r) => !r.healthy && r.lastFailure)) {
    const failure = result.lastFailure!;
    parts.push(`### ❌ ${text(result.url)}`, `**Why:** ${text(failureLine(result))}`);
    if (failure.status !== null) parts.push(`**Last status:** ${[String(failure.status), text(failure.statusText)].filter(Boolean).join(' ')}`);
    if (failure.assertions.length > 0) {
      parts.push(
        table(
          ['Assertion', 'Where', 'Expected', 'Actual'],
          failure.assertions.map((a) => [text(a.assertion), text(a.where), text(a.expected), text(a.actual)])
        )
      );
    }
    if (failure.body !== '') {
      const note = failure.bodyTruncated ? ' (first 1 KiB)' : '';
      parts.push(`<details><summary>Response body${note}</summary>\n\n${codeBlock(failure.body)}\n\n</details>`);
    }
  }
  return `${masker.mask(parts.join('\n\n'))}\n`;
}