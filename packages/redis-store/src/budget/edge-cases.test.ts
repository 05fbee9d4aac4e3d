import { toRateLimitSnapshot } from '@openai-integration/core';
import { createManualClock } from '@openai-integration/transport';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, granted, scriptedClient, uniquePrefix } from '../../test/support/clients.ts';
import { recordingLogger } from '../../test/support/recording-logger.ts';
import type { RedisClient } from '../store/redis-client.ts';
import { createRedisStore } from '../store/create-redis-store.ts';

const day = 86_400_000;
let redis: Redis;
beforeAll(() => {
  redis = connect();
});
afterAll(() => {
  redis.disconnect();
});

const one = { requests: 1, tokens: 0 } as const;

/** A client whose script answers are the test's, one per call. */
function answering(replies: unknown[]): RedisClient {
  return {
    evalsha: () => Promise.resolve(replies.shift()),
    script: () => Promise.resolve('sha'),
  };
}

describe('createRedisStore budgets, edge cases', () => {
  it('answers by the policy when the script answer cannot be read, and says so in the log', async () => {
    const logger = recordingLogger();
    const clock = createManualClock(1_000);
    const store = createRedisStore({
      client: answering([
        'not a list',
        ['something else'],
        ['granted', '', 'odd', '', '', '', '', '', '', '', '', ''],
        ['refused', '', 'odd'],
        ['too-large', 'requests', ''],
        ['too-large', 'tokens', '12'],
        ['record', '', '10', '', '', '', '', 'NaN', '', '', '', '', '', ''],
        ['x'],
        'no delay',
      ]),
      clock,
      logger,
      instances: 2,
      windowMs: day,
    });
    expect(await store.budgets.reserve('k', one, 0)).toMatchObject({ type: 'granted', waitMs: 0 });
    expect(await store.budgets.reserve('k', one, 0)).toMatchObject({ type: 'granted', waitMs: 0 });
    expect(logger.records.map((record) => record.level)).toEqual(['error', 'error']);
    expect(logger.records[0]?.message).toBe(
      'redis-store: unreadable answer from the budget script; answering by policy',
    );
    // Missing figures in a readable answer fall back to what is known locally.
    const ticket = granted(await store.budgets.reserve('k', one, 0));
    expect(ticket).toEqual({
      key: 'k',
      requests: 1,
      tokens: 0,
      sendAt: 1_000,
      takenBefore: { requests: 0, tokens: 0 },
    });
    expect(await store.budgets.reserve('k', one, 0)).toEqual({ type: 'refused', waitMs: 0, reason: 'requests' });
    expect(await store.budgets.reserve('k', one, 0)).toEqual({ type: 'too-large', unit: 'requests', limit: 0 });
    expect(await store.budgets.reserve('k', one, 0)).toEqual({ type: 'too-large', unit: 'tokens', limit: 12 });
    expect(await store.budgets.inspect('k')).toMatchObject({
      requests: { limit: 10, remaining: null, resetAt: null, windowMs: day },
      observedAt: 0,
      queued: 0,
      inFlight: 0,
    });
    expect(await store.budgets.inspect('k')).toBeUndefined();
    expect(await store.budgets.delayOf({ ...ticket, sendAt: 1_500 })).toBe(500);
  });

  it('takes nonsense demands as nothing rather than failing', async () => {
    const { budgets } = createRedisStore({
      client: redis,
      prefix: uniquePrefix(),
      instances: 2,
      windowMs: day,
      limitsFor: () => ({ requests: 5 }),
    });
    const ticket = granted(await budgets.reserve('k', { requests: Number.NaN, tokens: -5 }, Number.POSITIVE_INFINITY));
    expect(ticket).toMatchObject({ requests: 0, tokens: 0 });
    expect((await budgets.inspect('k'))?.requests.remaining).toBe(5);
    await budgets.pause('k', Number.NaN);
    expect((await budgets.inspect('k'))?.pausedUntil).toBeNull();
  });

  it('reports a bucket of unknown size by the reset time the server gave', async () => {
    const { budgets } = createRedisStore({ client: redis, prefix: uniquePrefix(), instances: 2, windowMs: day });
    await budgets.observe(
      'k',
      toRateLimitSnapshot(
        new Headers({ 'x-ratelimit-remaining-tokens': '500', 'x-ratelimit-reset-tokens': '10m' }),
        Date.now(),
      )!,
    );
    const record = await budgets.inspect('k');
    expect(record?.tokens).toMatchObject({ limit: null, remaining: 500 });
    expect(record?.tokens.resetAt).toBeGreaterThan(Date.now() + 9 * 60_000);
  });

  it('divides only what it knows: limits learned from Redis are bounded by maxKeys', async () => {
    const client = scriptedClient(redis);
    const store = createRedisStore({
      client,
      prefix: uniquePrefix(),
      instances: 2,
      windowMs: day,
      maxKeys: 1,
      limitsFor: (key) => (key === 'tokens-only' ? { tokens: 100, windowMs: day } : undefined),
      breaker: { failures: 1 },
    });
    const headers = (limit: string) =>
      toRateLimitSnapshot(
        new Headers({ 'x-ratelimit-limit-requests': limit, 'x-ratelimit-remaining-requests': limit }),
        Date.now(),
      )!;
    await store.budgets.observe('a', headers('40'));
    await store.budgets.observe('b', headers('8'));
    client.behaviour = 'fail';
    // 'a' was forgotten (maxKeys 1): nothing known, nothing held back; 'b' gets 8 / 2.
    for (let call = 0; call < 10; call += 1) granted(await store.budgets.reserve('a', one, 0));
    for (let call = 0; call < 4; call += 1) granted(await store.budgets.reserve('b', one, 0));
    expect(await store.budgets.reserve('b', one, 0)).toMatchObject({ type: 'refused' });
    granted(await store.budgets.reserve('tokens-only', { requests: 1, tokens: 50 }, 0));
    expect(await store.budgets.reserve('tokens-only', { requests: 1, tokens: 50 }, 0)).toMatchObject({
      type: 'refused',
      reason: 'tokens',
    });
  });

  it('gives back a late grant and its slice when Redis answered after the timeout', async () => {
    const client = scriptedClient(redis);
    const clock = createManualClock(0);
    const prefix = uniquePrefix();
    const limitsFor = () => ({ requests: 1_000 });
    const store = createRedisStore({ client, clock, prefix, instances: 2, windowMs: day, borrow: true, limitsFor });
    const observer = createRedisStore({ client: redis, prefix, instances: 2, windowMs: day, limitsFor });
    client.behaviour = 'stall';
    const answer = store.budgets.reserve('k', one, 0);
    await clock.advance(200);
    granted(await answer);
    client.behaviour = 'pass';
    client.release();
    await expect.poll(async () => (await observer.budgets.inspect('k'))?.requests.remaining).toBe(950);
    await clock.advance(0);
    await expect.poll(async () => (await observer.budgets.inspect('k'))?.requests.remaining).toBe(1_000);
    expect(store.status().pending).toBe(0);
  });

  it('settles the calls of a slice given back meanwhile with the next return, and asks Redis when the slice runs short', async () => {
    const client = scriptedClient(redis);
    const clock = createManualClock(0);
    const prefix = uniquePrefix();
    const limitsFor = () => ({ requests: 100, tokens: 10_000 });
    const store = createRedisStore({
      client,
      clock,
      prefix,
      instances: 2,
      windowMs: day,
      borrow: { fraction: 0.1 },
      limitsFor,
    });
    const observer = createRedisStore({ client: redis, prefix, instances: 2, windowMs: day, limitsFor });
    granted(await store.budgets.reserve('k', { requests: 1, tokens: 100 }, 0));
    // The slice holds 10 requests and 1,000 tokens: a call of 2,000 tokens asks Redis.
    const local = granted(await store.budgets.reserve('k', { requests: 1, tokens: 500 }, 0));
    expect(client.sent.evalsha).toBe(1);
    granted(await store.budgets.reserve('k', { requests: 1, tokens: 2_000 }, 0));
    expect(client.sent.evalsha).toBe(2);
    // The first slice is given back; its call ends afterwards and goes back with the next return.
    await store.budgets.settle(local, {
      charged: false,
      usedTokens: null,
      snapshot: toRateLimitSnapshot(new Headers({ 'x-ratelimit-limit-requests': '100' }), clock.now())!,
    });
    await clock.advance(0);
    await store.close();
    await expect.poll(async () => (await observer.budgets.inspect('k'))?.tokens.remaining).toBe(10_000 - 100 - 2_000);
    expect(store.status().pending).toBe(0);
  });

  it('returns slices on real timers that do not hold the process, when no clock is given', async () => {
    const prefix = uniquePrefix();
    const limitsFor = () => ({ requests: 1_000 });
    const store = createRedisStore({
      client: redis,
      prefix,
      instances: 2,
      windowMs: day,
      borrow: { holdMs: 20 },
      limitsFor,
    });
    const observer = createRedisStore({ client: redis, prefix, instances: 2, windowMs: day, limitsFor });
    granted(await store.budgets.reserve('k', one, 0));
    expect((await observer.budgets.inspect('k'))?.requests.remaining).toBe(1_000 - 1 - 50);
    await expect.poll(async () => (await observer.budgets.inspect('k'))?.requests.remaining).toBe(999);
    granted(await store.budgets.reserve('k', one, 0));
    await store.close();
    expect((await observer.budgets.inspect('k'))?.requests.remaining).toBe(998);
  });
});
