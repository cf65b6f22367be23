// Artifacts end to end on this machine: the real @actions/artifact client, run in an action process by
// the harness, against the local results-service stand-in with Azurite as its blob storage. Then the
// same upload from an ncc bundle, since a CJS/ESM interop problem in the bundled client shows only at
// run time.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { resolveNodeRuntime, runAction, type ActionRun } from '@deploy-actions/harness';
import { startAzurite, type Azurite } from '../../testbed/azurite.js';
import { startResultsService, type ResultsService } from '../../testbed/results-service.js';
import { repoRoot } from '../helpers/run-node.js';

const uploadModule = join(repoRoot, 'packages/artifacts/src/upload.ts');
const artifactClientModule = join(repoRoot, 'node_modules/@actions/artifact/lib/artifact.js');

let azurite: Azurite | undefined;
let service: ResultsService;
let scratch: string;
let reportDir: string;
let clientAction: string;

/** Every file under dir, by path relative to it, with its bytes. */
function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(relative(dir, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name)));
  }
  return files;
}

/** A throwaway action that does one thing with the artifact client and reports it as the `result` output. */
function writeClientAction(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'action.yml'),
    ['name: artifact client', 'inputs:', '  operation: {required: true}', '  name: {default: ""}', '  root: {default: ""}', '  id: {default: ""}', '  path: {default: ""}', '  hash: {default: ""}', 'runs:', '  using: node24', '  main: main.mjs', ''].join('\n')
  );
  writeFileSync(
    join(dir, 'main.mjs'),
    `import { appendFileSync } from 'node:fs';
const input = (name) => process.env['INPUT_' + name.toUpperCase()] ?? '';
try {
  let result;
  if (input('operation') === 'upload') {
    // Node 24 runs the TypeScript source as is (type stripping), the way a bundle would call it.
    const { uploadDirectory } = await import(${JSON.stringify(pathToFileURL(uploadModule).href)});
    result = await uploadDirectory(input('name'), input('root'));
  } else {
    const { DefaultArtifactClient } = await import(${JSON.stringify(pathToFileURL(artifactClientModule).href)});
    const client = new DefaultArtifactClient();
    result = input('operation') === 'list'
      ? await client.listArtifacts()
      : await client.downloadArtifact(Number(input('id')), { path: input('path'), expectedHash: input('hash') || undefined });
  }
  appendFileSync(process.env.GITHUB_OUTPUT, 'result=' + JSON.stringify(result) + '\\n');
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.log('::error::' + message.replace(/%/g, '%25').replace(/\\r/g, '%0D').replace(/\\n/g, '%0A'));
  process.exitCode = 1;
}
`
  );
}

function result<T>(run: ActionRun): T {
  if (run.exitCode !== 0 || run.outputs.result === undefined) throw new Error(`the action failed (exit ${run.exitCode}):\n${run.log}`);
  return JSON.parse(run.outputs.result) as T;
}

function errors(run: ActionRun): string[] {
  return run.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'artifact-standin-'));
  reportDir = join(scratch, 'report');
  mkdirSync(join(reportDir, 'details'), { recursive: true });
  writeFileSync(join(reportDir, 'summary.md'), '# Smoke test\n\n3 of 3 checks passed.\n');
  writeFileSync(join(reportDir, 'details', 'results.json'), JSON.stringify({ checks: [{ name: 'home', ok: true }] }, null, 2));
  writeFileSync(join(reportDir, 'trace.bin'), randomBytes(300 * 1024));
  clientAction = join(scratch, 'client-action');
  writeClientAction(clientAction);
  azurite = await startAzurite();
  service = await startResultsService({ azurite });
}, 30_000);

afterAll(async () => {
  await service?.stop();
  await azurite?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('artifacts through the results-service stand-in and Azurite', () => {
  it('uploads a folder with uploadDirectory, lists it and downloads it byte for byte with the real client', async () => {
    const uploaded = result<{ id: number; size: number; digest?: string }>(
      await runAction({ actionDir: clientAction, inputs: { operation: 'upload', name: 'smoke-report', root: reportDir }, env: service.env })
    );
    expect(uploaded.id).toBeGreaterThan(0);
    expect(uploaded.digest).toMatch(/^[0-9a-f]{64}$/);
    // What the client reported is what Azurite holds: the zip of 3 files, the 300 KiB one barely compressible.
    const record = service.artifacts().find((artifact) => artifact.id === uploaded.id);
    expect(record).toMatchObject({ name: 'smoke-report', finalized: true, size: uploaded.size, digest: `sha256:${uploaded.digest}` });
    expect(record?.stored).toEqual({ bytes: uploaded.size, sha256: uploaded.digest, contentType: 'application/zip' });
    expect(uploaded.size).toBeGreaterThan(300 * 1024);

    const listed = result<{ artifacts: Array<{ name: string; id: number; size: number; digest?: string }> }>(
      await runAction({ actionDir: clientAction, inputs: { operation: 'list' }, env: service.env })
    );
    expect(listed.artifacts).toEqual([expect.objectContaining({ name: 'smoke-report', id: uploaded.id, size: uploaded.size, digest: `sha256:${uploaded.digest}` })]);

    const downloadDir = join(scratch, 'downloaded');
    const downloaded = result<{ downloadPath: string; digestMismatch: boolean }>(
      await runAction({
        actionDir: clientAction,
        inputs: { operation: 'download', id: String(uploaded.id), path: downloadDir, hash: `sha256:${uploaded.digest}` },
        env: service.env
      })
    );
    expect(downloaded).toEqual({ downloadPath: downloadDir, digestMismatch: false });
    const expected = filesUnder(reportDir);
    const actual = filesUnder(downloadDir);
    expect([...actual.keys()].sort()).toEqual(['details/results.json', 'summary.md', 'trace.bin']);
    for (const [path, bytes] of expected) expect(actual.get(path)?.equals(bytes)).toBe(true);
  });

  it('refuses a runtime token it did not issue, and the upload fails with a message a user can read', async () => {
    const [head, claims] = service.runtimeToken.split('.');
    // Same claims, so the client finds its backend ids; only the stand-in can tell the signature is wrong.
    const forged = `${head}.${claims}.${Buffer.alloc(32, 7).toString('base64url')}`;
    const before = service.artifacts().length;
    const run = await runAction({
      actionDir: clientAction,
      inputs: { operation: 'upload', name: 'forged-report', root: reportDir },
      env: { ...service.env, ACTIONS_RUNTIME_TOKEN: forged }
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Artifact 'forged-report' upload failed: Failed to CreateArtifact: Received non-retryable error: Failed request: (401) Unauthorized: the runtime token is not valid: it was not issued by this results service"
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(service.calls().at(-1)).toEqual({ route: 'github.actions.results.api.v1.ArtifactService/CreateArtifact', status: 401, code: 'unauthenticated' });
    expect(service.artifacts()).toHaveLength(before);
  });

  it('outside GitHub (no runtime token) says so in one line', async () => {
    const run = await runAction({ actionDir: clientAction, inputs: { operation: 'upload', name: 'local-report', root: reportDir } });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      "Cannot upload artifact 'local-report': ACTIONS_RUNTIME_TOKEN is not set. Artifacts can only be uploaded from a GitHub Actions job (the runner provides the token)"
    ]);
  });

  it('uploads from an ncc bundle that loads the client only when it uploads', async () => {
    // An entry beside a tsconfig extending the project's, so ncc compiles it the way it compiles the actions.
    const entryDir = join(scratch, 'bundle-src');
    const bundleDir = join(scratch, 'bundle');
    mkdirSync(entryDir);
    const toRepo = relative(entryDir, repoRoot);
    writeFileSync(join(entryDir, 'package.json'), '{ "type": "module", "private": true }\n');
    writeFileSync(
      join(entryDir, 'tsconfig.json'),
      // ncc resolves `extends` relative to the folder only (an absolute path is not found).
      JSON.stringify({ extends: `${toRepo}/tsconfig.json`, compilerOptions: { typeRoots: [`${toRepo}/node_modules/@types`] }, include: ['./*.ts'] })
    );
    writeFileSync(
      join(entryDir, 'index.ts'),
      `import { appendFileSync } from 'node:fs';
try {
  const { uploadDirectory } = await import(${JSON.stringify(join(repoRoot, 'packages/artifacts/src/upload.js'))});
  const uploaded = await uploadDirectory(process.env['INPUT_NAME'] ?? '', process.env['INPUT_ROOT'] ?? '');
  appendFileSync(process.env['GITHUB_OUTPUT'] ?? '', \`result=\${JSON.stringify(uploaded)}\\n\`);
} catch (error) {
  console.log(\`::error::\${error instanceof Error ? error.message : String(error)}\`);
  process.exitCode = 1;
}
`
    );
    await promisify(execFile)(
      resolveNodeRuntime('node24'),
      [join(repoRoot, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', join(entryDir, 'index.ts'), '-o', bundleDir, '--quiet'],
      // A bundle build is work this test needs, not what it tests: time for a busy machine.
      { cwd: repoRoot, timeout: 240_000 }
    );
    // The client and the Azure SDK sit in chunks of their own, loaded by the dynamic import only.
    const chunks = readdirSync(bundleDir).filter((file) => file.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(1);
    expect(readFileSync(join(bundleDir, 'index.js'), 'utf8')).not.toContain('ArtifactService');
    writeFileSync(join(bundleDir, 'action.yml'), 'name: bundled upload\ninputs:\n  name: {required: true}\n  root: {required: true}\nruns:\n  using: node24\n  main: index.js\n');

    const run = await runAction({ actionDir: bundleDir, inputs: { name: 'bundled-report', root: reportDir }, env: service.env });
    const uploaded = result<{ id: number; size: number; digest?: string }>(run);
    expect(run.stderr).not.toMatch(/ERR_|Cannot find|SyntaxError|ReferenceError|\n\s+at /);
    expect(service.artifacts().find((artifact) => artifact.id === uploaded.id)).toMatchObject({
      name: 'bundled-report',
      finalized: true,
      size: uploaded.size,
      stored: { bytes: uploaded.size, sha256: uploaded.digest }
    });
  }, 300_000);
});
