// The state the main step saves after every write and the post step reads: one JSON value.
import type { ShiftState } from './shift.js';

export const STATE_KEY = 'canary-shift';

export function encodeState(state: ShiftState): string {
  return JSON.stringify(state);
}

/** The saved state, or undefined when there is none or it is not ours. */
export function decodeState(raw: string): ShiftState | undefined {
  if (raw.trim() === '') return undefined;
  try {
    const value = JSON.parse(raw) as Partial<ShiftState>;
    if (typeof value.canary !== 'string' || typeof value.stable !== 'string' || !Array.isArray(value.split) || typeof value.finished !== 'boolean') return undefined;
    const split = value.split.filter((s): s is ShiftState['split'][number] => typeof s?.versionId === 'string' && typeof s?.percentage === 'number');
    const pending = Array.isArray(value.pending) ? value.pending.filter((s): s is ShiftState['split'][number] => typeof s?.versionId === 'string' && typeof s?.percentage === 'number') : undefined;
    return { canary: value.canary, stable: value.stable, split, ...(pending ? { pending } : {}), finished: value.finished, autoRollback: value.autoRollback !== false };
  } catch {
    return undefined;
  }
}
