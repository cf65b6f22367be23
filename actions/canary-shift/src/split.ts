// Splits of traffic between versions: how they are built, compared and described. Small and shared
// by the main step, the post step and the shift itself.
import type { Deployment, VersionShare } from '@deploy-actions/providers';

/** The split serving `percentage` % to the canary and the rest to stable. */
export function splitFor(canary: string, stable: string, percentage: number): VersionShare[] {
  if (percentage >= 100) return [{ versionId: canary, percentage: 100 }];
  return [
    { versionId: canary, percentage },
    { versionId: stable, percentage: 100 - percentage }
  ];
}

/** Two splits serve the same traffic: the same versions at the same shares (a 0 % entry serves nothing). */
export function sameSplit(a: readonly VersionShare[], b: readonly VersionShare[]): boolean {
  const key = (split: readonly VersionShare[]) =>
    split
      .filter((s) => s.percentage > 0)
      .map((s) => `${s.versionId}@${s.percentage}`)
      .sort()
      .join(' ');
  return key(a) === key(b);
}

/** `v2 at 25 %, v1 at 75 %`. */
export function describeSplit(split: readonly VersionShare[]): string {
  return split.map((s) => `${s.versionId} at ${s.percentage} %`).join(', ');
}

/** A deployment in one line: its id, who made it, and its versions. */
export function describeDeployment(deployment: Deployment): string {
  const by = deployment.author ? ` by ${deployment.author}` : '';
  return `deployment ${deployment.id}${by} serves ${describeSplit(deployment.versions)}`;
}
