import type { ErrorTag, IntegrationError } from '@openai-integration/core';
import type { Result } from 'neverthrow';

/** Counts over every item of a {@link runAll}. */
export interface RunAllSummary {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Items that needed more than one attempt. */
  readonly retried: number;
  /** Attempts over all items. */
  readonly attempts: number;
  /** Failed items by error `_tag`. */
  readonly failuresByTag: Readonly<Partial<Record<ErrorTag, number>>>;
}

/** What {@link runAll} returns: one result per item, in input order, and a summary. */
export interface RunAllReport<Value> {
  /** `results[i]` is the outcome of `items[i]`. */
  readonly results: readonly Result<Value, IntegrationError>[];
  /** The items that succeeded, in input order. */
  readonly successes: readonly { readonly index: number; readonly value: Value }[];
  /** The items that failed, in input order, each with its last error (`attempts` set). */
  readonly failures: readonly { readonly index: number; readonly error: IntegrationError }[];
  readonly summary: RunAllSummary;
}

/** What an item's operation receives besides the item. */
export interface RunAllContext {
  /** The item's position in the input. */
  readonly index: number;
  /** The attempt number for this item (1-based). */
  readonly attempt: number;
  /** Aborted when the run is aborted or the attempt times out. */
  readonly signal: AbortSignal;
}
