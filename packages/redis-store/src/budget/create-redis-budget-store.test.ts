import { toRateLimitSnapshot, type RateLimitSnapshot } from '@openai-integration/core';
import { createManualClock } from '@openai-integration/transport';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, granted, scriptedClient, uniquePrefix } from '../../test/support/clients.ts';
import { startRedisServer } from '../../../../tools/config/redis-server.ts';
import { createRedisStore } from '../store/create-redis-store.ts';
import type { RedisStoreOptions } from '../store/redis-store-options.ts';

const day = 86_400_000;
let redis: Redis;
let other: Redis;

beforeAll(() => {
  redis = connect();
  other = connect();
});
afterAll(() => {
  redis.disconnect();
  other.disconnect();
});

// Exact counts: no headroom, unless a test is about it.
const storeOn = (client: Redis, options: Partial<RedisStoreOptions> = {}) =>
  createRedisStore({ client, instances: 2, windowMs: day, headroom: 0, ...options });

const snapshot = (headers: Record<string, string>, now = Date.now()): RateLimitSnapshot =>
  toRateLimitSnapshot(new Headers(headers), now)!;

describe('createRedisStore budgets', () => {
  it('grants everything while nothing is known, and holds no figures for the key', async () => {
    const { budgets } = storeOn(redis, { prefix: uniquePrefix() });
    for (let call = 0; call < 5; call += 1)
      expect(await budgets.reserve('k', { requests: 1, tokens: 1_000_000 }, 0)).toMatchObject({
        type: 'granted',
        waitMs: 0,
        reason: null,
      });
    expect(await budgets.inspect('k')).toBeUndefined();
    expect(await budgets.inspect('never-used')).toBeUndefined();
  });

  it('takes the request and the tokens from both buckets at once, or takes nothing and says how long to wait', async () => {
    const { budgets } = storeOn(redis, { prefix: uniquePrefix(), limitsFor: () => ({ requests: 10, tokens: 1_000 }) });
    granted(await budgets.reserve('k', { requests: 1, tokens: 600 }, 0));
    const refused = await budgets.reserve('k', { requests: 1, tokens: 600 }, 0);
    expect(refused).toMatchObject({ type: 'refused', reason: 'tokens' });
    // 200 more tokens come back at 1,000 a day: about 4.3 hours.
    expect(refused.type === 'refused' && refused.waitMs).toBeGreaterThan(0.2 * day - 1_000);
    const record = await budgets.inspect('k');
    expect(record).toMatchObject({
      requests: { limit: 10, remaining: 9, windowMs: day },
      tokens: { limit: 1_000, remaining: 400, windowMs: day },
      pausedUntil: null,
      inFlight: 1,
      queued: 0,
    });
  });

  it('keeps a headroom of each known limit unspent (2% by default), so that calls out of order find the server bucket not empty', async () => {
    const { budgets } = createRedisStore({
      client: redis,
      prefix: uniquePrefix(),
      instances: 2,
      windowMs: day,
      limitsFor: () => ({ requests: 100 }),
    });
    for (let call = 0; call < 98; call += 1) granted(await budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
    const refused = await budgets.reserve('k', { requests: 1, tokens: 0 }, 0);
    expect(refused).toMatchObject({ type: 'refused', reason: 'requests' });
    // 1 request plus 2 of headroom from 2 left: a request's refill (864 s) away.
    expect(refused.type === 'refused' && refused.waitMs).toBeGreaterThan(day / 100 - 1_000);
    expect(() => createRedisStore({ client: redis, instances: 1, headroom: 0.5 })).toThrow(
      /headroom must be a number in \[0, 0.5\)/,
    );
  });

  it('says a call larger than the whole bucket can never be served', async () => {
    const { budgets } = storeOn(redis, { prefix: uniquePrefix(), limitsFor: () => ({ requests: 2, tokens: 1_000 }) });
    expect(await budgets.reserve('k', { requests: 1, tokens: 1_001 }, day)).toEqual({
      type: 'too-large',
      unit: 'tokens',
      limit: 1_000,
    });
    expect(await budgets.reserve('k', { requests: 3, tokens: 0 }, day)).toEqual({
      type: 'too-large',
      unit: 'requests',
      limit: 2,
    });
  });

  it('queues a call for the refill when it may wait, and delayOf says how long is left', async () => {
    const { budgets } = storeOn(redis, { prefix: uniquePrefix(), limitsFor: () => ({ requests: 2 }) });
    granted(await budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
    granted(await budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
    const queued = await budgets.reserve('k', { requests: 1, tokens: 0 }, day);
    expect(queued).toMatchObject({ type: 'granted', reason: 'requests' });
    const wait = queued.type === 'granted' ? queued.waitMs : 0;
    expect(wait).toBeGreaterThan(day / 2 - 1_000);
    expect(wait).toBeLessThanOrEqual(day / 2);
    const delay = await budgets.delayOf(granted(queued));
    expect(delay).toBeGreaterThan(wait - 1_000);
    expect(delay).toBeLessThanOrEqual(wait);
    expect(await budgets.inspect('k')).toMatchObject({ queued: 1, inFlight: 2, requests: { remaining: -1 } });
  });

  it('settles: an unsent call gives everything back, unused tokens go back, extra ones are charged', async () => {
    const { budgets } = storeOn(redis, { prefix: uniquePrefix(), limitsFor: () => ({ requests: 10, tokens: 1_000 }) });
    const tokens = async (): Promise<number | null | undefined> => (await budgets.inspect('k'))?.tokens.remaining;
    const first = granted(await budgets.reserve('k', { requests: 1, tokens: 600 }, 0));
    await budgets.settle(first, { charged: false, usedTokens: null, snapshot: null });
    expect(await budgets.inspect('k')).toMatchObject({ requests: { remaining: 10 }, tokens: { remaining: 1_000 } });
    const second = granted(await budgets.reserve('k', { requests: 1, tokens: 600 }, 0));
    await budgets.settle(second, { charged: true, usedTokens: 100, snapshot: null });
    expect(await tokens()).toBe(900);
    const third = granted(await budgets.reserve('k', { requests: 1, tokens: 100 }, 0));
    await budgets.settle(third, { charged: true, usedTokens: 400, snapshot: null });
    expect(await tokens()).toBe(500);
    expect(await budgets.inspect('k')).toMatchObject({ requests: { remaining: 8 }, inFlight: 0 });
    // A charged call without usage keeps its estimate taken.
    const fourth = granted(await budgets.reserve('k', { requests: 1, tokens: 50 }, 0));
    await budgets.settle(fourth, { charged: true, usedTokens: null, snapshot: null });
    expect(await tokens()).toBe(450);
  });

  it('learns the limits from the headers when none are configured, and their figures correct the buckets', async () => {
    const { budgets } = storeOn(redis, { prefix: uniquePrefix() });
    await budgets.observe(
      'k',
      snapshot({
        'x-ratelimit-limit-requests': '100',
        'x-ratelimit-remaining-requests': '3',
        'x-ratelimit-reset-requests': '20h',
        'x-ratelimit-limit-tokens': '10000',
        'x-ratelimit-remaining-tokens': '9000',
      }),
    );
    expect(await budgets.inspect('k')).toMatchObject({
      requests: { limit: 100, remaining: 3 },
      tokens: { limit: 10_000, remaining: 9_000 },
    });
    for (let call = 0; call < 3; call += 1) granted(await budgets.reserve('k', { requests: 1, tokens: 10 }, 0));
    expect(await budgets.reserve('k', { requests: 1, tokens: 10 }, 0)).toMatchObject({
      type: 'refused',
      reason: 'requests',
    });
  });

  it("settles against a response's figures: other processes' calls seen there lower the bucket", async () => {
    const { budgets } = storeOn(redis, { prefix: uniquePrefix(), limitsFor: () => ({ requests: 100 }) });
    const ticket = granted(await budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
    await budgets.settle(ticket, {
      charged: true,
      usedTokens: null,
      snapshot: snapshot({ 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '60' }),
    });
    expect((await budgets.inspect('k'))?.requests.remaining).toBe(60);
    // An older snapshot than the last one is ignored.
    await budgets.observe(
      'k',
      snapshot({ 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '10' }, Date.now() - 60_000),
    );
    expect((await budgets.inspect('k'))?.requests.remaining).toBe(60);
  });

  it('shares the buckets between processes: what one takes, the other cannot', async () => {
    const prefix = uniquePrefix();
    const limitsFor = () => ({ requests: 3 });
    const one = storeOn(redis, { prefix, limitsFor });
    const two = storeOn(other, { prefix, limitsFor });
    granted(await one.budgets.reserve('k', { requests: 2, tokens: 0 }, 0));
    granted(await two.budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
    expect(await one.budgets.reserve('k', { requests: 1, tokens: 0 }, 0)).toMatchObject({ type: 'refused' });
    expect(await two.budgets.reserve('k', { requests: 1, tokens: 0 }, 0)).toMatchObject({ type: 'refused' });
  });

  it('pauses every process after a 429, and moves calls queued before it after the pause', async () => {
    const prefix = uniquePrefix();
    const limitsFor = () => ({ requests: 1 });
    const one = storeOn(redis, { prefix, limitsFor });
    const two = storeOn(other, { prefix, limitsFor });
    granted(await one.budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
    const queued = granted(await two.budgets.reserve('k', { requests: 1, tokens: 0 }, day * 2));
    const before = await two.budgets.delayOf(queued);
    await one.budgets.pause('k', 2 * day, { requests: 0, tokens: 0 });
    // Nobody sends before the pause ends (and the bucket refills for the queued call first).
    const refused = await two.budgets.reserve('k', { requests: 1, tokens: 0 }, 0);
    expect(refused.type === 'refused' && refused.waitMs).toBeGreaterThan(2 * day - 1_000);
    const after = await two.budgets.delayOf(queued);
    expect(after).toBeGreaterThan(before + day / 2);
    expect((await one.budgets.inspect('k'))?.pausedUntil).toBeGreaterThan(Date.now() + day);
    // A shorter pause does not shorten it; nothing to pause for a duration of 0.
    await two.budgets.pause('k', 1_000);
    await two.budgets.pause('k', 0);
    expect((await one.budgets.inspect('k'))?.pausedUntil).toBeGreaterThan(Date.now() + day);
  });

  it('refills by the Redis server clock, whatever the processes clocks say', { timeout: 30_000 }, async () => {
    const prefix = uniquePrefix();
    // Two processes whose clocks are frozen, decades apart.
    const early = storeOn(redis, {
      prefix,
      clock: createManualClock(0),
      limitsFor: () => ({ requests: 5 }),
      windowMs: 1_000,
    });
    const late = storeOn(other, {
      prefix,
      clock: createManualClock(4e12),
      limitsFor: () => ({ requests: 5 }),
      windowMs: 1_000,
    });
    for (let call = 0; call < 5; call += 1) granted(await early.budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
    const refused = await late.budgets.reserve('k', { requests: 1, tokens: 0 }, 0);
    expect(refused).toMatchObject({ type: 'refused', reason: 'requests' });
    expect(refused.type === 'refused' && refused.waitMs).toBeLessThanOrEqual(200);
    // Real time passes on the server only: one request comes back every 200 ms.
    await new Promise((resolve) => setTimeout(resolve, 450));
    granted(await late.budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
    granted(await early.budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
  });

  it('lets its keys expire once they hold nothing worth keeping', async () => {
    const prefix = uniquePrefix();
    const { budgets } = storeOn(redis, { prefix, limitsFor: () => ({ requests: 10 }), windowMs: 60_000 });
    granted(await budgets.reserve('k', { requests: 5, tokens: 0 }, 0));
    const ttl = await redis.pttl(`${prefix}:budget:{k}`);
    // Full again in 30 s, then kept one window more.
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(90_000);
    const long = 'x'.repeat(500);
    granted(await budgets.reserve(long, { requests: 1, tokens: 0 }, 0));
    const names = await redis.keys(`${prefix}:*`);
    expect(names.every((name) => name.length < 120)).toBe(true);
  });

  it('loads its script again when Redis forgot it (SCRIPT FLUSH)', { timeout: 60_000 }, async () => {
    // A server of its own: a flush would make the other files' counts race.
    const server = await startRedisServer();
    const own = connect(server.url);
    try {
      const counted = scriptedClient(own);
      const store = createRedisStore({ client: counted, instances: 2, windowMs: day, prefix: uniquePrefix() });
      granted(await store.budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
      // The first run found no script: it was loaded, then run by its hash.
      expect(counted.sent).toEqual({ evalsha: 1, load: 1 });
      expect(store.status().commands).toBe(3);
      granted(await store.budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
      expect(counted.sent).toEqual({ evalsha: 2, load: 1 });
      await own.script('FLUSH');
      granted(await store.budgets.reserve('k', { requests: 1, tokens: 0 }, 0));
      expect(counted.sent).toEqual({ evalsha: 3, load: 2 });
      expect(store.status()).toMatchObject({ mode: 'shared', commands: 7 });
    } finally {
      own.disconnect();
      await server.stop();
    }
  });

  it('answers by the policy when Redis is slower than its timeout, and gives back what Redis granted late', async () => {
    const prefix = uniquePrefix();
    const slow = scriptedClient(redis);
    const clock = createManualClock();
    const store = storeOn(redis, { prefix, limitsFor: () => ({ requests: 10 }) });
    const stalled = createRedisStore({
      client: slow,
      instances: 2,
      prefix,
      clock,
      windowMs: day,
      timeoutMs: 100,
      limitsFor: () => ({ requests: 10 }),
    });
    slow.behaviour = 'stall';
    const answer = stalled.budgets.reserve('k', { requests: 4, tokens: 0 }, 0);
    await clock.advance(100);
    // Answered by the local share (10 / 2 instances) without waiting for Redis.
    expect(await answer).toMatchObject({ type: 'granted', waitMs: 0 });
    slow.behaviour = 'pass';
    slow.release();
    await expect.poll(async () => (await store.budgets.inspect('k'))?.requests.remaining).toBe(10);
  });
});
