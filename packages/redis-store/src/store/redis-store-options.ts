import type { Logger } from '@openai-integration/core';
import type { BudgetLimits, Clock } from '@openai-integration/transport';
import type { RedisClient } from './redis-client.ts';

/**
 * What the budget store does while Redis is unavailable (down, slow, or the store's
 * breaker open):
 * - `'local-share'`: each process paces alone on its share of each limit (the limit
 *   divided by `instances`), so that together they stay within it;
 * - `'unpaced'`: calls go without pacing (the server's 429s and the retry policy
 *   still hold them back);
 * - `'refuse'`: calls are refused at once (`RateLimitError` origin `client` from the
 *   transport), so that nothing is sent unaccounted.
 */
export type UnavailablePolicy = 'local-share' | 'unpaced' | 'refuse';

/** Borrowing: a process takes a slice of a budget in one round trip and spends it locally. */
export interface BorrowOptions {
  /**
   * The slice, as a fraction of each limit (0 < fraction <= 0.5). A slice is lent
   * only while the bucket keeps at least another slice after it, so near the limit
   * every call goes to Redis. Default 0.05.
   */
  readonly fraction?: number;
  /** How long a slice may be spent before what is left of it goes back, in ms. Default 1000. */
  readonly holdMs?: number;
}

/** The store's own breaker around Redis. */
export interface RedisBreakerOptions {
  /** Failures (errors or timeouts) in a row that open it. Default 3. */
  readonly failures?: number;
  /** How long it stays open before one call probes Redis, in ms; doubles while Redis stays away. Default 1000. */
  readonly cooldownMs?: number;
  /** The longest it stays open, in ms. Default 30000. */
  readonly maxCooldownMs?: number;
}

/** Settings of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** The Redis client (an ioredis `Redis` or `Cluster`, or an adapter). The store never closes it. */
  readonly client: RedisClient;
  /** Prefix of every Redis key the store writes. Default `'openai-integration'`. */
  readonly prefix?: string;
  /** Limits of a key before any response has reported them (the headers replace them). */
  readonly limitsFor?: (key: string) => BudgetLimits | undefined;
  /** How long an empty bucket takes to refill, in ms, until the headers say otherwise. Default 60000. */
  readonly windowMs?: number;
  /** Longest wait for one Redis answer, in ms; then the call is answered by the policy. Default 200. */
  readonly timeoutMs?: number;
  /** What the budgets do while Redis is unavailable. Default `'local-share'`. */
  readonly whenUnavailable?: UnavailablePolicy;
  /**
   * How many processes share the keys: with `'local-share'` each takes limit /
   * instances while Redis is away. Required with `'local-share'`.
   */
  readonly instances?: number;
  /**
   * Share of each known limit kept unspent (0 <= headroom < 0.5): a call goes once the
   * bucket holds its share plus this. Calls of several processes reach the server a
   * little out of the order they were granted in (one process busier than another);
   * a bucket paced exactly to empty answers the early ones 429. Default 0.02 (12 of
   * 600 requests a minute), taken once, not per minute.
   */
  readonly headroom?: number;
  /** Borrowing slices of a budget to spend locally (off by default: every call asks Redis). */
  readonly borrow?: BorrowOptions | boolean;
  /** The store's breaker around Redis. */
  readonly breaker?: RedisBreakerOptions;
  /** Settles kept while Redis is away, sent when it is back; past it the oldest are dropped. Default 10000. */
  readonly maxPending?: number;
  /** Keys held in local state (the local share, learned limits, local cooldowns) at most. Default 1000. */
  readonly maxKeys?: number;
  /**
   * Local time source: Redis timeouts, the breaker, the local share, and the age of a
   * snapshot (its `observedAt` is read on this clock; the buckets themselves run on
   * Redis's clock). Default the system clock.
   */
  readonly clock?: Clock;
  /** Entering and leaving degraded mode are logged (warn, info). Default: silent. */
  readonly logger?: Logger;
}
