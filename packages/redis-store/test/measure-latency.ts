// What the Redis store adds to one paced call: the time of a reservation and its settle
// through the transport's rate limiter, and the Redis commands it sends, on the in-memory
// store, on Redis, and on Redis with borrowing. Run it against a server of your own:
//
//   REDIS_URL=redis://127.0.0.1:6379 node --conditions=@openai-integration/source test/measure-latency.ts
//
// The figures in the README came from this script.
import { createMemoryBudgetStore, createRateLimiter, type BudgetStore } from '@openai-integration/transport';
import { Redis } from 'ioredis';
import { createRedisStore, type RedisStore } from '../src/index.ts';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const calls = Number(process.env['CALLS'] ?? 4_000);
const concurrency = Number(process.env['CONCURRENCY'] ?? 1);
// 10,000 requests and 10 M tokens a minute: a 5% slice is 500 requests (or 500 calls' tokens).
const limitsFor = () => ({ requests: 10_000, tokens: 10_000_000 });

async function measure(name: string, store: BudgetStore, redis?: RedisStore): Promise<void> {
  const limiter = createRateLimiter({ store });
  const one = async (index: number): Promise<void> => {
    const permit = await limiter.acquire({ key: `model-${String(index % 4)}`, estimate: 1_000 });
    if (permit.isErr()) throw new Error(permit.error.message);
    await permit.value.settle({ usedTokens: 800 });
  };
  // Warm-up: connections, script load, JIT.
  for (let index = 0; index < 200; index += 1) await one(index);
  const commandsBefore = redis?.status().commands ?? 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      for (let index = lane; index < calls; index += concurrency) await one(index);
    }),
  );
  const elapsed = performance.now() - started;
  const commands = (redis?.status().commands ?? 0) - commandsBefore;
  console.log(
    `${name.padEnd(28)} ${((elapsed * 1_000 * concurrency) / calls).toFixed(1).padStart(8)} µs/call  ` +
      `${(commands / calls).toFixed(3)} Redis commands/call  (${String(calls)} calls, ${String(concurrency)} at a time)`,
  );
}

const client = new Redis(url);
const prefix = `measure-${String(process.pid)}`;
await measure('in-memory store', createMemoryBudgetStore({ limitsFor }));
const plain = createRedisStore({ client, prefix: `${prefix}-plain`, instances: 1, limitsFor });
await measure('Redis store', plain.budgets, plain);
const borrowing = createRedisStore({ client, prefix: `${prefix}-borrow`, instances: 1, limitsFor, borrow: true });
await measure('Redis store, borrow 5%', borrowing.budgets, borrowing);
await borrowing.close();
client.disconnect();
