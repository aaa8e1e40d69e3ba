import type { JobSnapshot } from '../model.js';
import type { Platform } from '../providers/index.js';
import type { Log } from '../report/log.js';
import type { WatchReporter } from './poll-loop.js';

/**
 * One warning per status the platform's table does not know (the job is treated as running),
 * for every front end alike.
 */
export function unknownStatusWarning(log: Log, platform: Platform): WatchReporter {
  const warned = new Set<string>();
  return {
    status(job: JobSnapshot) {
      const status = job.providerStatus.toLowerCase();
      if (job.statusKnown || warned.has(status)) return;
      warned.add(status);
      log.warning(
        `${platform.displayName} reported status "${job.providerStatus}", which fine-tune-watch does not know; treating the job as still running.`,
      );
    },
    events: () => undefined,
    heartbeat: () => undefined,
  };
}
