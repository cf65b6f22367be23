export const id = 583;
export const ids = [583];
export const modules = {

/***/ 7583:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CommandProvider: () => (/* binding */ CommandProvider)
/* harmony export */ });
/* unused harmony export parseStatus */
/* harmony import */ var _arguments_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5458);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2082);
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6863);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(543);
// Any platform, through the user's own commands: shift-command sets the split, rollback-command puts
// one version back at 100 %, status-command (optional) prints the split now.
//
// Without status-command the provider cannot see the platform: currentDeployment() answers with what
// this run last set (stable at 100 % before the first shift), so a change made by someone else
// during the run goes unnoticed, and listDeployments() knows only this run's own deployments.




class CommandProvider {
    config;
    description = 'command provider';
    toolCalls = [];
    templates = {};
    /** This run's deployments, newest first; the first one is what the run found (assumed). */
    history;
    startedAt = new Date();
    constructor(config) {
        this.config = config;
        if (config.shiftCommand !== undefined)
            this.templates.shiftCommand = (0,_arguments_js__WEBPACK_IMPORTED_MODULE_0__/* .splitArguments */ .vj)(_config_js__WEBPACK_IMPORTED_MODULE_1__/* .COMMAND_INPUTS */ .G.shiftCommand, config.shiftCommand);
        this.templates.rollbackCommand = (0,_arguments_js__WEBPACK_IMPORTED_MODULE_0__/* .splitArguments */ .vj)(_config_js__WEBPACK_IMPORTED_MODULE_1__/* .COMMAND_INPUTS */ .G.rollbackCommand, config.rollbackCommand);
        if (config.statusCommand?.trim())
            this.templates.statusCommand = (0,_arguments_js__WEBPACK_IMPORTED_MODULE_0__/* .splitArguments */ .vj)(_config_js__WEBPACK_IMPORTED_MODULE_1__/* .COMMAND_INPUTS */ .G.statusCommand, config.statusCommand);
        this.history = [deploymentOf([{ versionId: config.stableVersion, percentage: 100 }], this.startedAt, 'assumed at the start of the run')];
    }
    async currentDeployment() {
        if (!this.templates.statusCommand)
            return this.history[0];
        const { stdout } = await this.runTemplate('statusCommand', { canary: this.config.canaryVersion, stable: this.config.stableVersion, percentage: '' });
        return parseStatus(this.config.masker ? this.config.masker.mask(stdout) : stdout);
    }
    async listDeployments() {
        if (!this.templates.statusCommand)
            return [...this.history];
        const current = await this.currentDeployment();
        return current.id === this.history[0].id ? [...this.history] : [current, ...this.history];
    }
    async listVersions() {
        const createdOn = this.startedAt.toISOString();
        const names = [...new Set([this.config.canaryVersion, this.config.stableVersion])];
        return names.map((id) => ({ id, createdOn }));
    }
    async shift(split, message) {
        const { canaryVersion: canary, stableVersion: stable } = this.config;
        const unknown = split.find((share) => share.versionId !== canary && share.versionId !== stable);
        if (unknown)
            throw new _types_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .m(`the command provider shifts only between ${canary} (canary) and ${stable} (stable), not ${unknown.versionId}`);
        if (!this.templates.shiftCommand)
            throw new _types_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .m(`the command provider has no ${_config_js__WEBPACK_IMPORTED_MODULE_1__/* .COMMAND_INPUTS */ .G.shiftCommand} to set a split with`);
        const percentage = split.find((share) => share.versionId === canary)?.percentage ?? 0;
        await this.runTemplate('shiftCommand', { canary, stable, percentage: String(percentage) });
        return this.record(split, message);
    }
    async rollback(versionId, options) {
        const canary = this.config.canaryVersion;
        await this.runTemplate('rollbackCommand', { canary, stable: versionId, percentage: versionId === canary ? '100' : '0' });
        return this.record([{ versionId, percentage: 100 }], options.message);
    }
    routeTo(versionId) {
        const url = versionId === this.config.canaryVersion ? this.config.canaryUrl : versionId === this.config.stableVersion ? this.config.stableUrl : undefined;
        return url ? { url, headers: [] } : { headers: [] };
    }
    async record(split, message) {
        const deployment = this.templates.statusCommand ? await this.currentDeployment() : deploymentOf(split, new Date(), message);
        this.history.unshift(deployment);
        return deployment;
    }
    async runTemplate(input, values) {
        const name = _config_js__WEBPACK_IMPORTED_MODULE_1__/* .COMMAND_INPUTS */ .G[input];
        const [tool, ...args] = (0,_arguments_js__WEBPACK_IMPORTED_MODULE_0__/* .fillArguments */ .Ax)(this.templates[input], values);
        const masker = this.config.masker;
        let result;
        try {
            result = await (0,_run_js__WEBPACK_IMPORTED_MODULE_2__/* .run */ .eF)(tool, args, { cwd: this.config.workingDirectory, env: this.config.env });
        }
        catch (error) {
            // @actions/exec throws before starting: the tool is not there or not executable.
            const reason = error instanceof Error ? error.message : String(error);
            throw new _types_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .m(`${name} could not start ${tool}: ${(0,_run_js__WEBPACK_IMPORTED_MODULE_2__/* .lastLine */ .fM)(masker ? masker.mask(reason) : reason)}`);
        }
        this.toolCalls.push({ command: name, durationMs: result.durationMs, exitCode: result.exitCode });
        if (result.exitCode !== 0) {
            const tail = (0,_run_js__WEBPACK_IMPORTED_MODULE_2__/* .stderrTail */ .be)(result.stderr, masker);
            const said = (0,_run_js__WEBPACK_IMPORTED_MODULE_2__/* .lastLine */ .fM)(tail) || (0,_run_js__WEBPACK_IMPORTED_MODULE_2__/* .lastLine */ .fM)(masker ? masker.mask(result.stdout) : result.stdout);
            throw new _types_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .m(`${name} failed with exit code ${result.exitCode}${said ? `: ${said}` : ' and printed nothing'}`, undefined, tail || undefined);
        }
        return result;
    }
}
/** A deployment id for a split without one: equal splits, equal ids, so a change shows as a new id. */
function splitId(versions) {
    return versions.map((share) => `${share.versionId}@${share.percentage}%`).join(' ');
}
function deploymentOf(versions, at, message) {
    return { id: splitId(versions), createdOn: at.toISOString(), versions, message };
}
const STATUS_FORM = '{"versions": [{"version": "<name>", "percentage": <0-100>}, ...]} or that array alone, or a Lambda alias as aws lambda get-alias prints it';
/**
 * A Lambda alias as `aws lambda get-alias` prints it: `FunctionVersion` serves what the
 * `RoutingConfig.AdditionalVersionWeights` (weights from 0 to 1) leave, so a status-command can be
 * get-alias itself. Shares are rounded to a hundredth of a percent, as a weight has four decimals.
 */
function aliasSplit(record) {
    if (typeof record.FunctionVersion !== 'string')
        return undefined;
    const routing = (record.RoutingConfig ?? {});
    const weights = (routing.AdditionalVersionWeights ?? {});
    const further = Object.entries(weights).map(([version, weight]) => ({ version, percentage: typeof weight === 'number' ? Math.round(weight * 10_000) / 100 : weight }));
    const rest = further.reduce((sum, share) => sum - (typeof share.percentage === 'number' ? share.percentage : 0), 100);
    return [{ version: record.FunctionVersion, percentage: Math.round(rest * 100) / 100 }, ...further];
}
/** The split status-command printed (its last JSON document, so a chatty script still works). */
function parseStatus(stdout) {
    const text = stdout.trim();
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        const start = text.search(/^[[{]/m);
        try {
            parsed = start >= 0 ? JSON.parse(text.slice(start)) : undefined;
        }
        catch {
            parsed = undefined;
        }
    }
    const record = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
    const list = Array.isArray(parsed) ? parsed : (record?.versions ?? (record ? aliasSplit(record) : undefined));
    const versions = [];
    if (Array.isArray(list)) {
        for (const entry of list) {
            const item = (entry ?? {});
            const versionId = item.version ?? item.versionId ?? item.version_id;
            const percentage = typeof item.percentage === 'string' ? Number(item.percentage) : item.percentage;
            if (typeof versionId !== 'string' || typeof percentage !== 'number' || !(percentage >= 0 && percentage <= 100)) {
                versions.length = 0;
                break;
            }
            versions.push({ versionId, percentage });
        }
    }
    const total = versions.reduce((sum, share) => sum + share.percentage, 0);
    if (versions.length === 0 || Math.abs(total - 100) > 0.01) {
        const shown = (0,_run_js__WEBPACK_IMPORTED_MODULE_2__/* .lastLine */ .fM)(text).slice(0, 120) || 'nothing';
        throw new _types_js__WEBPACK_IMPORTED_MODULE_3__/* .ProviderError */ .m(`${_config_js__WEBPACK_IMPORTED_MODULE_1__/* .COMMAND_INPUTS */ .G.statusCommand} printed ${JSON.stringify(shown)}, not a split; expected ${STATUS_FORM}; percentages summing to 100`);
    }
    const id = typeof record?.id === 'string' ? record.id : splitId(versions);
    const createdOn = record?.createdOn ?? record?.created_on;
    return { id, createdOn: typeof createdOn === 'string' ? createdOn : new Date().toISOString(), versions };
}


/***/ }),

/***/ 6863:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   be: () => (/* binding */ stderrTail),
/* harmony export */   eF: () => (/* binding */ run),
/* harmony export */   fM: () => (/* binding */ lastLine)
/* harmony export */ });
/* harmony import */ var _deploy_actions_report__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8796);
// One tool run through @actions/exec: an argument array (no shell), output captured and not echoed
// (what a tool prints may hold a credential; callers mask what they show), the exit code returned
// rather than thrown so the caller can say what went wrong in the platform's own words.

/**
 * @actions/exec parses its first argument as a command line (spaces split it, double quotes group),
 * so a tool path with spaces is quoted for it; the arguments are passed as they are.
 */
function toolForExec(tool) {
    return /[\s"]/.test(tool) ? `"${tool.replace(/"/g, '\\"')}"` : tool;
}
async function run(tool, args, options = {}) {
    const { getExecOutput } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 2876));
    const env = Object.fromEntries(Object.entries(options.env ?? process.env).filter((entry) => entry[1] !== undefined));
    const started = performance.now();
    const result = await getExecOutput(toolForExec(tool), [...args], {
        cwd: options.cwd,
        env,
        silent: true,
        ignoreReturnCode: true,
        ...(options.input !== undefined ? { input: Buffer.from(options.input) } : {})
    });
    return { ...result, durationMs: performance.now() - started };
}
/** The last lines a tool wrote to stderr, masked, for an error's detail (ANSI colours removed). */
function stderrTail(stderr, masker, lines = 12) {
    const plain = stderr.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    const kept = plain.split(/\r?\n/).map((line) => line.trimEnd()).filter((line) => line.trim() !== '').slice(-lines).join('\n');
    return masker ? masker.mask(kept) : kept;
}
/** The last non-empty line of a tool's output, on one line, for a one-line error message. */
function lastLine(text) {
    return (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(text.split(/\r?\n/).filter((line) => line.trim() !== '').at(-1) ?? '');
}


/***/ })

};
