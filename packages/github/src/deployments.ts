// GitHub deployment records for what the actions put live, and the last known good version read back
// from them.
//
// A record is a GitHub deployment of the commit that was deployed, carrying in its payload the
// provider, the worker and the version id (and, for a rollback, what it rolled back from and why),
// with statuses in_progress → success | failure | inactive. GitHub's auto_inactive marks earlier
// successful deployments of a non-production environment inactive when a new one succeeds, so a
// deployment whose statuses end in success, inactive was good and then replaced: it counts as good.
// A failure is never good, and marks its version bad for the older records too, as does a rollback
// away from it: a version rolled back from is not offered again because it once succeeded. An error
// (a deploy stopped or cut short) is not good either, but says nothing of the version.

import type { GitHubClient } from './client.js';

export interface Repository {
  owner: string;
  repo: string;
}

/** What a record says was deployed; the deployment's `payload`. */
export interface DeploymentPayload {
  provider: string;
  worker: string;
  versionId: string;
  /** A rollback's: the version it replaced, and that version's record when known. */
  rolledBackFrom?: { versionId: string; deploymentId?: number };
  /** A rollback's: why it rolled back. */
  reason?: string;
}

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface RecordDeploymentOptions {
  repository: Repository;
  environment: string;
  /** The commit deployed (the deployment's ref). */
  sha: string;
  payload: DeploymentPayload;
  /** The deployment's description; also the in_progress status's. */
  description?: string;
  /** Where the environment is reached; shown on GitHub as "View deployment". */
  environmentUrl?: string;
  /** The run that deployed it. */
  logUrl?: string;
  /** GitHub's default unless told: true for an environment named `production`. */
  production?: boolean;
  /** An environment that goes away later (a preview); false unless told. */
  transient?: boolean;
}

/** A record, as the statuses that follow need it. */
export interface RecordedDeployment {
  repository: Repository;
  id: number;
  environment: string;
  sha: string;
  payload: DeploymentPayload;
  createdAt: string;
  environmentUrl?: string;
  logUrl?: string;
}

/** GitHub keeps 140 characters of a status description. */
export const MAX_STATUS_DESCRIPTION = 140;

/**
 * Creates the deployment and its in_progress status (two calls). The deployment is a record of what
 * the step does, not a request for one: no auto-merge of the default branch into the ref, and no
 * commit status checks (a rollback deploys an older commit whose checks may be long gone).
 */
export async function recordDeployment(client: GitHubClient, options: RecordDeploymentOptions): Promise<RecordedDeployment> {
  const { repository, environment, sha, payload } = options;
  const description = statusDescription(options.description ?? `${payload.worker} ${payload.versionId}`);
  const created = await client.rest.repos.createDeployment({
    ...repository,
    ref: sha,
    environment,
    payload: { ...payload },
    auto_merge: false,
    required_contexts: [],
    description,
    transient_environment: options.transient ?? false,
    ...(options.production === undefined ? {} : { production_environment: options.production })
  });
  // 202 is GitHub's answer when it merged the default branch instead; auto_merge is off, so only a 201 comes back.
  if (created.status !== 201 || !('id' in created.data)) throw new Error(`GitHub did not create the deployment: ${created.status} ${JSON.stringify(created.data)}`);
  const recorded: RecordedDeployment = {
    repository,
    id: created.data.id,
    environment: created.data.environment,
    sha: created.data.sha,
    payload,
    createdAt: created.data.created_at,
    ...(options.environmentUrl === undefined ? {} : { environmentUrl: options.environmentUrl }),
    ...(options.logUrl === undefined ? {} : { logUrl: options.logUrl })
  };
  await setDeploymentStatus(client, recorded, 'in_progress', description);
  return recorded;
}

/**
 * Adds a status to a record (one call). Only a success lets GitHub mark the environment's earlier
 * successful deployments inactive: a failure must not take the one still serving off the page.
 */
export async function setDeploymentStatus(
  client: GitHubClient,
  deployment: Pick<RecordedDeployment, 'repository' | 'id' | 'environmentUrl' | 'logUrl'>,
  state: DeploymentState,
  description = ''
): Promise<void> {
  await client.rest.repos.createDeploymentStatus({
    ...deployment.repository,
    deployment_id: deployment.id,
    state,
    description: statusDescription(description),
    ...(deployment.logUrl ? { log_url: deployment.logUrl } : {}),
    ...(deployment.environmentUrl ? { environment_url: deployment.environmentUrl } : {}),
    auto_inactive: state === 'success'
  });
}

/** One line, cut to GitHub's 140 characters (code points, as GitHub counts them) with an ellipsis. */
export function statusDescription(text: string): string {
  const line = [...text.replace(/\s+/g, ' ').trim()];
  return line.length <= MAX_STATUS_DESCRIPTION ? line.join('') : `${line.slice(0, MAX_STATUS_DESCRIPTION - 1).join('')}…`;
}

export interface FindLastKnownGoodOptions {
  repository: Repository;
  environment: string;
  worker: string;
  /** Only records of this provider count, when told. */
  provider?: string;
  /**
   * The version serving now: its records are skipped. Unless told, the newest good record is taken
   * as the one serving now, and skipped with its version. `null`: none is skipped (a split, whose
   * stable side may well be the last known good).
   */
  currentVersionId?: string | null;
  /** Whether the provider can still put a version back (asked once per version, only for candidates). */
  isDeployable(versionId: string): boolean | Promise<boolean>;
  /** How many of the environment's records are looked at, newest first, before giving up; 300 unless told. */
  limit?: number;
}

/** A record read back from GitHub. */
export interface DeploymentRecord {
  id: number;
  sha: string;
  environment: string;
  payload: DeploymentPayload;
  createdAt: string;
  /** The newest status's state; absent when its statuses were not read. */
  state?: string;
  /** The newest status's description and links, or its success's when GitHub has since marked it inactive. */
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

export interface SkippedRecord {
  id: number;
  versionId?: string;
  reason: string;
}

export interface LastKnownGood {
  /** The newest good record of a deployable version other than the current one, if any. */
  found?: DeploymentRecord;
  /** The newest record of the version serving now, when one was met on the way. */
  current?: DeploymentRecord;
  /** The records passed over on the way, newest first, with why. */
  skipped: SkippedRecord[];
  /** How many of the environment's records were looked at. */
  examined: number;
  /** GitHub calls made: pages of deployments, and one status page per candidate. */
  calls: number;
}

const PAGE_SIZE = 100;

/**
 * The last known good version of a worker in an environment: pages through the environment's
 * deployments newest first (100 a call) and, only for records that pass the free checks (worker,
 * provider, not the current version, a version not already found bad, deployable), reads the newest
 * two statuses in one call each. Stops at the first good one.
 */
export async function findLastKnownGood(client: GitHubClient, options: FindLastKnownGoodOptions): Promise<LastKnownGood> {
  const { repository, environment, worker, provider } = options;
  const limit = options.limit ?? 300;
  const result: LastKnownGood = { skipped: [], examined: 0, calls: 0 };
  /** Versions found bad in a newer record (a failure, or a rollback away from them), with why. */
  const badVersions = new Map<string, string>();
  const deployable = new Map<string, boolean>();
  let currentVersionId = options.currentVersionId ?? undefined;
  /** Nothing said what serves now: the newest good record is taken to. */
  let lookingForCurrent = options.currentVersionId === undefined;
  const skip = (id: number, reason: string, versionId?: string) => result.skipped.push({ id, ...(versionId === undefined ? {} : { versionId }), reason });
  const isDeployable = async (versionId: string): Promise<boolean> => {
    if (!deployable.has(versionId)) deployable.set(versionId, await options.isDeployable(versionId));
    return deployable.get(versionId)!;
  };

  const pages = client.paginate.iterator(client.rest.repos.listDeployments, { ...repository, environment, per_page: PAGE_SIZE });
  for await (const page of pages) {
    result.calls += 1;
    for (const deployment of page.data) {
      if (result.examined >= limit) return result;
      result.examined += 1;
      const payload = readPayload(deployment.payload);
      if (!payload) {
        skip(deployment.id, 'not a deploy-actions record (no provider, worker and version id in its payload)');
        continue;
      }
      const { versionId } = payload;
      // GitHub filters by the environment's name as it is now; a status may have moved a record.
      if (deployment.environment !== environment) {
        skip(deployment.id, `now in environment ${deployment.environment}`, versionId);
        continue;
      }
      if (payload.worker !== worker) {
        skip(deployment.id, `another worker (${payload.worker})`, versionId);
        continue;
      }
      if (provider !== undefined && payload.provider !== provider) {
        skip(deployment.id, `another provider (${payload.provider})`, versionId);
        continue;
      }
      const record: DeploymentRecord = { id: deployment.id, sha: deployment.sha, environment: deployment.environment, payload, createdAt: deployment.created_at };
      // A rollback away from a version judges it, whatever became of the rollback itself.
      const left = payload.rolledBackFrom?.versionId;
      if (left && left !== versionId && !badVersions.has(left)) badVersions.set(left, `a later rollback (deployment ${deployment.id}) left its version`);
      if (versionId === currentVersionId) {
        result.current ??= record;
        skip(deployment.id, 'the version serving now', versionId);
        continue;
      }
      const bad = badVersions.get(versionId);
      if (bad !== undefined) {
        skip(deployment.id, bad, versionId);
        continue;
      }
      // Asked before the status read only once no good record can be the current one.
      if (!lookingForCurrent && !(await isDeployable(versionId))) {
        skip(deployment.id, 'its version can no longer be deployed', versionId);
        continue;
      }

      const statuses = await client.rest.repos.listDeploymentStatuses({ ...repository, deployment_id: deployment.id, per_page: 2 });
      result.calls += 1;
      const [latest, before] = statuses.data;
      const good = latest?.state === 'success' || (latest?.state === 'inactive' && before?.state === 'success');
      if (latest) {
        // A record GitHub marked inactive keeps its success's description and links.
        const telling = latest.state === 'inactive' && good ? before! : latest;
        Object.assign(record, { state: latest.state, description: telling.description ?? '' });
        if (telling.environment_url) record.environmentUrl = telling.environment_url;
        if (telling.log_url) record.logUrl = telling.log_url;
      }
      if (!good) {
        // An error is the deploy's own trouble (stopped, cut short), not a verdict on the version.
        if (latest?.state === 'failure') badVersions.set(versionId, `its version failed later (deployment ${deployment.id})`);
        skip(deployment.id, latest ? `its latest status is ${latest.state}${latest.state === 'inactive' ? ' without a success before it' : ''}` : 'it has no status', versionId);
        continue;
      }
      if (lookingForCurrent) {
        lookingForCurrent = false;
        currentVersionId = versionId;
        result.current = record;
        skip(deployment.id, 'the version serving now', versionId);
        continue;
      }
      if (!(await isDeployable(versionId))) {
        skip(deployment.id, 'its version can no longer be deployed', versionId);
        continue;
      }
      result.found = record;
      return result;
    }
  }
  return result;
}

/** The payload of a record this package wrote (an object, or GitHub's JSON text of one), else undefined. */
export function readPayload(payload: unknown): DeploymentPayload | undefined {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { provider, worker, versionId } = value as Record<string, unknown>;
  if (typeof provider !== 'string' || typeof worker !== 'string' || typeof versionId !== 'string' || versionId === '') return undefined;
  return value as DeploymentPayload;
}

/** The repository this run belongs to (GITHUB_REPOSITORY), if the runner said. */
export function runRepository(env: NodeJS.ProcessEnv = process.env): Repository | undefined {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  return owner && repo && rest.length === 0 ? { owner, repo } : undefined;
}

/** This run's page, at its attempt when known: what a record's log_url points at. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run, GITHUB_RUN_ATTEMPT: attempt } = env;
  if (!server || !repository || !run) return undefined;
  return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${run}${attempt ? `/attempts/${attempt}` : ''}`;
}
