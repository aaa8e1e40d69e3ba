// Preloaded with `node --import` by runAction({ measurePeakRss: true }): when the action's
// process exits, however it exits (return, process.exit, a signal handler), its peak resident
// memory is written where the runner asked. The action itself never sees this file.
import { writeFileSync } from 'node:fs';

const target = process.env.FINE_TUNE_WATCH_SIM_PEAK_RSS_FILE;
if (target) {
  process.on('exit', () => {
    // resourceUsage().maxRSS is in kilobytes.
    writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}
