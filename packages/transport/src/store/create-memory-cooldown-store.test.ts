import { createManualClock } from '@openai-integration/core';
import { describe, expect, it } from 'vitest';
import { createMemoryCooldownStore } from './create-memory-cooldown-store.ts';

describe('createMemoryCooldownStore', () => {
  it('keeps a tripped key down for its duration on its own clock, then forgets it', async () => {
    const clock = createManualClock(1_000);
    const store = createMemoryCooldownStore({ clock });
    expect(store.remaining('chat:gpt-4o')).toBe(0);
    store.trip('chat:gpt-4o', 30_000);
    expect(store.remaining('chat:gpt-4o')).toBe(30_000);
    expect(store.remaining('chat:other')).toBe(0);
    await clock.advance(29_999);
    expect(store.remaining('chat:gpt-4o')).toBe(1);
    await clock.advance(1);
    expect(store.remaining('chat:gpt-4o')).toBe(0);
    expect(store.size()).toBe(0);
  });

  it('extends a cooldown with a later trip and never shortens it', async () => {
    const clock = createManualClock();
    const store = createMemoryCooldownStore({ clock });
    store.trip('k', 10_000);
    store.trip('k', 2_000);
    expect(store.remaining('k')).toBe(10_000);
    await clock.advance(5_000);
    store.trip('k', 20_000);
    expect(store.remaining('k')).toBe(20_000);
  });

  it('gives the probe to exactly one owner until it releases it or its lease ends', async () => {
    const clock = createManualClock();
    const store = createMemoryCooldownStore({ clock });
    expect(store.claimProbe('k', 'first', 5_000)).toBe(true);
    expect(store.claimProbe('k', 'second', 5_000)).toBe(false);
    expect(store.claimProbe('k', 'first', 5_000)).toBe(false);
    store.releaseProbe('k', 'second', { recovered: true });
    expect(store.claimProbe('k', 'second', 5_000)).toBe(false);
    await clock.advance(5_000);
    expect(store.claimProbe('k', 'second', 5_000)).toBe(true);
    store.releaseProbe('k', 'second', { recovered: false, durationMs: 0 });
    expect(store.claimProbe('k', 'first', 1_000)).toBe(true);
  });

  it('clears the cooldown when the probe recovered and trips it again when it did not', () => {
    const clock = createManualClock();
    const store = createMemoryCooldownStore({ clock });
    store.trip('k', 1_000);
    expect(store.claimProbe('k', 'owner', 5_000)).toBe(true);
    store.releaseProbe('k', 'owner', { recovered: false, durationMs: 60_000 });
    expect(store.remaining('k')).toBe(60_000);
    expect(store.claimProbe('k', 'owner', 5_000)).toBe(true);
    store.releaseProbe('k', 'owner', { recovered: true });
    expect(store.remaining('k')).toBe(0);
    expect(store.size()).toBe(0);
  });

  it('counts negative and NaN durations as 0, and a lease of 0 as no claim held', () => {
    const store = createMemoryCooldownStore({ clock: createManualClock() });
    store.trip('k', -5);
    store.trip('k', Number.NaN);
    expect(store.remaining('k')).toBe(0);
    expect(store.claimProbe('k', 'a', 0)).toBe(true);
    expect(store.claimProbe('k', 'b', 0)).toBe(true);
    expect(store.size()).toBe(0);
  });

  it('keeps at most maxKeys keys, dropping spent ones first, then the one whose cooldown ends first', async () => {
    const clock = createManualClock();
    const store = createMemoryCooldownStore({ clock, maxKeys: 2 });
    store.trip('short', 1_000);
    store.trip('long', 9_000);
    store.trip('third', 5_000);
    expect(store.size()).toBe(2);
    expect(store.remaining('short')).toBe(0);
    expect(store.remaining('long')).toBe(9_000);
    expect(store.remaining('third')).toBe(5_000);
    await clock.advance(5_000);
    store.trip('fourth', 1_000);
    expect(store.size()).toBe(2);
    expect(store.remaining('long')).toBe(4_000);
    expect(store.remaining('fourth')).toBe(1_000);
  });

  it('throws a TypeError for a maxKeys that is not a whole number >= 1, and runs on the system clock by default', () => {
    expect(() => createMemoryCooldownStore({ maxKeys: 0 })).toThrow(TypeError);
    expect(() => createMemoryCooldownStore({ maxKeys: 1.5 })).toThrow('maxKeys must be a whole number >= 1, got 1.5');
    const store = createMemoryCooldownStore();
    store.trip('k', 60_000);
    expect(store.remaining('k')).toBeGreaterThan(59_000);
  });
});
