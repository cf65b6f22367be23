// The incident issue canary-shift and rollback open when they roll back: one per subject (the
// Worker or service) and environment, written through the same engine as create-tracking-issue
// (hidden marker and label, no search, the race and lost-answer rules, GitHub's length limit). The
// first rollback opens it with its account; each later one while it is open comments with its own,
// so a re-run never opens a second issue. A closed incident is history: the next rollback opens a
// new one that links it.
import * as core from '@actions/core';
import { oneLine } from '@deploy-actions/report';
import { githubClient } from '../client.js';
import { runRepository, runUrl } from '../deployments.js';
import { track } from './tracker.js';

/** The label beside `incident` that every issue of the engine carries, as create-tracking-issue's default. */
export const INCIDENT_MARKER_LABEL = 'deploy-tracking';

export interface IncidentReport {
  token: string;
  environment: string;
  /** What was rolled back: a Worker, several (`api, auth`), or `service` for the command provider. */
  subject: string;
  /** What happened in this run, in markdown, given the run's link: the issue's body, or a comment on it. */
  account: (runLink: string) => string;
  /** The step's name in the annotation of a failure, such as `canary-shift`. */
  step: string;
  /** Masks what the step holds secret (the token is masked by the runner already). */
  mask?: (text: string) => string;
}

/** The key two runs share for one incident; create-tracking-issue finds the same issue with `dedupe-key` set to it. */
export function incidentKey(subject: string, environment: string): string {
  return `incident: ${subject} in ${environment}`;
}

/**
 * Opens or comments on the incident issue and sets the `incident-number` and `incident-url`
 * outputs. Never throws: a failure is an error annotation and the `incident-error` output, so the
 * step's own result, reported before, stays what it was.
 */
export async function writeIncidentIssue(report: IncidentReport, hooks: { log(line: string): void; warn(line: string): void }, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const mask = report.mask ?? ((text: string) => text);
  try {
    const repository = runRepository(env);
    const link = runUrl(env);
    if (!repository || !link) throw new Error('GITHUB_REPOSITORY, GITHUB_SERVER_URL or GITHUB_RUN_ID is not set: there is no repository or run to name');
    const { subject, environment } = report;
    const account = mask(report.account(link));
    const written = await track(
      githubClient({ token: report.token }),
      {
        owner: repository.owner,
        repo: repository.repo,
        runUrl: link,
        title: `Incident: ${subject} rolled back in ${environment}`,
        body: account,
        commentBody: () => account,
        sections: { checklist: [], links: [], results: [] },
        labels: [INCIDENT_MARKER_LABEL, 'incident'],
        assignees: [],
        marker: { key: incidentKey(subject, environment), series: `incidents: ${environment}` },
        markerLabel: INCIDENT_MARKER_LABEL,
        mode: 'comment',
        reopen: false,
        close: false,
        closePrevious: false
      },
      { log: hooks.log, warn: hooks.warn, now: new Date() }
    );
    const issue = written.issue!;
    hooks.log(`Incident #${issue.number} ${written.action === 'created' ? 'opened' : written.action}: ${issue.url}`);
    core.setOutput('incident-number', String(issue.number));
    core.setOutput('incident-url', issue.url);
  } catch (error) {
    const message = mask(`the incident issue was not written: ${oneLine((error as Error).message)}`);
    core.setOutput('incident-error', message);
    core.error(message, { title: `${report.step}: incident issue` });
  }
}
