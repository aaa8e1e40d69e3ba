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

/**
 * setTimeout for any delay: Node fires a timer of more than MAX_TIMER_MS (about 24.8 days, which
 * `timeout-minutes: 35792` passes) at once, so a long delay is waited in steps.
 */
export function setLongTimeout(callback: () => void, ms: number): { clear(): void } {
  const due = Date.now() + ms;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = due - Date.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(callback, Math.max(0, left));
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}

/**
 * The promise, or the signal's reason as soon as the signal aborts, whichever comes first: a
 * request must never outlive its own time limit, whatever the library under it does.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
