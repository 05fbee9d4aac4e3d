import { createError, type ErrorOf, type IntegrationError } from '@openai-integration/core';
import { Duration, Effect } from 'effect';
import { err, type Result } from 'neverthrow';
import type { TransportOutcome } from '../transport/transport-outcome.ts';

/** What {@link guardedAttempt} needs besides the operation. */
export interface GuardedAttemptOptions {
  /** After this many ms the attempt's signal is aborted and it ends with `TimeoutError` kind `attempt` (undefined or Infinity: never). */
  readonly timeoutMs: number | undefined;
  /** Names the attempt in the timeout message. */
  readonly label: string;
  /** Why the attempt is interrupted, when it is for another reason than its timeout (the caller's abort, the deadline). */
  readonly reason: () => unknown;
}

/**
 * One operation as an Effect program: it gets its own AbortSignal and the program
 * ends with the operation's Result, or with `TimeoutError` kind `attempt` when the
 * timeout (a timer on the clock, raced against the operation) passes first. When the
 * program is interrupted (the timeout, the caller's abort, the deadline), the
 * operation's signal is aborted with that reason and the operation is abandoned: its
 * late result, or late rejection, is dropped. An operation that throws or rejects
 * before that makes the program die with what it threw.
 *
 * @internal Its type names effect: kept out of the published declarations.
 */
export function guardedAttempt<T>(
  operation: (signal: AbortSignal) => TransportOutcome<T>,
  options: GuardedAttemptOptions,
): Effect.Effect<Result<T, IntegrationError>> {
  const { timeoutMs } = options;
  let timedOut: ErrorOf<'TimeoutError'> | undefined;
  const sent = Effect.callback<Result<T, IntegrationError>>((resume) => {
    const controller = new AbortController();
    let pending: TransportOutcome<T>;
    try {
      pending = operation(controller.signal);
    } catch (thrown) {
      resume(Effect.die(thrown));
      return undefined;
    }
    pending.then(
      (result) => {
        resume(Effect.succeed(result));
      },
      (thrown: unknown) => {
        resume(Effect.die(thrown));
      },
    );
    return Effect.sync(() => {
      controller.abort(timedOut ?? options.reason());
    });
  });
  if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return sent;
  // The timer starts before the operation, so that a timeout due with the operation's own wait wins.
  return Effect.raceFirst(
    Effect.sleep(Duration.millis(timeoutMs)).pipe(
      Effect.map((): Result<T, IntegrationError> => {
        timedOut = createError('TimeoutError', {
          message: `${options.label} timed out after ${timeoutMs} ms`,
          kind: 'attempt',
          timeoutMs,
        });
        return err(timedOut);
      }),
    ),
    sent,
  );
}
