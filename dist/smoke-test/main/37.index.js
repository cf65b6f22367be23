export const id = 37;
export const ids = [37];
export const modules = {

/***/ 65037:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   junitXml: () => (/* binding */ junitXml),
/* harmony export */   renderSummary: () => (/* binding */ renderSummary),
/* harmony export */   resultsJson: () => (/* binding */ resultsJson),
/* harmony export */   suiteLatency: () => (/* binding */ suiteLatency)
/* harmony export */ });
/* harmony import */ var _deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(19247);
/* harmony import */ var _deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(28796);
/* harmony import */ var _suite_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7770);
// The reports: JUnit XML for CI dashboards (flaky attempts recorded as Surefire does), JSON results
// with per-request timings, and the job summary. Everything passes through the masker.



/** Escapes text for XML character data and attribute values; drops characters XML 1.0 forbids. */
function xml(text) {
    return text
        // eslint-disable-next-line no-control-regex
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;');
}
const seconds = (ms) => (ms / 1000).toFixed(3);
function attemptDetails(test, attempt) {
    const failure = attempt.failure;
    if (!failure)
        return '';
    const lines = [`${test.method} ${test.url}`, `attempt ${attempt.attempt}: ${failure.reason}`];
    for (const a of failure.assertions)
        lines.push(`  ${a.assertion}: at ${a.where}, expected ${a.expected}, actual ${a.actual}`);
    if (attempt.status !== null)
        lines.push(`status ${attempt.status}`);
    if (failure.body)
        lines.push(`body (first 1 KiB):\n${failure.body}`);
    return lines.join('\n');
}
/**
 * `target.smoke/login.yml`: the target, then the spec as the workspace sees it; a spec outside the
 * workspace by its file name alone, since `../../` would read as empty classname segments.
 */
function className(label, file) {
    const outside = file === '..' || file.startsWith('../') || file.startsWith('/');
    return `${label}.${outside ? file.slice(file.lastIndexOf('/') + 1) : file}`;
}
function junitXml(suites, masker) {
    const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
    const all = suites.flatMap((s) => s.tests);
    const total = (0,_suite_js__WEBPACK_IMPORTED_MODULE_2__/* .counts */ .tQ)(all);
    // The targets run at the same time: the run took as long as the longest of them.
    const totalTime = Math.max(0, ...suites.map((s) => s.durationMs));
    out.push(`<testsuites name="smoke-test" tests="${total.total}" failures="${total.failed}" errors="0" skipped="${total.skipped}" time="${seconds(totalTime)}">`);
    for (const suite of suites) {
        const c = (0,_suite_js__WEBPACK_IMPORTED_MODULE_2__/* .counts */ .tQ)(suite.tests);
        out.push(`  <testsuite name="${xml(`smoke-test ${suite.label}`)}" tests="${c.total}" failures="${c.failed}" errors="0" skipped="${c.skipped}" time="${seconds(suite.durationMs)}" hostname="${xml(suite.baseUrl)}">`);
        for (const test of suite.tests) {
            const open = `    <testcase name="${xml(test.name)}" classname="${xml(className(suite.label, test.file))}" file="${xml(test.file)}" line="${test.line}" time="${seconds(test.durationMs)}"`;
            if (test.outcome === 'skipped') {
                out.push(`${open}>`, `      <skipped message="${xml(test.skipped ?? '')}"/>`, '    </testcase>');
            }
            else if (test.outcome === 'failed') {
                const last = test.attempts.at(-1);
                out.push(`${open}>`, `      <failure message="${xml((0,_suite_js__WEBPACK_IMPORTED_MODULE_2__/* .failureReason */ .Hr)(test))}" type="${xml(last.failure?.kind ?? 'failure')}">${xml(attemptDetails(test, last))}</failure>`, '    </testcase>');
            }
            else if (test.outcome === 'flaky') {
                out.push(`${open}>`);
                // Surefire's form for a test that failed and then passed on a rerun: the case passes, and
                // each failed attempt is kept beside it.
                for (const attempt of test.attempts.filter((a) => !a.passed)) {
                    out.push(`      <flakyFailure message="${xml(attempt.failure?.reason ?? '')}" type="${xml(attempt.failure?.kind ?? 'failure')}">`, `        <stackTrace>${xml(attemptDetails(test, attempt))}</stackTrace>`, '      </flakyFailure>');
                }
                out.push('    </testcase>');
            }
            else
                out.push(`${open}/>`);
        }
        out.push('  </testsuite>');
    }
    out.push('</testsuites>', '');
    return masker.mask(out.join('\n'));
}
function latencyOf(test) {
    const last = test.attempts.at(-1);
    return last?.timings ? Math.round(last.timings.totalMs * 10) / 10 : null;
}
/** p95 and friends over the final attempt of every test that got a response. */
function suiteLatency(suite) {
    return (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .latencyStats */ .Ir)(suite.tests.map(latencyOf).filter((l) => l !== null));
}
function resultsJson(suites, masker, comparison) {
    const data = {
        summary: (0,_suite_js__WEBPACK_IMPORTED_MODULE_2__/* .counts */ .tQ)(suites[0]?.tests ?? []),
        targets: suites.map((suite) => ({
            label: suite.label,
            'base-url': suite.baseUrl,
            'duration-ms': suite.durationMs,
            counts: (0,_suite_js__WEBPACK_IMPORTED_MODULE_2__/* .counts */ .tQ)(suite.tests),
            'latency-ms': suiteLatency(suite),
            tests: suite.tests.map((test) => ({
                name: test.name,
                line: test.line,
                outcome: test.outcome,
                ...(test.skipped ? { skipped: test.skipped } : {}),
                request: `${test.method} ${test.url}`,
                'duration-ms': test.durationMs,
                captured: test.captured,
                attempts: test.attempts.map((a) => ({
                    attempt: a.attempt,
                    passed: a.passed,
                    status: a.status,
                    'timings-ms': a.timings && { dns: a.timings.dnsMs, connect: a.timings.connectMs, tls: a.timings.tlsMs, 'first-byte': a.timings.firstByteMs, total: a.timings.totalMs },
                    ...(a.failure ? { failure: { kind: a.failure.kind, reason: a.failure.reason, assertions: a.failure.assertions } } : {})
                }))
            }))
        })),
        ...(comparison ? { comparison } : {})
    };
    return masker.mask(JSON.stringify(data, null, 2));
}
const VERDICT = { passed: '✅ passed', failed: '❌ failed', flaky: '⚠️ flaky', skipped: '⏭️ skipped' };
function renderSummary(suites, specFiles, masker, comparison, notes = []) {
    // Masked before it is escaped: an escaped secret would no longer be found.
    const text = (value) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .cell */ .Hn)(masker.mask(value));
    const code = (value) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(masker.mask(value));
    const [first, second] = suites;
    if (!first)
        return '';
    const c = (0,_suite_js__WEBPACK_IMPORTED_MODULE_2__/* .counts */ .tQ)(first.tests);
    const ok = c.failed === 0 && !comparison?.regressed;
    const tally = `${c.passed + c.flaky} of ${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .plural */ .LS)(c.total, 'test')} passed${c.flaky ? `, ${c.flaky} flaky` : ''}${c.failed ? `, ${c.failed} failed` : ''}${c.skipped ? `, ${c.skipped} skipped` : ''}`;
    const heading = c.failed === 0 && comparison?.regressed
        ? `## ❌ Smoke test failed: p95 latency regressed against ${second?.label ?? 'the second target'} (${tally})`
        : `## ${ok ? '✅' : '❌'} Smoke test ${ok ? 'passed' : 'failed'}: ${tally}`;
    const parts = [
        heading,
        `${specFiles.map((file) => code(file)).join(', ')} against ${first.baseUrl || (specFiles.length > 1 ? "each spec file's base-url" : 'absolute URLs')} in ${(0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(first.durationMs)}.`,
        ...notes
    ];
    if (second) {
        const rows = first.tests.map((test, i) => {
            const other = second.tests[i];
            const a = latencyOf(test);
            const b = latencyOf(other);
            const delta = a !== null && b !== null && b > 0 ? `${a >= b ? '+' : ''}${Math.round(((a - b) / b) * 100)}%` : '–';
            return [text(test.name), VERDICT[test.outcome], a === null ? '–' : (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(a), VERDICT[other.outcome], b === null ? '–' : (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(b), delta];
        });
        parts.push(`### ${text(first.label)} vs ${text(second.label)}`, (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Test', first.label, 'Latency', second.label, 'Latency', 'Δ'], rows));
        if (comparison) {
            const p = comparison['p95-ms'];
            parts.push(`p95 latency: ${p.first === null ? '–' : (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(p.first)} vs ${p.second === null ? '–' : (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(p.second)}` +
                (comparison.change === null ? '' : ` (${comparison.change >= 0 ? '+' : ''}${Math.round(comparison.change * 100)}%${comparison.limit === null ? '' : `, limit +${Math.round(comparison.limit * 100)}%`})`) +
                (comparison.regressed ? ` — ❌ ${comparison.reason}` : ''));
        }
    }
    else {
        const rows = first.tests.map((test) => {
            const last = test.attempts.at(-1);
            const latency = latencyOf(test);
            return [text(test.name), VERDICT[test.outcome], last?.status === null || last === undefined ? '–' : String(last.status), latency === null ? '–' : (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(latency), String(test.attempts.length)];
        });
        parts.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Test', 'Verdict', 'Status', 'Latency', 'Attempts'], rows));
    }
    for (const suite of suites) {
        for (const test of suite.tests.filter((t) => t.outcome === 'failed' || t.outcome === 'flaky')) {
            const failed = test.attempts.filter((a) => a.failure);
            const last = failed.at(-1);
            const label = suites.length > 1 ? ` (${text(suite.label)})` : '';
            parts.push(`### ${test.outcome === 'failed' ? '❌' : '⚠️'} ${text(test.name)}${label} — ${code(`${test.file}:${test.line}`)}`);
            parts.push(`**Request:** ${code(`${test.method} ${test.url}`)}`);
            parts.push(test.outcome === 'flaky'
                ? `**Flaky:** passed on attempt ${test.attempts.length}; attempt ${last.attempt} failed: ${text(last.failure.reason)}`
                : `**Why:** ${text((0,_suite_js__WEBPACK_IMPORTED_MODULE_2__/* .failureReason */ .Hr)(test))}`);
            if (last.failure.assertions.length > 0) {
                parts.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Assertion', 'Where', 'Expected', 'Actual'], last.failure.assertions.map((a) => [text(a.assertion), text(a.where), text(a.expected), text(a.actual)])));
            }
            if (last.failure.body) {
                parts.push(`<details><summary>Response body, status ${last.status ?? '–'} (first 1 KiB)</summary>\n\n${(0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeBlock */ .DV)(last.failure.body)}\n\n</details>`);
            }
        }
    }
    const skipped = first.tests.filter((t) => t.outcome === 'skipped');
    if (skipped.length > 0)
        parts.push(`Skipped: ${skipped.map((t) => `${text(t.name)} (${text(t.skipped ?? '')})`).join('; ')}`);
    return `${masker.mask(parts.join('\n\n'))}\n`;
}


/***/ })

};
