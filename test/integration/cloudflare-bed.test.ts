// The whole bed as a pipeline meets it: real wrangler uploads and deploys the sample Worker, real
// workerd serves what wrangler uploaded, the router splits by what wrangler deployed, and the GraphQL
// endpoint (over HTTP, with the token) reports what was served.

import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { buildTrafficQuery, parseTrafficResponse } from '@deploy-actions/providers';
import { startCloudflareBed, type CloudflareBed } from '../../testbed/cloudflare/bed.ts';
import { runWrangler, wranglerEnvironment, type WranglerEnvironment } from '../../testbed/cloudflare/wrangler.ts';
import { THROWS_AT_STARTUP } from '../helpers/cloudflare-bed.ts';

let bed: CloudflareBed;
let wrangler: WranglerEnvironment;
let project: string;

beforeAll(async () => {
  bed = await startCloudflareBed();
  wrangler = await wranglerEnvironment({ url: bed.apiUrl }, { accountId: bed.accountId, token: bed.token });
  // wrangler writes its bundle under the project: a copy keeps the sample Worker's folder clean.
  project = await mkdtemp(join(tmpdir(), 'bed-project-'));
  await cp(new URL('../../testbed/cloudflare/worker/', import.meta.url), project, { recursive: true });
});

afterAll(async () => {
  await bed?.stop();
  await wrangler?.cleanup();
  if (project) await rm(project, { recursive: true, force: true });
});

async function wranglerOk(args: string[]): Promise<string> {
  const run = await runWrangler(args, { env: wrangler.env, cwd: project });
  if (run.code !== 0) throw new Error(`wrangler ${args.join(' ')} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

const versionIdIn = (output: string) => /Version ID: ([0-9a-f-]{36})/.exec(output)?.[1];

it('serves what wrangler uploaded, split as wrangler deployed, and reports it through GraphQL', async () => {
  const v1 = versionIdIn(await wranglerOk(['deploy', '--var', 'VERSION_LABEL:v1']));
  const v2 = versionIdIn(await wranglerOk(['versions', 'upload', '--var', 'VERSION_LABEL:v2', '--var', 'FAIL_PERCENT:100']));
  expect(v1).toBeDefined();
  expect(v2).toBeDefined();
  await wranglerOk(['versions', 'deploy', `${v1}@50%`, `${v2}@50%`, '--yes']);

  const start = new Date();
  const answers: Array<{ version: string | null; status: number; label?: string }> = [];
  for (let index = 0; index < 100; index++) {
    const response = await fetch(`${bed.workerUrl('sample')}/health`);
    const body = await response.text();
    answers.push({
      version: response.headers.get('x-testbed-version'),
      status: response.status,
      label: response.status === 200 ? (JSON.parse(body) as { label: string }).label : undefined
    });
  }
  const end = new Date();
  const fromV1 = answers.filter((answer) => answer.version === v1);
  const fromV2 = answers.filter((answer) => answer.version === v2);
  expect(fromV1.length + fromV2.length).toBe(100);
  // The vars wrangler sent are the vars workerd runs with.
  expect(fromV1.every((answer) => answer.status === 200 && answer.label === 'v1')).toBe(true);
  expect(fromV2.every((answer) => answer.status === 500)).toBe(true);

  const response = await fetch(`${bed.apiUrl}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bed.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(buildTrafficQuery(bed.accountId, 'sample', { start, end }))
  });
  expect(response.status).toBe(200);
  const traffic = parseTrafficResponse(await response.json(), [v1!, v2!]);
  expect(traffic.get(v1!)).toMatchObject({ requests: fromV1.length, errors: 0 });
  expect(traffic.get(v2!)).toMatchObject({ requests: fromV2.length, errors: fromV2.length });
}, 180_000);

it('refuses through wrangler an upload that throws at start-up, with code 10021 and the reason', async () => {
  await writeFile(join(project, 'index.js'), THROWS_AT_STARTUP);
  const run = await runWrangler(['versions', 'upload'], { env: wrangler.env, cwd: project });
  expect(run.code).not.toBe(0);
  const output = run.stdout + run.stderr;
  expect(output).toContain('Uncaught Error: missing configuration: this Worker throws at start-up');
  expect(output).toContain('[code: 10021]');
  expect(bed.store.worker('sample')!.versions).toHaveLength(2);
}, 180_000);
