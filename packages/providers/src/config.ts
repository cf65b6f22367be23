// What an action hands the provider factory: read from its inputs (the only place inputs are read),
// validated here only where the provider is the one that knows the accepted form.

import { InputError, type Inputs } from '@deploy-actions/inputs';
import type { Masker } from '@deploy-actions/report';

/** The environment a provider runs its tools with (process.env unless a caller narrows it). */
export type ProviderEnvironment = Record<string, string | undefined>;

interface CommonConfig {
  /** Where tools run; default the current directory. */
  workingDirectory?: string;
  /** Default process.env. Tools get this, plus what the provider adds (credentials). */
  env?: ProviderEnvironment;
  /** Every tool output that reaches an error message or a log goes through it first. */
  masker?: Masker;
}

export interface CloudflareProviderConfig extends CommonConfig {
  provider: 'cloudflare';
  /** The Worker's name (wrangler --name). */
  worker: string;
  /** wrangler --env, if any. */
  environment?: string;
  /** Passed to wrangler as CLOUDFLARE_API_TOKEN; masked. */
  apiToken: string;
  /** Passed to wrangler as CLOUDFLARE_ACCOUNT_ID. */
  accountId: string;
  /** Installed when the workspace has no wrangler of its own (node_modules/wrangler up from the working directory). */
  wranglerVersion: string;
  /** Where that install goes; default $RUNNER_TOOL_CACHE (or the temp folder)/deploy-actions-wrangler/<version>. */
  wranglerCacheDirectory?: string;
}

export interface CommandProviderConfig extends CommonConfig {
  provider: 'command';
  /** The canary's name as the commands know it ({canary}). */
  canaryVersion: string;
  /** The stable version's name as the commands know it ({stable}). */
  stableVersion: string;
  /** Argument template run for every shift, e.g. `./shift.sh {canary} {percentage}`; a rollback alone needs none. */
  shiftCommand?: string;
  /** Argument template run to put {stable} back at 100 %. */
  rollbackCommand: string;
  /**
   * Prints the current split as JSON: `{"id"?: "...", "versions": [{"version": "<name>", "percentage": 95}, ...]}`
   * (or the array alone). Without it the provider only knows what this run set (see command.ts).
   */
  statusCommand?: string;
  /** Where probes reach the canary and the stable version; without one, the probe URL as given. */
  canaryUrl?: string;
  stableUrl?: string;
}

export type ProviderConfig = CloudflareProviderConfig | CommandProviderConfig;

/** The input names behind each setting, for errors a user can act on. */
export const COMMAND_INPUTS = {
  shiftCommand: 'shift-command',
  rollbackCommand: 'rollback-command',
  statusCommand: 'status-command'
} as const;

/** What every action that drives Cloudflare reads the same way: the credentials and the wrangler to install. */
export type CloudflareAccess = Pick<CloudflareProviderConfig, 'apiToken' | 'accountId' | 'wranglerVersion'>;

/**
 * Reads `api-token` and `account-id` (each falling back to its CLOUDFLARE_* variable, as wrangler
 * does) and `wrangler-version`: one reader, so canary-shift and rollback accept and refuse the same.
 */
export function readCloudflareAccess(inputs: Inputs<'api-token' | 'account-id' | 'wrangler-version'>, env: ProviderEnvironment): CloudflareAccess {
  const apiToken = inputs.string('api-token') || env.CLOUDFLARE_API_TOKEN || '';
  if (!apiToken) throw new InputError('api-token', 'it is required with provider: cloudflare but was not given (nor CLOUDFLARE_API_TOKEN)', 'a Cloudflare API token, such as ${{ secrets.CLOUDFLARE_API_TOKEN }}');
  const accountId = inputs.string('account-id') || env.CLOUDFLARE_ACCOUNT_ID || '';
  if (!accountId) throw new InputError('account-id', 'it is required with provider: cloudflare but was not given (nor CLOUDFLARE_ACCOUNT_ID)', 'the Cloudflare account id, such as ${{ secrets.CLOUDFLARE_ACCOUNT_ID }}');
  const wranglerVersion = inputs.string('wrangler-version');
  // What `npm install wrangler@<version>` takes without a range: an exact version, or a major (and minor).
  if (!/^\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?$/.test(wranglerVersion)) {
    throw new InputError('wrangler-version', `${JSON.stringify(wranglerVersion)} is not a wrangler version`, 'a version such as 4.164.0 or 4');
  }
  return { apiToken, accountId, wranglerVersion };
}
