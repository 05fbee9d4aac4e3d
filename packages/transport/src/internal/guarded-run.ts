import { createError, type IntegrationError } from '@openai-integration/core';
import { err, type Result } from 'neverthrow';
import type { Clock } from '@openai-integration/core';
import { toAbortedError } from './aborted-error.ts';
import { startTimer } from '../clock/start-timer.ts';
import type { TransportOutcome } from '../transport/transport-outcome.ts';

/** What {@link guardedRun} needs besides the operation. */
export interface GuardedRunOptions {
  /** Aborting it ends the run at once with `AbortedError`. */
  readonly signal: AbortSignal | undefined;
  /** After this many ms the run's signal is aborted and the run ends with `TimeoutError` kind `attempt`. */
  readonly timeoutMs: number | undefined;
  readonly clock: Clock;
  /** Names the attempt in the timeout message. */
  readonly label: string;
}

/**
 * What runs when a guarded run ends, before its promise settles (so that the caller
 * needs no promise of its own): `settled` gets the result (of the operation, or the
 * timeout or abort) and may replace it; `threw` runs when the operation threw or rejected.
 */
export interface GuardedRunSequel<T> {
  readonly settled: (
    result: Result<T, IntegrationError>,
  ) => Result<T, IntegrationError> | Promise<Result<T, IntegrationError>>;
  readonly threw: () => void;
}

/**
 * Runs one operation with its own AbortSignal and settles as soon as the operation
 * settles, the parent signal aborts (`AbortedError`) or the timeout passes
 * (`TimeoutError` kind `attempt`; the operation's signal is aborted). An operation
 * that ignores its signal is abandoned: its late result, or late rejection, is
 * dropped. An operation that throws or rejects before that rejects the run.
 */
export function guardedRun<T>(
  operation: (signal: AbortSignal) => TransportOutcome<T>,
  options: GuardedRunOptions,
  after?: GuardedRunSequel<T>,
): Promise<Result<T, IntegrationError>> {
  const { signal: parent, timeoutMs, clock } = options;
  if (parent?.aborted === true) {
    const aborted = err(toAbortedError(parent));
    return Promise.resolve(after === undefined ? aborted : after.settled(aborted));
  }
  const controller = new AbortController();
  // One promise, one timer and at most one listener per run: this runs on every attempt.
  return new Promise<Result<T, IntegrationError>>((resolve, reject) => {
    let settled = false;
    let cancelTimer: (() => void) | undefined;
    const finish = (): void => {
      settled = true;
      cancelTimer?.();
      parent?.removeEventListener('abort', onParentAbort);
    };
    const rejectWith = (thrown: unknown): void => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what the operation (or the sequel) threw or rejected with goes to the caller unchanged, Error or not
      reject(thrown);
    };
    const end = (result: Result<T, IntegrationError>): void => {
      if (after === undefined) {
        resolve(result);
        return;
      }
      try {
        resolve(after.settled(result));
      } catch (thrown) {
        rejectWith(thrown);
      }
    };
    const fail = (thrown: unknown): void => {
      after?.threw();
      rejectWith(thrown);
    };
    const onParentAbort = (): void => {
      if (settled) return;
      finish();
      controller.abort(parent?.reason);
      end(err(toAbortedError(controller.signal)));
    };
    parent?.addEventListener('abort', onParentAbort, { once: true });
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      cancelTimer = startTimer(clock, timeoutMs, () => {
        if (settled) return;
        const error = createError('TimeoutError', {
          message: `${options.label} timed out after ${timeoutMs} ms`,
          kind: 'attempt',
          timeoutMs,
        });
        finish();
        controller.abort(error);
        end(err(error));
      });
    }
    let pending: TransportOutcome<T>;
    try {
      pending = operation(controller.signal);
    } catch (thrown) {
      finish();
      fail(thrown);
      return;
    }
    pending.then(
      (result) => {
        if (settled) return;
        finish();
        end(result);
      },
      (thrown: unknown) => {
        if (settled) return;
        finish();
        fail(thrown);
      },
    );
  });
}
