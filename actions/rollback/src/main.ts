// Reads the inputs, rolls back, verifies, and reports: outputs, job summary, annotations. Never throws.
// What every run past its inputs needs (the providers, the rollback) is part of the entry: a chunk
// each would be one more file read and module compile in series before the first tool call. The
// probe engine loads only when there is a url to verify, and the summary once there is something to
// report.
import * as core from '@actions/core';
import { performance } from 'node:perf_hooks';
import { InputError, formatDuration } from '@deploy-actions/inputs';
import { Masker, plural, writeJobSummary } from '@deploy-actions/report';
import { readInputs, type RollbackInputs } from './inputs.js';
import { createProviders } from './providers.js';
import { executePlans, planWorkers } from './rollback.js';
import type { RunReport } from './summary.js';

export async function run(): Promise<void> {
  const started = performance.now();
  try {
    const inputs = await readInputs();
    const masker = new Masker();
    for (const secret of inputs.secrets) masker.add(secret);
    for (const secret of masker.all()) core.setSecret(secret);
    await rollBack(inputs, masker, started);
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `rollback failed: ${(error as Error).message}`);
  }
}

async function rollBack(inputs: RollbackInputs, masker: Masker, started: number): Promise<void> {
  const summary = () => import('./summary.js');
  const log = (line: string) => core.info(masker.mask(line));
  /** The tool's own words behind an error, folded in the log (the summary shows them too). */
  const logStderr = async (worker: string, error: Error) => {
    const tool = (await summary()).toolStderr(error, masker);
    if (!tool) return;
    core.startGroup(`${worker}: ${tool.title}`);
    core.info(tool.text);
    core.endGroup();
  };
  const report: RunReport = { outcomes: [], planFailures: [], verified: 'skipped', durationMs: 0 };
  let providers: Awaited<ReturnType<typeof createProviders>> = [];
  const finish = async () => {
    await github?.settle(report.verified);
    report.durationMs = Math.round(performance.now() - started);
    const calls = providers.flatMap(({ provider }) => provider.toolCalls ?? []);
    report.tool = { name: inputs.providers[0]?.config.provider === 'cloudflare' ? 'wrangler' : 'the commands', calls: calls.length, durationMs: calls.reduce((sum, call) => sum + call.durationMs, 0) };
    const { outputs, renderSummary } = await summary();
    for (const [name, value] of Object.entries(outputs(report, inputs.several))) core.setOutput(name, masker.mask(value));
    await writeJobSummary(renderSummary(report, masker));
    // On every run that got past its inputs: a rollback by hand is as much an incident as one a failed
    // canary started. The issue engine loads only here, and never throws: a failure to write is its
    // own annotation, and the rollback's outcome stays what it was.
    if (inputs.incident) await (await import('./incident.js')).writeIncident(inputs.incident, inputs.workers, inputs.message, report, masker, { log, warn: (line) => core.warning(masker.mask(line)) });
  };

  // The GitHub client loads only when the rollback is recorded there.
  const github = inputs.github ? (await import('./github.js')).openGitHub(inputs.github, { log, warn: (line) => core.warning(masker.mask(line)) }) : undefined;
  providers = await createProviders(inputs.providers, masker);
  log(`Reading ${plural(inputs.workers.length, 'Worker')} (${inputs.workers.join(', ')}) to find the target: to ${inputs.target.kind === 'version' ? inputs.target.id : inputs.target.kind}`);
  const blind = inputs.blind ? { leaving: inputs.leaving } : undefined;
  const { plans, failures } = await planWorkers(providers, inputs.target, { blind, lastGood: github?.lastGood, listsVersions: inputs.listsVersions });
  if (failures.length > 0) {
    report.planFailures = failures;
    await finish();
    const { failureLine } = await summary();
    for (const failure of failures) await logStderr(failure.worker, failure.error);
    for (const failure of failures) core.error(failureLine(failure.worker, failure.error, masker), { title: 'rollback: target not found' });
    core.setFailed(`nothing was rolled back: ${failures.map((f) => f.worker).join(', ')} could not be read or has no target`);
    return;
  }
  for (const plan of plans) log(`${plan.worker}: target ${plan.target.versionId}, ${plan.target.why}`);

  if (inputs.preRollbackCommand) {
    const { runPreRollbackCommand } = await import('./pre-command.js');
    log('Running pre-rollback-command');
    report.preCommandFailure = await runPreRollbackCommand(inputs.preRollbackCommand, inputs.workingDirectory);
    if (report.preCommandFailure) {
      await finish();
      core.setFailed(masker.mask(report.preCommandFailure));
      return;
    }
  }

  // A cancelled job (SIGINT, then SIGTERM from the runner) starts no further Worker, and still says
  // what was done.
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!cancel.signal.aborted) core.warning(`${signal}: the job is being cancelled; no Worker after the one being rolled back now is touched`);
    cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The probe engine loads while the platform rolls back: a command or wrapper call leaves this
  // process waiting on another. Awaited only where it is used; a failure to load surfaces there.
  const probeEngine = inputs.verification ? import('@deploy-actions/checks') : undefined;
  probeEngine?.catch(() => undefined);
  report.outcomes = await executePlans(plans, { message: inputs.message, force: inputs.force, log, signal: cancel.signal });
  await github?.record(plans, report.outcomes, inputs.message);
  const stopIfCancelled = async (): Promise<boolean> => {
    if (!cancel.signal.aborted) return false;
    report.cancelled = true;
    report.verified = 'skipped';
    const left = report.outcomes.filter((o) => o.status === 'not-attempted').map((o) => o.worker);
    await finish();
    core.setFailed(`cancelled${left.length > 0 ? `: ${left.join(', ')} not rolled back` : ' before verification ended'}`);
    return true;
  };
  if (await stopIfCancelled()) return;
  const failed = report.outcomes.find((o) => o.status === 'failed');
  if (failed) {
    for (const o of report.outcomes.filter((o) => o.status === 'not-attempted')) log(`${o.worker}: not attempted, since ${failed.worker} failed before it`);
    await logStderr(failed.worker, failed.error!);
    await finish();
    core.setFailed((await summary()).failureLine(failed.worker, failed.error!, masker));
    return;
  }

  if (inputs.verification) {
    const { checkHealth } = await probeEngine!;
    log(`Verifying ${plural(inputs.verification.urls.length, 'URL')} (deadline ${formatDuration(inputs.verification.deadlineMs)})`);
    for (const url of inputs.duplicateUrls) log(`${url} is listed more than once in url; it is checked once`);
    report.verification = await checkHealth(inputs.verification, { log, warn: (line) => core.warning(masker.mask(line)), signal: cancel.signal });
    report.verified = report.verification.healthy ? 'true' : 'false';
    if (await stopIfCancelled()) return;
  }
  await finish();
  const { toolTime, verificationFailure } = await summary();
  if (report.verified === 'false') {
    const unhealthy = report.verification!.results.filter((r) => !r.healthy);
    for (const r of unhealthy) core.error(masker.mask(`${r.url}: ${verificationFailure(r)}`), { title: 'rollback: verification failed' });
    core.setFailed(`rolled back, but verification failed: ${unhealthy.length} of ${plural(report.verification!.results.length, 'URL')} not healthy`);
    return;
  }
  log(`Rolled back in ${formatDuration(report.durationMs)}${report.verified === 'true' ? ', verified' : ' (no url: not verified)'}${toolTime(report)}`);
}
