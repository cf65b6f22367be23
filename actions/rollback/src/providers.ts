// One provider per Worker, from the shared factory (loaded here, after the inputs are good). Every
// tool output a provider shows goes through the run's masker.
import { createProvider, type ProviderConfig, type TrafficProvider } from '@deploy-actions/providers';
import type { Masker } from '@deploy-actions/report';

export async function createProviders(configs: ReadonlyArray<{ worker: string; config: ProviderConfig }>, masker: Masker): Promise<Array<{ worker: string; provider: TrafficProvider }>> {
  return Promise.all(configs.map(async ({ worker, config }) => ({ worker, provider: await createProvider({ ...config, masker }) })));
}
