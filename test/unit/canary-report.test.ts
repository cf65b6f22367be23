// canary-shift's choice of versions and what the user reads: the timeline output and the summary
// (the failing step first, the steps table, the chart, masks).
import { describe, expect, it } from '@jest/globals';
import { Masker } from '@deploy-actions/report';
import type { Deployment, WorkerVersion } from '@deploy-actions/providers';
import type { ShiftOutcome, StepRecord } from '../../actions/canary-shift/src/shift.js';
import { renderChart, renderSummary, timelineJson } from '../../actions/canary-shift/src/summary.js';
import { chooseVersions } from '../../actions/canary-shift/src/versions.js';

const version = (id: string, day: number): WorkerVersion => ({ id, createdOn: new Date(Date.UTC(2026, 0, day)).toISOString() });
const deployment = (...versions: Array<[string, number]>): Deployment => ({ id: 'dep-9', createdOn: '2026-01-09T00:00:00Z', versions: versions.map(([versionId, percentage]) => ({ versionId, percentage })) });

describe('chooseVersions', () => {
  // Listed out of order on purpose: the newest is the newest by creation time, not by position.
  const versions = [version('v3', 3), version('v4', 4), version('v1', 1), version('v2', 2)];

  it('takes the newest uploaded version not deployed as the canary, and the busiest as stable', () => {
    expect(chooseVersions(deployment(['v1', 100]), versions, { kind: 'newest' }, undefined)).toEqual({ canary: 'v4', stable: 'v1' });
    expect(chooseVersions(deployment(['v4', 10], ['v2', 90]), versions, { kind: 'newest' }, undefined)).toEqual({ canary: 'v3', stable: 'v2' });
    expect(chooseVersions(deployment(['v2', 30], ['v1', 70]), versions, { kind: 'id', id: 'v2' }, undefined)).toEqual({ canary: 'v2', stable: 'v1' });
    expect(chooseVersions(deployment(['v1', 100]), versions, { kind: 'uploaded', id: 'v9' }, 'v3')).toEqual({ canary: 'v9', stable: 'v3' });
  });

  it('says why it cannot choose, in one line', () => {
    expect(() => chooseVersions(deployment(['v1', 50], ['v2', 50]), [version('v1', 1), version('v2', 2)], { kind: 'newest' }, undefined)).toThrow(
      'every uploaded version is already in the current deployment (deployment dep-9 serves v1 at 50 %, v2 at 50 %); upload a new version, or set version'
    );
    expect(() => chooseVersions(deployment(['v1', 100]), versions, { kind: 'id', id: 'v7' }, undefined)).toThrow('version v7 is not an uploaded version (newest: v3, v4, v1)');
    expect(() => chooseVersions(deployment(['v4', 100]), versions, { kind: 'id', id: 'v4' }, undefined)).toThrow('v4 already serves all the traffic');
    expect(() => chooseVersions(deployment(['v1', 100]), versions, { kind: 'id', id: 'v4' }, 'v8')).toThrow('stable-version v8 is not an uploaded version');
  });
});

const measures = (canaryErrors: number) => [{ source: 'probes' as const, canary: { samples: 100, errors: canaryErrors, p50Ms: 12, p95Ms: 30 }, stable: { samples: 100, errors: 0, p50Ms: 11, p95Ms: 28 } }];
const step = (percentage: number, verdict: StepRecord['verdict'], startSecond: number, canaryErrors: number | null, reason: string): StepRecord => ({
  percentage,
  startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, startSecond)).toISOString(),
  endedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, startSecond + 30)).toISOString(),
  verdict,
  reason,
  windows:
    canaryErrors === null
      ? []
      : [
          {
            start: new Date(Date.UTC(2026, 0, 1, 0, 0, startSecond)).toISOString(),
            end: new Date(Date.UTC(2026, 0, 1, 0, 0, startSecond + 30)).toISOString(),
            verdict: canaryErrors > 1 ? 'failed' : 'passed',
            reasons: canaryErrors > 1 ? [`probes: canary error rate ${canaryErrors}% (${canaryErrors} of 100) is above max-error-rate 2% at https://api.example.com/?token=tok-secret-99`] : ['probes: canary 0%'],
            measures: measures(canaryErrors)
          }
        ]
});

const rolledBack: ShiftOutcome = {
  result: 'rolled-back',
  finalPercentage: 0,
  failedStep: 1,
  reason: 'the 5 % step failed: probes: canary error rate 30% (30 of 100) is above max-error-rate 2%',
  steps: [step(0, 'passed', 0, 0, '1 of 1 window passed'), step(5, 'failed', 30, 30, 'probes: canary error rate 30% (30 of 100) is above max-error-rate 2%')]
};
const context = { canary: 'v2', stable: 'v1', metrics: ['probes' as const] };

describe('the summary and the timeline', () => {
  it('puts the failing step first, then the steps table, the chart and each step’s windows', () => {
    const masker = new Masker();
    masker.add('tok-secret-99');
    const summary = renderSummary(rolledBack, context, masker);
    const order = ['## ❌ Canary rolled back: `v1` serves 100 % again', '### Why: the 5 % step failed', '| Step | Verdict |', '```mermaid', '<details><summary>0 % step'];
    const at = order.map((text) => summary.indexOf(text));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(summary).toContain('| 5 % | ❌ failed | 30s | 30% (30/100) | 12ms / 30ms | 0% (0/100) | 11ms / 28ms |');
    expect(summary).not.toContain('tok-secret-99');
    expect(summary).toContain('token=\\*\\*\\*');
  });

  it('charts the share as bars and both error rates as lines, one point per window', () => {
    const promoted: ShiftOutcome = { ...rolledBack, result: 'promoted', failedStep: undefined, steps: [rolledBack.steps[0]!, step(5, 'passed', 30, 1, 'ok'), step(100, 'passed', 60, null, 'served')] };
    expect(renderChart(promoted, context)).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "Canary traffic and error rates"',
        '  x-axis "time since the shift started (m:ss)" ["0:30", "1:00", "1:30"]',
        '  y-axis "percent" 0 --> 100',
        '  bar [0, 5, 100]',
        '  line [0, 1, 0]',
        '  line [0, 0, 0]',
        '```',
        '',
        "Bars: the canary's share of the traffic. Lines: the canary's error rate (first) and stable's (second), per analysis window, in percent."
      ].join('\n')
    );
  });

  it('gives per step the percentage, times, totals of both versions, the verdict and why', () => {
    const timeline = JSON.parse(timelineJson(rolledBack, context, new Masker()));
    expect(timeline[1]).toEqual({
      percentage: 5,
      'started-at': '2026-01-01T00:00:30.000Z',
      'ended-at': '2026-01-01T00:01:00.000Z',
      verdict: 'failed',
      reason: 'probes: canary error rate 30% (30 of 100) is above max-error-rate 2%',
      source: 'probes',
      canary: { samples: 100, errors: 30, 'error-rate': 30, 'p50-ms': 12, 'p95-ms': 30 },
      stable: { samples: 100, errors: 0, 'error-rate': 0, 'p50-ms': 11, 'p95-ms': 28 },
      windows: [expect.objectContaining({ verdict: 'failed', sources: { probes: { canary: expect.objectContaining({ errors: 30 }), stable: expect.objectContaining({ errors: 0 }) } } })]
    });
  });
});
