/*
 * Preloaded into the action's process with NODE_OPTIONS=--import, so `node dist/index.js` runs
 * unchanged. At exit it writes the process's own getrusage (user and system CPU of every thread,
 * peak RSS) to BENCH_PROBE_FILE. getrusage counts from the process's start, so node's own
 * bootstrap is included: differential rows subtract it away, start-up rows time wall clock.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ cpuUs: usage.userCPUTime + usage.systemCPUTime, maxRssKb: usage.maxRSS }),
    );
  });
}
