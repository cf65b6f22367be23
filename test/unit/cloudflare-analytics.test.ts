import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ProviderError, buildTrafficQuery, parseTrafficResponse } from '@deploy-actions/providers';

const STABLE = '0a4b9c2e-5d1f-4e7a-9b3c-1f2e3d4c5b6a';
const CANARY = '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910';
const IDLE = '11111111-2222-4333-8444-555555555555';

const recorded: unknown = JSON.parse(
  readFileSync(new URL('../fixtures/cloudflare/graphql-version-traffic.json', import.meta.url), 'utf8')
);

describe('buildTrafficQuery', () => {
  it('asks workersInvocationsAdaptive for one script over the window, grouped by version', () => {
    const { query, variables } = buildTrafficQuery('acc123', 'my-api', {
      start: new Date('2026-12-01T10:00:00Z'),
      end: new Date('2026-12-01T10:05:00Z')
    });
    expect(variables).toEqual({
      accountTag: 'acc123',
      scriptName: 'my-api',
      datetimeStart: '2026-12-01T10:00:00.000Z',
      datetimeEnd: '2026-12-01T10:05:00.000Z'
    });
    expect(query).toContain('accounts(filter: { accountTag: $accountTag })');
    expect(query).toContain('filter: { scriptName: $scriptName, datetime_geq: $datetimeStart, datetime_leq: $datetimeEnd }');
    expect(query).toMatch(/sum \{ requests errors \}/);
    expect(query).toMatch(/quantiles \{ wallTimeP50 wallTimeP99 \}/);
    expect(query).toMatch(/dimensions \{ scriptVersion \}/);
  });
});

describe('parseTrafficResponse', () => {
  it('reads a recorded answer: counts per version, wall time from microseconds to milliseconds', () => {
    const traffic = parseTrafficResponse(recorded, [STABLE, CANARY]);
    expect(traffic.get(STABLE)).toEqual({ requests: 4120, errors: 3, p50Ms: 2.1485, p95Ms: 11.873 });
    expect(traffic.get(CANARY)).toEqual({ requests: 218, errors: 41, p50Ms: 2.301, p95Ms: 214.56 });
  });

  it('gives a version with no row zero requests and no latency, and ignores versions not asked for', () => {
    const traffic = parseTrafficResponse(recorded, [IDLE, STABLE]);
    expect([...traffic.keys()]).toEqual([IDLE, STABLE]);
    expect(traffic.get(IDLE)).toEqual({ requests: 0, errors: 0, p50Ms: null, p95Ms: null });
  });

  it('adds up split rows of one version and keeps the slower quantile', () => {
    const row = (requests: number, p99: number) => ({
      dimensions: { scriptVersion: STABLE },
      quantiles: { wallTimeP50: 1000, wallTimeP99: p99 },
      sum: { requests, errors: 1 }
    });
    const body = { data: { viewer: { accounts: [{ workersInvocationsAdaptive: [row(10, 5000), row(20, 9000)] }] } }, errors: null };
    expect(parseTrafficResponse(body, [STABLE]).get(STABLE)).toEqual({ requests: 30, errors: 2, p50Ms: 1, p95Ms: 9 });
  });

  it('throws the API\'s own message on a GraphQL error, never zero traffic', () => {
    const body = {
      data: null,
      errors: [{ message: 'unknown field "wallTimeP95"', path: ['viewer'], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]
    };
    expect(() => parseTrafficResponse(body, [STABLE])).toThrow(new ProviderError('Cloudflare GraphQL refused the traffic query: unknown field "wallTimeP95"'));
  });

  it.each([
    ['not an object', 'nope', /not a JSON object/],
    ['no accounts', { data: { viewer: {} } }, /no data\.viewer\.accounts/],
    ['an empty account list', { data: { viewer: { accounts: [] } } }, /no account: check account-id/],
    ['no dataset', { data: { viewer: { accounts: [{}] } } }, /no workersInvocationsAdaptive/],
    [
      'a row without a version',
      { data: { viewer: { accounts: [{ workersInvocationsAdaptive: [{ sum: { requests: 1, errors: 0 } }] }] } } },
      /no dimensions\.scriptVersion/
    ],
    [
      'a count that is not a whole number',
      { data: { viewer: { accounts: [{ workersInvocationsAdaptive: [{ dimensions: { scriptVersion: STABLE }, sum: { requests: '3', errors: 0 } }] }] } } },
      /no whole sum\.requests \(got "3"\)/
    ]
  ])('throws a ProviderError on %s', (_name, body, message) => {
    expect(() => parseTrafficResponse(body, [STABLE])).toThrow(message);
    expect(() => parseTrafficResponse(body, [STABLE])).toThrow(ProviderError);
  });
});
