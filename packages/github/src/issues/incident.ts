// The incident issue canary-shift and rollback open when they roll back: one per subject (the
// Worker or service) and environment, written through the same engine as create-tracking-issue
// (hidden marker and label, no search, the race and lost-answer rules, GitHub's length limit). The
// first rollback opens it with its account; each later one while it is open comments with its own,
// so a re-run never opens a second issue. A closed incident is history: the next rollback opens a
// new one that links it.
import type { GitHubClient } from '../client.js';
import type { Repository } from '../deployments.js';
import { track, type TrackHooks, type TrackOutcome } from './tracker.js';

/** The label beside `incident` that every issue of the engine carries, as create-tracking-issue's default. */
export const INCIDENT_MARKER_LABEL = 'deploy-tracking';

export interface IncidentReport {
  repository: Repository;
  environment: string;
  /** What was rolled back: a Worker, several (`api, auth`), or `service` for the command provider. */
  subject: string;
  /** What happened in this run, in markdown (already masked): the body, or a comment on it. */
  account: string;
  /** This run's page; linked at the end of the body or comment. */
  runUrl: string;
}

/** The key two runs share for one incident; create-tracking-issue finds the same issue with `dedupe-key` set to it. */
export function incidentKey(subject: string, environment: string): string {
  return `incident: ${subject} in ${environment}`;
}

export async function reportIncident(client: GitHubClient, report: IncidentReport, hooks: Omit<TrackHooks, 'now'> & { now?: Date }): Promise<TrackOutcome> {
  const { subject, environment } = report;
  return track(
    client,
    {
      owner: report.repository.owner,
      repo: report.repository.repo,
      runUrl: report.runUrl,
      title: `Incident: ${subject} rolled back in ${environment}`,
      body: report.account,
      commentBody: () => report.account,
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
    { log: hooks.log, warn: hooks.warn, now: hooks.now ?? new Date() }
  );
}
