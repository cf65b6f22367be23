// The provider this step's inputs name, opened through @deploy-actions/providers. Loaded lazily:
// wrangler's runner and the command runner are not needed to fail on a bad input.
import type { TrafficProvider } from '@deploy-actions/providers';
import type { Masker } from '@deploy-actions/report';
import type { ProviderSettings } from './inputs.js';

export interface ProviderHooks {
  masker: Masker;
  log: (line: string) => void;
}

export async function openProvider(settings: ProviderSettings, _hooks: ProviderHooks): Promise<TrafficProvider> {
  throw new Error(`the ${settings.kind} provider is not available in this build`);
}
