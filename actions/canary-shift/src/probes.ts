// One probe sample aimed at one version: the shared probe (one request, never retried) and the
// shared assertions, through the route the provider gives for that version.
import { judgeAttempt, type ProbeInputs } from '@deploy-actions/checks';
import { probe } from '@deploy-actions/http';
import type { VersionRoute } from '@deploy-actions/providers';
import type { SampleOutcome } from './sampler.js';

export type ProbeTarget = Pick<ProbeInputs, 'urls' | 'request' | 'probe' | 'assertions' | 'attemptTimeoutMs'>;

/**
 * The URLs that reach one version. A route URL that is only an origin (`https://canary.example.com`)
 * keeps each probe URL's path and query; a route URL with a path replaces the probe URL.
 */
export function routedUrls(urls: readonly string[], route: VersionRoute): string[] {
  if (!route.url) return [...urls];
  const base = new URL(route.url);
  if ((base.pathname !== '/' && base.pathname !== '') || base.search !== '' || urls.length === 0) return [route.url];
  return urls.map((url) => {
    const parsed = new URL(url);
    return new URL(`${parsed.pathname}${parsed.search}`, base).toString();
  });
}

/** A sender for the sampler: each call requests the version's next URL in turn. */
export function probeSender(target: ProbeTarget, route: VersionRoute): (signal: AbortSignal) => Promise<SampleOutcome> {
  const urls = routedUrls(target.urls, route);
  const headers = [...(target.request.headers ?? []), ...route.headers];
  let next = 0;
  return async (signal) => {
    const url = urls[next++ % urls.length]!;
    const result = await probe(url, { ...target.request, ...target.probe, headers, timeoutMs: target.attemptTimeoutMs, signal });
    if (result.failure?.kind === 'aborted') return { ok: false, latencyMs: null, aborted: true };
    const failure = await judgeAttempt(result, target.assertions);
    return { ok: failure === null, latencyMs: result.response ? result.timings.totalMs : null, reason: failure?.reason };
  };
}
