import type { RetryPolicyOptions } from '@openai-integration/transport';
import type { UsageBudget } from '../usage/create-usage-tracker.ts';

/** Per-call settings every operation accepts. */
export interface CallOptions {
  /** Aborting it cancels the call, a waiting retry, or a running stream. */
  readonly signal?: AbortSignal;
  /** Total time for the call with all its retries, in ms. */
  readonly deadlineMs?: number;
  /** Time for one attempt, in ms. */
  readonly attemptTimeoutMs?: number;
  /** Overrides parts of the retry policy for this call (e.g. `{ maxRetries: 0 }`). */
  readonly retry?: RetryPolicyOptions;
}

/** Per-call options about models and budgets, shared by chat and responses. */
export interface ModelCallOptions {
  /** Models to try, in order, when the requested one cannot answer (overrides the configured chain). */
  readonly fallback?: readonly string[];
  /** A token or cost budget for this call alone. */
  readonly budget?: UsageBudget;
}

/** Per-call stream settings. */
export interface StreamCallOptions extends CallOptions {
  /** No chunk for this long ends the stream with its partial output. Default: the configured idle timeout. */
  readonly idleTimeoutMs?: number;
  /** The whole stream may take this long. Default: the configured limit, or none. */
  readonly totalTimeoutMs?: number;
}
