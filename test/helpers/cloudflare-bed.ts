// Helpers for tests of the Cloudflare bed's data plane that write the store directly, the way the API
// stand-in does after a `wrangler versions upload` or `versions deploy`, and for bounds on random splits.

import { sampleVersion, type SampleVars } from '../../testbed/cloudflare/sample.ts';
import type { CloudflareStore, StoredDeployment, StoredVersion } from '../../testbed/cloudflare/store.ts';

export { SAMPLE_WORKER, THROWS_AT_STARTUP, sampleVersion, type SampleVars } from '../../testbed/cloudflare/sample.ts';

/** Stores a new version of `worker` (creating the Worker) and announces it, as an upload does. */
export function upload(store: CloudflareStore, worker: string, vars: SampleVars): StoredVersion {
  let state = store.worker(worker);
  if (state === undefined) {
    state = { name: worker, versions: [], deployments: [], secrets: new Map() };
    store.workers.set(worker, state);
  }
  const version = sampleVersion(state.versions.length + 1, vars);
  state.versions.push(version);
  store.emit('version', worker, version);
  return version;
}

/** Makes a deployment of `worker` serving these shares, as `versions deploy a@p% b@q%` does. */
export function deploy(store: CloudflareStore, worker: string, shares: Array<[StoredVersion, number]>): StoredDeployment {
  return store.addDeployment(worker, shares.map(([version, percentage]) => ({ version_id: version.id, percentage })), {}, 'test@example.com');
}

/**
 * The range [low, high] a Binomial(n, p) count falls outside of with probability at most `alpha`
 * (exact tails, alpha/2 each side): a split check that fails by bad luck once in a million runs.
 */
export function binomialBounds(n: number, p: number, alpha = 1e-6): [number, number] {
  const pmf: number[] = [Math.pow(1 - p, n)];
  for (let k = 0; k < n; k++) pmf.push((pmf[k]! * (n - k) * p) / ((k + 1) * (1 - p)));
  let low = 0;
  for (let below = 0; low < n && below + pmf[low]! <= alpha / 2; low++) below += pmf[low]!;
  let high = n;
  for (let above = 0; high > 0 && above + pmf[high]! <= alpha / 2; high--) above += pmf[high]!;
  return [low, high];
}
