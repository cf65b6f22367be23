// Which version `to` resolves to, on deployment histories as a platform reports them (newest first).
import { describe, expect, it } from '@jest/globals';
import { resolveTarget, rolledBackFrom, TargetError, type RollbackTarget } from '../../actions/rollback/src/target.js';
import { history, versions } from '../helpers/fake-traffic-provider.js';

const all = versions('v1', 'v2', 'v3', 'v4');

function resolve(target: RollbackTarget, ...splits: string[]) {
  const deployments = history(...splits);
  return resolveTarget(target, deployments[0]!, deployments, all);
}

describe('to: previous', () => {
  it('is the newest earlier deployment serving one version at 100 %, skipping the current one', () => {
    expect(resolve({ kind: 'previous' }, 'v1', 'v2', 'v3')).toMatchObject({ versionId: 'v2', alreadyServing: false });
  });

  it('skips splits: a canary half-way was never a known good state', () => {
    expect(resolve({ kind: 'previous' }, 'v1', 'v1:95 v2:5', 'v1:50 v2:50', 'v2', 'v2:75 v3:25', 'v3')).toMatchObject({ versionId: 'v2' });
  });

  it('skips earlier deployments of the version serving now, which would change nothing', () => {
    expect(resolve({ kind: 'previous' }, 'v1', 'v2', 'v2', 'v2')).toMatchObject({ versionId: 'v1' });
  });

  it('during a split, is the version that served alone before it', () => {
    const target = resolve({ kind: 'previous' }, 'v1', 'v2', 'v2:90 v3:10');
    expect(target).toMatchObject({ versionId: 'v2' });
    expect(target.why).toBe('the previous deployment serving one version at 100 % (dep-2, 2026-12-01T09:01:00.000Z)');
  });

  it('fails in one line when there is nothing earlier to go back to', () => {
    expect(() => resolve({ kind: 'previous' }, 'v1:95 v2:5', 'v2')).toThrow(new TargetError('no earlier deployment served one version at 100 % other than what serves now (v2 100 %): there is nothing to roll back to'));
    expect(() => resolve({ kind: 'previous' }, 'v1')).toThrow(TargetError);
  });
});

describe('to: a version id', () => {
  it('is that version, even one that never served', () => {
    expect(resolve({ kind: 'version', id: 'v4' }, 'v1', 'v2')).toMatchObject({ versionId: 'v4', alreadyServing: false });
  });

  it('says when it already serves alone', () => {
    expect(resolve({ kind: 'version', id: 'v2' }, 'v1', 'v2')).toMatchObject({ versionId: 'v2', alreadyServing: true });
    expect(resolve({ kind: 'version', id: 'v2' }, 'v1', 'v1:50 v2:50')).toMatchObject({ versionId: 'v2', alreadyServing: false });
  });

  it('names the newest versions when the id is not one of them', () => {
    expect(() => resolve({ kind: 'version', id: 'v9' }, 'v1')).toThrow("version v9 is not one of this Worker's versions (the newest: v4, v3, v2)");
  });
});

describe('to: stable', () => {
  it('during a split, is the version that served alone before the split, whichever has more traffic', () => {
    expect(resolve({ kind: 'stable' }, 'v1', 'v1:95 v2:5')).toMatchObject({ versionId: 'v1' });
    expect(resolve({ kind: 'stable' }, 'v1', 'v1:95 v2:5', 'v1:25 v2:75')).toMatchObject({ versionId: 'v1', why: 'the version of the split that last served 100 % on its own' });
    // v2 was promoted once, then a new split started from v3: stable is v3.
    expect(resolve({ kind: 'stable' }, 'v2', 'v3', 'v3:50 v2:50')).toMatchObject({ versionId: 'v3' });
  });

  it('is the older version of the split when neither served alone', () => {
    expect(resolve({ kind: 'stable' }, 'v1', 'v3:60 v4:40')).toMatchObject({ versionId: 'v3', why: 'the older version of the split (neither served 100 % on its own before)' });
  });

  it('with canary-version, is the other version of the split', () => {
    expect(resolve({ kind: 'stable', canary: 'v1' }, 'v1', 'v1:95 v2:5')).toMatchObject({ versionId: 'v2' });
    expect(() => resolve({ kind: 'stable', canary: 'v4' }, 'v1', 'v1:95 v2:5')).toThrow('the canary-version v4 is not in the current split (v1 95 % + v2 5 %)');
  });

  it('is already serving when the version serving alone is not the canary', () => {
    expect(resolve({ kind: 'stable', canary: 'v2' }, 'v1', 'v1:95 v2:5', 'v1')).toMatchObject({ versionId: 'v1', alreadyServing: true });
  });

  it('fails without a split to end, unless the canary-version says stable already serves', () => {
    expect(() => resolve({ kind: 'stable' }, 'v1', 'v2')).toThrow('to: stable needs a split (two versions serving), but v2 100 % serves; use to: previous or a version id');
    expect(() => resolve({ kind: 'stable', canary: 'v2' }, 'v1', 'v2')).toThrow('to: stable needs a split (two versions serving), but v2 100 % serves, which is the canary; use to: previous or a version id');
  });
});

describe('rolled-back-from', () => {
  it('is the version left behind: the canary when ending a split, the one with most traffic otherwise', () => {
    const [split] = history('v1:75 v2:25');
    expect(rolledBackFrom(split!, 'v1')).toBe('v2');
    expect(rolledBackFrom(split!, 'v3')).toBe('v1');
    const [alone] = history('v2');
    expect(rolledBackFrom(alone!, 'v1')).toBe('v2');
    expect(rolledBackFrom(alone!, 'v2')).toBe('v2');
  });
});
