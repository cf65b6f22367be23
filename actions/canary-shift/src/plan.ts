// The shape of a shift: the canary's share at each step and how many analysis windows each step is
// judged for. Parsed from `steps`, `bake` and `interval` before anything is touched.
import { InputError, formatDuration, parseDuration } from '@deploy-actions/inputs';

export interface PlannedStep {
  /** The canary's share, 0–100. */
  percentage: number;
  /** Analysis windows this step is judged for; 0 only for a 100 % step nobody asked to bake. */
  windows: number;
}

const STEPS_FORM = 'ascending percentages from 0 to 100 ending at 100, such as 0,5,25,50,100';

/** `0,5,25,50,100`: distinct, ascending, each 0–100 with at most two decimals, the last 100. */
export function parseSteps(input: string, raw: string): number[] {
  const items = raw
    .split(/[\n,]/)
    .map((item) => item.trim().replace(/%$/, ''))
    .filter((item) => item !== '');
  if (items.length === 0) throw new InputError(input, 'it lists no step', STEPS_FORM);
  const steps = items.map((item) => {
    if (!/^\d+(?:\.\d{1,2})?$/.test(item) || Number(item) > 100) throw new InputError(input, `${JSON.stringify(item)} is not a percentage from 0 to 100`, STEPS_FORM);
    return Number(item);
  });
  steps.forEach((step, i) => {
    if (i > 0 && step <= steps[i - 1]!) throw new InputError(input, `${step} does not come after ${steps[i - 1]}`, STEPS_FORM);
  });
  if (steps.at(-1) !== 100) throw new InputError(input, `the last step is ${steps.at(-1)}, not 100`, STEPS_FORM);
  return steps;
}

const BAKE_FORM = 'a duration such as 30m for every step below 100 %, or per step such as 5:30m,25:30m,50:30m';

/**
 * How long each step bakes, in milliseconds. One duration covers every step below 100 %; the per-step
 * form names steps, and a step it leaves out bakes for no time (so it is judged for one window).
 * A 100 % step bakes only when named.
 */
export function parseBake(input: string, raw: string, steps: readonly number[]): Map<number, number> {
  const text = raw.trim();
  const bake = new Map<number, number>();
  if (!text.includes(':')) {
    const ms = parseDuration(input, text === '' ? '0' : text, { min: 0, max: 24 * 3_600_000 });
    for (const step of steps) if (step < 100) bake.set(step, ms);
    return bake;
  }
  for (const item of text.split(/[\n,]/).map((part) => part.trim()).filter((part) => part !== '')) {
    const match = /^(\d+(?:\.\d{1,2})?)%?\s*:\s*(.+)$/.exec(item);
    if (!match) throw new InputError(input, `${JSON.stringify(item)} is not step:duration`, BAKE_FORM);
    const step = Number(match[1]);
    if (!steps.includes(step)) throw new InputError(input, `${JSON.stringify(item)} names step ${step}, which is not in steps (${steps.join(',')})`, BAKE_FORM);
    if (bake.has(step)) throw new InputError(input, `step ${step} is named twice`, BAKE_FORM);
    bake.set(step, parseDuration(input, match[2]!, { min: 0, max: 24 * 3_600_000 }));
  }
  return bake;
}

/** Each step with its windows: a bake rounded up to whole windows, at least one below 100 %. */
export function planSteps(steps: readonly number[], bake: ReadonlyMap<number, number>, intervalMs: number): PlannedStep[] {
  return steps.map((percentage) => {
    const ms = bake.get(percentage);
    const windows = ms === undefined ? 0 : Math.ceil(ms / intervalMs);
    return { percentage, windows: percentage < 100 ? Math.max(1, windows) : windows };
  });
}

/** `0 % → 5 % (3 × 10s) → 100 %`: the plan in one line for the log. */
export function describePlan(plan: readonly PlannedStep[], intervalMs: number): string {
  return plan.map((step) => `${step.percentage} %${step.windows > 0 ? ` (${step.windows} × ${formatDuration(intervalMs)})` : ''}`).join(' → ');
}
