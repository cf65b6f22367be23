// What canary-shift and rollback need from a platform, whatever the platform is. Cloudflare Workers
// implement it through wrangler (and the API for what wrangler does not expose); any other platform
// through the user's own commands.

/** One version's share of the traffic, 0–100. */
export interface VersionShare {
  versionId: string;
  percentage: number;
}

export interface Deployment {
  id: string;
  /** ISO 8601. */
  createdOn: string;
  /** The versions serving traffic, with their shares (summing to 100). */
  versions: VersionShare[];
  /** The deployment's message (Cloudflare: annotations["workers/message"]), if any. */
  message?: string;
  /** Who or what made it (Cloudflare: author_email / source), if known. */
  author?: string;
}

export interface WorkerVersion {
  id: string;
  /** Cloudflare's per-Worker version number, if the platform has one. */
  number?: number;
  /** ISO 8601. */
  createdOn: string;
  tag?: string;
  message?: string;
}

/** How to aim a request at one version, whatever the current split. */
export interface VersionRoute {
  /** Replaces the probe URL when the platform serves each version at its own address. */
  url?: string;
  /** Headers added to the request (Cloudflare: Cloudflare-Workers-Version-Overrides). */
  headers: Array<[string, string]>;
}

/** What a version served over a time window, from the platform's own analytics. */
export interface VersionTraffic {
  requests: number;
  errors: number;
  /** Milliseconds; null when the platform reported no duration for the window. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface TimeWindow {
  start: Date;
  end: Date;
}

export interface RollbackOptions {
  message: string;
  /** Deploy even when the target's secrets changed since it was uploaded (Cloudflare 10220). */
  force: boolean;
}

export interface UploadOptions {
  tag?: string;
  message?: string;
}

/** One run of the tool a provider drives (wrangler, the user's command), timed. */
export interface ToolCall {
  /** `versions deploy`, `deployments status`, `shift-command` … */
  command: string;
  durationMs: number;
  exitCode: number;
}

export interface TrafficProvider {
  /** For messages: "Cloudflare Worker my-api", "command provider". */
  readonly description: string;
  /** Every tool run so far, oldest first (the benchmark prints wrangler's own time beside ours). */
  readonly toolCalls?: readonly ToolCall[];
  /** The deployment serving traffic now. */
  currentDeployment(): Promise<Deployment>;
  /** Newest first. */
  listDeployments(): Promise<Deployment[]>;
  /** Newest first, by creation time. */
  listVersions(): Promise<WorkerVersion[]>;
  /** Serve this split (one or two versions, percentages summing to 100). */
  shift(split: VersionShare[], message: string): Promise<Deployment>;
  /** Serve one version at 100 %, as a rollback (Cloudflare keeps it apart from ordinary deploys). */
  rollback(versionId: string, options: RollbackOptions): Promise<Deployment>;
  /** Upload a new version without serving it. Not every provider can. */
  upload?(options: UploadOptions): Promise<WorkerVersion>;
  /** How a probe reaches one version. */
  routeTo(versionId: string): VersionRoute;
  /** Per version id, what it served in the window. Not every provider can. */
  traffic?(versionIds: readonly string[], window: TimeWindow): Promise<Map<string, VersionTraffic>>;
}

/** A platform said no. One line, with the platform's own code and words, and what the tool printed. */
export class ProviderError extends Error {
  constructor(
    message: string,
    /** The platform's error code, e.g. Cloudflare's 10220. */
    readonly code?: number,
    /** The last lines the tool wrote to stderr, already masked by the caller's masker. */
    readonly stderr?: string,
    /** Names of things the error is about (e.g. the changed secrets on 10220). */
    readonly names?: readonly string[]
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
