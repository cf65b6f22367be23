// canary-shift's incident issue, loaded only with incident-issue once a shift has rolled back: what
// was rolled back, then the job summary's own account (the same renderer, so the issue and the
// summary never differ), written by the shared engine, which never throws.
import { writeIncidentIssue } from '@deploy-actions/github';
import { cell, codeSpan, table, type Masker } from '@deploy-actions/report';
import type { ShiftOutcome } from './shift.js';
import { renderSummary, type SummaryContext } from './summary.js';

export async function writeIncident(
  settings: { token: string; environment: string },
  subject: string,
  outcome: ShiftOutcome,
  context: SummaryContext,
  masker: Masker,
  hooks: { log(line: string): void; warn(line: string): void }
): Promise<void> {
  const failed = outcome.failedStep === undefined ? undefined : outcome.steps[outcome.failedStep];
  const account = (link: string) => {
    const facts = table(
      ['What', ''],
      [
        ['Rolled back', `from ${codeSpan(context.canary, { inTable: true })} (the canary) to ${codeSpan(context.stable, { inTable: true })} (stable)`],
        ['Result', codeSpan(outcome.result, { inTable: true })],
        ...(failed ? [['Stopped at', `the ${failed.percentage} % step (${failed.verdict})`]] : []),
        ['Why', cell(outcome.reason)],
        ['Run', `[${cell(link)}](${link})`]
      ]
    );
    return `**${subject}** in **${settings.environment}** was rolled back by canary-shift.\n\n${facts}\n\n${renderSummary(outcome, context, masker)}`;
  };
  await writeIncidentIssue({ ...settings, subject, account, step: 'canary-shift', mask: (text) => masker.mask(text) }, hooks);
}
