// The job summary: what was done to which issue, with a link, and the full body when it was cut.
import { cell, codeSpan, plural } from '@deploy-actions/report';
import type { TrackOutcome } from '@deploy-actions/github';

const DONE: Record<TrackOutcome['action'], string> = {
  created: 'created',
  updated: 'updated',
  commented: 'commented on',
  reopened: 'reopened and updated',
  closed: 'closed',
  unchanged: 'already up to date'
};

export function renderSummary(outcome: TrackOutcome, key: string): string {
  const lines: string[] = [];
  if (outcome.issue) lines.push(`## 📋 Tracking issue [#${outcome.issue.number} ${cell(outcome.issue.title)}](${outcome.issue.url}) ${DONE[outcome.action]}`);
  else lines.push(`## 📋 No open tracking issue to close${outcome.alreadyClosed ? ` ([#${outcome.alreadyClosed.number} ${cell(outcome.alreadyClosed.title)}](${outcome.alreadyClosed.url}), the last with this key, is closed)` : ''}`);
  lines.push('', `Key: ${codeSpan(key)}`);
  if (outcome.closedPrevious.length > 0) lines.push('', `Closed ${plural(outcome.closedPrevious.length, 'previous issue')} of the series: ${outcome.closedPrevious.map((number) => `#${number}`).join(', ')}.`);
  if (outcome.cut) {
    lines.push('', `The body was over GitHub's limit of 65,536 characters: ${outcome.cut.omitted.toLocaleString('en-US')} characters are left out of the issue. The full text:`);
    lines.push('', '<details><summary>Full body</summary>', '', outcome.cut.content, '', '</details>');
  }
  return lines.join('\n');
}

/** What the log says was done, on one line. */
export function outcomeLine(outcome: TrackOutcome): string {
  if (!outcome.issue) return `No open issue with this key; nothing was closed${outcome.alreadyClosed ? ` (#${outcome.alreadyClosed.number} is closed already)` : ''}.`;
  return `Issue #${outcome.issue.number} ${DONE[outcome.action]}: ${outcome.issue.url}`;
}
