import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedisStore } from '../src/store/create-redis-store.ts';
import { connect, uniquePrefix } from './support/clients.ts';
import { forkWorker } from './support/fork-worker.ts';

let redis: Redis;
beforeAll(() => {
  redis = connect();
});
afterAll(() => {
  redis.disconnect();
});

/** Runs `processes` workers on one key at once; resolves with what each was granted. */
async function contend(processes: number, task: Record<string, unknown>): Promise<number[]> {
  const workers = Array.from({ length: processes }, () =>
    forkWorker({ kind: 'contend', url: inject('redisUrl'), ...task }),
  );
  // Every worker is ready (connected, listening) before any starts.
  for (const worker of workers) worker.go();
  const reports = (await Promise.all(workers.map((worker) => worker.report))) as {
    granted: number;
    degraded: boolean;
  }[];
  await Promise.all(workers.map((worker) => worker.exited));
  expect(reports.every((report) => !report.degraded)).toBe(true);
  return reports.map((report) => report.granted);
}

describe('several processes on one key', () => {
  it('never get more requests than the bucket holds, however they race', { timeout: 120_000 }, async () => {
    const prefix = uniquePrefix();
    const granted = await contend(4, { prefix, key: 'k', attempts: 150, limits: { requests: 50 } });
    expect(granted.reduce((sum, each) => sum + each, 0)).toBe(50);
    const { budgets } = createRedisStore({
      client: redis,
      prefix,
      instances: 4,
      windowMs: 86_400_000,
      limitsFor: () => ({ requests: 50 }),
    });
    expect(await budgets.inspect('k')).toMatchObject({ requests: { remaining: 0 }, inFlight: 50 });
  });

  it(
    'take requests and tokens together: the scarcer bucket bounds them, the other keeps the rest',
    { timeout: 120_000 },
    async () => {
      const prefix = uniquePrefix();
      const limits = { requests: 100, tokens: 4_000 };
      const granted = await contend(4, { prefix, key: 'k', attempts: 100, tokens: 100, limits });
      expect(granted.reduce((sum, each) => sum + each, 0)).toBe(40);
      const { budgets } = createRedisStore({
        client: redis,
        prefix,
        instances: 4,
        windowMs: 86_400_000,
        limitsFor: () => limits,
      });
      expect(await budgets.inspect('k')).toMatchObject({ requests: { remaining: 60 }, tokens: { remaining: 0 } });
    },
  );
});
