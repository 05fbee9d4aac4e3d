/** How a scripted body ends after its last chunk. */
export type StreamEnding = 'close' | 'cut' | 'stall';

/** Resolves when the signal aborts (at once if it already has). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else {
      signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
    }
  });
}

/**
 * A body that yields `chunks` one per read (optionally waiting `delayMs` before
 * each on the injected `sleep`), then closes, fails (`cut`: the connection drops),
 * or holds until `release` aborts (`stall`). Nothing is produced ahead of a read, so
 * a stall or cut happens exactly after the chunks the client has taken.
 */
export function createStreamBody(
  chunks: readonly (string | Uint8Array)[],
  options: {
    readonly ending: StreamEnding;
    readonly delayMs: number;
    readonly release: AbortSignal;
    readonly sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const cancelled = new AbortController();
  const stop = AbortSignal.any([options.release, cancelled.signal]);
  let index = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = chunks[index];
        if (chunk !== undefined) {
          if (options.delayMs > 0) await options.sleep(options.delayMs, stop);
          if (stop.aborted) {
            controller.error(new Error('the simulator released the stream'));
            return;
          }
          index += 1;
          controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
          return;
        }
        if (options.ending === 'close') {
          controller.close();
          return;
        }
        if (options.ending === 'stall') await whenAborted(stop);
        controller.error(
          new Error(options.ending === 'cut' ? 'the simulator cut the stream' : 'the simulator released the stream'),
        );
      },
      cancel() {
        cancelled.abort();
      },
    },
    { highWaterMark: 0 },
  );
}
