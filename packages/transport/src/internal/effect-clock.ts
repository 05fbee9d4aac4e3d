import type { Clock } from '@openai-integration/core';
import { Duration, Effect, type Clock as EffectClock } from 'effect';
import { startTimer } from '../clock/start-timer.ts';

/**
 * Effect's `Clock` service over a transport {@link Clock}: Effect programs read the
 * time and sleep on the clock the transport was given (the system clock, or a manual
 * clock in tests). A sleep is a timer on that clock; interrupting it cancels the timer.
 *
 * @internal Its type names effect: kept out of the published declarations.
 */
export function toEffectClock(clock: Clock): EffectClock.Clock {
  const nanos = (): bigint => BigInt(Math.round(clock.now() * 1_000_000));
  return {
    currentTimeMillisUnsafe: () => clock.now(),
    currentTimeMillis: Effect.sync(() => clock.now()),
    currentTimeNanosUnsafe: nanos,
    currentTimeNanos: Effect.sync(nanos),
    monotonicTimeNanosUnsafe: nanos,
    monotonicTimeNanos: Effect.sync(nanos),
    sleep: (duration) => {
      const ms = Duration.toMillis(duration);
      if (!(ms > 0)) return Effect.void;
      return Effect.callback<undefined>((resume) => {
        const cancel = startTimer(clock, ms, () => {
          resume(Effect.undefined);
        });
        return Effect.sync(cancel);
      });
    },
  };
}
