// Any platform, through the user's own commands: shift-command sets the split, rollback-command puts
// one version back at 100 %, status-command (optional) prints the split now.
//
// Without status-command the provider cannot see the platform: currentDeployment() answers with what
// this run last set (stable at 100 % before the first shift), so a change made by someone else
// during the run goes unnoticed, and listDeployments() knows only this run's own deployments.

import path from 'node:path';
import { InputError } from '@deploy-actions/inputs';
import { fillArguments, hasPlaceholder, splitArguments } from './arguments.js';
import { COMMAND_INPUTS, type CommandProviderConfig } from './config.js';
import { lastLine, run, stderrTail } from './run.js';
import { ProviderError, type Deployment, type RollbackOptions, type ToolCall, type TrafficProvider, type VersionRoute, type VersionShare, type WorkerVersion } from './types.js';

type CommandInput = keyof typeof COMMAND_INPUTS;

export class CommandProvider implements TrafficProvider {
  readonly description = 'command provider';
  readonly toolCalls: ToolCall[] = [];
  private readonly templates: Partial<Record<CommandInput, string[]>> = {};
  /** Each command's program as findPrograms() found it: what runs. */
  private readonly programs: Partial<Record<CommandInput, string>> = {};
  /** This run's deployments, newest first; the first one is what the run found (assumed). */
  private readonly history: Deployment[];
  private readonly startedAt = new Date();

  constructor(private readonly config: CommandProviderConfig) {
    if (config.shiftCommand !== undefined) this.templates.shiftCommand = splitArguments(COMMAND_INPUTS.shiftCommand, config.shiftCommand);
    this.templates.rollbackCommand = splitArguments(COMMAND_INPUTS.rollbackCommand, config.rollbackCommand);
    if (config.statusCommand?.trim()) this.templates.statusCommand = splitArguments(COMMAND_INPUTS.statusCommand, config.statusCommand);
    this.history = [deploymentOf([{ versionId: config.stableVersion, percentage: 100 }], this.startedAt, 'assumed at the start of the run')];
  }

  /**
   * Finds each command's program before any command runs, as @actions/exec would find it (io.which:
   * a bare name on PATH, a path from the working directory), so that a program that is not there
   * fails the step before anything changed: a canary shifted with no rollback-command to put stable
   * back, say. A program named by a placeholder is left to the run.
   */
  async findPrograms(): Promise<void> {
    const { which } = await import('@actions/io');
    const lookups = new Map<string, Promise<string>>();
    await Promise.all(
      (Object.keys(this.templates) as CommandInput[]).map(async (input) => {
        const program = this.templates[input]![0]!;
        if (hasPlaceholder(program)) return;
        const isPath = path.isAbsolute(program) || program.includes('/') || program.includes(path.sep);
        const candidate = isPath ? path.resolve(this.config.workingDirectory ?? process.cwd(), program) : program;
        if (!lookups.has(candidate)) lookups.set(candidate, which(candidate, false));
        const found = await lookups.get(candidate)!;
        if (!found) {
          throw new InputError(
            COMMAND_INPUTS[input],
            `its program ${JSON.stringify(program)} ${isPath ? 'is not there' : 'is not on PATH'} or is not executable, so no command was run`,
            'a program on PATH, or the path of an executable file (relative to working-directory)'
          );
        }
        this.programs[input] = found;
      })
    );
  }

  async currentDeployment(): Promise<Deployment> {
    if (!this.templates.statusCommand) return this.history[0]!;
    const { stdout } = await this.runTemplate('statusCommand', { canary: this.config.canaryVersion, stable: this.config.stableVersion, percentage: '' });
    return parseStatus(this.config.masker ? this.config.masker.mask(stdout) : stdout);
  }

  async listDeployments(): Promise<Deployment[]> {
    if (!this.templates.statusCommand) return [...this.history];
    const current = await this.currentDeployment();
    return current.id === this.history[0]!.id ? [...this.history] : [current, ...this.history];
  }

  async listVersions(): Promise<WorkerVersion[]> {
    const createdOn = this.startedAt.toISOString();
    const names = [...new Set([this.config.canaryVersion, this.config.stableVersion])];
    return names.map((id) => ({ id, createdOn }));
  }

  async shift(split: VersionShare[], message: string): Promise<Deployment> {
    const { canaryVersion: canary, stableVersion: stable } = this.config;
    const unknown = split.find((share) => share.versionId !== canary && share.versionId !== stable);
    if (unknown) throw new ProviderError(`the command provider shifts only between ${canary} (canary) and ${stable} (stable), not ${unknown.versionId}`);
    if (!this.templates.shiftCommand) throw new ProviderError(`the command provider has no ${COMMAND_INPUTS.shiftCommand} to set a split with`);
    const percentage = split.find((share) => share.versionId === canary)?.percentage ?? 0;
    await this.runTemplate('shiftCommand', { canary, stable, percentage: String(percentage) });
    return this.record(split, message);
  }

  async rollback(versionId: string, options: RollbackOptions): Promise<Deployment> {
    const canary = this.config.canaryVersion;
    await this.runTemplate('rollbackCommand', { canary, stable: versionId, percentage: versionId === canary ? '100' : '0' });
    return this.record([{ versionId, percentage: 100 }], options.message);
  }

  routeTo(versionId: string): VersionRoute {
    const url = versionId === this.config.canaryVersion ? this.config.canaryUrl : versionId === this.config.stableVersion ? this.config.stableUrl : undefined;
    return url ? { url, headers: [] } : { headers: [] };
  }

  private async record(split: VersionShare[], message: string): Promise<Deployment> {
    const deployment = this.templates.statusCommand ? await this.currentDeployment() : deploymentOf(split, new Date(), message);
    this.history.unshift(deployment);
    return deployment;
  }

  private async runTemplate(input: CommandInput, values: { canary: string; stable: string; percentage: string }): Promise<{ stdout: string }> {
    const name = COMMAND_INPUTS[input];
    const [tool, ...args] = fillArguments(this.templates[input]!, values);
    const masker = this.config.masker;
    let result;
    try {
      result = await run(this.programs[input] ?? tool!, args, { cwd: this.config.workingDirectory, env: this.config.env });
    } catch (error) {
      // @actions/exec throws before starting: the tool is not there or not executable.
      const reason = error instanceof Error ? error.message : String(error);
      throw new ProviderError(`${name} could not start ${tool}: ${lastLine(masker ? masker.mask(reason) : reason)}`);
    }
    this.toolCalls.push({ command: name, durationMs: result.durationMs, exitCode: result.exitCode });
    if (result.exitCode !== 0) {
      const tail = stderrTail(result.stderr, masker);
      const said = lastLine(tail) || lastLine(masker ? masker.mask(result.stdout) : result.stdout);
      throw new ProviderError(`${name} failed with exit code ${result.exitCode}${said ? `: ${said}` : ' and printed nothing'}`, undefined, tail || undefined);
    }
    return result;
  }
}

/** A deployment id for a split without one: equal splits, equal ids, so a change shows as a new id. */
function splitId(versions: readonly VersionShare[]): string {
  return versions.map((share) => `${share.versionId}@${share.percentage}%`).join(' ');
}

function deploymentOf(versions: VersionShare[], at: Date, message: string): Deployment {
  return { id: splitId(versions), createdOn: at.toISOString(), versions, message };
}

const STATUS_FORM = '{"versions": [{"version": "<name>", "percentage": <0-100>}, ...]} or that array alone, or a Lambda alias as aws lambda get-alias prints it';

/**
 * A Lambda alias as `aws lambda get-alias` prints it: `FunctionVersion` serves what the
 * `RoutingConfig.AdditionalVersionWeights` (weights from 0 to 1) leave, so a status-command can be
 * get-alias itself. Shares are rounded to a hundredth of a percent, as a weight has four decimals.
 */
function aliasSplit(record: Record<string, unknown>): unknown[] | undefined {
  if (typeof record.FunctionVersion !== 'string') return undefined;
  const routing = (record.RoutingConfig ?? {}) as Record<string, unknown>;
  const weights = (routing.AdditionalVersionWeights ?? {}) as Record<string, unknown>;
  const further = Object.entries(weights).map(([version, weight]) => ({ version, percentage: typeof weight === 'number' ? Math.round(weight * 10_000) / 100 : weight }));
  const rest = further.reduce((sum, share) => sum - (typeof share.percentage === 'number' ? share.percentage : 0), 100);
  return [{ version: record.FunctionVersion, percentage: Math.round(rest * 100) / 100 }, ...further];
}

/** The split status-command printed (its last JSON document, so a chatty script still works). */
export function parseStatus(stdout: string): Deployment {
  const text = stdout.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const start = text.search(/^[[{]/m);
    try {
      parsed = start >= 0 ? JSON.parse(text.slice(start)) : undefined;
    } catch {
      parsed = undefined;
    }
  }
  const record = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  const list = Array.isArray(parsed) ? parsed : (record?.versions ?? (record ? aliasSplit(record) : undefined));
  const versions: VersionShare[] = [];
  if (Array.isArray(list)) {
    for (const entry of list) {
      const item = (entry ?? {}) as Record<string, unknown>;
      const versionId = item.version ?? item.versionId ?? item.version_id;
      const percentage = typeof item.percentage === 'string' ? Number(item.percentage) : item.percentage;
      if (typeof versionId !== 'string' || typeof percentage !== 'number' || !(percentage >= 0 && percentage <= 100)) {
        versions.length = 0;
        break;
      }
      versions.push({ versionId, percentage });
    }
  }
  const total = versions.reduce((sum, share) => sum + share.percentage, 0);
  if (versions.length === 0 || Math.abs(total - 100) > 0.01) {
    const shown = lastLine(text).slice(0, 120) || 'nothing';
    throw new ProviderError(`${COMMAND_INPUTS.statusCommand} printed ${JSON.stringify(shown)}, not a split; expected ${STATUS_FORM}; percentages summing to 100`);
  }
  const id = typeof record?.id === 'string' ? record.id : splitId(versions);
  const createdOn = record?.createdOn ?? record?.created_on;
  return { id, createdOn: typeof createdOn === 'string' ? createdOn : new Date().toISOString(), versions };
}
