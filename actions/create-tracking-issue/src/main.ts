// Reads the inputs, writes the issue, and reports: outputs, job summary, log. Never throws. The
// summary's renderer loads once the issue is written: nothing before the first call to GitHub needs it.
import * as core from '@actions/core';
import { githubClient, track } from '@deploy-actions/github';
import { InputError } from '@deploy-actions/inputs';
import { writeJobSummary } from '@deploy-actions/report';
import { readInputs } from './inputs.js';

export async function run(now: () => Date = () => new Date()): Promise<void> {
  try {
    const { token, run: runInfo, ...request } = readInputs();
    const github = githubClient({ token });
    const outcome = await track(github, { ...request, runUrl: runInfo.runUrl }, { log: (line) => core.info(line), warn: (line) => core.warning(line), now: now() });

    core.setOutput('number', outcome.issue ? String(outcome.issue.number) : '');
    core.setOutput('url', outcome.issue?.url ?? '');
    core.setOutput('action', outcome.action);
    core.setOutput('closed-previous', JSON.stringify(outcome.closedPrevious));
    const { outcomeLine, renderSummary } = await import('./summary.js');
    await writeJobSummary(renderSummary(outcome, request.marker.key));
    core.info(outcomeLine(outcome));
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `create-tracking-issue failed: ${(error as Error).message}`);
  }
}
