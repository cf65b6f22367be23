// The GitHub stand-in against the real octokit the actions use (through @deploy-actions/github:
// @actions/github with the throttling and retry plugins): every operation it serves round-trips with
// no schema violation, a malformed request is refused and recorded, pagination follows Link headers,
// each injected fault is survived or surfaces the way it should, GHES roots work, and the committed
// cut of GitHub's OpenAPI description is what the installed @octokit/openapi gives.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { githubClient, isCommentCreation, isIssueCreation, type GitHubClient } from '@deploy-actions/github';
import { cutGithubOpenapi, SUBSET_PATH } from '../../scripts/cut-github-openapi.js';
import { loadContract } from '../../testbed/github/openapi.js';
import { startGitHubStandIn, type GitHubStandIn } from '../../testbed/github/server.js';

let standIn: GitHubStandIn;
let github: GitHubClient;
let repo: { owner: string; repo: string };
/** Timings printed at the end, for the record. */
const figures: string[] = [];

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  github = githubClient({ token: standIn.token, baseUrl: standIn.url, delays: false });
  repo = { owner: standIn.owner, repo: standIn.repo };
});

afterEach(() => {
  const [violations, pending] = [standIn.violations(), standIn.pendingFaults()];
  standIn.clearRecords();
  expect(violations).toEqual([]);
  expect(pending).toEqual([]);
});

afterAll(async () => {
  await standIn?.stop();
  if (figures.length > 0) process.stdout.write(`GitHub stand-in figures:\n  ${figures.join('\n  ')}\n`);
});

/** What the stand-in answered, as `METHOD operationId status` lines, in order. */
const answered = () => standIn.calls().map((call) => `${call.method} ${call.operationId ?? call.path} ${call.status}`);

/** A call octokit's types would refuse to build: the malformed requests. */
const unchecked = (route: string, parameters: Record<string, unknown>) => github.request(route, { ...repo, ...parameters });

async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string; data: any }> {
  try {
    await promise;
  } catch (error) {
    const { status, message, response } = error as { status: number; message: string; response?: { data: unknown } };
    return { status, message, data: response?.data };
  }
  throw new Error('the call succeeded');
}

describe('the cut of GitHub’s OpenAPI description', () => {
  it('is what a fresh cut of the installed @octokit/openapi gives', () => {
    expect(readFileSync(SUBSET_PATH, 'utf8') === cutGithubOpenapi()).toBe(true);
  });

  it('accepts GitHub’s own example answers, nulls included, and refuses what GitHub would not send', () => {
    const document = JSON.parse(readFileSync(SUBSET_PATH, 'utf8'));
    const contract = loadContract();
    const rejected: string[] = [];
    let checked = 0;
    for (const operation of contract.operations) {
      const described = document.paths[operation.pathTemplate][operation.method.toLowerCase()];
      for (const [status, validate] of operation.responses) {
        const examples = described.responses[String(status)].content?.['application/json']?.examples ?? {};
        for (const [name, example] of Object.entries(examples as Record<string, { $ref?: string; value?: { $ref?: string } }>)) {
          // An example is a $ref, or (a slip in GitHub's description) a value that is one.
          const ref = example.$ref ?? example.value?.$ref;
          const value = ref ? document.components.examples[ref.split('/').pop()!].value : example.value;
          checked += 1;
          if (!validate!(value)) rejected.push(`${operation.operationId} ${status} ${name}: ${validate!.errors!.map((error) => error.message).join('; ')}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
    // One of GitHub's examples is incomplete (it leaves out `language`, which the schema requires);
    // every other one passes, with its null closed_at, milestone, state_reason, body, performed_via_github_app.
    expect(rejected).toEqual(["repos/get 200 default-response: must have required property 'language'; must have required property 'language'"]);

    const issue = contract.schema('issue');
    const example = document.components.examples.issue.value;
    for (const nulls of [{ state_reason: null }, { milestone: null, closed_at: null, body: null, assignee: null }]) {
      expect(issue({ ...example, ...nulls })).toBe(true);
    }
    expect(issue({ ...example, state_reason: 'bogus' })).toBe(false);
    expect(issue({ ...example, closed_at: 'yesterday' })).toBe(false);
    expect(contract.schema('issue-type')({ id: 1, node_id: 'IT_1', name: 'Bug', description: null, color: null })).toBe(true);
    const status = contract.schema('deployment-status');
    const statusExample = document.components.examples['deployment-status'].value;
    expect(status({ ...statusExample, target_url: '', log_url: '', environment_url: '' })).toBe(true);
    expect(status({ ...statusExample, target_url: 'not a URL' })).toBe(false);
    expect(contract.validateValidationError({ message: 'Validation Failed', documentation_url: 'https://docs.github.com/rest', errors: [{ code: 'invalid', value: null }] })).toBe(true);
  });
});

describe('every operation the stand-in serves', () => {
  it('round-trips through octokit with no schema violation', async () => {
    const started = performance.now();
    const repository = await github.rest.repos.get(repo);
    expect(repository.data).toMatchObject({ full_name: `${repo.owner}/${repo.repo}`, default_branch: 'main' });

    const created = await github.rest.issues.create({
      ...repo,
      title: 'Deploy a1b2c3d to staging',
      body: '- [ ] smoke tests green',
      labels: ['deploy-tracking', 'staging'],
      assignees: ['octocat'],
      milestone: 1
    });
    expect(created.status).toBe(201);
    const issue = created.data;
    expect(issue).toMatchObject({ number: 1, state: 'open', state_reason: null, title: 'Deploy a1b2c3d to staging', user: { login: 'github-actions[bot]' }, milestone: { number: 1, open_issues: 1 } });
    expect(issue.labels.map((label) => (typeof label === 'string' ? label : label.name))).toEqual(['deploy-tracking', 'staging']);
    expect(issue.assignees?.map((user) => user.login)).toEqual(['octocat']);
    expect(issue.html_url).toBe(`${standIn.url}/${repo.owner}/${repo.repo}/issues/1`);

    // A label an issue names is created on the way, as GitHub does; one created explicitly is kept as given.
    expect((await github.rest.issues.getLabel({ ...repo, name: 'staging' })).data).toMatchObject({ name: 'staging', color: 'ededed', description: null });
    const label = await github.rest.issues.createLabel({ ...repo, name: 'rolled back', color: 'B60205', description: 'A deploy that was rolled back' });
    expect(label.data).toMatchObject({ name: 'rolled back', color: 'b60205', description: 'A deploy that was rolled back' });
    expect((await github.rest.issues.getLabel({ ...repo, name: 'rolled back' })).data.id).toBe(label.data.id);
    const taken = await failure(github.rest.issues.createLabel({ ...repo, name: 'Rolled Back' }));
    expect(taken).toMatchObject({ status: 422, data: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] } });
    expect((await failure(github.rest.issues.getLabel({ ...repo, name: 'absent' }))).status).toBe(404);

    const closed = await github.rest.issues.update({ ...repo, issue_number: issue.number, state: 'closed', state_reason: 'not_planned' });
    expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'not_planned', closed_by: { login: 'github-actions[bot]' } });
    expect(closed.data.closed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const reopened = await github.rest.issues.update({ ...repo, issue_number: issue.number, state: 'open', milestone: null, labels: ['deploy-tracking'], body: 'updated' });
    expect(reopened.data).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null, closed_by: null, milestone: null, body: 'updated' });
    expect(reopened.data.labels).toHaveLength(1);

    const comment = await github.rest.issues.createComment({ ...repo, issue_number: issue.number, body: 'Monitoring until 14:30 UTC' });
    const edited = await github.rest.issues.updateComment({ ...repo, comment_id: comment.data.id, body: 'Monitoring passed' });
    expect(edited.data).toMatchObject({ id: comment.data.id, body: 'Monitoring passed', issue_url: issue.url });
    const listedComments = await github.rest.issues.listComments({ ...repo, issue_number: issue.number });
    expect(listedComments.data.map((listed) => listed.body)).toEqual(['Monitoring passed']);
    expect((await github.rest.issues.get({ ...repo, issue_number: issue.number })).data).toMatchObject({ comments: 1, body: 'updated' });

    const second = await github.rest.issues.create({ ...repo, title: 'Unrelated' });
    const listed = await github.rest.issues.listForRepo({ ...repo, labels: 'deploy-tracking', state: 'all', per_page: 100 });
    expect(listed.data.map((found) => found.number)).toEqual([issue.number]);
    expect((await github.rest.issues.listForRepo({ ...repo, state: 'open' })).data.map((found) => found.number)).toEqual([second.data.number, issue.number]);

    // Deployments: two to staging, one to production; the filters and newest-first order of GitHub.
    const deploy = async (environment: string, sha: string) =>
      (await github.rest.repos.createDeployment({ ...repo, ref: sha, environment, auto_merge: false, required_contexts: [], payload: { provider: 'cloudflare', worker: 'api', version_id: sha.slice(0, 8) } })).data as { id: number; sha: string };
    const first = await deploy('staging', '1'.repeat(40));
    await github.rest.repos.createDeploymentStatus({ ...repo, deployment_id: first.id, state: 'in_progress', log_url: 'https://ci.example/run/1' });
    await github.rest.repos.createDeploymentStatus({ ...repo, deployment_id: first.id, state: 'success', environment_url: 'https://staging.example' });
    const production = await deploy('production', '1'.repeat(40));
    await github.rest.repos.createDeploymentStatus({ ...repo, deployment_id: production.id, state: 'success' });
    const next = await deploy('staging', '2'.repeat(40));
    await github.rest.repos.createDeploymentStatus({ ...repo, deployment_id: next.id, state: 'success' });

    const staging = await github.rest.repos.listDeployments({ ...repo, environment: 'staging' });
    expect(staging.data.map((found) => found.id)).toEqual([next.id, first.id]);
    expect(staging.data[1]).toMatchObject({ payload: { provider: 'cloudflare', worker: 'api', version_id: '11111111' }, production_environment: false, task: 'deploy' });
    expect((await github.rest.repos.listDeployments({ ...repo, sha: '1'.repeat(40) })).data.map((found) => found.id)).toEqual([production.id, first.id]);
    expect((await github.rest.repos.listDeployments({ ...repo, ref: 'main' })).data).toEqual([]);
    // GitHub's auto_inactive: the later success on staging (not production) made the earlier one inactive.
    const statuses = await github.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: first.id });
    expect(statuses.data.map((status) => status.state)).toEqual(['inactive', 'success', 'in_progress']);
    expect(statuses.data[1]).toMatchObject({ environment_url: 'https://staging.example', environment: 'staging' });
    expect((await github.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: production.id })).data.map((status) => status.state)).toEqual(['success']);
    const unknownRef = await failure(github.rest.repos.createDeployment({ ...repo, ref: 'no-such-branch' }));
    expect(unknownRef).toMatchObject({ status: 422, data: { message: 'No ref found for: no-such-branch' } });

    const served = new Set(standIn.calls().map((call) => call.operationId));
    expect([...served].sort()).toEqual(loadContract().operations.map((operation) => operation.operationId).sort());
    expect(standIn.calls().every((call) => call.root === '')).toBe(true);
    figures.push(`every operation: ${standIn.calls().length} calls in ${(performance.now() - started).toFixed(0)} ms, ${standIn.violations().length} violations`);
  });

  it('refuses a call without the token, or with another, in GitHub’s shape, and records it', async () => {
    const stranger = githubClient({ token: 'ghp_not-the-token', baseUrl: standIn.url, delays: false });
    expect(await failure(stranger.rest.issues.get({ ...repo, issue_number: 1 }))).toMatchObject({ status: 401, data: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } });
    const anonymous = await fetch(`${standIn.url}/repos/${repo.owner}/${repo.repo}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: 'Requires authentication' });
    expect(answered()).toEqual(['GET issues/get 401', 'GET repos/get 401']);
  });

  it('answers a malformed request 400 in GitHub’s error shape, records it, and changes nothing', async () => {
    const before = standIn.issues().length;
    const labelsNotAList = await failure(unchecked('POST /repos/{owner}/{repo}/issues', { title: 'x', labels: 'bug' }));
    expect(labelsNotAList.status).toBe(400);
    expect(labelsNotAList.data).toMatchObject({ message: expect.stringContaining('body /labels must be array'), documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue' });
    expect(labelsNotAList.data.errors).toEqual([expect.objectContaining({ code: 'invalid', message: 'body /labels must be array' })]);
    const noTitle = await failure(unchecked('POST /repos/{owner}/{repo}/issues', { body: 'no title' }));
    expect(noTitle.data.message).toContain("body must have required property 'title'");
    const badState = await failure(unchecked('GET /repos/{owner}/{repo}/issues', { state: 'everything' }));
    expect(badState.data.message).toContain('query /state must be equal to one of the allowed values ("open", "closed", "all")');
    const misspelt = await failure(unchecked('GET /repos/{owner}/{repo}/issues', { per_pages: 100 }));
    expect(misspelt.data.message).toContain('query must NOT have additional properties (per_pages)');
    const notANumber = await failure(unchecked('GET /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: 'latest' }));
    expect(notANumber.data.message).toContain('path /issue_number must be integer');
    const badStatus = await failure(unchecked('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { deployment_id: 1, state: 'done' }));
    expect(badStatus.status).toBe(400);

    expect(standIn.issues()).toHaveLength(before);
    expect(standIn.violations().map((violation) => `${violation.side} ${violation.operationId}`)).toEqual([
      'request issues/create',
      'request issues/create',
      'request issues/list-for-repo',
      'request issues/list-for-repo',
      'request issues/get',
      'request repos/create-deployment-status'
    ]);
    // A 400 is not retried: one call each.
    expect(standIn.calls()).toHaveLength(6);
    expect(standIn.calls().every((call) => call.status === 400)).toBe(true);
    standIn.clearRecords();
  });

  it('holds issue and comment text to GitHub’s limits, counted in characters', async () => {
    const astral = '𝌆'.repeat(65536); // 65,536 characters, 131,072 UTF-16 code units
    const atLimit = await github.rest.issues.create({ ...repo, title: 'At the limit', body: astral });
    expect([...(atLimit.data.body ?? '')].length).toBe(65536);
    const over = await failure(github.rest.issues.createComment({ ...repo, issue_number: atLimit.data.number, body: `${astral}x` }));
    expect(over).toMatchObject({ status: 422, data: { errors: [{ resource: 'IssueComment', field: 'body', message: 'body is too long (maximum is 65536 characters)' }] } });
  });
});

describe('pagination', () => {
  it('walks 250 labelled issues in three pages by the Link header, as GitHub numbers them', async () => {
    const fresh = await startGitHubStandIn();
    try {
      for (let index = 0; index < 260; index += 1) {
        fresh.seedIssue({ title: `Deploy ${index}`, labels: index < 250 ? ['deploy-tracking'] : ['other'], state: index % 3 === 0 ? 'closed' : 'open' });
      }
      const client = githubClient({ token: fresh.token, baseUrl: fresh.url, delays: false });
      const started = performance.now();
      const all = await client.paginate(client.rest.issues.listForRepo, { owner: fresh.owner, repo: fresh.repo, labels: 'deploy-tracking', state: 'all', per_page: 100 });
      figures.push(`250 issues listed in ${fresh.calls().length} calls, ${(performance.now() - started).toFixed(0)} ms`);
      expect(all).toHaveLength(250);
      expect(new Set(all.map((issue) => issue.number)).size).toBe(250);
      expect(all[0]!.number).toBe(250);
      expect(fresh.calls().map((call) => new URLSearchParams(call.query).get('page') ?? '1')).toEqual(['1', '2', '3']);

      const page = (number: number) => fetch(`${fresh.url}/repos/${fresh.owner}/${fresh.repo}/issues?labels=deploy-tracking&state=all&per_page=100&page=${number}`, { headers: { authorization: `Bearer ${fresh.token}` } });
      const base = `${fresh.url}/repos/${fresh.owner}/${fresh.repo}/issues?labels=deploy-tracking&state=all&per_page=100&page=`;
      expect((await page(1)).headers.get('link')).toBe(`<${base}2>; rel="next", <${base}3>; rel="last"`);
      expect((await page(2)).headers.get('link')).toBe(`<${base}1>; rel="prev", <${base}3>; rel="next", <${base}3>; rel="last", <${base}1>; rel="first"`);
      expect((await page(3)).headers.get('link')).toBe(`<${base}2>; rel="prev", <${base}1>; rel="first"`);
      const defaults = await client.rest.issues.listForRepo({ owner: fresh.owner, repo: fresh.repo });
      expect(defaults.data).toHaveLength(30);
      expect(fresh.violations()).toEqual([]);
    } finally {
      await fresh.stop();
    }
  });
});

describe('injected faults', () => {
  it('a secondary rate limit (403 + retry-after) is waited out by the throttling plugin', async () => {
    standIn.inject({ kind: 'secondary-rate-limit', operation: 'issues/create', retryAfter: 2 });
    const created = await github.rest.issues.create({ ...repo, title: 'After a secondary limit' });
    expect(created.status).toBe(201);
    expect(answered()).toEqual(['POST issues/create 403', 'POST issues/create 201']);
    expect(standIn.issues().filter((issue) => issue.title === 'After a secondary limit')).toHaveLength(1);
  });

  it('a primary rate limit (x-ratelimit-remaining 0) is waited out when the reset is near', async () => {
    standIn.inject({ kind: 'primary-rate-limit', operation: 'issues/list-for-repo', resetIn: 1 });
    standIn.inject({ kind: 'primary-rate-limit', operation: 'issues/get', resetIn: 1, status: 429 });
    await github.rest.issues.listForRepo({ ...repo, state: 'all' });
    await github.rest.issues.get({ ...repo, issue_number: 1 });
    expect(answered()).toEqual(['GET issues/list-for-repo 403', 'GET issues/list-for-repo 200', 'GET issues/get 429', 'GET issues/get 200']);
  });

  it('a primary rate limit that resets in an hour surfaces GitHub’s message at once', async () => {
    standIn.inject({ kind: 'primary-rate-limit', operation: 'issues/update', resetIn: 3600 });
    const limited = await failure(github.rest.issues.update({ ...repo, issue_number: 1, body: 'later' }));
    expect(limited.status).toBe(403);
    expect(limited.message).toContain('API rate limit exceeded for user ID 41898282.');
    expect(answered()).toEqual(['PATCH issues/update 403']);
  });

  it('a bare 429 is retried by the retry plugin, except on a POST that creates an issue', async () => {
    standIn.inject({ kind: 'too-many-requests', operation: 'issues/update' });
    expect((await github.rest.issues.update({ ...repo, issue_number: 1, body: 'after a 429' })).data.body).toBe('after a 429');
    standIn.inject({ kind: 'too-many-requests', operation: 'issues/create' });
    const before = standIn.issues().length;
    expect((await failure(github.rest.issues.create({ ...repo, title: 'Not sent twice' }))).status).toBe(429);
    expect(standIn.issues()).toHaveLength(before);
    expect(answered()).toEqual(['PATCH issues/update 429', 'PATCH issues/update 200', 'POST issues/create 429']);
  });

  it('a 502 after the issue was created surfaces without a second POST, and the issue is there to be found', async () => {
    standIn.inject({ kind: 'bad-gateway-after-write', operation: 'issues/create' });
    const gateway = await failure(github.rest.issues.create({ ...repo, title: 'Created behind a 502', labels: ['deploy-tracking'] }));
    expect(gateway.status).toBe(502);
    expect(answered()).toEqual(['POST issues/create 502']);
    expect(standIn.issues().filter((issue) => issue.title === 'Created behind a 502')).toHaveLength(1);
    // What a caller does next: look before creating again.
    const found = await github.paginate(github.rest.issues.listForRepo, { ...repo, labels: 'deploy-tracking', state: 'all', per_page: 100 });
    expect(found.filter((issue) => issue.title === 'Created behind a 502')).toHaveLength(1);
  });

  it('a 502 after an update is retried (an update is idempotent); after a comment it is not resent (a comment is not)', async () => {
    standIn.inject({ kind: 'bad-gateway-after-write', operation: 'issues/update' });
    expect((await github.rest.issues.update({ ...repo, issue_number: 1, title: 'Renamed' })).data.title).toBe('Renamed');
    standIn.inject({ kind: 'bad-gateway-after-write', operation: 'issues/create-comment' });
    const before = standIn.comments(1).length;
    await expect(github.rest.issues.createComment({ ...repo, issue_number: 1, body: 'once?' })).rejects.toMatchObject({ status: 502 });
    expect(answered()).toEqual(['PATCH issues/update 502', 'PATCH issues/update 200', 'POST issues/create-comment 502']);
    // GitHub took it once; the caller looks for it before posting again (the tracker does).
    expect(standIn.comments(1).length - before).toBe(1);
  });

  it('a slow answer is waited for', async () => {
    standIn.inject({ kind: 'slow', operation: 'repos/get', delayMs: 400 });
    await github.rest.repos.get(repo);
    const [call] = standIn.calls();
    expect(call!.status).toBe(200);
    expect(call!.durationMs).toBeGreaterThanOrEqual(400);
  });

  it('with octokit’s delays on, writes are paced about 1 s apart; the seam takes only the waiting out', async () => {
    const paced = githubClient({ token: standIn.token, baseUrl: standIn.url, delays: true });
    const time = async (client: GitHubClient) => {
      const started = performance.now();
      for (let index = 0; index < 3; index += 1) await client.rest.issues.update({ ...repo, issue_number: 1, body: `write ${index}` });
      return performance.now() - started;
    };
    const withDelays = await time(paced);
    const without = await time(github);
    figures.push(`3 writes: ${withDelays.toFixed(0)} ms with octokit's delays, ${without.toFixed(0)} ms without`);
    // Bottleneck keeps the gaps only roughly (some come out at half a second); three writes take at least one.
    expect(withDelays).toBeGreaterThanOrEqual(900);
    expect(answered()).toHaveLength(6);
  });
});

describe('GitHub Enterprise Server roots', () => {
  it('serves /api/v3 with Link headers under it, and the client follows GITHUB_API_URL', async () => {
    const saved = process.env.GITHUB_API_URL;
    process.env.GITHUB_API_URL = standIn.ghesApiUrl;
    try {
      const ghes = githubClient({ token: standIn.token, delays: false });
      const created = await ghes.rest.issues.create({ ...repo, title: 'On GHES', labels: ['ghes'] });
      expect(created.data.url).toBe(`${standIn.ghesApiUrl}/repos/${repo.owner}/${repo.repo}/issues/${created.data.number}`);
      for (let index = 0; index < 4; index += 1) standIn.seedIssue({ title: `GHES ${index}`, labels: ['ghes'] });
      const all = await ghes.paginate(ghes.rest.issues.listForRepo, { ...repo, labels: 'ghes', per_page: 2 });
      expect(all).toHaveLength(5);
      expect(standIn.calls().map((call) => `${call.root} ${call.method} ${call.path}`)).toEqual([
        `/api/v3 POST /repos/${repo.owner}/${repo.repo}/issues`,
        ...Array(3).fill(`/api/v3 GET /repos/${repo.owner}/${repo.repo}/issues`)
      ]);
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL;
      else process.env.GITHUB_API_URL = saved;
    }
  });
});

describe('the client', () => {
  it('masks its token', () => {
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      githubClient({ token: 'ghs_masked-token-value', baseUrl: standIn.url });
    } finally {
      process.stdout.write = write;
    }
    expect(written.join('')).toContain('::add-mask::ghs_masked-token-value');
  });

  it('knows an issue-creating POST in every form octokit sends it', () => {
    expect(isIssueCreation('POST', '/repos/{owner}/{repo}/issues')).toBe(true);
    expect(isIssueCreation('POST', 'https://ghes.example/api/v3/repos/o/r/issues?x=1')).toBe(true);
    expect(isIssueCreation('post', '/repos/o/r/issues/')).toBe(true);
    expect(isIssueCreation('PATCH', '/repos/o/r/issues')).toBe(false);
    expect(isIssueCreation('POST', '/repos/o/r/issues/1/comments')).toBe(false);
    expect(isIssueCreation('POST', '/repos/o/r/issues/comments')).toBe(false);
  });

  it('knows a comment-creating POST in every form octokit sends it', () => {
    expect(isCommentCreation('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments')).toBe(true);
    expect(isCommentCreation('POST', 'https://ghes.example/api/v3/repos/o/r/issues/12/comments?x=1')).toBe(true);
    expect(isCommentCreation('post', '/repos/o/r/issues/12/comments/')).toBe(true);
    expect(isCommentCreation('GET', '/repos/o/r/issues/12/comments')).toBe(false);
    expect(isCommentCreation('PATCH', '/repos/o/r/issues/comments/5')).toBe(false);
    expect(isCommentCreation('POST', '/repos/o/r/issues')).toBe(false);
  });
});
