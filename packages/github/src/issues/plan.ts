// What a run does with the issues it listed, decided without a call: which issue is "ours", which
// are duplicates left by a concurrent run, what to write. Every run that sees the same issues
// decides the same: among open issues with one key the elder (the lower number, as GitHub numbers
// them in the order it creates them) survives, so two runs racing converge on one open issue.
import type { Marker } from './marker.js';

export interface TrackedIssue {
  number: number;
  url: string;
  state: 'open' | 'closed';
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  milestone: number | null;
  marker: Marker;
  /** When GitHub opened it (ISO 8601). */
  createdAt: string;
}

export type TrackMode = 'update' | 'comment' | 'create-always';

export interface Wanted {
  key: string;
  mode: TrackMode;
  reopen: boolean;
  close: boolean;
}

export type TrackStep =
  | { kind: 'create'; follows?: TrackedIssue }
  | { kind: 'update'; issue: TrackedIssue }
  | { kind: 'comment'; issue: TrackedIssue }
  | { kind: 'reopen'; issue: TrackedIssue }
  | { kind: 'close'; issue: TrackedIssue }
  /** close with no open issue to close. */
  | { kind: 'nothing'; closed?: TrackedIssue };

export interface TrackPlan {
  step: TrackStep;
  /** The elder open issue with the key, when there is one. */
  survivor?: TrackedIssue;
  /** Open issues with the key beside the survivor: a crashed concurrent run's leftovers, to close. */
  duplicates: TrackedIssue[];
}

export function withKey(issues: readonly TrackedIssue[], key: string): TrackedIssue[] {
  return issues.filter((issue) => issue.marker.key === key).sort((a, b) => a.number - b.number);
}

export function planTrack(issues: readonly TrackedIssue[], wanted: Wanted): TrackPlan {
  const matching = withKey(issues, wanted.key);
  const open = matching.filter((issue) => issue.state === 'open');
  const [survivor, ...duplicates] = open;
  const lastClosed = matching.filter((issue) => issue.state === 'closed').at(-1);
  if (wanted.close) return survivor ? { step: { kind: 'close', issue: survivor }, survivor, duplicates } : { step: { kind: 'nothing', ...(lastClosed ? { closed: lastClosed } : {}) }, duplicates: [] };
  if (wanted.mode === 'create-always') return { step: { kind: 'create' }, duplicates: [] };
  if (survivor) return { step: { kind: wanted.mode, issue: survivor }, survivor, duplicates };
  if (lastClosed) return { step: wanted.reopen ? { kind: 'reopen', issue: lastClosed } : { kind: 'create', follows: lastClosed }, duplicates: [] };
  return { step: { kind: 'create' }, duplicates: [] };
}

/**
 * After creating `created`, the open issues with its key as listed again: the elder one if it is
 * not ours (ours is then the duplicate, closed by this run), else undefined (ours survives; a
 * younger one is its own run's to close).
 */
export function elderThan(created: number, openWithKey: readonly TrackedIssue[]): TrackedIssue | undefined {
  const elder = openWithKey.filter((issue) => issue.state === 'open').sort((a, b) => a.number - b.number)[0];
  return elder && elder.number < created ? elder : undefined;
}

/** Open issues of the series with another key: what close-previous closes. */
export function previousInSeries(issues: readonly TrackedIssue[], marker: Marker, current: number): TrackedIssue[] {
  return issues.filter((issue) => issue.state === 'open' && issue.number !== current && issue.marker.series === marker.series && issue.marker.key !== marker.key).sort((a, b) => a.number - b.number);
}

export interface Desired {
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  /** Left as it is when undefined. */
  milestone?: number;
}

/** The fields of an update that differ from the issue as it is; empty when nothing would change. */
export function changes(issue: TrackedIssue, desired: Desired): Partial<Desired> {
  const patch: Partial<Desired> = {};
  if (issue.title !== desired.title) patch.title = desired.title;
  if (issue.body !== desired.body) patch.body = desired.body;
  // GitHub matches label names and logins without regard to case.
  if (!sameSet(issue.labels, desired.labels)) patch.labels = desired.labels;
  if (!sameSet(issue.assignees, desired.assignees)) patch.assignees = desired.assignees;
  if (desired.milestone !== undefined && issue.milestone !== desired.milestone) patch.milestone = desired.milestone;
  return patch;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map((value) => value.toLowerCase()));
  const right = new Set(b.map((value) => value.toLowerCase()));
  return left.size === right.size && [...left].every((value) => right.has(value));
}
