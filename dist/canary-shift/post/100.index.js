export const id = 100;
export const ids = [100];
export const modules = {

/***/ 100:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openProvider: () => (/* binding */ openProvider)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./packages/inputs/src/index.ts
var src = __webpack_require__(9247);
// EXTERNAL MODULE: ./packages/providers/src/arguments.ts
var src_arguments = __webpack_require__(5458);
// EXTERNAL MODULE: ./packages/providers/src/config.ts
var src_config = __webpack_require__(2082);
// EXTERNAL MODULE: ./packages/providers/src/run.ts
var run = __webpack_require__(6863);
// EXTERNAL MODULE: ./packages/providers/src/types.ts
var types = __webpack_require__(543);
;// CONCATENATED MODULE: ./packages/providers/src/command.ts
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
    /** Each command's program as findPrograms() found it: what runs. */
    programs = {};
    /** This run's deployments, newest first; the first one is what the run found (assumed). */
    history;
    startedAt = new Date();
    constructor(config) {
        this.config = config;
        if (config.shiftCommand !== undefined)
            this.templates.shiftCommand = (0,src_arguments/* splitArguments */.vj)(src_config/* COMMAND_INPUTS */.G.shiftCommand, config.shiftCommand);
        this.templates.rollbackCommand = (0,src_arguments/* splitArguments */.vj)(src_config/* COMMAND_INPUTS */.G.rollbackCommand, config.rollbackCommand);
        if (config.statusCommand?.trim())
            this.templates.statusCommand = (0,src_arguments/* splitArguments */.vj)(src_config/* COMMAND_INPUTS */.G.statusCommand, config.statusCommand);
        this.history = [deploymentOf([{ versionId: config.stableVersion, percentage: 100 }], this.startedAt, 'assumed at the start of the run')];
    }
    /**
     * Finds each command's program before any command runs, as @actions/exec would find it (io.which:
     * a bare name on PATH, a path from the working directory), so that a program that is not there
     * fails the step before anything changed: a canary shifted with no rollback-command to put stable
     * back, say. A program named by a placeholder is left to the run.
     */
    async findPrograms() {
        const { which } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 8701));
        const lookups = new Map();
        await Promise.all(Object.keys(this.templates).map(async (input) => {
            const program = this.templates[input][0];
            if ((0,src_arguments/* hasPlaceholder */.Kc)(program))
                return;
            const isPath = external_node_path_default().isAbsolute(program) || program.includes('/') || program.includes((external_node_path_default()).sep);
            const candidate = isPath ? external_node_path_default().resolve(this.config.workingDirectory ?? process.cwd(), program) : program;
            if (!lookups.has(candidate))
                lookups.set(candidate, which(candidate, false));
            const found = await lookups.get(candidate);
            if (!found) {
                throw new src/* InputError */.dz(src_config/* COMMAND_INPUTS */.G[input], `its program ${JSON.stringify(program)} ${isPath ? 'is not there' : 'is not on PATH'} or is not executable, so no command was run`, 'a program on PATH, or the path of an executable file (relative to working-directory)');
            }
            this.programs[input] = found;
        }));
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
            throw new types/* ProviderError */.m(`the command provider shifts only between ${canary} (canary) and ${stable} (stable), not ${unknown.versionId}`);
        if (!this.templates.shiftCommand)
            throw new types/* ProviderError */.m(`the command provider has no ${src_config/* COMMAND_INPUTS */.G.shiftCommand} to set a split with`);
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
        const name = src_config/* COMMAND_INPUTS */.G[input];
        const [tool, ...args] = (0,src_arguments/* fillArguments */.Ax)(this.templates[input], values);
        const masker = this.config.masker;
        let result;
        try {
            result = await (0,run/* run */.eF)(this.programs[input] ?? tool, args, { cwd: this.config.workingDirectory, env: this.config.env });
        }
        catch (error) {
            // @actions/exec throws before starting: the tool is not there or not executable.
            const reason = error instanceof Error ? error.message : String(error);
            throw new types/* ProviderError */.m(`${name} could not start ${tool}: ${(0,run/* lastLine */.fM)(masker ? masker.mask(reason) : reason)}`);
        }
        this.toolCalls.push({ command: name, durationMs: result.durationMs, exitCode: result.exitCode });
        if (result.exitCode !== 0) {
            const tail = (0,run/* stderrTail */.be)(result.stderr, masker);
            const said = (0,run/* lastLine */.fM)(tail) || (0,run/* lastLine */.fM)(masker ? masker.mask(result.stdout) : result.stdout);
            throw new types/* ProviderError */.m(`${name} failed with exit code ${result.exitCode}${said ? `: ${said}` : ' and printed nothing'}`, undefined, tail || undefined);
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
        const shown = (0,run/* lastLine */.fM)(text).slice(0, 120) || 'nothing';
        throw new types/* ProviderError */.m(`${src_config/* COMMAND_INPUTS */.G.statusCommand} printed ${JSON.stringify(shown)}, not a split; expected ${STATUS_FORM}; percentages summing to 100`);
    }
    const id = typeof record?.id === 'string' ? record.id : splitId(versions);
    const createdOn = record?.createdOn ?? record?.created_on;
    return { id, createdOn: typeof createdOn === 'string' ? createdOn : new Date().toISOString(), versions };
}

;// CONCATENATED MODULE: ./packages/providers/src/factory.ts

/**
 * The provider an action's config names. The Cloudflare provider (wrangler, its API client, the
 * analytics) is loaded only when asked for, so an action bundle carries it only into runs that use
 * it. The command provider is small and part of the entry: a run that uses it reaches its first
 * command without reading and compiling a chunk first. It comes back with its commands' programs
 * found, or throws an InputError naming the command whose program is not there.
 */
async function createProvider(config) {
    switch (config.provider) {
        case 'cloudflare': {
            const { CloudflareProvider } = await __webpack_require__.e(/* import() */ 665).then(__webpack_require__.bind(__webpack_require__, 6665));
            return new CloudflareProvider(config);
        }
        case 'command': {
            const provider = new CommandProvider(config);
            await provider.findPrograms();
            return provider;
        }
    }
}

;// CONCATENATED MODULE: ./actions/canary-shift/src/provider.ts
// The provider this step's inputs name, opened through @deploy-actions/providers, whose factory
// loads the Cloudflare or the command provider only when asked for.

async function openProvider(settings, masker) {
    return createProvider({ ...settings, masker, env: process.env });
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
    const { getExecOutput } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 7187));
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


/***/ }),

/***/ 543:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ ProviderError)
/* harmony export */ });
// What canary-shift and rollback need from a platform, whatever the platform is. Cloudflare Workers
// implement it through wrangler (and the API for what wrangler does not expose); any other platform
// through the user's own commands.
/** A platform said no. One line, with the platform's own code and words, and what the tool printed. */
class ProviderError extends Error {
    code;
    stderr;
    names;
    constructor(message, 
    /** The platform's error code, e.g. Cloudflare's 10220. */
    code, 
    /** The last lines the tool wrote to stderr, already masked by the caller's masker. */
    stderr, 
    /** Names of things the error is about (e.g. the changed secrets on 10220). */
    names) {
        super(message);
        this.code = code;
        this.stderr = stderr;
        this.names = names;
        this.name = 'ProviderError';
    }
}


/***/ })

};
