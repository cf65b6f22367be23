export const id = 891;
export const ids = [891];
export const modules = {

/***/ 2891:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   openGitHub: () => (/* binding */ openGitHub)
/* harmony export */ });
/* harmony import */ var _deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1791);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4233);
// The rollback's GitHub side, loaded only with github-environment: to: last-good read from the
// environment's deployment records, and the rollback recorded there (what it left, and why). A
// record that cannot be written is a warning: GitHub never holds a rollback back.


function openGitHub(settings, hooks, env = process.env) {
    const repository = (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .runRepository */ .Yk)(env);
    if (!repository)
        throw new Error('GITHUB_REPOSITORY is not set: there is no repository to record the deployment in');
    const client = (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .githubClient */ .$f)({ token: settings.token });
    const { environment } = settings;
    const logUrl = (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .runUrl */ .Vp)(env);
    const pending = [];
    return {
        async lastGood({ worker, currentVersionId, isDeployable }) {
            const result = await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .findLastKnownGood */ .WK)(client, { repository, environment, worker, provider: settings.provider, currentVersionId, isDeployable });
            hooks.log(`${worker}: read ${result.examined} deployment records of ${environment} in ${result.calls} GitHub calls`);
            if (!result.found) {
                const reasons = [...new Set(result.skipped.map((skipped) => skipped.reason))].slice(0, 4).join('; ');
                throw new _target_js__WEBPACK_IMPORTED_MODULE_1__/* .TargetError */ .I0(`no deployment recorded in ${environment} for ${worker} is a known good version other than what serves now${reasons ? ` (passed over: ${reasons})` : ''}`);
            }
            const { found, current } = result;
            return {
                versionId: found.payload.versionId,
                why: `the last known good deployment recorded in ${environment} (GitHub deployment ${found.id}, ${found.createdAt})`,
                sha: found.sha,
                ...(current ? { fromRecordId: current.id } : {})
            };
        },
        async record(plans, outcomes, message) {
            for (const outcome of outcomes) {
                if (outcome.status !== 'rolled-back' && outcome.status !== 'failed')
                    continue;
                const plan = plans.find((candidate) => candidate.worker === outcome.worker);
                const fromRecordId = plan.lastGood?.fromRecordId;
                try {
                    const record = await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .recordDeployment */ .dj)(client, {
                        repository,
                        environment,
                        sha: plan.lastGood?.sha ?? env.GITHUB_SHA ?? '',
                        payload: {
                            provider: settings.provider,
                            worker: outcome.worker,
                            versionId: outcome.to,
                            ...(outcome.from ? { rolledBackFrom: { versionId: outcome.from, ...(fromRecordId ? { deploymentId: fromRecordId } : {}) } } : {}),
                            reason: message
                        },
                        description: `rollback of ${outcome.worker} from ${outcome.from || 'what served'} to ${outcome.to}`,
                        ...(logUrl ? { logUrl } : {})
                    });
                    hooks.log(`${outcome.worker}: recorded as GitHub deployment ${record.id} in ${environment}`);
                    if (outcome.status === 'failed')
                        await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .setDeploymentStatus */ .e9)(client, record, 'failure', `rollback failed: ${outcome.error?.message ?? ''}`);
                    else
                        pending.push({ record, worker: outcome.worker, to: outcome.to });
                    // The version left is judged: its own record says so too.
                    if (outcome.status === 'rolled-back' && fromRecordId) {
                        await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .setDeploymentStatus */ .e9)(client, { repository, id: fromRecordId, ...(logUrl ? { logUrl } : {}) }, 'failure', `rolled back to ${outcome.to}: ${message}`);
                    }
                }
                catch (error) {
                    hooks.warn(`${outcome.worker}: the rollback was not recorded on GitHub: ${error.message}`);
                }
            }
        },
        async settle(verified) {
            for (const { record, worker, to } of pending.splice(0)) {
                try {
                    if (verified === 'false')
                        await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .setDeploymentStatus */ .e9)(client, record, 'failure', `${to} serves, but verification failed`);
                    else
                        await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .setDeploymentStatus */ .e9)(client, record, 'success', verified === 'true' ? `${to} serves 100 %, verified` : `${to} serves 100 %`);
                }
                catch (error) {
                    hooks.warn(`${worker}: the rollback's GitHub deployment ${record.id} was not settled: ${error.message}`);
                }
            }
        }
    };
}


/***/ })

};
