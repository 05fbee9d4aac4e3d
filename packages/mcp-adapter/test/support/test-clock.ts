import type { Clock } from '@openai-integration/transport';

/** A clock for tests whose long waits are released by hand. */
export interface TestClock extends Clock {
  /** Every wait asked for, in ms, in order. */
  readonly waits: number[];
  /** Wakes every wait that has not resolved yet (e.g. an attempt timeout), moving time to it. */
  fireLongWaits(): Promise<void>;
}

/**
 * Virtual time: a wait up to `instantUpToMs` (retry backoff) resolves at once and moves
 * time forward; a longer one (attempt and idle timeouts) only ends when the test calls
 * `fireLongWaits()` or its signal aborts. No real time passes either way.
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
