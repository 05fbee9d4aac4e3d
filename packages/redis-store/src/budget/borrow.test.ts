import { toRateLimitSnapshot } from '@openai-integration/core';
import { createManualClock } from '@openai-integration/transport';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, granted, scriptedClient, uniquePrefix } from '../../test/support/clients.ts';
import { createRedisStore } from '../store/create-redis-store.ts';
import type { RedisStoreOptions } from '../store/redis-store-options.ts';

const day = 86_400_000;
let redis: Redis;
beforeAll(() => {
  redis = connect();
});
afterAll(() => {
  redis.disconnect();
});

function borrowing(options: Partial<RedisStoreOptions> = {}) {
  const client = scriptedClient(redis);
  const clock = createManualClock(0);
  const prefix = uniquePrefix();
  const store = createRedisStore({
    client,
    clock,
    prefix,
    instances: 2,
    windowMs: day,
    borrow: { fraction: 0.05, holdMs: 1_000 },
    limitsFor: () => ({ requests: 1_000, tokens: 1_000_000 }),
    ...options,
  });
  // What Redis holds, seen by a store that does not borrow.
  const observer = createRedisStore({
    client: redis,
    prefix,
    instances: 2,
    windowMs: day,
    limitsFor: options.limitsFor ?? (() => ({ requests: 1_000, tokens: 1_000_000 })),
  });
  return { client, clock, store, observer };
}

describe('createRedisStore with borrow', () => {
  it('serves most calls from a slice borrowed in one round trip, far from the limit', async () => {
    const { client, store, observer } = borrowing();
    for (let call = 0; call < 100; call += 1)
      granted(await store.budgets.reserve('k', { requests: 1, tokens: 100 }, 0));
    // The first call borrowed 50 requests and 50,000 tokens with its own; the 52nd gave
    // back the tokens the first slice had left and borrowed again.
    expect(client.sent.evalsha).toBe(2);
    expect(await observer.budgets.inspect('k')).toMatchObject({
      requests: { remaining: 1_000 - 2 - 2 * 50 },
      tokens: { remaining: 1_000_000 - 2 * 100 - 2 * 50_000 + (50_000 - 50 * 100) },
    });
  });

  it('gives back what the slice did not use, and settles its calls locally', async () => {
    const { client, store, observer } = borrowing();
    const first = granted(await store.budgets.reserve('k', { requests: 1, tokens: 100 }, 0));
    const tickets = [];
    for (let call = 0; call < 10; call += 1)
      tickets.push(granted(await store.budgets.reserve('k', { requests: 1, tokens: 100 }, 0)));
    await store.budgets.settle(first, { charged: true, usedTokens: 40, snapshot: null });
    for (const [index, ticket] of tickets.entries()) {
      expect(await store.budgets.delayOf(ticket)).toBe(0);
      // Half were never sent; the others used 60 of their 100 tokens.
      await store.budgets.settle(
        ticket,
        index % 2 === 0
          ? { charged: false, usedTokens: null, snapshot: null }
          : { charged: true, usedTokens: 60, snapshot: null },
      );
    }
    expect(client.sent.evalsha).toBe(2);
    await store.close();
    expect(await observer.budgets.inspect('k')).toMatchObject({
      requests: { remaining: 1_000 - 1 - 5 },
      tokens: { remaining: 1_000_000 - 40 - 5 * 60 },
      inFlight: 0,
    });
    expect(store.status().pending).toBe(0);
  });

  it('borrows nothing near the limit: every call asks Redis', async () => {
    const { client, store } = borrowing({ limitsFor: () => ({ requests: 30 }) });
    for (let call = 0; call < 5; call += 1) granted(await store.budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
    // A slice of 1 (0.05 x 30) is lent only while another one stays: 30 - 1 - 1 >= 2.
    expect(client.sent.evalsha).toBeLessThanOrEqual(5);
    const tight = borrowing({ limitsFor: () => ({ requests: 10 }) });
    for (let call = 0; call < 5; call += 1)
      granted(await tight.store.budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
    expect(tight.client.sent.evalsha).toBe(5);
  });

  it('returns an idle slice after holdMs, with the figures its calls saw', async () => {
    const { client, clock, store, observer } = borrowing();
    const ticket = granted(await store.budgets.reserve('k', { requests: 1, tokens: 100 }, 0));
    const local = granted(await store.budgets.reserve('k', { requests: 1, tokens: 100 }, 0));
    await store.budgets.settle(ticket, { charged: true, usedTokens: 100, snapshot: null });
    await store.budgets.settle(local, {
      charged: true,
      usedTokens: 100,
      snapshot: toRateLimitSnapshot(
        new Headers({ 'x-ratelimit-limit-requests': '1000', 'x-ratelimit-remaining-requests': '500' }),
        clock.now(),
      )!,
    });
    expect(client.sent.evalsha).toBe(2);
    await clock.advance(1_000);
    await expect.poll(() => client.sent.evalsha).toBe(3);
    await expect.poll(async () => (await observer.budgets.inspect('k'))?.requests.remaining).toBe(500);
    // An expired slice is not spent: the next call asks Redis.
    granted(await store.budgets.reserve('k', { requests: 1, tokens: 100 }, 0));
    expect(client.sent.evalsha).toBe(4);
  });

  it('lends without bound from a bucket of unknown size, and stops during a pause', async () => {
    const { client, store } = borrowing({ limitsFor: () => undefined });
    for (let call = 0; call < 20; call += 1)
      granted(await store.budgets.reserve('k', { requests: 1, tokens: 1_000 }, 0));
    expect(client.sent.evalsha).toBe(1);
    await store.budgets.pause('k', 5_000);
    const paused = await store.budgets.reserve('k', { requests: 1, tokens: 1_000 }, 60_000);
    expect(paused).toMatchObject({ type: 'granted', reason: 'paused' });
    expect(client.sent.evalsha).toBe(3);
  });

  it('remembers pauses of at most maxKeys keys, and spends no slice of a paused one', async () => {
    const { client, clock, store } = borrowing({ limitsFor: () => undefined, maxKeys: 2 });
    await store.budgets.pause('a', 100);
    await clock.advance(200);
    await store.budgets.pause('b', 5_000);
    await store.budgets.pause('c', 5_000);
    await store.budgets.pause('d', 5_000);
    const sent = client.sent.evalsha;
    expect(await store.budgets.reserve('d', { requests: 1, tokens: 0 }, 60_000)).toMatchObject({
      type: 'granted',
      reason: 'paused',
    });
    expect(await store.budgets.reserve('d', { requests: 1, tokens: 0 }, 60_000)).toMatchObject({ reason: 'paused' });
    expect(client.sent.evalsha).toBe(sent + 2);
  });

  it('keeps what a slice owes while Redis is away, and gives it back when Redis answers again', async () => {
    const { client, clock, store, observer } = borrowing({ breaker: { failures: 1, cooldownMs: 100 } });
    const tickets = [];
    for (let call = 0; call < 10; call += 1)
      tickets.push(granted(await store.budgets.reserve('k', { requests: 1, tokens: 100 }, 0)));
    client.behaviour = 'fail';
    for (const ticket of tickets)
      await store.budgets.settle(ticket, { charged: false, usedTokens: null, snapshot: null });
    await clock.advance(1_000);
    expect(store.status()).toMatchObject({ mode: 'degraded', pending: 2 });
    client.behaviour = 'pass';
    await clock.advance(100);
    // The breaker opened at the failed settle, and again (twice as long) at the failed return.
    await clock.advance(100);
    await store.budgets.reserve('other', { requests: 1, tokens: 0 }, 0);
    await expect.poll(() => store.status().pending).toBe(0);
    expect(await observer.budgets.inspect('k')).toMatchObject({ requests: { remaining: 1_000 }, inFlight: 0 });
  });
});
