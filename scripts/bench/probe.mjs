/*
 * Preloaded into the action's process with NODE_OPTIONS=--import, so `node dist/index.js` runs
 * unchanged. At exit it writes the process's own getrusage (user and system CPU of every thread)
 * and its peak RSS to BENCH_PROBE_FILE. getrusage counts from the process's start, so node's own
 * bootstrap is included: differential rows subtract it away, start-up rows time wall clock.
 *
 * Peak RSS comes from /proc/self/status (VmHWM) where there is one: Linux carries getrusage's
 * maxRSS over from the parent across fork and exec, so a child of a large bench process would
 * report the bench's size, not its own.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_PROBE_FILE;

function peakRssKb(usage) {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // Not Linux: getrusage is all there is.
  }
  return usage.maxRSS;
}

if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ cpuUs: usage.userCPUTime + usage.systemCPUTime, maxRssKb: peakRssKb(usage) }),
    );
  });
}
