// `node bench/canary.mjs` (and `npm run bench`, through canaryBench): canary-shift's own figures, measured in this run on this machine only.
//  1. Detection: a canary at 5 % starts failing at a random moment T; how long from T until stable
//     serves 100 % again, against the analysis interval plus one deploy call (the goal: within that
//     sum + 1 s). The platform is the command provider's: a script setting the split in a file, so a
//     deploy call is one short process (its time is measured and printed).
//  2. Probe load: the canary-shift bundle probing two local versions at rising probe-rate; the
//     samples it took per second, and per second of CPU its process used (what one core sustains).
// Median of the runs; a goal missed is printed as MISS. Exits 1 when a run crashed or never promoted
// or rolled back (the numbers would be meaningless).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { NODE, Scratch, actionEnv, describeFailure, median, readOutputs, seededRandom, sleep } from './lib.mjs';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const BUNDLE = new URL('../dist/canary-shift/main/index.js', import.meta.url).pathname;
const RUNS_DETECT = 5;
const INTERVAL_MS = 1000;
const RATES = [50, 200, 500, 1000];
const LOAD_WINDOW_MS = 4000;

const TRAFFIC_SCRIPT = `
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
// From this process's own start: a deploy call includes starting the tool.
const started = performance.timeOrigin;
const [file, command, ...args] = process.argv.slice(2);
if (command === 'status') { process.stdout.write(readFileSync(file, 'utf8')); process.exit(0); }
const write = (versions) => writeFileSync(file, JSON.stringify({ versions }));
if (command === 'set') {
  const [canary, stable, percentage] = args;
  const share = Number(percentage);
  write(share >= 100 ? [{ version: canary, percentage: 100 }] : [{ version: canary, percentage: share }, { version: stable, percentage: 100 - share }]);
} else write([{ version: args[0], percentage: 100 }]);
appendFileSync(file + '.log', JSON.stringify({ command, args, started, ended: Date.now() }) + '\\n');
`;

function server(answer) {
  const s = http.createServer((req, res) => {
    const fail = answer();
    res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' });
    res.end(fail ? '{"status":"error"}' : '{"status":"ok"}');
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${s.address().port}`, close: () => new Promise((r) => s.close(r)) })));
}

/** utime + stime of a process, in seconds, while it lives. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function runBundle(env, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(NODE, [BUNDLE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out = (out + c).slice(-4000)));
    child.stderr.on('data', (c) => (out = (out + c).slice(-4000)));
    let cpu = 0;
    const poll = setInterval(() => (cpu = cpuSeconds(child.pid) ?? cpu), 50);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, out, cpu });
    });
  });
}

/**
 * Real wrangler and workerd: a canary failing every request from its upload, from the moment its
 * 0 % deployment exists (the first probe can fail) to the deployment that serves stable alone,
 * against the interval plus one `wrangler versions deploy`; wrangler's own call times beside it.
 */
async function bedDetection(scratch, lines, errors) {
  const { startCloudflareBed } = await import('../testbed/cloudflare/bed.ts');
  const { runWrangler, wranglerEnvironment } = await import('../testbed/cloudflare/wrangler.ts');
  const { cp, mkdir, readFile, symlink, writeFile } = await import('node:fs/promises');
  const bed = await startCloudflareBed();
  const wrangler = await wranglerEnvironment({ url: bed.apiUrl }, { accountId: bed.accountId, token: bed.token });
  try {
    const project = join(scratch.dir, 'worker');
    await cp(new URL('../testbed/cloudflare/worker/', import.meta.url).pathname, project, { recursive: true });
    await mkdir(join(project, 'node_modules'));
    await symlink(new URL('../node_modules/wrangler', import.meta.url).pathname, join(project, 'node_modules/wrangler'), 'dir');
    const timed = async (args) => {
      const t0 = Date.now();
      const run = await runWrangler(args, { env: wrangler.env, cwd: project });
      if (run.code !== 0) throw new Error(`wrangler ${args.join(' ')}: ${run.stderr.trim().split('\n').at(-1)}`);
      return Date.now() - t0;
    };
    await timed(['deploy']);
    const v1 = bed.store.worker('sample').versions[0].id;
    const statusMs = [];
    const deployMs = [];
    for (let i = 0; i < 3; i++) {
      statusMs.push(await timed(['deployments', 'status', '--json']));
      deployMs.push(await timed(['versions', 'deploy', `${v1}@100%`, '--yes']));
    }
    const config = join(project, 'wrangler.toml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('FAIL_PERCENT = "0"', 'FAIL_PERCENT = "100"'));
    const files = scratch.files();
    const inputs = { worker: 'sample', 'api-token': bed.token, 'account-id': bed.accountId, version: 'upload', 'working-directory': project, url: `${bed.workerUrl('sample')}/health`, steps: '0,100', bake: '0:60s', interval: `${INTERVAL_MS}ms`, 'probe-rate': '20', 'min-samples': '5' };
    // wrangler's private HOME and the bed's API, as the workflow's env would give them.
    const env = { ...actionEnv('canary-shift', inputs, files), ...wrangler.env };
    env.GITHUB_STATE = join(scratch.dir, 'bed-state');
    writeFileSync(env.GITHUB_STATE, '');
    const result = await runBundle(env, 300_000);
    const deployments = bed.store.worker('sample').deployments;
    const canary = readOutputs(files.output)['canary-version'];
    const atZero = deployments.find((d) => d.versions.some((v) => v.version_id === canary && v.percentage === 0));
    const last = deployments.at(-1);
    if (result.code !== 1 || !atZero || last.versions.length !== 1 || last.versions[0].version_id !== v1) {
      errors.push(`bed detection: ${describeFailure({ code: result.code, signal: null, timedOut: false, stdout: result.out, stderr: '' })}`);
      return;
    }
    const detection = Date.parse(last.createdOn) - Date.parse(atZero.createdOn);
    const deploy = median(deployMs);
    const goal = INTERVAL_MS + deploy + 1000;
    lines.push(`on the Cloudflare bed (real wrangler, real workerd): canary failing → stable at 100 %: ${detection} ms`);
    lines.push(`  interval ${INTERVAL_MS} ms + one wrangler versions deploy ${deploy} ms + 1 s = ${goal} ms: ${detection <= goal ? 'OK' : 'MISS'}`);
    lines.push(`  wrangler's own call times (median of 3): versions deploy ${deploy} ms, deployments status ${median(statusMs)} ms; the restore is two API calls (the deployment re-read, then the rollback), no wrangler run`);
  } finally {
    await bed.stop();
    await wrangler.cleanup();
  }
}

/** Every figure above, as lines for the bench's report, and the runs that failed. */
export async function canaryBench({ scratch, progress = () => {} }) {
  const lines = [];
  const errors = [];
  const random = seededRandom(9);
  writeFileSync(join(scratch.dir, 'traffic.mjs'), TRAFFIC_SCRIPT);
  const command = (split, ...args) => [NODE, join(scratch.dir, 'traffic.mjs'), split, ...args].map((a) => JSON.stringify(a)).join(' ');

  progress('[canary-shift] detection with the command provider');
  // ------------------------------------------------------------------ 1. detection
  let canaryFailing = false;
  const canary = await server(() => canaryFailing);
  const stable = await server(() => false);
  const detections = [];
  const deployCalls = [];
  for (let run = 0; run < RUNS_DETECT; run++) {
    canaryFailing = false;
    const split = join(scratch.dir, `split-${run}.json`);
    writeFileSync(split, JSON.stringify({ versions: [{ version: 'blue', percentage: 100 }] }));
    const files = scratch.files();
    const env = actionEnv('canary-shift', {
      provider: 'command', version: 'green', 'stable-version': 'blue',
      'shift-command': command(split, 'set', '{canary}', '{stable}', '{percentage}'), 'rollback-command': command(split, 'reset', '{stable}'), 'status-command': command(split, 'status'),
      'canary-url': canary.origin, 'stable-url': stable.origin, url: 'https://api.example.com/health',
      steps: '5,100', bake: '5:120s', interval: `${INTERVAL_MS}ms`, 'probe-rate': '50', 'min-samples': '10'
    }, files);
    env.GITHUB_STATE = join(scratch.dir, `state-${run}`);
    writeFileSync(env.GITHUB_STATE, '');
    const pending = runBundle(env, 180_000);
    // Wait for the 5 % split, let it bake a little, then break the canary at a random moment.
    for (let i = 0; i < 600 && !readFileSync(split, 'utf8').includes('"percentage":5'); i++) await sleep(20);
    await sleep(1500 + random() * 1000);
    canaryFailing = true;
    const t = Date.now();
    const result = await pending;
    const log = existsSync(`${split}.log`) ? readFileSync(`${split}.log`, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
    const reset = log.find((l) => l.command === 'reset');
    if (result.code !== 1 || !reset || readOutputs(files.output).result !== 'rolled-back') {
      errors.push(`detection run ${run}: ${describeFailure({ code: result.code, signal: null, timedOut: false, stdout: result.out, stderr: '' })}`);
      continue;
    }
    detections.push(reset.ended - t);
    deployCalls.push(...log.filter((l) => l.command === 'set').map((l) => l.ended - l.started));
  }
  await Promise.all([canary.close(), stable.close()]);
  if (detections.length > 0) {
    const deploy = median(deployCalls);
    const goal = INTERVAL_MS + deploy + 1000;
    const d = median(detections);
    lines.push(`canary-shift detection (${detections.length} runs): failing → stable at 100 %: median ${Math.round(d)} ms, max ${Math.round(Math.max(...detections))} ms`);
    lines.push(`  interval ${INTERVAL_MS} ms + one deploy call ${Math.round(deploy)} ms (median of ${deployCalls.length}) + 1 s = ${Math.round(goal)} ms: ${d <= goal ? 'OK' : 'MISS'}`);
  }

  progress('[canary-shift] probe load');
  // ------------------------------------------------------------------ 2. probe load
  const a = await server(() => false);
  const b = await server(() => false);
  lines.push(`probe load (one ${LOAD_WINDOW_MS / 1000}s window, two versions, every sample a fresh connection):`);
  lines.push('  probe-rate  samples/s (both)  CPU s  samples per CPU-second');
  for (const rate of RATES) {
    const split = join(scratch.dir, `load-${rate}.json`);
    writeFileSync(split, JSON.stringify({ versions: [{ version: 'blue', percentage: 100 }] }));
    const files = scratch.files();
    const env = actionEnv('canary-shift', {
      provider: 'command', version: 'green', 'stable-version': 'blue',
      'shift-command': command(split, 'set', '{canary}', '{stable}', '{percentage}'), 'canary-url': a.origin, 'stable-url': b.origin, url: 'http://x.invalid/health',
      steps: '0,100', bake: '0', interval: `${LOAD_WINDOW_MS}ms`, 'probe-rate': String(rate), 'min-samples': '1'
    }, files);
    env.GITHUB_STATE = join(scratch.dir, `lstate-${rate}`);
    writeFileSync(env.GITHUB_STATE, '');
    const result = await runBundle(env, 120_000);
    const outputs = readOutputs(files.output);
    if (result.code !== 0) {
      errors.push(`load at ${rate}/s: ${describeFailure({ code: result.code, signal: null, timedOut: false, stdout: result.out, stderr: '' })}`);
      continue;
    }
    const step = JSON.parse(outputs.timeline)[0];
    const samples = step.canary.samples + step.stable.samples;
    lines.push(`  ${String(rate).padStart(10)}  ${String(Math.round(samples / (LOAD_WINDOW_MS / 1000))).padStart(16)}  ${result.cpu.toFixed(2).padStart(5)}  ${String(Math.round(samples / Math.max(result.cpu, 0.01))).padStart(22)}`);
  }
  await Promise.all([a.close(), b.close()]);

  // ------------------------------------------------------------------ 3. on the Cloudflare bed
  progress('[canary-shift] on the Cloudflare bed: real wrangler and workerd');
  await bedDetection(scratch, lines, errors);
  return { lines, errors };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scratch = new Scratch();
  let result;
  try {
    result = await canaryBench({ scratch, progress: (line) => console.error(line) });
  } finally {
    scratch.remove();
  }
  console.log(result.lines.join('\n'));
  for (const error of result.errors) console.error(`ERROR ${error}`);
  process.exit(result.errors.length > 0 ? 1 : 0);
}
