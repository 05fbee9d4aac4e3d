import * as Effect from 'effect/Effect';
import * as Stream from 'effect/Stream';

/**
 * A stream made afresh each time it runs, with a signal that aborts when the stream
 * stops for any reason: its end, a failure, the consumer taking only part of it
 * (`Stream.take`), or the interruption of the fiber that runs it. Aborting the signal
 * of a call that has already settled does nothing.
 */
export const abortableStream = <A, E>(open: (signal: AbortSignal) => Stream.Stream<A, E>): Stream.Stream<A, E> =>
  Stream.unwrap(
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => new AbortController()),
        (controller) =>
          Effect.sync(() => {
            controller.abort('the stream was stopped');
          }),
      ),
      (controller) => open(controller.signal),
    ),
  );

/**
 * An async iterable as a stream. Iteration of the operations' streams and walks never
 * throws (a failure is their last value): anything thrown anyway is a defect.
 */
export const fromIterable = <A>(iterable: AsyncIterable<A>): Stream.Stream<A> =>
  Stream.orDie(Stream.fromAsyncIterable(iterable, (thrown) => thrown));
