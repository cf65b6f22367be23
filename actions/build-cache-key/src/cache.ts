// Restore and save through @actions/cache, loaded only when a step has build output to restore or
// packages to look up: it brings the Azure SDK, costly at start-up.

export interface CacheEntry {
  /** What the entry is for: `shared` or a package folder. */
  name: string;
  key: string;
  restoreKeys: string[];
  paths: string[];
  /** Entries saved on one OS restorable on another (the key is the same on every OS; the archive is made to be too). */
  crossOs: boolean;
}

export interface Restored {
  entry: CacheEntry;
  /** The key of the entry found (exact or by a restore key), undefined on a miss. */
  matchedKey?: string;
  hit: boolean;
}

type CacheModule = typeof import('@actions/cache');
let loaded: CacheModule | undefined;
async function cacheModule(): Promise<CacheModule> {
  return (loaded ??= await import('@actions/cache'));
}

/** False outside a GitHub job (a local run): then nothing is restored or saved. */
export async function cacheAvailable(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!env.ACTIONS_RUNTIME_TOKEN) return false;
  return (await cacheModule()).isFeatureAvailable();
}

export async function restore(entry: CacheEntry, lookupOnly: boolean): Promise<Restored> {
  const cache = await cacheModule();
  const matchedKey = await cache.restoreCache([...entry.paths], entry.key, [...entry.restoreKeys], { lookupOnly }, entry.crossOs);
  return { entry, matchedKey, hit: matchedKey === entry.key };
}

export async function save(entry: CacheEntry): Promise<number> {
  const cache = await cacheModule();
  return cache.saveCache([...entry.paths], entry.key, undefined, entry.crossOs);
}
