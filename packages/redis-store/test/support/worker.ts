// A process of its own that uses the store, for the tests where several processes meet:
// started with fork(), it gets one task as JSON in argv and reports with process.send.
import { Redis } from 'ioredis';
import { createRedisStore } from '../../src/store/create-redis-store.ts';

interface Task {
  readonly kind: 'contend' | 'claim';
  readonly url: string;
  readonly prefix: string;
  readonly key: string;
  /** contend: attempts, each of one request and `tokens` tokens; the limits of the key. */
  readonly attempts?: number;
  readonly tokens?: number;
  readonly limits?: { readonly requests?: number; readonly tokens?: number };
  /** claim: the owner's name and lease. */
  readonly owner?: string;
  readonly leaseMs?: number;
}

const task = JSON.parse(process.argv[2] ?? '{}') as Task;
const client = new Redis(task.url, { maxRetriesPerRequest: 1 });
client.on('error', () => undefined);
const store = createRedisStore({
  client,
  prefix: task.prefix,
  instances: 4,
  windowMs: 86_400_000,
  timeoutMs: 5_000,
  // Exact counts: the test is about atomicity, not the headroom.
  headroom: 0,
  limitsFor: () => task.limits,
});
const send = (message: unknown): Promise<void> =>
  new Promise((resolve) => {
    process.send?.(message, () => {
      resolve();
    });
  });

// Wait for the go, so that every process starts at once.
await new Promise<void>((resolve) => {
  process.once('message', () => {
    resolve();
  });
});
if (task.kind === 'contend') {
  let granted = 0;
  const attempts = task.attempts ?? 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      for (let attempt = lane; attempt < attempts; attempt += 8) {
        const answer = await store.budgets.reserve(task.key, { requests: 1, tokens: task.tokens ?? 0 }, 0);
        if (answer.type === 'granted') granted += 1;
      }
    }),
  );
  await send({ granted, degraded: store.status().mode === 'degraded' });
  client.disconnect();
} else {
  const claimed = await store.cooldowns.claimProbe(task.key, task.owner ?? '', task.leaseMs ?? 1);
  await send({ claimed });
  // Holds the lease until the test kills the process.
  setInterval(() => undefined, 1_000);
}
