import * as Effect from 'effect/Effect';
import type { Result } from 'neverthrow';

/** A neverthrow `Result` as an Effect: its value succeeds, its error fails (the same object, untouched). */
export const fromResult = <A, E>(result: Result<A, E>): Effect.Effect<A, E> =>
  result.match<Effect.Effect<A, E>>(Effect.succeed, Effect.fail);

/**
 * A call that settles with a neverthrow `Result`, as an Effect that runs it when it
 * runs. The call gets a signal that aborts when the fiber is interrupted, so an
 * interruption cancels the request in flight (or the wait before a retry), not only
 * the wait for its answer.
 */
export const fromResultAsync = <A, E>(run: (signal: AbortSignal) => PromiseLike<Result<A, E>>): Effect.Effect<A, E> =>
  // The callback declares its signal parameter: Effect.promise only makes a signal for callbacks that take one.
  Effect.flatMap(
    Effect.promise((signal) => run(signal)),
    fromResult,
  );

/**
 * The caller's options with the fiber's signal added: the call stops when either the
 * caller's own signal or the interruption of the fiber aborts.
 */
export function withSignal<Options extends { readonly signal?: AbortSignal }>(
  options: Options | undefined,
  signal: AbortSignal,
): Options & { readonly signal: AbortSignal } {
  const own = options?.signal;
  return Object.assign({}, options, { signal: own === undefined ? signal : AbortSignal.any([own, signal]) });
}
