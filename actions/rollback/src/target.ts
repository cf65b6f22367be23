// Which version a rollback goes to, decided from what the platform says serves now and served before.
// Pure: the deployments and versions are read by the caller, so every rule here is tested on data.
import type { Deployment, VersionShare, WorkerVersion } from '@deploy-actions/providers';

export type RollbackTarget =
  | { kind: 'previous' }
  | { kind: 'version'; id: string }
  /** `canary`: the canary's id when the user named it; otherwise stable is decided from the history. */
  | { kind: 'stable'; canary?: string };

export interface ResolvedTarget {
  versionId: string;
  /** One line for the log: why this version. */
  why: string;
  /** The target already serves 100 % on its own: there is nothing to change. */
  alreadyServing: boolean;
}

/** The state of things does not allow the rollback asked for. Its message is the one line a user sees. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/** `a1b2c3d4 100 %`, `a1b2c3d4 75 % + e5f6a7b8 25 %`: a split as a user reads it. */
export function describeSplit(versions: readonly VersionShare[]): string {
  return versions.map((v) => `${v.versionId} ${v.percentage} %`).join(' + ');
}

function servesAlone(deployment: Deployment): string | undefined {
  const [only, ...rest] = deployment.versions;
  return only && rest.length === 0 && only.percentage === 100 ? only.versionId : undefined;
}

/**
 * `current` serves now; `deployments` is the history, newest first (it may include `current`, which
 * is recognised by its id); `versions` every uploaded version, newest first.
 */
export function resolveTarget(target: RollbackTarget, current: Deployment, deployments: readonly Deployment[], versions: readonly WorkerVersion[]): ResolvedTarget {
  const earlier = deployments.filter((d) => d.id !== current.id);
  const currentAlone = servesAlone(current);
  const serving = describeSplit(current.versions);

  switch (target.kind) {
    case 'previous': {
      // A split is not a known good state, and a deployment of the version serving now would change nothing.
      const found = earlier.find((d) => {
        const alone = servesAlone(d);
        return alone !== undefined && alone !== currentAlone;
      });
      if (!found) throw new TargetError(`no earlier deployment served one version at 100 % other than what serves now (${serving}): there is nothing to roll back to`);
      return { versionId: servesAlone(found)!, why: `the previous deployment serving one version at 100 % (${found.id}, ${found.createdOn})`, alreadyServing: false };
    }

    case 'version': {
      if (!versions.some((v) => v.id === target.id)) {
        const newest = versions.slice(0, 3).map((v) => v.id);
        throw new TargetError(`version ${target.id} is not one of this Worker's versions${newest.length > 0 ? ` (the newest: ${newest.join(', ')})` : ''}`);
      }
      return { versionId: target.id, why: 'the version asked for', alreadyServing: currentAlone === target.id };
    }

    case 'stable': {
      if (current.versions.length < 2) {
        // No split: the version serving alone is stable unless it is the named canary.
        if (target.canary !== undefined && currentAlone !== undefined && currentAlone !== target.canary) {
          return { versionId: currentAlone, why: `the version that is not the canary ${target.canary}; it already serves alone`, alreadyServing: true };
        }
        throw new TargetError(
          `to: stable needs a split (two versions serving), but ${serving} serves${currentAlone === target.canary ? ', which is the canary' : ''}; use to: previous or a version id`
        );
      }
      const ids = current.versions.map((v) => v.versionId);
      if (target.canary !== undefined) {
        if (!ids.includes(target.canary)) throw new TargetError(`the canary-version ${target.canary} is not in the current split (${serving})`);
        return { versionId: ids.find((id) => id !== target.canary)!, why: `the version of the split that is not the canary ${target.canary}`, alreadyServing: false };
      }
      // The version that served alone most recently before the split is the one the split started from.
      const before = earlier.map(servesAlone).find((id) => id !== undefined && ids.includes(id));
      if (before) return { versionId: before, why: 'the version of the split that last served 100 % on its own', alreadyServing: false };
      const created = (id: string) => Date.parse(versions.find((v) => v.id === id)?.createdOn ?? '') || Number.POSITIVE_INFINITY;
      const older = [...ids].sort((a, b) => created(a) - created(b))[0]!;
      return { versionId: older, why: 'the older version of the split (neither served 100 % on its own before)', alreadyServing: false };
    }
  }
}

/**
 * The version a rollback leaves: the one with the most traffic that is not the target (the canary
 * when going back to stable); the target itself when nothing changes.
 */
export function rolledBackFrom(current: Deployment, targetId: string): string {
  const others = current.versions.filter((v) => v.versionId !== targetId).sort((a, b) => b.percentage - a.percentage);
  return others[0]?.versionId ?? targetId;
}
