/** setTimeout's ceiling: longer delays would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
