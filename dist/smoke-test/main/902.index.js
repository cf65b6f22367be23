export const id = 902;
export const ids = [902];
export const modules = {

/***/ 84902:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   uploadDirectory: () => (/* binding */ uploadDirectory)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
// Uploads a folder (a report, a log bundle) as a workflow artifact with the real @actions/artifact client.
// The client is imported only when an upload happens: it loads @actions/core and the Azure SDKs, which
// would cost every step start-up time even when the step uploads nothing.
//
// No relative imports, so Node 24 can also load this file as is (type stripping), not only bundled.


/**
 * Uploads every file under rootDir (recursively; paths in the artifact are relative to rootDir) as the
 * artifact `name`. Throws an Error whose message is fit to show a user as is.
 */
async function uploadDirectory(name, rootDir, options = {}) {
    const fail = (reason) => new Error(`Cannot upload artifact '${name}': ${reason}`);
    // Checked here, before loading the client, so a local run says what is wrong in one line.
    if (!process.env.ACTIONS_RUNTIME_TOKEN) {
        throw fail('ACTIONS_RUNTIME_TOKEN is not set. Artifacts can only be uploaded from a GitHub Actions job (the runner provides the token)');
    }
    if (!process.env.ACTIONS_RESULTS_URL) {
        throw fail('ACTIONS_RESULTS_URL is not set. Artifacts can only be uploaded from a GitHub Actions job (the runner provides the URL)');
    }
    const { retentionDays } = options;
    if (retentionDays !== undefined && (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 90)) {
        throw fail(`retention days must be a whole number from 1 to 90, got ${retentionDays}`);
    }
    const root = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(rootDir);
    const files = await listFiles(root).catch((error) => {
        throw fail(error.code === 'ENOENT' || error.code === 'ENOTDIR' ? `${root} is not a directory` : `cannot read ${root}: ${error.message}`);
    });
    if (files.length === 0)
        throw fail(`${root} holds no files`);
    const { DefaultArtifactClient } = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(22)]).then(__webpack_require__.bind(__webpack_require__, 1022));
    let result;
    try {
        result = await new DefaultArtifactClient().uploadArtifact(name, files, root, retentionDays === undefined ? {} : { retentionDays });
    }
    catch (error) {
        throw new Error(`Artifact '${name}' upload failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (result.id === undefined || result.size === undefined) {
        throw new Error(`Artifact '${name}' upload failed: the results service did not return the artifact's id and size`);
    }
    return { id: result.id, size: result.size, ...(result.digest ? { digest: result.digest } : {}) };
}
/**
 * Regular files under root, sorted, including symlinks to files. Symlinked folders are not entered,
 * so a link cycle cannot make the walk endless.
 */
async function listFiles(root) {
    if (!(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(root)).isDirectory())
        throw Object.assign(new Error(`${root} is not a directory`), { code: 'ENOTDIR' });
    const files = [];
    for (const entry of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(root, { recursive: true, withFileTypes: true })) {
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(entry.parentPath, entry.name);
        if (entry.isFile() || (entry.isSymbolicLink() && (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(path).then((target) => target.isFile(), () => false)))) {
            files.push(path);
        }
    }
    return files.sort();
}


/***/ })

};
