import type { ProviderConfig } from './config.js';
import type { TrafficProvider } from './types.js';

/**
 * The provider an action's config names. Each provider is loaded only when asked for, so an action
 * bundle carries the Cloudflare client only into runs that use it.
 */
export async function createProvider(config: ProviderConfig): Promise<TrafficProvider> {
  switch (config.provider) {
    case 'cloudflare': {
      const { CloudflareProvider } = await import('./cloudflare.js');
      return new CloudflareProvider(config);
    }
    case 'command': {
      const { CommandProvider } = await import('./command.js');
      return new CommandProvider(config);
    }
  }
}
