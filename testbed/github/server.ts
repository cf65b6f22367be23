// A local stand-in for the part of GitHub's REST API the project's actions call: issues, issue
// comments, labels, deployments and their statuses, and the repository. It keeps state like GitHub
// does (issue numbers, label auto-creation, state_reason, auto-inactive deployment statuses, Link
// pagination) and holds every request and every answer to the operations' schemas, cut from GitHub's
// own OpenAPI description (openapi-subset.json): a violation answers 400 in GitHub's error shape and
// is recorded, so a test asserts there were none. It never answers 5xx on its own: octokit's retry
// plugin would repeat a write. Faults are injected per operation: rate limits, 429, a 502 after the
// write went through, slow answers.
//
// The API is served at the root (api.github.com style) and under /api/v3 (GitHub Enterprise Server),
// so GITHUB_API_URL can be either. Erasable TypeScript with `./x.ts` sibling imports, so plain
// Node 24 can run it.

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeErrors, loadContract, readParameter, type Operation } from './openapi.ts';

type Json = Record<string, any>;

export interface StandInUser {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  author: string;
  /** Label names, as attached. */
  labels: string[];
  assignees: string[];
  /** A milestone number. */
  milestone: number | null;
  state: 'open' | 'closed';
  stateReason: string | null;
  closedBy: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface MilestoneRecord {
  id: number;
  number: number;
  title: string;
  state: 'open' | 'closed';
}

export interface DeploymentStatusRecord {
  id: number;
  state: string;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  creator: string;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: Json | string;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  transient: boolean;
  production: boolean;
  creator: string;
  createdAt: string;
  updatedAt: string;
  /** Oldest first. */
  statuses: DeploymentStatusRecord[];
}

export type FaultKind = 'secondary-rate-limit' | 'primary-rate-limit' | 'too-many-requests' | 'bad-gateway-after-write' | 'slow';

export interface Fault {
  kind: FaultKind;
  /** The operationId it hits (`issues/create`), or `*` for any. */
  operation: string;
  /** How many matching calls it hits; 1 unless told. */
  times?: number;
  /** secondary-rate-limit, too-many-requests: the retry-after header in seconds (secondary: 1 unless told; 429: none unless told). */
  retryAfter?: number;
  /** primary-rate-limit: seconds until x-ratelimit-reset (1 unless told); the status, 403 unless told (GitHub sends 403 or 429). */
  resetIn?: number;
  status?: 403 | 429;
  /** slow: how long the answer is held back, after the call was carried out (1000 ms unless told). */
  delayMs?: number;
}

export interface RecordedCall {
  method: string;
  /** Below the API root, without the query: /repos/o/r/issues */
  path: string;
  /** '' (api.github.com style) or '/api/v3' (GitHub Enterprise Server). */
  root: string;
  query: string;
  /** Absent for a route the stand-in does not serve. */
  operationId?: string;
  status: number;
  /** The injected fault that answered, if any. */
  fault?: FaultKind;
  /** performance.now() when the request arrived. */
  at: number;
  durationMs: number;
}

export interface Violation {
  /** What broke the contract: the client's request, or the stand-in's own answer. */
  side: 'request' | 'response';
  method: string;
  path: string;
  operationId?: string;
  status?: number;
  problems: string[];
}

export interface GitHubStandInOptions {
  /** The token every call must carry; a random `ghs_…` unless told. */
  token?: string;
  owner?: string;
  repo?: string;
  /** Who the token belongs to; github-actions[bot], as GITHUB_TOKEN, unless told. */
  user?: StandInUser;
  /** Logins that may be assigned, beside the token's user. */
  collaborators?: string[];
  /** Milestones that exist; numbered 1, 2, … in order. */
  milestones?: Array<{ title: string; state?: 'open' | 'closed' }>;
  /** Branch and tag names with their commit; a deployment's ref is one of these or a 40-hex sha. */
  refs?: Record<string, string>;
  defaultBranch?: string;
  port?: number;
}

export interface GitHubStandIn {
  /** Origin, e.g. http://127.0.0.1:40123; also the API root (api.github.com style). */
  url: string;
  /** The API root of the GitHub Enterprise Server style: `${url}/api/v3`. */
  ghesApiUrl: string;
  token: string;
  owner: string;
  repo: string;
  /** What an action needs to reach the stand-in: GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_REPOSITORY. */
  env(options?: { ghes?: boolean }): Record<string, string>;
  /** The state as GitHub would show it; records are copies. */
  issues(): IssueRecord[];
  comments(issueNumber?: number): CommentRecord[];
  labels(): LabelRecord[];
  deployments(): DeploymentRecord[];
  /** An issue as the REST API answers it (what a user sees on GitHub). */
  issueJson(issueNumber: number): Json | undefined;
  /** Puts an issue straight into the state, without a call (for tests that need many). */
  seedIssue(issue: Partial<Omit<IssueRecord, 'id' | 'number'>> & { title: string }): IssueRecord;
  inject(fault: Fault): void;
  /** Faults injected and not yet used up. */
  pendingFaults(): Fault[];
  /** Every call answered so far, in order. */
  calls(): RecordedCall[];
  violations(): Violation[];
  /** Forgets the calls and violations recorded so far (the state stays). */
  clearRecords(): void;
  stop(): Promise<void>;
}

const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** GitHub's limits on issue and comment text, in characters as GitHub (Ruby) counts them: code points. */
const MAX_BODY_CHARACTERS = 65536;
const MAX_TITLE_CHARACTERS = 256;
const RATE_LIMIT = 5000;
const DOCS = 'https://docs.github.com/rest';
const SECONDARY_RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
const PRIMARY_RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits';
const GHES_ROOT = '/api/v3';

/** An answer an operation handler gives: the status and the JSON body. */
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A refusal GitHub would give (404, 422 …), thrown by a handler. */
class ApiError extends Error {
  status: number;
  body: Json;
  constructor(status: number, body: Json) {
    super(String(body.message));
    this.status = status;
    this.body = body;
  }
}

interface Call {
  params: Record<string, any>;
  query: Record<string, any>;
  body: Json;
  /** Where URLs in answers point: the API root the call came in on, and the web origin. */
  apiBase: string;
  webBase: string;
  /** The request's path and query, for Link headers. */
  path: string;
  search: URLSearchParams;
  operation: Operation;
}

type Handler = (call: Call) => Answer;

export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const contract = loadContract();
  const token = options.token ?? `ghs_${randomBytes(18).toString('base64url')}`;
  const owner = options.owner ?? 'octo-org';
  const repo = options.repo ?? 'deploy-target';
  const tokenUser: StandInUser = options.user ?? { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
  const defaultBranch = options.defaultBranch ?? 'main';
  const refs: Record<string, string> = options.refs ?? { [defaultBranch]: 'a'.repeat(40) };
  const repositoryId = 700000001;
  const users = new Map<string, StandInUser>([[tokenUser.login.toLowerCase(), tokenUser]]);
  let nextUserId = 1001;
  for (const login of options.collaborators ?? ['octocat', 'hubot', 'monalisa']) users.set(login.toLowerCase(), { login, id: nextUserId++, type: 'User' });
  const ownerUser: StandInUser = { login: owner, id: 9000001, type: 'Organization' };

  const issues: IssueRecord[] = [];
  const comments: CommentRecord[] = [];
  const labels: LabelRecord[] = [];
  const deployments: DeploymentRecord[] = [];
  const milestones: MilestoneRecord[] = (options.milestones ?? [{ title: 'v1' }]).map((milestone, index) => ({
    id: 8000001 + index,
    number: index + 1,
    title: milestone.title,
    state: milestone.state ?? 'open'
  }));
  const ids = { issue: 1000000001, comment: 2000000001, label: 3000000001, deployment: 4000000001, status: 5000000001 };
  const createdAt = timestamp();

  const calls: RecordedCall[] = [];
  const violations: Violation[] = [];
  const faults: Array<Fault & { remaining: number }> = [];
  let rateUsed = 0;
  const rateReset = Math.floor(Date.now() / 1000) + 3600;

  // ---- how records look through the API (everything here is held to the cut's schemas) ----

  const userJson = (login: string, webBase: string, apiBase: string): Json => {
    const user = users.get(login.toLowerCase()) ?? (login === owner ? ownerUser : { login, id: 0, type: 'User' });
    const api = `${apiBase}/users/${encodeURIComponent(user.login)}`;
    return {
      login: user.login,
      id: user.id,
      node_id: nodeId(user.type === 'Organization' ? 'O' : user.type === 'Bot' ? 'BOT' : 'U', user.id),
      avatar_url: `${webBase}/avatars/u/${user.id}`,
      gravatar_id: '',
      url: api,
      html_url: `${webBase}/${encodeURIComponent(user.login)}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: user.type,
      user_view_type: 'public',
      site_admin: false
    };
  };

  const repoApi = (apiBase: string) => `${apiBase}/repos/${owner}/${repo}`;
  const repoWeb = (webBase: string) => `${webBase}/${owner}/${repo}`;

  const labelJson = (label: LabelRecord, apiBase: string): Json => ({
    id: label.id,
    node_id: nodeId('LA', label.id),
    url: `${repoApi(apiBase)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false
  });

  const milestoneJson = (milestone: MilestoneRecord, webBase: string, apiBase: string): Json => {
    const inIt = issues.filter((issue) => issue.milestone === milestone.number);
    return {
      url: `${repoApi(apiBase)}/milestones/${milestone.number}`,
      html_url: `${repoWeb(webBase)}/milestone/${milestone.number}`,
      labels_url: `${repoApi(apiBase)}/milestones/${milestone.number}/labels`,
      id: milestone.id,
      node_id: nodeId('MI', milestone.id),
      number: milestone.number,
      state: milestone.state,
      title: milestone.title,
      description: null,
      creator: userJson(owner, webBase, apiBase),
      open_issues: inIt.filter((issue) => issue.state === 'open').length,
      closed_issues: inIt.filter((issue) => issue.state === 'closed').length,
      created_at: createdAt,
      updated_at: createdAt,
      closed_at: null,
      due_on: null
    };
  };

  const issueJson = (issue: IssueRecord, webBase: string, apiBase: string): Json => {
    const api = `${repoApi(apiBase)}/issues/${issue.number}`;
    const milestone = milestones.find((candidate) => candidate.number === issue.milestone);
    const assignees = issue.assignees.map((login) => userJson(login, webBase, apiBase));
    return {
      id: issue.id,
      node_id: nodeId('I', issue.id),
      url: api,
      repository_url: repoApi(apiBase),
      labels_url: `${api}/labels{/name}`,
      comments_url: `${api}/comments`,
      events_url: `${api}/events`,
      html_url: `${repoWeb(webBase)}/issues/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.stateReason,
      title: issue.title,
      body: issue.body,
      user: userJson(issue.author, webBase, apiBase),
      labels: issue.labels.map((name) => labelJson(findLabel(name)!, apiBase)),
      assignee: assignees[0] ?? null,
      assignees,
      milestone: milestone ? milestoneJson(milestone, webBase, apiBase) : null,
      locked: false,
      active_lock_reason: null,
      comments: comments.filter((comment) => comment.issueNumber === issue.number).length,
      closed_at: issue.closedAt,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_by: issue.closedBy ? userJson(issue.closedBy, webBase, apiBase) : null,
      author_association: 'NONE',
      timeline_url: `${api}/timeline`,
      performed_via_github_app: null,
      reactions: reactionsJson(`${api}/reactions`)
    };
  };

  const commentJson = (comment: CommentRecord, webBase: string, apiBase: string): Json => ({
    id: comment.id,
    node_id: nodeId('IC', comment.id),
    url: `${repoApi(apiBase)}/issues/comments/${comment.id}`,
    html_url: `${repoWeb(webBase)}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userJson(comment.author, webBase, apiBase),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${repoApi(apiBase)}/issues/${comment.issueNumber}`,
    author_association: 'NONE',
    performed_via_github_app: null,
    reactions: reactionsJson(`${repoApi(apiBase)}/issues/comments/${comment.id}/reactions`)
  });

  const deploymentJson = (deployment: DeploymentRecord, webBase: string, apiBase: string): Json => {
    const api = `${repoApi(apiBase)}/deployments/${deployment.id}`;
    return {
      url: api,
      id: deployment.id,
      node_id: nodeId('DE', deployment.id),
      sha: deployment.sha,
      ref: deployment.ref,
      task: deployment.task,
      payload: deployment.payload,
      original_environment: deployment.originalEnvironment,
      environment: deployment.environment,
      description: deployment.description,
      creator: userJson(deployment.creator, webBase, apiBase),
      created_at: deployment.createdAt,
      updated_at: deployment.updatedAt,
      statuses_url: `${api}/statuses`,
      repository_url: repoApi(apiBase),
      transient_environment: deployment.transient,
      production_environment: deployment.production,
      performed_via_github_app: null
    };
  };

  const statusJson = (deployment: DeploymentRecord, status: DeploymentStatusRecord, webBase: string, apiBase: string): Json => ({
    url: `${repoApi(apiBase)}/deployments/${deployment.id}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId('DES', status.id),
    state: status.state,
    creator: userJson(status.creator, webBase, apiBase),
    description: status.description,
    environment: status.environment,
    target_url: status.targetUrl,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: `${repoApi(apiBase)}/deployments/${deployment.id}`,
    repository_url: repoApi(apiBase),
    environment_url: status.environmentUrl,
    log_url: status.logUrl,
    performed_via_github_app: null
  });

  const repositoryJson = (webBase: string, apiBase: string): Json => {
    const api = repoApi(apiBase);
    const web = repoWeb(webBase);
    const host = new URL(webBase).host;
    const open = issues.filter((issue) => issue.state === 'open').length;
    return {
      id: repositoryId,
      node_id: nodeId('R', repositoryId),
      name: repo,
      full_name: `${owner}/${repo}`,
      owner: userJson(owner, webBase, apiBase),
      private: false,
      html_url: web,
      description: null,
      fork: false,
      url: api,
      archive_url: `${api}/{archive_format}{/ref}`,
      assignees_url: `${api}/assignees{/user}`,
      blobs_url: `${api}/git/blobs{/sha}`,
      branches_url: `${api}/branches{/branch}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      comments_url: `${api}/comments{/number}`,
      commits_url: `${api}/commits{/sha}`,
      compare_url: `${api}/compare/{base}...{head}`,
      contents_url: `${api}/contents/{+path}`,
      contributors_url: `${api}/contributors`,
      deployments_url: `${api}/deployments`,
      downloads_url: `${api}/downloads`,
      events_url: `${api}/events`,
      forks_url: `${api}/forks`,
      git_commits_url: `${api}/git/commits{/sha}`,
      git_refs_url: `${api}/git/refs{/sha}`,
      git_tags_url: `${api}/git/tags{/sha}`,
      git_url: `git://${host}/${owner}/${repo}.git`,
      issue_comment_url: `${api}/issues/comments{/number}`,
      issue_events_url: `${api}/issues/events{/number}`,
      issues_url: `${api}/issues{/number}`,
      keys_url: `${api}/keys{/key_id}`,
      labels_url: `${api}/labels{/name}`,
      languages_url: `${api}/languages`,
      merges_url: `${api}/merges`,
      milestones_url: `${api}/milestones{/number}`,
      notifications_url: `${api}/notifications{?since,all,participating}`,
      pulls_url: `${api}/pulls{/number}`,
      releases_url: `${api}/releases{/id}`,
      ssh_url: `git@${host}:${owner}/${repo}.git`,
      stargazers_url: `${api}/stargazers`,
      statuses_url: `${api}/statuses/{sha}`,
      subscribers_url: `${api}/subscribers`,
      subscription_url: `${api}/subscription`,
      tags_url: `${api}/tags`,
      teams_url: `${api}/teams`,
      trees_url: `${api}/git/trees{/sha}`,
      clone_url: `${web}.git`,
      mirror_url: null,
      hooks_url: `${api}/hooks`,
      svn_url: web,
      homepage: null,
      language: 'TypeScript',
      forks_count: 0,
      forks: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      size: 1,
      default_branch: defaultBranch,
      open_issues_count: open,
      open_issues: open,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: 'public',
      pushed_at: createdAt,
      created_at: createdAt,
      updated_at: createdAt,
      permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
      allow_forking: true,
      web_commit_signoff_required: false,
      license: null,
      network_count: 0,
      subscribers_count: 0
    };
  };

  // ---- state helpers ----

  const findLabel = (name: string) => labels.find((label) => label.name.toLowerCase() === name.toLowerCase());
  const ensureLabel = (name: string): LabelRecord => {
    // Like GitHub, a label an issue names that does not exist yet is created (grey, no description).
    const found = findLabel(name);
    if (found) return found;
    const label: LabelRecord = { id: ids.label++, name, color: 'ededed', description: null };
    labels.push(label);
    return label;
  };
  const findIssue = (number: number): IssueRecord => {
    const issue = issues.find((candidate) => candidate.number === number);
    if (!issue) throw notFound();
    return issue;
  };
  const findDeployment = (id: number): DeploymentRecord => {
    const deployment = deployments.find((candidate) => candidate.id === id);
    if (!deployment) throw notFound();
    return deployment;
  };
  const nextIssueNumber = () => issues.reduce((highest, issue) => Math.max(highest, issue.number), 0) + 1;

  const readLabels = (value: unknown): string[] =>
    ((value ?? []) as Array<string | { name?: string }>).map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter((name) => name !== '');
  const readAssignees = (value: unknown, resource: string): string[] => {
    const logins = ((value ?? []) as Array<string | { login?: string }>).map((assignee) => (typeof assignee === 'string' ? assignee : (assignee.login ?? '')));
    return logins.map((login) => {
      const user = users.get(login.toLowerCase());
      if (!user) throw validationFailed([{ resource, code: 'invalid', field: 'assignees', value: login }]);
      return user.login;
    });
  };
  const readMilestone = (value: unknown, resource: string): number | null => {
    if (value === null) return null;
    const number = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
    if (!milestones.some((milestone) => milestone.number === number)) throw validationFailed([{ resource, code: 'invalid', field: 'milestone', value: String(value) }]);
    return number;
  };
  const readTitle = (value: unknown, resource: string): string => {
    const title = String(value ?? '').trim();
    if (title === '') throw validationFailed([{ resource, code: 'missing_field', field: 'title' }]);
    if ([...title].length > MAX_TITLE_CHARACTERS) throw validationFailed([{ resource, code: 'custom', field: 'title', message: `title is too long (maximum is ${MAX_TITLE_CHARACTERS} characters)` }]);
    return title;
  };
  const readText = (value: unknown, resource: string, field: string): string | null => {
    if (value === null || value === undefined) return null;
    const text = String(value);
    if ([...text].length > MAX_BODY_CHARACTERS) {
      throw validationFailed([{ resource, code: 'custom', field, message: `${field} is too long (maximum is ${MAX_BODY_CHARACTERS} characters)` }]);
    }
    return text;
  };

  /** One page of `items` and GitHub's Link header for the others (rel prev, next, last, first). */
  const paginate = <T>(items: T[], call: Call): { items: T[]; headers: Record<string, string> } => {
    const perPage = Math.min(Math.max(Number(call.query.per_page ?? 30) || 30, 1), 100);
    const page = Math.max(Number(call.query.page ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (to: number, rel: string) => {
      const search = new URLSearchParams(call.search);
      search.set('page', String(to));
      return `<${call.apiBase}${call.path}?${search}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'));
    return { items: items.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} };
  };

  const sorted = <T>(items: T[], key: (item: T) => string | number, direction: 'asc' | 'desc') =>
    [...items].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const order = x < y ? -1 : x > y ? 1 : 0;
      return direction === 'asc' ? order : -order;
    });

  // ---- the operations, by operationId ----

  const handlers: Record<string, Handler> = {
    'repos/get': (call) => ({ status: 200, body: repositoryJson(call.webBase, call.apiBase) }),

    'issues/list-for-repo': (call) => {
      const { state = 'open', labels: labelFilter, assignee, creator, milestone, since, sort = 'created', direction = 'desc' } = call.query;
      const wanted = labelFilter ? String(labelFilter).split(',').map((name) => name.trim().toLowerCase()).filter(Boolean) : [];
      const matching = issues.filter(
        (issue) =>
          (state === 'all' || issue.state === state) &&
          wanted.every((name) => issue.labels.some((label) => label.toLowerCase() === name)) &&
          (assignee === undefined || (assignee === '*' ? issue.assignees.length > 0 : assignee === 'none' ? issue.assignees.length === 0 : issue.assignees.some((login) => login.toLowerCase() === String(assignee).toLowerCase()))) &&
          (creator === undefined || issue.author.toLowerCase() === String(creator).toLowerCase()) &&
          (milestone === undefined || (milestone === '*' ? issue.milestone !== null : milestone === 'none' ? issue.milestone === null : String(issue.milestone) === String(milestone))) &&
          (since === undefined || issue.updatedAt >= isoSeconds(String(since)))
      );
      const key = (issue: IssueRecord) => (sort === 'updated' ? issue.updatedAt : sort === 'comments' ? comments.filter((comment) => comment.issueNumber === issue.number).length : issue.number);
      const page = paginate(sorted(matching, key, direction), call);
      return { status: 200, body: page.items.map((issue) => issueJson(issue, call.webBase, call.apiBase)), headers: page.headers };
    },

    'issues/create': (call) => {
      const { body } = call;
      const title = readTitle(body.title, 'Issue');
      const text = readText(body.body, 'Issue', 'body');
      const assignees = readAssignees([...(body.assignee ? [body.assignee] : []), ...((body.assignees as unknown[] | undefined) ?? [])], 'Issue');
      const milestone = body.milestone === undefined ? null : readMilestone(body.milestone, 'Issue');
      const now = timestamp();
      const issue: IssueRecord = {
        id: ids.issue++,
        number: nextIssueNumber(),
        title,
        body: text,
        author: tokenUser.login,
        labels: unique(readLabels(body.labels).map((name) => ensureLabel(name).name)),
        assignees: unique(assignees),
        milestone,
        state: 'open',
        stateReason: null,
        closedBy: null,
        createdAt: now,
        updatedAt: now,
        closedAt: null
      };
      issues.push(issue);
      return { status: 201, body: issueJson(issue, call.webBase, call.apiBase), headers: { location: `${repoApi(call.apiBase)}/issues/${issue.number}` } };
    },

    'issues/get': (call) => ({ status: 200, body: issueJson(findIssue(call.params.issue_number), call.webBase, call.apiBase) }),

    'issues/update': (call) => {
      const issue = findIssue(call.params.issue_number);
      const { body } = call;
      const next: IssueRecord = { ...issue };
      if ('title' in body && body.title !== null) next.title = readTitle(body.title, 'Issue');
      if ('body' in body) next.body = readText(body.body, 'Issue', 'body');
      if ('assignees' in body) next.assignees = unique(readAssignees(body.assignees, 'Issue'));
      else if ('assignee' in body) next.assignees = body.assignee === null ? [] : readAssignees([body.assignee], 'Issue');
      if ('milestone' in body) next.milestone = readMilestone(body.milestone, 'Issue');
      if ('labels' in body) next.labels = unique(readLabels(body.labels).map((name) => ensureLabel(name).name));
      const reason = body.state_reason as string | null | undefined;
      if (body.state === 'closed' && issue.state === 'open') {
        Object.assign(next, { state: 'closed', stateReason: reason ?? 'completed', closedAt: timestamp(), closedBy: tokenUser.login });
      } else if (body.state === 'open' && issue.state === 'closed') {
        Object.assign(next, { state: 'open', stateReason: 'reopened', closedAt: null, closedBy: null });
      } else if (reason !== undefined && next.state === 'closed') {
        next.stateReason = reason;
      }
      next.updatedAt = timestamp();
      Object.assign(issue, next);
      return { status: 200, body: issueJson(issue, call.webBase, call.apiBase) };
    },

    'issues/list-comments': (call) => {
      const issue = findIssue(call.params.issue_number);
      const since = call.query.since === undefined ? undefined : isoSeconds(String(call.query.since));
      const own = comments.filter((comment) => comment.issueNumber === issue.number && (since === undefined || comment.updatedAt >= since));
      const page = paginate(own, call);
      return { status: 200, body: page.items.map((comment) => commentJson(comment, call.webBase, call.apiBase)), headers: page.headers };
    },

    'issues/create-comment': (call) => {
      const issue = findIssue(call.params.issue_number);
      const text = readText(call.body.body, 'IssueComment', 'body') ?? '';
      if (text.trim() === '') throw validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
      const now = timestamp();
      const comment: CommentRecord = { id: ids.comment++, issueNumber: issue.number, body: text, author: tokenUser.login, createdAt: now, updatedAt: now };
      comments.push(comment);
      issue.updatedAt = now;
      return { status: 201, body: commentJson(comment, call.webBase, call.apiBase), headers: { location: `${repoApi(call.apiBase)}/issues/comments/${comment.id}` } };
    },

    'issues/update-comment': (call) => {
      const comment = comments.find((candidate) => candidate.id === call.params.comment_id);
      if (!comment) throw notFound();
      const text = readText(call.body.body, 'IssueComment', 'body') ?? '';
      if (text.trim() === '') throw validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
      comment.body = text;
      comment.updatedAt = timestamp();
      return { status: 200, body: commentJson(comment, call.webBase, call.apiBase) };
    },

    'issues/get-label': (call) => {
      const label = findLabel(String(call.params.name));
      if (!label) throw notFound();
      return { status: 200, body: labelJson(label, call.apiBase) };
    },

    'issues/create-label': (call) => {
      const name = String(call.body.name).trim();
      if (name === '') throw validationFailed([{ resource: 'Label', code: 'missing_field', field: 'name' }]);
      if (findLabel(name)) throw validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }]);
      const color = String(call.body.color ?? 'ededed').replace(/^#/, '');
      if (!/^[0-9a-fA-F]{6}$/.test(color)) throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'color' }]);
      const label: LabelRecord = { id: ids.label++, name, color: color.toLowerCase(), description: (call.body.description as string | undefined) ?? null };
      labels.push(label);
      return { status: 201, body: labelJson(label, call.apiBase), headers: { location: labelJson(label, call.apiBase).url } };
    },

    'repos/list-deployments': (call) => {
      const { sha, ref, task, environment } = call.query;
      const matching = deployments.filter(
        (deployment) =>
          (sha === undefined || deployment.sha === sha) &&
          (ref === undefined || deployment.ref === ref) &&
          (task === undefined || deployment.task === task) &&
          (environment === undefined || deployment.environment === environment)
      );
      const page = paginate(sorted(matching, (deployment) => deployment.id, 'desc'), call);
      return { status: 200, body: page.items.map((deployment) => deploymentJson(deployment, call.webBase, call.apiBase)), headers: page.headers };
    },

    'repos/create-deployment': (call) => {
      const { body } = call;
      const ref = String(body.ref);
      const sha = refs[ref] ?? (/^[0-9a-f]{40}$/.test(ref) ? ref : undefined);
      if (!sha) throw new ApiError(422, { message: `No ref found for: ${ref}`, documentation_url: call.operation.documentationUrl, status: '422' });
      const environment = (body.environment as string | undefined) ?? 'production';
      const now = timestamp();
      const deployment: DeploymentRecord = {
        id: ids.deployment++,
        sha,
        ref,
        task: (body.task as string | undefined) ?? 'deploy',
        payload: (body.payload as Json | string | undefined) ?? {},
        environment,
        originalEnvironment: environment,
        description: (body.description as string | null | undefined) ?? null,
        transient: (body.transient_environment as boolean | undefined) ?? false,
        production: (body.production_environment as boolean | undefined) ?? environment === 'production',
        creator: tokenUser.login,
        createdAt: now,
        updatedAt: now,
        statuses: []
      };
      deployments.push(deployment);
      return { status: 201, body: deploymentJson(deployment, call.webBase, call.apiBase) };
    },

    'repos/list-deployment-statuses': (call) => {
      const deployment = findDeployment(call.params.deployment_id);
      const page = paginate(sorted(deployment.statuses, (status) => status.id, 'desc'), call);
      return { status: 200, body: page.items.map((status) => statusJson(deployment, status, call.webBase, call.apiBase)), headers: page.headers };
    },

    'repos/create-deployment-status': (call) => {
      const deployment = findDeployment(call.params.deployment_id);
      const { body } = call;
      const now = timestamp();
      if (typeof body.environment === 'string' && body.environment !== '') deployment.environment = body.environment;
      const status: DeploymentStatusRecord = {
        id: ids.status++,
        state: String(body.state),
        description: (body.description as string | undefined) ?? '',
        environment: deployment.environment,
        targetUrl: (body.target_url as string | undefined) ?? '',
        logUrl: (body.log_url as string | undefined) ?? (body.target_url as string | undefined) ?? '',
        environmentUrl: (body.environment_url as string | undefined) ?? '',
        creator: tokenUser.login,
        createdAt: now
      };
      deployment.statuses.push(status);
      deployment.updatedAt = now;
      // auto_inactive (default true): earlier successful deployments to the same environment that are
      // neither transient nor production get an inactive status, as GitHub documents.
      if (status.state === 'success' && body.auto_inactive !== false) {
        for (const earlier of deployments) {
          if (earlier === deployment || earlier.id > deployment.id || earlier.environment !== deployment.environment) continue;
          if (earlier.transient || earlier.production || earlier.statuses.at(-1)?.state !== 'success') continue;
          earlier.statuses.push({ ...status, id: ids.status++, state: 'inactive', description: '', environment: earlier.environment, targetUrl: '', logUrl: '', environmentUrl: '' });
          earlier.updatedAt = now;
        }
      }
      return { status: 201, body: statusJson(deployment, status, call.webBase, call.apiBase) };
    }
  };

  for (const operation of contract.operations) {
    if (!handlers[operation.operationId]) throw new Error(`the GitHub stand-in has no handler for ${operation.operationId} of openapi-subset.json`);
  }

  // ---- HTTP ----

  const takeFault = (operationId: string): (Fault & { remaining: number }) | undefined => {
    const fault = faults.find((candidate) => candidate.operation === '*' || candidate.operation === operationId);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(faults.indexOf(fault), 1);
    return fault;
  };

  const server = createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      void serve(req, res, Buffer.concat(chunks), size, at).catch((error: unknown) => {
        // A stand-in defect is still answered 4xx: a 5xx would make octokit repeat a write.
        violations.push({ side: 'response', method: req.method ?? '', path: req.url ?? '', problems: [`the stand-in failed: ${String(error)}`] });
        if (!res.headersSent) send(res, 400, { message: `The GitHub stand-in failed: ${String(error)}`, documentation_url: DOCS, status: '400' });
      });
    });
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    rateUsed += 1;
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': randomUUID().toUpperCase().slice(0, 23),
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(Math.max(RATE_LIMIT - rateUsed, 0)),
      'x-ratelimit-used': String(rateUsed),
      'x-ratelimit-reset': String(rateReset),
      'x-ratelimit-resource': 'core',
      ...headers,
      'content-length': String(Buffer.byteLength(text))
    });
    res.end(text);
  };

  async function serve(req: IncomingMessage, res: ServerResponse, raw: Buffer, size: number, at: number): Promise<void> {
    const method = req.method ?? 'GET';
    const target = new URL(req.url ?? '/', 'http://stand-in.invalid');
    const root = target.pathname === GHES_ROOT || target.pathname.startsWith(`${GHES_ROOT}/`) ? GHES_ROOT : '';
    const path = target.pathname.slice(root.length) || '/';
    const webBase = `http://${req.headers.host ?? `127.0.0.1:${port}`}`;
    const apiBase = `${webBase}${root}`;
    const record: RecordedCall = { method, path, root, query: target.search, status: 0, at, durationMs: 0 };
    calls.push(record);
    const finish = (status: number, body: unknown, headers?: Record<string, string>) => {
      record.status = status;
      record.durationMs = performance.now() - at;
      send(res, status, body, headers);
    };

    let operation: Operation | undefined;
    let match: RegExpExecArray | null = null;
    for (const candidate of contract.operations) {
      if (candidate.method !== method) continue;
      match = candidate.pattern.exec(path);
      if (match) {
        operation = candidate;
        break;
      }
    }
    if (!operation || !match) return finish(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    record.operationId = operation.operationId;
    const documentation_url = operation.documentationUrl;

    const authorization = req.headers.authorization ?? '';
    const given = /^(?:token|bearer)\s+(.+)$/i.exec(authorization)?.[1];
    if (given !== token) {
      const message = authorization === '' ? 'Requires authentication' : 'Bad credentials';
      return finish(401, { message, documentation_url: DOCS, status: '401' });
    }

    // The request against the operation's schemas.
    const problems: string[] = [];
    const params: Record<string, unknown> = {};
    operation.pathParameters.forEach((name, index) => {
      const text = decodeURIComponent(match[index + 1] ?? '');
      params[name] = readParameter(text, operation.parameterTypes.get(name) ?? ['string']);
    });
    if (!operation.validatePath(params)) problems.push(...describeErrors('path', operation.validatePath.errors));
    const query: Record<string, unknown> = {};
    for (const name of new Set(target.searchParams.keys())) {
      const values = target.searchParams.getAll(name);
      if (values.length > 1) problems.push(`query ${name} is given ${values.length} times`);
      query[name] = readParameter(values[0] ?? '', operation.parameterTypes.get(name) ?? ['string']);
    }
    if (!operation.validateQuery(query)) problems.push(...describeErrors('query', operation.validateQuery.errors));
    let body: Json = {};
    if (size > MAX_REQUEST_BYTES) problems.push(`body is over ${MAX_REQUEST_BYTES} bytes`);
    else if (raw.length > 0) {
      if (!operation.validateBody) problems.push(`${operation.operationId} takes no body`);
      else {
        try {
          body = JSON.parse(raw.toString('utf8')) as Json;
        } catch {
          problems.push('body is not JSON');
          return violation('request', 'Problems parsing JSON', problems);
        }
        if (!operation.validateBody(body)) problems.push(...describeErrors('body', operation.validateBody.errors));
      }
    } else if (operation.bodyRequired) problems.push('body is required');
    if (problems.length > 0) return violation('request', `Invalid request.\n\n${problems.join('\n')}`, problems);

    if (owner.toLowerCase() !== String(params.owner).toLowerCase() || repo.toLowerCase() !== String(params.repo).toLowerCase()) {
      return answer({ status: 404, body: { message: 'Not Found', documentation_url, status: '404' } });
    }

    const fault = takeFault(operation.operationId);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'secondary-rate-limit') {
      return finish(
        403,
        {
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${randomUUID().toUpperCase().slice(0, 23)}.`,
          documentation_url: SECONDARY_RATE_LIMIT_DOCS,
          status: '403'
        },
        { 'retry-after': String(fault.retryAfter ?? 1) }
      );
    }
    if (fault?.kind === 'primary-rate-limit') {
      const status = fault.status ?? 403;
      return finish(
        status,
        { message: `API rate limit exceeded for user ID ${tokenUser.id}.`, documentation_url: PRIMARY_RATE_LIMIT_DOCS, status: String(status) },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-used': String(RATE_LIMIT), 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + (fault.resetIn ?? 1)) }
      );
    }
    if (fault?.kind === 'too-many-requests') {
      return finish(429, { message: 'Too Many Requests', documentation_url: DOCS, status: '429' }, fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) });
    }

    const call: Call = { params, query, body, apiBase, webBase, path, search: target.searchParams, operation };
    let result: Answer;
    try {
      result = handlers[operation.operationId]!(call);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      result = { status: error.status, body: { ...error.body, documentation_url } };
    }

    if (fault?.kind === 'bad-gateway-after-write') {
      // The call above did go through; the client only learns that it failed.
      return finish(502, { message: 'Server Error', documentation_url: DOCS, status: '502' });
    }
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000));
    return answer(result);

    function answer(result: Answer) {
      const validate = operation!.responses.get(result.status);
      const problems: string[] = [];
      if (validate === undefined) {
        if (result.status < 400) problems.push(`${operation!.operationId} does not describe a ${result.status} answer`);
        const errorSchema = (result.body as Json).errors ? contract.validateValidationError : contract.validateBasicError;
        if (!errorSchema(result.body)) problems.push(...describeErrors('answer', errorSchema.errors));
      } else if (validate && !validate(result.body)) problems.push(...describeErrors('answer', validate.errors));
      if (problems.length > 0) return violation('response', `The GitHub stand-in's answer breaks the description of ${operation!.operationId}.\n\n${problems.join('\n')}`, problems, result.status);
      return finish(result.status, result.body, result.headers);
    }

    function violation(side: Violation['side'], message: string, problems: string[], status?: number) {
      violations.push({ side, method, path, operationId: operation!.operationId, ...(status === undefined ? {} : { status }), problems });
      const errors = problems.map((problem) => ({ resource: operation!.operationId, code: 'invalid', field: problem.split(' ').slice(0, 2).join(' '), message: problem }));
      return finish(400, { message, documentation_url, errors, status: '400' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const copy = <T>(value: T): T => structuredClone(value);

  return {
    url,
    ghesApiUrl: `${url}${GHES_ROOT}`,
    token,
    owner,
    repo,
    env: ({ ghes = false } = {}) => ({
      GITHUB_API_URL: ghes ? `${url}${GHES_ROOT}` : url,
      GITHUB_SERVER_URL: url,
      GITHUB_REPOSITORY: `${owner}/${repo}`,
      GITHUB_REPOSITORY_OWNER: owner
    }),
    issues: () => copy(issues),
    comments: (issueNumber) => copy(comments.filter((comment) => issueNumber === undefined || comment.issueNumber === issueNumber)),
    labels: () => copy(labels),
    deployments: () => copy(deployments),
    issueJson: (number) => {
      const issue = issues.find((candidate) => candidate.number === number);
      return issue && issueJson(issue, url, url);
    },
    seedIssue: (seed) => {
      const now = timestamp();
      const issue: IssueRecord = {
        body: null,
        author: tokenUser.login,
        labels: [],
        assignees: [],
        milestone: null,
        state: 'open',
        stateReason: null,
        closedBy: null,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        ...seed,
        id: ids.issue++,
        number: nextIssueNumber()
      };
      issue.labels = issue.labels.map((name) => ensureLabel(name).name);
      issues.push(issue);
      return copy(issue);
    },
    inject: (fault) => {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    pendingFaults: () => faults.map(({ remaining, ...fault }) => ({ ...fault, times: remaining })),
    calls: () => copy(calls),
    violations: () => copy(violations),
    clearRecords: () => {
      calls.length = 0;
      violations.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })
  };
}

function notFound(): ApiError {
  return new ApiError(404, { message: 'Not Found', status: '404' });
}

function validationFailed(errors: Json[]): ApiError {
  return new ApiError(422, { message: 'Validation Failed', errors, status: '422' });
}

/** ISO 8601 to the second, as GitHub writes times. */
function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isoSeconds(text: string): string {
  return new Date(text).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function nodeId(prefix: string, id: number): string {
  return `${prefix}_${Buffer.from(`0:${id}`).toString('base64url')}`;
}

function reactionsJson(url: string): Json {
  return { url, total_count: 0, '+1': 0, '-1': 0, laugh: 0, confused: 0, heart: 0, hooray: 0, eyes: 0, rocket: 0 };
}

function unique(values: string[]): string[] {
  return [...new Map(values.map((value) => [value.toLowerCase(), value])).values()];
}
