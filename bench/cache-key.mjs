// The build-cache-key scenario of `npm run bench`: how long a cold step takes to turn a large work
// tree into a key. Two trees are generated here, seeded, so every run builds the same bytes: 30,000
// and 200,000 files laid out like a real repository (src/, packages/*/src, tests/, docs/, scripts, a
// node_modules/ that .gitignore excludes, log-normal sizes, a few large files, executables and
// symlinks), committed (git fast-import, objects in one pack as after a checkout), then left with a
// few modified, staged, deleted, mode-changed and untracked files so that the dirty-file path is
// exercised. They go to /dev/shm when it is a tmpfs with room, else to the scratch folder in
// os.tmpdir() (see treeRoot), and are removed at the end, on a crash, by the watchdog and on a signal.
//
// On each tree, round by round in a rotating order after one unrecorded warm-up round:
//   ours with git (input git=true), ours without git (git=false) on the same tree,
//   @actions/glob hashFiles on the same globs (its own Node process per run, as a workflow step),
//   and the floor: `git ls-files -s`, `git status --porcelain` and a bundle of @actions/core alone
//   starting (every action's start-up floor, bench/core-alone.mjs), each a child
//   process; floor = the sum of their medians.
// hashFiles takes 15 s (30,000 files) to 90 s (200,000) a run here: it joins only the first
// `hashFilesRuns` rounds of each tree, without a warm-up; the table prints n for every row.
// Ours runs from a copy of dist/build-cache-key/ taken when the scenario starts; without a bundle the
// table says "ours: not built yet" and the peer and the floors are still measured.
// About 3.5 minutes on the 2-core test VM, two thirds of it hashFiles.
//
// Run alone with `node bench/cache-key.mjs` (BENCH_CACHE_KEY_TREES=30000 for the small tree only,
// BENCH_CACHE_KEY_DIR=<folder> to put the trees elsewhere); bench/run.mjs runs it after the
// smoke-test scenario. Nothing here reaches the network.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, statfsSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NODE, ROOT, Scratch, actionEnv, bundleFloor, cleanEnv, describeFailure, guardRun, killAll, median, nodeVersion, now, quantile, readOutputs, runNode, runProcess, seededRandom, sleep } from './lib.mjs';

/** Each tree: its size, the measured rounds of ours and the floors, and how many of them hashFiles joins. */
const TREES = [
  { files: 30_000, rounds: 7, hashFilesRuns: 3, hashFilesTimeoutMs: 90_000 },
  { files: 200_000, rounds: 5, hashFilesRuns: 1, hashFilesTimeoutMs: 240_000 }
];
const SEED = 20261123;
const GOAL_GIT = 50; // ours with git at least 50x faster than hashFiles
const GOAL_WALK = 20; // ours without git at least 20x faster than hashFiles
const GOAL_FLOOR = 2; // ours with git within 2x of (git ls-files -s + git status --porcelain + @actions/core alone)
const RUN_TIMEOUT_MS = 60_000; // ours and the floors: seconds at most, even on 200,000 files
const FILES_INPUT = '**\n!**/node_modules/**';
// hashFiles also gets `!.git/**`: ours never reads .git (it lists with git or walks past it); the
// globber walks .git either way (its excludes filter results, they do not prune the walk), but it
// would also hash the files there.
const HASHFILES_PATTERNS = `${FILES_INPUT}\n!.git/**`;
const GLOB_ENTRY = join(ROOT, 'node_modules/@actions/glob/lib/glob.js');
const BUNDLE_DIR = join(ROOT, 'dist/build-cache-key');

const fmtMs = (v) => (Number.isFinite(v) ? (v >= 10_000 ? v.toFixed(0) : v.toFixed(1)) : 'n/a');
const fmtX = (v) => (Number.isFinite(v) ? `${v >= 100 ? v.toFixed(0) : v.toFixed(2)}x` : 'n/a');
const fmtS = (ms) => `${(ms / 1000).toFixed(1)} s`;
const fmtInt = (n) => n.toLocaleString('en-US');

// ------------------------------------------------------------------ the trees

const WORDS = [
  'core', 'utils', 'api', 'models', 'views', 'components', 'hooks', 'services', 'config', 'lib', 'internal', 'handlers',
  'routes', 'store', 'types', 'helpers', 'parser', 'render', 'net', 'io', 'auth', 'cache', 'events', 'schema', 'forms',
  'layout', 'theme', 'i18n', 'metrics', 'queue', 'worker', 'session', 'search', 'billing', 'admin', 'editor', 'graph'
];
const SOURCE_EXT = ['ts', 'ts', 'ts', 'tsx', 'tsx', 'js', 'json', 'css', 'd.ts'];
const TEST_EXT = ['test.ts', 'test.ts', 'test.tsx', 'spec.js', 'snap'];
const DOC_EXT = ['md', 'md', 'md', 'mdx', 'svg', 'png'];
const MODULE_EXT = ['js', 'js', 'js', 'cjs', 'mjs', 'd.ts', 'js.map', 'json', 'md'];

/** Log-normal sizes, median ~1.5 KB, clamped to 200 B .. 50 KB. */
function sizeOf(random) {
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.round(Math.min(50_000, Math.max(200, Math.exp(Math.log(1500) + 1.1 * z))));
}

/**
 * Spreads `count` files over `base` and nested folders (5-25 files a folder, up to 8 sub-folders,
 * depth at most 6) and adds them to `out` as { path, size }.
 */
function fillFolder(out, base, count, random, exts) {
  const queue = [{ dir: base, count, depth: 0 }];
  while (queue.length > 0) {
    const { dir, count: n, depth } = queue.pop();
    const here = depth >= 6 ? n : Math.min(n, 5 + Math.floor(random() * 21));
    for (let i = 0; i < here; i++) {
      const word = WORDS[Math.floor(random() * WORDS.length)];
      const ext = exts[Math.floor(random() * exts.length)];
      out.push({ path: `${dir}/${word}-${i}.${ext}`, size: sizeOf(random) });
    }
    const rest = n - here;
    if (rest <= 0) continue;
    const subs = Math.max(1, Math.min(8, Math.ceil(rest / (30 + random() * 170))));
    const weights = Array.from({ length: subs }, () => 0.3 + random());
    const total = weights.reduce((a, b) => a + b, 0);
    let given = 0;
    for (let s = 0; s < subs; s++) {
      const share = s === subs - 1 ? rest - given : Math.floor((rest * weights[s]) / total);
      given += share;
      const word = WORDS[(s * 7 + depth * 3 + Math.floor(random() * WORDS.length)) % WORDS.length];
      if (share > 0) queue.push({ dir: `${dir}/${word}${s}`, count: share, depth: depth + 1 });
    }
  }
}

/**
 * The tree of `total` files (symlinks included) as a list of entries: { path, size, exec?, link?, ignored? }.
 * Deterministic for a given total. About a fifth of the files are in node_modules/ (ignored).
 */
export function planTree(total) {
  const random = seededRandom(SEED ^ total);
  const entries = [];
  const root = [
    ['.gitignore', 0],
    ['package.json', 1800],
    ['package-lock.json', 48_000],
    ['README.md', 6000],
    ['LICENSE', 1070],
    ['tsconfig.json', 600]
  ];
  for (const [path, size] of root) entries.push({ path, size });
  for (let i = 0; i < 6; i++) entries.push({ path: `scripts/${WORDS[i]}.sh`, size: 400 + Math.floor(random() * 3000), exec: true });
  entries.push({ path: 'bin/cli', size: 900, exec: true });
  const modules = Math.round(total * 0.2);
  const packages = Math.max(3, Math.round(total / 4000));
  const rest = total - entries.length - modules - 40; // 40: symlinks and large files below
  const shares = { packages: 0.5, src: 0.22, tests: 0.16, docs: 0.12 };
  // packages/<name>/{package.json, README.md, src/**, test/**}
  const perPackage = Math.floor((rest * shares.packages) / packages);
  for (let p = 0; p < packages; p++) {
    const base = `packages/${WORDS[p % WORDS.length]}${p >= WORDS.length ? `-${p}` : ''}`;
    entries.push({ path: `${base}/package.json`, size: 700 }, { path: `${base}/README.md`, size: sizeOf(random) });
    fillFolder(entries, `${base}/src`, Math.round((perPackage - 2) * 0.8), random, SOURCE_EXT);
    fillFolder(entries, `${base}/test`, perPackage - 2 - Math.round((perPackage - 2) * 0.8), random, TEST_EXT);
  }
  fillFolder(entries, 'src', Math.round(rest * shares.src), random, SOURCE_EXT);
  fillFolder(entries, 'tests', Math.round(rest * shares.tests), random, TEST_EXT);
  const tracked = () => entries.length;
  fillFolder(entries, 'docs', total - modules - 40 - tracked(), random, DOC_EXT);
  // A few large files (fixtures, images): 100 KB .. 2 MB.
  for (let i = 0; i < 20; i++) entries.push({ path: `assets/large-${i}.bin`, size: Math.round(100_000 * Math.pow(20, random())) });
  // A few more executables among the sources.
  for (let i = 0; i < entries.length; i += 997) if (entries[i].path.endsWith('.js')) entries[i].exec = true;
  // Symlinks to files next to them, as repositories have them (hashFiles follows them, ours hashes the link).
  const firstSources = entries.filter((e) => e.path.startsWith('src/') && !e.exec).slice(0, 400);
  for (let i = 0; i < 20; i++) {
    const target = firstSources[(i * 19) % firstSources.length];
    entries.push({ path: `${posix.dirname(target.path)}/alias-${i}${posix.extname(target.path)}`, link: posix.basename(target.path) });
  }
  // node_modules/: packages with package.json, README.md and lib/**, and .bin links; all ignored.
  const perModule = 60;
  let left = modules;
  for (let m = 0; left > 0; m++) {
    const name = `${m % 3 === 0 ? '@scope/' : ''}${WORDS[m % WORDS.length]}-${m}`;
    const base = `node_modules/${name}`;
    entries.push({ path: `${base}/package.json`, size: 900, ignored: true });
    const inLib = Math.min(left - 1, perModule - 1);
    const start = entries.length;
    if (inLib > 0) fillFolder(entries, `${base}/lib`, inLib, random, MODULE_EXT);
    for (let i = start; i < entries.length; i++) entries[i].ignored = true;
    if (m < 20 && inLib > 0) entries.push({ path: `node_modules/.bin/${WORDS[m % WORDS.length]}-${m}`, link: `../${name}/${entries[start].path.slice(base.length + 1)}`, ignored: true });
    left -= 1 + inLib + (m < 20 && inLib > 0 ? 1 : 0);
  }
  // Paths are unique by construction except for word collisions within a folder: keep the first.
  const seen = new Set();
  return entries.filter((e) => (seen.has(e.path) ? false : (seen.add(e.path), true)));
}

/** Text a repository is made of, to slice file contents from (compressible, like source code). */
function contentPool(bytes) {
  const random = seededRandom(SEED);
  const parts = [];
  let size = 0;
  const tokens = ['const', 'return', 'export', 'function', 'import', 'from', 'await', 'if', 'else', '=>', '{', '}', '(', ')', ';', '=', '+', 'value', 'result', 'options', ...WORDS];
  while (size < bytes) {
    let line = '  '.repeat(Math.floor(random() * 4));
    const n = 3 + Math.floor(random() * 10);
    for (let i = 0; i < n; i++) line += `${tokens[Math.floor(random() * tokens.length)]} `;
    line += `${Math.floor(random() * 100_000)}\n`;
    parts.push(line);
    size += line.length;
  }
  return Buffer.from(parts.join(''));
}

/** `git` in the tree with no user or system configuration (HOME is the scratch folder). */
function gitEnv(home) {
  const env = cleanEnv();
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') || k === 'XDG_CONFIG_HOME') delete env[k];
  return { ...env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
}

function gitSync(dir, env, args, timeoutMs = 180_000) {
  const r = spawnSync('git', ['-C', dir, '-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'gc.auto=0', ...args], {
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${dir}: ${r.error?.message ?? ''} ${(r.stderr || '').trim().slice(-600)}`);
  return r.stdout;
}

/** The git fast-import running, if any (killed by the watchdog and signal handlers). */
let importing = null;

/** Resolves when `stream` may take more (backpressure), rejects when the process behind it is gone. */
function drained(stream) {
  return new Promise((resolve, reject) => {
    const done = (error) => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      error instanceof Error ? reject(error) : resolve();
    };
    stream.once('drain', done).once('error', done).once('close', done);
  });
}

/**
 * Writes the tree of `total` files into `dir`, commits it and leaves it dirty. The commit is made
 * by `git fast-import`, fed while the files are written (one pack, as a checkout has its objects,
 * and about twice as fast as `git add -A` on 200,000 files); `git reset` then builds the index from
 * the files on disk. Returns what it wrote and how long each step took.
 */
export async function buildTree(dir, total, home) {
  const times = {};
  let t = now();
  const entries = planTree(total);
  const pool = contentPool(4 * 1024 * 1024);
  times.plan = now() - t;

  const env = gitEnv(home);
  gitSync(dir, env, ['init', '-q', '-b', 'main']);
  t = now();
  // No deltas and no compression: on 200,000 files git fast-import took 21 s with its defaults and
  // 10 s so (from a file, 2 cores); the pack is bigger, which nothing measured here reads.
  const importer = (importing = spawn('git', ['-C', dir, '-c', 'pack.compression=0', 'fast-import', '--quiet', '--done', '--depth=0'], { env, stdio: ['pipe', 'ignore', 'pipe'] }));
  let importErr = '';
  importer.stderr.setEncoding('utf8').on('data', (chunk) => (importErr = (importErr + chunk).slice(-2000)));
  const imported = new Promise((resolve) => importer.on('close', (code) => resolve(code)));
  importer.stdin.on('error', () => {}); // reported through the exit code below
  // The stream goes in batches of about 1 MiB: one write (and at most one wait) per batch, not per file.
  let batch = [];
  let batchBytes = 0;
  const flush = async () => {
    const chunk = Buffer.concat(batch);
    batch = [];
    batchBytes = 0;
    if (!importer.stdin.write(chunk)) await drained(importer.stdin);
  };
  const send = async (chunk) => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    batch.push(buffer);
    batchBytes += buffer.length;
    if (batchBytes >= 1 << 20) await flush();
  };
  const tree = []; // `M <mode> :<mark> <path>` lines of the commit
  const made = new Set();
  let bytes = 0;
  for (const e of entries) {
    const file = join(dir, e.path);
    const parent = posix.dirname(e.path);
    if (!made.has(parent)) {
      mkdirSync(join(dir, parent), { recursive: true });
      made.add(parent);
    }
    let content;
    if (e.link) {
      symlinkSync(e.link, file);
      content = Buffer.from(e.link);
    } else {
      if (e.path === '.gitignore') content = Buffer.from('node_modules/\n');
      else {
        // A unique first line (every blob differs, as in a real repository), then text from the pool.
        const head = Buffer.from(`// ${e.path}\n`);
        const size = Math.max(e.size, head.length);
        content = Buffer.allocUnsafe(size);
        head.copy(content, 0);
        const start = (e.path.length * 7919 + size * 104_729) % (pool.length - size);
        pool.copy(content, head.length, start, start + size - head.length);
      }
      writeFileSync(file, content, e.exec ? { mode: 0o755 } : undefined);
      bytes += content.length;
    }
    if (e.ignored) continue;
    const mark = tree.length + 1;
    await send(`blob\nmark :${mark}\ndata ${content.length}\n`);
    await send(content);
    tree.push(`M ${e.link ? '120000' : e.exec ? '100755' : '100644'} :${mark} ${e.path}\n`);
  }
  times.write = now() - t;
  t = now();
  const message = `generated tree of ${total} files\n`;
  await send(`commit refs/heads/main\ncommitter bench <bench@localhost> 1700000000 +0000\ndata ${Buffer.byteLength(message)}\n${message}`);
  await send(tree.join(''));
  await send('done\n');
  await flush();
  importer.stdin.end();
  const code = await imported;
  importing = null;
  if (code !== 0) throw new Error(`git fast-import failed in ${dir} (exit code ${code}): ${importErr.trim()}`);
  times.commit = now() - t;
  // The index from HEAD, its stat data from the files (each tracked file is read and hashed once).
  t = now();
  gitSync(dir, env, ['reset', '-q']);
  times.index = now() - t;

  // Dirty: modified, staged, deleted, mode-changed, untracked (also in a new folder), and an ignored file.
  t = now();
  const tracked = entries.filter((e) => !e.ignored && !e.link && !e.exec && e.path.startsWith('src/'));
  const used = new Set();
  let cursor = 0;
  /** The next tracked source file not touched yet, spread over the tree. */
  const take = () => {
    for (;;) {
      cursor += 1;
      const path = tracked[(cursor * 7_919) % tracked.length].path;
      if (!used.has(path)) return used.add(path), path;
    }
  };
  const dirty = { modified: [], staged: [], deleted: [], modeChanged: [], untracked: [] };
  for (let k = 1; k <= 6; k++) {
    const path = take();
    writeFileSync(join(dir, path), `${readFileSync(join(dir, path), 'utf8')}// edited ${k}\n`);
    dirty.modified.push(path);
  }
  const staged = take();
  writeFileSync(join(dir, staged), `// staged\n${readFileSync(join(dir, staged), 'utf8')}`);
  gitSync(dir, env, ['add', '--', staged]);
  dirty.staged.push(staged);
  for (let k = 0; k < 2; k++) {
    const path = take();
    unlinkSync(join(dir, path));
    dirty.deleted.push(path);
  }
  const modeChanged = take();
  chmodSync(join(dir, modeChanged), 0o755);
  dirty.modeChanged.push(modeChanged);
  for (let k = 0; k < 4; k++) {
    const path = `${posix.dirname(take())}/untracked-${k}.ts`;
    writeFileSync(join(dir, path), `// untracked ${k}\nexport const value = ${k};\n`);
    dirty.untracked.push(path);
  }
  mkdirSync(join(dir, 'src/new-feature'), { recursive: true });
  for (const name of ['index.ts', 'feature.test.ts']) {
    writeFileSync(join(dir, 'src/new-feature', name), `// ${name}\nexport {};\n`);
    dirty.untracked.push(`src/new-feature/${name}`);
  }
  writeFileSync(join(dir, 'node_modules/.cache-ignored.json'), '{}\n');
  // One status with the index lock allowed, as after a checkout: the index is fresh, later runs only read it.
  gitSync(dir, env, ['status', '--porcelain']);
  times.dirty = now() - t;

  const outside = entries.filter((e) => !e.ignored);
  // The files every tool should count: everything outside node_modules/, after the edits.
  const expected = outside.length - dirty.deleted.length + dirty.untracked.length;
  times.total = Object.values(times).reduce((a, b) => a + b, 0);
  return {
    times,
    stats: {
      files: entries.length,
      ignored: entries.length - outside.length,
      links: entries.filter((e) => e.link).length,
      executables: entries.filter((e) => e.exec).length,
      folders: made.size,
      bytes
    },
    dirty,
    expected
  };
}

// ------------------------------------------------------------------ the bundle

/** A copy of dist/build-cache-key/ in the scratch folder (a rebuild empties dist/), or null when it is not built. */
async function snapshotOurs(scratch) {
  const file = join(BUNDLE_DIR, 'main', 'index.js');
  const size = () => (existsSync(file) ? statSync(file).size : -1);
  for (let attempt = 0; attempt < 10; attempt++) {
    const a = size();
    if (a <= 0) return null;
    await sleep(300);
    if (a !== size()) continue; // being written: look again
    const dir = join(scratch.dir, 'cache-key', 'bundle');
    try {
      rmSync(dir, { recursive: true, force: true });
      cpSync(BUNDLE_DIR, dir, { recursive: true });
    } catch {
      continue; // removed while copying: a rebuild is running
    }
    if (existsSync(join(dir, 'main', 'index.js'))) return { file: join(dir, 'main', 'index.js'), origin: `dist/build-cache-key/main/index.js built ${statSync(file).mtime.toISOString()} (copied aside)` };
  }
  return null;
}

// ------------------------------------------------------------------ where the trees go

const TMPFS_MAGIC = 0x01021994;
const TMPFS_NEEDED = 3 * 1024 ** 3; // both trees, their .git and the page cache they take: about 1.5 GiB

/**
 * Where the trees are written: BENCH_CACHE_KEY_DIR when set; else /dev/shm when it is a tmpfs with
 * room; else the scratch folder (os.tmpdir()). On a disk, creating and deleting 250,000 files is
 * bound by the disk, not by what this bench measures: on the 2-core test VM, 200,000 files took
 * 64 s to generate and 80 s to delete in /tmp, against about 25 s and 2 s on its tmpfs (the page
 * cache is warm in both cases, so the measured runs read from memory either way). The trees are
 * removed at the end, on a crash, and by guardRun's watchdog and signal handlers (see cacheKeyBench).
 */
function treeRoot(scratch) {
  let parent = process.env.BENCH_CACHE_KEY_DIR;
  let where = parent ? `${parent} (BENCH_CACHE_KEY_DIR)` : '';
  if (!parent) {
    try {
      const fs = statfsSync('/dev/shm');
      if (fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= TMPFS_NEEDED) [parent, where] = ['/dev/shm', '/dev/shm (tmpfs)'];
    } catch {
      /* no /dev/shm */
    }
  }
  if (!parent) {
    const dir = join(scratch.dir, 'cache-key');
    return { dir, where: `${dir} (os.tmpdir(); no tmpfs with ${TMPFS_NEEDED / 1024 ** 3} GiB free at /dev/shm)` };
  }
  const dir = mkdtempSync(join(parent, 'deploy-actions-cache-key-'));
  return { dir, where: `${dir} (${where})` };
}

// ------------------------------------------------------------------ the measurements

/**
 * Generates each tree, measures every variant on it, removes it. `progress` gets one line per step.
 * Returns { trees, errors, ours } for cacheKeyReport().
 */
export async function cacheKeyBench({ scratch, progress = (text) => process.stderr.write(`${text}\n`), sizes } = {}) {
  const errors = [];
  const fail = (what, detail) => {
    errors.push(`${what}: ${detail}`);
    progress(`  ! ${what}: ${detail.split('\n')[0]}`);
  };
  const { dir: base, where } = treeRoot(scratch);
  // guardRun's watchdog and signal handlers call scratch.remove(): let it stop git fast-import and take the trees too.
  const removeScratch = scratch.remove.bind(scratch);
  scratch.remove = () => {
    importing?.kill('SIGKILL');
    rmSync(base, { recursive: true, force: true });
    removeScratch();
  };
  const home = join(base, 'home');
  mkdirSync(home, { recursive: true });
  progress(`[cache-key] trees in ${where}`);
  const ours = await snapshotOurs(scratch);
  const coreAlone = bundleFloor(scratch, 'core-alone');
  progress(`[cache-key] ${ours ? `measuring ${ours.origin}` : 'ours: not built yet (no dist/build-cache-key/main/index.js); measuring the peer and the floors only'}`);
  const wanted = sizes ?? (process.env.BENCH_CACHE_KEY_TREES ? process.env.BENCH_CACHE_KEY_TREES.split(',').map(Number) : null);
  const plans = TREES.filter((t) => !wanted || wanted.includes(t.files));
  const trees = [];

  let removeMs = NaN;
  try {
    for (const plan of plans) {
      const dir = join(base, `tree-${plan.files}`);
      mkdirSync(dir, { recursive: true });
      progress(`[cache-key] generating ${fmtInt(plan.files)} files in ${dir}`);
      const built = await buildTree(dir, plan.files, home);
      const g = built.times;
      progress(
        `  generated in ${fmtS(g.total)} (write + git fast-import ${fmtS(g.write)}, its end ${fmtS(g.commit)}, git reset ${fmtS(g.index)}, dirty ${fmtS(g.dirty)}); ` +
          `${fmtInt(built.stats.files)} files, ${(built.stats.bytes / 1048576).toFixed(0)} MiB`
      );
      const env = gitEnv(home);
      const stepEnv = (git) => {
        const files = scratch.files();
        return { files, env: { ...actionEnv('build-cache-key', { files: FILES_INPUT, prefix: 'bench', git }, files), ...env, GITHUB_WORKSPACE: dir } };
      };
      const outputs = { git: [], walk: [] };
      const hashFilesSeen = [];
      const oursRun = (key, git) => async () => {
        const { files, env: runEnv } = stepEnv(git);
        const r = await runNode([ours.file], { env: runEnv, timeoutMs: RUN_TIMEOUT_MS });
        const out = readOutputs(files.output);
        if (r.code !== 0 || !out.hash) return fail(`cache-key ${plan.files} ours git=${git}`, describeFailure(r)), NaN;
        outputs[key].push(out);
        return r.tExit - r.t0;
      };
      const command = (key, file, args) => async () => {
        const r = await runProcess(file, args, { env, timeoutMs: RUN_TIMEOUT_MS });
        if (r.code !== 0) return fail(`cache-key ${plan.files} ${key}`, describeFailure(r)), NaN;
        return r.tExit - r.t0;
      };
      const hashFilesRun = async () => {
        const script =
          `process.chdir(process.env.GITHUB_WORKSPACE);` +
          `const { hashFiles } = await import(${JSON.stringify(pathToFileURL(GLOB_ENTRY).href)});` +
          `const hash = await hashFiles(${JSON.stringify(HASHFILES_PATTERNS)});` +
          `process.stdout.write('\\n@@hash ' + hash + '\\n');`;
        const r = await runNode(['--input-type=module', '-e', script], { env: { ...env, GITHUB_WORKSPACE: dir }, timeoutMs: plan.hashFilesTimeoutMs });
        if (r.timedOut) return { value: r.tExit - r.t0, timedOut: true };
        const hash = /@@hash ([0-9a-f]*)/.exec(r.stdout)?.[1];
        const count = /Found (\d+) files to hash/.exec(r.stdout)?.[1];
        if (r.code !== 0 || !hash) return fail(`cache-key ${plan.files} hashFiles`, describeFailure(r)), NaN;
        hashFilesSeen.push({ hash, count: Number(count) });
        return r.tExit - r.t0;
      };
      const variants = [
        ...(ours ? [{ key: 'git', run: oursRun('git', 'true') }, { key: 'walk', run: oursRun('walk', 'false') }] : []),
        { key: 'lsFiles', run: command('git ls-files -s', 'git', ['-C', dir, 'ls-files', '-s']) },
        { key: 'status', run: command('git status --porcelain', 'git', ['-C', dir, 'status', '--porcelain']) },
        { key: 'node', run: command('@actions/core alone', NODE, [coreAlone]) },
        { key: 'hashFiles', run: hashFilesRun, slow: true }
      ];
      const values = new Map(variants.map((v) => [v.key, []]));
      let hashFilesTimedOut = false;
      const started = now();
      progress(
        `[cache-key] ${fmtInt(plan.files)} files: ${plan.rounds} rounds + 1 warm-up of ${variants.filter((v) => !v.slow).map((v) => v.key).join(', ')}; ` +
          `hashFiles in the first ${plan.hashFilesRuns} round(s), no warm-up`
      );
      for (let round = -1; round < plan.rounds; round++) {
        const these = variants.filter((v) => (v.slow ? round >= 0 && round < plan.hashFilesRuns && !hashFilesTimedOut : true));
        const shift = ((round % these.length) + these.length) % these.length;
        const last = {};
        for (const v of [...these.slice(shift), ...these.slice(0, shift)]) {
          let value = await v.run();
          if (value && typeof value === 'object') {
            hashFilesTimedOut = true; // a lower bound: one is enough to say how far apart they are
            value = value.value;
          }
          last[v.key] = value;
          if (round >= 0 && Number.isFinite(value)) values.get(v.key).push(value);
        }
        progress(`  round ${round < 0 ? 'warm-up' : `${round + 1}/${plan.rounds}`}: ${Object.entries(last).map(([k, v]) => `${k} ${fmtMs(v)}`).join(', ')} ms`);
      }
      const measureMs = now() - started;
      progress(`  measured in ${fmtS(measureMs)}`);
      // The same tree must give the same hash with and without git, in every run.
      const hashes = new Set([...outputs.git, ...outputs.walk].map((o) => o.hash));
      const keysEqual = ours ? outputs.git.length > 0 && outputs.walk.length > 0 && hashes.size === 1 : null;
      if (ours) progress(`  keys equal: ${keysEqual ? 'yes' : 'no'}`);
      if (keysEqual === false) fail(`cache-key ${plan.files}`, `the hash outputs of git=true and git=false differ: ${[...hashes].join(', ')}`);
      trees.push({ plan, built, values, outputs, hashFilesSeen, hashFilesTimedOut, measureMs, keysEqual });
    }
  } finally {
    // The trees go last, also after a crash (deleting hundreds of thousands of files can slow a disk down for a while).
    const t = now();
    rmSync(base, { recursive: true, force: true });
    removeMs = now() - t;
    progress(`[cache-key] trees removed in ${fmtS(removeMs)}`);
  }
  return { trees, errors, ours, removeMs, where };
}

// ------------------------------------------------------------------ output

function verdictOf(ok, measured) {
  if (!measured) return 'ERROR';
  return ok ? 'PASS' : 'MISS';
}

/** The table and notes, as lines. */
export function cacheKeyReport({ trees, errors, ours, removeMs, where }) {
  const lines = [
    `build-cache-key: the key of a generated work tree, cold step per run (spawn -> exit), files input ${JSON.stringify(FILES_INPUT)};`,
    `  peer: @actions/glob ${packageVersion('@actions/glob')} hashFiles on the same globs (+ "!.git/**"), its own Node process per run, cwd = GITHUB_WORKSPACE = the tree`,
    ours ? `  ours: ${ours.origin}` : '  ours: not built yet (no dist/build-cache-key/main/index.js): only the peer and the floors were measured',
    `  trees in ${where}`,
    ''
  ];
  const header = ['tree', 'variant', 'median ms', 'n', 'hashFiles / this', 'this / floor', 'goal', 'PASS/MISS'];
  const body = [];
  const notes = [];
  for (const tree of trees) {
    const { plan, values } = tree;
    const med = (key) => median(values.get(key) ?? []);
    const n = (key) => (values.get(key) ?? []).length;
    const floor = med('lsFiles') + med('status') + med('node');
    const hf = med('hashFiles');
    const hfLabel = tree.hashFilesTimedOut ? `>= ${fmtMs(hf)} (timed out)` : fmtMs(hf);
    const speedup = (v) => (tree.hashFilesTimedOut ? `>= ${fmtX(hf / v)}` : fmtX(hf / v));
    const name = `${fmtInt(plan.files)} files`;
    if (ours) {
      const git = med('git');
      const walk = med('walk');
      const gitOk = [hf / git >= GOAL_GIT, git / floor <= GOAL_FLOOR];
      const gitMeasured = n('git') > 0 && n('hashFiles') > 0;
      body.push([
        name,
        'ours, git=true',
        fmtMs(git),
        String(n('git')),
        speedup(git),
        fmtX(git / floor),
        `>= ${GOAL_GIT}x faster than hashFiles; <= ${GOAL_FLOOR}x floor`,
        `${verdictOf(gitOk[0], gitMeasured)} / ${verdictOf(gitOk[1], n('git') > 0)}`
      ]);
      body.push([name, 'ours, git=false', fmtMs(walk), String(n('walk')), speedup(walk), fmtX(walk / floor), `>= ${GOAL_WALK}x faster than hashFiles`, verdictOf(hf / walk >= GOAL_WALK, n('walk') > 0 && n('hashFiles') > 0)]);
    } else {
      body.push([name, 'ours', 'not built yet', '0', 'n/a', 'n/a', `>= ${GOAL_GIT}x / >= ${GOAL_WALK}x / <= ${GOAL_FLOOR}x`, 'n/a']);
    }
    body.push([name, `@actions/glob hashFiles`, hfLabel, String(n('hashFiles')), '1.00x', fmtX(hf / floor), '-', 'peer']);
    body.push([name, 'floor: git ls-files -s', fmtMs(med('lsFiles')), String(n('lsFiles')), fmtX(hf / med('lsFiles')), '-', '-', 'info']);
    body.push([name, 'floor: git status --porcelain', fmtMs(med('status')), String(n('status')), fmtX(hf / med('status')), '-', '-', 'info']);
    body.push([name, 'floor: @actions/core alone', fmtMs(med('node')), String(n('node')), '-', '-', '-', 'info']);
    body.push([name, 'floor = the three above', fmtMs(floor), '-', fmtX(hf / floor), '1.00x', '-', 'info']);

    const g = tree.built.times;
    const s = tree.built.stats;
    notes.push(
      `${name}: generated in ${fmtS(g.total)} (plan ${fmtS(g.plan)}, write files + feed git fast-import ${fmtS(g.write)}, fast-import end ${fmtS(g.commit)}, git reset (index) ${fmtS(g.index)}, dirty edits + first status ${fmtS(g.dirty)}); ` +
        `measured in ${fmtS(tree.measureMs)}`
    );
    notes.push(
      `  ${fmtInt(s.files)} files (${fmtInt(s.ignored)} in node_modules/, ignored), ${fmtInt(s.folders)} folders, ${(s.bytes / 1048576).toFixed(0)} MiB, ${s.links} symlinks, ${s.executables} executables; ` +
        `dirty: ${Object.entries(tree.built.dirty).map(([k, v]) => `${v.length} ${k}`).join(', ')}; files the globs select: ${fmtInt(tree.built.expected)}`
    );
    const counts = tree.hashFilesSeen.map((h) => h.count);
    const hfHashes = new Set(tree.hashFilesSeen.map((h) => h.hash));
    notes.push(
      `  hashFiles: ${counts.length ? `${[...new Set(counts)].map(fmtInt).join(', ')} files hashed` : 'no completed run'}${hfHashes.size > 1 ? `, ${hfHashes.size} different hashes across runs (!)` : ''}`
    );
    if (ours) {
      const hashes = (key) => new Set(tree.outputs[key].map((o) => o.hash));
      const fileCounts = (key) => [...new Set(tree.outputs[key].map((o) => o['file-count']))].join(', ');
      notes.push(`  keys equal: ${tree.keysEqual ? 'yes' : 'no'} (git=true: ${[...hashes('git')].map((h) => h.slice(0, 12)).join(', ') || 'none'}; git=false: ${[...hashes('walk')].map((h) => h.slice(0, 12)).join(', ') || 'none'})`);
      notes.push(`  file-count: git=true ${fileCounts('git') || 'n/a'}, git=false ${fileCounts('walk') || 'n/a'} (expected ${fmtInt(tree.built.expected)}); key ${tree.outputs.git[0]?.key ?? tree.outputs.walk[0]?.key ?? 'n/a'}`);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const right = (i) => i >= 2 && i <= 5;
  const line = (cells) => `| ${cells.map((c, i) => (right(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  lines.push(line(header));
  lines.push(`|${widths.map((w, i) => (right(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const row of body) lines.push(line(row));
  lines.push('');
  lines.push('Notes: medians of interleaved rounds after one unrecorded warm-up round (hashFiles: no warm-up, fewer runs, n says how many); warm page cache;');
  lines.push('  floor = median git ls-files -s + median git status --porcelain + median start-up of a bundle of @actions/core alone, each its own child process; hashFiles / this > 1 = this is faster.');
  lines.push(...notes);
  if (Number.isFinite(removeMs)) lines.push(`Trees removed in ${fmtS(removeMs)}.`);
  lines.push('\nDetails (ms): n, min / p10 / median / p90 / max');
  const series = [];
  for (const tree of trees) for (const [key, v] of tree.values) if (v.length) series.push([`${fmtInt(tree.plan.files)} files ${key}`, v]);
  const width = Math.max(0, ...series.map(([name]) => name.length));
  for (const [name, v] of series) {
    const q = [Math.min(...v), quantile(v, 0.1), median(v), quantile(v, 0.9), Math.max(...v)].map(fmtMs);
    lines.push(`  ${name.padEnd(width)}  n=${String(v.length).padStart(2)}  ${q.join(' / ')}`);
  }
  if (errors.length) {
    lines.push(`\n${errors.length} cache-key run(s) failed:`);
    for (const e of errors.slice(0, 10)) lines.push(`  - ${e}`);
  }
  return { lines };
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

// ------------------------------------------------------------------ alone: `node bench/cache-key.mjs`

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const WATCHDOG_MS = 420_000;
  const scratch = new Scratch();
  guardRun('bench/cache-key', scratch, WATCHDOG_MS);
  const started = now();
  let result;
  let crashed = false;
  try {
    process.stderr.write(`bench/cache-key: Node ${nodeVersion()}\n`);
    result = await cacheKeyBench({ scratch });
  } catch (error) {
    crashed = true;
    process.stderr.write(`bench/cache-key crashed: ${error.stack ?? error}\n`);
  } finally {
    killAll();
    scratch.remove();
  }
  if (result) {
    console.log(`\ndeploy-actions cache-key bench — Node ${nodeVersion()}, ${new Date().toISOString()}, took ${((now() - started) / 1000).toFixed(1)} s\n`);
    console.log(cacheKeyReport(result).lines.join('\n'));
  }
  process.exit(crashed || result?.errors.length ? 1 : 0);
}
