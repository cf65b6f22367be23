// Cloudflare Workers through the real wrangler (versions, deployments, uploads, splits) and the API
// where wrangler would do something we must not: its non-interactive `rollback` retries with
// `?force=true` when Cloudflare answers 10220 (the target's secrets changed since it was uploaded;
// wrangler-dist/cli.js, handleRollback: confirm2() returns its fallback `true` in a non-interactive
// context, then createDeployment(…, force = true)). So a rollback is our own POST of the deployment
// wrangler would send, without force; only with force: true does wrangler's rollback run.
// Reading the deployments is the GET wrangler's `deployments status|list` make, sent by us: starting
// wrangler costs seconds, and canary-shift reads the deployment again before every shift and before
// restoring stable, so the read would be most of a rollback's time.

import { probe } from '@deploy-actions/http';
import { Masker, oneLine } from '@deploy-actions/report';
import { buildTrafficQuery, parseTrafficResponse } from './cloudflare-analytics.js';
import type { CloudflareProviderConfig, ProviderEnvironment } from './config.js';
import { lastLine, stderrTail } from './run.js';
import { ProviderError, type Deployment, type RollbackOptions, type TimeWindow, type ToolCall, type TrafficProvider, type UploadOptions, type VersionRoute, type VersionShare, type VersionTraffic, type WorkerVersion } from './types.js';
import { changedSecrets, cloudflareErrorIn, resolveWrangler, runWrangler, type ResolvedWrangler, type WranglerResult } from './wrangler.js';

export const DEFAULT_API_BASE_URL = 'https://api.cloudflare.com/client/v4';
/** Cloudflare: the rollback target's secrets changed since it was uploaded. */
export const SECRETS_CHANGED_CODE = 10220;
const API_TIMEOUT_MS = 60_000;

interface ApiDeployment {
  id: string;
  created_on: string;
  source?: string;
  author_email?: string;
  versions: Array<{ version_id: string; percentage: number }>;
  annotations?: Record<string, string>;
}

interface ApiVersion {
  id: string;
  number?: number;
  metadata?: { created_on?: string };
  annotations?: Record<string, string>;
}

interface ApiEnvelope<T> {
  success?: boolean;
  errors?: Array<{ code?: number; message?: string }>;
  result?: T;
}

export class CloudflareProvider implements TrafficProvider {
  readonly description: string;
  readonly toolCalls: ToolCall[] = [];
  private readonly env: ProviderEnvironment;
  private readonly apiBase: string;
  private readonly masker: Masker;
  private wrangler?: Promise<ResolvedWrangler>;

  constructor(private readonly config: CloudflareProviderConfig) {
    this.description = `Cloudflare Worker ${config.worker}${config.environment ? ` (environment ${config.environment})` : ''}`;
    this.masker = config.masker ?? new Masker();
    this.masker.add(config.apiToken);
    const base = config.env ?? process.env;
    this.env = { ...base, CLOUDFLARE_API_TOKEN: config.apiToken, CLOUDFLARE_ACCOUNT_ID: config.accountId };
    this.apiBase = (base.CLOUDFLARE_API_BASE_URL || DEFAULT_API_BASE_URL).replace(/\/+$/, '');
  }

  /** The wrangler this provider runs, resolved (and installed if need be) on first use. */
  resolveWrangler(): Promise<ResolvedWrangler> {
    return (this.wrangler ??= resolveWrangler({
      workingDirectory: this.workingDirectory,
      version: this.config.wranglerVersion,
      cacheDirectory: this.config.wranglerCacheDirectory,
      env: this.env,
      masker: this.masker
    }));
  }

  async currentDeployment(): Promise<Deployment> {
    const [current] = await this.deployments();
    if (!current) throw new ProviderError(`the Worker ${this.config.worker} has no deployments`);
    return current;
  }

  async listDeployments(): Promise<Deployment[]> {
    return this.deployments();
  }

  /** The Worker's deployments, newest first, as the API lists them. */
  private async deployments(): Promise<Deployment[]> {
    const answer = await this.api<ApiEnvelope<{ deployments?: ApiDeployment[] }>>('GET', this.deploymentsPath);
    if (answer.success === false || !Array.isArray(answer.result?.deployments)) throw this.apiError(`read the deployments of ${this.config.worker}`, answer);
    return answer.result.deployments.map(toDeployment).sort((a, b) => b.createdOn.localeCompare(a.createdOn));
  }

  async listVersions(): Promise<WorkerVersion[]> {
    const list = this.json<ApiVersion[]>(await this.run(['versions', 'list', '--json']));
    return list.map(toVersion).sort((a, b) => b.createdOn.localeCompare(a.createdOn) || (b.number ?? 0) - (a.number ?? 0));
  }

  async shift(split: VersionShare[], message: string): Promise<Deployment> {
    checkSplit(split);
    const specs = split.map((share) => `${share.versionId}@${share.percentage}%`);
    const result = await this.run(['versions', 'deploy', ...specs, '--yes', '--message', message]);
    const id = result.output.find((entry) => entry.type === 'version-deploy')?.deployment_id;
    if (typeof id !== 'string') return this.currentDeployment();
    return { id, createdOn: new Date().toISOString(), versions: split.map((share) => ({ ...share })), message };
  }

  async rollback(versionId: string, options: RollbackOptions): Promise<Deployment> {
    const body = JSON.stringify({
      strategy: 'percentage',
      versions: [{ version_id: versionId, percentage: 100 }],
      annotations: { 'workers/message': options.message }
    });
    const answer = await this.api<ApiEnvelope<ApiDeployment>>('POST', this.deploymentsPath, body);
    if (answer.result && answer.success !== false) return toDeployment(answer.result);
    const error = answer.errors?.[0];
    if (error?.code === SECRETS_CHANGED_CODE && options.force) {
      // The user said so: wrangler's own rollback, which retries with force=true on exactly this.
      await this.run(['rollback', versionId, '--message', options.message, '--yes']);
      return this.currentDeployment();
    }
    if (error?.code === SECRETS_CHANGED_CODE) {
      const names = changedSecrets(error.message);
      throw new ProviderError(
        `Cloudflare refused to roll ${this.config.worker} back to ${versionId} (code ${SECRETS_CHANGED_CODE}): ` +
          `${names.length ? `the secrets ${names.join(', ')} changed` : 'secrets changed'} since that version was uploaded, and it would run with their new values. ` +
          'Check that version works with them and roll back with force: true, or roll back to a newer version.',
        SECRETS_CHANGED_CODE,
        undefined,
        names
      );
    }
    throw this.apiError(`roll ${this.config.worker} back to ${versionId}`, answer);
  }

  async upload(options: UploadOptions): Promise<WorkerVersion> {
    const args = ['versions', 'upload'];
    if (options.tag) args.push('--tag', options.tag);
    if (options.message) args.push('--message', options.message);
    const result = await this.run(args);
    const entry = result.output.find((item) => item.type === 'version-upload');
    const id = typeof entry?.version_id === 'string' ? entry.version_id : /Worker Version ID:\s*([0-9a-f-]{8,})/i.exec(result.stdout)?.[1];
    if (!id) {
      throw new ProviderError(`wrangler versions upload for ${this.config.worker} succeeded but printed no version id: ${lastLine(this.masker.mask(result.stdout)) || 'no output'}`);
    }
    const createdOn = typeof entry?.timestamp === 'string' ? entry.timestamp : new Date().toISOString();
    return { id, createdOn, tag: options.tag, message: options.message };
  }

  routeTo(versionId: string): VersionRoute {
    return { headers: [['Cloudflare-Workers-Version-Overrides', `${this.config.worker}="${versionId}"`]] };
  }

  async traffic(versionIds: readonly string[], window: TimeWindow): Promise<Map<string, VersionTraffic>> {
    const query = buildTrafficQuery(this.config.accountId, this.config.worker, window);
    return parseTrafficResponse(await this.api<unknown>('POST', '/graphql', JSON.stringify(query)), versionIds);
  }

  private get deploymentsPath(): string {
    return `/accounts/${encodeURIComponent(this.config.accountId)}/workers/scripts/${encodeURIComponent(this.config.worker)}/deployments`;
  }

  private get workingDirectory(): string {
    return this.config.workingDirectory ?? process.cwd();
  }

  /** Runs wrangler with the Worker's name (and environment); a failure becomes a ProviderError in Cloudflare's words. */
  private async run(args: string[]): Promise<WranglerResult> {
    const { bin } = await this.resolveWrangler();
    const full = [...args, '--name', this.config.worker, ...(this.config.environment ? ['--env', this.config.environment] : [])];
    // `versions deploy`, `deployments status`, `rollback`: the command without its arguments.
    const command = args.slice(0, args[0] === 'rollback' ? 1 : 2).join(' ');
    let result: WranglerResult;
    try {
      result = await runWrangler(bin, full, { cwd: this.workingDirectory, env: this.env });
    } catch (error) {
      throw new ProviderError(`wrangler ${command} could not start: ${lastLine(this.masker.mask(error instanceof Error ? error.message : String(error)))}`);
    }
    this.toolCalls.push({ command, durationMs: result.durationMs, exitCode: result.exitCode });
    if (result.exitCode === 0) return result;
    const tail = stderrTail(result.stderr, this.masker);
    const { code, message } = cloudflareErrorIn(this.masker.mask(result.stderr), result.output);
    const reason = message ? `${oneLine(message)}${code !== undefined ? ` (Cloudflare code ${code})` : ''}` : lastLine(tail) || `exit code ${result.exitCode} and nothing on stderr`;
    const names = code === SECRETS_CHANGED_CODE ? changedSecrets(message) : undefined;
    throw new ProviderError(`wrangler ${command} for ${this.config.worker} failed: ${reason}`, code, tail || undefined, names);
  }

  private json<T>(result: WranglerResult): T {
    const text = result.stdout.trim();
    const start = text.search(/^[[{]/m);
    try {
      return JSON.parse(start > 0 ? text.slice(start) : text) as T;
    } catch {
      throw new ProviderError(`wrangler printed no JSON where --json asks for it: ${lastLine(this.masker.mask(text)).slice(0, 200) || 'no output'}`);
    }
  }

  /** One JSON request to the API, with the token; the parsed answer, whatever its status. */
  private async api<T>(method: string, path: string, body?: string): Promise<T> {
    const result = await probe(`${this.apiBase}${path}`, {
      method,
      headers: [['Authorization', `Bearer ${this.config.apiToken}`], ...(body === undefined ? [] : ([['Content-Type', 'application/json']] as Array<[string, string]>))],
      body,
      timeoutMs: API_TIMEOUT_MS,
      env: this.env as NodeJS.ProcessEnv
    });
    if (!result.response) throw new ProviderError(`the Cloudflare API (${path}) could not be reached: ${this.masker.mask(result.failure?.message ?? 'no answer')}`);
    const text = result.response.body.toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderError(`the Cloudflare API (${path}) answered HTTP ${result.response.status} without JSON: ${oneLine(this.masker.mask(text)).slice(0, 200)}`);
    }
  }

  private apiError(action: string, answer: ApiEnvelope<unknown>): ProviderError {
    const error = answer.errors?.[0];
    const words = error?.message ? oneLine(this.masker.mask(error.message)) : 'no error given';
    return new ProviderError(`Cloudflare refused to ${action}: ${words}${error?.code !== undefined ? ` (code ${error.code})` : ''}`, error?.code);
  }
}

function checkSplit(split: readonly VersionShare[]): void {
  const total = split.reduce((sum, share) => sum + share.percentage, 0);
  if (split.length < 1 || split.length > 2 || Math.abs(total - 100) > 1e-6 || split.some((share) => !(share.percentage >= 0 && share.percentage <= 100))) {
    throw new ProviderError(`a Cloudflare deployment is one or two versions with percentages from 0 to 100 summing to 100, not ${split.map((s) => `${s.versionId}@${s.percentage}%`).join(' ') || 'none'}`);
  }
}

function toDeployment(raw: ApiDeployment): Deployment {
  return {
    id: raw.id,
    createdOn: raw.created_on,
    versions: raw.versions.map((v) => ({ versionId: v.version_id, percentage: v.percentage })),
    message: raw.annotations?.['workers/message'] || undefined,
    author: raw.author_email || raw.source || undefined
  };
}

function toVersion(raw: ApiVersion): WorkerVersion {
  return {
    id: raw.id,
    number: raw.number,
    createdOn: raw.metadata?.created_on ?? '',
    tag: raw.annotations?.['workers/tag'] || undefined,
    message: raw.annotations?.['workers/message'] || undefined
  };
}
