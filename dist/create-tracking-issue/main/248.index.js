export const id = 248;
export const ids = [248];
export const modules = {

/***/ 1248:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   outcomeLine: () => (/* binding */ outcomeLine),
/* harmony export */   renderSummary: () => (/* binding */ renderSummary)
/* harmony export */ });
/* harmony import */ var _deploy_actions_report__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8796);
// The job summary: what was done to which issue, with a link, and the full body when it was cut.

const DONE = {
    created: 'created',
    updated: 'updated',
    commented: 'commented on',
    reopened: 'reopened and updated',
    closed: 'closed',
    unchanged: 'already up to date'
};
function renderSummary(outcome, key) {
    const lines = [];
    if (outcome.issue)
        lines.push(`## 📋 Tracking issue [#${outcome.issue.number} ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)(outcome.issue.title)}](${outcome.issue.url}) ${DONE[outcome.action]}`);
    else
        lines.push(`## 📋 No open tracking issue to close${outcome.alreadyClosed ? ` ([#${outcome.alreadyClosed.number} ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_0__/* .cell */ .Hn)(outcome.alreadyClosed.title)}](${outcome.alreadyClosed.url}), the last with this key, is closed)` : ''}`);
    lines.push('', `Key: ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_0__/* .codeSpan */ .SS)(key)}`);
    if (outcome.closedPrevious.length > 0)
        lines.push('', `Closed ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_0__/* .plural */ .LS)(outcome.closedPrevious.length, 'previous issue')} of the series: ${outcome.closedPrevious.map((number) => `#${number}`).join(', ')}.`);
    if (outcome.cut) {
        lines.push('', `The body was over GitHub's limit of 65,536 characters: ${outcome.cut.omitted.toLocaleString('en-US')} characters are left out of the issue. The full text:`);
        lines.push('', '<details><summary>Full body</summary>', '', outcome.cut.content, '', '</details>');
    }
    return lines.join('\n');
}
/** What the log says was done, on one line. */
function outcomeLine(outcome) {
    if (!outcome.issue)
        return `No open issue with this key; nothing was closed${outcome.alreadyClosed ? ` (#${outcome.alreadyClosed.number} is closed already)` : ''}.`;
    return `Issue #${outcome.issue.number} ${DONE[outcome.action]}: ${outcome.issue.url}`;
}


/***/ })

};
