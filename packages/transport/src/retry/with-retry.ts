import type { IntegrationError } from '@openai-integration/core';
import { ResultAsync } from 'neverthrow';
import { runWithRetry } from '../internal/retry-runner.ts';
import type { RetryOptions } from './retry-options.ts';
import type { TransportOutcome } from '../transport/transport-outcome.ts';

/**
 * Runs an operation and retries it with exponential backoff and jitter while its
 * error says `retryable: true`.
 *
 * The operation receives a per-attempt AbortSignal and the attempt number (1-based).
 * Defaults: 6 retries (7 attempts) with nominal delays of 1, 2, 4, 8, 16 and 32 s and
 * equal jitter (each delay uniform in [nominal / 2, nominal)). A server hint
 * (`retryAfterMs`) up to `maxRetryAfterMs` (60 s) replaces the computed delay; a
 * longer hint ends the call at once with that error, hint intact. With
 * `attemptTimeoutMs`, each attempt's signal is aborted when it runs out and the attempt
 * fails with a retryable `TimeoutError` kind `attempt`. With `deadlineMs`, the whole
 * call ends with `TimeoutError` kind `deadline` (not retryable; `cause` is the last
 * error) when the deadline passes, or at once when the next wait would end after it.
 * Aborting `signal` ends a running attempt or a waiting retry at once with
 * `AbortedError`. The error returned is the last error, with `attempts` set.
 * An operation that throws or rejects is a programming error: the returned promise
 * rejects. Throws a TypeError for impossible options (negative numbers, a factor below 1).
 *
 * Fails with: the operation's last error (any `_tag`), `TimeoutError` (kind `attempt`
 * or `deadline`), `AbortedError`.
 *
 * @example
 * const result = await withRetry((signal) => callTheApi(signal), { maxRetries: 3, deadlineMs: 30_000 });
 */
export function withRetry<T>(
  operation: (signal: AbortSignal, attempt: number) => TransportOutcome<T>,
  options: RetryOptions = {},
): ResultAsync<T, IntegrationError> {
  return new ResultAsync(runWithRetry(operation, options));
}
