// The demo: a real pipeline step run locally, the way GitHub would run it, against a service this
// script starts itself on 127.0.0.1. It prints what a user would see in the job's log and summary.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD, startService } from '../testbed/service.js';

const cli = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));
const version = 'a1b2c3d';

/** Runs `deploy-actions <args>` (the bundled CLI, which runs the bundled action) and streams its report. */
function deployActions(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function banner(text) {
  console.log(`\n${'═'.repeat(78)}\n${text}\n${'═'.repeat(78)}`);
}

const service = await startService({ readyAfterMs: 3000, version });
const reportDir = mkdtempSync(join(tmpdir(), 'demo-smoke-'));
let failed = false;
try {
  banner(`1. Deploy ${version}: the service answers 503 while it starts (about 3 s), then 200.\n   health-check waits until it is live, twice in a row, on the version just deployed.`);
  const healthy = await deployActions([
    'health-check',
    '--url', `${service.url}/health`,
    '--json-path', '$.status == "ok"',
    '--json-path', `$.version == "${version}"`,
    '--json-path', '$.checks.db == "up"',
    '--headers', 'Authorization: Bearer demo-secret-token',
    '--interval', '500ms',
    '--consecutive-successes', '2',
    '--deadline', '30s'
  ]);
  console.log(`\n→ exit code ${healthy} (expected 0: healthy)`);
  failed ||= healthy !== 0;

  banner('2. The same check, expecting a version that was never deployed: it fails by its\n   deadline, and the summary says why (status, failed assertion, body excerpt).');
  const stale = await deployActions([
    'health-check',
    '--url', `${service.url}/health`,
    '--json-path', '$.version == "f00dfeed"',
    '--interval', '500ms',
    '--backoff', 'fixed',
    '--deadline', '3s'
  ]);
  console.log(`\n→ exit code ${stale} (expected 1: not healthy)`);
  failed ||= stale !== 1;

  banner('3. Live: smoke-test walks the critical paths from examples/smoke/smoke.yml (log in,\n   read, write, read back) with captures, parallel tests and one route that needs a retry.');
  const smoke = await deployActions(
    ['smoke-test', '--spec', 'examples/smoke/smoke.yml', '--base-url', service.url, '--report-dir', reportDir],
    { SMOKE_PASSWORD: DEMO_PASSWORD }
  );
  console.log(`\n→ exit code ${smoke} (expected 0: all passed, one flaky); reports in ${reportDir}`);
  failed ||= smoke !== 0;
} finally {
  await service.close();
}
if (failed) {
  console.error('\nThe demo did not end as expected.');
  process.exit(1);
}
console.log('\nDemo finished: every run ended as expected.');
