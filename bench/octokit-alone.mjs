// The floor of an action that calls GitHub as the project's rules ask (octokit from
// @actions/github with octokit's throttling and retry plugins): a bundle of @actions/core and that
// client alone, which reads one input and lists the issues under it (GITHUB_API_URL-style root),
// one call. bench/run.mjs bundles it with scripts/bundle.js and prints create-tracking-issue
// against it (information next to the goal against @actions/core alone, not a goal of its own).
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

const url = core.getInput('url');
const octokit = getOctokit('bench-token', { baseUrl: url, throttle: { onRateLimit: () => false, onSecondaryRateLimit: () => false } }, throttling, retry);
try {
  await octokit.request('GET /repos/{owner}/{repo}/issues', { owner: 'bench', repo: 'bench', state: 'open' });
} catch {
  // The bench's server answers text, not JSON; only the time to the request counts.
}
process.exit(0);
