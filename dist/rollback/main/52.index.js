export const id = 52;
export const ids = [52];
export const modules = {

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

/***/ 4233:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I0: () => (/* binding */ TargetError),
/* harmony export */   iO: () => (/* binding */ describeSplit),
/* harmony export */   qI: () => (/* binding */ servesAlone),
/* harmony export */   qe: () => (/* binding */ rolledBackFrom),
/* harmony export */   u1: () => (/* binding */ resolveTarget)
/* harmony export */ });
/** The state of things does not allow the rollback asked for. Its message is the one line a user sees. */
class TargetError extends Error {
    name = 'TargetError';
}
/** `a1b2c3d4 100 %`, `a1b2c3d4 75 % + e5f6a7b8 25 %`: a split as a user reads it. */
function describeSplit(versions) {
    return versions.map((v) => `${v.versionId} ${v.percentage} %`).join(' + ');
}
function servesAlone(deployment) {
    const [only, ...rest] = deployment.versions;
    return only && rest.length === 0 && only.percentage === 100 ? only.versionId : undefined;
}
/**
 * `current` serves now; `deployments` is the history, newest first (it may include `current`, which
 * is recognised by its id); `versions` every uploaded version, newest first.
 */
function resolveTarget(target, current, deployments, versions) {
    const earlier = deployments.filter((d) => d.id !== current.id);
    const currentAlone = servesAlone(current);
    const serving = describeSplit(current.versions);
    switch (target.kind) {
        case 'previous': {
            // A split is not a known good state, and a deployment of the version serving now would change nothing.
            const found = earlier.find((d) => {
                const alone = servesAlone(d);
                return alone !== undefined && alone !== currentAlone;
            });
            if (!found)
                throw new TargetError(`no earlier deployment served one version at 100 % other than what serves now (${serving}): there is nothing to roll back to`);
            return { versionId: servesAlone(found), why: `the previous deployment serving one version at 100 % (${found.id}, ${found.createdOn})`, alreadyServing: false };
        }
        case 'version': {
            if (!versions.some((v) => v.id === target.id)) {
                const newest = versions.slice(0, 3).map((v) => v.id);
                throw new TargetError(`version ${target.id} is not one of this Worker's versions${newest.length > 0 ? ` (the newest: ${newest.join(', ')})` : ''}`);
            }
            return { versionId: target.id, why: 'the version asked for', alreadyServing: currentAlone === target.id };
        }
        case 'last-good':
            throw new TargetError('to: last-good is decided from GitHub\'s deployment records, not from the platform\'s history');
        case 'stable': {
            if (current.versions.length < 2) {
                // No split: the version serving alone is stable unless it is the named canary.
                if (target.canary !== undefined && currentAlone !== undefined && currentAlone !== target.canary) {
                    return { versionId: currentAlone, why: `the version that is not the canary ${target.canary}; it already serves alone`, alreadyServing: true };
                }
                throw new TargetError(`to: stable needs a split (two versions serving), but ${serving} serves${currentAlone === target.canary ? ', which is the canary' : ''}; use to: previous or a version id`);
            }
            const ids = current.versions.map((v) => v.versionId);
            if (target.canary !== undefined) {
                if (!ids.includes(target.canary))
                    throw new TargetError(`the canary-version ${target.canary} is not in the current split (${serving})`);
                return { versionId: ids.find((id) => id !== target.canary), why: `the version of the split that is not the canary ${target.canary}`, alreadyServing: false };
            }
            // The version that served alone most recently before the split is the one the split started from.
            const before = earlier.map(servesAlone).find((id) => id !== undefined && ids.includes(id));
            if (before)
                return { versionId: before, why: 'the version of the split that last served 100 % on its own', alreadyServing: false };
            const created = (id) => Date.parse(versions.find((v) => v.id === id)?.createdOn ?? '') || Number.POSITIVE_INFINITY;
            const older = [...ids].sort((a, b) => created(a) - created(b))[0];
            return { versionId: older, why: 'the older version of the split (neither served 100 % on its own before)', alreadyServing: false };
        }
    }
}
/**
 * The version a rollback leaves: the one with the most traffic that is not the target (the canary
 * when going back to stable); the target itself when nothing changes.
 */
function rolledBackFrom(current, targetId) {
    const others = current.versions.filter((v) => v.versionId !== targetId).sort((a, b) => b.percentage - a.percentage);
    return others[0]?.versionId ?? targetId;
}


/***/ })

};
