// The reports: JUnit XML for CI dashboards (flaky attempts recorded as Surefire does), JSON results
// with per-request timings, and the job summary. Everything passes through the masker.
import { formatDuration } from '@deploy-actions/inputs';
import { cell, codeBlock, codeSpan, latencyStats, plural, table, type LatencyStats, type Masker } from '@deploy-actions/report';
import { counts, failureReason, type AttemptRecord, type SuiteResult, type TestResult } from './suite.js';

/** Escapes text for XML character data and attribute values; drops characters XML 1.0 forbids. */
function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function attemptDetails(test: TestResult, attempt: AttemptRecord): string {
  const failure = attempt.failure;
  if (!failure) return '';
  const lines = [`${test.method} ${test.url}`, `attempt ${attempt.attempt}: ${failure.reason}`];
  for (const a of failure.assertions) lines.push(`  ${a.assertion}: at ${a.where}, expected ${a.expected}, actual ${a.actual}`);
  if (attempt.status !== null) lines.push(`status ${attempt.status}`);
  if (failure.body) lines.push(`body (first 1 KiB):\n${failure.body}`);
  return lines.join('\n');
}

/**
 * `target.smoke/login.yml`: the target, then the spec as the workspace sees it; a spec outside the
 * workspace by its file name alone, since `../../` would read as empty classname segments.
 */
function className(label: string, file: string): string {
  const outside = file === '..' || file.startsWith('../') || file.startsWith('/');
  return `${label}.${outside ? file.slice(file.lastIndexOf('/') + 1) : file}`;
}

export function junitXml(suites: readonly SuiteResult[], masker: Masker): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = suites.flatMap((s) => s.tests);
  const total = counts(all);
  // The targets run at the same time: the run took as long as the longest of them.
  const totalTime = Math.max(0, ...suites.map((s) => s.durationMs));
  out.push(`<testsuites name="smoke-test" tests="${total.total}" failures="${total.failed}" errors="0" skipped="${total.skipped}" time="${seconds(totalTime)}">`);
  for (const suite of suites) {
    const c = counts(suite.tests);
    out.push(
      `  <testsuite name="${xml(`smoke-test ${suite.label}`)}" tests="${c.total}" failures="${c.failed}" errors="0" skipped="${c.skipped}" time="${seconds(suite.durationMs)}" hostname="${xml(suite.baseUrl)}">`
    );
    for (const test of suite.tests) {
      const open = `    <testcase name="${xml(test.name)}" classname="${xml(className(suite.label, test.file))}" file="${xml(test.file)}" line="${test.line}" time="${seconds(test.durationMs)}"`;
      if (test.outcome === 'skipped') {
        out.push(`${open}>`, `      <skipped message="${xml(test.skipped ?? '')}"/>`, '    </testcase>');
      } else if (test.outcome === 'failed') {
        const last = test.attempts.at(-1)!;
        out.push(
          `${open}>`,
          `      <failure message="${xml(failureReason(test))}" type="${xml(last.failure?.kind ?? 'failure')}">${xml(attemptDetails(test, last))}</failure>`,
          '    </testcase>'
        );
      } else if (test.outcome === 'flaky') {
        out.push(`${open}>`);
        // Surefire's form for a test that failed and then passed on a rerun: the case passes, and
        // each failed attempt is kept beside it.
        for (const attempt of test.attempts.filter((a) => !a.passed)) {
          out.push(
            `      <flakyFailure message="${xml(attempt.failure?.reason ?? '')}" type="${xml(attempt.failure?.kind ?? 'failure')}">`,
            `        <stackTrace>${xml(attemptDetails(test, attempt))}</stackTrace>`,
            '      </flakyFailure>'
          );
        }
        out.push('    </testcase>');
      } else out.push(`${open}/>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return masker.mask(out.join('\n'));
}

function latencyOf(test: TestResult): number | null {
  const last = test.attempts.at(-1);
  return last?.timings ? Math.round(last.timings.totalMs * 10) / 10 : null;
}

/** p95 and friends over the final attempt of every test that got a response. */
export function suiteLatency(suite: SuiteResult): LatencyStats | null {
  return latencyStats(suite.tests.map(latencyOf).filter((l): l is number => l !== null));
}

export function resultsJson(suites: readonly SuiteResult[], masker: Masker, comparison?: Comparison): string {
  const data = {
    summary: counts(suites[0]?.tests ?? []),
    targets: suites.map((suite) => ({
      label: suite.label,
      'base-url': suite.baseUrl,
      'duration-ms': suite.durationMs,
      counts: counts(suite.tests),
      'latency-ms': suiteLatency(suite),
      tests: suite.tests.map((test) => ({
        name: test.name,
        line: test.line,
        outcome: test.outcome,
        ...(test.skipped ? { skipped: test.skipped } : {}),
        request: `${test.method} ${test.url}`,
        'duration-ms': test.durationMs,
        captured: test.captured,
        attempts: test.attempts.map((a) => ({
          attempt: a.attempt,
          passed: a.passed,
          status: a.status,
          'timings-ms': a.timings && { dns: a.timings.dnsMs, connect: a.timings.connectMs, tls: a.timings.tlsMs, 'first-byte': a.timings.firstByteMs, total: a.timings.totalMs },
          ...(a.failure ? { failure: { kind: a.failure.kind, reason: a.failure.reason, assertions: a.failure.assertions } } : {})
        }))
      }))
    })),
    ...(comparison ? { comparison } : {})
  };
  return masker.mask(JSON.stringify(data, null, 2));
}

const VERDICT: Record<TestResult['outcome'], string> = { passed: '✅ passed', failed: '❌ failed', flaky: '⚠️ flaky', skipped: '⏭️ skipped' };

export interface Comparison {
  'p95-ms': { first: number | null; second: number | null };
  /** Relative change of the first target's p95 against the second's (0.25 = 25% slower). */
  change: number | null;
  limit: number | null;
  regressed: boolean;
  reason?: string;
}

export function renderSummary(suites: readonly SuiteResult[], specFiles: readonly string[], masker: Masker, comparison?: Comparison, notes: readonly string[] = []): string {
  // Masked before it is escaped: an escaped secret would no longer be found.
  const text = (value: string) => cell(masker.mask(value));
  const code = (value: string) => codeSpan(masker.mask(value));
  const [first, second] = suites;
  if (!first) return '';
  const c = counts(first.tests);
  const ok = c.failed === 0 && !comparison?.regressed;
  const tally = `${c.passed + c.flaky} of ${plural(c.total, 'test')} passed${c.flaky ? `, ${c.flaky} flaky` : ''}${c.failed ? `, ${c.failed} failed` : ''}${c.skipped ? `, ${c.skipped} skipped` : ''}`;
  const heading =
    c.failed === 0 && comparison?.regressed
      ? `## ❌ Smoke test failed: p95 latency regressed against ${second?.label ?? 'the second target'} (${tally})`
      : `## ${ok ? '✅' : '❌'} Smoke test ${ok ? 'passed' : 'failed'}: ${tally}`;
  const parts = [
    heading,
    `${specFiles.map((file) => code(file)).join(', ')} against ${first.baseUrl || (specFiles.length > 1 ? "each spec file's base-url" : 'absolute URLs')} in ${formatDuration(first.durationMs)}.`,
    ...notes
  ];
  if (second) {
    const rows = first.tests.map((test, i) => {
      const other = second.tests[i]!;
      const a = latencyOf(test);
      const b = latencyOf(other);
      const delta = a !== null && b !== null && b > 0 ? `${a >= b ? '+' : ''}${Math.round(((a - b) / b) * 100)}%` : '–';
      return [text(test.name), VERDICT[test.outcome], a === null ? '–' : formatDuration(a), VERDICT[other.outcome], b === null ? '–' : formatDuration(b), delta];
    });
    parts.push(`### ${text(first.label)} vs ${text(second.label)}`, table(['Test', first.label, 'Latency', second.label, 'Latency', 'Δ'], rows));
    if (comparison) {
      const p = comparison['p95-ms'];
      parts.push(
        `p95 latency: ${p.first === null ? '–' : formatDuration(p.first)} vs ${p.second === null ? '–' : formatDuration(p.second)}` +
          (comparison.change === null ? '' : ` (${comparison.change >= 0 ? '+' : ''}${Math.round(comparison.change * 100)}%${comparison.limit === null ? '' : `, limit +${Math.round(comparison.limit * 100)}%`})`) +
          (comparison.regressed ? ` — ❌ ${comparison.reason}` : '')
      );
    }
  } else {
    const rows = first.tests.map((test) => {
      const last = test.attempts.at(-1);
      const latency = latencyOf(test);
      return [text(test.name), VERDICT[test.outcome], last?.status === null || last === undefined ? '–' : String(last.status), latency === null ? '–' : formatDuration(latency), String(test.attempts.length)];
    });
    parts.push(table(['Test', 'Verdict', 'Status', 'Latency', 'Attempts'], rows));
  }
  for (const suite of suites) {
    for (const test of suite.tests.filter((t) => t.outcome === 'failed' || t.outcome === 'flaky')) {
      const failed = test.attempts.filter((a) => a.failure);
      const last = failed.at(-1)!;
      const label = suites.length > 1 ? ` (${text(suite.label)})` : '';
      parts.push(`### ${test.outcome === 'failed' ? '❌' : '⚠️'} ${text(test.name)}${label} — ${code(`${test.file}:${test.line}`)}`);
      parts.push(`**Request:** ${code(`${test.method} ${test.url}`)}`);
      parts.push(
        test.outcome === 'flaky'
          ? `**Flaky:** passed on attempt ${test.attempts.length}; attempt ${last.attempt} failed: ${text(last.failure!.reason)}`
          : `**Why:** ${text(failureReason(test))}`
      );
      if (last.failure!.assertions.length > 0) {
        parts.push(table(['Assertion', 'Where', 'Expected', 'Actual'], last.failure!.assertions.map((a) => [text(a.assertion), text(a.where), text(a.expected), text(a.actual)])));
      }
      if (last.failure!.body) {
        parts.push(`<details><summary>Response body, status ${last.status ?? '–'} (first 1 KiB)</summary>\n\n${codeBlock(last.failure!.body)}\n\n</details>`);
      }
    }
  }
  const skipped = first.tests.filter((t) => t.outcome === 'skipped');
  if (skipped.length > 0) parts.push(`Skipped: ${skipped.map((t) => `${text(t.name)} (${text(t.skipped ?? '')})`).join('; ')}`);
  return `${masker.mask(parts.join('\n\n'))}\n`;
}
