// The README's demo is a pipeline on the local test bed: it must keep working and keep showing
// what it promises (a wait that ends healthy, a failure that explains itself, no secret in sight).
import { describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { repoRoot, runNode } from '../helpers/run-node.js';

describe('npm run demo', () => {
  it('waits for the deploy, shows a failure that explains itself, then a whole pipeline promoted and rolled back', async () => {
    // Azurite, bundled runs, a service that takes 3 s to start, and two whole pipeline runs through real
    // wrangler (a few seconds per call) with canary soaks: minutes on a busy machine.
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
    // Salunga AI's pipeline through the workflow runner: v2 through every job and canary step,
    // promoted with a tracking issue; v3 rolled back at an early step with an incident.
    const [, pipeline = ''] = run.stdout.split("4. Salunga AI's pipeline");
    const [promoted = '', rolledBack = ''] = pipeline.split('5. Then v3, which fails 5 %');
    for (const line of [/success\s+Backend API to Shuttle/, /success\s+Build the Worker once/, /success\s+Staging/, /success\s+Production canary/, /skipped\s+Incident/]) expect(promoted).toMatch(line);
    const [, stagingSummary = ''] = promoted.split('── summary: Staging ──');
    expect(stagingSummary.split('── summary:')[0]).toContain('Cache: ✅ exact hit.');
    expect(promoted).toContain('── summary: Production canary ──');
    expect(promoted).toContain('✅ Canary promoted:');
    for (const step of [5, 25, 50]) expect(promoted).toMatch(new RegExp(`\\b${step} %\\s+✅ passed`));
    expect(promoted).toContain('xychart-beta');
    expect(promoted).toMatch(/→ success, canary promoted; production serves [0-9a-f-]{36} at 100 % \(expected success, promoted\)/);
    expect(promoted).toMatch(/Deploy salunga-ai [0-9a-f]{7} to production #\d+ {3}\[open\]/);
    expect(rolledBack).toMatch(/failure\s+Production canary/);
    expect(rolledBack).toMatch(/success\s+Incident/);
    expect(rolledBack).toContain('❌ Canary rolled back:');
    expect(rolledBack).toMatch(/Why: the (5|25) % step failed/);
    expect(rolledBack).toMatch(/points above stable's 0% \(0 of \d+\) \(max-error-rate-increase 1\)/);
    expect(rolledBack).toMatch(/→ failure, canary rolled-back; production serves [0-9a-f-]{36} at 100 % \(expected failure, rolled back, v2 at 100 %\)/);
    expect(rolledBack).toMatch(/Incident: deploy of salunga-ai to production failed #\d+ {3}\[open\]/);
    expect(rolledBack).toContain('ended `rolled-back` in ');
    // Each run's job summaries as a page, where the demo says: the tables, and the chart to draw.
    const pagePaths = [...run.stdout.matchAll(/^Job summaries as a page: (.+)$/gm)].map((m) => m[1]!);
    expect(pagePaths).toEqual([expect.stringMatching(/salunga-promoted\.html$/), expect.stringMatching(/salunga-rolled-back\.html$/)]);
    try {
      for (const [path, heading] of [
        [pagePaths[0]!, 'Canary promoted'],
        [pagePaths[1]!, 'Canary rolled back']
      ] as const) {
        const page = readFileSync(path, 'utf8');
        expect(page).toContain(heading);
        expect(page).toContain('Production canary');
        expect(page).toMatch(/<table>[\s\S]*?<td>5 %<\/td>/);
        expect(page).toMatch(/<pre class="mermaid">xychart-beta/);
      }
      expect(run.stdout).toContain(`The job summaries of both pipeline runs as pages, charts drawn: ${dirname(pagePaths[0]!)}`);
    } finally {
      if (pagePaths[0]) rmSync(dirname(pagePaths[0]), { recursive: true, force: true });
    }
    expect(run.stdout).toContain('Demo finished: every run ended as expected.');
    // The demo's password and the token the API hands out never show.
    expect(run.stdout).not.toContain('correct-horse-battery');
    expect(run.stdout).not.toMatch(/tok_[a-z0-9]{6,}/);
    expect(run.stdout + run.stderr).not.toContain('demo-secret-token');
  }, 540_000);
});
