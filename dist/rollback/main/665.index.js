export const id = 665;
export const ids = [665];
export const modules = {

/***/ 6665:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CloudflareProvider: () => (/* binding */ CloudflareProvider)
});

// UNUSED EXPORTS: DEFAULT_API_BASE_URL, SECRETS_CHANGED_CODE

// EXTERNAL MODULE: ./packages/http/src/index.ts + 3 modules
var src = __webpack_require__(4825);
// EXTERNAL MODULE: ./packages/report/src/index.ts
var report_src = __webpack_require__(8796);
// EXTERNAL MODULE: ./packages/providers/src/types.ts
var types = __webpack_require__(543);
;// CONCATENATED MODULE: ./packages/providers/src/cloudflare-analytics.ts
// The client side of Cloudflare's GraphQL Analytics API for Workers: the one query canary-shift sends
// to learn what each version of a Worker served over a window, and the reading of its answer. The test
// bed's analytics endpoint answers the same query, so the query and its answer have one owner here.
//
// Where the names come from (Cloudflare's schema; nothing here is invented):
// - `viewer { accounts(filter: {accountTag}) { workersInvocationsAdaptive(limit, filter: {scriptName,
//   datetime_geq, datetime_leq}) { sum { requests errors } quantiles { … } dimensions { … } } } }` and
//   the `string` variable types: Cloudflare's tutorial "Querying Workers Metrics with GraphQL",
//   https://developers.cloudflare.com/analytics/graphql-api/tutorials/querying-workers-metrics
// - the `scriptVersion` dimension (the version id) and the `wallTime` quantiles in microseconds:
//   the dataset's field list as exporters of it use it (e.g. immich-app/services,
//   apps/cloudflare-metrics/src/datasets.ts: dimensions `scriptVersion`, quantiles `wallTimeP50`,
//   `wallTimeP99`, exported as `wall_time_us_*`).
// - the quantile levels the dataset has: P25, P50, P75, P90, P99 and P999 (no P95), as every full
//   listing of `workersInvocationsAdaptive` quantiles shows (cpuTime…, duration…, responseBodySize…,
//   wallTime… each at those six levels).
// - the response: `{ data: { viewer: { accounts: [ { workersInvocationsAdaptive: [row…] } ] } },
//   errors: null }`, and on failure `errors: [{ message, path, extensions }]`: the GraphQL Analytics
//   API's "Error responses" page.

/** Rows per answer; one row per version is all the query groups by, so this is never reached. */
const TRAFFIC_QUERY_LIMIT = 10000;
/**
 * The quantile that stands for p95: the dataset has no P95, and P99 is the nearest level that does not
 * understate the tail (a latency gate on it is stricter, never looser, than one on P95).
 */
const TAIL_QUANTILE = 'wallTimeP99';
const MEDIAN_QUANTILE = 'wallTimeP50';
const TRAFFIC_QUERY = `query DeployActionsVersionTraffic($accountTag: string, $scriptName: string, $datetimeStart: string, $datetimeEnd: string) {
  viewer {
    accounts(filter: { accountTag: $accountTag }) {
      workersInvocationsAdaptive(limit: ${TRAFFIC_QUERY_LIMIT}, filter: { scriptName: $scriptName, datetime_geq: $datetimeStart, datetime_leq: $datetimeEnd }) {
        sum { requests errors }
        quantiles { ${MEDIAN_QUANTILE} ${TAIL_QUANTILE} }
        dimensions { scriptVersion }
      }
    }
  }
}`;
/** The request body (`JSON.stringify` it) for POST /client/v4/graphql. */
function buildTrafficQuery(accountId, worker, window) {
    return {
        query: TRAFFIC_QUERY,
        variables: {
            accountTag: accountId,
            scriptName: worker,
            datetimeStart: window.start.toISOString(),
            datetimeEnd: window.end.toISOString()
        }
    };
}
/**
 * What each asked-for version served, from the parsed JSON answer. A version with no row served nothing
 * in the window (requests 0, no latency). A GraphQL error or an answer of another shape throws a
 * ProviderError: an analytics source that cannot be read is an error, never zero traffic.
 */
function parseTrafficResponse(body, versionIds) {
    const answer = body;
    if (answer === null || typeof answer !== 'object') {
        throw new types/* ProviderError */.m('Cloudflare GraphQL answered something that is not a JSON object');
    }
    if (Array.isArray(answer.errors) && answer.errors.length > 0) {
        const messages = answer.errors.map((error) => typeof error?.message === 'string' ? error.message : JSON.stringify(error));
        throw new types/* ProviderError */.m(`Cloudflare GraphQL refused the traffic query: ${messages.join('; ')}`);
    }
    const accounts = answer.data?.viewer?.accounts;
    if (!Array.isArray(accounts)) {
        throw new types/* ProviderError */.m('Cloudflare GraphQL answer has no data.viewer.accounts list');
    }
    if (accounts.length === 0) {
        throw new types/* ProviderError */.m('Cloudflare GraphQL answer has no account: check account-id and the token\'s Account Analytics permission');
    }
    const rows = accounts[0].workersInvocationsAdaptive;
    if (!Array.isArray(rows)) {
        throw new types/* ProviderError */.m('Cloudflare GraphQL answer has no workersInvocationsAdaptive list');
    }
    const traffic = new Map(versionIds.map((id) => [id, { requests: 0, errors: 0, p50Ms: null, p95Ms: null }]));
    for (const row of rows) {
        const versionId = row?.dimensions?.scriptVersion;
        if (typeof versionId !== 'string') {
            throw new types/* ProviderError */.m('Cloudflare GraphQL row has no dimensions.scriptVersion');
        }
        const seen = traffic.get(versionId);
        if (seen === undefined)
            continue;
        const requests = count(row.sum?.requests, 'sum.requests');
        const errors = count(row.sum?.errors, 'sum.errors');
        // One row per version is what the query groups by; should the API split one, counts add up and
        // the slower quantile stands (an upper bound, never an understatement).
        seen.requests += requests;
        seen.errors += errors;
        seen.p50Ms = slower(seen.p50Ms, microsecondsToMs(row.quantiles?.[MEDIAN_QUANTILE], requests));
        seen.p95Ms = slower(seen.p95Ms, microsecondsToMs(row.quantiles?.[TAIL_QUANTILE], requests));
    }
    return traffic;
}
function count(value, field) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        throw new types/* ProviderError */.m(`Cloudflare GraphQL row has no whole ${field} (got ${JSON.stringify(value)})`);
    }
    return value;
}
function microsecondsToMs(value, requests) {
    if (requests === 0 || value === null || value === undefined)
        return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new types/* ProviderError */.m(`Cloudflare GraphQL row has a quantile that is not a duration (got ${JSON.stringify(value)})`);
    }
    return value / 1000;
}
function slower(a, b) {
    if (a === null)
        return b;
    if (b === null)
        return a;
    return Math.max(a, b);
}

// EXTERNAL MODULE: ./packages/providers/src/run.ts
var run = __webpack_require__(6863);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./packages/providers/src/wrangler.ts
// Finding and running wrangler: the workspace's own when it has one (the version its lockfile pins),
// else the version the action names, installed once into a cache folder. Either runs on the runner's
// Node (process.execPath), never through a shell.






const WRANGLER_BIN = external_node_path_default().join('node_modules', 'wrangler', 'bin', 'wrangler.js');
/** node_modules/wrangler/bin/wrangler.js in the directory or the nearest parent that has one. */
function findWorkspaceWrangler(directory) {
    for (let dir = external_node_path_default().resolve(directory);; dir = external_node_path_default().dirname(dir)) {
        const candidate = external_node_path_default().join(dir, WRANGLER_BIN);
        if ((0,external_node_fs_.existsSync)(candidate))
            return candidate;
        if (external_node_path_default().dirname(dir) === dir)
            return undefined;
    }
}
function defaultWranglerCache(env, version) {
    return external_node_path_default().join(env.RUNNER_TOOL_CACHE || (0,external_node_os_.tmpdir)(), 'deploy-actions-wrangler', version);
}
async function resolveWrangler(options) {
    const own = findWorkspaceWrangler(options.workingDirectory);
    if (own)
        return { bin: own, source: 'workspace' };
    const prefix = options.cacheDirectory ?? defaultWranglerCache(options.env, options.version);
    const cached = external_node_path_default().join(prefix, WRANGLER_BIN);
    if ((0,external_node_fs_.existsSync)(cached))
        return { bin: cached, source: 'cache' };
    await (0,promises_.mkdir)(prefix, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const args = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `wrangler@${options.version}`];
    let result;
    try {
        result = await (0,run/* run */.eF)(npm, args, { cwd: prefix, env: options.env });
    }
    catch (error) {
        throw new types/* ProviderError */.m(`could not run npm to install wrangler@${options.version}: ${(0,run/* lastLine */.fM)(error instanceof Error ? error.message : String(error))}`);
    }
    if (result.exitCode !== 0 || !(0,external_node_fs_.existsSync)(cached)) {
        const tail = (0,run/* stderrTail */.be)(result.stderr, options.masker);
        // npm ends with "A complete log of this run can be found in: …"; the reason is its first error line.
        const reason = tail.split('\n').find((line) => /^npm (error|ERR!) (?!code |errno |A complete log)/.test(line)) ?? (0,run/* lastLine */.fM)(tail);
        throw new types/* ProviderError */.m(`npm install wrangler@${options.version} failed${result.exitCode !== 0 ? ` with exit code ${result.exitCode}` : ' to leave bin/wrangler.js'}: ${reason.replace(/^npm (error|ERR!) /, '') || 'no output'}`, undefined, tail || undefined);
    }
    return { bin: cached, source: 'installed' };
}
/** One wrangler run, with its output file in a folder of its own. */
async function runWrangler(bin, args, options) {
    const dir = await (0,promises_.mkdtemp)(external_node_path_default().join((0,external_node_os_.tmpdir)(), 'deploy-actions-wrangler-out-'));
    const outputFile = external_node_path_default().join(dir, 'output.json');
    try {
        const result = await (0,run/* run */.eF)(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...options.env, WRANGLER_OUTPUT_FILE_PATH: outputFile } });
        let output = [];
        try {
            output = (await (0,promises_.readFile)(outputFile, 'utf8'))
                .split('\n')
                .filter((line) => line.trim())
                .map((line) => JSON.parse(line));
        }
        catch {
            // No output file (wrangler failed before writing one): the exit code and stderr tell.
        }
        return { ...result, output };
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
function cloudflareErrorIn(stderr, output = []) {
    const plain = stderr.replace(ANSI, '');
    const coded = /^\s*(.+?)\s*\[code: (\d+)\]\s*$/m.exec(plain);
    const failed = output.find((entry) => entry.type === 'command-failed');
    const code = coded ? Number(coded[2]) : typeof failed?.code === 'number' ? failed.code : undefined;
    if (coded)
        return { code, message: coded[1].replace(/^[✘X▲]?\s*\[ERROR\]\s*/, '') };
    const error = /\[ERROR\]\s*(.+)$/m.exec(plain)?.[1] ?? (typeof failed?.message === 'string' ? failed.message : undefined);
    return { code, message: error?.trim() };
}
/** The secret names in Cloudflare's 10220 message: "… The following secrets have changed: A, B". */
function changedSecrets(message) {
    const marker = 'The following secrets have changed:';
    const at = message?.indexOf(marker) ?? -1;
    if (!message || at < 0)
        return [];
    return message
        .slice(at + marker.length)
        .split(',')
        .map((name) => name.trim().replace(/[.\s]+$/, ''))
        .filter(Boolean);
}

;// CONCATENATED MODULE: ./packages/providers/src/cloudflare.ts
// Cloudflare Workers through the real wrangler (versions, deployments, uploads, splits) and the API
// where wrangler would do something we must not: its non-interactive `rollback` retries with
// `?force=true` when Cloudflare answers 10220 (the target's secrets changed since it was uploaded;
// wrangler-dist/cli.js, handleRollback: confirm2() returns its fallback `true` in a non-interactive
// context, then createDeployment(…, force = true)). So a rollback is our own POST of the deployment
// wrangler would send, without force; only with force: true does wrangler's rollback run.
// Reading the deployments is the GET wrangler's `deployments status|list` make, sent by us: starting
// wrangler costs seconds, and canary-shift reads the deployment again before every shift and before
// restoring stable, so the read would be most of a rollback's time.






const DEFAULT_API_BASE_URL = 'https://api.cloudflare.com/client/v4';
/** Cloudflare: the rollback target's secrets changed since it was uploaded. */
const SECRETS_CHANGED_CODE = 10220;
const API_TIMEOUT_MS = 60_000;
class CloudflareProvider {
    config;
    description;
    toolCalls = [];
    env;
    apiBase;
    masker;
    wrangler;
    constructor(config) {
        this.config = config;
        this.description = `Cloudflare Worker ${config.worker}${config.environment ? ` (environment ${config.environment})` : ''}`;
        this.masker = config.masker ?? new report_src/* Masker */.GX();
        this.masker.add(config.apiToken);
        const base = config.env ?? process.env;
        this.env = { ...base, CLOUDFLARE_API_TOKEN: config.apiToken, CLOUDFLARE_ACCOUNT_ID: config.accountId };
        this.apiBase = (base.CLOUDFLARE_API_BASE_URL || DEFAULT_API_BASE_URL).replace(/\/+$/, '');
    }
    /** The wrangler this provider runs, resolved (and installed if need be) on first use. */
    resolveWrangler() {
        return (this.wrangler ??= resolveWrangler({
            workingDirectory: this.workingDirectory,
            version: this.config.wranglerVersion,
            cacheDirectory: this.config.wranglerCacheDirectory,
            env: this.env,
            masker: this.masker
        }));
    }
    async currentDeployment() {
        const [current] = await this.deployments();
        if (!current)
            throw new types/* ProviderError */.m(`the Worker ${this.config.worker} has no deployments`);
        return current;
    }
    async listDeployments() {
        return this.deployments();
    }
    /** The Worker's deployments, newest first, as the API lists them. */
    async deployments() {
        const answer = await this.api('GET', this.deploymentsPath);
        if (answer.success === false || !Array.isArray(answer.result?.deployments))
            throw this.apiError(`read the deployments of ${this.config.worker}`, answer);
        return answer.result.deployments.map(toDeployment).sort((a, b) => b.createdOn.localeCompare(a.createdOn));
    }
    async listVersions() {
        const list = this.json(await this.run(['versions', 'list', '--json']));
        return list.map(toVersion).sort((a, b) => b.createdOn.localeCompare(a.createdOn) || (b.number ?? 0) - (a.number ?? 0));
    }
    async shift(split, message) {
        checkSplit(split);
        const specs = split.map((share) => `${share.versionId}@${share.percentage}%`);
        const result = await this.run(['versions', 'deploy', ...specs, '--yes', '--message', message]);
        const id = result.output.find((entry) => entry.type === 'version-deploy')?.deployment_id;
        if (typeof id !== 'string')
            return this.currentDeployment();
        return { id, createdOn: new Date().toISOString(), versions: split.map((share) => ({ ...share })), message };
    }
    async rollback(versionId, options) {
        const body = JSON.stringify({
            strategy: 'percentage',
            versions: [{ version_id: versionId, percentage: 100 }],
            annotations: { 'workers/message': options.message }
        });
        const answer = await this.api('POST', this.deploymentsPath, body);
        if (answer.result && answer.success !== false)
            return toDeployment(answer.result);
        const error = answer.errors?.[0];
        if (error?.code === SECRETS_CHANGED_CODE && options.force) {
            // The user said so: wrangler's own rollback, which retries with force=true on exactly this.
            await this.run(['rollback', versionId, '--message', options.message, '--yes']);
            return this.currentDeployment();
        }
        if (error?.code === SECRETS_CHANGED_CODE) {
            const names = changedSecrets(error.message);
            throw new types/* ProviderError */.m(`Cloudflare refused to roll ${this.config.worker} back to ${versionId} (code ${SECRETS_CHANGED_CODE}): ` +
                `${names.length ? `the secrets ${names.join(', ')} changed` : 'secrets changed'} since that version was uploaded, and it would run with their new values. ` +
                'Check that version works with them and roll back with force: true, or roll back to a newer version.', SECRETS_CHANGED_CODE, undefined, names);
        }
        throw this.apiError(`roll ${this.config.worker} back to ${versionId}`, answer);
    }
    async upload(options) {
        const args = ['versions', 'upload'];
        if (options.tag)
            args.push('--tag', options.tag);
        if (options.message)
            args.push('--message', options.message);
        const result = await this.run(args);
        const entry = result.output.find((item) => item.type === 'version-upload');
        const id = typeof entry?.version_id === 'string' ? entry.version_id : /Worker Version ID:\s*([0-9a-f-]{8,})/i.exec(result.stdout)?.[1];
        if (!id) {
            throw new types/* ProviderError */.m(`wrangler versions upload for ${this.config.worker} succeeded but printed no version id: ${(0,run/* lastLine */.fM)(this.masker.mask(result.stdout)) || 'no output'}`);
        }
        const createdOn = typeof entry?.timestamp === 'string' ? entry.timestamp : new Date().toISOString();
        return { id, createdOn, tag: options.tag, message: options.message };
    }
    routeTo(versionId) {
        return { headers: [['Cloudflare-Workers-Version-Overrides', `${this.config.worker}="${versionId}"`]] };
    }
    async traffic(versionIds, window) {
        const query = buildTrafficQuery(this.config.accountId, this.config.worker, window);
        return parseTrafficResponse(await this.api('POST', '/graphql', JSON.stringify(query)), versionIds);
    }
    get deploymentsPath() {
        return `/accounts/${encodeURIComponent(this.config.accountId)}/workers/scripts/${encodeURIComponent(this.config.worker)}/deployments`;
    }
    get workingDirectory() {
        return this.config.workingDirectory ?? process.cwd();
    }
    /** Runs wrangler with the Worker's name (and environment); a failure becomes a ProviderError in Cloudflare's words. */
    async run(args) {
        const { bin } = await this.resolveWrangler();
        const full = [...args, '--name', this.config.worker, ...(this.config.environment ? ['--env', this.config.environment] : [])];
        // `versions deploy`, `deployments status`, `rollback`: the command without its arguments.
        const command = args.slice(0, args[0] === 'rollback' ? 1 : 2).join(' ');
        let result;
        try {
            result = await runWrangler(bin, full, { cwd: this.workingDirectory, env: this.env });
        }
        catch (error) {
            throw new types/* ProviderError */.m(`wrangler ${command} could not start: ${(0,run/* lastLine */.fM)(this.masker.mask(error instanceof Error ? error.message : String(error)))}`);
        }
        this.toolCalls.push({ command, durationMs: result.durationMs, exitCode: result.exitCode });
        if (result.exitCode === 0)
            return result;
        const tail = (0,run/* stderrTail */.be)(result.stderr, this.masker);
        const { code, message } = cloudflareErrorIn(this.masker.mask(result.stderr), result.output);
        const reason = message ? `${(0,report_src/* oneLine */.TN)(message)}${code !== undefined ? ` (Cloudflare code ${code})` : ''}` : (0,run/* lastLine */.fM)(tail) || `exit code ${result.exitCode} and nothing on stderr`;
        const names = code === SECRETS_CHANGED_CODE ? changedSecrets(message) : undefined;
        throw new types/* ProviderError */.m(`wrangler ${command} for ${this.config.worker} failed: ${reason}`, code, tail || undefined, names);
    }
    json(result) {
        const text = result.stdout.trim();
        const start = text.search(/^[[{]/m);
        try {
            return JSON.parse(start > 0 ? text.slice(start) : text);
        }
        catch {
            throw new types/* ProviderError */.m(`wrangler printed no JSON where --json asks for it: ${(0,run/* lastLine */.fM)(this.masker.mask(text)).slice(0, 200) || 'no output'}`);
        }
    }
    /** One JSON request to the API, with the token; the parsed answer, whatever its status. */
    async api(method, path, body) {
        const result = await (0,src/* probe */.dy)(`${this.apiBase}${path}`, {
            method,
            headers: [['Authorization', `Bearer ${this.config.apiToken}`], ...(body === undefined ? [] : [['Content-Type', 'application/json']])],
            body,
            timeoutMs: API_TIMEOUT_MS,
            env: this.env
        });
        if (!result.response)
            throw new types/* ProviderError */.m(`the Cloudflare API (${path}) could not be reached: ${this.masker.mask(result.failure?.message ?? 'no answer')}`);
        const text = result.response.body.toString('utf8');
        try {
            return JSON.parse(text);
        }
        catch {
            throw new types/* ProviderError */.m(`the Cloudflare API (${path}) answered HTTP ${result.response.status} without JSON: ${(0,report_src/* oneLine */.TN)(this.masker.mask(text)).slice(0, 200)}`);
        }
    }
    apiError(action, answer) {
        const error = answer.errors?.[0];
        const words = error?.message ? (0,report_src/* oneLine */.TN)(this.masker.mask(error.message)) : 'no error given';
        return new types/* ProviderError */.m(`Cloudflare refused to ${action}: ${words}${error?.code !== undefined ? ` (code ${error.code})` : ''}`, error?.code);
    }
}
function checkSplit(split) {
    const total = split.reduce((sum, share) => sum + share.percentage, 0);
    if (split.length < 1 || split.length > 2 || Math.abs(total - 100) > 1e-6 || split.some((share) => !(share.percentage >= 0 && share.percentage <= 100))) {
        throw new types/* ProviderError */.m(`a Cloudflare deployment is one or two versions with percentages from 0 to 100 summing to 100, not ${split.map((s) => `${s.versionId}@${s.percentage}%`).join(' ') || 'none'}`);
    }
}
function toDeployment(raw) {
    return {
        id: raw.id,
        createdOn: raw.created_on,
        versions: raw.versions.map((v) => ({ versionId: v.version_id, percentage: v.percentage })),
        message: raw.annotations?.['workers/message'] || undefined,
        author: raw.author_email || raw.source || undefined
    };
}
function toVersion(raw) {
    return {
        id: raw.id,
        number: raw.number,
        createdOn: raw.metadata?.created_on ?? '',
        tag: raw.annotations?.['workers/tag'] || undefined,
        message: raw.annotations?.['workers/message'] || undefined
    };
}


/***/ })

};
