import { createRedisStoreFromUrl } from '@openai-integration/redis-store';
import { createTransport } from '@openai-integration/transport';

// Every process of the deployment runs this, on the same Redis and the same API key.
const created = createRedisStoreFromUrl(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', {
  // How many processes share the key: while Redis is unavailable, each paces on 1/4 of each limit.
  instances: 4,
  // Known before the first response says (the x-ratelimit-* headers teach and correct them).
  limitsFor: (key) => (key === 'gpt-4.1-mini' ? { requests: 500, tokens: 200_000 } : undefined),
});
if (created.isErr()) {
  console.error(`${created.error._tag}: ${created.error.message}`);
  process.exit(2);
}
const store = created.value;
const transport = createTransport({ pacing: { store: store.budgets } });

// One call's share: a request and its estimated tokens, from the budget all processes share.
const permit = await transport.limiter.acquire({ key: 'gpt-4.1-mini', estimate: 1_200 });
if (permit.isOk()) {
  // ... send the call, then settle with what it used: unused tokens go back for everyone.
  await permit.value.settle({ usedTokens: 900 });
} else {
  console.error(`${permit.error._tag}: ${permit.error.message}`);
}
console.log(store.status());
await store.close();
