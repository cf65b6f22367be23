// The platform bed's pure parts: the data plane's split is exact, failures are spread as promised, and
// the AWS CLI's --routing-config and --query forms parse as the CLI reads them.

import { describe, expect, it } from '@jest/globals';
import { parseQuery, parseRoutingConfig } from '../../testbed/platforms/aws.js';
import { CliError, failsAt, PlatformStore, type Share } from '../../testbed/platforms/store.js';

function routeMany(split: Share[], n: number): Record<string, number> {
  const store = new PlatformStore();
  const app = store.appOrCreate('aws', 'fn');
  for (const share of split) store.addVersion(app, share.version, { label: share.version, failPercent: 0, latencyMs: 0 }, '/');
  store.setSplit(app, split, 'test');
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const id = store.route(app)!.id;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe('the data plane split', () => {
  it.each([
    [[{ version: '1', percentage: 95 }, { version: '2', percentage: 5 }], 100, { '1': 95, '2': 5 }],
    [[{ version: '1', percentage: 75 }, { version: '2', percentage: 25 }], 200, { '1': 150, '2': 50 }],
    [[{ version: '1', percentage: 94.5 }, { version: '2', percentage: 5.5 }], 1000, { '1': 945, '2': 55 }],
    [[{ version: '1', percentage: 100 }], 7, { '1': 7 }]
  ])('serves %j exactly over %i requests', (split, n, expected) => {
    expect(routeMany(split, n)).toEqual(expected);
  });

  it('spreads the canary evenly rather than in a block', () => {
    const store = new PlatformStore();
    const app = store.appOrCreate('vercel', 'web');
    store.addVersion(app, 'a', { label: 'a', failPercent: 0, latencyMs: 0 }, '/');
    store.addVersion(app, 'b', { label: 'b', failPercent: 0, latencyMs: 0 }, '/');
    store.setSplit(app, [{ version: 'a', percentage: 75 }, { version: 'b', percentage: 25 }], 'test');
    const firstEight = Array.from({ length: 8 }, () => store.route(app)!.id).join('');
    expect(firstEight.split('b')).toHaveLength(3);
    expect(firstEight).not.toContain('bb');
  });

  it('serves nothing when nothing is live', () => {
    const store = new PlatformStore();
    expect(store.route(store.appOrCreate('shuttle', 'empty'))).toBeUndefined();
  });
});

describe('failsAt', () => {
  it('fails exactly N per hundred, and 5.5 % as 55 per thousand', () => {
    const count = (percent: number, n: number) => Array.from({ length: n }, (_, i) => failsAt(i + 1, percent)).filter(Boolean).length;
    expect([count(10, 100), count(30, 10), count(5.5, 1000), count(0, 1000), count(100, 7)]).toEqual([10, 3, 55, 0, 7]);
  });
});

describe('the aws stand-in parses the CLI forms', () => {
  it('reads --routing-config shorthand, quoted or not, and JSON', () => {
    expect(parseRoutingConfig('AdditionalVersionWeights={"2"=0.05}')).toEqual({ '2': 0.05 });
    expect(parseRoutingConfig('AdditionalVersionWeights={2=0.5}')).toEqual({ '2': 0.5 });
    expect(parseRoutingConfig('AdditionalVersionWeights={}')).toEqual({});
    expect(parseRoutingConfig('{"AdditionalVersionWeights":{"3":0.25}}')).toEqual({ '3': 0.25 });
  });

  it('refuses a malformed --routing-config with exit 252', () => {
    for (const bad of ['Weights=2', 'AdditionalVersionWeights={2}', '{"AdditionalVersionWeights":{"2":"half"}}', '{not json']) {
      expect(() => parseRoutingConfig(bad)).toThrow(CliError);
      try {
        parseRoutingConfig(bad);
      } catch (error) {
        expect((error as CliError).exitCode).toBe(252);
      }
    }
  });

  it('takes the --query field-path subset and refuses the rest', () => {
    expect(parseQuery('Versions[-1].Version')).toEqual([{ field: 'Versions' }, { index: -1 }, { field: 'Version' }]);
    expect(parseQuery('Versions[*].Version')).toEqual([{ field: 'Versions' }, { project: true }, { field: 'Version' }]);
    for (const bad of ["Versions[?Version=='1']", '.Version', 'Versions[*].Aliases[*]', 'length(Versions)']) expect(() => parseQuery(bad)).toThrow(CliError);
  });
});
