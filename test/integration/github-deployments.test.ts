// Deployment records and the last known good version (@deploy-actions/github) against the GitHub
// stand-in, through the real octokit with its throttling and retry plugins (delays off): records and
// statuses read back as GitHub holds them, with no schema violation; the last known good skips
// failures, unfinished records, the version serving now, versions the provider can no longer deploy,
// other workers, providers and environments; it pages through long histories and reads statuses
// only for candidates; a secondary rate limit is waited out. The GitHub calls each lookup made are
// printed at the end.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  findLastKnownGood,
  githubClient,
  recordDeployment,
  setDeploymentStatus,
  type DeploymentPayload,
  type DeploymentState,
  type FindLastKnownGoodOptions,
  type GitHubClient,
  type RecordedDeployment
} from '@deploy-actions/github';
import { startGitHubStandIn, type GitHubStandIn } from '../../testbed/github/server.js';

let standIn: GitHubStandIn;
let github: GitHubClient;
let repository: { owner: string; repo: string };
const figures: string[] = [];
const RUN_URL = 'https://github.com/octo-org/deploy-target/actions/runs/4242/attempts/1';

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  github = githubClient({ token: standIn.token, baseUrl: standIn.url, delays: false });
  repository = { owner: standIn.owner, repo: standIn.repo };
});

afterEach(() => {
  const [violations, pending] = [standIn.violations(), standIn.pendingFaults()];
  standIn.clearRecords();
  expect(violations).toEqual([]);
  expect(pending).toEqual([]);
});

afterAll(async () => {
  await standIn?.stop();
  if (figures.length > 0) process.stdout.write(`GitHub calls per last-known-good lookup:\n  ${figures.join('\n  ')}\n`);
});

const sha = (n: number) => n.toString(16).padStart(40, '0');
const payload = (versionId: string, worker = 'shop', provider = 'cloudflare'): DeploymentPayload => ({ provider, worker, versionId });

/** A record as a deploy leaves it: created, in_progress, then each later state in order. */
async function deployed(
  environment: string,
  versionId: string,
  states: DeploymentState[],
  extra: Partial<DeploymentPayload> = {},
  production?: boolean
): Promise<RecordedDeployment> {
  const record = await recordDeployment(github, {
    repository,
    environment,
    ...(production === undefined ? {} : { production }),
    sha: sha(standIn.deployments().length + 1),
    payload: { ...payload(versionId), ...extra },
    environmentUrl: `https://${environment}.shop.example`,
    logUrl: RUN_URL
  });
  for (const state of states) await setDeploymentStatus(github, record, state, `${versionId} ${state}`);
  return record;
}

/** The operations the stand-in answered since the last clear, as `operationId status`. */
const answered = () => standIn.calls().map((call) => `${call.operationId} ${call.status}`);

async function lookup(name: string, options: Omit<FindLastKnownGoodOptions, 'repository' | 'worker'> & { worker?: string }) {
  standIn.clearRecords();
  const result = await findLastKnownGood(github, { repository, worker: 'shop', ...options });
  const made = answered();
  expect(made).toHaveLength(result.calls);
  const pages = made.filter((call) => call.startsWith('repos/list-deployments ')).length;
  figures.push(`${name}: ${result.calls} calls (${pages} deployment pages, ${result.calls - pages} status reads) for ${result.examined} records`);
  return { result, made };
}

describe('a deployment record', () => {
  it('is created with ref = sha, the payload and in_progress, and ends with the status given', async () => {
    const record = await recordDeployment(github, {
      repository,
      environment: 'production',
      sha: sha(0xabc),
      payload: payload('v-10'),
      description: 'shop v-10 by canary-shift',
      environmentUrl: 'https://shop.example',
      logUrl: RUN_URL
    });
    await setDeploymentStatus(github, record, 'success', 'promoted to 100 %');
    expect(answered()).toEqual(['repos/create-deployment 201', 'repos/create-deployment-status 201', 'repos/create-deployment-status 201']);

    const [held] = standIn.deployments().filter((deployment) => deployment.id === record.id);
    expect(held).toMatchObject({
      sha: sha(0xabc),
      ref: sha(0xabc),
      environment: 'production',
      production: true,
      transient: false,
      description: 'shop v-10 by canary-shift',
      payload: { provider: 'cloudflare', worker: 'shop', versionId: 'v-10' }
    });
    expect(held!.statuses.map(({ state, description, logUrl, environmentUrl }) => ({ state, description, logUrl, environmentUrl }))).toEqual([
      { state: 'in_progress', description: 'shop v-10 by canary-shift', logUrl: RUN_URL, environmentUrl: 'https://shop.example' },
      { state: 'success', description: 'promoted to 100 %', logUrl: RUN_URL, environmentUrl: 'https://shop.example' }
    ]);

    // Read back through the API as a user's tooling would.
    const listed = await github.rest.repos.listDeployments({ ...repository, environment: 'production', sha: sha(0xabc) });
    expect(listed.data.map((deployment) => deployment.payload)).toEqual([{ provider: 'cloudflare', worker: 'shop', versionId: 'v-10' }]);
  });

  it('of a rollback carries what it rolled back from and why; a long description is cut to GitHub’s 140 characters', async () => {
    const reason = `error rate 12 % over 5 % for 2 minutes ${'x'.repeat(200)}`;
    const record = await recordDeployment(github, {
      repository,
      environment: 'preview-42',
      sha: sha(0xdef),
      payload: { ...payload('v-9'), rolledBackFrom: { versionId: 'v-10', deploymentId: 77 }, reason },
      description: `rolled back from v-10: ${reason}`,
      transient: true,
      production: false
    });
    await setDeploymentStatus(github, record, 'failure', `rolled back: ${reason}`);
    const [held] = standIn.deployments().filter((deployment) => deployment.id === record.id);
    expect(held).toMatchObject({ transient: true, production: false, payload: { versionId: 'v-9', rolledBackFrom: { versionId: 'v-10', deploymentId: 77 }, reason } });
    expect([...held!.description!]).toHaveLength(140);
    expect(held!.description!.endsWith('…')).toBe(true);
    expect(held!.statuses.map((status) => [status.state, [...status.description].length])).toEqual([
      ['in_progress', 140],
      ['failure', 140]
    ]);
  });

  it('failing leaves the environment’s serving record alone; succeeding lets GitHub mark the earlier one inactive', async () => {
    const serving = await deployed('staging-inactive', 'v-1', ['success']);
    await deployed('staging-inactive', 'v-2', ['failure']);
    const state = (record: RecordedDeployment) => standIn.deployments().find((deployment) => deployment.id === record.id)!.statuses.at(-1)!.state;
    expect(state(serving)).toBe('success');
    await deployed('staging-inactive', 'v-3', ['success']);
    expect(state(serving)).toBe('inactive');
  });
});

describe('the last known good version', () => {
  it('skips failures, unfinished records, other workers, providers and environments, undeployable versions and the one serving now', async () => {
    // A production environment: GitHub leaves earlier successes as they are.
    const environment = 'live';
    const good = await deployed(environment, 'v-1', ['success'], {}, true);
    await deployed(environment, 'v-2', ['success'], {}, true); // the provider no longer has it
    await deployed(environment, 'v-3', ['failure'], {}, true);
    await deployed(environment, 'v-4', [], {}, true); // still in_progress: never finished
    await deployed(environment, 'v-5', ['success'], { worker: 'admin' }, true);
    await deployed(environment, 'v-6', ['success'], { provider: 'other' }, true);
    await deployed('staging', 'v-7', ['success']);
    await github.rest.repos.createDeployment({ ...repository, ref: sha(999), environment, payload: { deployer: 'someone else' }, auto_merge: false, required_contexts: [] });
    const current = await deployed(environment, 'v-8', ['success'], {}, true);
    const asked: string[] = [];
    const isDeployable = (versionId: string) => (asked.push(versionId), versionId !== 'v-2');

    const { result, made } = await lookup('mixed history, current version told', { environment, provider: 'cloudflare', currentVersionId: 'v-8', isDeployable });
    expect(result.found).toMatchObject({ id: good.id, sha: good.sha, state: 'success', payload: payload('v-1'), environmentUrl: 'https://live.shop.example', logUrl: RUN_URL });
    expect(result.current).toMatchObject({ id: current.id, payload: payload('v-8') });
    expect(result.skipped.map(({ versionId, reason }) => `${versionId ?? '-'}: ${reason}`)).toEqual([
      'v-8: the version serving now',
      '-: not a deploy-actions record (no provider, worker and version id in its payload)',
      'v-6: another provider (other)',
      'v-5: another worker (admin)',
      'v-4: its latest status is in_progress',
      'v-3: its latest status is failure',
      'v-2: its version can no longer be deployed'
    ]);
    // One page; statuses read only for the three candidates left after the free checks (v-4, v-3, v-1).
    expect(made).toEqual(['repos/list-deployments 200', ...Array(3).fill('repos/list-deployment-statuses 200')]);
    expect(asked).toEqual(['v-4', 'v-3', 'v-2', 'v-1']);

    // Not told what serves now: the newest good record is taken as serving, and skipped.
    const untold = await lookup('mixed history, current version found', { environment, provider: 'cloudflare', isDeployable: (versionId) => versionId !== 'v-2' });
    expect(untold.result.current).toMatchObject({ id: current.id, state: 'success' });
    expect(untold.result.found).toMatchObject({ id: good.id });

    // Nothing good left: found is absent, with every reason given.
    const none = await lookup('no good version left', { environment, provider: 'cloudflare', currentVersionId: 'v-8', isDeployable: (versionId) => !['v-1', 'v-2'].includes(versionId) });
    expect(none.result.found).toBeUndefined();
    expect(none.result.skipped.at(-1)).toEqual({ id: good.id, versionId: 'v-1', reason: 'its version can no longer be deployed' });
  });

  it('counts a record GitHub marked inactive after its success as good, and no record of a version rolled back from', async () => {
    // Not a production environment: each success makes GitHub mark the one before it inactive.
    const environment = 'staging-history';
    const good = await deployed(environment, 'v-1', ['success']);
    await deployed(environment, 'v-2', ['success']);
    const replaced = await deployed(environment, 'v-3', ['success']);
    const rolledBackFrom = await deployed(environment, 'v-2', ['success', 'failure']); // deployed again, then rolled back from
    const current = await deployed(environment, 'v-4', ['success']);
    const states = (record: RecordedDeployment) => standIn.deployments().find((deployment) => deployment.id === record.id)!.statuses.map((status) => status.state);
    expect(states(replaced)).toEqual(['in_progress', 'success', 'inactive']);
    expect(states(rolledBackFrom)).toEqual(['in_progress', 'success', 'failure']);

    const { result } = await lookup('inactive after success', { environment, currentVersionId: 'v-4', isDeployable: () => true });
    expect(result.current).toMatchObject({ id: current.id });
    expect(result.found).toMatchObject({ id: replaced.id, state: 'inactive', payload: payload('v-3'), description: 'v-3 success', logUrl: RUN_URL });

    const older = await lookup('version rolled back from', { environment, currentVersionId: 'v-4', isDeployable: (versionId) => versionId !== 'v-3' });
    expect(older.result.found).toMatchObject({ id: good.id, payload: payload('v-1') });
    expect(older.result.skipped.map(({ versionId, reason }) => `${versionId}: ${reason}`)).toEqual([
      'v-4: the version serving now',
      'v-2: its latest status is failure',
      'v-3: its version can no longer be deployed',
      `v-2: its version failed later (deployment ${rolledBackFrom.id})`
    ]);
  });

  it('passes over every record of a version a later rollback left, and not those of one whose deploy only stopped with an error', async () => {
    const environment = 'production-rolled-back';
    await deployed(environment, 'v-1', ['success'], {}, true);
    await deployed(environment, 'v-2', ['success'], {}, true);
    const stopped = await deployed(environment, 'v-3', ['success'], {}, true);
    await deployed(environment, 'v-3', ['error'], {}, true); // a later deploy of it, cut short
    await deployed(environment, 'v-2', ['success'], {}, true); // the bad one, deployed again
    const rollback = await deployed(environment, 'v-1', ['success'], { rolledBackFrom: { versionId: 'v-2' }, reason: 'error rate 12 %' }, true);

    const { result } = await lookup('after a rollback', { environment, currentVersionId: 'v-1', isDeployable: (versionId) => versionId !== 'v-3' });
    expect(result.current).toMatchObject({ id: rollback.id });
    expect(result.found).toBeUndefined();
    expect(result.skipped.map(({ versionId, reason }) => `${versionId}: ${reason}`)).toEqual([
      'v-1: the version serving now',
      `v-2: a later rollback (deployment ${rollback.id}) left its version`,
      'v-3: its version can no longer be deployed',
      'v-3: its version can no longer be deployed',
      `v-2: a later rollback (deployment ${rollback.id}) left its version`,
      'v-1: the version serving now'
    ]);
    const deployable = await lookup('after a rollback, v-3 deployable', { environment, currentVersionId: 'v-1', isDeployable: () => true });
    expect(deployable.result.found).toMatchObject({ id: stopped.id, payload: payload('v-3') });
    expect(deployable.result.skipped.map((skipped) => skipped.reason)).toContain('its latest status is error');
  });

  it('during a split (currentVersionId null) finds the stable side, whose canary is still in progress', async () => {
    const environment = 'production-split';
    await deployed(environment, 'v-1', ['success'], {}, true);
    const stable = await deployed(environment, 'v-2', ['success'], {}, true);
    await deployed(environment, 'v-3', [], {}, true); // the canary, being shifted
    const { result } = await lookup('split, nothing skipped as current', { environment, currentVersionId: null, isDeployable: () => true });
    expect(result.found).toMatchObject({ id: stable.id, payload: payload('v-2') });
    expect(result.current).toBeUndefined();
    expect(result.skipped.map((skipped) => `${skipped.versionId}: ${skipped.reason}`)).toEqual(['v-3: its latest status is in_progress']);
  });

  it('reads a payload GitHub holds as JSON text, as another tool may have written it', async () => {
    const environment = 'production-text';
    const created = await github.rest.repos.createDeployment({ ...repository, ref: sha(777), environment, payload: JSON.stringify(payload('v-text')), auto_merge: false, required_contexts: [] });
    const good = { repository, id: (created.data as { id: number }).id };
    await setDeploymentStatus(github, good, 'success', 'deployed by a script');
    await github.rest.repos.createDeployment({ ...repository, ref: sha(778), environment, payload: '{not json', auto_merge: false, required_contexts: [] });
    await deployed(environment, 'v-now', ['success']);
    const { result } = await lookup('payload as JSON text', { environment, currentVersionId: 'v-now', isDeployable: () => true });
    expect(result.found).toMatchObject({ id: good.id, payload: payload('v-text'), description: 'deployed by a script' });
    expect(result.skipped.map((skipped) => skipped.reason)).toEqual(['the version serving now', 'not a deploy-actions record (no provider, worker and version id in its payload)']);
  });

  it('pages through a long history newest first, and gives up at its limit', async () => {
    const environment = 'production-long';
    const good = await deployed(environment, 'v-old', ['success']);
    // 250 records of another worker: no status needed to pass them over.
    for (let n = 0; n < 250; n += 1) {
      await github.rest.repos.createDeployment({ ...repository, ref: sha(5000 + n), environment, payload: { ...payload(`a-${n}`, 'admin') }, auto_merge: false, required_contexts: [] });
    }
    await deployed(environment, 'v-now', ['success']);

    const { result, made } = await lookup('252 records, 3 pages', { environment, currentVersionId: 'v-now', isDeployable: () => true });
    expect(result.found).toMatchObject({ id: good.id });
    expect(result.examined).toBe(252);
    expect(made).toEqual([...Array(3).fill('repos/list-deployments 200'), 'repos/list-deployment-statuses 200']);
    const pages = standIn.calls().filter((call) => call.operationId === 'repos/list-deployments').map((call) => new URLSearchParams(call.query).get('page') ?? '1');
    expect(pages).toEqual(['1', '2', '3']);

    const limited = await lookup('limit 150', { environment, currentVersionId: 'v-now', isDeployable: () => true, limit: 150 });
    expect(limited.result.found).toBeUndefined();
    expect(limited.result.examined).toBe(150);
    expect(limited.made).toEqual(Array(2).fill('repos/list-deployments 200'));
  });

  it('waits out a secondary rate limit on the listing and on a status read', async () => {
    const environment = 'production-limited';
    const good = await deployed(environment, 'v-1', ['success']);
    await deployed(environment, 'v-2', ['failure']);
    await deployed(environment, 'v-3', ['success']);
    standIn.inject({ kind: 'secondary-rate-limit', operation: 'repos/list-deployments', retryAfter: 1 });
    standIn.inject({ kind: 'secondary-rate-limit', operation: 'repos/list-deployment-statuses', retryAfter: 1 });
    standIn.clearRecords();
    const result = await findLastKnownGood(github, { repository, environment, worker: 'shop', currentVersionId: 'v-3', isDeployable: () => true });
    expect(result.found).toMatchObject({ id: good.id });
    expect(answered()).toEqual([
      'repos/list-deployments 403',
      'repos/list-deployments 200',
      'repos/list-deployment-statuses 403',
      'repos/list-deployment-statuses 200',
      'repos/list-deployment-statuses 200'
    ]);
    figures.push(`secondary rate limit on both reads: ${answered().length} requests, ${result.calls} of them calls the lookup made`);
  });

  it('survives a secondary rate limit on recording a status', async () => {
    standIn.inject({ kind: 'secondary-rate-limit', operation: 'repos/create-deployment-status', retryAfter: 1 });
    const record = await deployed('production-limited-write', 'v-1', ['success']);
    expect(answered()).toEqual(['repos/create-deployment 201', 'repos/create-deployment-status 403', 'repos/create-deployment-status 201', 'repos/create-deployment-status 201']);
    expect(standIn.deployments().find((deployment) => deployment.id === record.id)!.statuses.map((status) => status.state)).toEqual(['in_progress', 'success']);
  });
});
