import { Effect } from 'effect';
import { isWaiting, type Answer } from './answer.ts';

/**
 * An {@link Answer} as an Effect: the value at once when it is there, else when the
 * promise settles (a rejection is a defect: a store or an operation that threw).
 * `signal` aborts when the program is interrupted while it waits; the program then
 * still waits for the answer and hands it to `late`, which gives back what it holds.
 *
 * @internal Its type names effect: kept out of the published declarations.
 */
export function fromAnswer<T>(
  start: (signal: AbortSignal) => Answer<T>,
  late: (value: T) => Answer<void>,
): Effect.Effect<T> {
  return Effect.callback<T>((resume, signal) => {
    const answer = start(signal);
    if (!isWaiting(answer)) {
      resume(Effect.succeed(answer));
      return undefined;
    }
    answer.then(
      (value) => {
        resume(Effect.succeed(value));
      },
      (thrown: unknown) => {
        resume(Effect.die(thrown));
      },
    );
    return Effect.promise(() => answer.then(late).then(undefined, () => undefined));
  });
}
