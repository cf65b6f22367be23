// Runs every version the store holds in real workerd: one workerd process, each version its own
// service on its own 127.0.0.1 socket (the port workerd picked, reported on its control fd). A new
// version means a new config and a new process, started and listening before the old one is stopped;
// the old one is stopped only once the requests the router leased on it are done, so a reload drops
// nothing. workerd outlives a dead parent on its own, so each one is started under
// `setpriv --pdeathsig KILL` (util-linux), or under a small watchdog where setpriv is missing.
//
// Erasable TypeScript importing only `./x.ts` siblings, so plain Node 24 can run the bed's CLI.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CloudflareStore, StoredVersion } from './store.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const WORKERD_PATH = join(here, '../../node_modules/@cloudflare/workerd-linux-64/bin/workerd');
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/** Cloudflare's default for an upload that names none; workerd needs one. */
const DEFAULT_COMPATIBILITY_DATE = '2024-01-01';
/** How long a workerd may take to listen on a slow, shared machine before it counts as failed. */
const STARTUP_TIMEOUT_MS = 60_000;
/** How long a retired process may finish the requests leased on it before it is stopped anyway. */
const DRAIN_TIMEOUT_MS = 60_000;

export interface WorkerdOptions {
  workerdPath?: string;
  /** Where configs and module files go; a fresh temporary directory by default (removed on stop). */
  dir?: string;
  /** workerd's own stderr lines (uncaught exceptions of Workers, start-up failures). */
  onLog?: (line: string) => void;
}

/** A running workerd and the port of each version it serves. */
interface Generation {
  number: number;
  process: ChildProcess;
  /** `<worker>\n<versionId>` → port. */
  ports: Map<string, number>;
  inflight: number;
  drained?: () => void;
  startupMs: number;
}

export interface Lease {
  port: number;
  release(): void;
}

const key = (worker: string, versionId: string) => `${worker}\n${versionId}`;

export class WorkerdSupervisor {
  readonly #store: CloudflareStore;
  readonly #workerdPath: string;
  readonly #onLog: (line: string) => void;
  #dir = '';
  #ownsDir = false;
  #current: Generation | undefined;
  /** Replaced processes still finishing the requests leased on them. */
  readonly #retiring = new Set<Generation>();
  #generations = 0;
  #reloading: Promise<void> = Promise.resolve();
  #pending = false;
  #stopped = false;
  #waiters = new Set<() => void>();
  readonly #writtenVersions = new Set<string>();
  readonly #onVersion = () => void this.reload().catch((error: Error) => this.#onLog(`workerd reload failed: ${error.message}`));
  /** Milliseconds from spawn to every socket listening, per generation started. */
  readonly startupTimes: Array<{ versions: number; ms: number }> = [];
  /** Why the last reload failed (the previous process keeps serving), if it did. */
  lastError: string | undefined;

  private constructor(store: CloudflareStore, options: WorkerdOptions) {
    this.#store = store;
    this.#workerdPath = options.workerdPath ?? WORKERD_PATH;
    this.#onLog = options.onLog ?? (() => {});
  }

  /** Starts serving what the store holds now, and every version uploaded later. */
  static async start(store: CloudflareStore, options: WorkerdOptions = {}): Promise<WorkerdSupervisor> {
    const supervisor = new WorkerdSupervisor(store, options);
    supervisor.#ownsDir = options.dir === undefined;
    supervisor.#dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'workerd-bed-')));
    store.on('version', supervisor.#onVersion);
    await supervisor.reload();
    return supervisor;
  }

  /** The workerd process serving now (for tests of its lifetime). */
  get pid(): number | undefined {
    return this.#current?.process.pid;
  }

  /**
   * A port serving this version, held until release(): the process behind it is not stopped while
   * leased. Waits (bounded) for a version just uploaded whose process is still starting.
   */
  async lease(worker: string, versionId: string, waitMs = STARTUP_TIMEOUT_MS): Promise<Lease | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const generation = this.#current;
      const port = generation?.ports.get(key(worker, versionId));
      if (generation !== undefined && port !== undefined) {
        generation.inflight++;
        let released = false;
        return {
          port,
          release: () => {
            if (released) return;
            released = true;
            generation.inflight--;
            if (generation.inflight === 0) generation.drained?.();
          }
        };
      }
      const stored = this.#store.worker(worker)?.versions.some((version) => version.id === versionId);
      if (!stored || this.#stopped || Date.now() >= deadline) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(done);
      });
    }
  }

  /** Regenerates the config from the store and swaps processes; calls made meanwhile coalesce into one. */
  reload(): Promise<void> {
    if (this.#pending) return this.#reloading;
    this.#pending = true;
    this.#reloading = this.#reloading.then(async () => {
      this.#pending = false;
      if (this.#stopped) return;
      await this.#swap();
    });
    return this.#reloading;
  }

  async #swap(): Promise<void> {
    const services: ServiceSpec[] = [];
    for (const state of this.#store.workers.values()) {
      for (const version of state.versions) {
        const secrets = new Map([...state.secrets].map(([name, secret]) => [name, secret.value]));
        services.push(await this.#writeVersion(state.name, version, secrets));
      }
    }
    if (services.length === 0) return; // nothing uploaded yet: nothing to run
    const number = ++this.#generations;
    const configPath = join(this.#dir, `config-${number}.capnp`);
    await writeFile(configPath, capnpConfig(services, this.#dir));
    let started: Started;
    try {
      started = await startWorkerd(this.#workerdPath, configPath, services.map((service) => service.socketName), this.#onLog);
    } catch (error) {
      this.lastError = (error as Error).message;
      throw error;
    }
    this.lastError = undefined;
    const ports = new Map<string, number>();
    for (const service of services) {
      const port = started.ports.get(service.socketName);
      if (port !== undefined) ports.set(key(service.worker, service.versionId), port);
    }
    const generation: Generation = { number, process: started.process, ports, inflight: 0, startupMs: started.ms };
    this.startupTimes.push({ versions: services.length, ms: started.ms });
    const previous = this.#current;
    this.#current = generation;
    for (const wake of [...this.#waiters]) wake();
    this.#waiters.clear();
    if (previous !== undefined) {
      this.#retiring.add(previous);
      void retire(previous).finally(() => this.#retiring.delete(previous));
    }
    if (this.#stopped) await retire(generation, 0);
  }

  async #writeVersion(worker: string, version: StoredVersion, secrets: Map<string, string>): Promise<ServiceSpec> {
    const folder = join(this.#dir, 'versions', safeName(worker), version.id);
    if (!this.#writtenVersions.has(folder)) {
      for (const module of version.modules) {
        const path = join(folder, module.name);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, module.content);
      }
      this.#writtenVersions.add(folder);
    }
    return serviceSpec(worker, version, folder, secrets);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#store.off('version', this.#onVersion);
    for (const wake of [...this.#waiters]) wake();
    await this.#reloading.catch(() => {});
    await Promise.all([this.#current, ...this.#retiring].filter((generation) => generation !== undefined).map((generation) => retire(generation, 0)));
    this.#current = undefined;
    if (this.#ownsDir) await rm(this.#dir, { recursive: true, force: true });
  }
}

/**
 * Starts the version once in a throwaway workerd: undefined when it listens, else the reason it did
 * not (workerd's own words, e.g. "Uncaught Error: … at index.js:1:7"), for the API's 10021.
 */
export async function validateStartup(
  worker: string,
  version: StoredVersion,
  options: { workerdPath?: string } = {}
): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'workerd-check-'));
  try {
    for (const module of version.modules) {
      const path = join(dir, 'module', module.name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, module.content);
    }
    const spec = serviceSpec(worker, version, join(dir, 'module'), new Map());
    const configPath = join(dir, 'config.capnp');
    await writeFile(configPath, capnpConfig([spec], dir));
    try {
      const started = await startWorkerd(options.workerdPath ?? WORKERD_PATH, configPath, [spec.socketName], () => {});
      await stopProcess(started.process, 0);
      return undefined;
    } catch (error) {
      // workerd prefixes the reason with the service name, which is the bed's, not the user's.
      return (error as Error).message.replace(/^service [^:]+: /, '');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface ServiceSpec {
  worker: string;
  versionId: string;
  serviceName: string;
  socketName: string;
  /** Module files, main module first, as paths relative to the config's directory. */
  modules: Array<{ name: string; kind: ModuleKind; path: string }>;
  compatibilityDate: string;
  compatibilityFlags: string[];
  bindings: Array<{ name: string; text?: string; json?: string }>;
}

type ModuleKind = 'esModule' | 'commonJsModule' | 'text' | 'data' | 'wasm' | 'json';

/** The multipart content types Cloudflare's upload API takes per module, as workerd module kinds. */
function moduleKind(contentType: string): ModuleKind | undefined {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  switch (type) {
    case 'application/javascript+module':
    case 'text/javascript+module':
      return 'esModule';
    case 'application/javascript':
    case 'text/javascript':
    case 'application/node':
      return 'commonJsModule';
    case 'text/plain':
      return 'text';
    case 'application/octet-stream':
      return 'data';
    case 'application/wasm':
      return 'wasm';
    case 'application/json':
      return 'json';
    default:
      return undefined; // source maps and the like: not code workerd runs
  }
}

function serviceSpec(worker: string, version: StoredVersion, folder: string, secrets: Map<string, string>): ServiceSpec {
  const metadata = version.metadata as {
    main_module?: string;
    body_part?: string;
    compatibility_date?: string;
    compatibility_flags?: string[];
    bindings?: Array<{ type?: string; name?: string; text?: string; json?: unknown }>;
  };
  const main = metadata.main_module ?? metadata.body_part;
  const modules: ServiceSpec['modules'] = [];
  for (const module of version.modules) {
    const kind = moduleKind(module.contentType);
    if (kind === undefined) continue;
    const entry = { name: module.name, kind, path: join(folder, module.name) };
    if (module.name === main) modules.unshift(entry);
    else modules.push(entry);
  }
  const bindings: ServiceSpec['bindings'] = [];
  for (const binding of metadata.bindings ?? []) {
    if (typeof binding.name !== 'string') continue;
    if ((binding.type === 'plain_text' || binding.type === 'secret_text') && typeof binding.text === 'string') {
      bindings.push({ name: binding.name, text: binding.text });
    } else if (binding.type === 'json') {
      bindings.push({ name: binding.name, json: JSON.stringify(binding.json) });
    }
  }
  // Secrets set on the Worker (wrangler secret put) reach every version, as on Cloudflare.
  for (const [name, value] of secrets) {
    if (!bindings.some((binding) => binding.name === name)) bindings.push({ name, text: value });
  }
  const id = `${safeName(worker)}-${version.id}`;
  return {
    worker,
    versionId: version.id,
    serviceName: `version-${id}`,
    socketName: `socket-${id}`,
    modules,
    compatibilityDate: metadata.compatibility_date ?? DEFAULT_COMPATIBILITY_DATE,
    compatibilityFlags: metadata.compatibility_flags ?? [],
    bindings
  };
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');

/** A Cap'n Proto text literal: quotes, backslashes and control bytes escaped. */
function capnpString(value: string): string {
  return `"${value.replace(/[\\"\x00-\x1f\x7f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}

function capnpConfig(services: ServiceSpec[], configDir: string): string {
  const service = (spec: ServiceSpec) => {
    const modules = spec.modules
      .map((module) => `(name = ${capnpString(module.name)}, ${module.kind} = embed ${capnpString(relative(configDir, module.path))})`)
      .join(', ');
    const bindings = spec.bindings
      .map((binding) =>
        binding.json !== undefined
          ? `(name = ${capnpString(binding.name)}, json = ${capnpString(binding.json)})`
          : `(name = ${capnpString(binding.name)}, text = ${capnpString(binding.text ?? '')})`
      )
      .join(', ');
    const flags = spec.compatibilityFlags.map(capnpString).join(', ');
    return `    (name = ${capnpString(spec.serviceName)}, worker = (modules = [${modules}], compatibilityDate = ${capnpString(spec.compatibilityDate)}, compatibilityFlags = [${flags}], bindings = [${bindings}]))`;
  };
  const socket = (spec: ServiceSpec) =>
    `    (name = ${capnpString(spec.socketName)}, address = "127.0.0.1:0", http = (), service = ${capnpString(spec.serviceName)})`;
  return [
    'using Workerd = import "/workerd/workerd.capnp";',
    'const config :Workerd.Config = (',
    `  services = [\n${services.map(service).join(',\n')}\n  ],`,
    `  sockets = [\n${services.map(socket).join(',\n')}\n  ]`,
    ');',
    ''
  ].join('\n');
}

interface Started {
  process: ChildProcess;
  /** Socket name → port. */
  ports: Map<string, number>;
  ms: number;
}

/** Spawns workerd tied to this process's life and resolves once every socket listens. */
function startWorkerd(
  workerdPath: string,
  configPath: string,
  sockets: readonly string[],
  onLog: (line: string) => void
): Promise<Started> {
  const began = performance.now();
  const args = ['serve', configPath, '--control-fd=3'];
  const child = SETPRIV
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', workerdPath, ...args], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] })
    : spawn(workerdPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  if (!SETPRIV && child.pid !== undefined) watchParent(child.pid);
  const stderr: string[] = [];
  let stderrTail = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (stderrTail + chunk).split('\n');
    stderrTail = lines.pop()!;
    for (const line of lines) {
      if (stderr.length < 50) stderr.push(line);
      onLog(line);
    }
  });
  return new Promise<Started>((resolve, reject) => {
    const ports = new Map<string, number>();
    let control = '';
    const timer = setTimeout(() => {
      void stopProcess(child, 0);
      reject(new Error(`workerd did not listen within ${STARTUP_TIMEOUT_MS} ms`));
    }, STARTUP_TIMEOUT_MS);
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: string) => {
      const lines = (control + chunk).split('\n');
      control = lines.pop()!;
      for (const line of lines) {
        const message = JSON.parse(line) as { event?: string; socket?: string; port?: number };
        if (message.event === 'listen' && message.socket !== undefined && message.port !== undefined) {
          ports.set(message.socket, message.port);
        }
      }
      if (sockets.every((name) => ports.has(name))) {
        clearTimeout(timer);
        resolve({ process: child, ports, ms: Math.round(performance.now() - began) });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const words = [...stderr, stderrTail].filter((line) => line.trim() !== '').join('\n').trim();
      reject(new Error(words || `workerd exited (${signal ?? `code ${code}`}) before listening`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Where setpriv is missing: a detached watchdog that kills workerd once this process is gone. */
function watchParent(childPid: number): void {
  const script = `const [parent, child] = process.argv.slice(1).map(Number);
setInterval(() => { try { process.kill(parent, 0); } catch { try { process.kill(child, 'SIGKILL'); } catch {} process.exit(0); } }, 200);`;
  spawn(process.execPath, ['-e', script, String(process.pid), String(childPid)], { stdio: 'ignore', detached: true }).unref();
}

/** Waits until the requests leased on this generation are done (bounded), then stops its process. */
async function retire(generation: Generation, drainTimeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
  if (generation.inflight > 0 && drainTimeoutMs > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, drainTimeoutMs);
      generation.drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  await stopProcess(generation.process, 2_000);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.kill(graceMs === 0 ? 'SIGKILL' : 'SIGTERM');
  });
}
