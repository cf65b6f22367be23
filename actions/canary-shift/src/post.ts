// The post step (post-if: always()): when the main step died or was cut short mid-shift, the saved
// state says so, and stable is put back at 100 % — unless someone else changed the deployment since,
// or auto-rollback is off.
import * as core from '@actions/core';
import { InputError } from '@deploy-actions/inputs';
import { Masker, oneLine } from '@deploy-actions/report';
import { readProviderInputs } from './inputs.js';
import { describeSplit } from './split.js';
import { decodeState, encodeState, STATE_KEY } from './state.js';

export async function post(): Promise<void> {
  const state = decodeState(core.getState(STATE_KEY));
  if (!state || state.finished) return;
  if (!state.autoRollback) {
    core.warning(`The shift did not finish; auto-rollback is off, so the split stays: ${describeSplit(state.split)}`);
    return;
  }
  const masker = new Masker();
  try {
    const settings = readProviderInputs();
    if (settings.provider === 'cloudflare') for (const secret of [settings.apiToken, settings.accountId]) masker.add(secret);
    for (const secret of masker.all()) core.setSecret(secret);
    const log = (line: string) => core.info(masker.mask(line));
    const warn = (line: string) => core.warning(masker.mask(line));
    core.info(`The shift did not finish: restoring ${state.stable} at 100 %`);
    const [{ openProvider }, { restoreStable }] = await Promise.all([import('./provider.js'), import('./shift.js')]);
    const provider = await openProvider(settings, masker);
    const restored = await restoreStable(state, { provider, log, warn, saveState: (s) => core.saveState(STATE_KEY, encodeState(s)), autoRollback: true }, state.pending ? [state.split, state.pending] : [state.split]);
    if (restored.changedBy && restored.stableAlone) core.info(masker.mask(restored.error ?? ''));
    else if (restored.changedBy) core.setFailed(masker.mask(oneLine(restored.error ?? 'the deployment was changed by someone else')));
    else if (restored.error) core.setFailed(masker.mask(oneLine(restored.error)));
    else core.info(`${state.stable} serves 100 % again`);
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : masker.mask(`canary-shift post: stable was not restored: ${oneLine((error as Error).message)}`));
  }
}

await post();
process.exit();
