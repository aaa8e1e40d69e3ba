import type { WatchReporter } from '../engine/poll-loop.js';

/** One reporter that hands everything to several (the log, the PR comment, …). */
export function combineReporters(...reporters: WatchReporter[]): WatchReporter {
  return {
    status: (job, previous) => {
      for (const reporter of reporters) reporter.status(job, previous);
    },
    events: (events, job, more) => {
      for (const reporter of reporters) reporter.events(events, job, more);
    },
    heartbeat: (job, quietForMs) => {
      for (const reporter of reporters) reporter.heartbeat(job, quietForMs);
    },
  };
}
