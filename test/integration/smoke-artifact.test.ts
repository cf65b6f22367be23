// smoke-test's report upload, end to end on this machine: the bundle, run as the runner runs it,
// uploads its report folder with the real @actions/artifact client to the local results-service
// stand-in, which stores it in real Azurite.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { runAction } from '@deploy-actions/harness';
import { startAzurite, type Azurite } from '../../testbed/azurite.js';
import { startResultsService, type ResultsService } from '../../testbed/results-service.js';
import { startService, type Service } from '../../testbed/service.js';

const actionDir = fileURLToPath(new URL('../../actions/smoke-test', import.meta.url));
const spec = `tests:
  - name: health
    request: { url: /health }
    expect: { status: 200, json: { $.status: { equals: ok } } }
`;

let azurite: Azurite | undefined;
let results: ResultsService | undefined;
let api: Service | undefined;

beforeAll(async () => {
  azurite = await startAzurite();
  results = await startResultsService({ azurite });
  api = await startService();
}, 60_000);

afterAll(async () => {
  await api?.close();
  await results?.stop();
  await azurite?.stop();
});

describe('smoke-test artifact upload', () => {
  it('uploads the report folder and outputs the artifact id', async () => {
    const run = await runAction({ actionDir, inputs: { spec, 'base-url': api!.url, 'artifact-name': 'smoke-reports' }, env: results!.env });
    expect(run.exitCode).toBe(0);
    const [artifact] = results!.artifacts();
    expect(artifact).toEqual(expect.objectContaining({ name: 'smoke-reports', finalized: true }));
    expect(run.outputs['artifact-id']).toBe(String(artifact!.id));
    // What Azurite holds is what the client said it sent: a zip of junit.xml and results.json.
    expect(artifact!.stored?.bytes).toBe(artifact!.size);
    expect(artifact!.size).toBeGreaterThan(200);
    expect(run.stdout).toMatch(/Uploaded the reports as artifact smoke-reports \(id \d+, \d+ bytes\)/);
  }, 60_000);

  it('outside a GitHub job, reports the tests and says why nothing was uploaded', async () => {
    const run = await runAction({ actionDir, inputs: { spec, 'base-url': api!.url, 'artifact-name': 'smoke-reports' } });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.passed).toBe('1');
    expect(run.outputs['artifact-id']).toBeUndefined();
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([
      expect.stringMatching(/^Cannot upload artifact 'smoke-reports': ACTIONS_RUNTIME_TOKEN is not set/),
      'the reports could not be uploaded'
    ]);
  }, 60_000);
});
