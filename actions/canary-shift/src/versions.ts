// Which version is the canary and which is stable, from the inputs and what the platform says now.
import type { Deployment, WorkerVersion } from '@deploy-actions/providers';
import type { CanaryChoice } from './inputs.js';
import { describeDeployment } from './split.js';

/** The versions could not be chosen: one line saying why and what to give instead. */
export class VersionChoiceError extends Error {
  override name = 'VersionChoiceError';
}

export function chooseVersions(
  deployment: Deployment,
  versions: readonly WorkerVersion[],
  choice: Exclude<CanaryChoice, { kind: 'upload' }> | { kind: 'uploaded'; id: string },
  stableInput: string | undefined
): { canary: string; stable: string } {
  const deployed = new Set(deployment.versions.map((v) => v.versionId));
  let canary: string;
  if (choice.kind === 'newest') {
    const newest = [...versions].sort((a, b) => Date.parse(b.createdOn) - Date.parse(a.createdOn)).find((v) => !deployed.has(v.id));
    if (!newest) throw new VersionChoiceError(`every uploaded version is already in the current deployment (${describeDeployment(deployment)}); upload a new version, or set version`);
    canary = newest.id;
  } else {
    canary = choice.id;
    if (choice.kind === 'id' && !versions.some((v) => v.id === canary) && !deployed.has(canary)) {
      throw new VersionChoiceError(`version ${canary} is not an uploaded version (newest: ${versions.slice(0, 3).map((v) => v.id).join(', ') || 'none'})`);
    }
  }
  let stable = stableInput;
  if (stable === undefined) {
    // The version serving the most traffic now that is not the canary itself.
    const serving = [...deployment.versions].filter((v) => v.versionId !== canary).sort((a, b) => b.percentage - a.percentage)[0];
    if (!serving || serving.percentage === 0) throw new VersionChoiceError(`${canary} already serves all the traffic (${describeDeployment(deployment)}); set stable-version to shift from another version`);
    stable = serving.versionId;
  } else if (!versions.some((v) => v.id === stable) && !deployed.has(stable)) {
    throw new VersionChoiceError(`stable-version ${stable} is not an uploaded version`);
  }
  if (stable === canary) throw new VersionChoiceError(`the canary and stable are the same version (${canary})`);
  return { canary, stable };
}
