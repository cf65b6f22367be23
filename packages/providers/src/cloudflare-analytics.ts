// The client side of Cloudflare's GraphQL Analytics API for Workers: the one query canary-shift sends
// to learn what each version of a Worker served over a window, and the reading of its answer. The test
// bed's analytics endpoint answers the same query, so the query and its answer have one owner here.
//
// Where the names come from (Cloudflare's schema; nothing here is invented):
// - `viewer { accounts(filter: {accountTag}) { workersInvocationsAdaptive(limit, filter: {scriptName,
//   datetime_geq, datetime_leq}) { sum { requests errors } quantiles { … } dimensions { … } } } }` and
//   the `string` variable types: Cloudflare's tutorial "Querying Workers Metrics with GraphQL",
//   https://developers.cloudflare.com/analytics/graphql-api/tutorials/querying-workers-metrics
// - the `scriptVersion` dimension (the version id) and the `wallTime` quantiles in microseconds:
//   the dataset's field list as exporters of it use it (e.g. immich-app/services,
//   apps/cloudflare-metrics/src/datasets.ts: dimensions `scriptVersion`, quantiles `wallTimeP50`,
//   `wallTimeP99`, exported as `wall_time_us_*`).
// - the quantile levels the dataset has: P25, P50, P75, P90, P99 and P999 (no P95), as every full
//   listing of `workersInvocationsAdaptive` quantiles shows (cpuTime…, duration…, responseBodySize…,
//   wallTime… each at those six levels).
// - the response: `{ data: { viewer: { accounts: [ { workersInvocationsAdaptive: [row…] } ] } },
//   errors: null }`, and on failure `errors: [{ message, path, extensions }]`: the GraphQL Analytics
//   API's "Error responses" page.

import { ProviderError, type TimeWindow, type VersionTraffic } from './types.js';

/** Rows per answer; one row per version is all the query groups by, so this is never reached. */
export const TRAFFIC_QUERY_LIMIT = 10000;

/**
 * The quantile that stands for p95: the dataset has no P95, and P99 is the nearest level that does not
 * understate the tail (a latency gate on it is stricter, never looser, than one on P95).
 */
export const TAIL_QUANTILE = 'wallTimeP99';
export const MEDIAN_QUANTILE = 'wallTimeP50';

export const TRAFFIC_QUERY = `query DeployActionsVersionTraffic($accountTag: string, $scriptName: string, $datetimeStart: string, $datetimeEnd: string) {
  viewer {
    accounts(filter: { accountTag: $accountTag }) {
      workersInvocationsAdaptive(limit: ${TRAFFIC_QUERY_LIMIT}, filter: { scriptName: $scriptName, datetime_geq: $datetimeStart, datetime_leq: $datetimeEnd }) {
        sum { requests errors }
        quantiles { ${MEDIAN_QUANTILE} ${TAIL_QUANTILE} }
        dimensions { scriptVersion }
      }
    }
  }
}`;

export interface TrafficQuery {
  query: string;
  variables: { accountTag: string; scriptName: string; datetimeStart: string; datetimeEnd: string };
}

/** The request body (`JSON.stringify` it) for POST /client/v4/graphql. */
export function buildTrafficQuery(accountId: string, worker: string, window: TimeWindow): TrafficQuery {
  return {
    query: TRAFFIC_QUERY,
    variables: {
      accountTag: accountId,
      scriptName: worker,
      datetimeStart: window.start.toISOString(),
      datetimeEnd: window.end.toISOString()
    }
  };
}

interface TrafficRow {
  sum?: { requests?: unknown; errors?: unknown };
  quantiles?: Record<string, unknown>;
  dimensions?: { scriptVersion?: unknown };
}

/**
 * What each asked-for version served, from the parsed JSON answer. A version with no row served nothing
 * in the window (requests 0, no latency). A GraphQL error or an answer of another shape throws a
 * ProviderError: an analytics source that cannot be read is an error, never zero traffic.
 */
export function parseTrafficResponse(body: unknown, versionIds: readonly string[]): Map<string, VersionTraffic> {
  const answer = body as { data?: unknown; errors?: unknown } | null;
  if (answer === null || typeof answer !== 'object') {
    throw new ProviderError('Cloudflare GraphQL answered something that is not a JSON object');
  }
  if (Array.isArray(answer.errors) && answer.errors.length > 0) {
    const messages = answer.errors.map((error) =>
      typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : JSON.stringify(error)
    );
    throw new ProviderError(`Cloudflare GraphQL refused the traffic query: ${messages.join('; ')}`);
  }
  const accounts = (answer.data as { viewer?: { accounts?: unknown } } | null | undefined)?.viewer?.accounts;
  if (!Array.isArray(accounts)) {
    throw new ProviderError('Cloudflare GraphQL answer has no data.viewer.accounts list');
  }
  if (accounts.length === 0) {
    throw new ProviderError('Cloudflare GraphQL answer has no account: check account-id and the token\'s Account Analytics permission');
  }
  const rows = (accounts[0] as { workersInvocationsAdaptive?: unknown }).workersInvocationsAdaptive;
  if (!Array.isArray(rows)) {
    throw new ProviderError('Cloudflare GraphQL answer has no workersInvocationsAdaptive list');
  }

  const traffic = new Map<string, VersionTraffic>(
    versionIds.map((id) => [id, { requests: 0, errors: 0, p50Ms: null, p95Ms: null }])
  );
  for (const row of rows as TrafficRow[]) {
    const versionId = row?.dimensions?.scriptVersion;
    if (typeof versionId !== 'string') {
      throw new ProviderError('Cloudflare GraphQL row has no dimensions.scriptVersion');
    }
    const seen = traffic.get(versionId);
    if (seen === undefined) continue;
    const requests = count(row.sum?.requests, 'sum.requests');
    const errors = count(row.sum?.errors, 'sum.errors');
    // One row per version is what the query groups by; should the API split one, counts add up and
    // the slower quantile stands (an upper bound, never an understatement).
    seen.requests += requests;
    seen.errors += errors;
    seen.p50Ms = slower(seen.p50Ms, microsecondsToMs(row.quantiles?.[MEDIAN_QUANTILE], requests));
    seen.p95Ms = slower(seen.p95Ms, microsecondsToMs(row.quantiles?.[TAIL_QUANTILE], requests));
  }
  return traffic;
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ProviderError(`Cloudflare GraphQL row has no whole ${field} (got ${JSON.stringify(value)})`);
  }
  return value;
}

function microsecondsToMs(value: unknown, requests: number): number | null {
  if (requests === 0 || value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ProviderError(`Cloudflare GraphQL row has a quantile that is not a duration (got ${JSON.stringify(value)})`);
  }
  return value / 1000;
}

function slower(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
