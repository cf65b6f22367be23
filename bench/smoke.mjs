// The smoke-test scenario of `npm run bench`: the same 500-request suite against the same local
// test bed service, written for smoke-test (a spec), for newman (a Postman collection) and for
// Step CI (a workflow), all three generated here into a temp dir. Each tool runs as its own process,
// spawn to exit, and every run is checked: all 500 requests reached the service and every check
// passed, read from each tool's own report. Medians of SMOKE_RUNS interleaved rounds (newman: NEWMAN_RUNS)
// after one warm-up round. Goal: smoke-test at least 3x faster than the faster peer.
//
// Run alone with `node bench/smoke.mjs`; bench/run.mjs runs it after the health-check scenarios.
// `node bench/smoke.mjs start-up [bundle.js ...]` measures only the start-up with the 500-test spec.
// Everything is on 127.0.0.1; the unmeasured warm-up run of each tool runs under strace (when the
// machine has it and allows ptrace), which lists every address it connect()s or sends to, so a peer
// phoning home (Step CI's CLI has telemetry, off here with STEPCI_DISABLE_ANALYTICS) shows as an error.
import dc from 'node:diagnostics_channel';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify as toYaml } from 'yaml';
import { DEMO_PASSWORD, startService } from '../testbed/service.js';
import { NODE, ROOT, Scratch, actionDefaults, guardRun, actionEnv, cleanEnv, describeFailure, killAll, median, medianByRound, nodeVersion, now, quantile, readOutputs, runNode, runProcess, snapshotBundles, startServer } from './lib.mjs';

export const SMOKE_RUNS = 9; // measured runs of smoke-test and Step CI (after one warm-up round), ~4 s a round
const NEWMAN_RUNS = 5; // newman takes ~9 s a run: it sits out the last rounds so the scenario stays under 2 minutes
// Step CI's CLI as a fourth row (BENCH_STEPCI_CLI=1): its runner library is what the table measures by
// default, as it is the faster of the two (the CLI also loads yargs, its OpenAPI plugin and posthog-node)
// and it hands back the result object, so every check is counted rather than inferred from a summary.
const WITH_STEPCI_CLI = process.env.BENCH_STEPCI_CLI === '1';
const GROUPS = 100; // each group: GET /health, POST /items (a), GET <its Location>, POST /items (b), GET <its Location>
const REQUESTS = GROUPS * 5;
const CHECKS_PER_REQUEST = 3; // status + one JSONPath equality + one header equality
const CHECKS = REQUESTS * CHECKS_PER_REQUEST;
const GOAL = 3; // smoke-test at least 3x faster than the faster peer
const RUN_TIMEOUT_MS = 60_000;
export const NEWMAN_BIN = join(ROOT, 'node_modules/newman/bin/newman.js');
export const STEPCI_BIN = join(ROOT, 'node_modules/stepci/dist/index.js');
const STEPCI_RUNNER = join(ROOT, 'node_modules/@stepci/runner/dist/index.js');

const packageVersion = (name) => {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
};

// ------------------------------------------------------------------ the three suites

/** One group's requests, tool-neutral: what is sent and what is checked. */
export function plan() {
  const requests = [];
  for (let g = 1; g <= GROUPS; g++) {
    const group = `g${String(g).padStart(3, '0')}`;
    requests.push({ group, key: 'health', method: 'GET', path: '/health', status: 200, json: ['status', 'ok'], header: ['cache-control', 'no-store'] });
    for (const item of ['a', 'b']) {
      const name = `widget-${group}-${item}`;
      requests.push({ group, key: `create ${item}`, method: 'POST', path: '/items', auth: true, body: { name }, capture: item, status: 201, json: ['name', name], header: ['content-type', 'application/json'] });
      requests.push({ group, key: `read ${item}`, method: 'GET', path: '/items/<id from Location>', uses: item, status: 200, json: ['name', name], header: ['x-service-version', 'v1'] });
    }
  }
  return requests;
}

/** smoke-test: one test per request; a read needs its create (and gets the Location it captured). */
export function smokeSpec(requests, baseUrl) {
  const tests = requests.map((r) => {
    const name = `${r.group} ${r.key}`;
    const request = { method: r.method, url: r.uses ? '{{ location }}' : r.path };
    if (r.auth) request.headers = { Authorization: 'Bearer {{ env.SMOKE_TOKEN }}' };
    if (r.body) request.json = r.body;
    const test = { name };
    if (r.uses) test.needs = [`${r.group} create ${r.uses}`];
    test.request = request;
    test.expect = { status: r.status, json: { [`$.${r.json[0]}`]: { equals: r.json[1] } }, headers: { [r.header[0]]: r.header[1] } };
    // A Location path is no secret: the spec format's documented `secret: false` keeps it out of the
    // masking (the peers mask nothing). Left masked, the 200 captures cost smoke-test ~75 ms more a run.
    if (r.capture) test.capture = { location: { from: 'header:location', secret: false } };
    return test;
  });
  return toYaml({ 'base-url': baseUrl, defaults: { timeout: '10s' }, tests }, { lineWidth: 0 });
}

/** newman: a Postman v2.1 collection, a folder per group, pm.test() per check; the token is an --env-var. */
export function newmanCollection(requests, baseUrl) {
  const folders = new Map();
  for (const r of requests) {
    const exec = [
      `pm.test('status is ${r.status}', function () { pm.response.to.have.status(${r.status}); });`,
      `pm.test('$.${r.json[0]} == ${JSON.stringify(r.json[1])}', function () { pm.expect(pm.response.json().${r.json[0]}).to.eql(${JSON.stringify(r.json[1])}); });`,
      `pm.test('${r.header[0]}: ${r.header[1]}', function () { pm.expect(pm.response.headers.get(${JSON.stringify(r.header[0])})).to.eql(${JSON.stringify(r.header[1])}); });`
    ];
    if (r.capture) exec.push(`pm.collectionVariables.set('location_${r.capture}', pm.response.headers.get('Location'));`);
    const header = [];
    if (r.auth) header.push({ key: 'Authorization', value: 'Bearer {{token}}' });
    if (r.body) header.push({ key: 'Content-Type', value: 'application/json' });
    const request = { method: r.method, header, url: `{{baseUrl}}${r.uses ? `{{location_${r.uses}}}` : r.path}` };
    if (r.body) request.body = { mode: 'raw', raw: JSON.stringify(r.body), options: { raw: { language: 'json' } } };
    const item = { name: `${r.group} ${r.key}`, request, event: [{ listen: 'test', script: { type: 'text/javascript', exec } }] };
    if (!folders.has(r.group)) folders.set(r.group, []);
    folders.get(r.group).push(item);
  }
  return JSON.stringify({
    info: { name: 'deploy-actions smoke bench', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    variable: [{ key: 'baseUrl', value: baseUrl }],
    item: [...folders].map(([name, item]) => ({ name, item }))
  });
}

/** Step CI: a test per group (its steps run in order, the tests at once), captures per test; the token is a secret. */
export function stepciWorkflow(requests, baseUrl) {
  const tests = {};
  for (const r of requests) {
    const http = { url: `\${{ env.baseUrl }}${r.uses ? `\${{ captures.location_${r.uses} }}` : r.path}`, method: r.method };
    if (r.auth) http.headers = { Authorization: 'Bearer ${{ secrets.token }}' };
    if (r.body) http.json = r.body;
    if (r.capture) http.captures = { [`location_${r.capture}`]: { header: 'location' } };
    http.check = { status: r.status, jsonpath: { [`$.${r.json[0]}`]: r.json[1] }, headers: { [r.header[0]]: r.header[1] } };
    (tests[r.group] ??= { name: r.group, steps: [] }).steps.push({ name: r.key, http });
  }
  return toYaml({ version: '1.1', name: 'deploy-actions smoke bench', env: { baseUrl }, tests }, { lineWidth: 0 });
}

/** A small driver for Step CI's runner library: runs the workflow and writes the counts of its result object. */
const STEPCI_DRIVER = `
const { writeFileSync } = require('node:fs');
const { runFromFile } = require(${JSON.stringify(STEPCI_RUNNER)});
const [workflow, token, out] = process.argv.slice(2);
runFromFile(workflow, { secrets: { token } }).then(({ result }) => {
  const tally = { tests: 0, testsPassed: 0, steps: 0, stepsPassed: 0, checks: 0, checksPassed: 0, durationMs: result.duration, passed: result.passed };
  const leaves = (node) => (node && typeof node.passed === 'boolean' && 'expected' in node ? [node] : Object.values(node ?? {}).flatMap((v) => (v && typeof v === 'object' ? leaves(v) : [])));
  for (const test of result.tests) {
    tally.tests += 1;
    if (test.passed) tally.testsPassed += 1;
    for (const step of test.steps) {
      tally.steps += 1;
      if (step.passed) tally.stepsPassed += 1;
      for (const check of leaves(step.checks)) {
        tally.checks += 1;
        if (check.passed) tally.checksPassed += 1;
      }
    }
  }
  writeFileSync(out, JSON.stringify(tally));
  process.exitCode = result.passed ? 0 : 5;
});
`;

// ------------------------------------------------------------------ the bench

/**
 * Runs the scenario and returns what to print. `bundle` is a copy of dist/smoke-test/main/index.js (taken
 * aside by the caller); `scratch` a Scratch for temp files; `progress` writes a line to stderr.
 */
export async function smokeBench({ bundle, scratch, progress = (t) => process.stderr.write(`${t}\n`), runs = SMOKE_RUNS, newmanRuns = Math.min(NEWMAN_RUNS, runs) }) {
  const errors = [];
  const fail = (what, detail) => {
    errors.push(`${what}: ${detail}`);
    progress(`  ! ${what}: ${detail.split('\n')[0]}`);
  };
  const dir = join(scratch.dir, 'smoke');
  mkdirSync(dir, { recursive: true });
  const versions = { newman: packageVersion('newman'), stepci: packageVersion('stepci'), runner: packageVersion('@stepci/runner') };
  const service = await startService();
  // Connections the service accepts (its own counters see one request at a time: it answers at once).
  // When the first and the last request of a run arrive: where a run's time goes (start-up, requests, the rest).
  const conns = { open: 0, max: 0, total: 0, first: NaN, last: NaN };
  const onSocket = ({ socket }) => {
    if (socket.localPort !== service.port) return;
    conns.open += 1;
    conns.total += 1;
    conns.max = Math.max(conns.max, conns.open);
    socket.once('close', () => (conns.open -= 1));
  };
  const onRequest = ({ socket }) => {
    if (socket?.localPort !== service.port) return;
    const at = now();
    if (!(conns.first <= at)) conns.first = at;
    conns.last = at;
  };
  dc.subscribe('net.server.socket', onSocket);
  dc.subscribe('http.server.request.start', onRequest);
  try {
    // The token comes from outside, as a CI secret would: one login before the suites run.
    const login = await fetch(`${service.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'bench', password: DEMO_PASSWORD }) });
    const { token } = await login.json();
    if (!token) throw new Error(`the test bed refused the login (${login.status})`);

    const requests = plan();
    const files = {
      spec: join(dir, 'smoke.yml'),
      collection: join(dir, 'collection.json'),
      workflow: join(dir, 'workflow.yml'),
      driver: join(dir, 'stepci-run.cjs')
    };
    writeFileSync(files.spec, smokeSpec(requests, service.url));
    writeFileSync(files.collection, newmanCollection(requests, service.url));
    writeFileSync(files.workflow, stepciWorkflow(requests, service.url));
    writeFileSync(files.driver, STEPCI_DRIVER);
    // Step CI's CLI keeps an anonymous id in a `conf` file under XDG_CONFIG_HOME: keep it in the temp dir.
    const peerEnv = { ...cleanEnv(), STEPCI_DISABLE_ANALYTICS: '1', XDG_CONFIG_HOME: join(dir, 'config'), NO_COLOR: '1', FORCE_COLOR: '0' };

    let n = 0;
    const concurrency = actionDefaults('smoke-test').concurrency;
    /** Spawns one run of a tool; `check(r)` returns { checks, inToolMs } or a string saying what is wrong. */
    const tools = [
      {
        key: 'ours',
        runs,
        label: `smoke-test (dist bundle, concurrency ${concurrency})`,
        parallelism: `tests without \`needs\` in parallel, ${concurrency} at a time (the default \`concurrency\`); each read waits for its create`,
        spawn: () => {
          const out = scratch.files(); // GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP (the reports go there)
          const env = actionEnv('smoke-test', { spec: 'smoke.yml' }, out);
          Object.assign(env, { GITHUB_WORKSPACE: dir, SMOKE_TOKEN: token });
          return { args: [bundle], env, out, dir: out.temp };
        },
        check: (r, { out }) => {
          if (r.code !== 0) return `exit code ${r.code}`;
          const outputs = readOutputs(out.output);
          const report = outputs['json-path'] && existsSync(outputs['json-path']) ? JSON.parse(readFileSync(outputs['json-path'], 'utf8')) : null;
          if (!report) return 'no results.json';
          const target = report.targets[0];
          const passed = target.tests.filter((t) => t.outcome === 'passed' && t.attempts.length === 1).length;
          if (Number(outputs.passed) !== REQUESTS || Number(outputs.failed) !== 0 || passed !== REQUESTS) {
            return `passed ${outputs.passed}, failed ${outputs.failed}, flaky ${outputs.flaky}, skipped ${outputs.skipped} of ${outputs.total}`;
          }
          // A test passes only when every check of its `expect` does; each has CHECKS_PER_REQUEST.
          return { checks: passed * CHECKS_PER_REQUEST, inToolMs: target['duration-ms'] };
        }
      },
      {
        key: 'newman',
        runs: newmanRuns,
        label: `newman ${versions.newman} (CLI, json reporter)`,
        parallelism: 'sequential (newman runs the requests of a collection one after another by design)',
        spawn: (tag) => {
          const report = join(dir, `newman-${tag}.json`);
          return { args: [NEWMAN_BIN, 'run', files.collection, '--env-var', `token=${token}`, '--reporters', 'json', '--reporter-json-export', report], env: peerEnv, report, dir };
        },
        check: (r, { report }) => {
          if (!existsSync(report)) return `no JSON report (exit code ${r.code})`;
          const { run } = JSON.parse(readFileSync(report, 'utf8'));
          const a = run.stats.assertions;
          const q = run.stats.requests;
          if (r.code !== 0 || a.failed !== 0 || q.failed !== 0 || run.failures.length > 0 || a.total !== CHECKS || q.total !== REQUESTS) {
            return `exit code ${r.code}; requests ${q.total} (${q.failed} failed), assertions ${a.total} (${a.failed} failed), ${run.failures.length} failures${run.failures[0] ? `: ${run.failures[0].error?.message}` : ''}`;
          }
          return { checks: a.total - a.failed, inToolMs: run.timings.completed - run.timings.started };
        }
      },
      {
        key: 'stepci',
        runs: newmanRuns,
        label: `Step CI ${versions.stepci} (CLI, runner ${versions.runner})`,
        parallelism: `its ${GROUPS} tests at once (default concurrency = number of tests), the 5 steps of each in order`,
        spawn: () => ({ args: [STEPCI_BIN, 'run', files.workflow, '-s', `token=${token}`], env: peerEnv, dir }),
        check: (r) => {
          // The CLI prints no result object; its summary counts steps, and a step passes only when all its checks do.
          const text = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
          const steps = /Steps:\s+(\d+) failed, (\d+) skipped, (\d+) passed, (\d+) total/.exec(text);
          const took = /Workflow passed after ([\d.]+)s/.exec(text);
          if (r.code !== 0 || !steps || steps[3] !== String(REQUESTS) || steps[4] !== String(REQUESTS)) return `exit code ${r.code}; ${steps ? steps[0] : 'no summary'}`;
          return { checks: Number(steps[3]) * CHECKS_PER_REQUEST, inToolMs: took ? Number(took[1]) * 1000 : NaN };
        }
      },
      {
        key: 'stepciLib',
        runs,
        label: `Step CI (runner library ${versions.runner}, child process)`,
        parallelism: `its ${GROUPS} tests at once (default concurrency = number of tests), the 5 steps of each in order`,
        spawn: (tag) => {
          const out = join(dir, `stepci-${tag}.json`);
          return { args: [files.driver, files.workflow, token, out], env: peerEnv, out, dir };
        },
        check: (r, { out }) => {
          if (!existsSync(out)) return `no result (exit code ${r.code})`;
          const t = JSON.parse(readFileSync(out, 'utf8'));
          if (r.code !== 0 || !t.passed || t.stepsPassed !== REQUESTS || t.checks !== CHECKS || t.checksPassed !== CHECKS) {
            return `exit code ${r.code}; steps ${t.stepsPassed}/${t.steps} passed, checks ${t.checksPassed}/${t.checks} passed`;
          }
          return { checks: t.checksPassed, inToolMs: t.durationMs };
        }
      }
    ].filter((t) => {
      if (t.key === 'stepci' && !WITH_STEPCI_CLI) return false;
      const bin = { newman: NEWMAN_BIN, stepci: STEPCI_BIN, stepciLib: STEPCI_RUNNER, ours: bundle }[t.key];
      if (bin && existsSync(bin)) return true;
      fail(`smoke ${t.key}`, `${bin ? bin.slice(ROOT.length + 1) : 'dist/smoke-test/main/index.js'} is missing (npm install / npm run build)`);
      return false;
    });

    const { strace, why } = await findStrace();
    const egress = { seen: [], note: '' };
    const results = new Map(tools.map((t) => [t.key, { wall: [], inTool: [], checks: [], requests: [], connections: [], startup: [], span: [], after: [], maxOpen: 0, last: NaN }]));
    const runOnce = async (tool, round) => {
      const tag = `${round < 0 ? 'w' : ''}${Math.abs(round)}-${(n += 1)}`;
      const spec = tool.spawn(tag);
      results.get(tool.key).last = NaN;
      service.resetCounters();
      Object.assign(conns, { max: conns.open, total: 0, first: NaN, last: NaN });
      // The warm-up round runs under strace: every address each tool's processes try to reach.
      const log = join(spec.dir, `strace-${tool.key}.txt`);
      const traced = round < 0 && strace;
      const r = traced
        ? await runProcess(strace, ['-f', '-qq', '-e', 'trace=connect,sendto,sendmsg', '-o', log, NODE, ...spec.args], { env: spec.env, timeoutMs: RUN_TIMEOUT_MS })
        : await runNode(spec.args, { env: spec.env, timeoutMs: RUN_TIMEOUT_MS });
      if (traced) {
        const seen = tracedAddresses(log);
        egress.seen.push(`${tool.key} ${seen.addresses.join(', ') || 'none'} (${seen.calls} calls)`);
        if (seen.foreign.length) fail(`smoke egress ${tool.key}`, `reached beyond the loopback: ${seen.foreign.join(', ')}`);
      }
      const sent = service.requests();
      let verdict;
      try {
        verdict = r.timedOut || r.error || r.signal ? describeFailure(r) : tool.check(r, spec);
      } catch (error) {
        verdict = `its report could not be read: ${error.message}`;
      }
      if (typeof verdict === 'string' || sent !== REQUESTS) {
        fail(`smoke ${tool.key} round ${round}`, `${typeof verdict === 'string' ? verdict : 'checks ok'}; the service saw ${sent} of ${REQUESTS} requests\n${describeFailure(r)}`);
        return;
      }
      const m = results.get(tool.key);
      m.last = r.tExit - r.t0;
      if (round < 0) return;
      m.wall.push(r.tExit - r.t0);
      m.inTool.push(verdict.inToolMs);
      m.checks.push(verdict.checks);
      m.requests.push(sent);
      m.connections.push(conns.total);
      m.startup.push(conns.first - r.t0);
      m.span.push(conns.last - conns.first);
      m.after.push(r.tExit - conns.last);
      m.maxOpen = Math.max(m.maxOpen, conns.max);
    };

    const rounds = Math.max(...tools.map((t) => t.runs));
    progress(
      `[smoke] ${REQUESTS} requests (${GROUPS} x health, create, read, create, read), ${CHECKS} checks; ${tools.map((t) => `${t.key} ${t.runs}`).join(', ')} runs ` +
        `+ 1 warm-up each${strace ? ' (the warm-up under strace)' : ''}, interleaved`
    );
    for (let round = -1; round < rounds; round++) {
      const these = tools.filter((t) => t.runs > 0 && round < t.runs);
      const shift = ((round % these.length) + these.length) % these.length;
      for (const tool of [...these.slice(shift), ...these.slice(0, shift)]) await runOnce(tool, round);
      progress(`  round ${round < 0 ? 'warm-up' : round + 1}/${rounds}: ${these.map((t) => `${t.key} ${fmtMs(results.get(t.key).last)}`).join(', ')} ms`);
    }

    egress.note = strace ? `warm-up round under strace -f (connect/sendto/sendmsg); IP addresses reached: ${egress.seen.join('; ')}` : `${why}: not checked (every URL in the suites is 127.0.0.1)`;
    progress(`[smoke] egress: ${egress.note}`);

    return { tools, results, errors, egress, versions };
  } finally {
    dc.unsubscribe('net.server.socket', onSocket);
    dc.unsubscribe('http.server.request.start', onRequest);
    await service.close();
  }
}

/** strace, when this machine has it and may trace (ptrace allowed): the warm-up round runs under it. */
async function findStrace() {
  const strace = ['/usr/bin/strace', '/bin/strace'].find((p) => existsSync(p));
  if (!strace) return { strace: null, why: 'strace not found' };
  const probe = await runProcess(strace, ['-f', '-qq', '-e', 'trace=connect', '-o', '/dev/null', NODE, '-e', '0'], { timeoutMs: 10_000 });
  return probe.code === 0 ? { strace } : { strace: null, why: 'strace cannot trace here (ptrace refused)' };
}

/** The IP addresses in a `strace -e trace=connect,sendto,sendmsg` log, and how many such calls it holds. */
function tracedAddresses(log) {
  const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
  const addresses = new Set();
  for (const m of text.matchAll(/sa_family=AF_INET6?, sin6?_port=htons\(\d+\),[^)]*?(?:inet_addr\(|inet_pton\(AF_INET6?, )"([^"]+)"/g)) addresses.add(m[1]);
  const calls = (text.match(/^\d+ +(connect|sendto|sendmsg)\(/gm) ?? []).length;
  const foreign = [...addresses].filter((a) => !/^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/.test(a));
  return { addresses: [...addresses], calls, foreign };
}

// ------------------------------------------------------------------ output

const fmtMs = (v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const fmtX = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : 'n/a');

/** The table and notes, as lines. */
export function smokeReport({ tools, results, errors, egress }) {
  const lines = [
    `smoke-test: the same ${REQUESTS}-request suite (${GROUPS} x GET /health, POST /items, GET its Location, POST /items, GET its Location; ${CHECKS_PER_REQUEST} checks each) against the test bed service,`,
    '  as a smoke-test spec, a newman collection and a Step CI workflow generated by bench/smoke.mjs',
    ''
  ];
  const ours = median(results.get('ours')?.wall ?? []);
  const peers = tools.filter((t) => t.key !== 'ours').map((t) => ({ ...t, med: median(results.get(t.key).wall) })).filter((t) => Number.isFinite(t.med));
  const fastest = peers.sort((a, b) => a.med - b.med)[0];
  const ratio = fastest ? fastest.med / ours : NaN;
  const complete = tools.every((t) => results.get(t.key).wall.length === t.runs && results.get(t.key).checks.every((c) => c === CHECKS));
  const verdict = !Number.isFinite(ratio) || !complete ? 'ERROR' : ratio >= GOAL ? 'PASS' : 'MISS';
  const header = ['tool', 'median wall ms', 'requests/s', 'ratio vs ours', 'checks passed', 'to 1st req / 1st->last / last->exit ms', `goal (>= ${GOAL}x vs faster peer)`];
  const body = tools.map((t) => {
    const m = results.get(t.key);
    const med = median(m.wall);
    const checks = m.checks.length ? `${Math.min(...m.checks)}/${CHECKS}${m.checks.length < t.runs ? ` (${m.checks.length}/${t.runs} runs)` : ''}` : `0/${CHECKS}`;
    const goal = t.key === 'ours' ? `${fmtX(ratio)} vs ${fastest?.key ?? '?'}: ${verdict}` : '-';
    const phases = [m.startup, m.span, m.after].map((v) => fmtMs(median(v))).join(' / ');
    return [t.label, fmtMs(med), Number.isFinite(med) ? (REQUESTS / (med / 1000)).toFixed(0) : 'n/a', t.key === 'ours' ? '1.00x' : fmtX(med / ours), checks, phases, goal];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const right = (i) => i >= 1 && i <= 5;
  const line = (cells) => `| ${cells.map((c, i) => (right(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  lines.push(line(header));
  lines.push(`|${widths.map((w, i) => (right(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const row of body) lines.push(line(row));
  lines.push('');
  lines.push(`Notes: wall = spawn -> exit of the tool's process, median of the interleaved runs (n below) after 1 warm-up each; requests/s = ${REQUESTS} / wall; ratio vs ours = tool / smoke-test (>1 = smoke-test faster);`);
  lines.push(`  phases (medians, seen at the service): spawn -> first request (start-up, loading the suite), first -> last request, last request -> exit (last checks, reports, exit).`);
  lines.push(`  Every run: the service saw exactly ${REQUESTS} requests and all ${CHECKS} checks passed`);
  const how = {
    ours: `results.json + outputs, ${REQUESTS} tests passed x ${CHECKS_PER_REQUEST} checks each`,
    newman: 'the json reporter\'s assertion counts',
    stepci: `its summary, ${REQUESTS} steps passed x ${CHECKS_PER_REQUEST} checks each`,
    stepciLib: 'every check in the result object counted'
  };
  lines.push(`  (${tools.map((t) => `${t.key}: ${how[t.key]}`).join('; ')}).`);
  lines.push('  Parallelism:');
  for (const t of tools) {
    const m = results.get(t.key);
    lines.push(`    ${t.key}: ${t.parallelism}; seen at the service: up to ${m.maxOpen} connections open at once, ${median(m.connections)} connections per run`);
  }
  lines.push(`  Egress: ${egress?.note ?? 'not checked'}`);
  lines.push('\nDetails (ms): n, min / p10 / median / p90 / max');
  const series = [];
  for (const t of tools) {
    const m = results.get(t.key);
    series.push([`${t.key}: wall, spawn -> exit`, m.wall], [`${t.key}: its own duration, as it reports it`, m.inTool]);
  }
  const width = Math.max(...series.map(([name]) => name.length));
  for (const [name, v] of series) {
    if (!v.length) continue;
    const q = [Math.min(...v), quantile(v, 0.1), median(v), quantile(v, 0.9), Math.max(...v)].map(fmtMs);
    lines.push(`  ${name.padEnd(width)}  n=${String(v.length).padStart(2)}  ${q.join(' / ')}`);
  }
  if (errors.length) {
    lines.push(`\n${errors.length} smoke run(s) failed:`);
    for (const e of errors.slice(0, 10)) lines.push(`  - ${e}`);
  }
  return { lines, verdict };
}

// ------------------------------------------------------------------ start-up with the 500-test spec

export const START_UP_RUNS = 25;

/**
 * Spawn -> first request of each bundle with the 500-test spec and with a one-test spec (inline),
 * `runs` interleaved rounds after one warm-up, medians (of each round's difference, for the differences). The process is killed when its first request
 * arrives: what is measured is start-up, and the difference between the two specs is what reading
 * and checking 499 more tests costs before the first request.
 * That one test has no JSONPath or header check, so the difference also holds loading the code of
 * those checks once. A third spec, the first test of the 500 alone (one JSONPath and one header
 * check), gives a second difference without it: what the 499 more tests cost by themselves.
 */
export async function startUpBench({ bundles, scratch, runs = START_UP_RUNS, progress = (t) => process.stderr.write(`${t}\n`) }) {
  const dir = join(scratch.dir, 'start-up');
  mkdirSync(dir, { recursive: true });
  let arrived = null;
  const server = await startServer((req, res) => {
    arrived ??= now();
    res.end('ok');
    killAll();
  });
  try {
    writeFileSync(join(dir, 'smoke.yml'), smokeSpec(plan(), server.base));
    writeFileSync(join(dir, 'first-test.yml'), smokeSpec(plan().slice(0, 1), server.base));
    const specs = { 'bench spec (500 tests)': 'smoke.yml', 'one test': `tests:\n  - name: one\n    request: { url: ${JSON.stringify(`${server.base}/one`)} }\n`, 'its first test alone': 'first-test.yml' };
    const results = new Map();
    for (let round = -1; round < runs; round++) {
      for (const bundle of bundles) {
        for (const [label, spec] of Object.entries(specs)) {
          const env = actionEnv('smoke-test', { spec }, scratch.files());
          Object.assign(env, { GITHUB_WORKSPACE: dir, SMOKE_TOKEN: 'tok_bench' });
          arrived = null;
          const r = await runNode([bundle], { env, timeoutMs: 30_000 });
          if (arrived === null) throw new Error(`${bundle} sent no request with the ${label}: ${describeFailure(r)}`);
          if (round < 0) continue;
          const key = `${bundle}\t${label}`;
          results.set(key, [...(results.get(key) ?? []), arrived - r.t0]);
        }
      }
      progress(`  start-up round ${round < 0 ? 'warm-up' : round + 1}/${runs}`);
    }
    return bundles.map((bundle) => {
      const times = (label) => results.get(`${bundle}\t${label}`);
      const [big, one, first] = ['bench spec (500 tests)', 'one test', 'its first test alone'].map(times);
      const paired = (other) => medianByRound(big, other, (bigMs, otherMs) => bigMs - otherMs);
      return { bundle, runs, bigMs: median(big), oneMs: median(one), loadMs: paired(one), firstMs: median(first), sameChecksLoadMs: paired(first) };
    });
  } finally {
    await server.close();
  }
}

// ------------------------------------------------------------------ alone: `node bench/smoke.mjs`

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === 'start-up') {
  const scratch = new Scratch();
  guardRun('bench/smoke start-up', scratch, 600_000);
  try {
    const given = process.argv.slice(3);
    const bundles = given.length > 0 ? given.map((b) => resolve(b)) : [(await snapshotBundles(scratch)).find((b) => b.name === 'smoke-test').file];
    process.stderr.write(`bench/smoke start-up: Node ${nodeVersion()}, ${START_UP_RUNS} runs + 1 warm-up each, interleaved\n`);
    for (const r of await startUpBench({ bundles, scratch })) {
      console.log(`${r.bundle}: spawn -> first request ${fmtMs(r.bigMs)} ms with the 500-test spec, ${fmtMs(r.oneMs)} ms with one test: reading and checking the spec ${fmtMs(r.loadMs)} ms (medians of ${r.runs}; the difference: the median of each round's)`);
      console.log(`${r.bundle}: ${fmtMs(r.firstMs)} ms with the spec's first test alone (the same kinds of checks): its other 499 tests ${fmtMs(r.sameChecksLoadMs)} ms`);
    }
  } finally {
    killAll();
    scratch.remove();
  }
  process.exit(0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const WATCHDOG_MS = 240_000;
  const scratch = new Scratch();
  guardRun('bench/smoke', scratch, WATCHDOG_MS);
  const started = now();
  let result;
  let crashed = false;
  try {
    const bundles = await snapshotBundles(scratch);
    const bundle = bundles.find((b) => b.name === 'smoke-test');
    if (!bundle) throw new Error('dist/smoke-test/main/index.js is missing: run npm run build');
    process.stderr.write(`bench/smoke: Node ${nodeVersion()}, measuring ${bundle.origin}\n`);
    result = await smokeBench({ bundle: bundle.file, scratch });
  } catch (error) {
    crashed = true;
    process.stderr.write(`bench/smoke crashed: ${error.stack ?? error}\n`);
  } finally {
    killAll();
    scratch.remove();
  }
  if (result) {
    console.log(`\ndeploy-actions smoke bench — Node ${nodeVersion()}, ${new Date().toISOString()}, took ${((now() - started) / 1000).toFixed(1)} s\n`);
    console.log(smokeReport(result).lines.join('\n'));
  }
  process.exit(crashed || result.errors.length ? 1 : 0);
}
