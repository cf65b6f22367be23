// Uploads a folder (a report, a log bundle) as a workflow artifact with the real @actions/artifact client.
// The client is imported only when an upload happens: it loads @actions/core and the Azure SDKs, which
// would cost every step start-up time even when the step uploads nothing.
//
// No relative imports, so Node 24 can also load this file as is (type stripping), not only bundled.

import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface UploadDirectoryOptions {
  /** Days GitHub keeps the artifact, 1-90; capped by the repository setting. Default: the repository setting. */
  retentionDays?: number;
}

export interface UploadedArtifact {
  id: number;
  /** Bytes uploaded (the zip). */
  size: number;
  /** SHA-256 of the uploaded zip, hex. */
  digest?: string;
}

/**
 * Uploads every file under rootDir (recursively; paths in the artifact are relative to rootDir) as the
 * artifact `name`. Throws an Error whose message is fit to show a user as is.
 */
export async function uploadDirectory(name: string, rootDir: string, options: UploadDirectoryOptions = {}): Promise<UploadedArtifact> {
  const fail = (reason: string) => new Error(`Cannot upload artifact '${name}': ${reason}`);
  // Checked here, before loading the client, so a local run says what is wrong in one line.
  if (!process.env.ACTIONS_RUNTIME_TOKEN) {
    throw fail('ACTIONS_RUNTIME_TOKEN is not set. Artifacts can only be uploaded from a GitHub Actions job (the runner provides the token)');
  }
  if (!process.env.ACTIONS_RESULTS_URL) {
    throw fail('ACTIONS_RESULTS_URL is not set. Artifacts can only be uploaded from a GitHub Actions job (the runner provides the URL)');
  }
  const { retentionDays } = options;
  if (retentionDays !== undefined && (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 90)) {
    throw fail(`retention days must be a whole number from 1 to 90, got ${retentionDays}`);
  }

  const root = resolve(rootDir);
  const files = await listFiles(root).catch((error: NodeJS.ErrnoException) => {
    throw fail(error.code === 'ENOENT' || error.code === 'ENOTDIR' ? `${root} is not a directory` : `cannot read ${root}: ${error.message}`);
  });
  if (files.length === 0) throw fail(`${root} holds no files`);

  const { DefaultArtifactClient } = await import('@actions/artifact');
  let result: { id?: number; size?: number; digest?: string };
  try {
    result = await new DefaultArtifactClient().uploadArtifact(name, files, root, retentionDays === undefined ? {} : { retentionDays });
  } catch (error) {
    throw new Error(`Artifact '${name}' upload failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (result.id === undefined || result.size === undefined) {
    throw new Error(`Artifact '${name}' upload failed: the results service did not return the artifact's id and size`);
  }
  return { id: result.id, size: result.size, ...(result.digest ? { digest: result.digest } : {}) };
}

/**
 * Regular files under root, sorted, including symlinks to files. Symlinked folders are not entered,
 * so a link cycle cannot make the walk endless.
 */
async function listFiles(root: string): Promise<string[]> {
  if (!(await stat(root)).isDirectory()) throw Object.assign(new Error(`${root} is not a directory`), { code: 'ENOTDIR' });
  const files: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path).then((target) => target.isFile(), () => false)))) {
      files.push(path);
    }
  }
  return files.sort();
}
