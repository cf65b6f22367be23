// rollback's incident issue, loaded only with incident-issue: one issue per Worker (or list of
// Workers) and environment, through the shared issue engine, holding the reason and the job
// summary's own account of the run (the same renderer: from → to per Worker, verification). A
// failure to write it is reported by the caller; it never changes the rollback's outcome.
import { githubClient, reportIncident, runRepository, runUrl } from '@deploy-actions/github';
import { cell, table, type Masker } from '@deploy-actions/report';
import { renderSummary, type RunReport } from './summary.js';

export interface IncidentSettings {
  token: string;
  environment: string;
}

export async function writeIncident(
  settings: IncidentSettings,
  workers: readonly string[],
  reason: string,
  report: RunReport,
  masker: Masker,
  hooks: { log(line: string): void; warn(line: string): void },
  env: NodeJS.ProcessEnv = process.env
): Promise<{ number: number; url: string }> {
  const repository = runRepository(env);
  const link = runUrl(env);
  if (!repository || !link) throw new Error('GITHUB_REPOSITORY, GITHUB_SERVER_URL or GITHUB_RUN_ID is not set: there is no repository or run to name');
  const subject = workers.join(', ');
  const facts = table(['What', ''], [['Reason', cell(reason)], ['Run', `[${cell(link)}](${link})`]]);
  const account = masker.mask(`**${subject}** in **${settings.environment}**: a rollback ran.\n\n${facts}\n\n${renderSummary(report, masker)}`);
  const written = await reportIncident(githubClient({ token: settings.token }), { repository, environment: settings.environment, subject, account, runUrl: link }, hooks);
  const issue = written.issue!;
  hooks.log(`Incident #${issue.number} ${written.action === 'created' ? 'opened' : written.action}: ${issue.url}`);
  return { number: issue.number, url: issue.url };
}
