// Reads the inputs and the spec, runs the suite (against a second target too in compare mode), and
// reports: JUnit and JSON files, outputs, job summary, annotations at the spec's lines. Never throws.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { InputError, formatDuration } from '@deploy-actions/inputs';
import { Masker, plural, writeJobSummary } from '@deploy-actions/report';
import { INSECURE_WARNING } from '@deploy-actions/http';
import { readInputs, type SmokeInputs } from './inputs.js';
import { junitXml, renderSummary, resultsJson, suiteLatency, type Comparison } from './reports.js';
import { SpecError } from './spec.js';
import { counts, failureReason, runSuite, type SuiteResult, type SuiteTarget } from './suite.js';

function compare(first: SuiteResult, second: SuiteResult, inputs: SmokeInputs): Comparison {
  const a = suiteLatency(first)?.p95 ?? null;
  const b = suiteLatency(second)?.p95 ?? null;
  const change = a !== null && b !== null && b > 0 ? (a - b) / b : null;
  const limit = inputs.maxLatencyRegression;
  const regressed = limit !== null && change !== null && a !== null && b !== null && change > limit && a - b > inputs.regressionFloorMs;
  return {
    'p95-ms': { first: a, second: b },
    change,
    limit,
    regressed,
    ...(regressed ? { reason: `p95 latency ${a} ms is ${Math.round(change! * 100)}% above the second target's ${b} ms (limit ${Math.round(limit! * 100)}%)` } : {})
  };
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const masker = new Masker();
    for (const secret of inputs.secrets) masker.add(secret);
    for (const secret of masker.all()) core.setSecret(secret);
    if (inputs.insecure) core.warning(INSECURE_WARNING);

    const targets: SuiteTarget[] = [{ label: 'target', baseUrl: inputs.baseUrl, headers: inputs.headers }];
    if (inputs.compare) targets.push({ label: 'compare', baseUrl: inputs.compare.baseUrl, headers: inputs.compare.headers });
    core.info(masker.mask(`Running ${plural(inputs.spec.tests.length, 'test')} from ${inputs.specFile} against ${targets.map((t) => t.baseUrl || 'absolute URLs').join(' and ')}`));
    const suites = await Promise.all(
      targets.map((target) =>
        runSuite({
          spec: inputs.spec,
          specDir: inputs.specDir,
          target,
          vars: inputs.vars,
          env: process.env,
          concurrency: inputs.concurrency,
          failFast: inputs.failFast,
          deadlineMs: inputs.deadlineMs,
          probe: { insecure: inputs.insecure, ca: inputs.ca, maxBodyBytes: inputs.maxBodyBytes },
          masker,
          log: (line) => core.info(line)
        })
      )
    );
    // Values captured during the run are secrets too: register them before anything else is written.
    for (const secret of masker.all()) core.setSecret(secret);
    const [first, second] = suites as [SuiteResult, SuiteResult | undefined];
    const comparison = second ? compare(first, second, inputs) : undefined;

    mkdirSync(inputs.reportDir, { recursive: true });
    const junitPath = join(inputs.reportDir, 'junit.xml');
    const jsonPath = join(inputs.reportDir, 'results.json');
    writeFileSync(junitPath, junitXml(suites, inputs.specFile, masker));
    writeFileSync(jsonPath, resultsJson(suites, masker, comparison));

    const tally = counts(first.tests);
    for (const [name, value] of Object.entries(tally)) core.setOutput(name, String(value));
    core.setOutput('junit-path', junitPath);
    core.setOutput('json-path', jsonPath);
    core.setOutput(
      'results',
      masker.mask(
        JSON.stringify({
          ...tally,
          tests: first.tests.map((t) => ({
            name: t.name,
            outcome: t.outcome,
            status: t.attempts.at(-1)?.status ?? null,
            'latency-ms': t.attempts.at(-1)?.timings?.totalMs ?? null,
            attempts: t.attempts.length,
            reason: t.outcome === 'passed' ? null : failureReason(t)
          }))
        })
      )
    );
    await writeJobSummary(renderSummary(suites, inputs.specFile, masker, comparison));

    const file = inputs.specFile === 'inline spec' ? undefined : inputs.specFile;
    for (const suite of suites) {
      const where = suites.length > 1 ? ` (${suite.label})` : '';
      for (const test of suite.tests) {
        const properties = { file, startLine: file ? test.line : undefined, title: `smoke-test: ${test.name}${where}` };
        if (test.outcome === 'failed') (suite === first ? core.error : core.warning)(masker.mask(failureReason(test)), properties);
        if (test.outcome === 'flaky') core.warning(masker.mask(failureReason(test)), properties);
      }
    }

    let uploadFailed = false;
    if (inputs.artifactName) {
      try {
        const { uploadDirectory } = await import('@deploy-actions/artifacts');
        const artifact = await uploadDirectory(inputs.artifactName, inputs.reportDir);
        core.setOutput('artifact-id', String(artifact.id));
        core.info(`Uploaded the reports as artifact ${inputs.artifactName} (id ${artifact.id}, ${artifact.size} bytes)`);
      } catch (error) {
        uploadFailed = true;
        core.error((error as Error).message, { title: 'smoke-test: artifact upload' });
      }
    }

    const problems = [
      tally.failed ? `${tally.failed} of ${plural(tally.total, 'test')} failed` : '',
      comparison?.regressed ? comparison.reason ?? 'latency regression' : '',
      uploadFailed ? 'the reports could not be uploaded' : ''
    ].filter(Boolean);
    if (problems.length > 0) core.setFailed(masker.mask(problems.join('; ')));
    else core.info(`${tally.passed + tally.flaky} of ${plural(tally.total, 'test')} passed${tally.flaky ? ` (${tally.flaky} flaky)` : ''} in ${formatDuration(first.durationMs)}`);
  } catch (error) {
    if (error instanceof SpecError) {
      // One annotation, at the line that is wrong.
      core.error(`invalid spec: ${error.message}`, { file: error.file === 'inline spec' ? undefined : error.file, startLine: error.line, title: 'smoke-test: invalid spec' });
      process.exitCode = core.ExitCode.Failure;
    } else {
      core.setFailed(error instanceof InputError ? error.message : `smoke-test failed: ${(error as Error).message}`);
    }
  }
}
