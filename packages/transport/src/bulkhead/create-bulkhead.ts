import type { IntegrationError } from '@openai-integration/core';
import type { ResultAsync } from 'neverthrow';
import { createBulkheadPolicy } from '../internal/bulkhead-policy.ts';
import type { TransportOutcome } from '../transport/transport-outcome.ts';

/** How many calls may run and wait at once. */
export interface BulkheadOptions {
  /** Calls running at once (Infinity: no limit). Default Infinity. */
  readonly maxConcurrent?: number;
  /** Calls waiting for a slot (Infinity: no limit). Default Infinity. */
  readonly maxQueued?: number;
}

/** A concurrency limit with a bounded queue; see {@link createBulkhead}. */
export interface Bulkhead {
  /**
   * Runs the operation when a slot is free, waiting in the queue if needed.
   *
   * Fails with: `RateLimitError` (origin `client`, not retryable) when the queue is
   * full; `AbortedError` when `signal` aborts while waiting; or the operation's own error.
   */
  execute<T>(operation: () => TransportOutcome<T>, signal?: AbortSignal): ResultAsync<T, IntegrationError>;
  /** Calls running now. */
  running(): number;
  /** Calls waiting for a slot now. */
  queued(): number;
}

/**
 * Creates a bulkhead: at most `maxConcurrent` calls run at once, at most `maxQueued`
 * wait (first in, first out), and a call that finds the queue full fails at once.
 *
 * The full-queue failure is a `RateLimitError` with origin `client` (status 429,
 * `retryAfterMs` null, not retryable) and a message that says the queue is full. A
 * waiting call whose signal aborts leaves the queue with `AbortedError`. Slots are
 * per process. Throws a TypeError for a negative or fractional limit, or
 * `maxConcurrent` 0.
 *
 * Fails with: `RateLimitError` (origin `client`), `AbortedError`, or the operation's own error.
 *
 * @example
 * const bulkhead = createBulkhead({ maxConcurrent: 8, maxQueued: 100 });
 * const result = await bulkhead.execute(() => callTheApi());
 */
export function createBulkhead(options: BulkheadOptions = {}): Bulkhead {
  return createBulkheadPolicy(options);
}
