// Ctrl+C, SIGTERM and SIGHUP while the CLI runs: the steps run in process groups of their own, so a
// signal to this process alone does not reach them; it cancels the run instead, as cancelling a
// workflow does, and the CLI then exits as killed by the signal.
import { constants } from 'node:os';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface SignalCancellation {
  signal: AbortSignal;
  /** Stops listening; the exit code for the signal that stopped the run, if one did. */
  release(): number | undefined;
}

export function cancelOnSignals(): SignalCancellation {
  const cancel = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy ??= signal;
    cancel.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    signal: cancel.signal,
    release() {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      return stoppedBy ? 128 + constants.signals[stoppedBy] : undefined;
    }
  };
}
