export const id = 158;
export const ids = [158];
export const modules = {

/***/ 6158:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   writeSummaryPage: () => (/* binding */ writeSummaryPage)
/* harmony export */ });
/* unused harmony exports sanitizeHtml, renderMarkdown, renderSummaryPage */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var marked__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8022);
/* harmony import */ var sanitize_html__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3595);
/* harmony import */ var sanitize_html__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(sanitize_html__WEBPACK_IMPORTED_MODULE_4__);
// A run's job summaries as one HTML page a person can open, rendered as GitHub renders them:
// GitHub-flavoured markdown (tables, task lists, fenced code) through `marked`, raw HTML kept only
// where GitHub's allow-list keeps it, and ```mermaid blocks drawn by mermaid's own script, carried
// inside the page so that it needs no network. Loaded only when a page is written: the renderer and
// the 5 MB chart script stay out of every run that writes none.





// ---------------------------------------------------------------------------------------------------
// Sanitising: GitHub keeps a fixed set of elements and attributes from a summary's HTML and drops
// the rest; sanitize-html parses the HTML as a browser does and writes back only that set.
function escapeAll(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
/** Attributes that are inert whatever their value (no URL, no script, no styling): kept on any element. */
const INERT_ATTRIBUTES = 'align alt colspan rowspan datetime dir height width lang open scope start title valign value'.split(' ');
const GITHUB_ALLOW_LIST = {
    /** The elements GitHub's sanitiser keeps (with what markdown itself produces: input for task lists). */
    allowedTags: 'a abbr b bdo blockquote br caption cite code dd del details dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img input ins kbd li mark ol p pre q rp rt ruby s samp small span strike strong sub summary sup table tbody td tfoot th thead time tr tt ul var wbr'.split(' '),
    allowedAttributes: {
        '*': INERT_ATTRIBUTES,
        a: ['href', 'rel'],
        img: ['src'],
        blockquote: ['cite'],
        q: ['cite'],
        del: ['cite'],
        ins: ['cite'],
        input: ['checked', 'disabled', 'type'],
        ol: ['type'],
        pre: ['class'],
        code: ['class']
    },
    // A code block's language, and the marker of a chart: the only classes markdown itself sets.
    allowedClasses: { pre: ['mermaid'], code: ['language-*'] },
    allowedEmptyAttributes: ['alt', 'open', 'checked', 'disabled'],
    // URLs (href, src, cite) only to http(s), mailto and relative addresses.
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: {},
    disallowedTagsMode: 'discard',
    // Elements whose content goes with them, as GitHub drops a script's or a style's text.
    nonTextTags: 'script style template textarea title iframe noscript noembed noframes object embed xmp select option svg math'.split(' '),
    transformTags: {
        a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow' } }),
        // Only the checkbox of a task list, and never one a reader could tick; any other input goes
        // (renamed to an element the allow-list does not have).
        input: (tagName, attribs) => attribs.type?.toLowerCase() === 'checkbox'
            ? { tagName, attribs: { ...('checked' in attribs ? { checked: '' } : {}), disabled: '', type: 'checkbox' } }
            : { tagName: 'dropped-input', attribs: {} }
    }
};
/** HTML with only GitHub's allowed elements and attributes left. */
function sanitizeHtml(html) {
    return sanitize_html__WEBPACK_IMPORTED_MODULE_4___default()(html, GITHUB_ALLOW_LIST);
}
// ---------------------------------------------------------------------------------------------------
// Markdown
const markdown = new marked__WEBPACK_IMPORTED_MODULE_3__/* .Marked */ .Dz({
    gfm: true,
    renderer: {
        // A chart is drawn from its source, which mermaid reads from the element's text.
        code(token) {
            if (token.lang?.trim().split(/\s+/)[0] !== 'mermaid')
                return false;
            return `<pre class="mermaid">${escapeAll(token.text)}</pre>\n`;
        }
    }
});
/** A job summary's markdown as GitHub shows it: GitHub-flavoured markdown, then sanitised. */
function renderMarkdown(source) {
    return sanitizeHtml(markdown.parse(source, { async: false }));
}
// ---------------------------------------------------------------------------------------------------
// The page
/**
 * mermaid's browser build, as the npm package ships it, headed by mermaid's licence (the build carries
 * none of its own). The paths are relative to this file, so that ncc sees them and carries both files
 * beside the CLI's bundle (dist/cli/mermaid.min.js, dist/cli/LICENSE).
 */
function mermaidScript() {
    const license = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(__webpack_require__.ab + "LICENSE", 'utf8');
    const script = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(__webpack_require__.ab + "mermaid.min.js", 'utf8');
    return `/*! mermaid\n${license.replace(/\*\//g, '* /')}*/\n${script}`;
}
const DRAW_CHARTS = `(() => {
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  // The default theme draws a chart's first line in its pale fill colour: lines in GitHub's own colours.
  const lines = dark ? '#4493f8,#3fb950,#f85149,#ab7df8,#d29922,#39c5cf' : '#0969da,#1a7f37,#cf222e,#8250df,#9a6700,#1b7c83';
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default', themeVariables: { xyChart: { plotColorPalette: lines } } });
  mermaid.run({ querySelector: 'pre.mermaid', suppressErrors: true }).finally(() => { document.body.dataset.charts = 'drawn'; });
})();`;
// GitHub's markdown look, hand-written and small: its colours, spacing and system fonts.
const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --subtle: #f6f8fa; --code: rgba(129,139,152,.12); --link: #0969da; --ok: #1a7f37; --bad: #d1242f; --bg: #fff; }
@media (prefers-color-scheme: dark) { :root { --fg: #f0f6fc; --muted: #9198a1; --border: #3d444d; --subtle: #151b23; --code: rgba(101,108,118,.2); --link: #4493f8; --ok: #3fb950; --bad: #f85149; --bg: #0d1117; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 32px 16px; background: var(--bg); color: var(--fg); font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.run { max-width: 1012px; margin: 0 auto; }
.run > header h1 { font-size: 24px; font-weight: 600; margin: 0; }
.run > header p { color: var(--muted); margin: 4px 0 24px; }
.job { border: 1px solid var(--border); border-radius: 6px; margin-bottom: 24px; overflow: hidden; }
.job > h2 { margin: 0; padding: 12px 16px; font-size: 14px; font-weight: 600; background: var(--subtle); border-bottom: 1px solid var(--border); }
.job > h2 .result { font-weight: 400; color: var(--muted); margin-left: 8px; }
.job > h2 .result.success { color: var(--ok); } .job > h2 .result.failure { color: var(--bad); }
.markdown-body { padding: 16px 32px 24px; overflow-wrap: break-word; }
.markdown-body > :first-child { margin-top: 0 !important; } .markdown-body > :last-child { margin-bottom: 0 !important; }
.markdown-body p, .markdown-body blockquote, .markdown-body ul, .markdown-body ol, .markdown-body dl, .markdown-body table, .markdown-body pre, .markdown-body details { margin: 0 0 16px; }
.markdown-body h1, .markdown-body h2, .markdown-body h3, .markdown-body h4, .markdown-body h5, .markdown-body h6 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
.markdown-body h1 { font-size: 2em; padding-bottom: .3em; border-bottom: 1px solid var(--border); }
.markdown-body h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid var(--border); }
.markdown-body h3 { font-size: 1.25em; } .markdown-body h4 { font-size: 1em; } .markdown-body h5 { font-size: .875em; } .markdown-body h6 { font-size: .85em; color: var(--muted); }
.markdown-body a[href] { color: var(--link); text-decoration: none; } .markdown-body a[href]:hover { text-decoration: underline; }
.markdown-body ul, .markdown-body ol { padding-left: 2em; } .markdown-body li + li { margin-top: .25em; }
.markdown-body li:has(> input[type=checkbox]) { list-style: none; }
.markdown-body li > input[type=checkbox] { margin: 0 .2em .25em -1.4em; vertical-align: middle; }
.markdown-body blockquote { padding: 0 1em; color: var(--muted); border-left: .25em solid var(--border); }
.markdown-body hr { height: .25em; margin: 24px 0; background: var(--border); border: 0; }
.markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto; border-collapse: collapse; border-spacing: 0; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid var(--border); }
.markdown-body th { font-weight: 600; } .markdown-body tbody tr:nth-child(2n) { background: var(--subtle); }
.markdown-body code, .markdown-body kbd, .markdown-body pre, .markdown-body tt, .markdown-body samp { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.markdown-body code, .markdown-body tt { padding: .2em .4em; font-size: 85%; white-space: break-spaces; background: var(--code); border-radius: 6px; }
.markdown-body pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45; background: var(--subtle); border-radius: 6px; }
.markdown-body pre code { padding: 0; font-size: 100%; white-space: pre; background: transparent; }
.markdown-body pre.mermaid { background: transparent; text-align: center; font-family: inherit; }
.markdown-body details summary { cursor: pointer; }
.markdown-body img { max-width: 100%; }
.markdown-body kbd { padding: 3px 5px; font-size: 11px; border: 1px solid var(--border); border-radius: 6px; background: var(--subtle); }
`;
function scriptHash(script) {
    return `'sha256-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').update(script, 'utf8').digest('base64')}'`;
}
/** The whole page: each section's summary under its title, the charts drawn in the browser. */
function renderSummaryPage(content) {
    const sections = content.sections.map((section) => {
        const result = section.result ? ` <span class="result ${escapeAll(section.result)}">${escapeAll(section.result)}</span>` : '';
        const body = section.markdown.trim() === '' ? '<p><em>No summary.</em></p>' : renderMarkdown(section.markdown);
        return `<section class="job">\n<h2>${escapeAll(section.title)}${result}</h2>\n<div class="markdown-body">\n${body}</div>\n</section>`;
    });
    const charts = sections.some((s) => s.includes('<pre class="mermaid">'));
    const scripts = charts ? [mermaidScript(), DRAW_CHARTS] : [];
    // Only these two scripts may run, and nothing may be fetched: a hole in the sanitiser still runs
    // nothing, and an image or font in a summary cannot reach the network.
    const policy = [
        "default-src 'none'",
        `script-src ${scripts.length ? scripts.map(scriptHash).join(' ') : "'none'"}`,
        "style-src 'unsafe-inline'",
        'img-src data:',
        'font-src data:',
        "base-uri 'none'",
        "form-action 'none'"
    ].join('; ');
    return [
        '<!doctype html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8">',
        `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        `<title>${escapeAll(content.title)}</title>`,
        `<style>${STYLE}</style>`,
        '</head>',
        '<body>',
        '<main class="run">',
        `<header><h1>${escapeAll(content.title)}</h1>${content.subtitle ? `<p>${escapeAll(content.subtitle)}</p>` : ''}</header>`,
        sections.length > 0 ? sections.join('\n') : '<p>No job wrote a summary.</p>',
        '</main>',
        ...scripts.map((script) => `<script>${script}</script>`),
        '</body>',
        '</html>',
        ''
    ].join('\n');
}
/** Writes the page (and the folders to it); returns its absolute path. */
function writeSummaryPage(path, content) {
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(path);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(file), { recursive: true });
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(file, renderSummaryPage(content));
    return file;
}


/***/ })

};
