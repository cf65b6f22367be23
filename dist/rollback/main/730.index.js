export const id = 730;
export const ids = [730];
export const modules = {

/***/ 730:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   failureLine: () => (/* binding */ failureLine),
/* harmony export */   outputs: () => (/* binding */ outputs),
/* harmony export */   renderSummary: () => (/* binding */ renderSummary),
/* harmony export */   toolStderr: () => (/* binding */ toolStderr),
/* harmony export */   toolTime: () => (/* binding */ toolTime),
/* harmony export */   verificationFailure: () => (/* binding */ verificationFailure)
/* harmony export */ });
/* harmony import */ var _deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9247);
/* harmony import */ var _deploy_actions_providers__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(543);
/* harmony import */ var _deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8796);
/* harmony import */ var _rollback_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6052);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4233);





/** The outputs: plain version ids for one Worker, JSON objects keyed by Worker for several. */
function outputs(report, several) {
    const done = report.outcomes.filter((o) => o.status === 'rolled-back' || o.status === 'already-serving');
    const values = { verified: report.verified, 'duration-ms': String(report.durationMs) };
    const field = (name, pick) => {
        if (several)
            values[name] = JSON.stringify(Object.fromEntries(done.map((o) => [o.worker, pick(o)])));
        else if (done[0])
            values[name] = pick(done[0]);
    };
    field('rolled-back-from', (o) => o.from);
    field('rolled-back-to', (o) => o.to);
    field('deployment-id', (o) => o.deploymentId ?? '');
    return values;
}
/** Why a URL did not pass verification: its last failure, or how the check ended. */
function verificationFailure(result) {
    return result.lastFailure?.reason ?? `no passing answer (${result.end})`;
}
/** Why one Worker failed, in one line (masked). */
function failureLine(worker, error, masker) {
    return masker.mask((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(`${worker}: ${(0,_rollback_js__WEBPACK_IMPORTED_MODULE_2__/* .describeError */ .Uc)(error)}`));
}
const RESULT = {
    'rolled-back': '✅ rolled back',
    'already-serving': '✅ already serving',
    failed: '❌ failed',
    'not-attempted': '⏹️ not attempted'
};
function headline(report) {
    if (report.planFailures.length > 0)
        return '## ❌ Rollback stopped before anything changed';
    if (report.preCommandFailure)
        return '## ❌ Rollback stopped: pre-rollback-command failed, nothing changed';
    const failed = report.outcomes.find((o) => o.status === 'failed');
    if (failed)
        return `## ❌ Rollback failed at ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .cell */ .Hn)(failed.worker)}`;
    if (report.cancelled) {
        const left = report.outcomes.filter((o) => o.status === 'not-attempted').length;
        return `## ⏹️ Rollback cancelled${left > 0 ? `: ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .plural */ .LS)(left, 'Worker')} not attempted` : ' before verification ended'}`;
    }
    const names = report.outcomes.map((o) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .cell */ .Hn)(o.worker)).join(', ');
    if (report.verified === 'false')
        return `## ❌ Rolled back ${names}, but verification failed`;
    return `## ✅ Rolled back ${names}${report.verified === 'true' ? ', verified' : ''}`;
}
/** `; wrangler ran 3 times, 2.1s in all` (runs at once overlap, so their sum may pass the step's time). */
function toolTime(report) {
    const tool = report.tool;
    return tool && tool.calls > 0 ? `; ${tool.name} ran ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .plural */ .LS)(tool.calls, 'time')}, ${(0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(tool.durationMs)} in all` : '';
}
/** The tool a provider error came from, as its message names it (`wrangler deployments status …`, `rollback-command …`). */
function toolOf(error) {
    return /^(wrangler|[a-z]+-command)\b/.exec(error.message)?.[1] ?? 'the tool';
}
/** What the tool behind an error wrote to stderr, with a title naming it; undefined when it wrote nothing. */
function toolStderr(error, masker) {
    return error instanceof _deploy_actions_providers__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .m && error.stderr ? { title: `What ${toolOf(error)} wrote to stderr`, text: masker.mask(error.stderr) } : undefined;
}
function renderSummary(report, masker) {
    const text = (value) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .cell */ .Hn)(masker.mask(value));
    const code = (value) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(masker.mask(value), { inTable: true });
    const parts = [headline(report)];
    if (report.planFailures.length > 0) {
        parts.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Worker', 'Why'], report.planFailures.map((f) => [text(f.worker), text((0,_rollback_js__WEBPACK_IMPORTED_MODULE_2__/* .describeError */ .Uc)(f.error))])));
    }
    if (report.preCommandFailure)
        parts.push(text(report.preCommandFailure));
    if (report.outcomes.length > 0) {
        const verifiedCell = (o) => (o.status === 'rolled-back' || o.status === 'already-serving' ? { true: '✅', false: '❌', skipped: '–' }[report.verified] : '–');
        const rows = report.outcomes.map((o) => [
            text(o.worker),
            RESULT[o.status],
            o.before.length > 0 ? code((0,_target_js__WEBPACK_IMPORTED_MODULE_4__/* .describeSplit */ .iO)(o.before)) : 'unknown',
            code(o.to),
            o.deploymentId ? code(o.deploymentId) : '–',
            verifiedCell(o),
            o.status === 'rolled-back' || o.status === 'failed' ? (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(o.durationMs) : '–'
        ]);
        parts.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Worker', 'Result', 'From', 'To', 'Deployment', 'Verified', 'Time'], rows));
    }
    // The plan failures' reasons are in their table already; a failed rollback's is said here.
    const errors = [...report.planFailures.map((f) => ({ ...f, said: true })), ...report.outcomes.flatMap((o) => (o.error ? [{ worker: o.worker, error: o.error, said: false }] : []))];
    for (const { worker, error, said } of errors) {
        const tool = toolStderr(error, masker);
        const stderr = tool ? `${tool.title}:\n\n${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeBlock */ .DV)(tool.text)}` : '';
        if (!said)
            parts.push(`### ${text(worker)}\n\n${text((0,_rollback_js__WEBPACK_IMPORTED_MODULE_2__/* .describeError */ .Uc)(error))}`);
        if (stderr)
            parts.push(said ? `### ${text(worker)}\n\n${stderr}` : stderr);
    }
    if (report.verification) {
        const rows = report.verification.results.map((r) => [
            text(r.url),
            r.healthy ? '✅ healthy' : '❌ unhealthy',
            String(r.attempts),
            r.status === null ? '–' : String(r.status),
            r.healthy ? '' : text(verificationFailure(r))
        ]);
        parts.push(`### Verification\n\n${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .plural */ .LS)(report.verification.attempts, 'attempt')} in ${(0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(report.verification.durationMs)}.`);
        parts.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['URL', 'Verdict', 'Attempts', 'Status', 'Last failure'], rows));
    }
    parts.push(`Took ${(0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(report.durationMs)}${toolTime(report)}.`);
    return `${parts.join('\n\n')}\n`;
}


/***/ })

};
