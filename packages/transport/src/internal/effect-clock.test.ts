import { createManualClock } from '@openai-integration/core';
import { Clock, Effect, Fiber } from 'effect';
import { describe, expect, it } from 'vitest';
import { toEffectClock } from './effect-clock.ts';

describe('toEffectClock', () => {
  it("tells Effect programs the transport clock's time", async () => {
    const clock = createManualClock(1_500);
    const effectClock = toEffectClock(clock);
    expect(effectClock.currentTimeMillisUnsafe()).toBe(1_500);
    expect(effectClock.currentTimeNanosUnsafe()).toBe(1_500_000_000n);
    expect(effectClock.monotonicTimeNanosUnsafe()).toBe(1_500_000_000n);
    const read = Effect.all([
      effectClock.currentTimeMillis,
      effectClock.currentTimeNanos,
      effectClock.monotonicTimeNanos,
    ]);
    expect(await Effect.runPromise(read)).toEqual([1_500, 1_500_000_000n, 1_500_000_000n]);
  });

  it('sleeps on the transport clock, and an interrupted sleep leaves no timer behind', async () => {
    const clock = createManualClock();
    const woke: number[] = [];
    const program = Effect.sleep('2 seconds').pipe(
      Effect.andThen(Clock.currentTimeMillis),
      Effect.map((now) => woke.push(now)),
      Effect.provideService(Clock.Clock, toEffectClock(clock)),
    );
    const fiber = Effect.runFork(program);
    expect(clock.pending()).toBe(1);
    await clock.advance(1_999);
    expect(woke).toEqual([]);
    await clock.advance(1);
    await Effect.runPromise(Fiber.await(fiber));
    expect(woke).toEqual([2_000]);

    const interrupted = Effect.runFork(program);
    expect(clock.pending()).toBe(1);
    await Effect.runPromise(Fiber.interrupt(interrupted));
    expect(clock.pending()).toBe(0);
  });

  it('does not wait for a sleep of zero', async () => {
    const clock = createManualClock();
    const program = Effect.sleep(0).pipe(Effect.as('done'), Effect.provideService(Clock.Clock, toEffectClock(clock)));
    expect(await Effect.runPromise(program)).toBe('done');
    expect(clock.pending()).toBe(0);
  });
});
