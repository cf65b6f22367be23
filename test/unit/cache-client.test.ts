// What build-cache-key hands @actions/cache: the entry's paths, key and restore keys, lookup-only, and
// enable-cross-os-archive (on Linux the cache's version ignores the last, so only this can show it
// is passed on; the integration tests run the real client against the stand-in service).
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { CacheEntry } from '../../actions/build-cache-key/src/cache.js';

const restoreCache = jest.fn(async (..._args: unknown[]): Promise<string | undefined> => 'build-linux-abc');
const saveCache = jest.fn(async (..._args: unknown[]): Promise<number> => 42);
jest.unstable_mockModule('@actions/cache', () => ({ restoreCache, saveCache, isFeatureAvailable: () => true }));

let cache: typeof import('../../actions/build-cache-key/src/cache.js');
beforeAll(async () => {
  cache = await import('../../actions/build-cache-key/src/cache.js');
});

const entry = (crossOs: boolean): CacheEntry => ({ name: 'shared', key: 'build-linux-abc', restoreKeys: ['build-linux-', 'build-'], paths: ['app/dist', '!app/dist/tmp'], crossOs });

describe('the cache client gets', () => {
  it.each([true, false])('enable-cross-os-archive %s on restore and on save', async (crossOs) => {
    restoreCache.mockClear();
    saveCache.mockClear();
    await expect(cache.restore(entry(crossOs), true)).resolves.toEqual({ entry: entry(crossOs), matchedKey: 'build-linux-abc', hit: true });
    expect(restoreCache).toHaveBeenCalledWith(['app/dist', '!app/dist/tmp'], 'build-linux-abc', ['build-linux-', 'build-'], { lookupOnly: true }, crossOs);
    await expect(cache.save(entry(crossOs))).resolves.toBe(42);
    expect(saveCache).toHaveBeenCalledWith(['app/dist', '!app/dist/tmp'], 'build-linux-abc', undefined, crossOs);
  });
});
