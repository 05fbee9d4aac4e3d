import type { IntegrationError, RateLimitSnapshot, TokenUsage } from '@openai-integration/core';

/** A model that a fallback chain passed over, and why. */
export interface SkippedModel {
  readonly model: string;
  readonly reason: string;
  /** The `_tag` of the error that moved the call on, when there was one. */
  readonly errorTag: IntegrationError['_tag'] | null;
}

/** What a caller needs to operate the service: attached to every successful result, and given by a stream whatever its outcome. */
export interface CallMeta {
  /** e.g. `chat.create`, `responses.stream`. */
  readonly operation: string;
  /** The model that answered (as the server named it). */
  readonly model: string;
  readonly requestId: string | null;
  /** Attempts of the call that answered (1 when no retry was needed). */
  readonly attempts: number;
  readonly latencyMs: number;
  /** The rate-limit headers of the response, when it had any. */
  readonly rateLimit: RateLimitSnapshot | null;
  /** Models of the fallback chain that were tried or skipped before the one that answered. */
  readonly skippedModels: readonly SkippedModel[];
  readonly usage: TokenUsage | null;
  /**
   * True when `usage` was estimated rather than reported by the server: a stream cut
   * short, or a complete stream from a server that sends no usage chunk.
   */
  readonly usageEstimated: boolean;
  /** Cost in USD from the price table, or null when the model's price is unknown. */
  readonly costUsd: number | null;
}

/** A successful operation: its value and its {@link CallMeta}. */
export interface OperationResult<T> {
  readonly value: T;
  readonly meta: CallMeta;
}
