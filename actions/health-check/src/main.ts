// Reads the inputs, checks the URLs, and reports: outputs, job summary, annotations. Never throws.
import * as core from '@actions/core';
import { InputError, formatDuration } from '@deploy-actions/inputs';
import { Masker, plural, writeJobSummary } from '@deploy-actions/report';
import { checkHealth } from '@deploy-actions/checks';
import { readInputs } from './inputs.js';
import { failureLine, renderSummary, resultsJson } from './summary.js';

export async function run(): Promise<void> {
  try {
    const { config, secrets, duplicateUrls } = readInputs();
    const masker = new Masker();
    for (const secret of secrets) masker.add(secret);
    for (const secret of masker.all()) core.setSecret(secret);

    for (const url of duplicateUrls) core.info(masker.mask(`${url} is listed more than once in url; it is checked once`));
    core.info(`Checking ${plural(config.urls.length, 'URL')} (deadline ${formatDuration(config.deadlineMs)})`);
    const report = await checkHealth(config, { log: (line) => core.info(masker.mask(line)), warn: (line) => core.warning(masker.mask(line)) });

    core.setOutput('healthy', String(report.healthy));
    core.setOutput('attempts', String(report.attempts));
    core.setOutput('duration-ms', String(report.durationMs));
    core.setOutput('results', resultsJson(report, masker));
    await writeJobSummary(renderSummary(report, masker));

    const unhealthy = report.results.filter((r) => !r.healthy);
    for (const result of unhealthy) {
      core.error(masker.mask(`${result.url}: ${failureLine(result)}`), { title: 'health-check: not healthy' });
    }
    if (unhealthy.length > 0) {
      core.setFailed(`${unhealthy.length} of ${plural(report.results.length, 'URL')} not healthy`);
    } else {
      const which = report.results.length === 1 ? 'The URL is' : `All ${report.results.length} URLs are`;
      core.info(`${which} healthy after ${plural(report.attempts, 'attempt')} in ${formatDuration(report.durationMs)}`);
    }
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `health-check failed: ${(error as Error).message}`);
  }
}
