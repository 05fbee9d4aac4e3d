import { checkConcurrency, collectResults } from '../internal/collect-results.ts';
import { createRetryRunner, runWithRetry } from '../internal/retry-runner.ts';
import type { RetryOptions } from '../retry/retry-options.ts';
import type { RunAllContext, RunAllReport } from './run-all-report.ts';
import type { TransportOutcome } from '../transport/transport-outcome.ts';

/** How {@link runAll} runs the items. */
export interface RunAllOptions {
  /** Items in progress at once. Default 4. */
  readonly concurrency?: number;
  /**
   * The retry policy applied to each failed item (see {@link withRetry}; `deadlineMs`
   * and `attemptTimeoutMs` apply per item), or `false` for one attempt each.
   * Default: the default retry policy.
   */
  readonly retry?: Omit<RetryOptions, 'signal'> | false;
  /** Aborting it ends running items and fails the items not started with `AbortedError`. */
  readonly signal?: AbortSignal;
}

/**
 * Runs an operation for every item with a concurrency limit, retries only the items
 * that failed, and returns one result per item in input order plus a summary.
 *
 * A failed item never throws away the others' successes: `results[i]` is `ok(value)`
 * or `err(lastError)` (with `attempts`) for `items[i]`, `successes` and `failures`
 * list them by index, and `summary` counts items, retries, attempts and failures by
 * `_tag`. Each item runs through the retry policy on its own (its waits hold its
 * slot). The run as a whole never fails; it rejects only if an operation throws.
 * Throws a TypeError for a concurrency below 1 or impossible retry options.
 *
 * Fails with: nothing as a whole; each failed item carries its own last error (any
 * `_tag`, including `TimeoutError` and `AbortedError`).
 *
 * @example
 * const report = await runAll(documents, (document, { signal }) => embed(document, signal), { concurrency: 8 });
 * console.log(report.summary.failed, report.successes.length);
 */
export function runAll<Item, Value>(
  items: readonly Item[],
  operation: (item: Item, context: RunAllContext) => TransportOutcome<Value>,
  options: RunAllOptions = {},
): Promise<RunAllReport<Value>> {
  const concurrency = checkConcurrency(options.concurrency ?? 4);
  const retry: Omit<RetryOptions, 'signal'> = options.retry === false ? { maxRetries: 0 } : (options.retry ?? {});
  const runner = createRetryRunner(retry);
  const { signal } = options;
  return collectResults(items, concurrency, (item, index, countAttempt) =>
    runWithRetry(
      (attemptSignal, attempt) => {
        countAttempt();
        return operation(item, { index, attempt, signal: attemptSignal });
      },
      { ...retry, ...(signal === undefined ? {} : { signal }), key: `${retry.key ?? 'item'}#${index}` },
      runner,
    ),
  );
}
