export const id = 778;
export const ids = [778];
export const modules = {

/***/ 7778:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VersionChoiceError: () => (/* binding */ VersionChoiceError),
/* harmony export */   chooseVersions: () => (/* binding */ chooseVersions)
/* harmony export */ });
/* harmony import */ var _split_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3623);

/** The versions could not be chosen: one line saying why and what to give instead. */
class VersionChoiceError extends Error {
    name = 'VersionChoiceError';
}
function chooseVersions(deployment, versions, choice, stableInput) {
    const deployed = new Set(deployment.versions.map((v) => v.versionId));
    let canary;
    if (choice.kind === 'newest') {
        const newest = [...versions].sort((a, b) => Date.parse(b.createdOn) - Date.parse(a.createdOn)).find((v) => !deployed.has(v.id));
        if (!newest)
            throw new VersionChoiceError(`every uploaded version is already in the current deployment (${(0,_split_js__WEBPACK_IMPORTED_MODULE_0__/* .describeDeployment */ .Ti)(deployment)}); upload a new version, or set version`);
        canary = newest.id;
    }
    else {
        canary = choice.id;
        if (choice.kind === 'id' && !versions.some((v) => v.id === canary) && !deployed.has(canary)) {
            throw new VersionChoiceError(`version ${canary} is not an uploaded version (newest: ${versions.slice(0, 3).map((v) => v.id).join(', ') || 'none'})`);
        }
    }
    let stable = stableInput;
    if (stable === undefined) {
        // The version serving the most traffic now that is not the canary itself.
        const serving = [...deployment.versions].filter((v) => v.versionId !== canary).sort((a, b) => b.percentage - a.percentage)[0];
        if (!serving || serving.percentage === 0)
            throw new VersionChoiceError(`${canary} already serves all the traffic (${(0,_split_js__WEBPACK_IMPORTED_MODULE_0__/* .describeDeployment */ .Ti)(deployment)}); set stable-version to shift from another version`);
        stable = serving.versionId;
    }
    else if (!versions.some((v) => v.id === stable) && !deployed.has(stable)) {
        throw new VersionChoiceError(`stable-version ${stable} is not an uploaded version`);
    }
    if (stable === canary)
        throw new VersionChoiceError(`the canary and stable are the same version (${canary})`);
    return { canary, stable };
}


/***/ })

};
