export const id = 891;
export const ids = [891];
export const modules = {

/***/ 2891:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   openGitHub: () => (/* binding */ openGitHub)
/* harmony export */ });
/* harmony import */ var _deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3345);
/* harmony import */ var _deploy_actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2994);
/* harmony import */ var _target_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4233);
// The rollback's GitHub side, loaded only with github-environment: to: last-good read from the
// environment's deployment records, and the rollback recorded there (what it left, and why). A
// record that cannot be written is a warning: GitHub never holds a rollback back.


function openGitHub(settings, hooks, env = process.env) {
    const repository = (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .runRepository */ .Yk)(env);
    if (!repository)
        throw new Error('GITHUB_REPOSITORY is not set: there is no repository to record the deployment in');
    const client = (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .githubClient */ .$f)({ token: settings.token });
    const { environment } = settings;
    const logUrl = (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .runUrl */ .Vp)(env);
    const pending = [];
    return {
        async lastGood({ worker, currentVersionId, isDeployable }) {
            const result = await (0,_deploy_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .findLastKnownGood */ .WK)(client, { repository, environment, worker, provider: settings.provider, currentVersionId, isDeployable });
            hooks.log(`${worker}: read ${result.examined} deployment records of ${environment} in ${result.calls} GitHub calls`);
            if (!result.found) {
                const reasons = [...new Set(result.skipped.map((skipped) => skipped.reason))].slice(0, 4).join('; ');
                throw new _target_js__WEBPACK_IMPORTED_MODULE_2__/* .TargetError */ .I0(`no deployment recorded in ${environment} for ${worker} is a known good version other than what serves now${reasons ? ` (passed over: ${reasons})` : ''}`);
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


/***/ }),

/***/ 2994:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $f: () => (/* binding */ githubClient)
/* harmony export */ });
/* unused harmony exports DELAYS_ENV, isIssueCreation, isCommentCreation */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9584);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1758);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6856);
/* harmony import */ var bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3251);
/* harmony import */ var bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2__);
// The one way the actions talk to GitHub's REST API: @actions/github's octokit with octokit's
// throttling and retry plugins. Rate limits (primary and secondary) are waited out when the wait is
// short, other failures retried with the retry plugin's backoff, except a POST that creates an issue
// or a comment: a 5xx there may come after GitHub did create it, so the call fails instead and the
// caller looks before creating again.





/** The environment variable `delays` defaults from. */
const DELAYS_ENV = 'DEPLOY_ACTIONS_GITHUB_DELAYS';
const DEFAULT_API_URL = 'https://api.github.com';
function githubClient(options) {
    const { token } = options;
    if (token.trim() === '')
        throw new Error('a GitHub token is required');
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(token);
    const retries = options.retries ?? 3;
    const maxWait = options.maxRateLimitWaitSeconds ?? 60;
    const delays = options.delays ?? process.env[DELAYS_ENV] !== 'off';
    const baseUrl = (options.baseUrl ?? (process.env.GITHUB_API_URL || DEFAULT_API_URL)).replace(/\/+$/, '');
    const onLimit = (what) => (retryAfter, request, _octokit, retryCount) => {
        const call = `${request.method} ${request.url}`;
        if (retryCount >= retries) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`GitHub's ${what} stopped ${call} ${retryCount + 1} times; giving up.`);
            return false;
        }
        if (retryAfter > maxWait) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`GitHub's ${what} stopped ${call}; it lifts in ${retryAfter} s, longer than the ${maxWait} s this step waits.`);
            return false;
        }
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`GitHub's ${what} stopped ${call}; trying again in ${delays ? retryAfter : 0} s.`);
        return true;
    };
    // The throttling plugin's pacing lives in Bottleneck groups it shares across clients; a client
    // without delays gets its own, with the same one-at-a-time writes and no minimum gap.
    const unpaced = () => new (bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2___default().Group)({ maxConcurrent: 1, minTime: 0 });
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(token, {
        baseUrl,
        userAgent: options.userAgent ?? 'deploy-actions',
        log: { debug: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message), info: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message), warn: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(message), error: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .error */ .z3(message) },
        throttle: {
            onRateLimit: onLimit('rate limit'),
            onSecondaryRateLimit: onLimit('secondary rate limit'),
            ...(delays ? {} : { retryAfterBaseValue: 0, write: unpaced(), notifications: unpaced(), search: unpaced() })
        },
        retry: { retries, ...(delays ? {} : { retryAfterBaseValue: 0 }) }
    }, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__/* .throttling */ .A, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__/* .retry */ .L);
    octokit.hook.before('request', (request) => {
        if (isIssueCreation(request.method, request.url) || isCommentCreation(request.method, request.url))
            request.request = { ...request.request, retries: 0 };
    });
    return octokit;
}
/** POST /repos/{owner}/{repo}/issues, as a route template or a path, under any API root. */
function isIssueCreation(method, url) {
    return method.toUpperCase() === 'POST' && /^(?:\/api\/v3)?\/repos\/[^/]+\/[^/]+\/issues\/?$/.test(pathOf(url));
}
/** POST /repos/{owner}/{repo}/issues/{issue_number}/comments, as a route template or a path, under any API root. */
function isCommentCreation(method, url) {
    return method.toUpperCase() === 'POST' && /^(?:\/api\/v3)?\/repos\/[^/]+\/[^/]+\/issues\/[^/]+\/comments\/?$/.test(pathOf(url));
}
function pathOf(url) {
    return url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
}


/***/ }),

/***/ 3345:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Vp: () => (/* binding */ runUrl),
/* harmony export */   WK: () => (/* binding */ findLastKnownGood),
/* harmony export */   Yk: () => (/* binding */ runRepository),
/* harmony export */   dj: () => (/* binding */ recordDeployment),
/* harmony export */   e9: () => (/* binding */ setDeploymentStatus)
/* harmony export */ });
/* unused harmony exports MAX_STATUS_DESCRIPTION, statusDescription, readPayload */
// GitHub deployment records for what the actions put live, and the last known good version read back
// from them.
//
// A record is a GitHub deployment of the commit that was deployed, carrying in its payload the
// provider, the worker and the version id (and, for a rollback, what it rolled back from and why),
// with statuses in_progress → success | failure | inactive. GitHub's auto_inactive marks earlier
// successful deployments of a non-production environment inactive when a new one succeeds, so a
// deployment whose statuses end in success, inactive was good and then replaced: it counts as good.
// A failure is never good, and marks its version bad for the older records too, as does a rollback
// away from it: a version rolled back from is not offered again because it once succeeded. An error
// (a deploy stopped or cut short) is not good either, but says nothing of the version.
/** GitHub keeps 140 characters of a status description. */
const MAX_STATUS_DESCRIPTION = 140;
/**
 * Creates the deployment and its in_progress status (two calls). The deployment is a record of what
 * the step does, not a request for one: no auto-merge of the default branch into the ref, and no
 * commit status checks (a rollback deploys an older commit whose checks may be long gone).
 */
async function recordDeployment(client, options) {
    const { repository, environment, sha, payload } = options;
    const description = statusDescription(options.description ?? `${payload.worker} ${payload.versionId}`);
    const created = await client.rest.repos.createDeployment({
        ...repository,
        ref: sha,
        environment,
        payload: { ...payload },
        auto_merge: false,
        required_contexts: [],
        description,
        transient_environment: options.transient ?? false,
        ...(options.production === undefined ? {} : { production_environment: options.production })
    });
    // 202 is GitHub's answer when it merged the default branch instead; auto_merge is off, so only a 201 comes back.
    if (created.status !== 201 || !('id' in created.data))
        throw new Error(`GitHub did not create the deployment: ${created.status} ${JSON.stringify(created.data)}`);
    const recorded = {
        repository,
        id: created.data.id,
        environment: created.data.environment,
        sha: created.data.sha,
        payload,
        createdAt: created.data.created_at,
        ...(options.environmentUrl === undefined ? {} : { environmentUrl: options.environmentUrl }),
        ...(options.logUrl === undefined ? {} : { logUrl: options.logUrl })
    };
    await setDeploymentStatus(client, recorded, 'in_progress', description);
    return recorded;
}
/**
 * Adds a status to a record (one call). Only a success lets GitHub mark the environment's earlier
 * successful deployments inactive: a failure must not take the one still serving off the page.
 */
async function setDeploymentStatus(client, deployment, state, description = '') {
    await client.rest.repos.createDeploymentStatus({
        ...deployment.repository,
        deployment_id: deployment.id,
        state,
        description: statusDescription(description),
        ...(deployment.logUrl ? { log_url: deployment.logUrl } : {}),
        ...(deployment.environmentUrl ? { environment_url: deployment.environmentUrl } : {}),
        auto_inactive: state === 'success'
    });
}
/** One line, cut to GitHub's 140 characters (code points, as GitHub counts them) with an ellipsis. */
function statusDescription(text) {
    const line = [...text.replace(/\s+/g, ' ').trim()];
    return line.length <= MAX_STATUS_DESCRIPTION ? line.join('') : `${line.slice(0, MAX_STATUS_DESCRIPTION - 1).join('')}…`;
}
const PAGE_SIZE = 100;
/**
 * The last known good version of a worker in an environment: pages through the environment's
 * deployments newest first (100 a call) and, only for records that pass the free checks (worker,
 * provider, not the current version, a version not already found bad, deployable), reads the newest
 * two statuses in one call each. Stops at the first good one.
 */
async function findLastKnownGood(client, options) {
    const { repository, environment, worker, provider } = options;
    const limit = options.limit ?? 300;
    const result = { skipped: [], examined: 0, calls: 0 };
    /** Versions found bad in a newer record (a failure, or a rollback away from them), with why. */
    const badVersions = new Map();
    const deployable = new Map();
    let currentVersionId = options.currentVersionId ?? undefined;
    /** Nothing said what serves now: the newest good record is taken to. */
    let lookingForCurrent = options.currentVersionId === undefined;
    const skip = (id, reason, versionId) => result.skipped.push({ id, ...(versionId === undefined ? {} : { versionId }), reason });
    const isDeployable = async (versionId) => {
        if (!deployable.has(versionId))
            deployable.set(versionId, await options.isDeployable(versionId));
        return deployable.get(versionId);
    };
    const pages = client.paginate.iterator(client.rest.repos.listDeployments, { ...repository, environment, per_page: PAGE_SIZE });
    for await (const page of pages) {
        result.calls += 1;
        for (const deployment of page.data) {
            if (result.examined >= limit)
                return result;
            result.examined += 1;
            const payload = readPayload(deployment.payload);
            if (!payload) {
                skip(deployment.id, 'not a deploy-actions record (no provider, worker and version id in its payload)');
                continue;
            }
            const { versionId } = payload;
            // GitHub filters by the environment's name as it is now; a status may have moved a record.
            if (deployment.environment !== environment) {
                skip(deployment.id, `now in environment ${deployment.environment}`, versionId);
                continue;
            }
            if (payload.worker !== worker) {
                skip(deployment.id, `another worker (${payload.worker})`, versionId);
                continue;
            }
            if (provider !== undefined && payload.provider !== provider) {
                skip(deployment.id, `another provider (${payload.provider})`, versionId);
                continue;
            }
            const record = { id: deployment.id, sha: deployment.sha, environment: deployment.environment, payload, createdAt: deployment.created_at };
            // A rollback away from a version judges it, whatever became of the rollback itself.
            const left = payload.rolledBackFrom?.versionId;
            if (left && left !== versionId && !badVersions.has(left))
                badVersions.set(left, `a later rollback (deployment ${deployment.id}) left its version`);
            if (versionId === currentVersionId) {
                result.current ??= record;
                skip(deployment.id, 'the version serving now', versionId);
                continue;
            }
            const bad = badVersions.get(versionId);
            if (bad !== undefined) {
                skip(deployment.id, bad, versionId);
                continue;
            }
            // Asked before the status read only once no good record can be the current one.
            if (!lookingForCurrent && !(await isDeployable(versionId))) {
                skip(deployment.id, 'its version can no longer be deployed', versionId);
                continue;
            }
            const statuses = await client.rest.repos.listDeploymentStatuses({ ...repository, deployment_id: deployment.id, per_page: 2 });
            result.calls += 1;
            const [latest, before] = statuses.data;
            const good = latest?.state === 'success' || (latest?.state === 'inactive' && before?.state === 'success');
            if (latest) {
                // A record GitHub marked inactive keeps its success's description and links.
                const telling = latest.state === 'inactive' && good ? before : latest;
                Object.assign(record, { state: latest.state, description: telling.description ?? '' });
                if (telling.environment_url)
                    record.environmentUrl = telling.environment_url;
                if (telling.log_url)
                    record.logUrl = telling.log_url;
            }
            if (!good) {
                // An error is the deploy's own trouble (stopped, cut short), not a verdict on the version.
                if (latest?.state === 'failure')
                    badVersions.set(versionId, `its version failed later (deployment ${deployment.id})`);
                skip(deployment.id, latest ? `its latest status is ${latest.state}${latest.state === 'inactive' ? ' without a success before it' : ''}` : 'it has no status', versionId);
                continue;
            }
            if (lookingForCurrent) {
                lookingForCurrent = false;
                currentVersionId = versionId;
                result.current = record;
                skip(deployment.id, 'the version serving now', versionId);
                continue;
            }
            if (!(await isDeployable(versionId))) {
                skip(deployment.id, 'its version can no longer be deployed', versionId);
                continue;
            }
            result.found = record;
            return result;
        }
    }
    return result;
}
/** The payload of a record this package wrote (an object, or GitHub's JSON text of one), else undefined. */
function readPayload(payload) {
    let value = payload;
    if (typeof value === 'string') {
        try {
            value = JSON.parse(value);
        }
        catch {
            return undefined;
        }
    }
    if (typeof value !== 'object' || value === null)
        return undefined;
    const { provider, worker, versionId } = value;
    if (typeof provider !== 'string' || typeof worker !== 'string' || typeof versionId !== 'string' || versionId === '')
        return undefined;
    return value;
}
/** The repository this run belongs to (GITHUB_REPOSITORY), if the runner said. */
function runRepository(env = process.env) {
    const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
    return owner && repo && rest.length === 0 ? { owner, repo } : undefined;
}
/** This run's page, at its attempt when known: what a record's log_url points at. */
function runUrl(env = process.env) {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run, GITHUB_RUN_ATTEMPT: attempt } = env;
    if (!server || !repository || !run)
        return undefined;
    return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${run}${attempt ? `/attempts/${attempt}` : ''}`;
}


/***/ })

};
