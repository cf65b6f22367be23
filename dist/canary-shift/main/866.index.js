export const id = 866;
export const ids = [866];
export const modules = {

/***/ 4866:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createAnalysis: () => (/* binding */ createAnalysis),
  maxInFlight: () => (/* binding */ maxInFlight)
});

// EXTERNAL MODULE: ./packages/checks/src/index.ts + 3 modules
var src = __webpack_require__(3100);
// EXTERNAL MODULE: ./packages/http/src/index.ts + 3 modules
var http_src = __webpack_require__(4825);
;// CONCATENATED MODULE: ./actions/canary-shift/src/probes.ts
// One probe sample aimed at one version: the shared probe (one request, never retried) and the
// shared assertions, through the route the provider gives for that version.


/**
 * The URLs that reach one version. A route URL that is only an origin (`https://canary.example.com`)
 * keeps each probe URL's path and query; a route URL with a path replaces the probe URL.
 */
function routedUrls(urls, route) {
    if (!route.url)
        return [...urls];
    const base = new URL(route.url);
    if ((base.pathname !== '/' && base.pathname !== '') || base.search !== '' || urls.length === 0)
        return [route.url];
    return urls.map((url) => {
        const parsed = new URL(url);
        return new URL(`${parsed.pathname}${parsed.search}`, base).toString();
    });
}
/** A sender for the sampler: each call requests the version's next URL in turn. */
function probeSender(target, route) {
    const urls = routedUrls(target.urls, route);
    const headers = [...(target.request.headers ?? []), ...route.headers];
    let next = 0;
    return async (signal) => {
        const url = urls[next++ % urls.length];
        const result = await (0,http_src/* probe */.dy)(url, { ...target.request, ...target.probe, headers, timeoutMs: target.attemptTimeoutMs, signal });
        if (result.failure?.kind === 'aborted')
            return { ok: false, latencyMs: null, aborted: true };
        const failure = await (0,src/* judgeAttempt */.Bc)(result, target.assertions);
        return { ok: failure === null, latencyMs: result.response ? result.timings.totalMs : null, reason: failure?.reason };
    };
}

// EXTERNAL MODULE: ./packages/report/src/index.ts
var report_src = __webpack_require__(8796);
;// CONCATENATED MODULE: ./actions/canary-shift/src/sampler.ts
// Sends samples to every target at a steady rate: the k-th round starts at start + k/rate whatever
// the previous rounds are doing, so a slow version does not slow down how often it is measured.
// In-flight requests per target are bounded; a round that finds its target at the bound is counted
// as skipped, not as a sample. Cancelled through an AbortSignal: no new round starts, in-flight
// requests are aborted, and an aborted request is no sample.

function startSampler(options) {
    const clock = options.clock ?? Date.now;
    const stopping = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stopping.signal]) : stopping.signal;
    const periodMs = 1000 / options.ratePerSecond;
    const startedAt = clock();
    const inFlight = new Map(options.targets.map((t) => [t, 0]));
    const pending = new Set();
    let done = new Map(options.targets.map((t) => [t, []]));
    let skipped = new Map(options.targets.map((t) => [t, 0]));
    let round = 0;
    let timer;
    const sendOne = (target) => {
        if ((inFlight.get(target) ?? 0) >= options.maxInFlight) {
            skipped.set(target, (skipped.get(target) ?? 0) + 1);
            return;
        }
        inFlight.set(target, (inFlight.get(target) ?? 0) + 1);
        const sampleStart = clock();
        const work = options
            .send(target, signal)
            .catch((error) => ({ ok: false, latencyMs: null, reason: error.message }))
            .then((outcome) => {
            inFlight.set(target, (inFlight.get(target) ?? 1) - 1);
            if (outcome.aborted || signal.aborted)
                return;
            done.get(target).push({ ...outcome, startedAt: sampleStart });
        });
        pending.add(work);
        void work.finally(() => pending.delete(work));
    };
    const tick = () => {
        if (signal.aborted)
            return;
        for (const target of options.targets)
            sendOne(target);
        round += 1;
        timer = setTimeout(tick, Math.max(0, startedAt + round * periodMs - clock()));
    };
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    tick();
    return {
        take() {
            const taken = { samples: done, skipped };
            done = new Map(options.targets.map((t) => [t, []]));
            skipped = new Map(options.targets.map((t) => [t, 0]));
            return taken;
        },
        async stop() {
            stopping.abort();
            clearTimeout(timer);
            await Promise.all([...pending]);
        }
    };
}
/** What a version's samples say: how many, how many failed, and the latency of those answered. */
function measureSamples(samples) {
    const latency = (0,report_src/* latencyStats */.Ir)(samples.flatMap((s) => (s.latencyMs === null ? [] : [s.latencyMs])));
    return { samples: samples.length, errors: samples.filter((s) => !s.ok).length, p50Ms: latency?.p50 ?? null, p95Ms: latency?.p95 ?? null };
}

;// CONCATENATED MODULE: ./actions/canary-shift/src/analysis.ts


/** The most probes in flight per version: enough for a timeout's worth of rounds, within reason. */
function maxInFlight(probeRate, timeoutMs) {
    return Math.min(256, Math.max(4, Math.ceil((probeRate * timeoutMs) / 1000)));
}
function fromTraffic(traffic) {
    // A version absent from the analytics served nothing in the window: zero samples, so inconclusive.
    return traffic ? { samples: traffic.requests, errors: traffic.errors, p50Ms: traffic.p50Ms, p95Ms: traffic.p95Ms } : { samples: 0, errors: 0, p50Ms: null, p95Ms: null };
}
function wait(ms, signal) {
    return new Promise((resolve) => {
        if (signal.aborted)
            return resolve();
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
        }
        signal.addEventListener('abort', done, { once: true });
    });
}
function createAnalysis(options) {
    const { provider } = options;
    return {
        async startStep(percentage) {
            // No user reaches the canary at 0 %, and stable serves nothing at 100 %: there, only what can be measured.
            const sources = percentage === 0 ? ['probes'] : options.metrics;
            const versions = percentage < 100 ? ['canary', 'stable'] : ['canary'];
            const ids = { canary: options.canary, stable: options.stable };
            let sampler;
            if (sources.includes('probes') && options.probe) {
                const senders = new Map(versions.map((v) => [v, probeSender(options.probe, provider.routeTo(ids[v]))]));
                sampler = startSampler({
                    targets: versions,
                    ratePerSecond: options.probeRate,
                    maxInFlight: maxInFlight(options.probeRate, options.probe.attemptTimeoutMs),
                    send: (version, signal) => senders.get(version)(signal)
                });
            }
            let windowStart = new Date();
            return {
                async next(signal) {
                    await wait(Math.max(0, windowStart.getTime() + options.intervalMs - Date.now()), signal);
                    const window = { start: windowStart, end: new Date() };
                    windowStart = window.end;
                    const measures = [];
                    for (const source of sources) {
                        if (source === 'probes') {
                            if (!sampler) {
                                measures.push({ source, error: 'no url to probe' });
                                continue;
                            }
                            const { samples, skipped } = sampler.take();
                            for (const [version, count] of skipped) {
                                if (count > 0)
                                    options.warn(`probes to the ${version} hit the limit of requests in flight: ${count} skipped; its answers are slower than probe-rate allows`);
                            }
                            const measure = (v) => measureSamples(samples.get(v) ?? []);
                            measures.push({ source, canary: measure('canary'), ...(versions.includes('stable') ? { stable: measure('stable') } : {}) });
                        }
                        else {
                            if (!provider.traffic) {
                                measures.push({ source, error: `${provider.description} has no analytics` });
                                continue;
                            }
                            try {
                                const traffic = await provider.traffic(versions.map((v) => ids[v]), window);
                                measures.push({ source, canary: fromTraffic(traffic.get(options.canary)), ...(versions.includes('stable') ? { stable: fromTraffic(traffic.get(options.stable)) } : {}) });
                            }
                            catch (error) {
                                measures.push({ source, error: error.message });
                            }
                        }
                    }
                    return { ...window, measures };
                },
                async stop() {
                    await sampler?.stop();
                }
            };
        }
    };
}


/***/ })

};
