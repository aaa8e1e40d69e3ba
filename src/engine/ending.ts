/**
 * How a watch ended, and what that decides: the outcome, whether to ask the provider to cancel
 * the job, and what the last requests may still take. Pure decisions, tested as a table.
 */
import type { Outcome } from '../constants.js';
import type { JobState } from '../model.js';
import { isFinal } from '../status.js';

/** Why the poll loop returned. */
export type StopCause =
  /** The job reached a final state. */
  | 'final'
  /** `wait: false`: it was read once. */
  | 'checked'
  /** timeout-minutes ran out. */
  | 'deadline'
  /** The runner cancelled the step (SIGINT/SIGTERM). */
  | 'cancelled';

/** How long the requests after the watch (cancel, checkpoints, metrics) may take. */
export type LastRequestsBudget =
  /** Their own patience, within the run's time. */
  | 'extras'
  /** timeout-minutes has passed: at most one request timeout more. */
  | 'after-deadline'
  /** The runner waits 7.5 s before SIGTERM and we promised to be gone in 5: a short budget. */
  | 'after-abort';

export interface EndingInput {
  cause: StopCause;
  /** The job's state as last read; null when it was never read. */
  state: JobState | null;
  cancelOnTimeout: boolean;
  cancelOnAbort: boolean;
}

export interface Ending {
  /** The outcome unless a cancel we ask for changes it (see outcomeAfterCancel). */
  outcome: Outcome;
  /** The runner cancelled the step. */
  interrupted: boolean;
  /** Ask the provider to cancel the job now. */
  cancel: boolean;
  budget: LastRequestsBudget;
  /** Read checkpoints and metrics, unless already under way. Not after the step was cancelled. */
  readExtras: boolean;
}

export function decideEnding({ cause, state, cancelOnTimeout, cancelOnAbort }: EndingInput): Ending {
  // The stop can come during the last read of events, after the final status was seen: the job
  // has ended then, its outcome is known, and there is nothing left to cancel.
  const jobEnded = state !== null && isFinal(state);
  const seen: Outcome = state ?? 'running';
  switch (cause) {
    case 'final':
    case 'checked':
      return { outcome: seen, interrupted: false, cancel: false, budget: 'extras', readExtras: true };
    case 'deadline':
      return {
        outcome: jobEnded ? seen : 'timed_out',
        interrupted: false,
        cancel: !jobEnded && cancelOnTimeout,
        budget: 'after-deadline',
        readExtras: true,
      };
    case 'cancelled':
      return {
        outcome: seen,
        interrupted: true,
        cancel: !jobEnded && cancelOnAbort,
        budget: 'after-abort',
        readExtras: false,
      };
  }
}

/** A step cancelled by the runner whose job we had cancelled ends `cancelled`; else as decided. */
export function outcomeAfterCancel(ending: Ending, cancelAccepted: boolean): Outcome {
  return ending.interrupted && cancelAccepted ? 'cancelled' : ending.outcome;
}
