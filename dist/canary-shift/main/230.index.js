export const id = 230;
export const ids = [230];
export const modules = {

/***/ 2230:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runSmoke: () => (/* binding */ runSmoke)
/* harmony export */ });
/* unused harmony export smokeBundle */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7187);
// The optional smoke-test at the first step (0 % when there is one): smoke-test's own bundle, run
// as a child process with its inputs as INPUT_* variables, aimed at the canary by the route's URL
// and headers. Its outputs, summary and state go to files of its own, so they never mix with this
// step's; its log lines are passed on prefixed, so its workflow commands stay its own.





/** dist/smoke-test/main/index.js, beside this bundle's dist/canary-shift/main/. */
function smokeBundle() {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)((0,node_url__WEBPACK_IMPORTED_MODULE_3__.fileURLToPath)(import.meta.url)), '..', '..', 'smoke-test', 'main', 'index.js');
}
async function runSmoke(options) {
    const dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(process.env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)(), 'canary-smoke-'));
    try {
        for (const file of ['output', 'summary', 'state', 'env', 'path'])
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, file), '');
        const headers = [...options.headers, ...options.route.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
        const env = {};
        for (const [name, value] of Object.entries(process.env))
            if (value !== undefined && !name.startsWith('INPUT_'))
                env[name] = value;
        Object.assign(env, {
            INPUT_SPEC: options.spec,
            'INPUT_BASE-URL': options.baseUrl,
            INPUT_HEADERS: headers,
            GITHUB_OUTPUT: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'output'),
            GITHUB_STEP_SUMMARY: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'summary'),
            GITHUB_STATE: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'state'),
            GITHUB_ENV: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'env'),
            GITHUB_PATH: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'path')
        });
        let lastError = '';
        let pending = '';
        let stderr = '';
        const onLine = (line) => {
            const error = /^::error(?: [^:]*)?::(.*)$/.exec(line)?.[1];
            if (error)
                lastError = error.replace(/%0A/g, ' ').replace(/%0D/g, '').replace(/%25/g, '%');
            if (line.trim() !== '' && !line.startsWith('::add-mask::'))
                options.log(`smoke-test: ${line}`);
        };
        const code = await _actions_exec__WEBPACK_IMPORTED_MODULE_4__/* .exec */ .m(process.execPath, [options.bundle ?? smokeBundle()], {
            env,
            silent: true,
            ignoreReturnCode: true,
            listeners: {
                stdout: (data) => {
                    pending += data.toString('utf8');
                    const lines = pending.split('\n');
                    pending = lines.pop() ?? '';
                    lines.forEach(onLine);
                },
                stderr: (data) => {
                    stderr = (stderr + data.toString('utf8')).slice(-2000);
                }
            }
        });
        if (pending)
            onLine(pending);
        return code === 0 ? { ok: true, reason: 'passed' } : { ok: false, reason: lastError || `smoke-test exited with code ${code}${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}` };
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(dir, { recursive: true, force: true });
    }
}


/***/ })

};
