import { CommandProvider } from './command.js';
import type { ProviderConfig } from './config.js';
import type { TrafficProvider } from './types.js';

/**
 * The provider an action's config names. The Cloudflare provider (wrangler, its API client, the
 * analytics) is loaded only when asked for, so an action bundle carries it only into runs that use
 * it. The command provider is small and part of the entry: a run that uses it reaches its first
 * command without reading and compiling a chunk first. It comes back with its commands' programs
 * found, or throws an InputError naming the command whose program is not there.
 */
export async function createProvider(config: ProviderConfig): Promise<TrafficProvider> {
  switch (config.provider) {
    case 'cloudflare': {
      const { CloudflareProvider } = await import('./cloudflare.js');
      return new CloudflareProvider(config);
    }
    case 'command': {
      const provider = new CommandProvider(config);
      await provider.findPrograms();
      return provider;
    }
  }
}
