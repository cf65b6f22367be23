export const id = 500;
export const ids = [500];
export const modules = {

/***/ 9500:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   startRecord: () => (/* binding */ startRecord)
/* harmony export */ });
/* harmony import */ var _deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1791);
// canary-shift's GitHub side, loaded only with github-environment: the canary recorded as a GitHub
// deployment when the shift starts, and its result when it ends. A record that cannot be written is
// a warning: GitHub never changes the shift.

/** promoted: the version is good; rolled back or inconclusive: it is not; stopped (or the step erred): the deploy's own trouble. */
const STATE = { promoted: 'success', 'rolled-back': 'failure', inconclusive: 'failure', stopped: 'error', error: 'error' };
async function startRecord(settings, deployed, hooks, env = process.env) {
    let record;
    const client = (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .githubClient */ .$f)({ token: settings.token });
    const logUrl = (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .runUrl */ .Vp)(env);
    try {
        const repository = (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .runRepository */ .Yk)(env);
        if (!repository)
            throw new Error('GITHUB_REPOSITORY is not set');
        record = await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .recordDeployment */ .dj)(client, {
            repository,
            environment: settings.environment,
            sha: env.GITHUB_SHA ?? '',
            payload: { provider: deployed.provider, worker: deployed.worker, versionId: deployed.canary },
            description: `canary ${deployed.canary} over stable ${deployed.stable}`,
            ...(logUrl ? { logUrl } : {})
        });
        hooks.log(`Recorded as GitHub deployment ${record.id} in ${settings.environment}`);
    }
    catch (error) {
        hooks.warn(`the canary was not recorded on GitHub: ${error.message}`);
    }
    return {
        async finish(result, reason) {
            if (!record)
                return;
            try {
                await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .setDeploymentStatus */ .e9)(client, record, STATE[result], `${result}: ${reason}`);
            }
            catch (error) {
                hooks.warn(`the canary's GitHub deployment ${record.id} was not settled: ${error.message}`);
            }
        }
    };
}


/***/ })

};
