// The bed's sample Worker. Each uploaded version is told by its vars how to behave, so one source
// serves every scenario the tests and the demo need:
//   VERSION_LABEL  what the body names (e.g. "v2"); the router names the version id in x-testbed-version
//   FAIL_PERCENT   0–100, to a tenth (5.5 is 55 of every 1000): that share of requests throws, as a
//                  crashing Worker does (workerd answers 500, and Cloudflare's analytics would count it
//                  under `errors`). Deterministic, not random: the isolate counts its requests, and
//                  request n fails when floor(n × FAIL_PERCENT / 100) steps up, so every run of
//                  consecutive requests fails floor or ceil of its share (exactly 55 of every 1000
//                  at 5.5, 3 of every 10 at 30), spread evenly. A gate comparing two versions' error
//                  rates then gets the same verdict every run, not one that depends on luck.
//   LATENCY_MS     added before answering
// GET /health answers the same way as every other path: a failing version fails its health checks too.
// The counter lives in the isolate: it starts again when workerd restarts (each upload restarts it).

let served = 0;

/** Whether the n-th request (from 1) is one of the failing share; per mille so 5.5 % is exact. */
function fails(n, failPerMille) {
  return Math.floor((n * failPerMille) / 1000) > Math.floor(((n - 1) * failPerMille) / 1000);
}

export default {
  async fetch(request, env) {
    const latencyMs = Number(env.LATENCY_MS ?? 0);
    const failPercent = Number(env.FAIL_PERCENT ?? 0);
    served += 1;
    const failing = failPercent > 0 && fails(served, Math.round(failPercent * 10));
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (failing) {
      throw new Error(`${env.VERSION_LABEL ?? 'this version'} fails ${failPercent}% of requests`);
    }
    const url = new URL(request.url);
    return Response.json({ label: env.VERSION_LABEL ?? null, path: url.pathname, healthy: failPercent === 0 });
  }
};
