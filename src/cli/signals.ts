import { RunCancelled } from '../errors.js';
import { interruptedExitCode } from './exit-codes.js';

/** After Ctrl-C, cancelling the job and the last lines get this long before the process quits anyway. */
const FORCE_EXIT_AFTER_MS = 5_000;

/**
 * Ctrl-C (or SIGTERM) stops the watch cleanly: the signal aborts `controller` with RunCancelled,
 * so the engine cancels the job when asked to and the result is still printed. A second signal,
 * or a stop that takes too long, exits at once.
 */
export function stopOnSignals(controller: AbortController): () => void {
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(interruptedExitCode(name));
    controller.abort(new RunCancelled(name));
    setTimeout(() => process.exit(interruptedExitCode(name)), FORCE_EXIT_AFTER_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
