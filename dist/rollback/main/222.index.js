export const id = 222;
export const ids = [222];
export const modules = {

/***/ 6222:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   writeIncident: () => (/* binding */ writeIncident)
/* harmony export */ });
/* harmony import */ var _deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1791);
/* harmony import */ var _deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8796);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(730);
// rollback's incident issue, loaded only with incident-issue: the reason and the run, then the job
// summary's own account of the run (the same renderer: from → to per Worker, verification), written
// by the shared engine, which never throws.



async function writeIncident(settings, workers, reason, report, masker, hooks) {
    const subject = workers.join(', ');
    const account = (link) => {
        const facts = (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['What', ''], [['Reason', (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .cell */ .Hn)(reason)], ['Run', `[${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .cell */ .Hn)(link)}](${link})`]]);
        return `**${subject}** in **${settings.environment}**: a rollback ran.\n\n${facts}\n\n${(0,_summary_js__WEBPACK_IMPORTED_MODULE_2__.renderSummary)(report, masker)}`;
    };
    await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .writeIncidentIssue */ .fv)({ ...settings, subject, account, step: 'rollback', mask: (text) => masker.mask(text) }, hooks);
}


/***/ }),

/***/ 6052:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   describeError: () => (/* binding */ describeError),
/* harmony export */   executePlans: () => (/* binding */ executePlans),
/* harmony export */   planWorker: () => (/* binding */ planWorker),
/* harmony export */   planWorkers: () => (/* binding */ planWorkers)
/* harmony export */ });
/* harmony import */ var node_perf_hooks__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(643);
/* harmony import */ var node_perf_hooks__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_perf_hooks__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _deploy_actions_providers__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1631);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4233);
// Rolls back Workers in the order given. Everything is read first, for every Worker, so a target
// that cannot be found stops the run before anything changes; then each Worker is rolled back in
// turn, and the first failure stops the ones after it (the order is there because they depend on
// the ones before).



/** Nothing known of what serves now. */
const UNKNOWN = { id: '', createdOn: '', versions: [] };
/** What to read of a Worker to find its target: only what the rule needs, in parallel. */
async function planWorker(worker, provider, target, options = {}) {
    if (target.kind === 'last-good')
        return planLastGood(worker, provider, options);
    if (options.blind) {
        if (target.kind !== 'version')
            throw new Error(`to: ${target.kind} needs to know what serves now, which ${provider.description} cannot tell`);
        const resolved = { versionId: target.id, why: 'the version asked for (what serves now is not known)', alreadyServing: false };
        return { worker, provider, current: UNKNOWN, target: resolved, from: options.blind.leaving ?? '' };
    }
    // The history's newest deployment is the one serving: where the history is read, it says both in
    // one call (one wrangler run fewer, the most of a rollback's time).
    const needsHistory = target.kind !== 'version';
    const [deployments, versions, serving] = await Promise.all([
        needsHistory ? provider.listDeployments() : Promise.resolve([]),
        target.kind === 'previous' ? Promise.resolve([]) : provider.listVersions(),
        needsHistory ? Promise.resolve(undefined) : provider.currentDeployment()
    ]);
    const current = serving ?? deployments[0];
    if (!current)
        throw new Error(`${provider.description} has no deployment: there is nothing to roll back from`);
    const resolved = (0,_target_js__WEBPACK_IMPORTED_MODULE_2__/* .resolveTarget */ .u1)(target, current, deployments, versions);
    return { worker, provider, current, target: resolved, from: (0,_target_js__WEBPACK_IMPORTED_MODULE_2__/* .rolledBackFrom */ .qe)(current, resolved.versionId) };
}
async function planLastGood(worker, provider, options) {
    if (!options.lastGood)
        throw new Error('to: last-good needs github-environment');
    const [current, versions] = await Promise.all([
        options.blind ? Promise.resolve(UNKNOWN) : provider.currentDeployment(),
        options.listsVersions ? provider.listVersions() : Promise.resolve(undefined)
    ]);
    const alone = (0,_target_js__WEBPACK_IMPORTED_MODULE_2__/* .servesAlone */ .qI)(current);
    const currentVersionId = options.blind ? options.blind.leaving : current.versions.length > 1 ? null : alone;
    const deployable = versions && new Set(versions.map((version) => version.id));
    const answer = await options.lastGood({ worker, currentVersionId, isDeployable: (versionId) => deployable?.has(versionId) ?? true });
    const resolved = { versionId: answer.versionId, why: answer.why, alreadyServing: alone === answer.versionId };
    const from = options.blind ? (options.blind.leaving ?? '') : (0,_target_js__WEBPACK_IMPORTED_MODULE_2__/* .rolledBackFrom */ .qe)(current, answer.versionId);
    return { worker, provider, current, target: resolved, from, lastGood: answer };
}
/** Plans every Worker; the plans in the order given, or every Worker whose plan failed. */
async function planWorkers(workers, target, options = {}) {
    const settled = await Promise.allSettled(workers.map(({ worker, provider }) => planWorker(worker, provider, target, options)));
    const plans = [];
    const failures = [];
    settled.forEach((result, i) => {
        if (result.status === 'fulfilled')
            plans.push(result.value);
        else
            failures.push({ worker: workers[i].worker, error: asError(result.reason) });
    });
    return { plans, failures };
}
async function executePlans(plans, options) {
    const outcomes = [];
    let stopped = false;
    for (const plan of plans) {
        const base = { worker: plan.worker, before: plan.current.versions, from: plan.from, to: plan.target.versionId };
        if (stopped || options.signal?.aborted) {
            outcomes.push({ ...base, status: 'not-attempted', durationMs: 0 });
            continue;
        }
        if (plan.target.alreadyServing) {
            options.log?.(`${plan.worker}: ${plan.target.versionId} already serves 100 %; nothing to change`);
            outcomes.push({ ...base, status: 'already-serving', deploymentId: plan.current.id, durationMs: 0 });
            continue;
        }
        options.log?.(`${plan.worker}: rolling back from ${(0,_target_js__WEBPACK_IMPORTED_MODULE_2__/* .describeSplit */ .iO)(plan.current.versions) || 'what serves now'} to ${plan.target.versionId}`);
        const started = node_perf_hooks__WEBPACK_IMPORTED_MODULE_0__.performance.now();
        try {
            const deployment = await plan.provider.rollback(plan.target.versionId, { message: options.message, force: options.force });
            const serving = deployment.versions;
            if (serving.length !== 1 || serving[0].versionId !== plan.target.versionId || serving[0].percentage !== 100) {
                throw new Error(`after the rollback the platform reports ${(0,_target_js__WEBPACK_IMPORTED_MODULE_2__/* .describeSplit */ .iO)(serving)} serving, not ${plan.target.versionId} at 100 %`);
            }
            const durationMs = Math.round(node_perf_hooks__WEBPACK_IMPORTED_MODULE_0__.performance.now() - started);
            options.log?.(`${plan.worker}: ${plan.target.versionId} serves 100 % (deployment ${deployment.id}) after ${durationMs} ms`);
            outcomes.push({ ...base, status: 'rolled-back', deploymentId: deployment.id, durationMs });
        }
        catch (error) {
            stopped = true;
            outcomes.push({ ...base, status: 'failed', durationMs: Math.round(node_perf_hooks__WEBPACK_IMPORTED_MODULE_0__.performance.now() - started), error: asError(error) });
        }
    }
    return outcomes;
}
/**
 * Why a Worker could not be rolled back, in one line: the platform's code and words (never a bare
 * exit code; the provider's message carries them, and for changed secrets their names and what to do).
 */
function describeError(error) {
    if (error instanceof _deploy_actions_providers__WEBPACK_IMPORTED_MODULE_1__/* .ProviderError */ .mZ && error.code !== undefined && !error.message.includes(String(error.code)))
        return `${error.message} (code ${error.code})`;
    return error.message;
}
function asError(reason) {
    return reason instanceof Error ? reason : new Error(String(reason));
}


/***/ }),

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
/* harmony import */ var _deploy_actions_providers__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1631);
/* harmony import */ var _deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8796);
/* harmony import */ var _rollback_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6052);
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
    return masker.mask((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .oneLine */ .TN)(`${worker}: ${(0,_rollback_js__WEBPACK_IMPORTED_MODULE_3__.describeError)(error)}`));
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
        return `## ❌ Rollback failed at ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .cell */ .Hn)(failed.worker)}`;
    if (report.cancelled) {
        const left = report.outcomes.filter((o) => o.status === 'not-attempted').length;
        return `## ⏹️ Rollback cancelled${left > 0 ? `: ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .plural */ .LS)(left, 'Worker')} not attempted` : ' before verification ended'}`;
    }
    const names = report.outcomes.map((o) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .cell */ .Hn)(o.worker)).join(', ');
    if (report.verified === 'false')
        return `## ❌ Rolled back ${names}, but verification failed`;
    return `## ✅ Rolled back ${names}${report.verified === 'true' ? ', verified' : ''}`;
}
/** `; wrangler ran 3 times, 2.1s in all` (runs at once overlap, so their sum may pass the step's time). */
function toolTime(report) {
    const tool = report.tool;
    return tool && tool.calls > 0 ? `; ${tool.name} ran ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .plural */ .LS)(tool.calls, 'time')}, ${(0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(tool.durationMs)} in all` : '';
}
/** The tool a provider error came from, as its message names it (`wrangler deployments status …`, `rollback-command …`). */
function toolOf(error) {
    return /^(wrangler|[a-z]+-command)\b/.exec(error.message)?.[1] ?? 'the tool';
}
/** What the tool behind an error wrote to stderr, with a title naming it; undefined when it wrote nothing. */
function toolStderr(error, masker) {
    return error instanceof _deploy_actions_providers__WEBPACK_IMPORTED_MODULE_1__/* .ProviderError */ .mZ && error.stderr ? { title: `What ${toolOf(error)} wrote to stderr`, text: masker.mask(error.stderr) } : undefined;
}
function renderSummary(report, masker) {
    const text = (value) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .cell */ .Hn)(masker.mask(value));
    const code = (value) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .codeSpan */ .SS)(masker.mask(value), { inTable: true });
    const parts = [headline(report)];
    if (report.planFailures.length > 0) {
        parts.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .table */ .tp)(['Worker', 'Why'], report.planFailures.map((f) => [text(f.worker), text((0,_rollback_js__WEBPACK_IMPORTED_MODULE_3__.describeError)(f.error))])));
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
        parts.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .table */ .tp)(['Worker', 'Result', 'From', 'To', 'Deployment', 'Verified', 'Time'], rows));
    }
    // The plan failures' reasons are in their table already; a failed rollback's is said here.
    const errors = [...report.planFailures.map((f) => ({ ...f, said: true })), ...report.outcomes.flatMap((o) => (o.error ? [{ worker: o.worker, error: o.error, said: false }] : []))];
    for (const { worker, error, said } of errors) {
        const tool = toolStderr(error, masker);
        const stderr = tool ? `${tool.title}:\n\n${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .codeBlock */ .DV)(tool.text)}` : '';
        if (!said)
            parts.push(`### ${text(worker)}\n\n${text((0,_rollback_js__WEBPACK_IMPORTED_MODULE_3__.describeError)(error))}`);
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
        parts.push(`### Verification\n\n${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .plural */ .LS)(report.verification.attempts, 'attempt')} in ${(0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(report.verification.durationMs)}.`);
        parts.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_2__/* .table */ .tp)(['URL', 'Verdict', 'Attempts', 'Status', 'Last failure'], rows));
    }
    parts.push(`Took ${(0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(report.durationMs)}${toolTime(report)}.`);
    return `${parts.join('\n\n')}\n`;
}


/***/ })

};
