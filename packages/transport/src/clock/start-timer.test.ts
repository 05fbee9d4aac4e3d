import { describe, expect, it } from 'vitest';
import type { Clock } from '@openai-integration/core';
import { createManualClock } from '@openai-integration/core';
import { startTimer } from './start-timer.ts';

/** A clock with only `now` and `sleep`, as a caller may write one. */
function sleepOnlyClock(): Clock & { advance(ms: number): Promise<void> } {
  const manual = createManualClock();
  return {
    now: () => manual.now(),
    sleep: (ms, signal) => manual.sleep(ms, signal),
    advance: (ms) => manual.advance(ms),
  };
}

describe('startTimer', () => {
  it.each([
    ['with the clock timer', () => createManualClock()],
    ['with a clock that can only sleep', sleepOnlyClock],
  ])('fires once after the time has passed, %s', async (_name, makeClock) => {
    const clock = makeClock();
    let fired = 0;
    startTimer(clock, 100, () => (fired += 1));
    await clock.advance(99);
    expect(fired).toBe(0);
    await clock.advance(1);
    await clock.advance(1_000);
    expect(fired).toBe(1);
  });

  it.each([
    ['with the clock timer', () => createManualClock()],
    ['with a clock that can only sleep', sleepOnlyClock],
  ])('never fires once cancelled, %s', async (_name, makeClock) => {
    const clock = makeClock();
    let fired = 0;
    const cancel = startTimer(clock, 100, () => (fired += 1));
    cancel();
    await clock.advance(1_000);
    expect(fired).toBe(0);
  });
});
