// The data plane's figures: how long workerd takes to listen with 2 and with 10 versions, and how many
// requests a reload drops under load (new process started before the old one is stopped).
//
//   node testbed/cloudflare/measure.ts [--seconds=10] [--clients=8] [--reloads=20]
//
// Erasable TypeScript importing only `./x.ts` siblings, so plain Node 24 can run it.

import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startRouter } from './router.ts';
import { sampleVersion } from './sample.ts';
import { CloudflareStore, type StoredVersion } from './store.ts';
import { WorkerdSupervisor } from './workerd.ts';

function storeWith(versions: number): CloudflareStore {
  const store = new CloudflareStore();
  store.workers.set('sample', {
    name: 'sample',
    versions: Array.from({ length: versions }, (_, index) => sampleVersion(index + 1, { VERSION_LABEL: `v${index + 1}` })),
    deployments: [],
    secrets: new Map()
  });
  return store;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function startupMs(versions: number, runs: number): Promise<number[]> {
  const supervisor = await WorkerdSupervisor.start(storeWith(versions));
  for (let run = 1; run < runs; run++) await supervisor.reload();
  await supervisor.stop();
  return supervisor.startupTimes.map((start) => start.ms);
}

async function reloadUnderLoad(seconds: number, clients: number, reloads: number) {
  const store = storeWith(1);
  const state = store.worker('sample')!;
  const deployTo = (version: StoredVersion) =>
    state.deployments.push({
      id: randomUUID(),
      createdOn: new Date().toISOString(),
      source: 'measure',
      strategy: 'percentage',
      versions: [{ version_id: version.id, percentage: 100 }],
      annotations: {},
      author_email: ''
    });
  deployTo(state.versions[0]!);
  const supervisor = await WorkerdSupervisor.start(store);
  const router = await startRouter(store, supervisor);
  const url = `${router.workerUrl('sample')}/`;
  const deadline = Date.now() + seconds * 1000;
  let ok = 0;
  const failures: string[] = [];
  const load = Array.from({ length: clients }, async () => {
    while (Date.now() < deadline) {
      try {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.status === 200) ok++;
        else failures.push(String(response.status));
      } catch (error) {
        failures.push(String((error as Error).cause ?? error));
      }
    }
  });
  let done = 0;
  const pause = (seconds * 1000) / (reloads + 1);
  for (; done < reloads && Date.now() < deadline - pause; done++) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    const version = sampleVersion(state.versions.length + 1, { VERSION_LABEL: `v${state.versions.length + 1}` });
    state.versions.push(version);
    store.emit('version', 'sample', version);
    await supervisor.reload();
    deployTo(version);
  }
  await Promise.all(load);
  await router.stop();
  await supervisor.stop();
  return { ok, failures, reloads: done };
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
    reloads: { type: 'string', default: '20' }
  }
});
const [seconds, clients, reloads] = [Number(values.seconds), Number(values.clients), Number(values.reloads)];

for (const versions of [2, 10]) {
  const times = await startupMs(versions, 7);
  console.log(`workerd start-up, ${versions} versions: median ${median(times)} ms (runs: ${times.join(', ')} ms)`);
}
const result = await reloadUnderLoad(seconds, clients, reloads);
console.log(
  `reload under load: ${result.reloads} reloads in ${seconds} s, ${clients} clients: ${result.ok + result.failures.length} requests, ` +
    `${result.failures.length} dropped${result.failures.length ? ` (${[...new Set(result.failures)].slice(0, 3).join('; ')})` : ''}`
);
