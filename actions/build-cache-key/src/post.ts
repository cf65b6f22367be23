// After a successful job (post-if: success()), saves the build output of every entry that missed.
import * as core from '@actions/core';
import { save, type CacheEntry } from './cache.js';

async function post(): Promise<void> {
  const pending = core.getState('save');
  if (!pending) {
    // The main step says why; a main step that failed before deciding leaves nothing, and the post step runs only after success.
    core.info(`Nothing to save: ${core.getState('nothing-to-save') || 'the main step decided nothing'}.`);
    return;
  }
  for (const entry of JSON.parse(pending) as CacheEntry[]) {
    try {
      // The client reports most failures itself (logged above) and returns -1 instead of throwing.
      const id = await save(entry);
      if (id > 0) core.info(`Saved ${entry.name} as ${entry.key} (cache id ${id})`);
      else core.info(`Not saved: ${entry.name} as ${entry.key} (the cache client says why above)`);
    } catch (error) {
      // A failed save costs the next run a rebuild, not this job its result.
      core.warning(`could not save ${entry.key}: ${(error as Error).message}`);
    }
  }
}

await post();
process.exit();
