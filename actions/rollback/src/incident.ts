// rollback's incident issue, loaded only with incident-issue: the reason and the run, then the job
// summary's own account of the run (the same renderer: from → to per Worker, verification), written
// by the shared engine, which never throws.
import { writeIncidentIssue } from '@deploy-actions/github';
import { cell, table, type Masker } from '@deploy-actions/report';
import { renderSummary, type RunReport } from './summary.js';

export async function writeIncident(
  settings: { token: string; environment: string },
  workers: readonly string[],
  reason: string,
  report: RunReport,
  masker: Masker,
  hooks: { log(line: string): void; warn(line: string): void }
): Promise<void> {
  const subject = workers.join(', ');
  const account = (link: string) => {
    const facts = table(['What', ''], [['Reason', cell(reason)], ['Run', `[${cell(link)}](${link})`]]);
    return `**${subject}** in **${settings.environment}**: a rollback ran.\n\n${facts}\n\n${renderSummary(report, masker)}`;
  };
  await writeIncidentIssue({ ...settings, subject, account, step: 'rollback', mask: (text) => masker.mask(text) }, hooks);
}
