import { describe, expect, it } from 'vitest';
import { createManualClock } from './create-manual-clock.ts';

describe('createManualClock', () => {
  it('starts at the given time and only moves when told', async () => {
    const clock = createManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.advance(250);
    expect(clock.now()).toBe(1_250);
    await clock.advance(-5);
    expect(clock.now()).toBe(1_250);
  });

  it('wakes sleepers in time order, ties in the order they started, and stops at the target time', async () => {
    const clock = createManualClock();
    const woke: string[] = [];
    void clock.sleep(300).then(() => woke.push(`c@${clock.now()}`));
    void clock.sleep(100).then(() => woke.push(`a@${clock.now()}`));
    void clock.sleep(100).then(() => woke.push(`b@${clock.now()}`));
    void clock.sleep(900).then(() => woke.push(`d@${clock.now()}`));
    await clock.advance(500);
    expect(woke).toEqual(['a@100', 'b@100', 'c@300']);
    expect(clock.now()).toBe(500);
    expect(clock.pending()).toBe(1);
  });

  it('lets chained waits run within one advance', async () => {
    const clock = createManualClock();
    const times: number[] = [];
    void (async () => {
      for (let index = 0; index < 3; index += 1) {
        await clock.sleep(100);
        times.push(clock.now());
      }
    })();
    await clock.advance(1_000);
    expect(times).toEqual([100, 200, 300]);
  });

  it('runs every pending wake-up with runAll and reports how many ran', async () => {
    const clock = createManualClock();
    void clock.sleep(5_000);
    void clock.sleep(60_000);
    expect(await clock.runAll()).toBe(2);
    expect(clock.now()).toBe(60_000);
    expect(await clock.runAll()).toBe(0);
  });

  it('stops runAll after maxSteps wake-ups', async () => {
    const clock = createManualClock();
    void clock.sleep(1);
    void clock.sleep(2);
    expect(await clock.runAll(1)).toBe(1);
    expect(clock.pending()).toBe(1);
  });

  it('ends a sleep early, without moving time, when its signal aborts', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(10_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(clock.now()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('does not wait for zero, negative or already-aborted sleeps', async () => {
    const clock = createManualClock();
    await clock.sleep(0);
    await clock.sleep(-1);
    await clock.sleep(50, AbortSignal.abort());
    expect(clock.pending()).toBe(0);
  });
});
