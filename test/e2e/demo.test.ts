// The README's demo is a pipeline on the local test bed: it must keep working and keep showing
// what it promises (a wait that ends healthy, a failure that explains itself, no secret in sight).
import { describe, expect, it } from '@jest/globals';
import { repoRoot, runNode } from '../helpers/run-node.js';

describe('npm run demo', () => {
  it('waits for the deploy, then shows a failure that explains itself', async () => {
    // Azurite, four bundled runs, a service that takes 3 s to start and two canary shifts through real
    // wrangler (a few seconds per call): minutes on a busy machine.
    const run = await runNode(`${repoRoot}scripts/demo.js`, [], 480_000);
    expect(run.code).toBe(0);
    const [cache = '', afterCache = ''] = run.stdout.split('1. Deploy');
    const [firstRun = '', secondRun = ''] = cache.split('0b. Pipeline run 2');
    expect(firstRun).toContain('Cache: ❌ miss.');
    expect(firstRun).toContain('→ cache-hit=false: building dist/ ...');
    expect(firstRun).toMatch(/Saved shared as demo-app-[0-9a-f]{64} \(cache id \d+\)/);
    expect(secondRun).toContain('Cache: ✅ exact hit.');
    expect(secondRun).toContain('→ cache-hit=true, dist/app.js restored: no build needed');
    const [first = '', rest = ''] = afterCache.split('2. The same check');
    const [second = '', third = ''] = rest.split('3. Live: smoke-test');
    expect(first).toMatch(/attempt 1: status: expected 200-299, got 503/);
    expect(first).toContain('✅ Health check passed: the URL is healthy');
    expect(first).toContain('→ exit code 0 (expected 0: healthy)');
    expect(second).toContain('❌ Health check failed: 1 of 1 URL not healthy');
    expect(second).toMatch(/\$\.version == "f00dfeed"\s+\$\.version\s+"f00dfeed"\s+"a1b2c3d"/);
    expect(second).toContain('Response body:');
    expect(second).toContain('→ exit code 1 (expected 1: not healthy)');
    expect(third).toContain('✅ Smoke test passed: 6 of 6 tests passed, 1 flaky');
    expect(third).toMatch(/warm-up route\s+⚠️ flaky\s+200/);
    expect(third).toContain('Warning: smoke-test: warm-up route: flaky: passed on attempt 2 after 1 failed');
    expect(third).toContain('→ exit code 0 (expected 0: all passed, one flaky)');
    // On the Cloudflare bed: v2 promoted step by step, v3 rolled back at its 0 % step.
    const [, canary = ''] = run.stdout.split('4. canary-shift on the local Cloudflare bed');
    const [promoted = '', rolledBack = ''] = canary.split('5. v3 fails 30 %');
    expect(promoted).toContain('✅ Canary promoted:');
    expect(promoted).toMatch(/50 %\s+✅ passed/);
    expect(promoted).toContain('xychart-beta');
    expect(promoted).toContain('→ exit code 0, result promoted (expected 0: promoted)');
    expect(rolledBack).toContain('❌ Canary rolled back:');
    expect(rolledBack).toContain('Why: the 0 % step failed');
    expect(rolledBack).toMatch(/→ exit code 1, result rolled-back; the bed serves [0-9a-f-]{36} at 100 %/);
    expect(run.stdout).toContain('Demo finished: every run ended as expected.');
    // The demo's password and the token the API hands out never show.
    expect(run.stdout).not.toContain('correct-horse-battery');
    expect(run.stdout).not.toMatch(/tok_[a-z0-9]{6,}/);
    expect(run.stdout + run.stderr).not.toContain('demo-secret-token');
  }, 540_000);
});
