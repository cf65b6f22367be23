// The bed's sample Worker. Each uploaded version is told by its vars how to behave, so one source
// serves every scenario the tests and the demo need:
//   VERSION_LABEL  what the body names (e.g. "v2"); the router names the version id in x-testbed-version
//   FAIL_PERCENT   0–100: that share of requests throws, as a crashing Worker does (workerd answers 500,
//                  and Cloudflare's analytics would count it under `errors`)
//   LATENCY_MS     added before answering
// GET /health answers the same way as every other path: a failing version fails its health checks too.

export default {
  async fetch(request, env) {
    const latencyMs = Number(env.LATENCY_MS ?? 0);
    const failPercent = Number(env.FAIL_PERCENT ?? 0);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (failPercent > 0 && Math.random() * 100 < failPercent) {
      throw new Error(`${env.VERSION_LABEL ?? 'this version'} fails ${failPercent}% of requests`);
    }
    const url = new URL(request.url);
    return Response.json({ label: env.VERSION_LABEL ?? null, path: url.pathname, healthy: failPercent === 0 });
  }
};
