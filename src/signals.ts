import { RunCancelled } from './errors.js';

export interface SignalPolicy {
  /** The process exits this long after the first signal, whatever is still going on. */
  forceExitAfterMs: number;
  /** The exit code then (and on a second signal, when that exits at once). */
  exitCode: (signal: NodeJS.Signals) => number;
  /** A second signal exits at once (a person pressing Ctrl-C again); else it is ignored. */
  exitOnSecondSignal: boolean;
}

/**
 * SIGINT and SIGTERM stop the watch cleanly: the first aborts `controller` with RunCancelled, so
 * the engine stops polling, cancels the job when asked to and reports; if that takes longer than
 * the policy allows, the process exits anyway. Returns a function that stops listening.
 */
export function stopOnSignals(controller: AbortController, policy: SignalPolicy): () => void {
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      if (policy.exitOnSecondSignal) process.exit(policy.exitCode(name));
      return;
    }
    controller.abort(new RunCancelled(name));
    setTimeout(() => process.exit(policy.exitCode(name)), policy.forceExitAfterMs).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
