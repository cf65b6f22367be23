// Job summaries as one HTML page: the markdown rendered as GitHub renders it (GFM tables, task lists,
// fenced code, the raw HTML GitHub allows) and sanitised as GitHub sanitises it, so nothing in a
// summary can run or fetch; the page the runner writes for a run. The page in a browser:
// test/integration/summary-html.test.ts.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runWorkflow } from '@deploy-actions/harness';
import { renderMarkdown, renderSummaryPage, sanitizeHtml } from '@deploy-actions/harness/summary-page';
import { takeSummaryHtml } from '@deploy-actions/cli/summary-html';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Every tag name in the HTML, and every attribute name of every tag (the `/` closing a void element is none). */
function markup(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const [, name, rest] of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*?)(?: \/)?>/g)) {
    tags.add(name!.toLowerCase());
    for (const [, attribute] of rest!.matchAll(/\s([^\s=>"']+)/g)) attributes.add(attribute!.toLowerCase());
  }
  return { tags, attributes };
}

describe('markdown as GitHub renders it', () => {
  it('renders GFM tables with their alignment, cells escaped', () => {
    const html = renderMarkdown('| check | p95 |\n| --- | ---: |\n| `a<b` | 120 ms |\n');
    expect(html).toContain('<th>check</th>');
    expect(html).toContain('<th align="right">p95</th>');
    expect(html).toContain('<td><code>a&lt;b</code></td>');
    expect(html).toContain('<td align="right">120 ms</td>');
  });

  it('renders task lists as checkboxes no reader can tick', () => {
    const html = renderMarkdown('- [x] health check\n- [ ] rollback\n');
    expect(html).toContain('<li><input checked="" disabled="" type="checkbox" /> health check</li>');
    expect(html).toContain('<li><input disabled="" type="checkbox" /> rollback</li>');
    // A checkbox written by hand is disarmed the same way; any other input goes.
    expect(renderMarkdown('<input type="checkbox" onclick="x()"> <input type="text" value="v">')).toBe('<p><input disabled="" type="checkbox" /> </p>\n');
  });

  it('renders fenced code with its language, and a mermaid block as a chart to draw', () => {
    expect(renderMarkdown('```sh\necho "<b>" && exit 1\n```\n')).toBe('<pre><code class="language-sh">echo "&lt;b&gt;" &amp;&amp; exit 1\n</code></pre>\n');
    expect(renderMarkdown('```mermaid\nflowchart LR\n  a --> b\n```\n')).toBe('<pre class="mermaid">flowchart LR\n  a --&gt; b</pre>\n');
  });

  it('keeps the HTML GitHub allows: details, summary, br, sub, kbd, with their harmless attributes', () => {
    const html = renderMarkdown('<details open><summary>Log</summary>\n\nline<br>two <kbd>Ctrl</kbd> H<sub>2</sub>O\n\n</details>\n');
    expect(html).toBe('<details open=""><summary>Log</summary><p>line<br />two <kbd>Ctrl</kbd> H<sub>2</sub>O</p>\n</details>\n');
  });

  it('reads character references as the browser does and escapes a bare ampersand', () => {
    expect(renderMarkdown('a &amp; b &copy; &#10003; <span title="x&quot;y">c & d</span>')).toBe('<p>a &amp; b © ✓ <span title="x&quot;y">c &amp; d</span></p>\n');
  });

  it('keeps links and images to http(s), mailto and relative URLs, marked nofollow', () => {
    expect(renderMarkdown('[run](https://example.com/run?a=1&b=2) [mail](mailto:ops@example.com) [here](./report.html)')).toBe(
      '<p><a href="https://example.com/run?a=1&amp;b=2" rel="nofollow">run</a> <a href="mailto:ops@example.com" rel="nofollow">mail</a> <a href="./report.html" rel="nofollow">here</a></p>\n'
    );
    expect(renderMarkdown('![chart](https://example.com/c.png)')).toBe('<p><img src="https://example.com/c.png" alt="chart" /></p>\n');
  });
});

describe('sanitising as GitHub does: nothing in a summary runs', () => {
  const attacks = [
    '<script>window.pwned = 1</script>',
    'inline <script>window.pwned = 1</script> text',
    '<img src=x onerror="window.pwned = 1">',
    'x <script>a<img/src/onerror=window.pwned=1></script>',
    '<a href="javascript:window.pwned=1">a</a> <a href="java&#115;cript:window.pwned=1">b</a> <a href=" JaVa\tScRiPt:window.pwned=1">c</a>',
    '[link](javascript:window.pwned=1) <javascript:window.pwned=1> ![i](javascript:window.pwned=1)',
    '<iframe src="https://example.com"></iframe><object data="x"></object><embed src="x">',
    '<style>body { display: none }</style><div style="position: fixed" class="run" onclick="window.pwned=1">d</div>',
    '<svg><script>window.pwned=1</script></svg><math><mi href="javascript:window.pwned=1">m</mi></math>',
    '<form action="https://example.com"><input type="text" name="q"><button formaction="javascript:x">b</button></form>',
    '<!-- <script>window.pwned=1</script> --> <!--> <script>window.pwned=1</script>',
    '<base href="https://example.com/"><meta http-equiv="refresh" content="0;url=https://example.com"><link rel="stylesheet" href="https://example.com/x.css">',
    '<a href="data:text/html,<script>window.pwned=1</script>">d</a> <img src="data:image/svg+xml,<svg onload=window.pwned=1>">'
  ];

  it.each(attacks)('leaves no script, handler, style, frame or unsafe URL: %s', (attack) => {
    const html = renderMarkdown(attack);
    const { tags, attributes } = markup(html);
    for (const tag of ['script', 'iframe', 'object', 'embed', 'style', 'svg', 'math', 'form', 'button', 'base', 'meta', 'link']) expect(tags).not.toContain(tag);
    for (const attribute of attributes) expect(['href', 'src', 'alt', 'rel', 'title', 'open', 'class', 'disabled', 'checked', 'type']).toContain(attribute);
    expect(attributes).not.toContain('class');
    expect(html).not.toMatch(/(href|src)="\s*(javascript|data|vbscript):/i);
    // Every `<` left is a tag the page rebuilt: none of the attack's own markup is left to parse.
    expect(html.replace(/<\/?(p|a|img|div|span|mi)( (href|src|alt|rel)="[^"<>]*")*( \/)?>/g, '')).not.toContain('<');
  });

  it('drops a script together with its text, as GitHub does', () => {
    expect(renderMarkdown('before\n\n<script>\nwindow.pwned = 1\n</script>\n\nafter')).toBe('<p>before</p>\n<p>after</p>\n');
  });

  it('accepts only http(s), mailto and relative URLs, checked as the browser reads them', () => {
    const link = (url: string): string => sanitizeHtml(`<a href="${url}">x</a>`);
    expect(link('https://example.com/?a=1&amp;b=2')).toBe('<a href="https://example.com/?a=1&amp;b=2" rel="nofollow">x</a>');
    expect(link('#section')).toBe('<a href="#section" rel="nofollow">x</a>');
    expect(link('report.html')).toBe('<a href="report.html" rel="nofollow">x</a>');
    expect(sanitizeHtml('<img src="https://example.com/c.png"><blockquote cite="./why.html">q</blockquote>')).toBe('<img src="https://example.com/c.png" /><blockquote cite="./why.html">q</blockquote>');
    for (const url of ['javascript:x', 'JAVASCRIPT:x', 'java\nscript:x', '\u0001javascript:x', 'jav&#x61;script:x', 'javascript&colon;x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd']) {
      expect(link(url)).toBe('<a rel="nofollow">x</a>');
      expect(sanitizeHtml(`<img src="${url}" alt="i">`)).toBe('<img alt="i" />');
    }
  });

  it('escapes a stray < as text, and drops a tag the input leaves unclosed as the browser does', () => {
    expect(sanitizeHtml('a < b > c <3')).toBe('a &lt; b &gt; c &lt;3');
    expect(sanitizeHtml('a < b <c d=">" e <x')).toBe('a &lt; b ');
  });
});

describe('the page', () => {
  it('puts each section under its title and result, and lets only its own scripts run', () => {
    const page = renderSummaryPage({
      title: 'deploy <prod>',
      subtitle: 'push · failure',
      sections: [
        { title: 'canary', result: 'failure', markdown: '```mermaid\nflowchart LR\n  a --> b\n```\n<script>window.pwned=1</script>' },
        { title: 'verify', result: 'success', markdown: '| a |\n| - |\n| 1 |' }
      ]
    });
    expect(page).toContain('<title>deploy &lt;prod&gt;</title>');
    expect(page).toContain('<h2>canary <span class="result failure">failure</span></h2>');
    expect(page.indexOf('<h2>canary')).toBeLessThan(page.indexOf('<h2>verify'));
    expect(page).not.toContain('window.pwned');
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '';
    expect(policy).toContain("default-src 'none'");
    // mermaid's script and the call that draws the charts, each allowed by its hash, nothing else.
    expect(policy.match(/'sha256-[A-Za-z0-9+/=]+'/g)).toHaveLength(2);
    expect(page.match(/<script>/g)).toHaveLength(2);
    expect(page).toContain('mermaid.run(');
    // mermaid's licence goes with its script.
    expect(page).toMatch(/<script>\/\*! mermaid\nThe MIT License \(MIT\)\n\nCopyright \(c\) 2014 - \d+ Knut Sveidqvist/);
  });

  it('carries no chart script when no summary has a chart', () => {
    const page = renderSummaryPage({ title: 'plain', sections: [{ title: 'job', markdown: '**ok**' }] });
    expect(page).not.toContain('<script');
    expect(page).toContain("script-src 'none'");
    expect(Buffer.byteLength(page)).toBeLessThan(20_000);
  });
});

describe('the runner writes the page', () => {
  it('writes each job that wrote a summary, under its name, in the order the jobs ran', async () => {
    const root = mkdtempSync(join(tmpdir(), 'summary-page-'));
    made.push(root);
    const workflow = `name: pipeline
on: workflow_dispatch
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo '| artifact | size |' >> "$GITHUB_STEP_SUMMARY"; echo '| --- | --- |' >> "$GITHUB_STEP_SUMMARY"; echo '| app.js | 12 kB |' >> "$GITHUB_STEP_SUMMARY"
  quiet:
    runs-on: ubuntu-latest
    steps:
      - run: echo nothing to say
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo "- [x] deployed with \${{ secrets.TOKEN }}" >> "$GITHUB_STEP_SUMMARY"
`;
    mkdirSync(dirname(join(root, '.github/workflows/main.yml')), { recursive: true });
    writeFileSync(join(root, '.github/workflows/main.yml'), workflow);
    const target = join(root, 'out/pages/run.html');
    const run = await runWorkflow({ workflow: '.github/workflows/main.yml', root, secrets: { TOKEN: 't0ken-value' }, summaryPage: target });
    expect(run.conclusion).toBe('success');
    expect(run.summaryPage).toBe(target);
    const page = readFileSync(target, 'utf8');
    expect(page).toContain('<h1>pipeline</h1><p>workflow_dispatch · success</p>');
    expect(page).toContain('<td>app.js</td>');
    expect(page).toContain('<li><input checked="" disabled="" type="checkbox" /> deployed with ***</li>');
    expect(page).not.toContain('t0ken-value');
    expect(page).not.toContain('quiet');
    expect(page.indexOf('<h2>build')).toBeLessThan(page.indexOf('<h2>deploy'));
  });

  it('writes no page unless asked', async () => {
    const root = mkdtempSync(join(tmpdir(), 'summary-page-'));
    made.push(root);
    mkdirSync(join(root, '.github/workflows'), { recursive: true });
    writeFileSync(join(root, '.github/workflows/main.yml'), 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi >> "$GITHUB_STEP_SUMMARY"\n');
    const run = await runWorkflow({ workflow: '.github/workflows/main.yml', root });
    expect(run.summaryPage).toBeUndefined();
  });
});

describe('--summary-html', () => {
  it('is taken out of the arguments, in either form; the variable is the default', () => {
    expect(takeSummaryHtml(['--url', 'http://x', '--summary-html', 'a.html'], {})).toEqual({ argv: ['--url', 'http://x'], path: 'a.html' });
    expect(takeSummaryHtml(['--summary-html=b.html', '--insecure'], {})).toEqual({ argv: ['--insecure'], path: 'b.html' });
    expect(takeSummaryHtml(['--insecure'], { DEPLOY_ACTIONS_SUMMARY_HTML: 'env.html' })).toEqual({ argv: ['--insecure'], path: 'env.html' });
    expect(takeSummaryHtml(['--summary-html', 'flag.html'], { DEPLOY_ACTIONS_SUMMARY_HTML: 'env.html' }).path).toBe('flag.html');
    expect(takeSummaryHtml(['--insecure'], {})).toEqual({ argv: ['--insecure'] });
  });

  it('needs a path', () => {
    for (const argv of [['--summary-html'], ['--summary-html', '--insecure'], ['--summary-html=']]) {
      expect(takeSummaryHtml(argv, {}).problem).toBe('--summary-html needs the path of the page to write: --summary-html <file.html>');
    }
  });
});
