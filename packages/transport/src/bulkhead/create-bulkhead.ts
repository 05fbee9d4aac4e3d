import type { IntegrationError } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { toAbortedError } from '../internal/aborted-error.ts';
import { clientRateLimitError } from '../internal/client-rate-limit-error.ts';
import type { OperationResult } from '../transport/operation-result.ts';

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
  execute<T>(operation: () => OperationResult<T>, signal?: AbortSignal): ResultAsync<T, IntegrationError>;
  /** Calls running now. */
  running(): number;
  /** Calls waiting for a slot now. */
  queued(): number;
}

/** What the transport uses to take and give back a slot without a promise. Not public. */
export interface BulkheadLane {
  /** Takes a slot if one is free now; false (nothing taken) otherwise. */
  enterNow(): boolean;
  /** Gives a slot back (to the first waiting call, if any). */
  leave(): void;
}

const lanes = new WeakMap<Bulkhead, BulkheadLane>();

/** The lane of a bulkhead made by {@link createBulkhead}, or undefined for any other object. */
export function bulkheadLane(bulkhead: Bulkhead): BulkheadLane | undefined {
  return lanes.get(bulkhead);
}

const countOption = (name: string, value: number): number => {
  if (!(value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 0)))
    throw new TypeError(`${name} must be an integer >= 0 or Infinity, got ${value}`);
  return value;
};

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
  const maxConcurrent = countOption('maxConcurrent', options.maxConcurrent ?? Number.POSITIVE_INFINITY);
  if (maxConcurrent === 0) throw new TypeError('maxConcurrent must be at least 1');
  const maxQueued = countOption('maxQueued', options.maxQueued ?? Number.POSITIVE_INFINITY);
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) running -= 1;
    else next();
  };

  const enter = (
    signal: AbortSignal | undefined,
  ): Promise<Result<void, IntegrationError>> | Result<void, IntegrationError> => {
    if (signal?.aborted === true) return err(toAbortedError(signal));
    if (running < maxConcurrent) {
      running += 1;
      return ok(undefined);
    }
    if (waiting.length >= maxQueued) {
      return err(
        clientRateLimitError(
          `the bulkhead queue is full (${running} running, ${waiting.length} waiting); the call was not sent`,
          null,
        ),
      );
    }
    return new Promise((resolve) => {
      const onAbort = (event: Event): void => {
        waiting.splice(waiting.indexOf(admitted), 1);
        resolve(err(toAbortedError(event.target as AbortSignal)));
      };
      const admitted = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(ok(undefined));
      };
      waiting.push(admitted);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  /** Runs an admitted operation and frees its slot when it settles (one promise, no async frame). */
  const runAdmitted = <T>(operation: () => OperationResult<T>): Promise<Result<T, IntegrationError>> => {
    let pending: OperationResult<T>;
    try {
      pending = operation();
    } catch (thrown) {
      release();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a programming error of the operation goes to the caller as it was thrown
      return Promise.reject(thrown);
    }
    return Promise.resolve(pending).then(
      (result) => {
        release();
        return result;
      },
      (thrown: unknown) => {
        release();
        throw thrown;
      },
    );
  };

  const execute = <T>(operation: () => OperationResult<T>, signal?: AbortSignal): ResultAsync<T, IntegrationError> => {
    const entry = enter(signal);
    // Admitted at once (a free slot): no wait, so no async frame around the operation.
    if (!(entry instanceof Promise))
      return new ResultAsync(entry.isErr() ? Promise.resolve(err(entry.error)) : runAdmitted(operation));
    return new ResultAsync(entry.then((admitted) => (admitted.isErr() ? err(admitted.error) : runAdmitted(operation))));
  };

  const bulkhead: Bulkhead = { execute, running: () => running, queued: () => waiting.length };
  lanes.set(bulkhead, {
    enterNow: () => {
      if (running >= maxConcurrent) return false;
      running += 1;
      return true;
    },
    leave: release,
  });
  return bulkhead;
}
