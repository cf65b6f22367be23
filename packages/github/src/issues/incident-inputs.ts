// The incident-issue inputs canary-shift and rollback share, read one way for both. A module of its
// own (the package's `./incident-inputs`): an action's inputs.ts reads it at start-up, and it must not
// bring the GitHub client along.
import { InputError, parseBoolean, type Inputs } from '@deploy-actions/inputs';

/** Where an incident is written: with this token, named after this environment. */
export interface IncidentSettings {
  token: string;
  environment: string;
}

/** `incident-issue` and what it needs (`github-token`; `github-environment`, else `environment`); undefined when it is off. */
export function readIncidentSettings(inputs: Inputs<'incident-issue' | 'github-token' | 'github-environment' | 'environment'>): IncidentSettings | undefined {
  if (!inputs.with('incident-issue', parseBoolean)) return undefined;
  const token = inputs.string('github-token');
  if (token === '') throw new InputError('github-token', 'it is empty, but incident-issue needs a token to write the incident', 'a token with issues: write, such as ${{ github.token }}');
  const environment = inputs.string('github-environment') || inputs.string('environment');
  if (environment === '') throw new InputError('incident-issue', 'it needs an environment to name the incident, but github-environment and environment are empty', 'github-environment (or environment) set, such as production');
  return { token, environment };
}
