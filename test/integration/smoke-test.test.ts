import { it } from '@jest/globals';
import { mkdtempSync, cpSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../../packages/harness/src/runner.js';
import { startService, DEMO_PASSWORD } from '../../testbed/service.js';
it('explore', async () => {
const svc = await startService();
const ws = mkdtempSync(join(tmpdir(), 'ws-'));
cpSync('/work/main/test/fixtures/smoke', join(ws, 'smoke'), { recursive: true });
const run = await runAction({ actionDir: '/work/main/actions/smoke-test', workspace: ws, inputs: { spec: 'smoke/demo-api.yml', 'base-url': svc.url, 'report-dir': join(ws, 'reports') }, env: { DEMO_PASSWORD } });
console.log(run.exitCode, run.stdout, run.stderr, run.summary, run.outputs, JSON.stringify(run.annotations));
console.log(readFileSync(join(ws,'reports/junit.xml'),'utf8'));
console.log(readFileSync(join(ws,'reports/results.json'),'utf8').slice(0,3000));
await svc.close();
});
