// Preloaded with `--import` by bench/run.mjs for one informational run of a bundle: at the
// bundle's first HTTP request it reports how long after process start that was, and which public
// builtin modules were loaded by then (each costs start-up time: crypto/tls/https ~10 ms together).
// It avoids `performance` (that global would load perf_hooks and hide it from the list).
import dc from 'node:diagnostics_channel';

const before = new Set(process.moduleLoadList);
const preloadMs = process.uptime() * 1000;
let reported = false;
const onFirstRequest = () => {
  if (reported) return;
  reported = true;
  const firstRequestMs = process.uptime() * 1000;
  const added = process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule '));
  const loaded = added.map((m) => m.slice('NativeModule '.length)).filter((m) => !m.startsWith('internal/'));
  const undici = added.some((m) => m.includes('internal/deps/undici'));
  process.stderr.write(`\n@@first-request ${JSON.stringify({ preloadMs, firstRequestMs, loaded, internalCount: added.length - loaded.length, undici })}\n`);
};
dc.subscribe('http.client.request.start', onFirstRequest);
// fetch (octokit's, create-tracking-issue's) sends through undici, which reports on its own channel.
dc.subscribe('undici:request:create', onFirstRequest);
