import type { IntegrationError, Logger } from '@openai-integration/core';
import type { Clock } from '@openai-integration/core';
import type { BackoffOptions } from './create-backoff.ts';

/** Emitted before each wait for a retry. */
export interface RetryEvent {
  /** The label of the call (the transport's `key`). */
  readonly key: string;
  /** The attempt that just failed (1 for the first). */
  readonly attempt: number;
  /** How long the policy waits before the next attempt, in ms. */
  readonly delayMs: number;
  /** Whether `delayMs` is the server's `retryAfterMs` rather than the backoff. */
  readonly fromRetryAfter: boolean;
  /** The error of the failed attempt. */
  readonly error: IntegrationError;
}

/** Why a retry policy stopped with an error. */
export type GiveUpReason = 'not-retryable' | 'retries-exhausted' | 'retry-after-too-long' | 'deadline' | 'aborted';

/** Emitted once when a call ends with an error. */
export interface GiveUpEvent {
  readonly key: string;
  /** How many attempts ran (0 when the call was aborted before the first). */
  readonly attempts: number;
  readonly reason: GiveUpReason;
  /** The error the call returns. */
  readonly error: IntegrationError;
}

/** Emitted once when a call succeeds. */
export interface SuccessEvent {
  readonly key: string;
  /** How many attempts ran, the successful one included. */
  readonly attempts: number;
  /** Time from the start of the call to its success, in ms. */
  readonly elapsedMs: number;
}

/** The reusable part of a retry policy: how often and how long to wait. */
export interface RetryPolicyOptions extends BackoffOptions {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). Default 6. */
  readonly maxRetries?: number;
  /**
   * Largest server `retryAfterMs` that is honoured, in ms. A hint up to this replaces
   * the backoff delay; a longer one ends the call at once with that error (hint
   * intact) so the caller can reschedule. Default 60000.
   */
  readonly maxRetryAfterMs?: number;
  /** Called before each wait. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Called once when the call ends with an error. */
  readonly onGiveUp?: (event: GiveUpEvent) => void;
  /** Called once when the call succeeds. */
  readonly onSuccess?: (event: SuccessEvent) => void;
}

/** Everything {@link withRetry} accepts. */
export interface RetryOptions extends RetryPolicyOptions {
  /** Aborting it cancels a running attempt or a waiting retry at once (`AbortedError`). */
  readonly signal?: AbortSignal;
  /** Total time for all attempts and waits, in ms (`TimeoutError` kind `deadline`). Default: none. */
  readonly deadlineMs?: number;
  /** Time for one attempt, in ms (`TimeoutError` kind `attempt`, retryable). Default: none. */
  readonly attemptTimeoutMs?: number;
  /** A label for log lines and events. Default `'default'`. */
  readonly key?: string;
  /** Time source. Default {@link systemClock}. */
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Where retries (debug) and give-ups (warn) are logged. Default: silent. */
  readonly logger?: Logger;
}
