import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A minor garbage collection, on request; a no-op where it cannot be had.
 *
 * A long body arrives as 64 KB socket buffers that live outside V8's heap. Copied into the body's
 * buffer they are garbage at once, but V8 collects them only when its young heap fills (a buffer
 * puts ~100 bytes there) or when 64 MB of them have piled up: reading one 30 MB Together list
 * left all of its buffers alive beside the copy. V8 offers the collection only as `gc`, behind a
 * flag; it is taken from a fresh context, so the action's own global scope does not change.
 */
let collect: (() => void) | undefined;

export function minorGc(): void {
  collect ??= minorCollection();
  collect();
}

/** Found on first use: only long bodies need it, and a fresh context costs start-up time. */
function minorCollection(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as ((options: { type: 'minor' }) => void) | undefined;
    if (typeof gc === 'function') return () => gc({ type: 'minor' });
  } catch {
    // An engine without the flag: the buffers wait for V8's own collections.
  }
  return () => undefined;
}
