// The provider this step's inputs name, opened through @deploy-actions/providers, whose factory
// loads the Cloudflare or the command provider only when asked for.
import { createProvider, type TrafficProvider } from '@deploy-actions/providers';
import type { Masker } from '@deploy-actions/report';
import type { ProviderSettings } from './inputs.js';

export async function openProvider(settings: ProviderSettings, masker: Masker): Promise<TrafficProvider> {
  return createProvider({ ...settings, masker, env: process.env });
}
