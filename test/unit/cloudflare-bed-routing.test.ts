import { describe, expect, it } from '@jest/globals';
import { buildTrafficQuery, parseTrafficResponse } from '@deploy-actions/providers';
import { CloudflareStore, type StoredDeployment, type WorkerState } from '../../testbed/cloudflare/store.ts';
import { effectiveDeployment, parseDictionary, versionAt } from '../../testbed/cloudflare/router.ts';
import { answerGraphql } from '../../testbed/cloudflare/analytics.ts';
import { sampleVersion } from '../helpers/cloudflare-bed.ts';

describe('parseDictionary (RFC 8941)', () => {
  it.each([
    ['my-worker="dc8dcd28-271b-4367-9840-6c244f84cb40"', [['my-worker', 'dc8dcd28-271b-4367-9840-6c244f84cb40']]],
    ['a="1",  b="2"', [['a', '1'], ['b', '2']]],
    ['a="1", a="2"', [['a', '2']]],
    ['a, b=?1, c=12, d=tok, e=(x "y");p, f=:aGk=:', [['a', true], ['b', null], ['c', null], ['d', null], ['e', null], ['f', null]]],
    ['w="x";note="why";n=1', [['w', 'x']]],
    ['w="a \\"quoted\\" \\\\ value"', [['w', 'a "quoted" \\ value']]],
    ['', []]
  ])('reads %j', (text, members) => {
    expect([...parseDictionary(text)!]).toEqual(members);
  });

  it.each(['W="x"', 'w="x",', 'w="x" junk', 'w="unterminated', 'w="bad \\n escape"', '="x"', 'w="x",,v="y"', 'w=(x'])(
    'refuses %j as a whole',
    (text) => {
      expect(parseDictionary(text)).toBeUndefined();
    }
  );
});

describe('the split', () => {
  const older = sampleVersion(1, { VERSION_LABEL: 'v1' });
  const newer = sampleVersion(2, { VERSION_LABEL: 'v2' });
  const state: WorkerState = { name: 'w', versions: [older, newer], deployments: [], secrets: new Map() };
  const deployment = (shares: Array<[string, number]>, createdOn = '2026-12-01T10:00:00.000Z'): StoredDeployment => ({
    id: createdOn,
    createdOn,
    source: 'wrangler',
    strategy: 'percentage',
    versions: shares.map(([version_id, percentage]) => ({ version_id, percentage })),
    annotations: {},
    author_email: ''
  });

  it('gives the older version the bottom of the range whatever the listed order, so the newer one grows from the top', () => {
    for (const listed of [deployment([[newer.id, 10], [older.id, 90]]), deployment([[older.id, 90], [newer.id, 10]])]) {
      expect(versionAt(state, listed, 0)).toBe(older.id);
      expect(versionAt(state, listed, 89.99)).toBe(older.id);
      expect(versionAt(state, listed, 90)).toBe(newer.id);
      expect(versionAt(state, listed, 99.99)).toBe(newer.id);
    }
  });

  it('never picks a version at 0 %', () => {
    const zero = deployment([[older.id, 100], [newer.id, 0]]);
    for (const point of [0, 50, 99.999]) expect(versionAt(state, zero, point)).toBe(older.id);
  });

  it('serves the newest deployment made at least the propagation delay ago', () => {
    const first = deployment([[older.id, 100]], '2026-12-01T10:00:00.000Z');
    const second = deployment([[newer.id, 100]], '2026-12-01T10:00:10.000Z');
    const withTwo: WorkerState = { ...state, deployments: [first, second] };
    const at = (iso: string) => Date.parse(iso);
    expect(effectiveDeployment(withTwo, at('2026-12-01T10:00:10.000Z'), 0)).toBe(second);
    expect(effectiveDeployment(withTwo, at('2026-12-01T10:00:11.999Z'), 2000)).toBe(first);
    expect(effectiveDeployment(withTwo, at('2026-12-01T10:00:12.000Z'), 2000)).toBe(second);
    expect(effectiveDeployment(withTwo, at('2026-12-01T10:00:01.000Z'), 2000)).toBeUndefined();
  });
});

describe('the analytics answer', () => {
  const store = new CloudflareStore();
  const at = Date.parse('2026-12-01T10:00:30.000Z');
  // Durations in ms; the API reports wall time in microseconds.
  for (let index = 0; index < 100; index++) {
    store.served.push({ worker: 'api', versionId: 'stable', at, status: index < 2 ? 500 : 200, durationMs: index + 1 });
  }
  store.served.push({ worker: 'api', versionId: 'canary', at, status: 503, durationMs: 7 });
  store.served.push({ worker: 'other', versionId: 'stable', at, status: 200, durationMs: 1 });
  store.served.push({ worker: 'api', versionId: 'stable', at: at + 3_600_000, status: 200, durationMs: 1 });
  const window = { start: new Date('2026-12-01T10:00:00Z'), end: new Date('2026-12-01T10:01:00Z') };

  it('answers the provider\'s own query per version within the window and the script', () => {
    const { query, variables } = buildTrafficQuery(store.accountId, 'api', window);
    expect(parseTrafficResponse(answerGraphql(store, query, variables), ['stable', 'canary'])).toEqual(
      new Map([
        ['stable', { requests: 100, errors: 2, p50Ms: 50, p95Ms: 99 }],
        ['canary', { requests: 1, errors: 1, p50Ms: 7, p95Ms: 7 }]
      ])
    );
  });

  it('answers another account with no account, as the API does for a tag the token cannot see', () => {
    const { query, variables } = buildTrafficQuery('someone-else', 'api', window);
    expect(answerGraphql(store, query, variables)).toEqual({ data: { viewer: { accounts: [] } }, errors: null });
  });

  it('honours aliases, literal arguments and the _in filters', () => {
    const answer = answerGraphql(
      store,
      `{ viewer { accounts(filter: { accountTag: "${store.accountId}" }) {
         rows: workersInvocationsAdaptive(limit: 5, filter: { scriptName_in: ["api", "other"], scriptVersion_in: ["canary"] }) {
           total: sum { requests } dimensions { scriptName scriptVersion } } } } }`
    );
    expect(answer).toEqual({
      data: { viewer: { accounts: [{ rows: [{ total: { requests: 1 }, dimensions: { scriptName: 'api', scriptVersion: 'canary' } }] }] } },
      errors: null
    });
  });

  it.each([
    ['a field the bed does not have', '{ viewer { accounts(filter: {accountTag: "x"}) { workersInvocationsAdaptive(limit: 1) { quantiles { wallTimeP95 } } } } }', 'quantiles has no field "wallTimeP95" on the test bed'],
    ['another dataset', '{ viewer { accounts(filter: {accountTag: "x"}) { httpRequestsAdaptiveGroups(limit: 1) { count } } } }', 'account has no field "httpRequestsAdaptiveGroups" on the test bed'],
    ['an unknown filter', '{ viewer { accounts(filter: {accountTag: "x"}) { workersInvocationsAdaptive(limit: 1, filter: {colo: "AMS"}) { sum { requests } } } } }', 'workersInvocationsAdaptive filter has no field "colo" on the test bed'],
    ['no limit', '{ viewer { accounts(filter: {accountTag: "x"}) { workersInvocationsAdaptive { sum { requests } } } } }', 'workersInvocationsAdaptive needs a limit: a positive whole number'],
    ['a missing variable', 'query Q($tag: string!) { viewer { accounts(filter: {accountTag: $tag}) { workersInvocationsAdaptive(limit: 1) { sum { requests } } } } }', 'variable "$tag" of type string! is required'],
    ['a syntax error', '{ viewer { accounts(filter: {accountTag: "x"}) ', 'Syntax Error: expected "}", found the end of the query'],
    ['a mutation', 'mutation { viewer { x } }', 'mutation operations are not supported by the test bed (only query)'],
    ['a fragment', '{ viewer { ...F } }', 'fragments are not supported by the test bed']
  ])('answers %s with a GraphQL error, not data', (_name, query, message) => {
    const answer = answerGraphql(store, query.replaceAll('"x"', JSON.stringify(store.accountId)), {}) as { data: unknown; errors: Array<{ message: string }> };
    expect(answer.data).toBeNull();
    expect(answer.errors.map((error) => error.message)).toEqual([message]);
  });
});
