import type { ErrorTag, IntegrationError } from '@openai-integration/core';
import type { Result } from 'neverthrow';
import type { RunAllReport } from '../partial/run-all-report.ts';

/** Runs one item; `countAttempt` is called at the start of each of its attempts. */
export type ItemRunner<Item, Value> = (
  item: Item,
  index: number,
  countAttempt: () => void,
) => Promise<Result<Value, IntegrationError>>;

/** Throws a TypeError unless the concurrency is an integer >= 1 (or Infinity). */
export function checkConcurrency(concurrency: number): number {
  if (!(concurrency === Number.POSITIVE_INFINITY || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new TypeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  }
  return concurrency;
}

/**
 * Runs every item with at most `concurrency` in progress (each worker takes the next
 * item in input order) and builds the report, keeping each result at its item's index.
 */
export async function collectResults<Item, Value>(
  items: readonly Item[],
  concurrency: number,
  runItem: ItemRunner<Item, Value>,
): Promise<RunAllReport<Value>> {
  const results: Result<Value, IntegrationError>[] = new Array<Result<Value, IntegrationError>>(items.length);
  const attempts: number[] = items.map(() => 0);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await runItem(items[index] as Item, index, () => {
        attempts[index] = (attempts[index] ?? 0) + 1;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));

  const successes: { index: number; value: Value }[] = [];
  const failures: { index: number; error: IntegrationError }[] = [];
  const failuresByTag: Partial<Record<ErrorTag, number>> = {};
  results.forEach((result, index) => {
    if (result.isOk()) successes.push({ index, value: result.value });
    else {
      failures.push({ index, error: result.error });
      failuresByTag[result.error._tag] = (failuresByTag[result.error._tag] ?? 0) + 1;
    }
  });
  return {
    results,
    successes,
    failures,
    summary: {
      total: items.length,
      succeeded: successes.length,
      failed: failures.length,
      retried: attempts.filter((count) => count > 1).length,
      attempts: attempts.reduce((sum, count) => sum + count, 0),
      failuresByTag,
    },
  };
}
