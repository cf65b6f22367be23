// The whole local Cloudflare test bed: the API stand-in real wrangler talks to, every uploaded version
// running in real workerd, the router that splits traffic by the current deployment, and the GraphQL
// analytics of what it served.
//
//   node testbed/cloudflare/bed.ts [--propagation-delay=MS] [--port=ROUTER_PORT] [--workerd-log]
//
// starts it, prints the URLs and the environment wrangler needs, and runs until Ctrl-C. A Worker
// named W is reached at <router>/W/<path> (see router.ts). --workerd-log prints workerd's stderr
// (every exception a failing version throws), which is off by default to keep the demo readable.
//
// Erasable TypeScript importing only `./x.ts` siblings, so plain Node 24 can run it.

import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startCloudflareApi } from './api.ts';
import { analyticsHandler } from './analytics.ts';
import { startRouter } from './router.ts';
import { CloudflareStore } from './store.ts';
import { WorkerdSupervisor, validateStartup } from './workerd.ts';
import { wranglerEnvironment } from './wrangler.ts';
import { shellQuote, stopOnSignal } from '../standalone.ts';

export interface CloudflareBedOptions {
  /** The token wrangler must send; a random one by default. */
  token?: string;
  accountId?: string;
  /** Milliseconds after its creation before a deployment serves traffic; default 0. */
  propagationDelayMs?: number;
  /** The router's port; a free one by default. */
  routerPort?: number;
  /** workerd's stderr (Workers' uncaught exceptions); dropped by default. */
  onWorkerdLog?: (line: string) => void;
}

export interface CloudflareBed {
  /** CLOUDFLARE_API_BASE_URL, e.g. http://127.0.0.1:PORT/client/v4 (GraphQL at `${apiUrl}/graphql`). */
  apiUrl: string;
  accountId: string;
  token: string;
  /** The router's base URL. */
  routerUrl: string;
  /** Where Worker `name` is served: `${routerUrl}/${name}`. */
  workerUrl(name: string): string;
  store: CloudflareStore;
  workerd: WorkerdSupervisor;
  stop(): Promise<void>;
}

export async function startCloudflareBed(options: CloudflareBedOptions = {}): Promise<CloudflareBed> {
  const store = new CloudflareStore(options.accountId);
  const token = options.token ?? randomBytes(20).toString('hex');
  const workerd = await WorkerdSupervisor.start(store, options.onWorkerdLog ? { onLog: options.onWorkerdLog } : {});
  const stops: Array<() => Promise<void>> = [() => workerd.stop()];
  try {
    const router = await startRouter(store, workerd, {
      port: options.routerPort ?? 0,
      propagationDelayMs: options.propagationDelayMs ?? 0
    });
    stops.unshift(() => router.stop());
    const api = await startCloudflareApi(store, {
      token,
      graphql: analyticsHandler(store),
      validateStartup: (worker, version) => validateStartup(worker, version)
    });
    stops.unshift(() => api.stop());
    return {
      apiUrl: api.url,
      accountId: store.accountId,
      token,
      routerUrl: router.url,
      workerUrl: router.workerUrl,
      store,
      workerd,
      async stop() {
        for (const stop of stops) await stop();
      }
    };
  } catch (error) {
    for (const stop of stops) await stop();
    throw error;
  }
}

const USAGE = 'Usage: node testbed/cloudflare/bed.ts [--propagation-delay=MS] [--port=ROUTER_PORT] [--workerd-log]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'propagation-delay': { type: 'string', default: '0' },
        port: { type: 'string', default: '0' },
        'workerd-log': { type: 'boolean', default: false }
      }
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const propagationDelayMs = Number(values['propagation-delay']);
  const routerPort = Number(values.port);
  const problems = [
    Number.isInteger(propagationDelayMs) && propagationDelayMs >= 0 ? undefined : `--propagation-delay must be a whole number of milliseconds, got ${values['propagation-delay']}`,
    Number.isInteger(routerPort) && routerPort >= 0 && routerPort < 65536 ? undefined : `--port must be a port number (0 picks a free one), got ${values.port}`
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    process.exitCode = 2;
    return;
  }
  const bed = await startCloudflareBed({
    propagationDelayMs,
    routerPort,
    ...(values['workerd-log'] ? { onWorkerdLog: (line: string) => console.error(`workerd: ${line}`) } : {})
  });
  const wrangler = await wranglerEnvironment({ url: bed.apiUrl }, { accountId: bed.accountId, token: bed.token });
  const shown = ['CLOUDFLARE_API_BASE_URL', 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'WRANGLER_SEND_METRICS', 'WRANGLER_HIDE_BANNER', 'NO_PROXY', 'HOME', 'XDG_CONFIG_HOME', 'TMPDIR'];
  console.log(`Cloudflare test bed running (propagation delay ${propagationDelayMs} ms).`);
  console.log(`  API:       ${bed.apiUrl}`);
  console.log(`  GraphQL:   ${bed.apiUrl}/graphql`);
  console.log(`  Workers:   ${bed.routerUrl}/<worker>/<path>   (e.g. ${bed.workerUrl('sample')}/health)`);
  console.log('');
  console.log('Environment for wrangler (a private HOME with the update check answered, so it talks only to the bed):');
  for (const name of shown) console.log(`  export ${name}=${shellQuote(wrangler.env[name] ?? '')}`);
  console.log('');
  console.log('Then, e.g.:  cd testbed/cloudflare/worker && npx wrangler versions upload --var VERSION_LABEL:v2');
  console.log('Ctrl-C stops the bed.');

  stopOnSignal(async () => {
    await bed.stop();
    await wrangler.cleanup();
  });
}

if (import.meta.main) await main();
