// Helpers for bench/run.mjs: the Node 24 binary, action inputs, child processes with a hard time
// limit, local HTTP servers on 127.0.0.1, and small statistics. Nothing here reaches the network.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { bundle } from '../scripts/bundle.js';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
export const WAIT_ON_BIN = join(ROOT, 'node_modules/wait-on/bin/wait-on');

/** The repository's Node 24 (node_modules/.bin/node), whatever Node runs this script. */
export const NODE = (() => {
  const local = join(ROOT, 'node_modules/.bin/node');
  return existsSync(local) ? realpathSync(local) : process.execPath;
})();

export function nodeVersion() {
  const out = spawnSync(NODE, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return (out.stdout || '').trim() || 'unknown';
}

export const now = () => performance.now();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- statistics

export function median(values) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * `combine` (a difference, a ratio) of two variants taken within each round, then the median of
 * those: a spawn's time drifts with the machine's load by more than what is compared, and the runs
 * of one round are adjacent. `a` and `b` are in round order; a round where either failed (NaN) is left out.
 */
export function medianByRound(a, b, combine) {
  const each = [];
  for (let round = 0; round < Math.min(a.length, b.length); round++) if (Number.isFinite(a[round]) && Number.isFinite(b[round])) each.push(combine(a[round], b[round]));
  return median(each);
}

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
}

/** A small deterministic PRNG (mulberry32), so both tools get the same sequence of T offsets. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------- action inputs

/** Every input of actions/<name>/action.yml with its default, as the runner would set it. */
export function actionDefaults(name) {
  const file = join(ROOT, 'actions', name, 'action.yml');
  if (!existsSync(file)) return {};
  const doc = parseYaml(readFileSync(file, 'utf8')) ?? {};
  const out = {};
  for (const [input, spec] of Object.entries(doc.inputs ?? {})) out[input] = spec?.default === undefined ? '' : String(spec.default);
  return out;
}

const PROXY_VARS = /^(https?_proxy|all_proxy|no_proxy|npm_config_(https_)?proxy|npm_config_no_proxy)$/i;

/** The parent's environment without INPUT_* and proxy settings (a proxy must never see 127.0.0.1 traffic). */
export function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('INPUT_') || PROXY_VARS.test(k)) continue;
    env[k] = v;
  }
  env.NO_PROXY = env.no_proxy = '127.0.0.1,localhost';
  return env;
}

/** One scratch directory per bench run for GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and RUNNER_TEMP folders. */
export class Scratch {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'deploy-actions-bench-'));
    this.n = 0;
  }
  /** Fresh, empty output and summary files for one run, and an empty folder for its RUNNER_TEMP. */
  files() {
    this.n += 1;
    const output = join(this.dir, `output-${this.n}.txt`);
    const summary = join(this.dir, `summary-${this.n}.md`);
    const temp = join(this.dir, `temp-${this.n}`);
    writeFileSync(output, '');
    writeFileSync(summary, '');
    mkdirSync(temp, { recursive: true });
    return { output, summary, temp };
  }
  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Copies every dist/<name>/ with a main/index.js (except the CLI) into the scratch directory, so a
 * rebuild running at the same time (build.js empties dist/ first) cannot change or remove a bundle
 * halfway through the bench. When dist/health-check/main/index.js is missing for `waitMs` (no build, or
 * one that failed), a private copy is bundled from the sources by scripts/bundle.js, as
 * scripts/build.js does, into the scratch directory; dist/ is never written.
 */
export async function snapshotBundles(scratch, waitMs = 20_000) {
  const dist = join(ROOT, 'dist');
  const wanted = join(dist, 'health-check', 'main', 'index.js');
  const size = () => (existsSync(wanted) ? statSync(wanted).size : -1);
  const until = now() + waitMs;
  let told = false;
  for (;;) {
    // A bundle still being written grows between two looks: wait until it stands still.
    const a = size();
    await sleep(300);
    if (a > 0 && a === size()) break;
    if (now() > until) break;
    if (!told) process.stderr.write(`bench: dist/health-check/main/index.js is missing or changing (a build running?); waiting up to ${waitMs / 1000}s\n`);
    told = true;
    await sleep(700);
  }
  const list = [];
  if (existsSync(dist)) {
    for (const name of readdirSync(dist).sort()) {
      const src = join(dist, name);
      if (name === 'cli' || !existsSync(join(src, 'main', 'index.js'))) continue;
      const dir = join(scratch.dir, 'dist', name);
      try {
        cpSync(src, dir, { recursive: true });
      } catch {
        continue; // removed while copying: a rebuild is running
      }
      const file = join(dir, 'main', 'index.js');
      if (!existsSync(file)) continue;
      list.push({ name, file, bytes: statSync(file).size, origin: `dist/${name}/main/index.js built ${statSync(file).mtime.toISOString()} (copied aside)` });
    }
  }
  if (!list.some((b) => b.name === 'health-check')) {
    process.stderr.write('bench: no dist/health-check/main/index.js; bundling a private copy from the sources (dist/ is left alone)\n');
    const dir = join(scratch.dir, 'built', 'health-check');
    let file;
    try {
      file = bundle(join(ROOT, 'actions/health-check/src/index.ts'), dir, { node: NODE, timeoutMs: 120_000 });
    } catch (error) {
      throw new Error(`dist/health-check/main/index.js is missing and bundling it failed (run node scripts/build.js): ${error.message}`);
    }
    list.push({ name: 'health-check', file, bytes: statSync(file).size, origin: 'actions/health-check/src bundled by the bench (dist/ was missing)' });
  }
  return list;
}

/**
 * bench/<name>.mjs, a floor (core-alone: @actions/core alone, the floor of every action's start-up;
 * octokit-alone; exec-alone), bundled into the scratch folder (once per scratch) by
 * scripts/bundle.js, as every action is.
 */
export function bundleFloor(scratch, name) {
  const dir = join(scratch.dir, name);
  const file = join(dir, 'index.mjs');
  return existsSync(file) ? file : bundle(join(ROOT, `bench/${name}.mjs`), dir, { node: NODE });
}

/** The environment for one run of an action bundle: every action.yml default, then `inputs`. */
export function actionEnv(name, inputs, files) {
  const env = cleanEnv();
  const all = { ...actionDefaults(name), ...inputs };
  for (const [input, value] of Object.entries(all)) env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = value;
  env.GITHUB_OUTPUT = files.output;
  env.GITHUB_STEP_SUMMARY = files.summary;
  // Reports (smoke-test) go to RUNNER_TEMP; without it an action would write into the work tree.
  if (files.temp) env.RUNNER_TEMP = files.temp;
  return env;
}

/** Outputs written with the `name<<delimiter` syntax of GITHUB_OUTPUT. */
export function readOutputs(file) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const value = [];
    for (i += 1; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

// ---------------------------------------------------------------- child processes

const live = new Set();

/**
 * A bench never runs away: after `ms` it kills its children, removes its scratch folder and exits 1;
 * Ctrl-C or SIGTERM does the same cleanup and exits 130.
 */
export function guardRun(name, scratch, ms) {
  const watchdog = setTimeout(() => {
    process.stderr.write(`${name}: still running after ${ms / 1000}s, giving up\n`);
    killAll();
    scratch.remove();
    process.exit(1);
  }, ms);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      killAll();
      scratch.remove();
      process.exit(130);
    });
  }
}

/** Kills every child still running (watchdog, Ctrl-C). */
export function killAll() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
    killGroup(child.pid);
  }
}

/** Kills the process group `pid` leads, if it still has members (a detached child's). */
function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* no such group: the child was not detached, or everything in it is gone */
  }
}

/**
 * Spawns `args` on Node 24 and resolves when it exits (or is killed at `timeoutMs`).
 * `t0` is taken right before spawn(); `tExit` when the exit event arrives.
 */
export function runNode(args, options = {}) {
  return runProcess(NODE, args, options);
}

/**
 * As runNode, for any executable (such as strace wrapping Node). With `group`, the process leads a
 * process group of its own, and whatever it started and left running (wrangler, say) is killed when
 * it exits, so that no orphan takes CPU from the runs after it.
 */
export function runProcess(file, args, { env, timeoutMs = 15_000, group = false } = {}) {
  return new Promise((resolveRun) => {
    const tail = { stdout: '', stderr: '' };
    const t0 = now();
    let child;
    try {
      child = spawn(file, args, { env: env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT, detached: group });
    } catch (error) {
      resolveRun({ t0, tExit: now(), code: null, signal: null, timedOut: false, error, ...tail });
      return;
    }
    live.add(child);
    for (const stream of ['stdout', 'stderr']) {
      child[stream].setEncoding('utf8');
      child[stream].on('data', (chunk) => (tail[stream] = (tail[stream] + chunk).slice(-4000)));
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      resolveRun({ t0, tExit: now(), code: null, signal: null, timedOut, error, ...tail });
    });
    child.on('exit', (code, signal) => {
      const tExit = now();
      clearTimeout(timer);
      live.delete(child);
      if (group) killGroup(child.pid);
      // Let the pipes drain so the tail of the output is complete for error messages.
      child.on('close', () => resolveRun({ t0, tExit, code, signal, timedOut, ...tail }));
    });
  });
}

export function describeFailure(run) {
  const why = run.error ? `spawn error ${run.error.message}` : run.timedOut ? 'timed out (killed)' : `exit code ${run.code}${run.signal ? ` signal ${run.signal}` : ''}`;
  const out = `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-6).join('\n    ');
  return `${why}${out ? `\n    ${out}` : ''}`;
}

// ---------------------------------------------------------------- local servers

/**
 * An HTTP server on 127.0.0.1 (random port). `handler(req, res, arrivedAt)` answers; the first
 * arrival time of every path is recorded in `firstAt`, and every arrival in `arrivals`.
 */
export async function startServer(handler) {
  const firstAt = new Map();
  const arrivals = new Map();
  const server = http.createServer((req, res) => {
    const at = now();
    const path = req.url ?? '/';
    if (!firstAt.has(path)) firstAt.set(path, at);
    const list = arrivals.get(path);
    if (list) list.push(at);
    else arrivals.set(path, [at]);
    handler(req, res, at);
  });
  server.keepAliveTimeout = 1000;
  server.maxConnections = 2000;
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', 1024, ok);
  });
  const { port } = server.address();
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    firstAt,
    arrivals,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      })
  };
}
