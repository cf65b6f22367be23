// create-tracking-issue's pure parts: placeholders, the sections, the marker, the cut at GitHub's
// limit, and the plan every racing run agrees on.
import { describe, expect, it } from '@jest/globals';
import { parseLinks, parseResults } from '../../actions/create-tracking-issue/src/inputs.js';
import { changes, characterCount, elderThan, fitBody, formatCommentMarker, formatMarker, MAX_BODY_CHARACTERS, monitoringLine, parseCommentMarker, parseMarker, planTrack as plan, previousInSeries, renderContent, resultsTable, type TrackedIssue } from '@deploy-actions/github';
import { fillPlaceholders, issueVariables, parseVars, runVariables } from '../../actions/create-tracking-issue/src/template.js';

const run = { sha: '3f786850e387550fdab836ed7e6dc881de23001b', ref: 'refs/heads/main', actor: 'octocat', runUrl: 'https://github.com/o/r/actions/runs/1', workflow: 'Deploy', repository: 'o/r' };

describe('placeholders', () => {
  const variables = new Map([...runVariables(run, 'staging'), ...parseVars('vars', 'version = v1.4.2\nurl=https://x.example/?a=b')]);
  it('fill the run’s names and the vars, spaces inside the braces or not', () => {
    expect(fillPlaceholders('title', 'Deploy {{short-sha}} ({{ version }}) to {{ environment }} by {{ actor }} {{ url }}', variables)).toBe('Deploy 3f78685 (v1.4.2) to staging by octocat https://x.example/?a=b');
  });
  it('fail on an unknown name, naming the input and the names known', () => {
    expect(() => fillPlaceholders('body-file', 'x {{ verison }}', variables)).toThrow('input body-file: {{ verison }} names no known variable; expected {{ name }} with one of sha, short-sha, ref, actor, run-url, environment, version, url');
  });
  it('refuse vars lines without =, names given twice and the run’s own names', () => {
    expect(() => parseVars('vars', 'version')).toThrow('input vars: "version" is not a name=value line');
    expect(() => parseVars('vars', 'a=1\na=2')).toThrow('input vars: a is given twice');
    expect(() => parseVars('vars', 'sha=x')).toThrow('input vars: sha is a name the run already gives');
  });
});

describe('sections', () => {
  const now = new Date('2026-12-01T13:30:00Z');
  it('show the monitoring window as a UTC clock time, with the date when it ends on another day', () => {
    expect(monitoringLine(3_600_000, now)).toBe('Watch until **14:30 UTC** (1h from 13:30 UTC).');
    expect(monitoringLine(12 * 3_600_000, now)).toBe('Watch until **2026-12-02 01:30 UTC** (12h from 13:30 UTC).');
  });
  it('render the checklist as task items, the rollback command verbatim in a fence longer than its backticks, and the run link first', () => {
    const content = renderContent('Hello', { checklist: ['one', 'two'], rollbackCommand: 'echo ```` | x', links: [{ title: 'Dash|board', url: 'https://d.example/' }], results: [] }, { now, runUrl: run.runUrl });
    expect(content).toBe(
      ['Hello', '### Checklist\n\n- [ ] one\n- [ ] two', '### Rollback\n\n`````\necho ```` | x\n`````', `### Links\n\n- [Workflow run](${run.runUrl})\n- [Dash\\|board](https://d.example/)`].join('\n\n')
    );
  });
  it('keep the monitoring window a body of the same run opened, of the same length, and only that', () => {
    const sections = { checklist: [], links: [], results: [], monitorForMs: 3_600_000 };
    const previous = renderContent('', sections, { now, runUrl: run.runUrl });
    const later = new Date('2026-12-01T13:45:00Z');
    expect(renderContent('', sections, { now: later, runUrl: run.runUrl, previousBody: previous })).toBe(previous);
    expect(renderContent('', sections, { now: later, runUrl: `${run.runUrl}0`, previousBody: previous })).toContain('Watch until **14:45 UTC**');
    expect(renderContent('', { ...sections, monitorForMs: 1_800_000 }, { now: later, runUrl: run.runUrl, previousBody: previous })).toContain('Watch until **14:15 UTC**');
  });
  it('always carry the run link, even with nothing else given', () => {
    expect(renderContent('', { checklist: [], links: [], results: [] }, { now, runUrl: run.runUrl })).toBe(`### Links\n\n- [Workflow run](${run.runUrl})`);
  });
  it('render health-check’s list and smoke-test’s object of counts and tests as tables', () => {
    expect(resultsTable([{ url: 'https://a', healthy: false, failure: 'status 503 | down', 'latency-ms': { p50: 3 } }, { url: 'https://b', healthy: true, failure: null }])).toBe(
      ['| url | healthy | failure | latency-ms |', '| --- | --- | --- | --- |', '| https://a | ❌ false | status 503 \\| down | `{"p50":3}` |', '| https://b | ✅ true | – |  |'].join('\n')
    );
    expect(resultsTable({ passed: 1, failed: 0, tests: [{ name: 'home', outcome: 'passed' }] })).toBe(
      ['| Field | Value |', '| --- | --- |', '| passed | 1 |', '| failed | 0 |', '', '| name | outcome |', '| --- | --- |', '| home | passed |'].join('\n')
    );
  });
  it('read results as one JSON document or one a line, and name the line that is not JSON', () => {
    expect(parseResults('results', '{\n  "a": 1\n}')).toEqual([{ a: 1 }]);
    expect(parseResults('results', '[1]\n\n{"b":2}')).toEqual([[1], { b: 2 }]);
    expect(() => parseResults('results', '[1]\n{"b":')).toThrow(/^input results: line 2 is not JSON/);
  });
  it('read links as Title: URL lines, http(s) only', () => {
    expect(parseLinks('links', 'Logs: https://l.example/a(b)\nRun 2: retry: https://x.example')).toEqual([
      { title: 'Logs', url: 'https://l.example/a%28b%29' },
      { title: 'Run 2: retry', url: 'https://x.example/' }
    ]);
    expect(() => parseLinks('links', 'Run: javascript:alert(1)')).toThrow('input links: "Run: javascript:alert(1)" is not a Title: URL line');
    expect(() => parseLinks('links', 'https://x.example')).toThrow('is not a Title: URL line');
  });
});

describe('the marker', () => {
  it('round-trips keys and series with quotes, newlines and comment ends in them', () => {
    for (const marker of [{ key: 'Deploy abc to staging', series: 'Deploy / staging' }, { key: 'a --> b --!> "c"\n<!-- d', series: '' }]) {
      const text = formatMarker(marker);
      expect(text.indexOf('-->')).toBe(text.length - 3);
      expect(parseMarker(`${text}\nbody`)).toEqual(marker);
    }
  });
  it('is absent from bodies without it or with a broken one', () => {
    expect(parseMarker(null)).toBeUndefined();
    expect(parseMarker('<!-- deploy-actions:create-tracking-issue {"key":1} -->')).toBeUndefined();
    expect(parseMarker('<!-- deploy-actions:create-tracking-issue {oops} -->')).toBeUndefined();
  });
});

describe('the comment marker', () => {
  it('carries the id of one post, and is never taken for an issue marker or the other way round', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const body = `Still failing.\n\n${formatCommentMarker(id)}`;
    expect(parseCommentMarker(body)).toBe(id);
    expect(parseMarker(body)).toBeUndefined();
    expect(parseCommentMarker(formatMarker({ key: 'k', series: 's' }))).toBeUndefined();
    expect(parseCommentMarker('<!-- deploy-actions:comment not-an-id -->')).toBeUndefined();
    expect(parseCommentMarker(null)).toBeUndefined();
  });
});

describe('the found issue’s names for comment-body', () => {
  it('give its number, address and opening time to the minute in UTC', () => {
    expect(Object.fromEntries(issueVariables({ number: 12, url: 'https://github.com/o/r/issues/12', createdAt: '2026-12-01T14:05:59Z' }))).toEqual({
      'issue-number': '12',
      'issue-url': 'https://github.com/o/r/issues/12',
      'issue-opened-at': '2026-12-01 14:05 UTC'
    });
  });
  it('cannot be redefined in vars', () => {
    expect(() => parseVars('vars', 'issue-number=3')).toThrow('input vars: issue-number is a name the run already gives');
  });
});

describe('the cut at GitHub’s limit', () => {
  const note = (omitted: number) => `\n_${omitted} left out_`;
  it('counts characters as code points, as GitHub does', () => {
    expect(characterCount('🚀a')).toBe(2);
    expect('🚀a'.length).toBe(3);
  });
  it('leaves a body within the limit as it is, even when its UTF-16 length is over', () => {
    const content = '🚀'.repeat(MAX_BODY_CHARACTERS - 10);
    expect(fitBody('<!-- m -->', content, note)).toEqual({ text: `<!-- m -->${content}`, omitted: 0 });
  });
  it('keeps the marker first and the note last, within the limit, never splitting a character', () => {
    const content = `${'🚀'.repeat(50_000)}${'x'.repeat(50_000)}`;
    const { text, omitted } = fitBody('<!-- m -->\n', content, note);
    // The note's count is bounded by its digits for the whole content: at most one character short.
    expect(characterCount(text)).toBeLessThanOrEqual(MAX_BODY_CHARACTERS);
    expect(characterCount(text)).toBeGreaterThanOrEqual(MAX_BODY_CHARACTERS - 1);
    expect(text.startsWith('<!-- m -->\n🚀')).toBe(true);
    expect(text.endsWith(`x\n_${omitted} left out_`)).toBe(true);
    expect(omitted).toBe(100_000 - (MAX_BODY_CHARACTERS - 11 - characterCount(note(100_000))));
    const small = fitBody('M', '🚀🚀🚀🚀', (n) => `|${n}`, 4);
    expect(small).toEqual({ text: 'M🚀|3', omitted: 3 });
  });
});

const issue = (number: number, key: string, state: 'open' | 'closed' = 'open', series = 'Deploy / staging'): TrackedIssue => ({
  number,
  url: `https://github.com/o/r/issues/${number}`,
  createdAt: '2026-12-01T14:05:09Z',
  state,
  title: key,
  body: formatMarker({ key, series }),
  labels: ['deploy-tracking'],
  assignees: [],
  milestone: null,
  marker: { key, series }
});

describe('the plan', () => {
  const wanted = { key: 'k', mode: 'update' as const, reopen: false, close: false };
  it('updates the open issue with the key, matched exactly', () => {
    expect(plan([issue(1, 'k '), issue(2, 'k'), issue(3, 'K')], wanted).step).toEqual({ kind: 'update', issue: issue(2, 'k') });
  });
  it('keeps the elder of open duplicates and closes the others', () => {
    const result = plan([issue(5, 'k'), issue(3, 'k'), issue(4, 'k', 'closed')], wanted);
    expect(result.survivor?.number).toBe(3);
    expect(result.duplicates.map((duplicate) => duplicate.number)).toEqual([5]);
  });
  it('creates one linking the latest closed issue, or reopens it when told', () => {
    const closed = [issue(1, 'k', 'closed'), issue(4, 'k', 'closed')];
    expect(plan(closed, wanted).step).toEqual({ kind: 'create', follows: issue(4, 'k', 'closed') });
    expect(plan(closed, { ...wanted, reopen: true }).step).toEqual({ kind: 'reopen', issue: issue(4, 'k', 'closed') });
    expect(plan([], wanted).step).toEqual({ kind: 'create' });
  });
  it('closes the open one with close, and does nothing when none is open', () => {
    expect(plan([issue(2, 'k')], { ...wanted, close: true }).step).toEqual({ kind: 'close', issue: issue(2, 'k') });
    expect(plan([issue(2, 'k', 'closed')], { ...wanted, close: true }).step).toEqual({ kind: 'nothing', closed: issue(2, 'k', 'closed') });
  });
  it('creates every time in create-always mode, and comments in comment mode', () => {
    expect(plan([issue(2, 'k')], { ...wanted, mode: 'create-always' }).step).toEqual({ kind: 'create' });
    expect(plan([issue(2, 'k')], { ...wanted, mode: 'comment' }).step).toEqual({ kind: 'comment', issue: issue(2, 'k') });
  });
  it('after a create, makes the younger of two racing runs the one to yield, and both agree', () => {
    const both = [issue(7, 'k'), issue(8, 'k')];
    expect(elderThan(8, both)?.number).toBe(7);
    expect(elderThan(7, both)).toBeUndefined();
    // An elder closed meanwhile is no reason to yield.
    expect(elderThan(8, [issue(7, 'k', 'closed'), issue(8, 'k')])).toBeUndefined();
  });
  it('finds the open issues of the series with another key for close-previous', () => {
    const issues = [issue(1, 'a'), issue(2, 'b'), issue(3, 'a', 'closed'), issue(4, 'c', 'open', 'Deploy / production'), issue(5, 'k')];
    expect(previousInSeries(issues, { key: 'k', series: 'Deploy / staging' }, 5).map((found) => found.number)).toEqual([1, 2]);
  });
  it('lists only the fields that differ, labels and logins without regard to case', () => {
    const current = { ...issue(1, 'k'), labels: ['deploy-tracking', 'Deploy'], assignees: ['OctoCat'] };
    expect(changes(current, { title: 'k', body: current.body, labels: ['deploy-tracking', 'deploy'], assignees: ['octocat'] })).toEqual({});
    expect(changes(current, { title: 'k2', body: current.body, labels: ['deploy-tracking'], assignees: ['octocat'], milestone: 2 })).toEqual({ title: 'k2', labels: ['deploy-tracking'], milestone: 2 });
  });
});
