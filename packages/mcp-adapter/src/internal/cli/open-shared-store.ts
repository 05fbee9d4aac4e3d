import type { Logger } from '@openai-integration/core';
import type { SharedStore } from '@openai-integration/operations';
import type { createRedisStoreFromUrl } from '@openai-integration/redis-store';
import { err, ok, type Result } from 'neverthrow';

/** A store shared on Redis, and how to let go of it. */
export interface OpenedSharedStore {
  readonly store: SharedStore;
  /** Gives borrowed budget back, sends settles still waiting, and ends the connection. */
  close(): Promise<void>;
}

/**
 * Opens the budgets and cooldowns shared on Redis for `--redis` / `REDIS_URL`.
 * `@openai-integration/redis-store` and `ioredis` are optional dependencies, loaded
 * only here: without them the binary says how to install them instead of running
 * unshared. The URL (which may hold a password) never appears in the message.
 */
export async function openSharedStore(
  redis: { readonly url: string; readonly source: string; readonly instances: number },
  logger: Logger,
): Promise<Result<OpenedSharedStore, string>> {
  let createStore: typeof createRedisStoreFromUrl;
  try {
    ({ createRedisStoreFromUrl: createStore } = await import('@openai-integration/redis-store'));
  } catch {
    return err(
      `${redis.source} asks for a Redis store, but @openai-integration/redis-store and ioredis are not installed (they are optional dependencies); install them beside the binary (npx -p @openai-integration/mcp-adapter -p @openai-integration/redis-store -p ioredis openai-mcp), or leave ${redis.source} out to keep budgets in memory`,
    );
  }
  const created = createStore(redis.url, { variable: redis.source, instances: redis.instances, logger });
  if (created.isErr()) return err(`configuration error: ${created.error.message}`);
  const opened = created.value;
  return ok({ store: { budgets: opened.budgets, cooldowns: opened.cooldowns }, close: () => opened.close() });
}
