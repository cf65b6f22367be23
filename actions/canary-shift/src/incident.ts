// canary-shift's incident issue, loaded only with incident-issue once a shift has rolled back: one
// issue per Worker and environment, through the shared issue engine, holding what was rolled back
// and the job summary's own account (the same renderer, so the issue and the summary never differ).
// A failure to write it is reported by the caller; it never changes the shift's result.
import { githubClient, reportIncident, runRepository, runUrl } from '@deploy-actions/github';
import { cell, codeSpan, table, type Masker } from '@deploy-actions/report';
import type { ShiftOutcome } from './shift.js';
import { renderSummary, type SummaryContext } from './summary.js';

export interface IncidentSettings {
  token: string;
  environment: string;
}

export async function writeIncident(
  settings: IncidentSettings,
  subject: string,
  outcome: ShiftOutcome,
  context: SummaryContext,
  masker: Masker,
  hooks: { log(line: string): void; warn(line: string): void },
  env: NodeJS.ProcessEnv = process.env
): Promise<{ number: number; url: string }> {
  const repository = runRepository(env);
  const link = runUrl(env);
  if (!repository || !link) throw new Error('GITHUB_REPOSITORY, GITHUB_SERVER_URL or GITHUB_RUN_ID is not set: there is no repository or run to name');
  const failed = outcome.failedStep === undefined ? undefined : outcome.steps[outcome.failedStep];
  const facts = table(
    ['What', ''],
    [
      ['Rolled back', `from ${codeSpan(masker.mask(context.canary), { inTable: true })} (the canary) to ${codeSpan(masker.mask(context.stable), { inTable: true })} (stable)`],
      ['Result', codeSpan(outcome.result, { inTable: true })],
      ...(failed ? [['Stopped at', `the ${failed.percentage} % step (${failed.verdict})`]] : []),
      ['Why', cell(masker.mask(outcome.reason))],
      ['Run', `[${cell(link)}](${link})`]
    ]
  );
  const account = masker.mask(`**${subject}** in **${settings.environment}** was rolled back by canary-shift.\n\n${facts}\n\n${renderSummary(outcome, context, masker)}`);
  const written = await reportIncident(githubClient({ token: settings.token }), { repository, environment: settings.environment, subject, account, runUrl: link }, hooks);
  const issue = written.issue!;
  hooks.log(`Incident #${issue.number} ${written.action === 'created' ? 'opened' : written.action}: ${issue.url}`);
  return { number: issue.number, url: issue.url };
}
