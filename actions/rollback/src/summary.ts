// What the user reads: the outputs, the job summary and the one-line reasons of a failed run.
import type { HealthReport, UrlResult } from '@deploy-actions/checks';
import { formatDuration } from '@deploy-actions/inputs';
import { ProviderError } from '@deploy-actions/providers';
import { cell, codeBlock, codeSpan, oneLine, plural, table, type Masker } from '@deploy-actions/report';
import { describeError, type PlanFailure, type WorkerOutcome } from './rollback.js';
import { describeSplit } from './target.js';

export type Verified = 'true' | 'false' | 'skipped';

export interface RunReport {
  outcomes: WorkerOutcome[];
  /** Workers whose target could not be found: nothing was changed. */
  planFailures: PlanFailure[];
  /** pre-rollback-command's failure: nothing was changed. */
  preCommandFailure?: string;
  verification?: HealthReport;
  verified: Verified;
  /** The job was cancelled (SIGINT/SIGTERM): Workers after the one being rolled back were left as they were. */
  cancelled?: boolean;
  durationMs: number;
  /** The runs of the provider's tool (wrangler, the user's commands) and their total time, where the time went. */
  tool?: { name: string; calls: number; durationMs: number };
}

/** The outputs: plain version ids for one Worker, JSON objects keyed by Worker for several. */
export function outputs(report: RunReport, several: boolean): Record<string, string> {
  const done = report.outcomes.filter((o) => o.status === 'rolled-back' || o.status === 'already-serving');
  const values: Record<string, string> = { verified: report.verified, 'duration-ms': String(report.durationMs) };
  const field = (name: string, pick: (o: WorkerOutcome) => string) => {
    if (several) values[name] = JSON.stringify(Object.fromEntries(done.map((o) => [o.worker, pick(o)])));
    else if (done[0]) values[name] = pick(done[0]);
  };
  field('rolled-back-from', (o) => o.from);
  field('rolled-back-to', (o) => o.to);
  field('deployment-id', (o) => o.deploymentId ?? '');
  return values;
}

/** Why a URL did not pass verification: its last failure, or how the check ended. */
export function verificationFailure(result: UrlResult): string {
  return result.lastFailure?.reason ?? `no passing answer (${result.end})`;
}

/** Why one Worker failed, in one line (masked). */
export function failureLine(worker: string, error: Error, masker: Masker): string {
  return masker.mask(oneLine(`${worker}: ${describeError(error)}`));
}

const RESULT: Record<WorkerOutcome['status'], string> = {
  'rolled-back': '✅ rolled back',
  'already-serving': '✅ already serving',
  failed: '❌ failed',
  'not-attempted': '⏹️ not attempted'
};

function headline(report: RunReport): string {
  if (report.planFailures.length > 0) return '## ❌ Rollback stopped before anything changed';
  if (report.preCommandFailure) return '## ❌ Rollback stopped: pre-rollback-command failed, nothing changed';
  const failed = report.outcomes.find((o) => o.status === 'failed');
  if (failed) return `## ❌ Rollback failed at ${cell(failed.worker)}`;
  if (report.cancelled) {
    const left = report.outcomes.filter((o) => o.status === 'not-attempted').length;
    return `## ⏹️ Rollback cancelled${left > 0 ? `: ${plural(left, 'Worker')} not attempted` : ' before verification ended'}`;
  }
  const names = report.outcomes.map((o) => cell(o.worker)).join(', ');
  if (report.verified === 'false') return `## ❌ Rolled back ${names}, but verification failed`;
  return `## ✅ Rolled back ${names}${report.verified === 'true' ? ', verified' : ''}`;
}

/** `; wrangler ran 3 times, 2.1s in all` (runs at once overlap, so their sum may pass the step's time). */
export function toolTime(report: RunReport): string {
  const tool = report.tool;
  return tool && tool.calls > 0 ? `; ${tool.name} ran ${plural(tool.calls, 'time')}, ${formatDuration(tool.durationMs)} in all` : '';
}

/** The tool a provider error came from, as its message names it (`wrangler deployments status …`, `rollback-command …`). */
function toolOf(error: ProviderError): string {
  return /^(wrangler|[a-z]+-command)\b/.exec(error.message)?.[1] ?? 'the tool';
}

/** What the tool behind an error wrote to stderr, with a title naming it; undefined when it wrote nothing. */
export function toolStderr(error: Error, masker: Masker): { title: string; text: string } | undefined {
  return error instanceof ProviderError && error.stderr ? { title: `What ${toolOf(error)} wrote to stderr`, text: masker.mask(error.stderr) } : undefined;
}

export function renderSummary(report: RunReport, masker: Masker): string {
  const text = (value: string) => cell(masker.mask(value));
  const code = (value: string) => codeSpan(masker.mask(value), { inTable: true });
  const parts = [headline(report)];

  if (report.planFailures.length > 0) {
    parts.push(table(['Worker', 'Why'], report.planFailures.map((f) => [text(f.worker), text(describeError(f.error))])));
  }
  if (report.preCommandFailure) parts.push(text(report.preCommandFailure));

  if (report.outcomes.length > 0) {
    const verifiedCell = (o: WorkerOutcome) => (o.status === 'rolled-back' || o.status === 'already-serving' ? { true: '✅', false: '❌', skipped: '–' }[report.verified] : '–');
    const rows = report.outcomes.map((o) => [
      text(o.worker),
      RESULT[o.status],
      o.before.length > 0 ? code(describeSplit(o.before)) : 'unknown',
      code(o.to),
      o.deploymentId ? code(o.deploymentId) : '–',
      verifiedCell(o),
      o.status === 'rolled-back' || o.status === 'failed' ? formatDuration(o.durationMs) : '–'
    ]);
    parts.push(table(['Worker', 'Result', 'From', 'To', 'Deployment', 'Verified', 'Time'], rows));
  }

  // The plan failures' reasons are in their table already; a failed rollback's is said here.
  const errors = [...report.planFailures.map((f) => ({ ...f, said: true })), ...report.outcomes.flatMap((o) => (o.error ? [{ worker: o.worker, error: o.error, said: false }] : []))];
  for (const { worker, error, said } of errors) {
    const tool = toolStderr(error, masker);
    const stderr = tool ? `${tool.title}:\n\n${codeBlock(tool.text)}` : '';
    if (!said) parts.push(`### ${text(worker)}\n\n${text(describeError(error))}`);
    if (stderr) parts.push(said ? `### ${text(worker)}\n\n${stderr}` : stderr);
  }

  if (report.verification) {
    const rows = report.verification.results.map((r) => [
      text(r.url),
      r.healthy ? '✅ healthy' : '❌ unhealthy',
      String(r.attempts),
      r.status === null ? '–' : String(r.status),
      r.healthy ? '' : text(verificationFailure(r))
    ]);
    parts.push(`### Verification\n\n${plural(report.verification.attempts, 'attempt')} in ${formatDuration(report.verification.durationMs)}.`);
    parts.push(table(['URL', 'Verdict', 'Attempts', 'Status', 'Last failure'], rows));
  }
  parts.push(`Took ${formatDuration(report.durationMs)}${toolTime(report)}.`);
  return `${parts.join('\n\n')}\n`;
}
