import { toRateLimitSnapshot } from '@openai-integration/core';
import { createManualClock } from '@openai-integration/transport';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, granted, scriptedClient, uniquePrefix } from '../../test/support/clients.ts';
import { recordingLogger } from '../../test/support/recording-logger.ts';
import { createRedisStore } from './create-redis-store.ts';

const day = 86_400_000;
let redis: Redis;
beforeAll(() => {
  redis = connect();
});
afterAll(() => {
  redis.disconnect();
});

const one = { requests: 1, tokens: 0 } as const;

/** A store on a client the test controls, a manual clock and a recording logger. */
function controlled(options: Partial<Parameters<typeof createRedisStore>[0]> = {}) {
  const client = scriptedClient(redis);
  const clock = createManualClock(1_000_000);
  const logger = recordingLogger();
  const store = createRedisStore({
    client,
    clock,
    logger,
    instances: 2,
    windowMs: day,
    prefix: uniquePrefix(),
    limitsFor: () => ({ requests: 10 }),
    ...options,
  });
  const messages = (level: 'warn' | 'info') =>
    logger.records.filter((record) => record.level === level).map((record) => record.message);
  return { client, clock, logger, store, messages };
}

describe('createRedisStore', () => {
  it('refuses settings out of range with a TypeError that names them', () => {
    const client = scriptedClient(undefined);
    expect(() => createRedisStore({ client })).toThrow(/instances is required with whenUnavailable 'local-share'/);
    expect(() => createRedisStore({ client, instances: 0 })).toThrow(/instances must be an integer >= 1, got 0/);
    expect(() => createRedisStore({ client, instances: 2, timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => createRedisStore({ client, instances: 2, borrow: { fraction: 0.9 } })).toThrow(/borrow.fraction/);
    expect(() => createRedisStore({ client, instances: 2, breaker: { failures: 1.5 } })).toThrow(/breaker.failures/);
    expect(() => createRedisStore({ client, instances: 2, prefix: 'a{b}' })).toThrow(/prefix/);
    expect(() => createRedisStore({ client, whenUnavailable: 'sometimes' as unknown as 'refuse' })).toThrow(
      /whenUnavailable must be one of local-share, unpaced, refuse/,
    );
    expect(createRedisStore({ client, whenUnavailable: 'unpaced' }).status()).toEqual({
      mode: 'shared',
      whenUnavailable: 'unpaced',
      commands: 0,
      pending: 0,
    });
  });

  it('paces on its local share while Redis fails, logs entering and leaving once each, and sends kept settles when it is back', async () => {
    const { client, clock, store, messages } = controlled();
    const before = granted(await store.budgets.reserve('k', { requests: 4, tokens: 0 }, 0));
    // One command, or three when Redis had to load the script first.
    const sent = store.status().commands;
    client.behaviour = 'fail';
    // Three failures in a row open the store's breaker; each call is answered by the local share (10 / 2).
    for (let call = 0; call < 3; call += 1) granted(await store.budgets.reserve('k', one, 0));
    expect(store.status()).toMatchObject({ mode: 'degraded', commands: sent + 3 });
    granted(await store.budgets.reserve('k', one, 0));
    granted(await store.budgets.reserve('k', one, 0));
    expect(await store.budgets.reserve('k', one, 0)).toMatchObject({ type: 'refused', reason: 'requests' });
    // While open, nothing goes to Redis.
    expect(store.status().commands).toBe(sent + 3);
    await store.budgets.settle(before, { charged: false, usedTokens: null, snapshot: null });
    expect(store.status().pending).toBe(1);
    // After the cooldown one call probes Redis; it still fails, and the breaker waits twice as long.
    await clock.advance(1_000);
    await store.budgets.reserve('k', one, 0);
    expect(store.status()).toMatchObject({ mode: 'degraded', commands: sent + 4 });
    client.behaviour = 'pass';
    await clock.advance(1_000);
    await store.budgets.reserve('k', one, 0);
    expect(store.status().commands).toBe(sent + 4);
    await clock.advance(1_000);
    granted(await store.budgets.reserve('k', one, 0));
    expect(store.status().mode).toBe('shared');
    await expect.poll(() => store.status().pending).toBe(0);
    // The kept settle gave the 4 requests back: 10 - 1 (the probe's).
    expect((await store.budgets.inspect('k'))?.requests.remaining).toBe(9);
    expect(messages('warn')).toEqual([
      'redis-store: Redis is unavailable; degraded mode (policy local-share) until it answers again',
    ]);
    expect(messages('info')).toEqual(['redis-store: Redis answers again; shared state resumed']);
  });

  it('answers within its timeout when Redis stalls, and opens its breaker after three timeouts', async () => {
    const prefix = uniquePrefix();
    const { client, clock, store, messages, logger } = controlled({ timeoutMs: 150, prefix });
    client.behaviour = 'stall';
    for (let call = 0; call < 3; call += 1) {
      const answer = store.budgets.reserve('k', one, 0);
      await clock.advance(150);
      expect(await answer).toMatchObject({ type: 'granted', waitMs: 0 });
    }
    expect(store.status().mode).toBe('degraded');
    expect(messages('warn')).toHaveLength(1);
    expect(logger.records[0]?.fields).toMatchObject({ reason: 'timeout', failures: 3, policy: 'local-share' });
    // The stalled commands reach Redis in the end: what they took is given back once the store uses Redis again.
    client.behaviour = 'pass';
    client.release();
    const observer = createRedisStore({ client: redis, instances: 2, prefix, limitsFor: () => ({ requests: 10 }) });
    await expect.poll(async () => (await observer.budgets.inspect('k'))?.requests.remaining).toBe(7);
    await clock.advance(1_000);
    granted(await store.budgets.reserve('k', one, 0));
    expect(store.status().mode).toBe('shared');
    await expect.poll(async () => (await observer.budgets.inspect('k'))?.requests.remaining).toBe(9);
  });

  it("with 'unpaced', lets every call go while Redis is away", async () => {
    const { client, store } = controlled({ whenUnavailable: 'unpaced' });
    client.behaviour = 'fail';
    for (let call = 0; call < 20; call += 1) {
      const ticket = granted(await store.budgets.reserve('k', one, 0));
      expect(await store.budgets.delayOf(ticket)).toBe(0);
      await store.budgets.settle(ticket, { charged: true, usedTokens: 5, snapshot: null });
    }
    expect(store.status().pending).toBe(0);
    expect(await store.budgets.inspect('k')).toBeUndefined();
  });

  it("with 'refuse', refuses every call while Redis is away, longer than it may wait", async () => {
    const { client, store } = controlled({ whenUnavailable: 'refuse' });
    client.behaviour = 'fail';
    for (let call = 0; call < 4; call += 1) {
      const answer = await store.budgets.reserve('k', one, 500);
      expect(answer).toMatchObject({ type: 'refused', reason: 'requests' });
      expect(answer.type === 'refused' && answer.waitMs).toBeGreaterThan(500);
    }
  });

  it('observes, pauses, inspects and times queued calls on the local share while Redis is away', async () => {
    const { client, clock, store } = controlled({ limitsFor: () => undefined, instances: 4 });
    // The limits Redis reported before the outage are what the local share divides.
    await store.budgets.observe(
      'k',
      toRateLimitSnapshot(
        new Headers({ 'x-ratelimit-limit-requests': '40', 'x-ratelimit-remaining-requests': '40' }),
        clock.now(),
      )!,
    );
    granted(await store.budgets.reserve('k', one, 0));
    client.behaviour = 'fail';
    for (let call = 0; call < 3; call += 1) await store.budgets.inspect('k');
    expect(store.status().mode).toBe('degraded');
    for (let call = 0; call < 10; call += 1) granted(await store.budgets.reserve('k', one, 0));
    const queued = granted(await store.budgets.reserve('k', one, day));
    expect(await store.budgets.delayOf(queued)).toBeGreaterThan(0);
    await store.budgets.pause('k', 5_000);
    expect((await store.budgets.inspect('k'))?.pausedUntil).toBe(clock.now() + 5_000);
    await store.budgets.observe(
      'k',
      toRateLimitSnapshot(
        new Headers({ 'x-ratelimit-limit-requests': '40', 'x-ratelimit-remaining-requests': '0' }),
        clock.now(),
      )!,
    );
    // 0 of 40 left: 0 of this process's 10 (and the calls it queued).
    expect((await store.budgets.inspect('k'))?.requests).toMatchObject({ limit: 10 });
    expect((await store.budgets.inspect('k'))?.requests.remaining).toBeLessThan(0);
    await store.budgets.settle(queued, { charged: false, usedTokens: null, snapshot: null });
  });

  it('keeps at most maxPending settles for Redis, dropping the oldest with one warning', async () => {
    const { client, store, messages } = controlled({ maxPending: 2 });
    const tickets = [
      granted(await store.budgets.reserve('k', one, 0)),
      granted(await store.budgets.reserve('k', one, 0)),
      granted(await store.budgets.reserve('k', one, 0)),
    ];
    client.behaviour = 'fail';
    for (const ticket of tickets)
      await store.budgets.settle(ticket, { charged: true, usedTokens: null, snapshot: null });
    expect(store.status().pending).toBe(2);
    expect(messages('warn')).toContain(
      'redis-store: too many settles waiting for Redis; the oldest are dropped (their budget refills with time)',
    );
  });
});
