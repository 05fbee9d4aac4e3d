import { describe, expect, it } from 'vitest';
import { createTestClock } from './create-test-clock.ts';

describe('createTestClock', () => {
  it('passes short waits at once, moving virtual time, and records every wait', async () => {
    const clock = createTestClock({ start: 0 });
    await clock.sleep(1_000);
    await clock.sleep(2_000);
    await clock.sleep(-5);
    expect(clock.now()).toBe(3_000);
    expect(clock.waits).toEqual([1_000, 2_000, -5]);
  });

  it('holds long waits until they are fired or aborted', async () => {
    const clock = createTestClock({ start: 0, instantUpToMs: 10 });
    const order: string[] = [];
    const fired = clock.sleep(500).then(() => order.push('fired'));
    const controller = new AbortController();
    const aborted = clock.sleep(900, controller.signal).then(() => order.push('aborted'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    controller.abort();
    await aborted;
    await clock.fireLongWaits();
    await fired;
    expect(order).toEqual(['aborted', 'fired']);
    expect(clock.now()).toBe(500);
  });
});
