// Reads the inputs, chooses the versions, runs the shift, and reports: outputs, job summary,
// annotations. Never throws. SIGINT and SIGTERM (a cancelled or timed-out job) stop the shift and
// put stable back at 100 % before the process exits.
import * as core from '@actions/core';
import { InputError, formatDuration } from '@deploy-actions/inputs';
import { Masker, oneLine, writeJobSummary } from '@deploy-actions/report';
// Every run that gets past its inputs opens the provider, chooses the versions and shifts: those
// modules are part of the bundle's entry, not chunks, since each chunk is one more file read and
// module compile in series before the first probe. What only some runs need (the GitHub record,
// the smoke-test, the summary, the incident issue) loads where it is used.
import { createAnalysis } from './analysis.js';
import { readInputs, type CanaryInputs } from './inputs.js';
import { describePlan } from './plan.js';
import { openProvider } from './provider.js';
import { runShift, type ShiftOutcome, type ShiftState } from './shift.js';
import { describeSplit } from './split.js';
import { encodeState, STATE_KEY } from './state.js';
import { chooseVersions, VersionChoiceError } from './versions.js';

export async function run(): Promise<void> {
  let inputs: CanaryInputs;
  const masker = new Masker();
  try {
    inputs = readInputs();
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : `canary-shift failed: ${(error as Error).message}`);
    return;
  }
  for (const secret of inputs.secrets) masker.add(secret);
  for (const secret of masker.all()) core.setSecret(secret);
  const log = (line: string) => core.info(masker.mask(line));
  const warn = (line: string) => core.warning(masker.mask(line));
  for (const url of inputs.duplicateUrls) log(`${url} is listed more than once in url; it is probed once`);

  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (cancel.signal.aborted) return;
    log(`Received ${signal}: stopping the shift${inputs.autoRollback ? ' and restoring stable' : ''}`);
    cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let record: import('./github.js').CanaryRecord | undefined;
  try {
    const provider = await openProvider(inputs.provider, masker);
    let choice: Parameters<typeof chooseVersions>[2];
    if (inputs.version.kind === 'upload') {
      if (!provider.upload) throw new Error(`${provider.description} cannot upload a version`);
      const run = [process.env.GITHUB_WORKFLOW, process.env.GITHUB_RUN_ID && `run ${process.env.GITHUB_RUN_ID}`].filter(Boolean).join(' ');
      const uploaded = await provider.upload({ tag: process.env.GITHUB_SHA?.slice(0, 40) || undefined, message: run ? `canary-shift: ${run}` : 'canary-shift' });
      core.setOutput('canary-version', uploaded.id);
      log(`Uploaded version ${uploaded.id}`);
      choice = { kind: 'uploaded', id: uploaded.id };
    } else {
      choice = inputs.version;
    }
    const [initial, versions] = await Promise.all([provider.currentDeployment(), provider.listVersions()]);
    let chosen: { canary: string; stable: string };
    try {
      chosen = chooseVersions(initial, versions, choice, inputs.stableVersion);
    } catch (error) {
      if (error instanceof VersionChoiceError) {
        core.setFailed(masker.mask(error.message));
        return;
      }
      throw error;
    }
    const { canary, stable } = chosen;
    core.setOutput('canary-version', canary);
    core.setOutput('stable-version', stable);
    log(`${provider.description}: canary ${canary}, stable ${stable}; now ${describeSplit(initial.versions)}`);
    log(`Plan: ${describePlan(inputs.plan, inputs.intervalMs)}; judged on ${inputs.metrics.join(' and ')} every ${formatDuration(inputs.intervalMs)}`);

    // The GitHub client loads only when the canary is recorded there. The command provider's service
    // is named as rollback names it (`worker`, else `service`), so rollback's to: last-good finds these records.
    if (inputs.github) {
      const { startRecord } = await import('./github.js');
      record = await startRecord(inputs.github, { provider: inputs.provider.provider, worker: inputs.service, canary, stable }, { log, warn });
    }
    const analysis = createAnalysis({ provider, canary, stable, metrics: inputs.metrics, intervalMs: inputs.intervalMs, probe: inputs.probe, probeRate: inputs.probeRate, warn });
    const smoke = inputs.smoke;
    const runId = process.env.GITHUB_RUN_ID ? ` (run ${process.env.GITHUB_RUN_ID})` : '';
    const outcome = await runShift(
      {
        canary,
        stable,
        plan: inputs.plan,
        intervalMs: inputs.intervalMs,
        thresholds: inputs.thresholds,
        failureLimit: inputs.failureLimit,
        autoRollback: inputs.autoRollback,
        initial,
        message: (percentage) => `canary-shift: ${canary} at ${percentage} %${runId}`
      },
      {
        provider,
        analysis,
        log,
        warn,
        cancel: cancel.signal,
        saveState: (state: ShiftState) => core.saveState(STATE_KEY, encodeState(state)),
        smoke: smoke
          ? async () => {
              const { runSmoke } = await import('./smoke.js');
              const route = provider.routeTo(canary);
              const probeUrl = route.url ?? inputs.probe?.urls[0];
              const baseUrl = smoke.baseUrl ?? (probeUrl ? new URL(probeUrl).origin : '');
              if (baseUrl === '') return { ok: false, reason: 'no base URL for the smoke-test: set smoke-base-url' };
              return runSmoke({ spec: smoke.spec, baseUrl, route, headers: inputs.probe?.request.headers ?? [], log });
            }
          : undefined
      }
    );
    await record?.finish(outcome.result, masker.mask(oneLine(outcome.reason)));
    await report(outcome, { canary, stable, metrics: inputs.metrics }, masker);
    // The issue engine loads only here: a shift without incident-issue, or that promoted, never
    // loads it. It never throws: a failure to write is its own annotation, after the shift's result.
    if (inputs.incident && (outcome.result === 'rolled-back' || outcome.result === 'inconclusive')) {
      const { writeIncident } = await import('./incident.js');
      await writeIncident(inputs.incident, inputs.service, outcome, { canary, stable, metrics: inputs.metrics }, masker, { log, warn });
    }
  } catch (error) {
    await record?.finish('error', masker.mask(oneLine((error as Error).message)));
    // A command whose program is not there is found when the provider opens, before anything ran.
    core.setFailed(masker.mask(error instanceof InputError ? error.message : `canary-shift failed: ${oneLine((error as Error).message)}`));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function report(outcome: ShiftOutcome, context: { canary: string; stable: string; metrics: CanaryInputs['metrics'] }, masker: Masker): Promise<void> {
  const { renderSummary, timelineJson } = await import('./summary.js');
  core.setOutput('result', outcome.result);
  core.setOutput('final-percentage', String(outcome.finalPercentage));
  core.setOutput('timeline', timelineJson(outcome, context, masker));
  await writeJobSummary(renderSummary(outcome, context, masker));
  const failed = outcome.failedStep === undefined ? undefined : outcome.steps[outcome.failedStep];
  if (failed) core.error(masker.mask(`${failed.percentage} % step ${failed.verdict}: ${oneLine(failed.reason)}`), { title: `canary-shift: ${outcome.result}` });
  if (outcome.restoreError) core.error(masker.mask(outcome.restoreError), { title: 'canary-shift: stable not restored' });
  if (outcome.result === 'promoted') core.info(`Promoted: ${context.canary} serves 100 %`);
  else core.setFailed(masker.mask(`canary-shift ${outcome.result}: ${oneLine(outcome.reason)}`));
}
