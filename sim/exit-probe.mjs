// Preloaded with `node --import` by runAction({ probe: true }): when the action's process exits,
// however it exits (return, process.exit, a signal handler), it writes when it exited (its own
// clock, so a busy test process reading the exit late does not move it), its peak resident
// memory and the node: modules it loaded, where the runner asked. The action itself never sees
// this file.
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.FINE_TUNE_WATCH_SIM_PROBE_FILE;

/** VmHWM from /proc (Linux); getrusage's maxRSS is carried over from the parent across fork and exec. */
function peakRssBytes() {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Node's own list of the modules it loaded ('NativeModule http', …): the public ones, by name. */
function loadedBuiltins() {
  return process.moduleLoadList
    .filter((entry) => entry.startsWith('NativeModule ') && !entry.startsWith('NativeModule internal/'))
    .map((entry) => entry.slice('NativeModule '.length));
}

if (target) {
  process.on('exit', () => {
    writeFileSync(
      target,
      JSON.stringify({ exitedAt: Date.now(), peakRssBytes: peakRssBytes(), builtins: loadedBuiltins() }),
    );
  });
}
