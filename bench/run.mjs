// `npm run bench`: cold start of every bundle against a bundle of @actions/core alone (the floor)
// and the peers (wait-on; newman and Step CI for smoke-test); canary-shift and rollback both with
// the command provider and with the Cloudflare provider; create-tracking-issue also against a bundle
// of @actions/core with octokit and its throttling and retry plugins alone (what any GitHub call
// costs, for information), and the command-provider rows also against a bundle of @actions/core that
// runs one command through @actions/exec before its request (for information); detection latency
// and fan-out of the health-check bundle against wait-on, then the smoke-test suite against newman
// and Step CI (bench/smoke.mjs, its own table), then build-cache-key on generated 30,000- and
// 200,000-file trees against @actions/glob hashFiles and the git floor (bench/cache-key.mjs, its
// own table), then create-tracking-issue's GitHub API calls per run on the GitHub stand-in against
// the peers' counts read from their sources (bench/issues.mjs, its own table), all measured in this
// run on this machine only.
//
// Every number in the table is a median of at least 10 runs; runs of the compared variants are
// interleaved round by round so that machine noise hits them alike. The process exits 0 when the
// bench ran (a goal missed is printed as MISS, not an error) and 1 when a measured process crashed,
// timed out or never sent its request (the numbers would be meaningless).
// The bundles are copied aside first (a concurrent `npm run build` empties dist/), and one extra,
// unmeasured run per bundle with bench/first-request-hook.mjs preloaded lists what its start-up loads.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import waitOn from 'wait-on';
import {
  NODE,
  ROOT,
  WAIT_ON_BIN,
  Scratch,
  guardRun,
  actionEnv,
  bundleFloor,
  cleanEnv,
  describeFailure,
  killAll,
  median,
  medianByRound,
  nodeVersion,
  now,
  quantile,
  readOutputs,
  runNode,
  seededRandom,
  snapshotBundles,
  startServer
} from './lib.mjs';
import { NEWMAN_BIN, STEPCI_BIN, newmanCollection, smokeBench, smokeReport, stepciWorkflow } from './smoke.mjs';
import { cacheKeyBench, cacheKeyReport } from './cache-key.mjs';
import { canaryBench } from './canary.mjs';
import { issuesBench } from './issues.mjs';

const RUNS_COLD = 20; // each run well under a second; start-up times are the noisiest numbers here
const RUNS_DETECT = 10; // each run about 2 s: T is 1.25-1.75 s after start
const RUNS_FAN = 10; // each run under a second
const WARMUP = 2;
const INTERVAL_MS = 500;
const DETECT_SLACK_MS = 50;
const CORE_GOAL = 1.25; // each bundle, spawn -> first request, against a bundle of @actions/core alone doing the same
const PEER_GOAL = 1; // and faster than the peer
const FAN_GOAL = 1.2; // "close to 1x"
const FAN_URLS = 100;
const FAN_SERVERS = 4;
const FAN_DELAY_MS = 200;
const FAN_SLOWEST_MS = 400;
const WATCHDOG_MS = 960_000; // hard stop: the whole bench normally takes about 9 minutes (2 for health-check, 2 for smoke-test, 3-4 for build-cache-key, 1-2 for canary-shift)

// wait-on reads proxy settings from the environment (axios); never let them see 127.0.0.1 traffic.
for (const k of Object.keys(process.env)) if (/^(https?_proxy|all_proxy|npm_config_(https_)?proxy)$/i.test(k)) delete process.env[k];
process.env.NO_PROXY = process.env.no_proxy = '127.0.0.1,localhost';

const errors = [];
let bundles = []; // snapshots of dist/*/main/index.js, taken at start
let HEALTH_CHECK = ''; // the snapshot of dist/health-check/main/index.js
const series = []; // { name, values } for the details section
const rows = [];
const scratch = new Scratch();

function record(name, values) {
  series.push({ name, values });
  return median(values);
}

function fail(what, detail) {
  errors.push(`${what}: ${detail}`);
  process.stderr.write(`  ! ${what}: ${detail.split('\n')[0]}\n`);
}

guardRun('bench', scratch, WATCHDOG_MS);

const fmtMs = (v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const fmtX = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : 'n/a');
const progress = (text) => process.stderr.write(`${text}\n`);

/**
 * Runs every variant `rounds` times, round-robin with a rotating order, after `warmup` unrecorded
 * rounds. The finite values per variant; `.rounds` has every round's value in order (NaN where a
 * run failed), for ratios taken round by round.
 */
async function interleave(variants, rounds, warmup = 0) {
  const values = new Map(variants.map((v) => [v.key, []]));
  values.rounds = new Map(variants.map((v) => [v.key, []]));
  for (let round = -warmup; round < rounds; round++) {
    const shift = ((round % variants.length) + variants.length) % variants.length;
    const order = [...variants.slice(shift), ...variants.slice(0, shift)];
    for (const variant of order) {
      const value = await variant.run(round);
      if (round >= 0) values.rounds.get(variant.key).push(value);
      if (round >= 0 && Number.isFinite(value)) values.get(variant.key).push(value);
    }
  }
  return values;
}

function healthCheckInputs(url, extra = {}) {
  return { url, interval: `${INTERVAL_MS}ms`, backoff: 'fixed', jitter: 'false', deadline: '20s', timeout: '5s', ...extra };
}

/** Inputs that make bundle `name` send one GET to `url`: smoke-test takes a spec, the others health-check's inputs. */
function oneRequestInputs(name, url) {
  if (name === 'smoke-test') return { spec: `tests:\n  - name: cold start\n    request: { url: ${JSON.stringify(url)} }\n` };
  // The command provider with commands that do nothing (/bin/true, no shell): the first request is
  // the first probe, after the one platform call a real run makes first.
  if (name === 'canary-shift') {
    return { provider: 'command', version: 'green', 'stable-version': 'blue', 'shift-command': 'true', 'rollback-command': 'true', 'canary-url': url, 'stable-url': url, url, steps: '0,100', bake: '0s', interval: '1s' };
  }
  if (name === 'rollback') return { provider: 'command', worker: 'bench', to: 'v1', 'rollback-command': 'true', url, 'verify-deadline': '20s' };
  return healthCheckInputs(url);
}

/**
 * The environment of a run of bundle `name` whose first request goes to `url` or below it:
 * create-tracking-issue's first call lists issues under GITHUB_API_URL.
 */
function oneRequestEnv(name, url, files) {
  if (name === 'create-tracking-issue') return { ...actionEnv(name, { title: 'cold start', 'github-token': 'bench-token' }, files), GITHUB_API_URL: url, GITHUB_REPOSITORY: 'bench/bench' };
  return actionEnv(name, oneRequestInputs(name, url), files);
}

/**
 * canary-shift and rollback with the Cloudflare provider, the one most pipelines use: their first
 * request is a call to the Cloudflare API (CLOUDFLARE_API_BASE_URL, below `url`), the deployments
 * read. The workspace's wrangler is the one they find; canary-shift starts it (versions list)
 * alongside that read, as a real run does. The run then fails on the bench server's answer (text,
 * not the API's JSON), and its process group goes with it: no wrangler is left running.
 */
function cloudflareEnv(name, url, files) {
  const inputs = { provider: 'cloudflare', worker: 'bench', 'api-token': 'bench-token', 'account-id': 'bench-account', 'working-directory': ROOT, url };
  const own = name === 'canary-shift' ? { version: 'green', 'stable-version': 'blue', steps: '0,100', bake: '0s', interval: '1s' } : { to: 'v1', 'verify-deadline': '20s' };
  return { ...actionEnv(name, { ...inputs, ...own }, files), CLOUDFLARE_API_BASE_URL: url };
}

/** What the cold-start table measures: every bundle as above, then canary-shift and rollback with the Cloudflare provider. */
function coldCases() {
  const cases = bundles.map((b) => ({ key: b.name, name: b.name, file: b.file, label: b.name, env: oneRequestEnv, group: false }));
  for (const b of bundles.filter((b) => b.name === 'canary-shift' || b.name === 'rollback')) {
    cases.push({ key: `${b.name}@cloudflare`, name: b.name, file: b.file, label: `${b.name}, Cloudflare provider`, env: cloudflareEnv, group: true });
  }
  return cases;
}

/** The median of each round's own ratio: the machine's drift during a run hits both sides of a round alike. */
function pairedRatio(ours, floor) {
  return medianByRound(ours, floor, (oursMs, floorMs) => oursMs / floorMs);
}

/** When the first request to `path`, or below it (an API root), arrived. */
function firstRequestAt(server, path) {
  return server.firstAt.get(path) ?? [...server.firstAt].find(([seen]) => seen.startsWith(`${path}/`))?.[1];
}

// ------------------------------------------------------------------ 1. cold start

async function coldStart() {
  const coreAlone = bundleFloor(scratch, 'core-alone');
  const octokitAlone = bundleFloor(scratch, 'octokit-alone');
  const execAlone = bundleFloor(scratch, 'exec-alone');
  progress(`[1/3] cold start: spawn -> first request (${RUNS_COLD} runs + ${WARMUP} warm-up each)`);
  const server = await startServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  /** A floor bundle (bench/*-alone.mjs): its one request goes to its url input, or below it. */
  const floorVariant = (key, file, what) => ({
    key,
    run: async (round) => {
      const path = `/cold/${key}/${round}`;
      const r = await runNode([file], { env: { ...actionEnv('health-check', {}, scratch.files()), INPUT_URL: server.base + path }, timeoutMs: 15_000 });
      const first = firstRequestAt(server, path);
      if (first === undefined || r.code !== 0) return fail(`cold start ${what}`, describeFailure(r)), NaN;
      return first - r.t0;
    }
  });
  try {
    const variants = [
      {
        key: 'node',
        run: async () => {
          const r = await runNode(['-e', '0'], { timeoutMs: 10_000 });
          if (r.code !== 0) return fail('node -e 0', describeFailure(r)), NaN;
          return r.tExit - r.t0;
        }
      },
      floorVariant('core-alone', coreAlone, '@actions/core alone'),
      floorVariant('octokit-alone', octokitAlone, 'octokit alone'),
      floorVariant('exec-alone', execAlone, 'one command alone'),
      ...coldCases().map(({ key, name, file, env: envFor, group }) => ({
        key,
        run: async (round) => {
          const path = `/cold/${key}/${round}`;
          const env = envFor(name, server.base + path, scratch.files());
          const r = await runNode([file], { env, timeoutMs: 15_000, group });
          const first = firstRequestAt(server, path);
          // Only health-check is known to pass here; another bundle may fail its own checks, but it must send the request.
          if (first === undefined || r.timedOut || r.signal || (name === 'health-check' && r.code !== 0)) {
            return fail(`cold start ${key}`, first === undefined ? `no request arrived; ${describeFailure(r)}` : describeFailure(r)), NaN;
          }
          return first - r.t0;
        }
      })),
      // The smoke-test peers, each given one GET in its own format (the checks may fail: only the
      // time to the first request is measured).
      ...[
        { key: 'newman', file: 'collection.json', write: newmanCollection, args: (file) => [NEWMAN_BIN, 'run', file, '--reporters', 'json', '--reporter-json-export', `${file}.report.json`] },
        { key: 'stepci', file: 'workflow.yml', write: stepciWorkflow, args: (file) => [STEPCI_BIN, 'run', file] }
      ].map(({ key, file, write, args }) => ({
        key,
        run: async (round) => {
          const path = `/cold/${key}/${round}`;
          const spec = join(scratch.dir, `cold-${key}-${round}-${file}`);
          writeFileSync(spec, write([{ group: 'g001', key: 'health', method: 'GET', path, status: 200, json: ['status', 'ok'], header: ['cache-control', 'no-store'] }], server.base));
          const env = { ...cleanEnv(), STEPCI_DISABLE_ANALYTICS: '1', XDG_CONFIG_HOME: join(scratch.dir, 'config'), NO_COLOR: '1', FORCE_COLOR: '0' };
          const r = await runNode(args(spec), { env, timeoutMs: 30_000 });
          const first = server.firstAt.get(path);
          if (first === undefined || r.timedOut || r.signal) return fail(`cold start ${key}`, first === undefined ? `no request arrived; ${describeFailure(r)}` : describeFailure(r)), NaN;
          return first - r.t0;
        }
      })),
      {
        key: 'wait-on',
        run: async (round) => {
          const path = `/cold/wait-on/${round}`;
          const r = await runNode([WAIT_ON_BIN, '-t', '10000', '--httpTimeout', '5000', server.base + path], { timeoutMs: 15_000 });
          const first = server.firstAt.get(path);
          if (first === undefined || r.code !== 0) return fail('cold start wait-on', describeFailure(r)), NaN;
          return first - r.t0;
        }
      }
    ];
    const values = await interleave(variants, RUNS_COLD, WARMUP);
    const nodeMed = record('node -e 0: spawn -> exit', values.get('node'));
    const waitOnMed = record('wait-on CLI: spawn -> first request', values.get('wait-on'));
    const coreMed = record('@actions/core alone: spawn -> first request', values.get('core-alone'));
    rows.push({ scenario: 'cold start: bare `node -e 0` (spawn -> exit)', ours: nodeMed, peer: NaN, ratio: NaN, ratioIs: 'baseline', goal: '', verdict: 'info' });
    rows.push({ scenario: 'cold start: a bundle of @actions/core alone (spawn -> first request)', ours: coreMed, peer: NaN, ratio: coreMed / nodeMed, ratioIs: `floor / node -e 0 (${fmtMs(nodeMed)})`, goal: '', verdict: 'info' });
    const verdict = (ratio, goal) => (Number.isFinite(ratio) ? (ratio <= goal ? 'PASS' : 'MISS') : 'ERROR');
    // The floors of what some bundles must do before their first request (information, not goals):
    // each against @actions/core alone, and those bundles against each.
    const floors = [
      { key: 'octokit-alone', label: '@actions/core + octokit with throttling and retry alone', scenario: '@actions/core + octokit with its throttling and retry plugins alone (one GitHub call)', short: 'the octokit floor', isFor: ({ name }) => name === 'create-tracking-issue' },
      { key: 'exec-alone', label: '@actions/core + one command through @actions/exec alone', scenario: '@actions/core + one command (`true`) through @actions/exec alone, then one request', short: 'the command floor', isFor: ({ key }) => key === 'canary-shift' || key === 'rollback' }
    ].map((floor) => {
      const med = record(`${floor.label}: spawn -> first request`, values.get(floor.key));
      rows.push({ scenario: `cold start: ${floor.scenario}`, ours: med, peer: coreMed, ratio: med / coreMed, ratioIs: `${floor.short} / @actions/core alone; paired per round ${fmtX(pairedRatio(values.rounds.get(floor.key), values.rounds.get('core-alone')))}`, goal: '', verdict: 'info' });
      return { ...floor, med };
    });
    for (const { key, name, label } of coldCases()) {
      const med = record(`${label}: spawn -> first request`, values.get(key));
      const ratio = med / coreMed;
      rows.push({
        scenario: `cold start: ${label} (spawn -> first request)`,
        ours: med,
        peer: coreMed,
        ratio,
        ratioIs: `ours / @actions/core alone (${fmtMs(coreMed)}); paired per round ${fmtX(pairedRatio(values.rounds.get(key), values.rounds.get('core-alone')))}; ${(med / nodeMed).toFixed(2)}x node -e 0`,
        goal: `<= ${CORE_GOAL}x`,
        verdict: verdict(ratio, CORE_GOAL)
      });
      for (const floor of floors.filter((floor) => floor.isFor({ key, name }))) {
        rows.push({ scenario: `cold start: ${label} vs ${floor.short}`, ours: med, peer: floor.med, ratio: med / floor.med, ratioIs: `ours / ${floor.short}; paired per round ${fmtX(pairedRatio(values.rounds.get(key), values.rounds.get(floor.key)))}`, goal: '', verdict: 'info' });
      }
      if (key !== name) continue; // one row against each peer per action
      rows.push({ scenario: `cold start: ${name} vs wait-on`, ours: med, peer: waitOnMed, ratio: med / waitOnMed, ratioIs: 'ours / wait-on', goal: `< ${PEER_GOAL}x`, verdict: verdict(med / waitOnMed, PEER_GOAL) });
      if (name === 'smoke-test') {
        for (const [key, peer] of [['newman', 'newman'], ['stepci', 'Step CI CLI']]) {
          const peerMed = record(`${peer}: spawn -> first request`, values.get(key));
          rows.push({ scenario: `cold start: smoke-test vs ${peer} (one request)`, ours: med, peer: peerMed, ratio: med / peerMed, ratioIs: `ours / ${peer}`, goal: `< ${PEER_GOAL}x`, verdict: verdict(med / peerMed, PEER_GOAL) });
        }
      }
    }
    rows.push({ scenario: 'cold start: wait-on CLI vs node -e 0', ours: NaN, peer: waitOnMed, ratio: waitOnMed / nodeMed, ratioIs: `wait-on / node -e 0 (${fmtMs(nodeMed)})`, goal: '', verdict: 'info' });
  } finally {
    await server.close();
  }
}

// ------------------------------------------------------------------ 1b. what the start-up loads

const startup = []; // { name, firstRequestMs, preloadMs, loaded, undici } per bundle, informational
/** Builtins whose loading showed up in profiles of the start-up path, with what they cost here. */
const COSTLY = {
  crypto: 'crypto+tls+https share ~10-15 ms of OpenSSL/crypto set-up',
  tls: 'see crypto',
  https: 'loads tls',
  perf_hooks: '~2 ms; the `performance` global loads it on first use',
  http2: 'a sign of undici (bundled, e.g. by @actions/http-client, or Node\'s own)',
  zlib: 'see http2',
  worker_threads: 'see http2',
  assert: '~3 ms'
};

/** One extra run of each bundle with bench/first-request-hook.mjs preloaded: what is loaded before the first request. */
async function startupPath() {
  const server = await startServer((req, res) => res.end('ok'));
  try {
    for (const { name, file } of bundles) {
      const path = `/startup/${name}`;
      const env = oneRequestEnv(name, server.base + path, scratch.files());
      const r = await runNode(['--import', join(ROOT, 'bench/first-request-hook.mjs'), file], { env, timeoutMs: 15_000 });
      const line = `${r.stderr}\n${r.stdout}`.split('\n').find((l) => l.startsWith('@@first-request '));
      if (!line) {
        startup.push({ name, error: `no request seen (${describeFailure(r).split('\n')[0]})` });
        continue;
      }
      startup.push({ name, ...JSON.parse(line.slice('@@first-request '.length)) });
    }
  } finally {
    await server.close();
  }
}

function printStartup() {
  if (startup.length === 0) return;
  console.log('\nStart-up path (one extra run per bundle with bench/first-request-hook.mjs preloaded; informational):');
  for (const s of startup) {
    if (s.error) {
      console.log(`  ${s.name}: ${s.error}`);
      continue;
    }
    console.log(`  ${s.name}: first request ${fmtMs(s.firstRequestMs)} ms after process start (the hook ran at ${fmtMs(s.preloadMs)} ms)`);
    console.log(`    builtins loaded by the bundle before it (+${s.internalCount} internal): ${s.loaded.join(' ') || '(none)'}`);
    const costly = s.loaded.filter((m) => COSTLY[m]);
    if (s.undici) costly.unshift('undici');
    if (costly.length) console.log(`    avoidable on an http:// start-up path: ${costly.map((m) => (m === 'undici' ? 'undici (~30 ms: fetch, or a static ESM import of node:http)' : `${m} (${COSTLY[m]})`)).join('; ')}`);
  }
}

// ------------------------------------------------------------------ 2. detection latency

async function detection() {
  progress(`[2/3] detection latency: 503 until T (1.25-1.75 s after start), then 200; interval ${INTERVAL_MS} ms (${RUNS_DETECT} runs each)`);
  const healthyAt = new Map(); // path -> performance.now() from which it answers 200
  const server = await startServer((req, res, at) => {
    const t = healthyAt.get(req.url);
    const ok = t === undefined || at >= t;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ok ? 'ok' : 'starting');
  });
  // The same T offsets for every tool, spread over one interval so that every phase of the poll is sampled.
  const random = seededRandom(20240607);
  const offsets = Array.from({ length: RUNS_DETECT }, () => 1250 + Math.round(random() * 500));
  const reaction = { ours: [], cli: [], lib: [] };
  /** Milliseconds from the first request at or after T (the one that got 200) to `end`. */
  const reactionTime = (path, end) => {
    const t = healthyAt.get(path);
    const hit = (server.arrivals.get(path) ?? []).find((at) => at >= t);
    return hit === undefined ? NaN : end - hit;
  };
  try {
    // Warm wait-on's in-process path once (axios, Joi) so the library rows measure polling, not loading.
    await waitOn({ resources: [`${server.base}/warm`], interval: INTERVAL_MS, timeout: 10_000, httpTimeout: 5000 });
    const variants = [
      {
        key: 'ours',
        run: async (round) => {
          const path = `/detect/ours/${round}`;
          const env = actionEnv('health-check', healthCheckInputs(server.base + path), scratch.files());
          const t = now() + offsets[round];
          healthyAt.set(path, t);
          const r = await runNode([HEALTH_CHECK], { env, timeoutMs: 20_000 });
          if (r.code !== 0) return fail('detection health-check', describeFailure(r)), NaN;
          reaction.ours.push(reactionTime(path, r.tExit));
          return r.tExit - t;
        }
      },
      {
        key: 'cli',
        run: async (round) => {
          const path = `/detect/cli/${round}`;
          const t = now() + offsets[round];
          healthyAt.set(path, t);
          const r = await runNode([WAIT_ON_BIN, '-i', String(INTERVAL_MS), '-t', '20000', '--httpTimeout', '5000', server.base + path], { timeoutMs: 20_000 });
          if (r.code !== 0) return fail('detection wait-on CLI', describeFailure(r)), NaN;
          reaction.cli.push(reactionTime(path, r.tExit));
          return r.tExit - t;
        }
      },
      {
        key: 'lib',
        run: async (round) => {
          const path = `/detect/lib/${round}`;
          const t = now() + offsets[round];
          healthyAt.set(path, t);
          try {
            await waitOn({
              resources: [server.base + path],
              interval: INTERVAL_MS,
              timeout: 20_000,
              httpTimeout: 5000,
              validateStatus: (status) => status >= 200 && status < 300
            });
          } catch (error) {
            return fail('detection wait-on library', error.message), NaN;
          }
          const end = now();
          reaction.lib.push(reactionTime(path, end));
          return end - t;
        }
      }
    ];
    const values = await interleave(variants, RUNS_DETECT);
    const goal = INTERVAL_MS + DETECT_SLACK_MS;
    const ours = values.get('ours');
    const oursMed = record('health-check: exit - T', ours);
    const cliMed = record('wait-on CLI: exit - T', values.get('cli'));
    const libMed = record('wait-on library: promise resolved - T', values.get('lib'));
    record('health-check: exit - first 200 request (reaction)', reaction.ours);
    record('wait-on CLI: exit - first 200 request (reaction)', reaction.cli);
    record('wait-on library: resolved - first 200 request (reaction)', reaction.lib);
    const worst = Math.max(...ours);
    rows.push({
      scenario: 'detect 503->200: exit - T (vs wait-on CLI exit)',
      ours: oursMed,
      peer: cliMed,
      ratio: oursMed / cliMed,
      ratioIs: 'ours / wait-on',
      goal: `every run <= ${goal} ms (worst ${fmtMs(worst)})`,
      verdict: ours.length === RUNS_DETECT ? (worst <= goal ? 'PASS' : 'MISS') : 'ERROR'
    });
    rows.push({
      scenario: 'detect 503->200: exit - T (vs wait-on in-process)',
      ours: oursMed,
      peer: libMed,
      ratio: oursMed / libMed,
      ratioIs: 'ours / wait-on',
      goal: '',
      verdict: 'info'
    });
    rows.push({
      scenario: 'detect: reaction, 200 arrives -> exit/resolve',
      ours: median(reaction.ours),
      peer: median(reaction.cli),
      ratio: median(reaction.ours) / median(reaction.cli),
      ratioIs: 'ours / wait-on CLI',
      goal: '',
      verdict: 'info'
    });
  } finally {
    await server.close();
  }
}

// ------------------------------------------------------------------ 3. 100 URLs at once

async function fanOut() {
  progress(`[3/3] ${FAN_URLS} URLs at once (${FAN_DELAY_MS} ms each, one ${FAN_SLOWEST_MS} ms) vs the slowest alone (${RUNS_FAN} runs + 1 warm-up each)`);
  const servers = [];
  for (let i = 0; i < FAN_SERVERS; i++) {
    servers.push(
      await startServer((req, res) => {
        const delay = req.url.endsWith('/slowest') ? FAN_SLOWEST_MS : FAN_DELAY_MS;
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok');
        }, delay);
      })
    );
  }
  /** The URLs of one run: 99 ordinary ones spread over the servers, then the slowest (or only the slowest). */
  const urls = (tag, all) => {
    const slowest = `${servers[0].base}/fan/${tag}/slowest`;
    if (!all) return [slowest];
    const list = [];
    for (let k = 0; k < FAN_URLS - 1; k++) list.push(`${servers[k % FAN_SERVERS].base}/fan/${tag}/${k}`);
    list.splice(FAN_URLS >> 1, 0, slowest); // the slowest in the middle, not first or last
    return list;
  };
  /** How many of `list` reached their server. */
  const arrived = (list) => list.filter((url) => servers.some((s) => url.startsWith(`${s.base}/`) && s.firstAt.has(url.slice(s.base.length)))).length;
  const internal = { ours100: [], ours1: [] };
  try {
    const ours = (all) => async (round) => {
      const list = urls(`ours${all ? 100 : 1}-${round}`, all);
      const files = scratch.files();
      const env = actionEnv('health-check', healthCheckInputs(list.join('\n')), files);
      const r = await runNode([HEALTH_CHECK], { env, timeoutMs: 20_000 });
      const seen = arrived(list);
      if (r.code !== 0 || seen !== list.length) return fail(`fan-out health-check ${list.length}`, `${seen}/${list.length} URLs requested; ${describeFailure(r)}`), NaN;
      if (round >= 0) internal[all ? 'ours100' : 'ours1'].push(Number(readOutputs(files.output)['duration-ms']));
      return r.tExit - r.t0;
    };
    const peer = (all) => async (round) => {
      const list = urls(`wo${all ? 100 : 1}-${round}`, all);
      const r = await runNode([WAIT_ON_BIN, '-i', String(INTERVAL_MS), '-t', '20000', '--httpTimeout', '5000', ...list], { timeoutMs: 20_000 });
      const seen = arrived(list);
      if (r.code !== 0 || seen !== list.length) return fail(`fan-out wait-on ${list.length}`, `${seen}/${list.length} URLs requested; ${describeFailure(r)}`), NaN;
      return r.tExit - r.t0;
    };
    const values = await interleave(
      [
        { key: 'ours100', run: ours(true) },
        { key: 'ours1', run: ours(false) },
        { key: 'wo100', run: peer(true) },
        { key: 'wo1', run: peer(false) }
      ],
      RUNS_FAN,
      1
    );
    const o100 = record(`health-check ${FAN_URLS} URLs: spawn -> exit`, values.get('ours100'));
    const o1 = record('health-check slowest URL only: spawn -> exit', values.get('ours1'));
    const w100 = record(`wait-on CLI ${FAN_URLS} URLs: spawn -> exit`, values.get('wo100'));
    const w1 = record('wait-on CLI slowest URL only: spawn -> exit', values.get('wo1'));
    const i100 = record(`health-check ${FAN_URLS} URLs: duration-ms output`, internal.ours100);
    const i1 = record('health-check slowest URL only: duration-ms output', internal.ours1);
    const verdict = (ratio, n) => (n === RUNS_FAN ? (ratio <= FAN_GOAL ? 'PASS' : 'MISS') : 'ERROR');
    rows.push({ scenario: `${FAN_URLS} URLs at once (spawn -> exit)`, ours: o100, peer: w100, ratio: o100 / w100, ratioIs: 'ours / wait-on', goal: '', verdict: 'info' });
    rows.push({ scenario: 'slowest URL alone (spawn -> exit)', ours: o1, peer: w1, ratio: o1 / w1, ratioIs: 'ours / wait-on', goal: '', verdict: 'info' });
    rows.push({
      scenario: `${FAN_URLS} URLs / slowest alone: health-check`,
      ours: o100,
      peer: NaN,
      ratio: o100 / o1,
      ratioIs: `ours ${FAN_URLS} / ours 1`,
      goal: `<= ${FAN_GOAL}x`,
      verdict: verdict(o100 / o1, values.get('ours100').length)
    });
    rows.push({
      scenario: `${FAN_URLS} URLs / slowest alone: health-check duration-ms`,
      ours: i100,
      peer: NaN,
      ratio: i100 / i1,
      ratioIs: `ours ${FAN_URLS} / ours 1 (in-step)`,
      goal: `<= ${FAN_GOAL}x`,
      verdict: verdict(i100 / i1, internal.ours100.length)
    });
    rows.push({ scenario: `${FAN_URLS} URLs / slowest alone: wait-on`, ours: NaN, peer: w100, ratio: w100 / w1, ratioIs: `wait-on ${FAN_URLS} / wait-on 1`, goal: '', verdict: 'info' });
  } finally {
    for (const s of servers) await s.close();
  }
}

// ------------------------------------------------------------------ output

function printTable() {
  if (rows.length === 0) return; // only scenarios with tables of their own were asked for
  const header = ['scenario', 'ours median ms', 'peer or floor median ms', 'ratio', 'ratio is', 'goal', 'PASS/MISS'];
  const body = rows.map((r) => [r.scenario, fmtMs(r.ours), fmtMs(r.peer), fmtX(r.ratio), r.ratioIs, r.goal || '-', r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i >= 1 && i <= 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const row of body) console.log(line(row));
}

function printDetails() {
  console.log('\nDetails (ms): n, min / p10 / median / p90 / max');
  const width = Math.max(...series.map((s) => s.name.length));
  for (const { name, values } of series) {
    const q = [Math.min(...values), quantile(values, 0.1), median(values), quantile(values, 0.9), Math.max(...values)].map(fmtMs);
    console.log(`  ${name.padEnd(width)}  n=${String(values.length).padStart(2)}  ${q.join(' / ')}`);
  }
}

// `npm run bench -- cold fan` runs only those scenarios (cold, detect, fan, smoke, cache-key, canary-shift, issues); none named: all.
const SCENARIOS = ['cold', 'detect', 'fan', 'smoke', 'cache-key', 'canary-shift', 'issues'];
const asked = process.argv.slice(2);
for (const name of asked) if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}; expected some of ${SCENARIOS.join(', ')}`);
const wanted = (name) => asked.length === 0 || asked.includes(name);
const started = now();
let crashed = false;
let smoke = null; // what bench/smoke.mjs measured
let cacheKey = null; // what bench/cache-key.mjs measured
let canary = null; // what bench/canary.mjs measured
let issues = null; // what bench/issues.mjs counted
try {
  progress(`bench: Node ${nodeVersion()} (${NODE}), wait-on CLI ${WAIT_ON_BIN.slice(ROOT.length + 1)}`);
  // build-cache-key sends no request: it has its own scenario (bench/cache-key.mjs), not the HTTP ones.
  bundles = (await snapshotBundles(scratch)).filter((b) => b.name !== 'build-cache-key');
  HEALTH_CHECK = bundles.find((b) => b.name === 'health-check').file;
  for (const b of bundles) progress(`bench: measuring ${b.origin}, ${(b.bytes / 1024).toFixed(0)} KiB`);
  if (wanted('cold')) {
    await coldStart();
    await startupPath();
  }
  if (wanted('detect')) await detection();
  if (wanted('fan')) await fanOut();
  const smokeBundle = bundles.find((b) => b.name === 'smoke-test');
  if (!wanted('smoke')) progress('[smoke-test] not asked for');
  else if (smokeBundle) {
    progress('[smoke-test] the same 500-request suite: smoke-test vs newman vs Step CI (bench/smoke.mjs)');
    smoke = await smokeBench({ bundle: smokeBundle.file, scratch, progress });
  } else fail('smoke-test', 'dist/smoke-test/main/index.js is missing (node scripts/build.js): its scenario was not run');
  if (wanted('cache-key')) {
    progress('[cache-key] build-cache-key on generated trees: ours with and without git vs @actions/glob hashFiles vs the git floor (bench/cache-key.mjs)');
    cacheKey = await cacheKeyBench({ scratch, progress });
  }
  if (wanted('canary-shift')) {
    progress('[canary-shift] failing canary to stable at 100 %, wrangler\'s own call times, probe load (bench/canary.mjs)');
    canary = await canaryBench({ scratch, progress });
  }
  const trackingBundle = bundles.find((b) => b.name === 'create-tracking-issue');
  if (!wanted('issues')) progress('[issues] not asked for');
  else if (trackingBundle) issues = await issuesBench({ bundle: trackingBundle.file, scratch, progress });
  else fail('issues', 'dist/create-tracking-issue/main/index.js is missing (node scripts/build.js): its scenario was not run');
} catch (error) {
  crashed = true;
  process.stderr.write(`bench crashed: ${error.stack ?? error}\n`);
} finally {
  killAll();
  scratch.remove();
}

console.log(`\ndeploy-actions bench — Node ${nodeVersion()}, ${new Date().toISOString()}, took ${((now() - started) / 1000).toFixed(1)} s`);
console.log(
  `cold start: ${RUNS_COLD} runs; detection: ${RUNS_DETECT} runs, T = start + 1.25..1.75 s, interval ${INTERVAL_MS} ms, backoff fixed, no jitter; ` +
    `fan-out: ${RUNS_FAN} runs, ${FAN_URLS} URLs on ${FAN_SERVERS} servers. wait-on ${JSON.parse(readFileSync(join(ROOT, 'node_modules/wait-on/package.json'), 'utf8')).version} probes http:// with HEAD, health-check with GET.\n`
);
printTable();
printDetails();
printStartup();
if (smoke) console.log(`\n${smokeReport(smoke).lines.join('\n')}`);
if (cacheKey) console.log(`\n${cacheKeyReport(cacheKey).lines.join('\n')}`);
if (canary) console.log(`\n${canary.lines.join('\n')}`);
for (const error of canary?.errors ?? []) console.log(`  - canary-shift: ${error}`);
if (issues) console.log(`\n${issues.lines.join('\n')}`);
if (errors.length) {
  console.log(`\n${errors.length} run(s) failed:`);
  const counts = new Map();
  for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
  for (const [e, n] of [...counts].slice(0, 10)) console.log(`  - ${n > 1 ? `${n}x ` : ''}${e}`);
}
// Non-zero only when something crashed: a MISS is a result, not a failure.
process.exit(crashed || errors.length || smoke?.errors.length || cacheKey?.errors.length || canary?.errors.length || issues?.errors.length ? 1 : 0);
