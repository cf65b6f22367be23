// canary-shift's steps and bake: what a user may write, and the one line a mistake gets.
import { describe, expect, it } from '@jest/globals';
import { describePlan, parseBake, parseSteps, planSteps } from '../../actions/canary-shift/src/plan.js';

describe('parseSteps', () => {
  it('reads ascending percentages ending at 100', () => {
    expect(parseSteps('steps', '0,5,25,50,100')).toEqual([0, 5, 25, 50, 100]);
    expect(parseSteps('steps', '5%, 25%\n50%\n100')).toEqual([5, 25, 50, 100]);
    expect(parseSteps('steps', '0.5,100')).toEqual([0.5, 100]);
    expect(parseSteps('steps', '100')).toEqual([100]);
  });

  it.each([
    ['5,25,50', 'input steps: the last step is 50, not 100; expected ascending percentages from 0 to 100 ending at 100, such as 0,5,25,50,100'],
    ['0,25,5,100', 'input steps: 5 does not come after 25; expected ascending percentages from 0 to 100 ending at 100, such as 0,5,25,50,100'],
    ['0,5,5,100', 'input steps: 5 does not come after 5; expected ascending percentages from 0 to 100 ending at 100, such as 0,5,25,50,100'],
    ['0,half,100', 'input steps: "half" is not a percentage from 0 to 100; expected ascending percentages from 0 to 100 ending at 100, such as 0,5,25,50,100'],
    ['0,150', 'input steps: "150" is not a percentage from 0 to 100; expected ascending percentages from 0 to 100 ending at 100, such as 0,5,25,50,100'],
    [' , ', 'input steps: it lists no step; expected ascending percentages from 0 to 100 ending at 100, such as 0,5,25,50,100']
  ])('refuses %j in one line', (raw, message) => {
    expect(() => parseSteps('steps', raw)).toThrow(message);
  });
});

describe('parseBake and planSteps', () => {
  const steps = [0, 5, 25, 50, 100];

  it('gives one duration to every step below 100 %', () => {
    const bake = parseBake('bake', '30m', steps);
    expect([...bake]).toEqual([[0, 1_800_000], [5, 1_800_000], [25, 1_800_000], [50, 1_800_000]]);
    expect(planSteps(steps, bake, 60_000).map((s) => s.windows)).toEqual([30, 30, 30, 30, 0]);
  });

  it('bakes the named steps in the per-step form; a step left out is judged once, 100 only when named', () => {
    const bake = parseBake('bake', '5:30m,25:30m,50:30m', steps);
    expect(planSteps(steps, bake, 600_000)).toEqual([
      { percentage: 0, windows: 1 },
      { percentage: 5, windows: 3 },
      { percentage: 25, windows: 3 },
      { percentage: 50, windows: 3 },
      { percentage: 100, windows: 0 }
    ]);
    expect(planSteps(steps, parseBake('bake', '100:10m', steps), 300_000).at(-1)).toEqual({ percentage: 100, windows: 2 });
  });

  it('rounds a bake up to whole windows, and judges a step below 100 % at least once', () => {
    expect(planSteps([5, 100], parseBake('bake', '70s', [5, 100]), 60_000)[0]!.windows).toBe(2);
    expect(planSteps([5, 100], parseBake('bake', '0', [5, 100]), 60_000)[0]!.windows).toBe(1);
  });

  it.each([
    ['7:30m', 'input bake: "7:30m" names step 7, which is not in steps (0,5,25,50,100); expected a duration such as 30m for every step below 100 %, or per step such as 5:30m,25:30m,50:30m'],
    ['5:30m,5:10m', 'input bake: step 5 is named twice; expected a duration such as 30m for every step below 100 %, or per step such as 5:30m,25:30m,50:30m'],
    ['5=30m,25:1m', 'input bake: "5=30m" is not step:duration; expected a duration such as 30m for every step below 100 %, or per step such as 5:30m,25:30m,50:30m'],
    ['5:soon', 'input bake: "soon" is not a duration; expected a duration such as 250ms, 10s, 5m, 1h or 1m30s'],
    ['half an hour', 'input bake: "half an hour" is not a duration; expected a duration such as 250ms, 10s, 5m, 1h or 1m30s']
  ])('refuses %j in one line', (raw, message) => {
    expect(() => parseBake('bake', raw, steps)).toThrow(message);
  });

  it('describes the plan in one line', () => {
    expect(describePlan(planSteps(steps, parseBake('bake', '30s', steps), 10_000), 10_000)).toBe('0 % (3 × 10s) → 5 % (3 × 10s) → 25 % (3 × 10s) → 50 % (3 × 10s) → 100 %');
  });
});
