// The job summaries as one HTML page, opened as a person opens it: the bundled CLI (dist/cli) runs a
// workflow (the bundled health-check against a server started here, and run steps writing tables,
// task lists, code and mermaid charts) and a single action, each with --summary-html; headless
// Chromium (Debian's /usr/bin/chromium, driven by playwright-core) loads each page with every request
// but the page's own file refused, and what a reader would see is checked: the cells, the boxes, the
// code, the charts drawn as SVG, and nothing a summary smuggled in running.
// Needs `node scripts/build.js cli health-check`. SUMMARY_PAGE_SCREENSHOT=<file.png> keeps a picture.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { resolveNodeRuntime } from '@deploy-actions/harness';
import { repoRoot, runProgram, type NodeRun } from '../helpers/run-node.js';
import { startServer, type TestServer } from '../helpers/servers.js';

// What the page's scripts touch, declared here: the project's types are Node's, not the DOM's.
declare const document: { scripts: { length: number }; body: { dataset: Record<string, string | undefined> } };
declare function getComputedStyle(element: unknown): Record<string, string>;

const CHROMIUM = '/usr/bin/chromium';
const cli = join(repoRoot, 'dist/cli/index.js');
const node = resolveNodeRuntime('node24');

/** Debian's Chromium, or a failure that says what is missing and how to get it: never a skip. */
async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is absent: ${CHROMIUM} does not exist, and this test opens the job summary page in it. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (Debian\'s package; .ci/run installs it).'
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  });
}

const CANARY_SUMMARY = `## Canary shift: promoted

| step | traffic | error rate | p95 latency | verdict |
| --- | ---: | ---: | ---: | --- |
| 1 | 5 % | 0.0 % | 120 ms | healthy |
| 2 | 25 % | 0.2 % | 131 ms | healthy |
| 3 | 100 % | 0.1 % | 127 ms | promoted |

\`\`\`mermaid
xychart-beta
  title "Canary traffic"
  x-axis "minute" [0, 5, 10, 15]
  y-axis "traffic %" 0 --> 100
  line [5, 25, 50, 100]
\`\`\`

- [x] health check at 0 %
- [x] smoke test through the override header
- [ ] rollback

\`\`\`text
wrangler versions deploy v2@25% v1@75%
\`\`\`

<details><summary>Samples</summary>

first<br>second

</details>

![badge](https://img.example.com/badge.svg)

<script>document.body.dataset.pwned = 'script'</script>
<img src="missing.png" onerror="document.body.dataset.pwned = 'img'">
<a href="javascript:document.body.dataset.pwned='link'">click</a>
`;

const PLAN_SUMMARY = `### Order

\`\`\`mermaid
flowchart LR
  database --> auth --> api --> gateway
\`\`\`
`;

let server: TestServer;
let root: string;
let browser: Browser | undefined;

beforeAll(async () => {
  server = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
  });
  // A repository of its own, whose actions/ and dist/ are this one's.
  root = mkdtempSync(join(tmpdir(), 'summary-html-'));
  symlinkSync(join(repoRoot, 'actions'), join(root, 'actions'));
  symlinkSync(join(repoRoot, 'dist'), join(root, 'dist'));
  const workflow = `name: canary pipeline
on: workflow_dispatch
jobs:
  verify:
    runs-on: ubuntu-latest
    steps:
      - uses: ./actions/health-check
        with:
          url: ${server.url('/health')}
          json-path: $.status == "ok"
  canary:
    needs: verify
    runs-on: ubuntu-latest
    steps:
      - run: cat summaries/canary.md >> "$GITHUB_STEP_SUMMARY"
  plan:
    runs-on: ubuntu-latest
    steps:
      - run: cat summaries/plan.md >> "$GITHUB_STEP_SUMMARY"
`;
  for (const [path, text] of Object.entries({ '.github/workflows/pipeline.yml': workflow, 'summaries/canary.md': CANARY_SUMMARY, 'summaries/plan.md': PLAN_SUMMARY })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface OpenedPage {
  page: Page;
  /** Every request the page made; those that failed, with why; those the route refused (not for a file). */
  requests: string[];
  failed: string[];
  refused: string[];
  errors: string[];
  console: string[];
}

/** The page as a reader opens it, offline: only file: URLs load; waits until its charts are drawn. */
async function open(file: string, charts: boolean): Promise<OpenedPage> {
  // No browser (it failed to start): the same plain message again, not a TypeError.
  const context = await (browser ?? (await launchChromium())).newContext({ viewport: { width: 1100, height: 900 }, colorScheme: 'light' });
  const opened: OpenedPage = { page: await context.newPage(), requests: [], failed: [], refused: [], errors: [], console: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    opened.refused.push(url);
    return route.abort('blockedbyclient');
  });
  opened.page.on('request', (request) => opened.requests.push(request.url()));
  opened.page.on('requestfailed', (request) => opened.failed.push(`${request.url()} ${request.failure()?.errorText}`));
  opened.page.on('pageerror', (error) => opened.errors.push(error.message));
  opened.page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') opened.console.push(message.text());
  });
  await opened.page.goto(pathToFileURL(file).href);
  if (charts) await opened.page.waitForSelector('body[data-charts="drawn"]');
  return opened;
}

function cliRun(args: string[], env: Record<string, string> = {}): Promise<NodeRun> {
  return runProgram(node, [cli, ...args], 120_000, root, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env });
}

describe('deploy-actions run-workflow --summary-html', () => {
  let run: NodeRun;
  let file: string;
  let opened: OpenedPage;
  beforeAll(async () => {
    file = join(root, 'out', 'run summary.html');
    run = await cliRun(['run-workflow', '.github/workflows/pipeline.yml', '--summary-html', file]);
    opened = await open(file, true);
    if (process.env.SUMMARY_PAGE_SCREENSHOT) await opened.page.screenshot({ path: process.env.SUMMARY_PAGE_SCREENSHOT, fullPage: true });
  });
  afterAll(async () => {
    await opened?.page.context().close();
  });

  it('runs the workflow and prints where the page is', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`\nJob summaries as a page: ${file}\n`);
    expect(existsSync(file)).toBe(true);
  });

  it('loads with no network: the page fetches nothing, and refuses the images a summary names', () => {
    // Nothing reached the network layer: no script, style, font or chart of the page asked for anything.
    expect(opened.refused).toEqual([]);
    // The summary's own two images were turned away by the page's policy before any request left.
    const image = pathToFileURL(join(dirname(file), 'missing.png')).href;
    expect([...opened.requests].sort()).toEqual([pathToFileURL(file).href, image, 'https://img.example.com/badge.svg'].sort());
    expect([...opened.failed].sort()).toEqual([`${image} csp`, 'https://img.example.com/badge.svg csp'].sort());
    expect(opened.errors).toEqual([]);
    // The only complaints allowed are the browser refusing the summary's images, as the page's policy says.
    expect(opened.console.filter((text) => !/Content Security Policy/.test(text) || !/img\.example\.com|missing\.png/.test(text))).toEqual([]);
  });

  it('shows each job that wrote a summary in a box under its name and result', async () => {
    const headings = await opened.page.locator('section.job > h2').allInnerTexts();
    expect([...headings].sort()).toEqual(['canary success', 'plan success', 'verify success']);
    expect(await opened.page.locator('header h1').innerText()).toBe('canary pipeline');
  });

  it('renders the tables: the action\'s own and the canary\'s, cell by cell', async () => {
    const verify = opened.page.locator('section.job', { has: opened.page.locator('h2', { hasText: 'verify' }) });
    expect((await verify.locator('td').allInnerTexts()).join(' | ')).toContain(server.url('/health'));
    const canary = opened.page.locator('section.job', { has: opened.page.locator('h2', { hasText: 'canary' }) });
    const rows = await canary.locator('table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([
      ['1', '5 %', '0.0 %', '120 ms', 'healthy'],
      ['2', '25 %', '0.2 %', '131 ms', 'healthy'],
      ['3', '100 %', '0.1 %', '127 ms', 'promoted']
    ]);
    expect(await canary.locator('th').allInnerTexts()).toEqual(['step', 'traffic', 'error rate', 'p95 latency', 'verdict']);
    // Right-aligned as the table says, and drawn with borders as on GitHub.
    const cell = canary.locator('tbody td').nth(1);
    expect(await cell.evaluate((td) => getComputedStyle(td).textAlign)).toMatch(/right$/);
    expect(await cell.evaluate((td) => getComputedStyle(td).borderTopStyle)).toBe('solid');
  });

  it('renders the task list as checkboxes, ticked as written, that no reader can change', async () => {
    const boxes = await opened.page.locator('li > input[type="checkbox"]').evaluateAll((inputs) => inputs.map((i) => [(i as unknown as { checked: boolean }).checked, (i as unknown as { disabled: boolean }).disabled]));
    expect(boxes).toEqual([
      [true, true],
      [true, true],
      [false, true]
    ]);
    expect(await opened.page.locator('li', { has: opened.page.locator('input[type="checkbox"]') }).last().innerText()).toMatch(/^\s*rollback$/);
  });

  it('renders the code block in a monospaced box, and the details GitHub allows', async () => {
    const code = opened.page.locator('pre > code.language-text');
    expect(await code.textContent()).toBe('wrangler versions deploy v2@25% v1@75%\n');
    expect(await code.evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/monospace/);
    const canary = opened.page.locator('section.job', { has: opened.page.locator('h2', { hasText: 'canary' }) });
    expect(await canary.locator('details > summary').innerText()).toBe('Samples');
    expect(await canary.locator('details br').count()).toBe(1);
  });

  it('draws both mermaid charts as SVG: the canary timeline and the flowchart', async () => {
    expect(await opened.page.locator('pre.mermaid').count()).toBe(2);
    expect(await opened.page.locator('pre.mermaid > svg').count()).toBe(2);
    const chart = opened.page.locator('section.job', { has: opened.page.locator('h2', { hasText: 'canary' }) }).locator('pre.mermaid > svg');
    expect(await chart.getAttribute('aria-roledescription')).toBe('xychart');
    const chartText = await chart.evaluate((svg) => svg.textContent ?? '');
    for (const label of ['Canary traffic', 'minute', 'traffic %', '15', '100']) expect(chartText).toContain(label);
    // The line itself: a path drawn through the four points, with some length on screen.
    const line = await chart.evaluate((svg) => {
      const path = svg.querySelector('.line-plot-0 path, [class*="line-plot"] path');
      return path ? { length: (path as unknown as { getTotalLength(): number }).getTotalLength(), stroke: getComputedStyle(path).stroke } : null;
    });
    expect(line?.length).toBeGreaterThan(100);
    // In GitHub's blue: mermaid's default theme would draw it in its pale fill colour.
    expect(line?.stroke).toBe('rgb(9, 105, 218)');
    const flow = opened.page.locator('section.job', { has: opened.page.locator('h2', { hasText: 'plan' }) }).locator('pre.mermaid > svg');
    expect(await flow.getAttribute('aria-roledescription')).toMatch(/flowchart/);
    expect(await flow.locator('g.node').allTextContents()).toEqual(['database', 'auth', 'api', 'gateway']);
    expect(await opened.page.locator('pre.mermaid svg', { hasText: /Syntax error/ }).count()).toBe(0);
    const box = await flow.boundingBox();
    expect(box?.width).toBeGreaterThan(200);
  });

  it('runs nothing a summary carried: no script, no handler, no javascript: link', async () => {
    expect(await opened.page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    // Only the page's own two: mermaid's script and the call that draws the charts.
    expect(await opened.page.evaluate(() => document.scripts.length)).toBe(2);
    expect(await opened.page.locator('[onerror], [onclick]').count()).toBe(0);
    expect(await opened.page.locator('a', { hasText: 'click' }).getAttribute('href')).toBeNull();
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain("dataset.pwned = 'script'");
  });
});

describe('deploy-actions <action> with DEPLOY_ACTIONS_SUMMARY_HTML', () => {
  it('writes the step\'s summary as a page, which renders its table with no network', async () => {
    const file = join(root, 'single', 'health.html');
    const run = await cliRun(['health-check', '--url', server.url('/health'), '--json-path', '$.status == "ok"'], { DEPLOY_ACTIONS_SUMMARY_HTML: file });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`\nJob summaries as a page: ${file}\n`);
    const opened = await open(file, false);
    try {
      expect(await opened.page.locator('section.job > h2').allInnerTexts()).toEqual(['health-check success']);
      expect((await opened.page.locator('td').allInnerTexts()).join(' | ')).toContain(server.url('/health'));
      expect(await opened.page.locator('td', { hasText: 'healthy' }).count()).toBeGreaterThan(0);
      expect(opened.requests).toEqual([pathToFileURL(file).href]);
      expect(opened.refused).toEqual([]);
      expect(opened.errors).toEqual([]);
      // A page without a chart carries no script at all.
      expect(await opened.page.evaluate(() => document.scripts.length)).toBe(0);
    } finally {
      await opened.page.context().close();
    }
  });

  it('says what is wrong with a --summary-html without a path, exit 2, before running anything', async () => {
    const run = await cliRun(['health-check', '--url', server.url('/never'), '--summary-html']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('deploy-actions health-check: --summary-html needs the path of the page to write: --summary-html <file.html>\n');
    expect(server.requests.some((request) => request.url === '/never')).toBe(false);
  });
});
