import type { Outcome } from '../constants.js';
import type { JobReport } from '../engine/job-report.js';
import type { SetReport } from '../engine/watch-jobs.js';
import { ConfigError } from '../errors.js';

/**
 * The CLI's exit codes, a contract for scripts and other CI systems (documented in the README
 * and in --help): each says why the run ended without parsing any output.
 */
export const ExitCode = {
  /** The job succeeded, or ended in an outcome not in --fail-on. */
  Success: 0,
  /** The job failed or was cancelled (or another outcome listed in --fail-on). */
  JobFailed: 1,
  /** A bad flag or value: nothing was asked of the provider. */
  Usage: 2,
  /** --timeout-minutes ran out (with `timed_out` in --fail-on, as by default). */
  TimedOut: 3,
  /** The provider refused: bad key (401/403), unknown job (404), or another answer retrying cannot fix. */
  ApiError: 4,
} as const;

/** 128 + the signal's number, as shells report a process that a signal ended. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export function interruptedExitCode(signalName: string): number {
  return SIGNAL_EXIT[signalName] ?? 130;
}

/**
 * A set of jobs exits as its worst job: an error of the run's own first, then an interruption,
 * then a job that failed (1) before one that only timed out (3).
 */
export function exitCodeOfSet(
  set: SetReport,
  failOn: ReadonlySet<Outcome>,
  interruptedBy: string | null,
): number {
  const codes = set.jobs.map((job) => exitCodeOf(job, failOn, interruptedBy));
  const order = [
    ExitCode.Usage,
    ExitCode.ApiError,
    interruptedExitCode(interruptedBy ?? 'SIGINT'),
    ExitCode.JobFailed,
    ExitCode.TimedOut,
  ];
  return order.find((code) => codes.includes(code)) ?? ExitCode.Success;
}

export function exitCodeOf(
  report: JobReport,
  failOn: ReadonlySet<Outcome>,
  interruptedBy: string | null,
): number {
  // Missing cloud credentials are a usage problem, like a missing key; the rest is the API's.
  if (report.failure) return report.failure instanceof ConfigError ? ExitCode.Usage : ExitCode.ApiError;
  if (report.interrupted) return interruptedExitCode(interruptedBy ?? 'SIGINT');
  if (report.outcome === null || !failOn.has(report.outcome)) return ExitCode.Success;
  return report.outcome === 'timed_out' ? ExitCode.TimedOut : ExitCode.JobFailed;
}
