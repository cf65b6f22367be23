export const id = 291;
export const ids = [291];
export const modules = {

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
            canary: measureJson((0,_shift_js__WEBPACK_IMPORTED_MODULE_3__/* .stepTotals */ .Oc)(step, source, 'canary')),
            stable: measureJson((0,_shift_js__WEBPACK_IMPORTED_MODULE_3__/* .stepTotals */ .Oc)(step, source, 'stable')),
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
        const c = (0,_shift_js__WEBPACK_IMPORTED_MODULE_3__/* .stepTotals */ .Oc)(step, source, 'canary');
        const s = (0,_shift_js__WEBPACK_IMPORTED_MODULE_3__/* .stepTotals */ .Oc)(step, source, 'stable');
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
