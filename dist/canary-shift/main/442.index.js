export const id = 442;
export const ids = [442];
export const modules = {

/***/ 6442:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   openProvider: () => (/* binding */ openProvider)
/* harmony export */ });
/* harmony import */ var _deploy_actions_providers__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1631);
// The provider this step's inputs name, opened through @deploy-actions/providers, whose factory
// loads the Cloudflare or the command provider only when asked for.

async function openProvider(settings, masker) {
    return (0,_deploy_actions_providers__WEBPACK_IMPORTED_MODULE_0__/* .createProvider */ .Qd)({ ...settings, masker, env: process.env });
}


/***/ })

};
