import { describe, expect, it } from 'vitest';
import { errAsync, okAsync } from 'neverthrow';
import { createManualClock } from '@openai-integration/core';
import { createMemoryStore } from '../store/create-memory-store.ts';
import { createRecordingLogger } from '../../test/support/recording-logger.ts';
import { unavailable } from '../../test/support/sample-errors.ts';
import type { BreakerRecord } from './circuit-state.ts';
import { createBreakerRegistry } from './create-breaker-registry.ts';
import type { BreakerStateChange, BreakerStore } from './create-circuit-breaker.ts';

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
      {
        key: 'a',
        state: { type: 'open', openedAt: 0, halfOpenAt: 5_000, trips: 1 },
        calls: 0,
        failures: 0,
        failureRate: null,
        consecutiveFailures: 0,
      },
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

  it('forgets a closed circuit unused for idleMs, on its clock, and keeps an open one', async () => {
    const clock = createManualClock();
    const breakers = createBreakerRegistry({ clock, idleMs: 60_000, openDurationMs: 600_000, consecutiveFailures: 1 });
    await breakers.get('chat:used').execute(() => okAsync(1));
    await breakers.get('chat:idle').execute(() => okAsync(1));
    await breakers.get('chat:open').execute(() => errAsync(unavailable()));
    await clock.advance(59_999);
    await breakers.get('chat:used').execute(() => okAsync(2));
    expect(breakers.keys()).toEqual(['chat:used', 'chat:idle', 'chat:open']);

    await clock.advance(1);
    expect(breakers.keys()).toEqual(['chat:used', 'chat:open']);
    await clock.advance(120_000);
    expect(breakers.keys()).toEqual(['chat:open']);
    expect(await breakers.get('chat:open').state()).toMatchObject({ type: 'open', trips: 1 });
    // A forgotten key starts again from a closed circuit with an empty window.
    expect(await breakers.get('chat:idle').snapshot()).toMatchObject({ state: { type: 'closed' }, calls: 0 });
  });

  it('sweeps idle keys when a new key comes after idleMs, without being asked for a report', async () => {
    const clock = createManualClock();
    const breakers = createBreakerRegistry({ clock, idleMs: 1_000 });
    const first = breakers.get('a');
    await clock.advance(1_000);
    breakers.get('b');
    expect(breakers.get('a')).not.toBe(first);
  });

  it('keeps at most maxKeys keys, forgetting closed circuits least recently used first and open ones last, with a warning', async () => {
    const clock = createManualClock();
    const logger = createRecordingLogger();
    const breakers = createBreakerRegistry({ clock, logger, maxKeys: 3, consecutiveFailures: 1 });
    await breakers.get('open-1').execute(() => errAsync(unavailable()));
    await clock.advance(1);
    await breakers.get('closed-1').execute(() => okAsync(1));
    await clock.advance(1);
    await breakers.get('closed-2').execute(() => okAsync(1));
    await clock.advance(1);
    breakers.get('closed-1');
    await clock.advance(1);

    breakers.get('new-1');
    expect(breakers.keys()).toEqual(['open-1', 'closed-1', 'new-1']);
    await breakers.get('new-1').execute(() => errAsync(unavailable()));
    await breakers.get('closed-1').execute(() => errAsync(unavailable()));
    expect(logger.lines).toHaveLength(3);

    // Every kept circuit is open: the least recently used one goes, and the log says so.
    await clock.advance(1);
    breakers.get('new-2');
    expect(breakers.keys()).toEqual(['closed-1', 'new-1', 'new-2']);
    expect(logger.lines.at(-1)).toMatchObject({ level: 'warn', fields: { key: 'open-1', maxKeys: 3 } });
  });

  it('makes room for a new key by forgetting idle keys first, and keeps a key whose state is being read or written', async () => {
    const clock = createManualClock();
    const breakers = createBreakerRegistry({ clock, maxKeys: 2, idleMs: 1_000 });
    breakers.get('old');
    await clock.advance(500);
    breakers.get('recent');
    await clock.advance(500);
    breakers.get('new');
    expect(breakers.keys()).toEqual(['recent', 'new']);

    // A shared store that is still writing: the key is not forgotten, idle or not.
    let finishWrite = (): void => undefined;
    const slow: BreakerStore = {
      get: () => undefined,
      set: () =>
        new Promise<void>((resolve) => {
          finishWrite = resolve;
        }),
    };
    const shared = createBreakerRegistry({ clock, store: slow, idleMs: 1_000 });
    const writing = shared.get('busy').execute(() => errAsync(unavailable()));
    await clock.advance(1_000);
    expect(shared.keys()).toEqual(['busy']);
    finishWrite();
    await writing;
    expect(shared.keys()).toEqual([]);
  });

  it('reads the clock once every 1,024 uses of known keys, so a key in steady use is still expired when it goes idle', async () => {
    const clock = createManualClock();
    const breakers = createBreakerRegistry({ clock, idleMs: 16_000 });
    const steady = breakers.get('steady');
    const idle = breakers.get('idle');
    for (let second = 1; second <= 20; second += 1) {
      await clock.advance(1_000);
      for (let use = 0; use < 1_024; use += 1) expect(breakers.get('steady')).toBe(steady);
    }
    // No key was created and no report asked for since the start: the uses alone forgot the idle key.
    expect(breakers.get('idle')).not.toBe(idle);
  });

  it('with a shared store, forgets idle breakers whatever their state, and finds their state again in the store', async () => {
    const clock = createManualClock();
    const store = createMemoryStore<BreakerRecord>();
    const breakers = createBreakerRegistry({
      clock,
      store,
      idleMs: 1_000,
      consecutiveFailures: 1,
      openDurationMs: 60_000,
    });
    const open = breakers.get('chat:gpt-4o');
    await open.execute(() => errAsync(unavailable()));
    await clock.advance(1_000);
    expect(breakers.keys()).toEqual([]);
    expect(breakers.get('chat:gpt-4o')).not.toBe(open);
    expect(await breakers.get('chat:gpt-4o').state()).toMatchObject({ type: 'open' });
  });

  it('keeps a long key as a bounded prefix and a hash of the whole key', () => {
    const breakers = createBreakerRegistry();
    const long = `chat:${'x'.repeat(5_000)}`;
    const breaker = breakers.get(long);
    expect(breaker.key).toHaveLength(200);
    expect(breaker.key).toMatch(/^chat:x+~[0-9a-f]{8}$/);
    expect(breakers.get(long)).toBe(breaker);
    expect(breakers.get(`${long}y`)).not.toBe(breaker);
    expect(breakers.get('x'.repeat(200)).key).toBe('x'.repeat(200));
  });

  it('lists at most limit breakers, open ones first, then half-open, then by failures, with the counts of all', async () => {
    const clock = createManualClock();
    const breakers = createBreakerRegistry({ clock, consecutiveFailures: 2, openDurationMs: 1_000 });
    await breakers.get('b-open').execute(() => errAsync(unavailable()));
    await breakers.get('b-open').execute(() => errAsync(unavailable()));
    await breakers.get('a-half').execute(() => errAsync(unavailable()));
    await breakers.get('a-half').execute(() => errAsync(unavailable()));
    await clock.advance(1_000);
    await breakers.get('a-open').execute(() => errAsync(unavailable()));
    await breakers.get('a-open').execute(() => errAsync(unavailable()));
    await breakers.get('b-open').state();
    await breakers.get('c-failing').execute(() => errAsync(unavailable()));
    await breakers.get('d-fine').execute(() => okAsync(1));
    // b-open reads as half-open now (its time is up); a-half too.
    const list = await breakers.list({ limit: 3 });
    expect(list.breakers.map((breaker) => `${breaker.key} ${breaker.state.type}`)).toEqual([
      'a-open open',
      'a-half half-open',
      'b-open half-open',
    ]);
    expect(list).toMatchObject({ total: 5, open: 1, halfOpen: 2, omitted: 2 });
    await breakers.get('b-fine').execute(() => okAsync(1));
    expect((await breakers.list()).breakers.map((breaker) => breaker.key)).toEqual([
      'a-open',
      'a-half',
      'b-open',
      'c-failing',
      'b-fine',
      'd-fine',
    ]);
    expect((await breakers.list({ limit: 0 })).breakers).toEqual([]);
    expect(() => breakers.list({ limit: -1 })).toThrow(TypeError);
    expect(() => breakers.list({ limit: 1.5 })).toThrow(TypeError);
  });

  it.each([{ maxKeys: 0 }, { maxKeys: 1.5 }, { idleMs: 0 }, { idleMs: Number.NaN }])(
    'throws a TypeError for out-of-range registry options %o',
    (options) => {
      expect(() => createBreakerRegistry(options)).toThrow(TypeError);
    },
  );
});
