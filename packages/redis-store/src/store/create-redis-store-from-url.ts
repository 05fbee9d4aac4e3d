import { createError, type ErrorOf } from '@openai-integration/core';
import { Redis } from 'ioredis';
import { err, ok, type Result } from 'neverthrow';
import { createRedisStore, type RedisStore } from './create-redis-store.ts';
import type { RedisStoreOptions } from './redis-store-options.ts';

/** Settings of {@link createRedisStoreFromUrl}: those of {@link createRedisStore} but the client, which it makes. */
export interface RedisStoreFromUrlOptions extends Omit<RedisStoreOptions, 'client'> {
  /** The variable or flag the URL came from, named in a `ConfigError`. Default `'REDIS_URL'`. */
  readonly variable?: string;
  /** Longest wait to connect, in ms. Default 2000. */
  readonly connectTimeoutMs?: number;
}

const longestUrl = 2_048;

/**
 * Creates a {@link RedisStore} on a new ioredis client for `url` (`redis://` or
 * `rediss://`, with user, password and database as Redis URLs have them), for a
 * binary or app that takes `--redis URL` or `REDIS_URL`. The client reconnects by
 * itself (every 200 ms to 2 s); a command waits for at most one reconnection, and the
 * store's own timeouts bound every call anyway. `close` gives slices back, sends
 * what waits, and ends the connection.
 *
 * The URL never appears in an error or a log line (it may hold a password).
 *
 * Fails with: `ConfigError` (the URL is empty, longer than 2048 characters, not a
 * URL, or not `redis:`/`rediss:`).
 *
 * @example
 * const store = createRedisStoreFromUrl(process.env['REDIS_URL'] ?? '', { instances: 4 });
 * if (store.isErr()) throw new Error(store.error.message);
 */
export function createRedisStoreFromUrl(
  url: string,
  options: RedisStoreFromUrlOptions,
): Result<RedisStore, ErrorOf<'ConfigError'>> {
  const variable = options.variable ?? 'REDIS_URL';
  const refuse = (problem: string, fix: string): Result<RedisStore, ErrorOf<'ConfigError'>> =>
    err(
      createError('ConfigError', {
        message: `${variable}: ${problem}; ${fix}`,
        variable,
        fix,
        problems: [{ variable, problem, fix }],
      }),
    );
  const fix =
    'give a Redis URL such as redis://localhost:6379/0 (rediss:// for TLS; a user and password go before the host, as in any URL)';
  if (typeof url !== 'string' || url.trim().length === 0) return refuse('no Redis URL was given', fix);
  if (url.length > longestUrl) return refuse(`the URL is longer than ${longestUrl} characters`, fix);
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return refuse('the value is not a URL', fix);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    return refuse(`the URL's scheme is ${parsed.protocol.slice(0, 20)}, not redis: or rediss:`, fix);
  const { variable: _variable, connectTimeoutMs, ...storeOptions } = options;
  const client = new Redis(parsed.toString(), {
    connectTimeout: connectTimeoutMs ?? 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // Failures reach the store as rejected commands (and its breaker logs them once): the
  // client's own error events would otherwise be printed on every reconnection attempt.
  client.on('error', () => undefined);
  let store: RedisStore;
  try {
    store = createRedisStore({ ...storeOptions, client });
  } catch (thrown) {
    client.disconnect();
    throw thrown;
  }
  return ok({
    ...store,
    close: async () => {
      try {
        await store.close();
      } finally {
        client.disconnect();
      }
    },
  });
}
