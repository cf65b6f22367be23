// `--summary-html <path>` (or DEPLOY_ACTIONS_SUMMARY_HTML): where both commands write the run's job
// summaries as one HTML page, as GitHub would show them. The flag belongs to the CLI, not to an
// action, so it is taken out before the action's inputs are read.

export const SUMMARY_HTML_VARIABLE = 'DEPLOY_ACTIONS_SUMMARY_HTML';

export const SUMMARY_HTML_USAGE = `  --summary-html <path>  also write the job summaries as one HTML page (charts drawn, no network needed);
                         or set ${SUMMARY_HTML_VARIABLE}=<path>`;

export interface SummaryHtmlRequest {
  /** The arguments without the flag. */
  argv: string[];
  /** Where the page goes; undefined for no page. */
  path?: string;
  /** What was wrong with the flag, for a usage error. */
  problem?: string;
}

/** The flag (the last one given wins, as the variable is only the default) out of argv. */
export function takeSummaryHtml(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SummaryHtmlRequest {
  const rest: string[] = [];
  let path = env[SUMMARY_HTML_VARIABLE] || undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const flag = /^--summary-html(?:=(.*))?$/s.exec(arg);
    if (!flag) {
      rest.push(arg);
      continue;
    }
    let value = flag[1];
    if (value === undefined) {
      value = argv[i + 1];
      i += 1;
    }
    if (value === undefined || value === '' || (flag[1] === undefined && value.startsWith('--'))) {
      return { argv: rest, problem: '--summary-html needs the path of the page to write: --summary-html <file.html>' };
    }
    path = value;
  }
  return { argv: rest, ...(path !== undefined ? { path } : {}) };
}

/** What the CLI prints once the page is written. */
export function summaryPageLine(path: string): string {
  return `\nJob summaries as a page: ${path}\n`;
}
