// The one way the actions talk to GitHub's REST API: @actions/github's octokit with octokit's
// throttling and retry plugins. Rate limits (primary and secondary) are waited out when the wait is
// short, other failures retried with the retry plugin's backoff, except a POST that creates an issue
// or a comment: a 5xx there may come after GitHub did create it, so the call fails instead and the
// caller looks before creating again.

import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** The REST API root: GITHUB_API_URL, else https://api.github.com, unless told (GHES: https://<host>/api/v3). */
  baseUrl?: string;
  /** How many times a rate-limited or failed call is tried again; 3 unless told. */
  retries?: number;
  /** A rate-limit wait longer than this is not waited out: the call fails with GitHub's message. 60 unless told. */
  maxRateLimitWaitSeconds?: number;
  /**
   * octokit's own pacing: writes 1 s apart (3 s for those that notify), the waits a rate limit asks
   * for, the retry plugin's backoff. On unless told, or unless DEPLOY_ACTIONS_GITHUB_DELAYS=off — the
   * test bed's one seam, which keeps every plugin in the path and only takes the waiting out.
   */
  delays?: boolean;
  userAgent?: string;
}

/** The environment variable `delays` defaults from. */
export const DELAYS_ENV = 'DEPLOY_ACTIONS_GITHUB_DELAYS';

const DEFAULT_API_URL = 'https://api.github.com';

export function githubClient(options: GitHubClientOptions): GitHubClient {
  const { token } = options;
  if (token.trim() === '') throw new Error('a GitHub token is required');
  core.setSecret(token);
  const retries = options.retries ?? 3;
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const delays = options.delays ?? process.env[DELAYS_ENV] !== 'off';
  const baseUrl = (options.baseUrl ?? (process.env.GITHUB_API_URL || DEFAULT_API_URL)).replace(/\/+$/, '');

  const onLimit =
    (what: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const call = `${request.method} ${request.url}`;
      if (retryCount >= retries) {
        core.warning(`GitHub's ${what} stopped ${call} ${retryCount + 1} times; giving up.`);
        return false;
      }
      if (retryAfter > maxWait) {
        core.warning(`GitHub's ${what} stopped ${call}; it lifts in ${retryAfter} s, longer than the ${maxWait} s this step waits.`);
        return false;
      }
      core.info(`GitHub's ${what} stopped ${call}; trying again in ${delays ? retryAfter : 0} s.`);
      return true;
    };

  // The throttling plugin's pacing lives in Bottleneck groups it shares across clients; a client
  // without delays gets its own, with the same one-at-a-time writes and no minimum gap.
  const unpaced = () => new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 });
  const octokit = getOctokit(
    token,
    {
      baseUrl,
      userAgent: options.userAgent ?? 'deploy-actions',
      log: { debug: (message: string) => core.debug(message), info: (message: string) => core.debug(message), warn: (message: string) => core.warning(message), error: (message: string) => core.error(message) },
      throttle: {
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
        ...(delays ? {} : { retryAfterBaseValue: 0, write: unpaced(), notifications: unpaced(), search: unpaced() })
      },
      retry: { retries, ...(delays ? {} : { retryAfterBaseValue: 0 }) }
    },
    throttling,
    retry
  );

  octokit.hook.before('request', (request) => {
    if (isIssueCreation(request.method, request.url) || isCommentCreation(request.method, request.url)) request.request = { ...request.request, retries: 0 } as typeof request.request;
  });
  return octokit;
}

/** POST /repos/{owner}/{repo}/issues, as a route template or a path, under any API root. */
export function isIssueCreation(method: string, url: string): boolean {
  return method.toUpperCase() === 'POST' && /^(?:\/api\/v3)?\/repos\/[^/]+\/[^/]+\/issues\/?$/.test(pathOf(url));
}

/** POST /repos/{owner}/{repo}/issues/{issue_number}/comments, as a route template or a path, under any API root. */
export function isCommentCreation(method: string, url: string): boolean {
  return method.toUpperCase() === 'POST' && /^(?:\/api\/v3)?\/repos\/[^/]+\/[^/]+\/issues\/[^/]+\/comments\/?$/.test(pathOf(url));
}

function pathOf(url: string): string {
  return url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
}
