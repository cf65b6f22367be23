// A user's Worker project as the Cloudflare provider meets it: the bed's sample Worker and its
// wrangler.toml in a folder of its own (wrangler writes its bundle there), with wrangler installed in
// its node_modules, as a workspace that depends on wrangler has it.

import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The Worker's name in the sample's wrangler.toml. */
export const SAMPLE_WORKER_NAME = 'sample';

export async function workerProject(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'worker-project-'));
  await cp(join(repo, 'testbed/cloudflare/worker/'), dir, { recursive: true });
  await mkdir(join(dir, 'node_modules'));
  await symlink(join(repo, 'node_modules/wrangler'), join(dir, 'node_modules/wrangler'), 'dir');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
