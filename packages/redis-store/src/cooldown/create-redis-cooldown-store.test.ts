import { createManualClock } from '@openai-integration/transport';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, scriptedClient, uniquePrefix } from '../../test/support/clients.ts';
import { forkWorker } from '../../test/support/fork-worker.ts';
import { createRedisStore } from '../store/create-redis-store.ts';

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

const storeOn = (client: Redis, prefix: string) =>
  createRedisStore({ client, prefix, instances: 2, clock: createManualClock(0) }).cooldowns;

describe('createRedisStore cooldowns', () => {
  it('trips a key for a duration; a trip extends a cooldown, never shortens it', async () => {
    const prefix = uniquePrefix();
    const one = storeOn(redis, prefix);
    const two = storeOn(other, prefix);
    expect(await two.remaining('k')).toBe(0);
    await one.trip('k', 60_000);
    expect(await two.remaining('k')).toBeGreaterThan(59_000);
    await two.trip('k', 1_000);
    expect(await one.remaining('k')).toBeGreaterThan(59_000);
    await two.trip('k', 120_000);
    expect(await one.remaining('k')).toBeGreaterThan(119_000);
    // Nothing to trip for a duration that is not a positive number.
    await one.trip('j', 0);
    await one.trip('j', Number.NaN);
    expect(await one.remaining('j')).toBe(0);
  });

  it(
    'counts the cooldown down on the Redis server clock, whatever the processes clocks say',
    { timeout: 30_000 },
    async () => {
      const cooldowns = storeOn(redis, uniquePrefix());
      await cooldowns.trip('k', 300);
      expect(await cooldowns.remaining('k')).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await cooldowns.remaining('k')).toBe(0);
    },
  );

  it('lets exactly one owner hold the probe until it releases it', async () => {
    const prefix = uniquePrefix();
    const one = storeOn(redis, prefix);
    const two = storeOn(other, prefix);
    await one.trip('k', 60_000);
    expect(await one.claimProbe('k', 'host-a:1', 60_000)).toBe(true);
    expect(await two.claimProbe('k', 'host-b:2', 60_000)).toBe(false);
    expect(await one.claimProbe('k', 'host-a:1', 60_000)).toBe(true);
    // Anyone else's release does nothing.
    await two.releaseProbe('k', 'host-b:2', { recovered: true });
    expect(await two.claimProbe('k', 'host-b:2', 60_000)).toBe(false);
    expect(await two.remaining('k')).toBeGreaterThan(59_000);
    // A failed probe trips the key again; a recovered one clears it.
    await one.releaseProbe('k', 'host-a:1', { recovered: false, durationMs: 90_000 });
    expect(await two.remaining('k')).toBeGreaterThan(89_000);
    expect(await two.claimProbe('k', 'host-b:2', 60_000)).toBe(true);
    await two.releaseProbe('k', 'host-b:2', { recovered: true });
    expect(await one.remaining('k')).toBe(0);
    expect(await one.claimProbe('k', 'host-a:1', 60_000)).toBe(true);
  });

  it('loses the probe when its owner dies: the lease expires', { timeout: 60_000 }, async () => {
    const prefix = uniquePrefix();
    const worker = forkWorker({
      kind: 'claim',
      url: inject('redisUrl'),
      prefix,
      key: 'k',
      owner: 'worker',
      leaseMs: 2_000,
    });
    worker.go();
    expect(await worker.report).toEqual({ claimed: true });
    worker.child.kill('SIGKILL');
    await worker.exited;
    const cooldowns = storeOn(redis, prefix);
    expect(await cooldowns.claimProbe('k', 'survivor', 60_000)).toBe(false);
    await expect
      .poll(() => cooldowns.claimProbe('k', 'survivor', 60_000), { timeout: 10_000, interval: 200 })
      .toBe(true);
  });

  it('keeps cooldowns and the probe per process while Redis is away', async () => {
    const client = scriptedClient(undefined);
    client.behaviour = 'fail';
    const clock = createManualClock(0);
    const store = createRedisStore({ client, instances: 2, clock, maxKeys: 2 });
    const { cooldowns } = store;
    await cooldowns.trip('k', 5_000);
    await cooldowns.trip('k', 1_000);
    expect(await cooldowns.remaining('k')).toBe(5_000);
    expect(store.status().mode).toBe('degraded');
    expect(await cooldowns.claimProbe('k', 'a', 1_000)).toBe(true);
    expect(await cooldowns.claimProbe('k', 'b', 1_000)).toBe(false);
    await cooldowns.releaseProbe('k', 'b', { recovered: true });
    expect(await cooldowns.remaining('k')).toBe(5_000);
    await cooldowns.releaseProbe('k', 'a', { recovered: false, durationMs: 8_000 });
    expect(await cooldowns.remaining('k')).toBe(8_000);
    expect(await cooldowns.claimProbe('k', 'b', 1_000)).toBe(true);
    await cooldowns.releaseProbe('k', 'b', { recovered: true });
    expect(await cooldowns.remaining('k')).toBe(0);
    // Bounded: past maxKeys the oldest go first.
    for (const key of ['x', 'y', 'z']) {
      await cooldowns.trip(key, 1_000);
      await cooldowns.claimProbe(key, 'a', 1_000);
    }
    expect(await cooldowns.remaining('x')).toBe(0);
    expect(await cooldowns.remaining('z')).toBe(1_000);
    await clock.advance(1_000);
    expect(await cooldowns.remaining('z')).toBe(0);
    expect(await cooldowns.claimProbe('z', 'b', 1_000)).toBe(true);
  });
});
