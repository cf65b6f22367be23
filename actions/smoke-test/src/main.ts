// Reads the inputs and the spec, runs the suite (against a second target too in compare mode), and
// reports: JUnit and JSON files, outputs, job summary, annotations at the spec's lines. Never throws.
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as core from '@actions/core';
import { InputError, formatDuration } from '@deploy-actions/inputs';
import { Masker, plural, writeJobSummary } from '@deploy-actions/report';
import { INSECURE_WARNING } from '@deploy-actions/http';
import { readInputs, type SmokeInputs } from './inputs.js';
import type { Comparison } from './reports.js';
import { SpecError, formatIssue, type SpecTest } from './spec.js';
import { counts, failureReason, firstTargetOnly, runSuite, writes, type SuiteResult, type SuiteTarget } from './suite.js';

function compare(first: SuiteResult, second: SuiteResult, inputs: SmokeInputs, suiteLatency: typeof import('./reports.js').suiteLatency): Comparison {
  // Latency is compared over the tests both targets ran.
  const ranOnBoth = (suite: SuiteResult, other: SuiteResult): SuiteResult => ({ ...suite, tests: suite.tests.filter((t, i) => t.outcome !== 'skipped' && other.tests[i]?.outcome !== 'skipped') });
  const a = suiteLatency(ranOnBoth(first, second))?.p95 ?? null;
  const b = suiteLatency(ranOnBoth(second, first))?.p95 ?? null;
  const change = a !== null && b !== null && b > 0 ? (a - b) / b : null;
  const limit = inputs.maxLatencyRegression;
  const regressed = limit !== null && change !== null && a !== null && b !== null && change > limit && a - b > inputs.regressionFloorMs;
  return {
    'p95-ms': { first: a, second: b },
    change,
    limit,
    regressed,
    ...(regressed ? { reason: `p95 latency ${formatDuration(a)} is ${Math.round(change! * 100)}% above the second target's ${formatDuration(b)} (limit ${Math.round(limit! * 100)}%)` } : {})
  };
}

/** "12 tests from smoke.yml", or "3 of 12 tests from a.yml, b.yml (only: login; with the tests they need: setup)". */
function runningWhat(inputs: SmokeInputs): string {
  const from = `from ${inputs.specFiles.join(', ')}`;
  if (inputs.tests.length === inputs.specTests) return `${plural(inputs.tests.length, 'test')} ${from}`;
  const chosen = [inputs.only.length ? `only: ${inputs.only.join(', ')}` : '', inputs.tags.length ? `tags: ${inputs.tags.join(', ')}` : '', inputs.needed.length ? `with the tests they need: ${inputs.needed.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return `${inputs.tests.length} of ${plural(inputs.specTests, 'test')} ${from} (${chosen})`;
}

/** What compare mode does with writes, said before the run (log) and in the summary. */
function compareNotes(tests: readonly SpecTest[]): string[] {
  const firstOnly = firstTargetOnly(tests);
  const both = tests.filter((t) => writes(t) && !firstOnly.has(t.name));
  const notes: string[] = [];
  if (both.length > 0) {
    const list = both.map((t) => `${t.name} (${(t.request.method ?? 'GET').toUpperCase()})`).join(', ');
    notes.push(`⚠️ Compare mode sends the writes of ${plural(both.length, 'test')} to both targets: ${list}. \`compare: false\` on a test runs it against the first target only.`);
  }
  if (firstOnly.size > 0) notes.push(`Against the first target only (compare: false, or needs a test that has it): ${[...firstOnly.keys()].join(', ')}.`);
  return notes;
}

/**
 * Makes the report folder before any request, so one that cannot be made is an input error, not a
 * suite run for nothing. Each missing folder is made in turn: Node's recursive mkdir retries for ever
 * where the parent refuses new folders without saying why (/proc answers ENOENT).
 */
function createReportDir(dir: string): void {
  const missing: string[] = [];
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  try {
    if (!statSync(existing).isDirectory()) throw new Error(`${existing} is not a folder`);
    for (const folder of missing) mkdirSync(folder);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    // `EPERM: operation not permitted, mkdir '/sys/nope'`: the reason, without the call and path.
    // ENOENT with the parent there: a parent that takes no new folders.
    const { code, message } = error as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'its parent folder takes no new folders' : message.replace(/, \w+ '.*'$/, '');
    throw new InputError('report-dir', `cannot create or write to ${JSON.stringify(dir)} (${reason})`, 'a folder that can be created and written to (absolute, or relative to the workspace)');
  }
}

export async function run(): Promise<void> {
  try {
    const inputs = await readInputs();
    createReportDir(inputs.reportDir);
    const masker = new Masker();
    for (const secret of inputs.secrets) masker.add(secret);
    for (const secret of masker.all()) core.setSecret(secret);
    if (inputs.insecure) core.warning(INSECURE_WARNING);

    const targets: SuiteTarget[] = [{ label: 'target', baseUrl: inputs.baseUrl, headers: inputs.headers }];
    if (inputs.compare) targets.push({ label: 'compare', baseUrl: inputs.compare.baseUrl, headers: inputs.compare.headers });
    core.info(masker.mask(`Running ${runningWhat(inputs)} against ${targets.map((t) => t.baseUrl || (inputs.specFiles.length > 1 ? "each spec file's base-url" : 'absolute URLs')).join(' and ')}`));
    const notes = inputs.compare ? compareNotes(inputs.tests) : [];
    for (const note of notes) core.info(note.replace(/`/g, ''));
    const suites = await Promise.all(
      targets.map((target, index) =>
        runSuite({
          tests: inputs.tests,
          target,
          second: index > 0,
          labelLogs: targets.length > 1,
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
    // The reports are made after the run: their code is loaded now, not before the first request.
    const { junitXml, renderSummary, resultsJson, suiteLatency } = await import('./reports.js');
    const comparison = second ? compare(first, second, inputs, suiteLatency) : undefined;

    const junitPath = join(inputs.reportDir, 'junit.xml');
    const jsonPath = join(inputs.reportDir, 'results.json');
    writeFileSync(junitPath, junitXml(suites, masker));
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
    await writeJobSummary(renderSummary(suites, inputs.specFiles, masker, comparison, notes));

    for (const suite of suites) {
      const where = suites.length > 1 ? ` (${suite.label})` : '';
      for (const test of suite.tests) {
        const file = test.file === 'inline spec' ? undefined : test.file;
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
      // One annotation per problem, at the line that is wrong, then one line that counts them.
      for (const issue of error.issues) {
        const file = issue.file === 'inline spec' ? undefined : issue.file;
        core.error(formatIssue(issue), { file, startLine: file ? issue.line : undefined, title: 'smoke-test: invalid spec' });
      }
      const files = [...new Set(error.issues.map((i) => i.file ?? 'spec'))];
      core.setFailed(`invalid spec: ${plural(error.issues.length, 'error')} in ${files.join(', ')}; no request was sent`);
    } else {
      core.setFailed(error instanceof InputError ? error.message : `smoke-test failed: ${(error as Error).message}`);
    }
  }
}
