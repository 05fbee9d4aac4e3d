import { describe, expect, it } from 'vitest';
import { errAsync, okAsync } from 'neverthrow';
import { createManualClock } from '../clock/create-manual-clock.ts';
import { unavailable } from '../../test/support/sample-errors.ts';
import { createBreakerRegistry } from './create-breaker-registry.ts';
import type { BreakerStateChange } from './create-circuit-breaker.ts';

describe('createBreakerRegistry', () => {
  it('keeps one breaker per key, each with its own state', async () => {
    const clock = createManualClock();
    const breakers = createBreakerRegistry({ clock, consecutiveFailures: 1 });
    await breakers.get('chat:gpt-4o').execute(() => errAsync(unavailable()));

    expect(breakers.get('chat:gpt-4o')).toBe(breakers.get('chat:gpt-4o'));
    expect(await breakers.get('chat:gpt-4o').state()).toMatchObject({ type: 'open' });
    expect(await breakers.get('embeddings').execute(() => okAsync(1))).toMatchObject({ value: 1 });
    expect(breakers.keys()).toEqual(['chat:gpt-4o', 'embeddings']);
  });

  it('reports a snapshot of every breaker for health pages', async () => {
    const clock = createManualClock();
    const breakers = createBreakerRegistry({ clock, consecutiveFailures: 1, openDurationMs: 5_000 });
    await breakers.get('a').execute(() => errAsync(unavailable()));
    await breakers.get('b').execute(() => okAsync(1));

    expect(await breakers.snapshot()).toEqual([
      { key: 'a', state: { type: 'open', openedAt: 0, halfOpenAt: 5_000, trips: 1 }, calls: 0, failures: 0, failureRate: null, consecutiveFailures: 0 },
      { key: 'b', state: { type: 'closed' }, calls: 1, failures: 0, failureRate: 0, consecutiveFailures: 0 },
    ]);
  });

  it('applies per-key overrides and passes the key to shared hooks', async () => {
    const clock = createManualClock();
    const changes: BreakerStateChange[] = [];
    const breakers = createBreakerRegistry({
      clock,
      consecutiveFailures: 3,
      optionsFor: (key) => (key === 'fragile' ? { consecutiveFailures: 1 } : {}),
      onBreak: (change) => changes.push(change),
    });
    await breakers.get('fragile').execute(() => errAsync(unavailable()));
    await breakers.get('sturdy').execute(() => errAsync(unavailable()));
    expect(changes.map((change) => change.key)).toEqual(['fragile']);
  });

  it('throws a TypeError for out-of-range shared options when built', () => {
    expect(() => createBreakerRegistry({ minimumCalls: -1 })).toThrow(TypeError);
  });
});
