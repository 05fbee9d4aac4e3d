/** A clock for tests whose waits are released by hand; it fits `@openai-integration/transport`'s `Clock`. */
export interface TestClock {
  /** The current virtual time in epoch milliseconds. */
  now(): number;
  /** Waits `ms` of virtual time; never rejects (see {@link createTestClock}). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Every wait asked for, in ms, in order: what a test asserts a backoff schedule on. */
  readonly waits: readonly number[];
  /** Ends every wait still pending (an attempt or stream idle timeout), moving time to each. */
  fireLongWaits(): Promise<void>;
}

/**
 * Virtual time for tests of code that retries and times out: a wait up to
 * `instantUpToMs` (default 120 s: retry backoff, rate-limit pauses) resolves at once
 * and moves time forward by its length; a longer one (attempt timeouts, stream idle
 * timeouts) ends only when the test calls `fireLongWaits()` or the wait's signal
 * aborts. No real time passes, so a test of a 1-2-4-8 s backoff takes microseconds and
 * gives the same result every run.
 *
 * @example
 * const clock = createTestClock();
 * const operations = createOperations({ clock, load: { apiKey: 'sk-test', baseUrl: simulator.baseURL } });
 * // ... after a call that was retried twice:
 * expect(clock.waits).toEqual([1_000, 2_000]);
 */
export function createTestClock(options: { readonly instantUpToMs?: number; readonly start?: number } = {}): TestClock {
  const instantUpToMs = options.instantUpToMs ?? 120_000;
  let now = options.start ?? 1_700_000_000_000;
  const waits: number[] = [];
  const long = new Set<{ readonly ms: number; readonly wake: () => void }>();
  return {
    waits,
    now: () => now,
    sleep(ms, signal) {
      waits.push(ms);
      if (ms <= instantUpToMs) {
        now += Math.max(0, ms);
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const entry = {
          ms,
          wake: () => {
            long.delete(entry);
            resolve();
          },
        };
        long.add(entry);
        signal?.addEventListener('abort', entry.wake, { once: true });
      });
    },
    async fireLongWaits() {
      for (const entry of [...long]) {
        now += entry.ms;
        entry.wake();
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
