export const id = 353;
export const ids = [353,111,291];
export const modules = {

/***/ 6353:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   writeIncident: () => (/* binding */ writeIncident)
/* harmony export */ });
/* harmony import */ var _deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1791);
/* harmony import */ var _deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8796);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1291);
// canary-shift's incident issue, loaded only with incident-issue once a shift has rolled back: what
// was rolled back, then the job summary's own account (the same renderer, so the issue and the
// summary never differ), written by the shared engine, which never throws.



async function writeIncident(settings, subject, outcome, context, masker, hooks) {
    const failed = outcome.failedStep === undefined ? undefined : outcome.steps[outcome.failedStep];
    const account = (link) => {
        const facts = (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['What', ''], [
            ['Rolled back', `from ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(context.canary, { inTable: true })} (the canary) to ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(context.stable, { inTable: true })} (stable)`],
            ['Result', (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(outcome.result, { inTable: true })],
            ...(failed ? [['Stopped at', `the ${failed.percentage} % step (${failed.verdict})`]] : []),
            ['Why', (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .cell */ .Hn)(outcome.reason)],
            ['Run', `[${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .cell */ .Hn)(link)}](${link})`]
        ]);
        return `**${subject}** in **${settings.environment}** was rolled back by canary-shift.\n\n${facts}\n\n${(0,_summary_js__WEBPACK_IMPORTED_MODULE_2__.renderSummary)(outcome, context, masker)}`;
    };
    await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .writeIncidentIssue */ .fv)({ ...settings, subject, account, step: 'canary-shift', mask: (text) => masker.mask(text) }, hooks);
}


/***/ }),

/***/ 9664:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _w: () => (/* binding */ judgeWindow),
/* harmony export */   l9: () => (/* binding */ formatPercent),
/* harmony export */   lH: () => (/* binding */ decideStep),
/* harmony export */   zi: () => (/* binding */ errorRate)
/* harmony export */ });
/* unused harmony export judgeSource */
/* harmony import */ var _deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9247);
// The judgement of one analysis window: the canary against stable measured over the same time, and
// against the absolute limits. Pure: numbers in, a verdict and its reasons out.

const SEVERITY = ['failed', 'error', 'inconclusive', 'passed'];
/** Rates are compared in percent; this absorbs float error such as 6 − 5 = 1.0000000000000009. */
const EPSILON = 1e-9;
/** The error rate in percent; 0 without samples. */
function errorRate(measure) {
    return measure.samples === 0 ? 0 : (measure.errors / measure.samples) * 100;
}
/** `2.5%`: at most two decimals, so 1/3 reads 33.33%. */
function formatPercent(value) {
    return `${Number(value.toFixed(2))}%`;
}
function rateText(measure) {
    return `${formatPercent(errorRate(measure))} (${measure.errors} of ${measure.samples})`;
}
function latencyText(ms) {
    return ms === null ? 'no latency' : (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(ms);
}
function judgeSource(measure, thresholds) {
    const name = measure.source;
    if ('error' in measure)
        return { verdict: 'error', reasons: [`${name}: could not be read: ${measure.error}`] };
    const { canary, stable } = measure;
    const thin = [['canary', canary], ...(stable ? [['stable', stable]] : [])].filter(([, m]) => m.samples < thresholds.minSamples);
    if (thin.length > 0) {
        const which = thin.map(([version, m]) => `${version} ${m.samples}`).join(', ');
        return { verdict: 'inconclusive', reasons: [`${name}: too few samples to judge (${which}; min-samples ${thresholds.minSamples})`] };
    }
    const failures = [];
    const canaryRate = errorRate(canary);
    if (thresholds.maxErrorRate !== undefined && canaryRate > thresholds.maxErrorRate + EPSILON) {
        failures.push(`${name}: canary error rate ${rateText(canary)} is above max-error-rate ${formatPercent(thresholds.maxErrorRate)}`);
    }
    if (stable && thresholds.maxErrorRateIncrease !== undefined) {
        const increase = canaryRate - errorRate(stable);
        if (increase > thresholds.maxErrorRateIncrease + EPSILON) {
            failures.push(`${name}: canary error rate ${rateText(canary)} is ${Number(increase.toFixed(2))} points above stable's ${rateText(stable)} (max-error-rate-increase ${thresholds.maxErrorRateIncrease})`);
        }
    }
    if (thresholds.maxLatencyMs !== undefined && canary.p95Ms !== null && canary.p95Ms > thresholds.maxLatencyMs) {
        failures.push(`${name}: canary p95 ${latencyText(canary.p95Ms)} is above max-latency ${(0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(thresholds.maxLatencyMs)}`);
    }
    if (stable && thresholds.maxLatencyIncrease !== undefined && canary.p95Ms !== null && stable.p95Ms !== null) {
        const difference = canary.p95Ms - stable.p95Ms;
        const allowed = (stable.p95Ms * thresholds.maxLatencyIncrease) / 100;
        if (difference > allowed + EPSILON && difference >= thresholds.latencyFloorMs) {
            const percent = stable.p95Ms === 0 ? '' : ` (+${Math.round((difference / stable.p95Ms) * 100)}%)`;
            failures.push(`${name}: canary p95 ${latencyText(canary.p95Ms)} is ${(0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(difference)} above stable's ${latencyText(stable.p95Ms)}${percent} (max-latency-increase ${thresholds.maxLatencyIncrease}%)`);
        }
    }
    if (failures.length > 0)
        return { verdict: 'failed', reasons: failures };
    const versus = stable ? ` vs stable ${rateText(stable)}, p95 ${latencyText(stable.p95Ms)}` : '';
    return { verdict: 'passed', reasons: [`${name}: canary ${rateText(canary)}, p95 ${latencyText(canary.p95Ms)}${versus}`] };
}
/** A window over several sources takes the worst verdict; each source must pass. */
function judgeWindow(measures, thresholds) {
    const judgements = measures.map((measure) => judgeSource(measure, thresholds));
    const verdict = SEVERITY.find((level) => judgements.some((j) => j.verdict === level)) ?? 'inconclusive';
    if (judgements.length === 0)
        return { verdict: 'inconclusive', reasons: ['nothing was measured'] };
    // A failing window is explained by what failed; a passing one by everything measured.
    const shown = verdict === 'passed' ? judgements : judgements.filter((j) => j.verdict !== 'passed');
    return { verdict, reasons: shown.flatMap((j) => j.reasons) };
}
/**
 * Whether a step goes on after its latest window. Failed windows and unreadable ones count toward
 * failure-limit together (an analysis nobody can read is no evidence of health); the first beyond
 * it ends the step, named after that window. Thin data ends it at once: it can never become a pass.
 */
function decideStep(verdicts, failureLimit) {
    const latest = verdicts.at(-1);
    if (latest === 'inconclusive')
        return 'inconclusive';
    const counted = verdicts.filter((v) => v === 'failed' || v === 'error').length;
    if ((latest === 'failed' || latest === 'error') && counted > failureLimit)
        return latest;
    return 'continue';
}


/***/ }),

/***/ 8111:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   restoreStable: () => (/* binding */ restoreStable),
/* harmony export */   runShift: () => (/* binding */ runShift),
/* harmony export */   stepTotals: () => (/* binding */ stepTotals)
/* harmony export */ });
/* harmony import */ var _deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9247);
/* harmony import */ var _judge_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9664);
/* harmony import */ var _split_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3623);



class ChangedElsewhere extends Error {
    deployment;
    constructor(deployment) {
        super(`the deployment was changed by someone else: ${(0,_split_js__WEBPACK_IMPORTED_MODULE_2__/* .describeDeployment */ .Ti)(deployment)}`);
        this.deployment = deployment;
    }
}
/** Everything the step and windows measured in one source, for the timeline's step totals. */
function stepTotals(step, source, version) {
    const present = step.windows.flatMap((w) => w.measures.flatMap((m) => (m.source !== source || 'error' in m || !m[version] ? [] : [m[version]])));
    if (present.length === 0)
        return null;
    const worst = (pick) => present.reduce((max, m) => {
        const value = pick(m);
        return value === null ? max : max === null ? value : Math.max(max, value);
    }, null);
    return {
        samples: present.reduce((sum, m) => sum + m.samples, 0),
        errors: present.reduce((sum, m) => sum + m.errors, 0),
        // Quantiles of separate windows do not add up: the step shows its worst window's.
        p50Ms: worst((m) => m.p50Ms),
        p95Ms: worst((m) => m.p95Ms)
    };
}
async function runShift(config, hooks) {
    const { provider, log } = hooks;
    const steps = [];
    let lastSplit = config.initial.versions;
    let percentage = config.initial.versions.find((s) => s.versionId === config.canary)?.percentage ?? 0;
    const save = (finished, pending) => hooks.saveState({ canary: config.canary, stable: config.stable, split: lastSplit, ...(pending ? { pending } : {}), finished, autoRollback: config.autoRollback });
    /** Reads the deployment again; someone else's change stops everything untouched. */
    const ensureUnchanged = async () => {
        const current = await provider.currentDeployment();
        if (!(0,_split_js__WEBPACK_IMPORTED_MODULE_2__/* .sameSplit */ .xY)(current.versions, lastSplit))
            throw new ChangedElsewhere(current);
    };
    const end = (outcome) => {
        // A stable that could not be restored stays the post step's to restore.
        save(outcome.restoreError === undefined);
        return { ...outcome, steps, finalPercentage: percentage };
    };
    /** Ends a step that did not pass: stable back at 100 % (unless auto-rollback is off). */
    const abandon = async (result, reason, writing) => {
        const failedStep = steps.length - 1;
        if (!config.autoRollback) {
            log(`${reason}; auto-rollback is off, so the split stays: ${(0,_split_js__WEBPACK_IMPORTED_MODULE_2__/* .describeSplit */ .iO)(lastSplit)}`);
            return end({ result: 'stopped', failedStep, reason: `${reason}; auto-rollback is off, the split was left as it is` });
        }
        // A write that failed may still have been applied: its split is ours too.
        const restored = await restoreStable(config, hooks, writing ? [lastSplit, writing] : [lastSplit]);
        if (restored.changedBy)
            return end({ result: 'stopped', failedStep, reason: `${reason}; then ${restored.error}`, changedBy: restored.changedBy });
        if (restored.error)
            return end({ result, failedStep, reason, restoreError: restored.error });
        lastSplit = restored.split;
        percentage = 0;
        return end({ result, failedStep, reason });
    };
    for (const planned of config.plan) {
        const startedAt = new Date();
        const record = { percentage: planned.percentage, startedAt: startedAt.toISOString(), endedAt: '', verdict: 'passed', reason: '', windows: [] };
        steps.push(record);
        const finish = (verdict, reason) => {
            record.verdict = verdict;
            record.reason = reason;
            record.endedAt = new Date().toISOString();
        };
        if (hooks.cancel.aborted) {
            finish('cancelled', 'the job was cancelled');
            return abandon('rolled-back', `the job was cancelled before the ${planned.percentage} % step`);
        }
        const split = (0,_split_js__WEBPACK_IMPORTED_MODULE_2__/* .splitFor */ .o_)(config.canary, config.stable, planned.percentage);
        try {
            await ensureUnchanged();
            if (!(0,_split_js__WEBPACK_IMPORTED_MODULE_2__/* .sameSplit */ .xY)(split, lastSplit) || planned.percentage === 0) {
                log(`Step ${planned.percentage} %: serving ${(0,_split_js__WEBPACK_IMPORTED_MODULE_2__/* .describeSplit */ .iO)(split)}`);
                save(false, split);
                const served = await provider.shift(split, config.message(planned.percentage));
                lastSplit = served.versions.length > 0 ? served.versions : split;
                percentage = planned.percentage;
                save(false);
            }
        }
        catch (error) {
            if (error instanceof ChangedElsewhere) {
                finish('stopped', error.message);
                log(`Stopped untouched: ${error.message}`);
                return end({ result: 'stopped', failedStep: steps.length - 1, reason: `stopped without touching it: ${error.message}`, changedBy: error.deployment });
            }
            finish('error', `the shift to ${planned.percentage} % failed: ${error.message}`);
            return abandon('rolled-back', record.reason, split);
        }
        // The smoke-test runs once, at the first step: at 0 % before any user reaches the canary, else
        // while the first users do.
        if (steps.length === 1 && hooks.smoke) {
            const smoke = await hooks.smoke(hooks.cancel);
            log(`Step ${planned.percentage} %: smoke-test ${smoke.ok ? 'passed' : `failed: ${smoke.reason}`}`);
            if (!smoke.ok) {
                finish('failed', `smoke-test against the canary failed: ${smoke.reason}`);
                return abandon('rolled-back', `the ${planned.percentage} % step failed: ${record.reason}`);
            }
            if (hooks.cancel.aborted) {
                finish('cancelled', 'the job was cancelled');
                return abandon('rolled-back', `the job was cancelled during the ${planned.percentage} % step`);
            }
        }
        if (planned.windows > 0) {
            const analysis = await hooks.analysis.startStep(planned.percentage);
            try {
                for (let index = 0; index < planned.windows; index++) {
                    const window = await analysis.next(hooks.cancel);
                    if (hooks.cancel.aborted)
                        break;
                    const judgement = (0,_judge_js__WEBPACK_IMPORTED_MODULE_1__/* .judgeWindow */ ._w)(window.measures, config.thresholds);
                    record.windows.push({ start: window.start.toISOString(), end: window.end.toISOString(), ...judgement, measures: window.measures });
                    log(`Step ${planned.percentage} %, window ${index + 1}/${planned.windows} (${(0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(window.end.getTime() - window.start.getTime())}): ${judgement.verdict}: ${judgement.reasons.join('; ')}`);
                    const decision = (0,_judge_js__WEBPACK_IMPORTED_MODULE_1__/* .decideStep */ .lH)(record.windows.map((w) => w.verdict), config.failureLimit);
                    if (decision !== 'continue') {
                        const counted = record.windows.filter((w) => w.verdict === 'failed' || w.verdict === 'error').length;
                        const limit = decision === 'inconclusive' ? '' : ` (${counted} failed ${counted === 1 ? 'window' : 'windows'}, failure-limit ${config.failureLimit})`;
                        finish(decision, `${judgement.reasons.join('; ')}${limit}`);
                        return abandon(decision === 'inconclusive' ? 'inconclusive' : 'rolled-back', `the ${planned.percentage} % step ${decision === 'inconclusive' ? 'was inconclusive' : 'failed'}: ${record.reason}`);
                    }
                }
            }
            finally {
                await analysis.stop();
            }
            if (hooks.cancel.aborted) {
                finish('cancelled', 'the job was cancelled');
                return abandon('rolled-back', `the job was cancelled during the ${planned.percentage} % step`);
            }
        }
        const passedWindows = record.windows.length;
        finish('passed', passedWindows === 0 ? 'served; not judged (no bake at this step)' : `${passedWindows} of ${passedWindows} ${passedWindows === 1 ? 'window' : 'windows'} passed`);
    }
    return end({ result: 'promoted', reason: `${config.canary} serves 100 %` });
}
/**
 * Serves stable at 100 % again, unless the deployment is no longer the one this action made.
 * The provider's rollback first (Cloudflare records it as a rollback; a command provider runs the
 * user's rollback-command); when that refuses, a plain shift of stable to 100 %.
 */
async function restoreStable(config, hooks, 
/** The splits this action may have left serving: the last it wrote (and one it was writing). */
ours) {
    const lastSplit = ours[0] ?? [];
    const { provider } = hooks;
    const target = [{ versionId: config.stable, percentage: 100 }];
    let current;
    try {
        current = await provider.currentDeployment();
    }
    catch (error) {
        current = { id: '', createdOn: '', versions: [...lastSplit] };
        hooks.warn(`could not read the current deployment before restoring ${config.stable}: ${error.message}; restoring anyway`);
    }
    // Exactly stable alone: a canary left in at 0 % could still be reached by the override header.
    const stableAlone = current.versions.length === 1 && current.versions[0].versionId === config.stable && current.versions[0].percentage === 100;
    if (!ours.some((split) => (0,_split_js__WEBPACK_IMPORTED_MODULE_2__/* .sameSplit */ .xY)(current.versions, split))) {
        // Someone else's deployment, even one serving stable alone, is theirs: nothing is written over it.
        const line = `the deployment was changed by someone else: ${(0,_split_js__WEBPACK_IMPORTED_MODULE_2__/* .describeDeployment */ .Ti)(current)}; ${stableAlone ? `it serves stable ${config.stable} alone already` : 'stable was not restored over it'}`;
        hooks.warn(line);
        return { split: current.versions, error: line, changedBy: current, stableAlone };
    }
    if (stableAlone)
        return { split: target, stableAlone };
    const message = `canary-shift: ${config.stable} back at 100 % (canary ${config.canary} rolled back)`;
    hooks.log(`Restoring ${config.stable} at 100 %`);
    const save = (split) => hooks.saveState({ canary: config.canary, stable: config.stable, split, finished: true, autoRollback: hooks.autoRollback ?? true });
    try {
        const deployment = await provider.rollback(config.stable, { message, force: false });
        save(target);
        return { split: deployment.versions.length > 0 ? deployment.versions : target };
    }
    catch (rollbackError) {
        hooks.warn(`rollback to ${config.stable} failed (${rollbackError.message}); serving it at 100 % with a plain deployment instead`);
        try {
            const deployment = await provider.shift(target, message);
            save(target);
            return { split: deployment.versions.length > 0 ? deployment.versions : target };
        }
        catch (shiftError) {
            return { split: [...lastSplit], error: `stable ${config.stable} could not be restored: rollback: ${rollbackError.message}; deploy: ${shiftError.message}` };
        }
    }
}


/***/ }),

/***/ 1291:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderSummary: () => (/* binding */ renderSummary),
/* harmony export */   timelineJson: () => (/* binding */ timelineJson)
/* harmony export */ });
/* unused harmony export renderChart */
/* harmony import */ var _deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9247);
/* harmony import */ var _deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8796);
/* harmony import */ var _judge_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9664);
/* harmony import */ var _shift_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8111);
/* harmony import */ var _split_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3623);
// What the user reads: the timeline output, the job summary (the failing step first, a table of the
// steps, a chart of traffic and both error rates over time, each judged step's windows).





function measureJson(measure) {
    if (!measure)
        return null;
    return { samples: measure.samples, errors: measure.errors, 'error-rate': Number((0,_judge_js__WEBPACK_IMPORTED_MODULE_2__/* .errorRate */ .zi)(measure).toFixed(4)), 'p50-ms': measure.p50Ms, 'p95-ms': measure.p95Ms };
}
/** The source a step's numbers are shown from: probes where they ran, else the analytics. */
function primarySource(step, metrics) {
    const measured = new Set(step.windows.flatMap((w) => w.measures.map((m) => m.source)));
    if (measured.has('probes'))
        return 'probes';
    if (measured.has('cloudflare-analytics'))
        return 'cloudflare-analytics';
    return metrics[0] ?? 'probes';
}
function sourceJson(measure) {
    if ('error' in measure)
        return { error: measure.error };
    return { canary: measureJson(measure.canary), stable: measureJson(measure.stable) };
}
/** The `timeline` output. */
function timelineJson(outcome, context, masker) {
    const steps = outcome.steps.map((step) => {
        const source = primarySource(step, context.metrics);
        return {
            percentage: step.percentage,
            'started-at': step.startedAt,
            'ended-at': step.endedAt,
            verdict: step.verdict,
            reason: step.reason,
            source,
            canary: measureJson((0,_shift_js__WEBPACK_IMPORTED_MODULE_3__.stepTotals)(step, source, 'canary')),
            stable: measureJson((0,_shift_js__WEBPACK_IMPORTED_MODULE_3__.stepTotals)(step, source, 'stable')),
            windows: step.windows.map((w) => ({
                start: w.start,
                end: w.end,
                verdict: w.verdict,
                reasons: w.reasons,
                sources: Object.fromEntries(w.measures.map((m) => [m.source, sourceJson(m)]))
            }))
        };
    });
    return masker.mask(JSON.stringify(steps));
}
const STEP_ICONS = {
    passed: '✅ passed',
    failed: '❌ failed',
    error: '❌ error',
    inconclusive: '⚠️ inconclusive',
    cancelled: '⏹️ cancelled',
    stopped: '⏹️ stopped'
};
function rateCell(measure) {
    return measure ? `${(0,_judge_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPercent */ .l9)((0,_judge_js__WEBPACK_IMPORTED_MODULE_2__/* .errorRate */ .zi)(measure))} (${measure.errors}/${measure.samples})` : '–';
}
function latencyCell(measure) {
    if (!measure || (measure.p50Ms === null && measure.p95Ms === null))
        return '–';
    const show = (ms) => (ms === null ? '–' : (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(ms));
    return `${show(measure.p50Ms)} / ${show(measure.p95Ms)}`;
}
function elapsed(fromIso, toIso) {
    return (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(Math.max(0, Date.parse(toIso) - Date.parse(fromIso)));
}
/** `1:30` since the shift started: the chart's x axis. */
function clock(fromMs, atIso) {
    const seconds = Math.max(0, Math.round((Date.parse(atIso) - fromMs) / 1000));
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
function windowMeasure(window, source, version) {
    const measure = window.measures.find((m) => m.source === source);
    return measure && !('error' in measure) ? measure[version] : undefined;
}
/**
 * Traffic share as bars and both error rates as lines, one point per window (a step with no window
 * shows as one point at its start). xychart-beta has no legend: the caption under it says which is which.
 */
function renderChart(outcome, context) {
    if (outcome.steps.length === 0)
        return '';
    const start = Date.parse(outcome.steps[0].startedAt);
    const labels = [];
    const traffic = [];
    const canaryRates = [];
    const stableRates = [];
    for (const step of outcome.steps) {
        const source = primarySource(step, context.metrics);
        const points = step.windows.length > 0 ? step.windows : [undefined];
        for (const window of points) {
            labels.push(clock(start, window?.end ?? step.endedAt ?? step.startedAt));
            traffic.push(step.percentage);
            const canary = window ? windowMeasure(window, source, 'canary') : undefined;
            const stable = window ? windowMeasure(window, source, 'stable') : undefined;
            canaryRates.push(canary ? Number((0,_judge_js__WEBPACK_IMPORTED_MODULE_2__/* .errorRate */ .zi)(canary).toFixed(2)) : 0);
            stableRates.push(stable ? Number((0,_judge_js__WEBPACK_IMPORTED_MODULE_2__/* .errorRate */ .zi)(stable).toFixed(2)) : 0);
        }
    }
    return [
        '```mermaid',
        'xychart-beta',
        '  title "Canary traffic and error rates"',
        `  x-axis "time since the shift started (m:ss)" [${labels.map((l) => JSON.stringify(l)).join(', ')}]`,
        '  y-axis "percent" 0 --> 100',
        `  bar [${traffic.join(', ')}]`,
        `  line [${canaryRates.join(', ')}]`,
        `  line [${stableRates.join(', ')}]`,
        '```',
        '',
        `Bars: the canary's share of the traffic. Lines: the canary's error rate (first) and stable's (second), per analysis window, in percent.`
    ].join('\n');
}
function renderSummary(outcome, context, masker) {
    const text = (value) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .cell */ .Hn)(masker.mask(value));
    const canary = (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(masker.mask(context.canary));
    const stable = (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(masker.mask(context.stable));
    const lines = [];
    const headings = {
        promoted: `## ✅ Canary promoted: ${canary} serves 100 %`,
        'rolled-back': `## ❌ Canary rolled back: ${stable} serves 100 % again`,
        inconclusive: `## ⚠️ Canary inconclusive, rolled back: ${stable} serves 100 % again`,
        stopped: `## ⏹️ Canary shift stopped at ${outcome.finalPercentage} %`
    };
    lines.push(headings[outcome.result], '');
    if (outcome.restoreError)
        lines.push(`**Stable could not be restored:** ${text(outcome.restoreError)}`, '');
    const failed = outcome.failedStep === undefined ? undefined : outcome.steps[outcome.failedStep];
    if (failed) {
        lines.push(`### Why: the ${failed.percentage} % step ${failed.verdict === 'inconclusive' ? 'was inconclusive' : failed.verdict === 'stopped' ? 'was stopped' : failed.verdict === 'cancelled' ? 'was cancelled' : 'failed'}`, '');
        const window = failed.windows.at(-1);
        if (window && window.verdict !== 'passed') {
            // The window says why, reason by reason; the outcome's one line would say it again.
            lines.push(`In the window ${window.start} – ${window.end}:`, '');
            for (const reason of window.reasons)
                lines.push(`- ${text(reason)}`);
            lines.push('');
        }
        else {
            lines.push(text(outcome.reason), '');
        }
        if (outcome.changedBy)
            lines.push(`Someone else's ${text((0,_split_js__WEBPACK_IMPORTED_MODULE_4__/* .describeDeployment */ .Ti)(outcome.changedBy))}. Nothing was changed over it.`, '');
    }
    lines.push(`Canary ${canary} against stable ${stable}, judged on ${context.metrics.map((m) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(m)).join(' and ')}.`, '');
    lines.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Step', 'Verdict', 'Duration', 'Canary errors', 'Canary p50 / p95', 'Stable errors', 'Stable p50 / p95', 'Why'], outcome.steps.map((step) => {
        const source = primarySource(step, context.metrics);
        const c = (0,_shift_js__WEBPACK_IMPORTED_MODULE_3__.stepTotals)(step, source, 'canary');
        const s = (0,_shift_js__WEBPACK_IMPORTED_MODULE_3__.stepTotals)(step, source, 'stable');
        return [`${step.percentage} %`, STEP_ICONS[step.verdict], step.endedAt ? elapsed(step.startedAt, step.endedAt) : '–', rateCell(c), latencyCell(c), rateCell(s), latencyCell(s), text(step.reason)];
    })), '');
    const chart = renderChart(outcome, context);
    if (chart)
        lines.push(chart, '');
    for (const step of outcome.steps.filter((s) => s.windows.length > 0)) {
        lines.push(`<details><summary>${step.percentage} % step: ${step.windows.length} ${step.windows.length === 1 ? 'window' : 'windows'}</summary>`, '');
        const rows = step.windows.flatMap((w, i) => w.measures.map((m) => {
            const values = 'error' in m ? ['–', '–', '–', '–'] : [rateCell(m.canary), latencyCell(m.canary), rateCell(m.stable), latencyCell(m.stable)];
            return [String(i + 1), (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(m.source, { inTable: true }), w.verdict, ...values, text(w.reasons.filter((r) => r.startsWith(`${m.source}:`)).join('; '))];
        }));
        lines.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Window', 'Source', 'Verdict', 'Canary errors', 'Canary p50 / p95', 'Stable errors', 'Stable p50 / p95', 'Why'], rows), '', '</details>', '');
    }
    return lines.join('\n');
}


/***/ })

};
