export const id = 919;
export const ids = [919];
export const modules = {

/***/ 6919:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPreRollbackCommand: () => (/* binding */ runPreRollbackCommand)
/* harmony export */ });
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7187);
/* harmony import */ var _deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8796);
// pre-rollback-command: the user's own step before anything changes (a database backup, say), as
// arguments split the way the command provider splits its templates, never handed to a shell.


/** The last lines of stderr quoted in a failure, enough to say why without flooding the line. */
const STDERR_TAIL_CHARS = 400;
/** Runs the command in `cwd`; undefined when it succeeded, else why it failed in one line. */
async function runPreRollbackCommand([tool, ...args], cwd) {
    let stderr = '';
    try {
        // @actions/exec reads its first argument as a command line: quoted, a path with spaces stays one.
        const code = await (0,_actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .exec */ .m)(`"${tool.replace(/"/g, '\\"')}"`, args, {
            cwd,
            ignoreReturnCode: true,
            listeners: { stderr: (chunk) => (stderr = (stderr + chunk.toString()).slice(-4 * STDERR_TAIL_CHARS)) }
        });
        if (code === 0)
            return undefined;
        const tail = (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(stderr).slice(-STDERR_TAIL_CHARS);
        return `pre-rollback-command exited with code ${code}${tail ? `: ${tail}` : ''}; nothing was rolled back`;
    }
    catch (error) {
        // Not found, not executable: @actions/exec says which.
        return `pre-rollback-command could not run: ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(error.message)}; nothing was rolled back`;
    }
}


/***/ })

};
