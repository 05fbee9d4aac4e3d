/**
 * The time source every policy of the workspace reads: `now` for timestamps and
 * `sleep` for waits.
 *
 * `sleep(ms, signal)` resolves after `ms` milliseconds, or as soon as `signal` aborts
 * (it never rejects: the caller checks `signal.aborted` afterwards). Inject
 * {@link createManualClock} in tests to move time by hand.
 */
export interface Clock {
  /** The current time in epoch milliseconds. */
  now(): number;
  /** Waits `ms` milliseconds, or less when `signal` aborts first; never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `callback` once after `ms` milliseconds unless the returned function is
   * called first. Optional: timeouts use it when present (it costs less than a
   * `sleep` with a signal to end it) and fall back to `sleep` otherwise.
   */
  setTimer?(ms: number, callback: () => void): () => void;
}

/**
 * The real clock: `Date.now()` and `setTimeout`, with the timer cleared when the
 * signal aborts (or the timer is cancelled).
 *
 * @example
 * const started = systemClock.now();
 * await systemClock.sleep(1_000);
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || signal?.aborted === true) {
        resolve();
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  setTimer: (ms, callback) => {
    const timer = setTimeout(callback, ms);
    return () => {
      clearTimeout(timer);
    };
  },
};
