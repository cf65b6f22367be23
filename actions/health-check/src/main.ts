// Reads the inputs, checks the URLs, and reports: outputs, job summary, annotations. Never throws.
import * as core from '@actions/core';
import { InputError } from '../../../packages/inputs/src/index.js';
import { Masker } from '../../../packages/report/src/index.js';
import { checkHealth } from './check.js';
import { readInputs } from './inputs.js';
import { failureLine, renderSummary, resultsJson } from './summary.js';

export async function run(): Promise<void> {
  try {
    const { config, secrets, insecure } = readInputs();
    const masker = new Masker();
    for (const secret of secrets) masker.add(secret);
    for (const secret of masker.all()) core.setSecret(secret);
    if (insecure) core.warning('insecure: TLS certificates are not verified, so any server can answer for these URLs. Prefer ca-cert.');

    core.info(`Checking ${config.urls.length} URL${config.urls.length === 1 ? '' : 's'} (deadline ${core.getInput('deadline') || '5m'})`);
    const report = await checkHealth(config, { log: (line) => core.info(masker.mask(line)) });

    core.setOutput('healthy', String(report.healthy));
    core.setOutput('attempts', String(report.attempts));
    core.setOutput('duration-ms', String(report.durationMs));
    core.setOutput('results', resultsJson(report, masker));
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(report, masker)).write();

    const unhealthy = report.results.filter((r) => !r.healthy);
    for (const result of unhealthy) {
      core.error(masker.mask(`${result.url}: ${failureLine(result)}`), { title: 'health-check: not healthy' });
    }
    if (unhealthy.length > 0) {
      core.setFailed(`${unhealthy.length} of ${report.results.length} URL${report.results.length === 1 ? '' : 's'} not healthy`);
    } else {
      core.info(`All ${report.results.length} URL${report.results.length === 1 ? '' : 's'} healthy after ${report.attempts} attempts in ${report.durationMs}ms`);
    }
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `health-check failed: ${(error as Error).message}`);
  }
}
