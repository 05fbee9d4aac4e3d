import type { Clock } from './clock.ts';

/** A {@link Clock} whose time only moves when the test says so. */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, waking every sleeper whose time has come in order and
   * letting the code it wakes run before the next one; resolves once time reached
   * `now() + ms` and the woken code has settled.
   */
  advance(ms: number): Promise<void>;
  /**
   * Moves time to each pending wake-up in turn until nothing sleeps any more (or
   * `maxSteps` wake-ups ran); resolves with the number of wake-ups.
   */
  runAll(maxSteps?: number): Promise<number>;
  /** Lets pending promise callbacks run without moving time. */
  flush(): Promise<void>;
  /** How many sleepers are waiting. */
  pending(): number;
}

interface Sleeper {
  readonly at: number;
  readonly order: number;
  readonly wake: () => void;
}

/** Lets pending promise callbacks run: a macrotask later (`setImmediate` where the runtime has it). */
const settle = (): Promise<void> =>
  new Promise((resolve) => {
    // A runtime without setImmediate (a browser) takes a timer.
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });

/**
 * Creates a clock for deterministic tests: `now()` starts at `start` and only moves
 * with `advance` or `runAll`; `sleep` waits for those calls instead of real time.
 *
 * Sleepers wake in time order (ties in the order they started sleeping), and the
 * clock lets the woken code run before waking the next, so chains of waits behave as
 * they would in real time.
 *
 * @example
 * const clock = createManualClock();
 * const transport = createTransport({ clock });
 * const result = transport.execute(operation);
 * await clock.runAll();
 * expect(await result).toEqual(ok('done'));
 */
export function createManualClock(start = 0): ManualClock {
  let current = start;
  let counter = 0;
  let sleepers: Sleeper[] = [];

  const remove = (sleeper: Sleeper): void => {
    sleepers = sleepers.filter((candidate) => candidate !== sleeper);
  };

  const earliest = (): Sleeper | undefined => {
    let first: Sleeper | undefined;
    for (const sleeper of sleepers) {
      if (first === undefined || sleeper.at < first.at || (sleeper.at === first.at && sleeper.order < first.order))
        first = sleeper;
    }
    return first;
  };

  const wakeNext = (limit: number): boolean => {
    const next = earliest();
    if (next === undefined || next.at > limit) return false;
    current = Math.max(current, next.at);
    remove(next);
    next.wake();
    return true;
  };

  return {
    now: () => current,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (ms <= 0 || signal?.aborted === true) {
          resolve();
          return;
        }
        const onAbort = (): void => {
          remove(sleeper);
          resolve();
        };
        const sleeper: Sleeper = {
          at: current + ms,
          order: counter++,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    setTimer: (ms, callback) => {
      const sleeper: Sleeper = { at: current + Math.max(0, ms), order: counter++, wake: callback };
      sleepers.push(sleeper);
      return () => {
        remove(sleeper);
      };
    },
    advance: async (ms) => {
      const target = current + Math.max(0, ms);
      await settle();
      while (wakeNext(target)) await settle();
      current = target;
      await settle();
    },
    runAll: async (maxSteps = 100_000) => {
      let steps = 0;
      await settle();
      while (steps < maxSteps && wakeNext(Number.POSITIVE_INFINITY)) {
        steps += 1;
        await settle();
      }
      return steps;
    },
    flush: settle,
    pending: () => sleepers.length,
  };
}
