// One shim call as the bed sees it, what it answers, and the argument parsing every tool shares.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, type Platform, type PlatformStore } from './store.ts';

export interface Invocation {
  tool: string;
  argv: string[];
  cwd: string;
  /** Only the variables the tools read (credentials, region, project ids), forwarded by the shim. */
  env: Record<string, string>;
}

export interface Outcome {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The credentials the bed accepts; bed.env hands them out. */
export interface BedSecrets {
  awsAccessKeyId: string;
  awsSecretAccessKey: string;
  vercelToken: string;
  shuttleApiKey: string;
  databasePassword: string;
}

export interface CommandContext {
  store: PlatformStore;
  secrets: BedSecrets;
  appUrl(platform: Platform, app: string): string;
  versionUrl(platform: Platform, app: string, version: string): string;
  /** True once for a call that `failNext` picked: the handler fails it as its platform would, before any change. */
  faulted(): boolean;
}

export type Handler = (call: Invocation, context: CommandContext) => Outcome | Promise<Outcome>;

export const ok = (stdout: string, stderr = ''): Outcome => ({ stdout, stderr, exitCode: 0 });

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs`, strict, with positionals; an unknown option or a missing value becomes the
 * CliError `describe` words it as (each tool has its own way of saying so).
 */
export function parseOptions<T extends Options>(args: string[], options: T, describe: (problem: string) => CliError) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw describe((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** The words of argv that are not options or option values, for matching `failNext(tool, 'migrate up')`. */
export function leadingWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  return words;
}
