// The sample Worker (worker/index.js) as the API stores an upload of it, for tests and measurements
// that write the store directly instead of going through wrangler.
//
// Erasable TypeScript importing only `./x.ts` siblings, so plain Node 24 can run it.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { StoredVersion } from './store.ts';

export const SAMPLE_WORKER = readFileSync(new URL('worker/index.js', import.meta.url));
export const THROWS_AT_STARTUP = readFileSync(new URL('worker/throws-at-startup.js', import.meta.url));

/** The sample Worker's vars: its label, the share of requests it fails, the latency it adds. */
export interface SampleVars {
  VERSION_LABEL: string;
  FAIL_PERCENT?: number;
  LATENCY_MS?: number;
}

/** A version as the API stores an upload of the sample Worker (vars as wrangler sends them). */
export function sampleVersion(number: number, vars: SampleVars, content: Buffer = SAMPLE_WORKER): StoredVersion {
  const bindings = Object.entries(vars).map(([name, value]) => ({ type: 'plain_text', name, text: String(value) }));
  return {
    id: randomUUID(),
    number,
    createdOn: new Date().toISOString(),
    metadata: { main_module: 'index.js', compatibility_date: '2025-09-01', bindings },
    modules: [{ name: 'index.js', contentType: 'application/javascript+module', content }],
    secretGenerations: {}
  };
}
