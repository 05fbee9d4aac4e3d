import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.ts';

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads Date.now()', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    expect(systemClock.now()).toBe(1_700_000_000_000);
  });

  it('sleeps with setTimeout', async () => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = systemClock.sleep(1_000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('ends a sleep early and clears its timer when the signal aborts', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not wait for zero or already-aborted sleeps', async () => {
    vi.useFakeTimers();
    await systemClock.sleep(0);
    await systemClock.sleep(10, AbortSignal.abort());
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs a timer with setTimeout, and clears it when cancelled', async () => {
    vi.useFakeTimers();
    let fired = 0;
    systemClock.setTimer?.(1_000, () => (fired += 1));
    const cancel = systemClock.setTimer?.(1_000, () => (fired += 10));
    cancel?.();
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
