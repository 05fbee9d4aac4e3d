import type { IntegrationError, Logger, RateLimitSnapshot, Clock } from '@openai-integration/core';
import type { ResultAsync } from 'neverthrow';
import { createPacingPolicy } from '../internal/pacing-policy.ts';
import type { BudgetStore, PacingReason } from '../store/budget-store.ts';
import type { BudgetLimits } from '../store/create-memory-budget-store.ts';
import type { TransportOutcome } from '../transport/transport-outcome.ts';
import type { BudgetRecord } from './budget-record.ts';

/** Emitted before a call is held back. */
export interface PacingWaitEvent {
  readonly key: string;
  readonly waitMs: number;
  readonly reason: PacingReason;
}

/** One call's claim on a budget. */
export interface PacingRequest {
  /** The rate-limit key (e.g. the model, or `apiKey:model`). Default `'default'`. */
  readonly key?: string;
  /** Tokens the call is expected to use (prompt + max output). Default 0. */
  readonly estimate?: number;
  /** Aborting it ends a wait at once (`AbortedError`) and gives the reservation back. */
  readonly signal?: AbortSignal;
  /**
   * When the call must be over (epoch ms on the limiter's clock): it waits for the
   * budget only if it can be sent before then, and is refused at once otherwise.
   */
  readonly deadlineAt?: number;
}

/** How a paced call went, for {@link PacingPermit.settle}. */
export interface PacingOutcome {
  /**
   * The attempt's error, if it failed. A `RateLimitError` gives the reservation back
   * (the server did not count the call); a server one with a retry hint also pauses
   * the key (for at most `maxPauseMs`). Its rate-limit snapshot is used when
   * `snapshot` is absent.
   */
  readonly error?: IntegrationError;
  /** The rate-limit headers of the response. */
  readonly snapshot?: RateLimitSnapshot | null;
  /** Tokens the response's usage reported; the estimate is settled against it. */
  readonly usedTokens?: number | null;
}

/** A call's granted share of the budget; see {@link RateLimiter.acquire}. */
export interface PacingPermit {
  /** How long the call was held back, in ms (0: it went at once). */
  readonly waitedMs: number;
  /** Ends the reservation once the call is over (a second call, or one after `release`, does nothing). */
  settle(outcome?: PacingOutcome): Promise<void>;
  /** Gives the whole share back: the call was not sent. */
  release(): Promise<void>;
}

/** How the limiter paces calls. */
export interface RateLimiterOptions {
  /**
   * Longest a call is held back, in ms (a call's own deadline may allow less); a call
   * the budget cannot serve in time is refused at once. Default 30000.
   */
  readonly maxWaitMs?: number;
  /**
   * Longest pause after a server 429, in ms: a retry hint above it (a bogus
   * `retry-after: 3600`) pauses the key for this long only. Default 60000, the retry
   * policy's `maxRetryAfterMs`.
   */
  readonly maxPauseMs?: number;
  /** Where budgets live. Default: a fresh {@link createMemoryBudgetStore} with the three settings below. */
  readonly store?: BudgetStore;
  /** The default store's window when the headers do not say, in ms. Default 60000. */
  readonly windowMs?: number;
  /** The default store's limits of a key before any response reports them. */
  readonly limitsFor?: (key: string) => BudgetLimits | undefined;
  /** The default store's bound on keys. Default 1000. */
  readonly maxKeys?: number;
  /** Time source. Default {@link systemClock}. */
  readonly clock?: Clock;
  /** Waits are logged at debug, refusals at warn. Default: silent. */
  readonly logger?: Logger;
  /** Called before a call is held back. */
  readonly onWait?: (event: PacingWaitEvent) => void;
}

/** Client-side rate-limit pacing; see {@link createRateLimiter}. */
export interface RateLimiter {
  /** Corrects the key's budgets from a response's rate-limit headers (a snapshot older than the last one is ignored). */
  observe(key: string, snapshot: RateLimitSnapshot): Promise<void>;
  /**
   * Learns from a failed call outside a permit: its rate-limit snapshot, and for a
   * server 429 with a retry hint, a pause of every caller of the key until the hint
   * (at most `maxPauseMs`).
   */
  observeError(key: string, error: IntegrationError): Promise<void>;
  /**
   * Reserves one request and the estimated tokens, waiting in line (first come, first
   * served) until the budget has them, then resolves with the permit to settle once
   * the call is over.
   *
   * Fails with: `RateLimitError` (origin `client`, not retryable) at once when the
   * budget cannot serve the call within `maxWaitMs` or before its deadline
   * (`retryAfterMs` = the wait it would have needed), or when the estimate is larger
   * than the whole token limit (`retryAfterMs` null); `AbortedError`.
   */
  acquire(request?: PacingRequest): ResultAsync<PacingPermit, IntegrationError>;
  /**
   * `acquire`, then the operation, then `settle` with its error, if any.
   *
   * Fails with: what `acquire` fails with, or the operation's own error.
   */
  execute<T>(operation: () => TransportOutcome<T>, request?: PacingRequest): ResultAsync<T, IntegrationError>;
  /** The pacing state of a key, if the store holds figures for it. */
  budget(key: string): Promise<BudgetRecord | undefined>;
}

/**
 * Creates a client-side rate limiter: calls wait in line for the rate-limit budget
 * instead of being sent to certain rejection, and leave at the rate it comes back.
 *
 * Budgets are token buckets per key (requests, and tokens against each call's
 * `estimate`) in a {@link BudgetStore}; by default in memory, learning each bucket's
 * size and refill from the `x-ratelimit-*` headers (OpenAI's reset is the time until
 * the bucket is full, so with nothing left one request comes back after window /
 * limit) and corrected by every response. A call reserves its share at once and
 * waits for its turn: waiters are served first come, first served, each as soon as
 * the budget has refilled for it, never all together. A call waits as long as
 * `maxWaitMs` and its deadline allow; one the budget cannot serve in time is refused
 * at once with `RateLimitError` origin `client` (status 429, `retryAfterMs` = the wait
 * it needed, not retryable), so a caller learns it without spending anything and
 * can sleep on the hint. A server 429 with a retry hint pauses every caller of the
 * key until the hint, capped at `maxPauseMs`. Without figures from the server (or
 * `limitsFor`) it never holds a call back. Throws a TypeError for a negative
 * `maxWaitMs` or `maxPauseMs`, or default-store settings given with a `store`.
 *
 * Fails with: `RateLimitError` (origin `client`), `AbortedError`.
 *
 * @example
 * const limiter = createRateLimiter({ maxWaitMs: 10_000 });
 * const result = await limiter.execute(() => callTheApi(), { key: 'gpt-4o', estimate: 1_200 });
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  return createPacingPolicy(options);
}
