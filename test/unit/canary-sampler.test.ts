// canary-shift's sampler and probes against a local server: one request per sample, never retried,
// aimed at each version by the route's headers or URL, at a bounded concurrency, and cancellable.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StatusSet } from '@deploy-actions/inputs';
import { probeSender, routedUrls, type ProbeTarget } from '../../actions/canary-shift/src/probes.js';
import { measureSamples, startSampler } from '../../actions/canary-shift/src/sampler.js';
import { startServer, type TestServer } from '../helpers/servers.js';

let server: TestServer;
let inFlight = 0;
let mostInFlight = 0;
const seen = { canary: 0, stable: 0 };

beforeAll(async () => {
  server = await startServer(async (req, res, { wait }) => {
    const version = req.headers['x-version'] === 'canary' || req.url?.startsWith('/canary') ? 'canary' : 'stable';
    if (req.url?.endsWith('/hang')) {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await wait(60_000);
      inFlight -= 1;
      return void res.destroy();
    }
    seen[version] += 1;
    // The canary fails every third request it gets; stable never.
    const fail = version === 'canary' && seen.canary % 3 === 0;
    res.writeHead(fail ? 503 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ version, ok: !fail }));
  });
});

afterAll(() => server.close());

const target = (path: string): ProbeTarget => ({
  urls: [server.url(path)],
  request: { method: 'GET', headers: [['Accept', 'application/json']] },
  probe: { maxBodyBytes: 65_536, followRedirects: false, maxRedirects: 0, insecure: false, env: {} },
  assertions: [{ kind: 'status', expected: new StatusSet([[200, 299]], '200-299') }],
  attemptTimeoutMs: 30_000
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('routedUrls', () => {
  it('keeps the probe path on an origin-only route URL, and takes a route URL with a path as is', () => {
    expect(routedUrls(['https://api.example.com/health?deep=1'], { url: 'http://127.0.0.1:9000', headers: [] })).toEqual(['http://127.0.0.1:9000/health?deep=1']);
    expect(routedUrls(['https://api.example.com/health'], { url: 'http://127.0.0.1:9000/canary/health', headers: [] })).toEqual(['http://127.0.0.1:9000/canary/health']);
    expect(routedUrls(['https://api.example.com/health'], { headers: [['X-Version', 'canary']] })).toEqual(['https://api.example.com/health']);
    expect(routedUrls([], { url: 'http://127.0.0.1:9000/', headers: [] })).toEqual(['http://127.0.0.1:9000/']);
  });
});

describe('the sampler', () => {
  it('sends one request per sample to each version, never retried, and measures each apart', async () => {
    const senders = {
      canary: probeSender(target('/ok'), { headers: [['X-Version', 'canary']] }),
      stable: probeSender(target('/ok'), { headers: [['X-Version', 'stable']] })
    };
    const before = server.requests.length;
    seen.canary = 0;
    seen.stable = 0;
    // stop() aborts what is in flight, and a request the server already counted then is no sample (by
    // design). So the test closes a gate first: rounds after it send nothing (an aborted outcome is
    // neither a request nor a sample), it waits for the requests already sent to settle, and only then
    // stops the sampler. Every request the server got has then become exactly one sample.
    let closing = false;
    let sending = 0;
    const startedAt = Date.now();
    const sampler = startSampler({
      targets: ['canary', 'stable'] as const,
      ratePerSecond: 20,
      maxInFlight: 8,
      send: async (v, signal) => {
        if (closing) return { ok: false, latencyMs: null, aborted: true };
        sending += 1;
        try {
          return await senders[v](signal);
        } finally {
          sending -= 1;
        }
      }
    });
    const all = { canary: [] as ReturnType<typeof measureSamples>[], stable: [] as ReturnType<typeof measureSamples>[] };
    let canarySamples = 0;
    await until(() => {
      const { samples } = sampler.take();
      all.canary.push(measureSamples(samples.get('canary') ?? []));
      all.stable.push(measureSamples(samples.get('stable') ?? []));
      canarySamples = all.canary.reduce((sum, m) => sum + m.samples, 0);
      return canarySamples >= 30;
    }, '30 canary samples');
    closing = true;
    await until(() => sending === 0, 'the requests in flight to settle');
    await sampler.stop();
    const elapsedSeconds = (Date.now() - startedAt) / 1000;
    const { samples: rest } = sampler.take();
    const total = (version: 'canary' | 'stable') => all[version].reduce((sum, m) => sum + m.samples, 0) + (rest.get(version)?.length ?? 0);
    const errors = (version: 'canary' | 'stable') => all[version].reduce((sum, m) => sum + m.errors, 0) + (rest.get(version)?.filter((s) => !s.ok).length ?? 0);

    // Every request the server got is one sample: no retry, no sample without a request.
    expect(seen.canary).toBe(total('canary'));
    expect(seen.stable).toBe(total('stable'));
    expect(server.requests.length - before).toBe(total('canary') + total('stable'));
    // Each 503 is one failed sample.
    expect(errors('canary')).toBe(Math.floor(seen.canary / 3));
    expect(errors('stable')).toBe(0);
    // A steady rate is an upper bound whatever the machine: at most one round per 50ms, plus the first.
    expect(total('canary')).toBeLessThanOrEqual(Math.ceil(elapsedSeconds * 20) + 1);
    // Every request carried the route's header and the user's.
    const sent = server.requests.slice(before);
    expect(sent.every((r) => r.headers.accept === 'application/json' && (r.headers['x-version'] === 'canary' || r.headers['x-version'] === 'stable'))).toBe(true);
  });

  it('keeps at most maxInFlight requests per version, counts the rounds it skipped, and stop() aborts the rest', async () => {
    mostInFlight = 0;
    const send = probeSender(target('/canary/hang'), { headers: [] });
    const sampler = startSampler({ targets: ['canary'] as const, ratePerSecond: 50, maxInFlight: 2, send: (_v, signal) => send(signal) });
    let skipped = 0;
    await until(() => {
      skipped += sampler.take().skipped.get('canary') ?? 0;
      return inFlight === 2 && skipped >= 3;
    }, 'skipped rounds');
    await sampler.stop();
    expect(mostInFlight).toBe(2);
    // The aborted requests are no samples: nothing was measured.
    expect(sampler.take().samples.get('canary')).toEqual([]);
    await until(() => inFlight === 0, 'the server to see the aborted requests go');
  });

  it('stops sending when its signal aborts', async () => {
    const cancel = new AbortController();
    let sent = 0;
    const sampler = startSampler({
      targets: ['canary'] as const,
      ratePerSecond: 100,
      maxInFlight: 4,
      signal: cancel.signal,
      send: async () => {
        sent += 1;
        return { ok: true, latencyMs: 1 };
      }
    });
    await until(() => sent >= 3, 'three samples');
    cancel.abort();
    const atAbort = sent;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent).toBe(atAbort);
    await sampler.stop();
  });
});

describe('measureSamples', () => {
  it('counts errors and takes quantiles of the answered samples only', () => {
    const at = 0;
    expect(
      measureSamples([
        { ok: true, latencyMs: 10, startedAt: at },
        { ok: false, latencyMs: 30, startedAt: at },
        { ok: false, latencyMs: null, reason: 'timeout', startedAt: at },
        { ok: true, latencyMs: 20, startedAt: at }
      ])
    ).toEqual({ samples: 4, errors: 2, p50Ms: 20, p95Ms: 30 });
    expect(measureSamples([])).toEqual({ samples: 0, errors: 0, p50Ms: null, p95Ms: null });
  });
});
