// The only place create-tracking-issue reads its inputs and the run's GITHUB_* variables. All is
// parsed, templated and checked here, before any call to GitHub, so a bad value fails in one clear
// line and nothing is half done.
import * as core from '@actions/core';
import { InputError, Inputs, parseBoolean, parseDuration, parseEnum, parseInteger, parseList, readInputFile } from '@deploy-actions/inputs';
import { INPUT_DEFAULTS, type InputName } from './generated/inputs.js';
import { characterCount, type Link, type Sections, type TrackedIssue, type TrackRequest } from '@deploy-actions/github';
import { fillPlaceholders, issueVariables, parseVars, runVariables, type RunInfo } from './template.js';

/** What the engine is asked to do (its body and comment-body filled from the run), and the token. */
export interface TrackingInputs extends Omit<TrackRequest, 'runUrl'> {
  token: string;
  run: RunInfo;
}

const MAX_TITLE_CHARACTERS = 256;
const MODES = ['update', 'comment', 'create-always'] as const;

export function readInputs(get: (name: InputName) => string = (name) => core.getInput(name), env: NodeJS.ProcessEnv = process.env): TrackingInputs {
  const inputs = new Inputs(get, INPUT_DEFAULTS);
  // The default is the runner's `${{ github.token }}`: read the value itself, never that text.
  const token = get('github-token').trim();
  if (token === '') throw new InputError('github-token', 'it is empty', 'a token with issues: write, such as ${{ github.token }}');
  core.setSecret(token);

  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) throw new InputError('GITHUB_REPOSITORY', `${JSON.stringify(env.GITHUB_REPOSITORY ?? '')} is not owner/repo`, 'the runner’s owner/repo (set on every GitHub runner)');
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const run: RunInfo = {
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`,
    workflow: env.GITHUB_WORKFLOW ?? '',
    repository: `${owner}/${repo}`
  };

  const environment = inputs.string('environment');
  const vars = parseVars('vars', inputs.raw('vars'));
  const variables = new Map([...runVariables(run, environment), ...vars]);

  const title = fillPlaceholders('title', inputs.required('title', 'the title of the issue'), variables).trim();
  if (characterCount(title) > MAX_TITLE_CHARACTERS) throw new InputError('title', `it is ${characterCount(title)} characters long once filled in`, `at most ${MAX_TITLE_CHARACTERS} characters, GitHub's limit`);

  const bodyText = inputs.raw('body');
  const bodyFile = inputs.string('body-file');
  if (bodyText.trim() !== '' && bodyFile !== '') throw new InputError('body-file', 'it is given together with body', 'body or body-file, not both');
  const body = bodyFile !== '' ? fillPlaceholders('body-file', readInputFile('body-file', bodyFile, 'a readable markdown file'), variables) : fillPlaceholders('body', bodyText, variables);

  const mode = inputs.with('mode', (name, raw) => parseEnum(name, raw, MODES));
  const commentText = inputs.raw('comment-body');
  if (commentText.trim() !== '' && mode === 'create-always') throw new InputError('comment-body', 'it is given with mode create-always, which never finds an issue to comment on', 'comment-body with mode update or comment');
  const commentBody = commentText.trim() === '' ? undefined : (issue: Pick<TrackedIssue, 'number' | 'url' | 'createdAt'>) => fillPlaceholders('comment-body', commentText, new Map([...variables, ...issueVariables(issue)]));
  // Filled once now with a stand-in issue, so an unknown name fails before any call.
  commentBody?.({ number: 1, url: run.runUrl, createdAt: new Date(0).toISOString() });

  const sections: Sections = {
    checklist: parseList(inputs.raw('checklist'), { commas: false }),
    links: parseLinks('links', inputs.raw('links')),
    results: parseResults('results', inputs.raw('results'))
  };
  const monitorFor = inputs.optional('monitor-for', (name, raw) => parseDuration(name, raw, { min: 60_000, max: 7 * 24 * 3_600_000 }));
  if (monitorFor !== undefined) sections.monitorForMs = monitorFor;
  // Verbatim: only the line ends the runner's YAML leaves around it are trimmed.
  const rollback = inputs.raw('rollback-command').replace(/^\s*\n|\s+$/g, '');
  if (rollback !== '') sections.rollbackCommand = rollback;

  const markerLabel = inputs.required('marker-label', 'the label every tracking issue carries, such as deploy-tracking');
  // The issues are listed by this label, and GitHub's labels filter splits at commas.
  if (markerLabel.includes(',')) throw new InputError('marker-label', `${JSON.stringify(markerLabel)} holds a comma`, 'one label name without commas, such as deploy-tracking');
  const labels = unique([markerLabel, ...parseList(inputs.string('labels'))]);
  const assignees = unique(parseList(inputs.string('assignees')).map((login) => login.replace(/^@/, '')));
  const milestone = inputs.optional('milestone', (name, raw) => parseInteger(name, raw, { min: 1 }));

  const defaultSeries = [run.workflow, environment].filter(Boolean).join(' / ');
  return {
    token,
    owner,
    repo,
    run,
    title,
    body,
    ...(commentBody ? { commentBody } : {}),
    sections,
    labels,
    assignees,
    ...(milestone === undefined ? {} : { milestone }),
    marker: { key: inputs.string('dedupe-key') || title, series: inputs.string('series') || defaultSeries },
    markerLabel,
    mode,
    reopen: inputs.with('reopen', parseBoolean),
    close: inputs.with('close', parseBoolean),
    closePrevious: inputs.with('close-previous', parseBoolean)
  };
}

/** `Title: URL` lines; http(s) URLs only, so a link cannot run script. */
export function parseLinks(input: string, raw: string): Link[] {
  const form = '`Title: URL` lines with http or https URLs';
  return parseList(raw, { commas: false }).map((line) => {
    const match = /^(.+?):\s+(\S+)$/.exec(line);
    const url = match ? URL.parse(match[2]!) : null;
    if (!match || !url || !['http:', 'https:'].includes(url.protocol)) throw new InputError(input, `${JSON.stringify(line)} is not a Title: URL line`, form);
    return { title: match[1]!.trim(), url: url.href.replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29')) };
  });
}

/** One JSON document, or several, one per line (each step's output on its own line). */
export function parseResults(input: string, raw: string): unknown[] {
  if (raw.trim() === '') return [];
  const form = 'JSON, such as the results output of health-check or smoke-test, or several documents one per line';
  try {
    return [JSON.parse(raw)];
  } catch {
    return raw.split(/\r?\n/).flatMap((line, index) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (error) {
        throw new InputError(input, `line ${index + 1} is not JSON (${(error as Error).message})`, form);
      }
    });
  }
}

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => !seen.has(value.toLowerCase()) && seen.add(value.toLowerCase()));
}
