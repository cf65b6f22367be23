// `{{ name }}` placeholders in the title and the body, filled from the run and the `vars` input.
// An unknown name is an input error rather than text left as is: a typo would otherwise reach the
// issue, and a key made from the title would silently stop matching.
import { InputError } from '@deploy-actions/inputs';

/** What a run knows about itself, from the runner's GITHUB_* variables. */
export interface RunInfo {
  sha: string;
  ref: string;
  actor: string;
  /** The run's page: <server>/<owner>/<repo>/actions/runs/<id>. */
  runUrl: string;
  workflow: string;
  /** owner/repo. */
  repository: string;
}

/** The names every run provides, in the order an error lists them. */
export const RUN_VARIABLES = ['sha', 'short-sha', 'ref', 'actor', 'run-url', 'environment'] as const;

const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function runVariables(run: RunInfo, environment: string): Map<string, string> {
  return new Map([
    ['sha', run.sha],
    ['short-sha', run.sha.slice(0, 7)],
    ['ref', run.ref],
    ['actor', run.actor],
    ['run-url', run.runUrl],
    ['environment', environment]
  ]);
}

/** The names comment-body has beside the run's: the issue found, known once it is listed. */
export const ISSUE_VARIABLES = ['issue-number', 'issue-url', 'issue-opened-at'] as const;

export function issueVariables(issue: { number: number; url: string; createdAt: string }): Map<string, string> {
  const opened = new Date(issue.createdAt);
  return new Map([
    ['issue-number', String(issue.number)],
    ['issue-url', issue.url],
    // As GitHub shows it to a reader in another time zone: minutes and UTC said.
    ['issue-opened-at', Number.isNaN(opened.getTime()) ? issue.createdAt : `${opened.toISOString().slice(0, 10)} ${opened.toISOString().slice(11, 16)} UTC`]
  ]);
}

/** `name=value` lines; the value keeps inner spaces and `=`. A run's own name cannot be redefined. */
export function parseVars(input: string, raw: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of raw.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const equals = line.indexOf('=');
    const name = (equals < 0 ? line : line.slice(0, equals)).trim();
    if (equals < 0 || !VARIABLE_NAME.test(name)) throw new InputError(input, `${JSON.stringify(line.trim())} is not a name=value line`, 'name=value lines, a name being letters, digits, _, . or -');
    if ((RUN_VARIABLES as readonly string[]).includes(name) || (ISSUE_VARIABLES as readonly string[]).includes(name)) throw new InputError(input, `${name} is a name the run already gives`, `names other than ${[...RUN_VARIABLES, ...ISSUE_VARIABLES].join(', ')}`);
    if (vars.has(name)) throw new InputError(input, `${name} is given twice`, 'each name once');
    vars.set(name, line.slice(equals + 1).trim());
  }
  return vars;
}

/** The text with every `{{ name }}` replaced; an unknown name fails, naming the input it came from. */
export function fillPlaceholders(input: string, text: string, variables: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = variables.get(name);
    if (value === undefined) {
      throw new InputError(input, `${placeholder} names no known variable`, `{{ name }} with one of ${[...variables.keys()].join(', ')}`);
    }
    return value;
  });
}
