import { createError, withErrorFields, type IntegrationError, type StreamPartialOutput, type TokenUsage } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { StreamAccumulator, StreamEvent } from './stream-event.ts';

/** What the stream runner needs from the time source (transport's `Clock` fits). */
export interface StreamClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** An opened stream: its chunks, and how to stop the underlying request. */
export interface OpenedStream<Chunk> {
  readonly chunks: AsyncIterator<Chunk>;
  readonly abort: () => void;
  readonly requestId: string | null;
}

/** How a finished stream went, for trackers and logs. */
export interface StreamOutcome<Final> {
  readonly result: Result<Final, IntegrationError>;
  readonly usage: TokenUsage | undefined;
  readonly partial: StreamPartialOutput;
  readonly attempts: number;
  readonly requestId: string | null;
}

/** Settings of one streamed call. */
export interface EventStreamOptions<Chunk, Final> {
  /** Opens the stream for one attempt; it must honour `signal`. */
  readonly open: (signal: AbortSignal) => Promise<Result<OpenedStream<Chunk>, IntegrationError>>;
  readonly accumulator: () => StreamAccumulator<Chunk, Final>;
  /** Runs the opening phase (connect and first chunk) under the retry policy. */
  readonly execute: <T>(
    operation: (signal: AbortSignal, attempt: number) => PromiseLike<Result<T, IntegrationError>>,
  ) => PromiseLike<Result<T, IntegrationError>>;
  /** Maps a thrown SDK or fetch error to the union. */
  readonly toError: (error: unknown, signal: AbortSignal) => IntegrationError;
  readonly clock: StreamClock;
  /** No chunk for this long ends the stream (`idle-timeout`). */
  readonly idleTimeoutMs: number;
  /** The whole stream may take this long (`total-timeout`); undefined for no limit. */
  readonly totalTimeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Called once when the stream settles, whatever the outcome. */
  readonly onSettled?: (outcome: StreamOutcome<Final>) => void;
}

/**
 * A streamed answer: iterate it for typed events as they arrive, and/or await
 * `result` for the whole answer. Iteration never throws: a failure is a last `error`
 * event, and `result` holds the same error.
 */
export interface EventStream<Final> extends AsyncIterable<StreamEvent<Final>> {
  /** The whole answer, or the error (a `StreamInterruptedError` carries the partial output). */
  readonly result: ResultAsync<Final, IntegrationError>;
}

type Next<Chunk> = { readonly kind: 'chunk'; readonly chunk: Chunk } | { readonly kind: 'done' } | { readonly kind: 'idle' } | { readonly kind: 'total' } | { readonly kind: 'aborted' } | { readonly kind: 'failed'; readonly error: unknown };

const doneStep = { kind: 'done' } as const;
const idleStep = { kind: 'idle' } as const;
const totalStep = { kind: 'total' } as const;
const abortedStep = { kind: 'aborted' } as const;

/** Released with this reason, internal controllers build no DOMException (see transport). */
const settledReason = Symbol('settled');

interface Reader<Chunk> {
  readonly signal: AbortSignal;
  next(): Promise<Next<Chunk>>;
  close(): void;
}

const noPartial: StreamPartialOutput = { text: '', toolCalls: [], eventsReceived: 0, responseId: null, lastSequenceNumber: null };

/**
 * Runs a streamed call: opens it through the retry policy (retried only while nothing
 * has been delivered), then reads it with an idle timeout, an overall limit and the
 * caller's AbortSignal. A stream that stops without its proper end, an error event, or
 * a socket error becomes a `StreamInterruptedError` with the partial output.
 *
 * Fails with: `StreamInterruptedError`, `TimeoutError`, `AbortedError`, and any error of
 * the opening request.
 */
export function createEventStream<Chunk, Final>(options: EventStreamOptions<Chunk, Final>): EventStream<Final> {
  const startedAt = options.clock.now();
  const stop = new AbortController();
  let attempts = 0;
  let started = false;
  let settle: (result: Result<Final, IntegrationError>) => void = () => undefined;
  const settled = new Promise<Result<Final, IntegrationError>>((resolve) => {
    settle = resolve;
  });

  const onCallerAbort = (): void => {
    stop.abort();
  };
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const remainingTotal = (): number | undefined =>
    options.totalTimeoutMs === undefined ? undefined : Math.max(0, options.totalTimeoutMs - (options.clock.now() - startedAt));

  /**
   * Reads one opened stream: `next()` waits for the next chunk, the idle timeout, the
   * total limit or an abort, whichever comes first. One watchdog timer, one total timer
   * and one abort listener serve the whole stream (not one set per chunk): the watchdog
   * re-arms itself for what is left of the idle time since the last chunk.
   */
  function createReader(chunks: AsyncIterator<Chunk>, signal: AbortSignal): Reader<Chunk> {
    const { clock, idleTimeoutMs } = options;
    const timers = new AbortController();
    let lastActivity = clock.now();
    // Whoever waits for the next chunk; an interruption (idle, total, abort) answers it at once.
    let waiting: ((step: Next<Chunk>) => void) | undefined;
    let interruption: Next<Chunk> | undefined;
    const interrupt = (step: Next<Chunk>): void => {
      interruption ??= step;
      waiting?.(step);
      waiting = undefined;
    };
    const onAbort = (): void => {
      interrupt(abortedStep);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const watch = (ms: number): void => {
      void clock.sleep(ms, timers.signal).then(() => {
        if (timers.signal.aborted) return;
        const quiet = clock.now() - lastActivity;
        if (quiet >= idleTimeoutMs) interrupt(idleStep);
        else watch(idleTimeoutMs - quiet);
      });
    };
    watch(idleTimeoutMs);
    const total = remainingTotal();
    if (total !== undefined) {
      void clock.sleep(total, timers.signal).then(() => {
        if (!timers.signal.aborted) interrupt(totalStep);
      });
    }
    const toStep = (step: IteratorResult<Chunk>): Next<Chunk> => {
      lastActivity = clock.now();
      return step.done === true ? doneStep : { kind: 'chunk', chunk: step.value };
    };
    const toFailure = (error: unknown): Next<Chunk> => ({ kind: 'failed', error });
    return {
      signal,
      // No Promise.race: racing against a long-lived promise would add a reaction to it
      // for every chunk and keep them all until the stream ends.
      next: () =>
        interruption === undefined
          ? new Promise<Next<Chunk>>((resolve) => {
              waiting = resolve;
              chunks.next().then(
                (step) => {
                  if (waiting === resolve) {
                    waiting = undefined;
                    resolve(toStep(step));
                  }
                },
                (error: unknown) => {
                  if (waiting === resolve) {
                    waiting = undefined;
                    resolve(toFailure(error));
                  }
                },
              );
            })
          : Promise.resolve(interruption),
      close() {
        timers.abort(settledReason);
        signal.removeEventListener('abort', onAbort);
      },
    };
  }

  interface Opened {
    readonly stream: OpenedStream<Chunk>;
    readonly reader: Reader<Chunk>;
    readonly accumulator: StreamAccumulator<Chunk, Final>;
    readonly first: Chunk;
  }

  const interrupted = (
    reason: 'connection-lost' | 'idle-timeout' | 'total-timeout' | 'ended-without-terminator' | 'server-error-event' | 'malformed-event',
    accumulator: StreamAccumulator<Chunk, Final>,
    requestId: string | null,
    cause?: IntegrationError,
  ): IntegrationError => {
    const partial = accumulator.partial();
    const what: Record<typeof reason, string> = {
      'connection-lost': 'the connection was lost',
      'idle-timeout': `no data arrived for ${options.idleTimeoutMs} ms`,
      'total-timeout': `the stream took longer than ${options.totalTimeoutMs ?? 0} ms`,
      'ended-without-terminator': 'the stream ended without its proper end',
      'server-error-event': cause?.message ?? 'the server reported an error inside the stream',
      'malformed-event': 'an event could not be parsed',
    };
    return createError('StreamInterruptedError', {
      message: `stream interrupted after ${partial.eventsReceived} events and ${partial.text.length} characters: ${what[reason]}; the partial output is attached`,
      reason,
      partial,
      requestId,
      code: cause !== undefined && 'code' in cause && typeof cause.code === 'string' ? cause.code : null,
      attempts,
      ...(cause === undefined ? {} : { cause }),
    });
  };

  /** Turns a read outcome other than a chunk into the error it means. */
  const failureOf = (step: Exclude<Next<Chunk>, { kind: 'chunk' }>, accumulator: StreamAccumulator<Chunk, Final>, stream: OpenedStream<Chunk>, signal: AbortSignal): IntegrationError | undefined => {
    switch (step.kind) {
      case 'done':
        return accumulator.isComplete() ? undefined : interrupted('ended-without-terminator', accumulator, stream.requestId);
      case 'idle':
        return interrupted('idle-timeout', accumulator, stream.requestId);
      case 'total':
        return interrupted('total-timeout', accumulator, stream.requestId);
      case 'aborted':
        return createError('AbortedError', { message: 'the stream was aborted by its caller; events already delivered are kept by the caller', reason: null });
      case 'failed': {
        const error = options.toError(step.error, signal);
        if (error._tag === 'AbortedError' || error._tag === 'TimeoutError') return error;
        if (error._tag === 'StreamInterruptedError') return interrupted(error.reason, accumulator, stream.requestId, error);
        if (error._tag === 'MalformedResponseError') return interrupted('malformed-event', accumulator, stream.requestId, error);
        return interrupted('connection-lost', accumulator, stream.requestId, error);
      }
    }
  };

  async function openWithFirstChunk(): Promise<Result<Opened, IntegrationError>> {
    return options.execute(async (attemptSignal, attempt) => {
      attempts = attempt;
      const signal = AbortSignal.any([attemptSignal, stop.signal]);
      const opened = await options.open(signal);
      if (opened.isErr()) return err(opened.error);
      const stream = opened.value;
      const accumulator = options.accumulator();
      const reader = createReader(stream.chunks, signal);
      const step = await reader.next();
      if (step.kind === 'chunk') return ok({ stream, reader, accumulator, first: step.chunk });
      reader.close();
      stream.abort();
      // Nothing was delivered yet, so every failure here may be retried by the policy.
      const failure = failureOf(step, accumulator, stream, signal) ?? interrupted('ended-without-terminator', accumulator, stream.requestId);
      return err(failure);
    });
  }

  async function* run(): AsyncGenerator<StreamEvent<Final>, void, undefined> {
    let result: Result<Final, IntegrationError> = err(
      createError('AbortedError', { message: 'the caller stopped reading the stream before its end', reason: 'stopped reading' }),
    );
    const stoppedEarly = result;
    let active: OpenedStream<Chunk> | undefined;
    let reading: Reader<Chunk> | undefined;
    let folded: StreamAccumulator<Chunk, Final> | undefined;
    let requestId: string | null = null;
    try {
      const opened = await openWithFirstChunk();
      if (opened.isErr()) {
        const error = opened.error.attempts === undefined ? withErrorFields(opened.error, { attempts }) : opened.error;
        result = err(error);
        yield { type: 'error', error };
        return;
      }
      const { stream, reader, accumulator } = opened.value;
      active = stream;
      reading = reader;
      folded = accumulator;
      requestId = stream.requestId;
      let chunk: Chunk = opened.value.first;
      for (;;) {
        for (const event of accumulator.push(chunk)) yield event;
        const reported = accumulator.failure();
        if (reported !== undefined) {
          stream.abort();
          const error = withErrorFields(reported, { attempts });
          result = err(error);
          yield { type: 'error', error };
          return;
        }
        const step = await reader.next();
        if (step.kind === 'chunk') {
          chunk = step.chunk;
          continue;
        }
        if (step.kind !== 'done') stream.abort();
        const failure = failureOf(step, accumulator, stream, reader.signal);
        if (failure === undefined) {
          const final = accumulator.final();
          result = ok(final);
          yield { type: 'end', result: final };
        } else {
          result = err(failure);
          yield { type: 'error', error: failure };
        }
        return;
      }
    } finally {
      reading?.close();
      if (result === stoppedEarly) active?.abort();
      options.signal?.removeEventListener('abort', onCallerAbort);
      options.onSettled?.({ result, usage: folded?.usage(), partial: folded?.partial() ?? noPartial, attempts, requestId });
      settle(result);
    }
  }

  let generator: AsyncGenerator<StreamEvent<Final>, void, undefined> | undefined;
  const start = (): AsyncGenerator<StreamEvent<Final>, void, undefined> => {
    if (started) throw new TypeError('a stream can be iterated once; await `result` for the whole answer');
    started = true;
    generator = run();
    return generator;
  };

  const drain = async (): Promise<Result<Final, IntegrationError>> => {
    if (!started) {
      for await (const _event of start()) {
        // Draining: the events are folded into the result.
      }
    }
    return settled;
  };

  return {
    [Symbol.asyncIterator]: start,
    get result() {
      return new ResultAsync(drain());
    },
  };
}
