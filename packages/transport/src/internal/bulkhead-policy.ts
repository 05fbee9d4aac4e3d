import type { IntegrationError } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { Bulkhead, BulkheadOptions } from '../bulkhead/create-bulkhead.ts';
import type { TransportOutcome } from '../transport/transport-outcome.ts';
import { toAbortedError } from './aborted-error.ts';
import { isWaiting, type Answer } from './answer.ts';
import { clientRateLimitError } from './client-rate-limit-error.ts';

const countOption = (name: string, value: number): number => {
  if (!(value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 0)))
    throw new TypeError(`${name} must be an integer >= 0 or Infinity, got ${value}`);
  return value;
};

/**
 * A bulkhead with the one contract every caller goes through: `admit` takes a slot at
 * once when one is free (or refuses at once when the queue is full) and waits in the
 * queue otherwise; `leave` gives the slot back. The public `execute` is built on it.
 */
export interface BulkheadPolicy extends Bulkhead {
  /** Takes a slot, or fails with `RateLimitError` (origin `client`) or `AbortedError`; call `leave` once the call is over. */
  admit(signal: AbortSignal | undefined): Answer<Result<void, IntegrationError>>;
  /** Gives a slot back (to the first waiting call, if any). */
  leave(): void;
}

/** The bulkhead behind {@link createBulkhead}. */
export function createBulkheadPolicy(options: BulkheadOptions = {}): BulkheadPolicy {
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

  const admit = (signal: AbortSignal | undefined): Answer<Result<void, IntegrationError>> => {
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
  const runAdmitted = <T>(operation: () => TransportOutcome<T>): Promise<Result<T, IntegrationError>> => {
    let pending: TransportOutcome<T>;
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

  const execute = <T>(operation: () => TransportOutcome<T>, signal?: AbortSignal): ResultAsync<T, IntegrationError> => {
    const entry = admit(signal);
    // Admitted at once (a free slot): no wait, so no async frame around the operation.
    if (!isWaiting(entry))
      return new ResultAsync(entry.isErr() ? Promise.resolve(err(entry.error)) : runAdmitted(operation));
    return new ResultAsync(entry.then((admitted) => (admitted.isErr() ? err(admitted.error) : runAdmitted(operation))));
  };

  return { admit, leave: release, execute, running: () => running, queued: () => waiting.length };
}
