// `npm run bench -- issues` (and `npm run bench`, through issuesBench): GitHub API calls per run of
// the create-tracking-issue bundle, counted on the GitHub stand-in (testbed/github/server.ts, every
// request and answer held to GitHub's OpenAPI description), for the same four pieces of work a peer
// action would do: create an issue with a title, a body, labels and an assignee; an identical re-run;
// an update of the body; a comment on the open issue. Beside them, the peers' calls for the same work.
//
// None of the peers is installable here (they are GitHub Actions, not npm packages: none is in the npm
// registry's list), so their counts are READ FROM THEIR SOURCES, not measured; each names the file it
// was read from. Time per run (spawn -> exit, median) is measured on the stand-in, for ours only.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, actionEnv, describeFailure, median, readOutputs, runNode } from './lib.mjs';

const ROUNDS = 5;

/**
 * The peers' GitHub API calls for the same work, read from their sources (not run). `calls` is what
 * one run sends; `note` what follows from it. `null`: the peer cannot do that work.
 */
export const PEERS = [
  {
    name: 'JasonEtco/create-an-issue',
    source: 'src/action.ts (with update_existing: true, as needed to find an issue again)',
    create: { calls: 2, note: 'search, create' },
    rerun: { calls: 2, note: 'search, update: always writes; the search index lags, so a quick re-run creates a duplicate instead' },
    update: { calls: 2, note: 'search, update (the body only: labels and assignees are not updated)' },
    comment: null
  },
  {
    name: 'peter-evans/create-issue-from-file',
    source: 'src/main.ts',
    create: { calls: 3, note: 'create, add labels, add assignees' },
    rerun: { calls: 3, note: 'no dedupe: create, add labels, add assignees again, a second issue (unless the caller passes issue-number)' },
    update: { calls: 3, note: 'update, add labels, add assignees, with the issue number given by the caller' },
    comment: null
  },
  {
    name: 'imjohnbo/issue-bot',
    source: 'lib/issue-bot.js (with close-previous, the mode that looks for the issue before)',
    create: { calls: 2, note: 'list by label (first page only), create' },
    rerun: { calls: 3, note: 'list, create, close the previous: every run opens a new issue' },
    update: null,
    comment: { calls: 4, note: 'linked-comments: list, create a new issue, a comment on each of the new and the previous (it cannot comment on the existing issue alone)' }
  }
];

const WORK = [
  { key: 'create', what: 'create (title, body, labels, assignee)' },
  { key: 'rerun', what: 'identical re-run' },
  { key: 'update', what: 'update (body changed)' },
  { key: 'comment', what: 'comment on the open issue' }
];

export async function issuesBench({ bundle, scratch, progress = () => {} }) {
  const { startGitHubStandIn } = await import(pathToFileURL(join(ROOT, 'testbed/github/server.ts')).href);
  const standIn = await startGitHubStandIn({ collaborators: ['octocat'] });
  const errors = [];
  const counted = new Map(WORK.map(({ key }) => [key, []])); // per round: { calls, writes, ms, action }
  try {
    const run = async (key, inputs, round) => {
      const files = scratch.files();
      const env = {
        ...actionEnv('create-tracking-issue', { ...inputs, 'github-token': standIn.token }, files),
        ...standIn.env(),
        GITHUB_WORKFLOW: 'Deploy',
        GITHUB_RUN_ID: String(8000 + round),
        GITHUB_SHA: '3f786850e387550fdab836ed7e6dc881de23001b',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_ACTOR: 'octocat',
        // The client's one seam: octokit's pacing off (its waits would be most of the time measured).
        DEPLOY_ACTIONS_GITHUB_DELAYS: 'off'
      };
      standIn.clearRecords();
      const r = await runNode([bundle], { env, timeoutMs: 60_000 });
      const calls = standIn.calls();
      const outputs = readOutputs(files.output);
      if (r.code !== 0) errors.push(`${key} round ${round}: ${describeFailure(r)}`);
      counted.get(key).push({ calls: calls.length, writes: calls.filter((call) => call.method !== 'GET').length, ms: r.tExit - r.t0, action: outputs.action, list: calls.map((call) => `${call.method} ${call.operationId}`) });
    };
    progress(`[issues] create-tracking-issue on the GitHub stand-in: ${WORK.map((w) => w.key).join(', ')}, ${ROUNDS} rounds`);
    for (let round = 0; round < ROUNDS; round += 1) {
      const base = { title: `Deploy ${round} to staging`, body: 'Version v1.4.2.', labels: 'deploy, staging', assignees: 'octocat' };
      await run('create', base, round);
      await run('rerun', base, round);
      await run('update', { ...base, body: 'Version v1.4.3.' }, round);
      await run('comment', { ...base, mode: 'comment', 'comment-body': 'Still going at {{ short-sha }}.' }, round);
    }
    const violations = standIn.violations();
    if (violations.length > 0) errors.push(`${violations.length} OpenAPI violations on the stand-in: ${JSON.stringify(violations[0]).slice(0, 300)}`);
  } finally {
    await standIn.stop();
  }
  return { counted, errors, lines: report(counted, errors) };
}

function report(counted, errors) {
  const lines = ['create-tracking-issue: GitHub API calls per run, counted on the GitHub stand-in (ours measured; peers READ FROM THEIR SOURCES, not run: none installs from npm)'];
  const header = ['work', 'ours: calls (writes), action, ms', ...PEERS.map((p) => `${p.name} (read)`)];
  const rows = WORK.map(({ key, what }) => {
    const runs = counted.get(key);
    const calls = median(runs.map((r) => r.calls));
    const writes = median(runs.map((r) => r.writes));
    const same = runs.every((r) => r.calls === runs[0].calls);
    const ours = `${calls} (${writes})${same ? '' : ' varied'}, ${runs[0]?.action ?? '?'}, ${Math.round(median(runs.map((r) => r.ms)))} ms`;
    const peers = PEERS.map((peer) => (peer[key] ? `${peer[key].calls} -> ours/peer ${(calls / peer[key].calls).toFixed(2)}x` : 'cannot'));
    return [what, ours, ...peers];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  lines.push(line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line));
  lines.push('', 'Our calls, as the stand-in answered them (first round):');
  for (const { key, what } of WORK) lines.push(`  ${what}: ${counted.get(key)[0]?.list.join(', ') ?? 'none'}`);
  lines.push('', 'The peers, read from:');
  for (const peer of PEERS) {
    lines.push(`  ${peer.name}, ${peer.source}:`);
    for (const { key, what } of WORK) lines.push(`    ${what}: ${peer[key] ? `${peer[key].calls} calls (${peer[key].note})` : 'cannot do it'}`);
  }
  for (const error of errors) lines.push(`  ! ${error}`);
  return lines;
}
