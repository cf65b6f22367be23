// Reading files as git would and computing their blob ids: on this thread for a few files, spread
// over worker threads for many. The workers run hash-worker.ts, bundled beside the action's entry.
import { createHash, hash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MessagePort, Worker } from 'node:worker_threads';
import { under } from './paths.js';
import { checkedOutCommit } from './submodule.js';

/** Git's modes: a file, an executable, a symlink, a submodule (gitlink). */
export type FileMode = '100644' | '100755' | '120000' | '160000';

export interface FileEntry {
  /** Relative to the workspace, `/`-separated; bytes that are not UTF-8 escaped (see paths.ts). */
  path: string;
  mode: FileMode;
  /** Git's blob object id (SHA-1 of `blob <size>\0<content>`); for a submodule, the commit checked out. */
  oid: string;
}

function blobIdOf(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

// O_NOFOLLOW: a path that is a symlink fails to open (ELOOP) rather than reading what it points at.
// O_NONBLOCK: opening a FIFO put where a file was listed must not hang the step. Windows has neither.
const NO_FOLLOW = constants.O_NOFOLLOW as number | undefined;
const OPEN_FLAGS = constants.O_RDONLY | (NO_FOLLOW ?? 0) | ((constants.O_NONBLOCK as number | undefined) ?? 0);

/** Files up to this size are read whole; larger ones pass through the buffer in pieces of this size. */
const BUFFER_MAX = 8 * 1024 * 1024;

/**
 * Reads files into one buffer that grows to the largest file (up to BUFFER_MAX) and is reused, so
 * that hashing tens of thousands of files costs four system calls each (open, fstat, read, close)
 * and no garbage, and a file of gigabytes costs no more memory than BUFFER_MAX.
 */
export class BlobReader {
  private buffer = Buffer.allocUnsafe(256 * 1024);

  /**
   * The entry of `path` (relative to `root`), read as git would: a regular file with its owner's
   * execute bit, a symlink's target, or the commit checked out in a submodule's folder. Undefined
   * when it is gone or is none of them (another folder, a FIFO).
   */
  entry(root: string, path: string, isLink?: boolean): FileEntry | undefined {
    const absolute = under(root, path);
    try {
      if (isLink === undefined && NO_FOLLOW === undefined) isLink = lstatSync(absolute).isSymbolicLink();
      // The target as bytes: it need not be UTF-8 either.
      if (isLink) return { path, mode: '120000', oid: blobIdOf(readlinkSync(absolute, { encoding: 'buffer' })) };
      return this.file(absolute, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' && !isLink) return this.entry(root, path, true); // a symlink now
      if (code === 'EISDIR') return gitlinkEntry(absolute, path); // a folder, where it cannot be opened (Windows)
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // deleted since it was listed
      throw error;
    }
  }

  private file(absolute: string | Buffer, path: string): FileEntry | undefined {
    const fd = openSync(absolute, OPEN_FLAGS);
    try {
      const stat = fstatSync(fd);
      if (stat.isDirectory()) return gitlinkEntry(absolute, path);
      if (!stat.isFile()) return undefined;
      // Git reads only the owner's execute bit (a file executable for its group alone is 100644).
      const mode = stat.mode & 0o100 ? '100755' : '100644';
      // The blob's header goes in front of the content in the buffer: one hash call per file, no hash object.
      const header = `blob ${stat.size}\0`;
      const needed = header.length + stat.size;
      if (needed > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.min(BUFFER_MAX, Math.max(needed, this.buffer.length * 2)));
      if (needed > this.buffer.length) return { path, mode, oid: this.hashInPieces(fd, stat.size, path) };
      this.buffer.write(header, 0, 'latin1');
      // As git does, the size from fstat is what is read: a file still being written is cut there.
      let length = 0;
      while (length < stat.size) {
        const read = readSync(fd, this.buffer, header.length + length, stat.size - length, null);
        if (read === 0) break;
        length += read;
      }
      const oid = length === stat.size ? hash('sha1', this.buffer.subarray(0, needed), 'hex') : blobIdOf(this.buffer.subarray(header.length, header.length + length));
      return { path, mode, oid };
    } finally {
      closeSync(fd);
    }
  }

  /** The blob id of a file larger than the buffer. Its header holds the size, so the file must keep it while it is read. */
  private hashInPieces(fd: number, size: number, path: string): string {
    const sha1 = createHash('sha1').update(`blob ${size}\0`);
    for (let remaining = size; remaining > 0; ) {
      const read = readSync(fd, this.buffer, 0, Math.min(remaining, this.buffer.length), null);
      if (read === 0) throw new Error(`${path} became shorter while it was being read (${size} bytes before)`);
      sha1.update(this.buffer.subarray(0, read));
      remaining -= read;
    }
    return sha1.digest('hex');
  }
}

/** A submodule's folder as its commit (mode 160000); undefined for a folder that holds no repository or no commit yet. */
export function gitlinkEntry(absolute: string | Buffer, path: string): FileEntry | undefined {
  const commit = checkedOutCommit(absolute, path);
  return commit === undefined ? undefined : { path, mode: '160000', oid: commit };
}

/** What a worker is sent: files to read under `root`, in batches. */
export interface HashRequest {
  batch: number;
  paths: string[];
}

/** What a worker answers: per path `<mode><blob id>`, or '' when it is gone; or the error that stopped it. */
export type HashReply = { batch: number; entries: string[] } | { batch: number; error: string; code?: string };

/** The worker's side: answers each request on `port` (`regularFiles`: see FileHasherOptions). */
export function serveHashRequests(port: MessagePort, root: string, regularFiles: boolean): void {
  const reader = new BlobReader();
  port.on('message', ({ batch, paths }: HashRequest) => {
    try {
      const entries = paths.map((path) => {
        const entry = reader.entry(root, path, regularFiles ? false : undefined);
        return entry ? `${entry.mode}${entry.oid}` : '';
      });
      port.postMessage({ batch, entries } satisfies HashReply);
    } catch (error) {
      const { message, code } = error as NodeJS.ErrnoException;
      port.postMessage({ batch, error: message, ...(code ? { code } : {}) } satisfies HashReply);
    }
  });
}

/** Files a batch holds: enough to make a message worth sending, few enough to share out the end. */
const BATCH_SIZE = 128;
/** Below this many files, starting a thread costs more than it saves. */
const PARALLEL_FROM = 1024;
/** Batches a worker holds at once: one being read and one waiting, so it never idles on a reply. */
const IN_FLIGHT = 2;
/** Reading files is bound by system calls; past a few threads they only contend for the same locks. */
const MAX_WORKERS = 3;

// The worker is a bundle of its own: dist/build-cache-key/hash-worker/index.js beside this main/.
const WORKER_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'hash-worker', 'index.js');

interface Helper {
  worker: Worker;
  port: MessagePort;
  /** The batches it holds, by number. */
  holding: Map<number, string[]>;
  /** Gone (it failed to start or crashed): what it held is read here instead. */
  lost: boolean;
}

export interface FileHasherOptions {
  /**
   * Every path added is a regular file as listed (a walk knows from readdir): no lstat to find out
   * where opening cannot tell a link (Windows). False: each path is read as whatever it now is.
   */
  regularFiles?: boolean;
  /** Worker threads to start: one fewer than the CPUs, at most MAX_WORKERS, unless given. */
  workers?: number;
  /** The worker's script: the bundled hash-worker beside this bundle, unless given. */
  workerFile?: string;
}

/**
 * Hashes the files it is given while the caller goes on listing them. From the PARALLEL_FROM-th
 * file on, batches go to worker threads (one fewer than the CPUs, at most MAX_WORKERS), and this
 * thread reads batches too once the listing is done, so that all of them finish together. Where the
 * bundled worker is not beside this module (the sources run by the unit tests), or a worker cannot
 * start or dies, the files are read here. A file that cannot be read fails the whole listing.
 * Entries come back in the order the paths were added.
 */
export class FileHasher {
  private readonly reader = new BlobReader();
  private readonly results: Array<Array<FileEntry | undefined>> = [];
  /** Batches nobody holds yet: this thread takes from the front, the workers are fed from the back. */
  private readonly queue: Array<{ batch: number; paths: string[] }> = [];
  private readonly helpers: Helper[] = [];
  private current: string[] = [];
  private added = 0;
  private started = false;
  private failure: Error | undefined;
  /** Wakes finish() when it waits on the workers. */
  private wake: (() => void) | undefined;
  private readonly workers: number;
  private readonly workerFile: string;
  private readonly regularFiles: boolean;

  constructor(
    private readonly root: string,
    { regularFiles = false, workers = Math.min(MAX_WORKERS, availableParallelism() - 1), workerFile = WORKER_FILE }: FileHasherOptions = {}
  ) {
    this.regularFiles = regularFiles;
    this.workerFile = workerFile;
    this.workers = existsSync(workerFile) ? Math.max(0, workers) : 0;
  }

  /** A regular file, or (without `regularFiles`) a path whose kind is not known yet: it is read as a file, a link or a submodule, whichever it is. */
  add(path: string): void {
    this.current.push(path);
    this.added += 1;
    if (this.current.length < BATCH_SIZE) return;
    this.enqueue();
    if (this.added >= PARALLEL_FROM && this.workers > 0) {
      if (!this.started) this.startWorkers();
      this.collect();
      this.dispatch();
    }
  }

  /** Threads that read files: this one, plus the workers started (those lost on the way included). */
  get threads(): number {
    return 1 + this.helpers.length;
  }

  async finish(): Promise<FileEntry[]> {
    if (this.current.length > 0) this.enqueue();
    try {
      // Each turn reads a batch here or waits for a worker's answer or loss: bounded by the batches.
      while (!this.failure) {
        this.collect();
        this.dispatch();
        const next = this.queue.shift();
        if (next) this.results[next.batch] = next.paths.map((path) => this.reader.entry(this.root, path, this.regularFiles ? false : undefined));
        else if (this.helpers.some((helper) => helper.holding.size > 0)) await this.nextEvent();
        else break;
      }
    } finally {
      this.close();
    }
    if (this.failure) throw this.failure;
    return this.results.flat().filter((entry): entry is FileEntry => entry !== undefined);
  }

  /** Stops the workers (finish() does it; a caller that gives up before finishing must). */
  close(): void {
    this.wake = undefined;
    for (const helper of this.helpers) {
      helper.lost = true;
      helper.port.close();
      void helper.worker.terminate();
    }
  }

  private enqueue(): void {
    this.queue.push({ batch: this.results.length, paths: this.current });
    this.results.push([]);
    this.current = [];
  }

  private startWorkers(): void {
    // Loaded here, not at the top: most runs (git's index, small trees) start no thread, and loading it costs every run.
    const { MessageChannel, Worker } = process.getBuiltinModule('node:worker_threads');
    this.started = true;
    for (let index = 0; index < this.workers; index += 1) {
      const { port1, port2 } = new MessageChannel();
      let worker: Worker;
      try {
        worker = new Worker(this.workerFile, { workerData: { root: this.root, port: port2, regularFiles: this.regularFiles }, transferList: [port2] });
      } catch {
        port1.close();
        break; // no more threads to be had (a resource limit): the files are read with those there are
      }
      // Never what keeps the step's process alive: the answers are awaited through the port.
      worker.unref();
      const helper: Helper = { worker, port: port1, holding: new Map(), lost: false };
      port1.on('message', (reply: HashReply) => {
        this.accept(helper, reply);
        this.wake?.();
      });
      // An uncaught error or an exit while holding batches: a thread that could not start or crashed.
      worker.on('error', () => this.lose(helper));
      worker.on('exit', () => this.lose(helper));
      this.helpers.push(helper);
    }
  }

  /** Takes in the answers that have arrived, without waiting for the event loop to deliver them. */
  private collect(): void {
    if (this.helpers.length === 0) return;
    const { receiveMessageOnPort } = process.getBuiltinModule('node:worker_threads');
    for (const helper of this.helpers) {
      for (let message = receiveMessageOnPort(helper.port); message; message = receiveMessageOnPort(helper.port)) this.accept(helper, message.message as HashReply);
    }
  }

  private accept(helper: Helper, reply: HashReply): void {
    const paths = helper.holding.get(reply.batch);
    if (!paths) return; // answered after its thread was given up on: its batch was read here
    helper.holding.delete(reply.batch);
    if ('error' in reply) {
      this.failure ??= Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {});
      return;
    }
    this.results[reply.batch] = reply.entries.map((entry, index) => (entry ? { path: paths[index]!, mode: entry.slice(0, 6) as FileMode, oid: entry.slice(6) } : undefined));
  }

  /** Gives up on a worker: the batches it held go back to the queue, for this thread to read. */
  private lose(helper: Helper): void {
    if (helper.lost) return;
    helper.lost = true;
    for (const [batch, paths] of helper.holding) this.queue.push({ batch, paths });
    helper.holding.clear();
    this.wake?.();
  }

  /** Keeps every live worker holding IN_FLIGHT batches while there are any to give. */
  private dispatch(): void {
    for (const helper of this.helpers) {
      while (!helper.lost && helper.holding.size < IN_FLIGHT && this.queue.length > 0) {
        const next = this.queue.pop()!;
        helper.holding.set(next.batch, next.paths);
        helper.port.postMessage({ batch: next.batch, paths: next.paths } satisfies HashRequest);
      }
    }
  }

  /** Resolves at the next answer or lost worker. */
  private nextEvent(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }
}
