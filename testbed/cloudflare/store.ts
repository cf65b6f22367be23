// The state of the Cloudflare test bed, shared by its parts: the API stand-in writes it (wrangler's
// uploads, deploys and rollbacks), the data plane reads it (which versions run, how traffic splits)
// and records what it served, which the analytics endpoint answers from.
//
// Erasable TypeScript importing only `./x.ts` siblings, so plain Node 24 can run the bed's CLI.

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

export interface StoredModule {
  name: string;
  contentType: string;
  content: Buffer;
}

export interface StoredVersion {
  id: string;
  /** 1, 2, … per Worker, as Cloudflare numbers them. */
  number: number;
  /** ISO 8601. */
  createdOn: string;
  /** The `metadata` part of the upload, as sent (main_module, bindings, compatibility_date, annotations …). */
  metadata: Record<string, unknown>;
  modules: StoredModule[];
  /** Secret name → the generation of that secret this version was uploaded with (see WorkerState.secrets). */
  secretGenerations: Record<string, number>;
}

export interface StoredDeployment {
  id: string;
  /** ISO 8601. */
  createdOn: string;
  source: string;
  strategy: 'percentage';
  versions: Array<{ version_id: string; percentage: number }>;
  annotations: Record<string, string>;
  author_email: string;
}

export interface WorkerState {
  name: string;
  /** Oldest first. */
  versions: StoredVersion[];
  /** Oldest first; the last one serves traffic. */
  deployments: StoredDeployment[];
  /** Secret name → its generation, bumped on every change. */
  secrets: Map<string, { generation: number; value: string }>;
}

/** One request the data plane served. */
export interface ServedRequest {
  worker: string;
  versionId: string;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  status: number;
  durationMs: number;
}

/** One call the API stand-in answered. */
export interface RecordedCall {
  method: string;
  path: string;
  status: number;
  at: number;
}

export interface StoreEvents {
  /** A version was uploaded (the data plane starts serving it). */
  version: [worker: string, version: StoredVersion];
  /** A deployment was made (the router reads the split live anyway). */
  deployment: [worker: string, deployment: StoredDeployment];
}

export class CloudflareStore extends EventEmitter<StoreEvents> {
  readonly accountId: string;
  readonly workers = new Map<string, WorkerState>();
  readonly served: ServedRequest[] = [];
  readonly calls: RecordedCall[] = [];

  constructor(accountId = '0123456789abcdef0123456789abcdef') {
    super();
    this.accountId = accountId;
  }

  worker(name: string): WorkerState | undefined {
    return this.workers.get(name);
  }

  /** The deployment serving traffic now, if the Worker has one. */
  currentDeployment(name: string): StoredDeployment | undefined {
    const deployments = this.workers.get(name)?.deployments;
    return deployments?.[deployments.length - 1];
  }

  /** Makes a deployment of a Worker the store holds (the data plane follows it at once). */
  addDeployment(name: string, versions: StoredDeployment['versions'], annotations: Record<string, string>, author: string): StoredDeployment {
    const deployment: StoredDeployment = { id: randomUUID(), createdOn: new Date().toISOString(), source: 'wrangler', strategy: 'percentage', versions, annotations, author_email: author };
    this.worker(name)!.deployments.push(deployment);
    this.emit('deployment', name, deployment);
    return deployment;
  }
}
