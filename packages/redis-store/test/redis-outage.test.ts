// Redis killed and restarted, or stalled, while calls go on: the policy holds, every
// call is answered within the store's timeout, nothing is left unhandled, and what was
// taken comes back once Redis does. These tests need real time (a real server, real
// sockets): they run for a few seconds each and have generous timeouts.
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisStore } from '../src/index.ts';
import { recordingLogger } from './support/recording-logger.ts';
import { startRedisServer, type RedisServer } from '../../../tools/config/redis-server.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const timeoutMs = 100;

let server: RedisServer;
let client: Redis;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeEach(async () => {
  server = await startRedisServer();
  client = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  client.on('error', () => undefined);
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  client.disconnect();
  await server.stop();
});

interface Call {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly reserveMs: number;
  readonly settleMs: number;
  readonly granted: boolean;
}

/** Calls go on in `lanes` loops until `stop` resolves: reserve, then settle (charged or not). */
async function traffic(store: RedisStore, lanes: number, charged: boolean, stop: Promise<void>): Promise<Call[]> {
  const calls: Call[] = [];
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (!stopped) {
        const startedAt = performance.now();
        const answer = await store.budgets.reserve('k', { requests: 1, tokens: 10 }, 0);
        const reservedAt = performance.now();
        if (answer.type === 'granted')
          await store.budgets.settle(answer.ticket, { charged, usedTokens: charged ? 5 : null, snapshot: null });
        const endedAt = performance.now();
        calls.push({
          startedAt,
          endedAt,
          reserveMs: reservedAt - startedAt,
          settleMs: endedAt - reservedAt,
          granted: answer.type === 'granted',
        });
        await sleep(5);
      }
    }),
  );
  return calls;
}

describe('when Redis goes away', () => {
  it(
    "Redis killed (SIGKILL) and restarted: 'local-share' paces each process on its share, every call is answered within the timeout, and the store comes back",
    { timeout: 120_000 },
    async () => {
      const logger = recordingLogger();
      const store = createRedisStore({
        client,
        timeoutMs,
        instances: 2,
        windowMs: 86_400_000,
        limitsFor: () => ({ requests: 40 }),
        breaker: { failures: 2, cooldownMs: 200, maxCooldownMs: 400 },
        logger,
      });
      let end = (): void => undefined;
      const running = traffic(store, 4, true, new Promise((resolve) => (end = resolve)));
      await sleep(300);
      const killedAt = performance.now();
      server.signal('SIGKILL');
      await sleep(1_000);
      const restartedAt = performance.now();
      await server.restart();
      await expect.poll(() => store.status().mode, { timeout: 20_000, interval: 50 }).toBe('shared');
      await sleep(300);
      end();
      const calls = await running;

      expect(unhandled).toEqual([]);
      // Nobody waited on Redis past the timeout (with room for a loaded machine).
      expect(Math.max(...calls.map((call) => call.reserveMs))).toBeLessThan(timeoutMs + 900);
      expect(Math.max(...calls.map((call) => call.settleMs))).toBeLessThan(timeoutMs + 900);
      // While Redis was dead, this process granted at most its share: 40 / 2 instances.
      const whileDead = calls.filter((call) => call.startedAt > killedAt && call.endedAt < restartedAt);
      expect(whileDead.length).toBeGreaterThan(20);
      expect(whileDead.filter((call) => call.granted).length).toBeLessThanOrEqual(20);
      // After the restart the buckets are Redis's again (a fresh server: the configured limits).
      expect(calls.filter((call) => call.startedAt > restartedAt).some((call) => call.granted)).toBe(true);
      const warnings = logger.records.filter((record) => record.level === 'warn');
      const infos = logger.records.filter((record) => record.level === 'info');
      expect(warnings.map((record) => record.message)).toEqual([
        'redis-store: Redis is unavailable; degraded mode (policy local-share) until it answers again',
      ]);
      expect(infos).toHaveLength(1);
      await store.close();
    },
  );

  it(
    "Redis stalled (SIGSTOP, then SIGCONT): 'refuse' refuses within the timeout, and every share taken comes back afterwards",
    { timeout: 120_000 },
    async () => {
      const logger = recordingLogger();
      const store = createRedisStore({
        client,
        timeoutMs,
        whenUnavailable: 'refuse',
        windowMs: 86_400_000,
        limitsFor: () => ({ requests: 1_000 }),
        breaker: { failures: 2, cooldownMs: 200, maxCooldownMs: 400 },
        logger,
      });
      let end = (): void => undefined;
      const running = traffic(store, 4, false, new Promise((resolve) => (end = resolve)));
      await sleep(300);
      const stoppedAt = performance.now();
      server.signal('SIGSTOP');
      await sleep(2_000);
      const resumedAt = performance.now();
      server.signal('SIGCONT');
      await expect.poll(() => store.status().mode, { timeout: 20_000, interval: 50 }).toBe('shared');
      await sleep(300);
      end();
      const calls = await running;

      expect(unhandled).toEqual([]);
      expect(Math.max(...calls.map((call) => call.reserveMs))).toBeLessThan(timeoutMs + 900);
      expect(Math.max(...calls.map((call) => call.settleMs))).toBeLessThan(timeoutMs + 900);
      // Calls that started while Redis was stalled (past the first timeout) were refused.
      const whileStalled = calls.filter(
        (call) => call.startedAt > stoppedAt + timeoutMs + 50 && call.endedAt < resumedAt,
      );
      expect(whileStalled.length).toBeGreaterThan(10);
      expect(whileStalled.every((call) => !call.granted)).toBe(true);
      expect(logger.records.map((record) => record.level)).toEqual(['warn', 'info']);
      // Every call was given back (none was sent): late answers and kept settles included, the bucket is full again.
      await store.flush();
      await expect
        .poll(async () => (await store.budgets.inspect('k'))?.requests.remaining, { timeout: 20_000, interval: 50 })
        .toBe(1_000);
      expect(store.status().pending).toBe(0);
    },
  );
});
