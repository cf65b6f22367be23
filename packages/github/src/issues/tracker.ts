// The calls to GitHub: list the marker label's issues (state all, every page), carry out the plan,
// check for a concurrent run's duplicate after creating, close the series' previous issues.
// Writes happen only when something differs, so an identical re-run lists and writes nothing.
import { randomUUID } from 'node:crypto';
import type { GitHubClient } from '../client.js';
import { plural } from '@deploy-actions/report';
import { formatCommentMarker, formatMarker, parseCommentMarker, parseMarker, type Marker } from './marker.js';
import { characterCount, fitBody, MAX_BODY_CHARACTERS } from './limit.js';
import { changes, elderThan, planTrack, previousInSeries, withKey, type Desired, type TrackMode, type TrackedIssue } from './plan.js';
import { renderContent, type Sections } from './sections.js';

export type TrackAction = 'created' | 'updated' | 'commented' | 'reopened' | 'closed' | 'unchanged';

export interface TrackRequest {
  owner: string;
  repo: string;
  runUrl: string;
  title: string;
  body: string;
  /**
   * The comment's own text, given the issue found (its number, when it was opened): in comment mode
   * it replaces `body` in the comment (the sections still follow); in update mode it is posted, on
   * its own, on an issue that was there already. Undefined: comment mode comments with `body`.
   */
  commentBody?: (issue: TrackedIssue) => string;
  sections: Sections;
  labels: string[];
  assignees: string[];
  milestone?: number;
  marker: Marker;
  markerLabel: string;
  mode: TrackMode;
  reopen: boolean;
  close: boolean;
  closePrevious: boolean;
}

export interface TrackOutcome {
  action: TrackAction;
  /** The issue written, commented on or closed; none when `close` found no open issue. */
  issue?: { number: number; url: string; title: string };
  /** With `close` and no open issue: the last closed issue with the key, for the log and summary only. */
  alreadyClosed?: { number: number; url: string; title: string };
  closedPrevious: number[];
  /** The content in full when it had to be cut to fit GitHub's limit. */
  cut?: { omitted: number; content: string };
}

export interface TrackHooks {
  log: (line: string) => void;
  warn: (line: string) => void;
  now: Date;
}

export async function track(github: GitHubClient, request: TrackRequest, hooks: TrackHooks): Promise<TrackOutcome> {
  const { owner, repo, marker } = request;
  const listed = await listTracked(github, request, 'all');
  hooks.log(`Found ${plural(listed.length, 'issue')} labelled ${request.markerLabel}, ${withKey(listed, marker.key).length} with this key.`);
  const { step, survivor, duplicates } = planTrack(listed, { key: marker.key, mode: request.mode, reopen: request.reopen, close: request.close });
  let cut: TrackOutcome['cut'];

  const content = (previous?: TrackedIssue, follows?: TrackedIssue, body = request.body) =>
    renderContent(body, request.sections, { now: hooks.now, runUrl: request.runUrl, ...(follows ? { follows } : {}), ...(previous ? { previousBody: previous.body } : {}) });
  /** `head`, as much of `text` as fits, then `tail`: within GitHub's limit all together. */
  const fit = (head: string, text: string, tail = '') => {
    const fitted = fitBody(head, text, (omitted) => `\n\n---\n_${omitted.toLocaleString('en-US')} characters are left out here: GitHub takes at most 65,536. The full text is in the job summary of the [workflow run](${request.runUrl})._`, MAX_BODY_CHARACTERS - characterCount(tail));
    if (fitted.omitted > 0) {
      cut = { omitted: fitted.omitted, content: text };
      hooks.warn(`The body is over GitHub's limit of 65,536 characters; ${fitted.omitted} characters are left out of the issue (the job summary has them all).`);
    }
    return fitted.text + tail;
  };
  /** What the issue should hold; `current` is the issue as it is (a re-run of this run keeps its monitoring window). */
  const desired = (current?: TrackedIssue, follows?: TrackedIssue): Desired => ({
    title: request.title,
    body: fit(`${formatMarker(marker)}\n`, content(current, follows)),
    labels: request.labels,
    assignees: request.assignees,
    ...(request.milestone === undefined ? {} : { milestone: request.milestone })
  });

  const update = (issue: TrackedIssue, fields: Record<string, unknown>) => github.rest.issues.update({ owner, repo, issue_number: issue.number, ...fields });
  /**
   * Comments on the issue. As with creating an issue, the client never resends this POST (a 5xx may
   * come after GitHub took the comment): when the answer is lost, the comments since just before are
   * listed, ours is known by its marker, and it is posted again only when GitHub did not take it.
   */
  const comment = async (issue: TrackedIssue, text: string) => {
    const body = fit('', text, `\n\n${formatCommentMarker(randomUUID())}`);
    const id = parseCommentMarker(body)!;
    // GitHub's clock, not ours, stamps the comment: look back a few minutes to allow for the difference.
    const since = new Date(Date.now() - 5 * 60_000).toISOString();
    const post = () => github.rest.issues.createComment({ owner, repo, issue_number: issue.number, body });
    try {
      await post();
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== undefined && status < 500) throw error;
      hooks.warn(`Commenting on #${issue.number} got ${status ?? (error as Error).message} for an answer; looking whether GitHub took the comment before posting it again.`);
      const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number: issue.number, since, per_page: 100 });
      if (comments.some((listed) => parseCommentMarker(listed.body) === id)) {
        hooks.log(`The comment on #${issue.number} was taken; not posting it again.`);
        return;
      }
      await post();
    }
  };
  const closeWithComment = async (issue: TrackedIssue, text: string, reason: 'duplicate' | 'completed') => {
    await comment(issue, text);
    await update(issue, { state: 'closed', state_reason: reason });
  };
  const result = (action: TrackAction, issue: TrackedIssue | undefined, closedPrevious: number[] = []): TrackOutcome => ({
    action,
    ...(issue ? { issue: { number: issue.number, url: issue.url, title: issue.title } } : {}),
    closedPrevious,
    ...(cut ? { cut } : {})
  });

  for (const duplicate of survivor ? duplicates : []) {
    hooks.log(`#${duplicate.number} has the same key as the elder #${survivor!.number}; closing it as a duplicate.`);
    await closeWithComment(duplicate, `Closed as a duplicate of #${survivor!.number}, an issue for the same key opened before it.`, 'duplicate');
  }

  let action: TrackAction;
  let issue: TrackedIssue;
  /** False when this run yielded to a concurrent one: that run closes the previous issues. */
  let ownsSeries = true;
  switch (step.kind) {
    case 'nothing':
      hooks.log(`No open issue has this key${step.closed ? ` (#${step.closed.number} is closed)` : ''}; nothing to close.`);
      // No output names an issue: nothing was closed, and a later step asking `number != ''` must
      // not take a long-closed issue for one this run closed.
      return { ...result('unchanged', undefined), ...(step.closed ? { alreadyClosed: { number: step.closed.number, url: step.closed.url, title: step.closed.title } } : {}) };
    case 'close': {
      // In comment mode the body is the closing comment and the issue keeps its own (an incident's
      // account of what failed); otherwise the issue is updated, then closed, in one write.
      if (request.mode === 'comment') {
        await closeWithComment(step.issue, content(step.issue, undefined, request.commentBody?.(step.issue)), 'completed');
        return result('closed', { ...step.issue, state: 'closed' });
      }
      if (request.commentBody) await comment(step.issue, request.commentBody(step.issue));
      const patch = changes(step.issue, desired(step.issue));
      await update(step.issue, { ...patch, state: 'closed', state_reason: 'completed' });
      return result('closed', { ...step.issue, ...patch, state: 'closed' });
    }
    case 'comment': {
      await comment(step.issue, content(step.issue, undefined, request.commentBody?.(step.issue)));
      [action, issue] = ['commented', step.issue];
      break;
    }
    case 'update':
    case 'reopen': {
      const patch = changes(step.issue, desired(step.issue));
      const reopening = step.kind === 'reopen';
      if (!reopening && Object.keys(patch).length === 0) [action, issue] = ['unchanged', step.issue];
      else {
        issue = written((await update(step.issue, reopening ? { ...patch, state: 'open', state_reason: 'reopened' } : patch)).data);
        action = reopening ? 'reopened' : 'updated';
      }
      // The issue was there already: comment-body says what this run adds to it.
      if (request.commentBody) {
        await comment(issue, request.commentBody(issue));
        if (action === 'unchanged') action = 'commented';
      }
      break;
    }
    case 'create': {
      const wanted = desired(undefined, step.follows);
      const created = await createOnce(github, request, wanted, listed, hooks);
      // A run that listed at the same moment may have created one too: list again, and if an elder
      // issue with this key is open, ours is the duplicate; close it and write to the elder.
      const elder = request.mode === 'create-always' ? undefined : elderThan(created.number, withKey(await listTracked(github, request, 'open'), marker.key));
      if (elder) {
        hooks.log(`#${elder.number} with the same key was opened by a run at the same time; closing #${created.number} as its duplicate.`);
        await closeWithComment(created, `Closed as a duplicate of #${elder.number}, opened for the same key by a run at the same time.`, 'duplicate');
        ownsSeries = false;
        const patch = changes(elder, desired(elder));
        if (Object.keys(patch).length === 0) [action, issue] = ['unchanged', elder];
        else [action, issue] = ['updated', written((await update(elder, patch)).data)];
      } else [action, issue] = ['created', created];
      break;
    }
  }

  const closedPrevious: number[] = [];
  if (request.closePrevious && ownsSeries) {
    for (const previous of previousInSeries(listed, marker, issue.number)) {
      await closeWithComment(previous, `Superseded by #${issue.number}.`, 'completed');
      closedPrevious.push(previous.number);
    }
  }
  return result(action, issue, closedPrevious);
}

/**
 * Creates the issue. The client never resends this POST (a 5xx may come after GitHub created it),
 * so when the answer is lost the issues are listed again: an open one with our key, title and body
 * that was not there before is ours; only when there is none is it created a second time.
 */
async function createOnce(github: GitHubClient, request: TrackRequest, wanted: Desired, before: readonly TrackedIssue[], hooks: TrackHooks): Promise<TrackedIssue> {
  const create = async () => written((await github.rest.issues.create({ owner: request.owner, repo: request.repo, ...wanted })).data);
  try {
    return await create();
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status !== undefined && status < 500) throw error;
    hooks.warn(`Creating the issue got ${status ?? (error as Error).message} for an answer; looking whether GitHub created it before trying again.`);
    const known = new Set(before.map((issue) => issue.number));
    const ours = withKey(await listTracked(github, request, 'open'), request.marker.key).find((issue) => !known.has(issue.number) && issue.title === wanted.title && issue.body === wanted.body);
    if (ours) {
      hooks.log(`#${ours.number} was created; not creating it again.`);
      return ours;
    }
    return await create();
  }
}

/** The issues with the marker label that carry our marker, every page. Pull requests are left out. */
async function listTracked(github: GitHubClient, request: TrackRequest, state: 'all' | 'open'): Promise<TrackedIssue[]> {
  const issues = await github.paginate(github.rest.issues.listForRepo, { owner: request.owner, repo: request.repo, labels: request.markerLabel, state, per_page: 100 });
  return issues.filter((issue) => !issue.pull_request).flatMap((issue) => {
    const tracked = toTracked(issue);
    return tracked ? [tracked] : [];
  });
}

interface IssueData {
  number: number;
  html_url: string;
  state: string;
  title: string;
  body?: string | null;
  labels: Array<string | { name?: string }>;
  assignees?: Array<{ login: string }> | null;
  milestone: { number: number } | null;
  created_at: string;
}

/** An issue this run wrote: it carries the marker. */
function written(data: IssueData): TrackedIssue {
  const issue = toTracked(data);
  if (!issue) throw new Error(`GitHub answered #${data.number} without the marker this step wrote`);
  return issue;
}

function toTracked(data: IssueData): TrackedIssue | undefined {
  const marker = parseMarker(data.body);
  if (!marker) return undefined;
  return {
    marker,
    number: data.number,
    url: data.html_url,
    state: data.state === 'closed' ? 'closed' : 'open',
    title: data.title,
    body: data.body ?? '',
    labels: data.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter(Boolean),
    assignees: (data.assignees ?? []).map((assignee) => assignee.login),
    milestone: data.milestone?.number ?? null,
    createdAt: data.created_at
  };
}
