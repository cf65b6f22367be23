export const id = 780;
export const ids = [780];
export const modules = {

/***/ 3780:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createProviders: () => (/* binding */ createProviders)
/* harmony export */ });
/* harmony import */ var _deploy_actions_providers__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1631);
// One provider per Worker, from the shared factory (loaded here, after the inputs are good). Every
// tool output a provider shows goes through the run's masker.

async function createProviders(configs, masker) {
    return Promise.all(configs.map(async ({ worker, config }) => ({ worker, provider: await (0,_deploy_actions_providers__WEBPACK_IMPORTED_MODULE_0__/* .createProvider */ .Qd)({ ...config, masker }) })));
}


/***/ })

};
