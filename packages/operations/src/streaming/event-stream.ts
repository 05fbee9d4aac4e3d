import {
  createError,
  withErrorFields,
  type IntegrationError,
  type StreamPartialOutput,
  type TokenUsage,
} from '@openai-integration/core';
import { startTimer, type AttemptInfo, type Clock } from '@openai-integration/transport';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { sseTerminated } from './read-sse-json.ts';
import type { StreamAccumulator, StreamEvent } from './stream-event.ts';

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
  /**
   * Opens the stream for one attempt; it must honour `signal` (or, when `info` says
   * nothing but the attempt timeout can abort it, enforce that timeout itself).
   */
  readonly open: (signal: AbortSignal, info: AttemptInfo) => Promise<Result<OpenedStream<Chunk>, IntegrationError>>;
  readonly accumulator: () => StreamAccumulator<Chunk, Final>;
  /** Runs the opening phase (connect and first chunk) under the retry policy. */
  readonly execute: <T>(
    operation: (signal: AbortSignal, attempt: number, info: AttemptInfo) => PromiseLike<Result<T, IntegrationError>>,
  ) => PromiseLike<Result<T, IntegrationError>>;
  /** Maps a thrown SDK or fetch error to the union. */
  readonly toError: (error: unknown, signal: AbortSignal) => IntegrationError;
  readonly clock: Clock;
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

type Next<Chunk> =
  | { readonly kind: 'chunk'; readonly chunk: Chunk }
  | { readonly kind: 'done'; readonly terminated: boolean }
  | { readonly kind: 'idle' }
  | { readonly kind: 'total' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'failed'; readonly error: unknown };

/** The request id a failure carries (a stream refused before it opened has no stream to ask). */
const requestIdOf = (outcome: Result<unknown, IntegrationError>): string | null =>
  outcome.isErr() && 'requestId' in outcome.error && typeof outcome.error.requestId === 'string'
    ? outcome.error.requestId
    : null;

const doneStep = { kind: 'done', terminated: false } as const;
const terminatedStep = { kind: 'done', terminated: true } as const;
/** The step a finished read means: whether the body carried its terminator (see `sseTerminated`). */
const endStep = (value: unknown): typeof doneStep | typeof terminatedStep =>
  value === sseTerminated ? terminatedStep : doneStep;
const idleStep = { kind: 'idle' } as const;
const totalStep = { kind: 'total' } as const;
const abortedStep = { kind: 'aborted' } as const;

interface Reader<Chunk> {
  readonly signal: AbortSignal;
  /** The next chunk, or the idle timeout, the total limit or an abort, whichever comes first. */
  next(): Promise<Next<Chunk>>;
  /** Marks a chunk read without `next()` (the idle timeout counts from it). */
  touch(): void;
  /** The interruption (idle, total, abort) that has happened, if any. */
  interruption(): Next<Chunk> | undefined;
  /** Called once an interruption happens (to stop the request, which ends a pending read). */
  onInterrupt(callback: () => void): void;
  close(): void;
}

const noPartial: StreamPartialOutput = {
  text: '',
  toolCalls: [],
  eventsReceived: 0,
  responseId: null,
  lastSequenceNumber: null,
};

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
  // Only a caller signal aborts the stream from outside; without one there is nothing to link.
  const stop = options.signal === undefined ? undefined : new AbortController();
  let attempts = 0;
  let started = false;
  let settle: (result: Result<Final, IntegrationError>) => void = () => undefined;
  const settled = new Promise<Result<Final, IntegrationError>>((resolve) => {
    settle = resolve;
  });

  const onCallerAbort = (): void => {
    stop?.abort();
  };
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const remainingTotal = (): number | undefined =>
    options.totalTimeoutMs === undefined
      ? undefined
      : Math.max(0, options.totalTimeoutMs - (options.clock.now() - startedAt));

  /**
   * Reads one opened stream: `next()` waits for the next chunk, the idle timeout, the
   * total limit or an abort, whichever comes first. One watchdog timer, one total timer
   * and one abort listener serve the whole stream (not one set per chunk): the watchdog
   * re-arms itself for what is left of the idle time since the last chunk.
   */
  function createReader(chunks: AsyncIterator<Chunk>, signal: AbortSignal): Reader<Chunk> {
    const { clock, idleTimeoutMs } = options;
    let cancelWatch: () => void = () => undefined;
    let cancelTotal: () => void = () => undefined;
    let lastActivity = clock.now();
    // Whoever waits for the next chunk; an interruption (idle, total, abort) answers it at once.
    let waiting: ((step: Next<Chunk>) => void) | undefined;
    let interruption: Next<Chunk> | undefined;
    let interrupted: (() => void) | undefined;
    const interrupt = (step: Next<Chunk>): void => {
      if (interruption !== undefined) return;
      interruption = step;
      waiting?.(step);
      waiting = undefined;
      interrupted?.();
    };
    const onAbort = (): void => {
      interrupt(abortedStep);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const watch = (ms: number): void => {
      cancelWatch = startTimer(clock, ms, () => {
        const quiet = clock.now() - lastActivity;
        if (quiet >= idleTimeoutMs) interrupt(idleStep);
        else watch(idleTimeoutMs - quiet);
      });
    };
    watch(idleTimeoutMs);
    const total = remainingTotal();
    if (total !== undefined) {
      cancelTotal = startTimer(clock, total, () => {
        interrupt(totalStep);
      });
    }
    const toStep = (step: IteratorResult<Chunk>): Next<Chunk> => {
      lastActivity = clock.now();
      return step.done === true ? endStep(step.value) : { kind: 'chunk', chunk: step.value };
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
      touch() {
        lastActivity = clock.now();
      },
      interruption: () => interruption,
      onInterrupt(callback) {
        interrupted = callback;
      },
      close() {
        cancelWatch();
        cancelTotal();
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
    reason:
      | 'connection-lost'
      | 'idle-timeout'
      | 'total-timeout'
      | 'ended-without-terminator'
      | 'server-error-event'
      | 'malformed-event',
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
  const failureOf = (
    step: Exclude<Next<Chunk>, { kind: 'chunk' }>,
    accumulator: StreamAccumulator<Chunk, Final>,
    stream: OpenedStream<Chunk>,
    signal: AbortSignal,
  ): IntegrationError | undefined => {
    switch (step.kind) {
      case 'done':
        return accumulator.isComplete(step.terminated)
          ? undefined
          : interrupted('ended-without-terminator', accumulator, stream.requestId);
      case 'idle':
        return interrupted('idle-timeout', accumulator, stream.requestId);
      case 'total':
        return interrupted('total-timeout', accumulator, stream.requestId);
      case 'aborted':
        return createError('AbortedError', {
          message: 'the stream was aborted by its caller; events already delivered are kept by the caller',
          reason: null,
        });
      case 'failed': {
        const error = options.toError(step.error, signal);
        if (error._tag === 'AbortedError' || error._tag === 'TimeoutError') return error;
        if (error._tag === 'StreamInterruptedError')
          return interrupted(error.reason, accumulator, stream.requestId, error);
        if (error._tag === 'MalformedResponseError')
          return interrupted('malformed-event', accumulator, stream.requestId, error);
        return interrupted('connection-lost', accumulator, stream.requestId, error);
      }
    }
  };

  async function openWithFirstChunk(): Promise<Result<Opened, IntegrationError>> {
    return options.execute(async (attemptSignal, attempt, info) => {
      attempts = attempt;
      // Only a caller signal aborts `stop`; without one, the attempt's own signal is enough.
      const signal = stop === undefined ? attemptSignal : AbortSignal.any([attemptSignal, stop.signal]);
      const opened = await options.open(signal, info);
      if (opened.isErr()) return err(opened.error);
      const stream = opened.value;
      const accumulator = options.accumulator();
      const reader = createReader(stream.chunks, signal);
      const step = await reader.next();
      if (step.kind === 'chunk') return ok({ stream, reader, accumulator, first: step.chunk });
      reader.close();
      stream.abort();
      // Nothing was delivered yet, so every failure here may be retried by the policy.
      const failure =
        failureOf(step, accumulator, stream, signal) ??
        interrupted('ended-without-terminator', accumulator, stream.requestId);
      return err(failure);
    });
  }

  // The caller's `break` (or `return()`): made only when it happens.
  const stoppedEarly = (): Result<Final, IntegrationError> =>
    err(
      createError('AbortedError', {
        message: 'the caller stopped reading the stream before its end',
        reason: 'stopped reading',
      }),
    );
  const finished: IteratorResult<StreamEvent<Final>> = { done: true, value: undefined };
  let result: Result<Final, IntegrationError> | undefined;
  let current: Opened | undefined;
  // Events of the last chunk not handed out yet (a chunk can make several).
  let queue: readonly StreamEvent<Final>[] = [];
  let queued = 0;
  // Whether a `next()` is being served; calls that overlap wait for it, in order.
  let busy = false;
  let tail: Promise<IteratorResult<StreamEvent<Final>>> = Promise.resolve(finished);

  /** Settles the stream once: releases the timers and listeners, reports, resolves `result`. */
  const finish = (outcome: Result<Final, IntegrationError>, stopRequest = false): void => {
    if (result !== undefined) return;
    result = outcome;
    current?.reader.close();
    if (stopRequest) current?.stream.abort();
    options.signal?.removeEventListener('abort', onCallerAbort);
    options.onSettled?.({
      result: outcome,
      usage: current?.accumulator.usage(),
      partial: current?.accumulator.partial() ?? noPartial,
      attempts,
      requestId: current?.stream.requestId ?? requestIdOf(outcome),
    });
    settle(outcome);
  };

  /** Ends the stream with an error: the last event. */
  const fail = (error: IntegrationError): IteratorResult<StreamEvent<Final>> => {
    busy = false;
    finish(err(error));
    return { done: false, value: { type: 'error', error } };
  };

  /** Hands out the events of one chunk (the first now, the rest on the next calls). */
  const deliver = (
    opened: Opened,
    chunk: Chunk,
  ): IteratorResult<StreamEvent<Final>> | Promise<IteratorResult<StreamEvent<Final>>> => {
    const events = opened.accumulator.push(chunk);
    const reported = opened.accumulator.failure();
    if (reported !== undefined) {
      opened.stream.abort();
      queue = [...events, { type: 'error', error: withErrorFields(reported, { attempts }) }];
      queued = 0;
      finish(err(withErrorFields(reported, { attempts })));
    } else {
      queue = events;
      queued = 0;
    }
    const first = queue[queued];
    if (first === undefined) return pull();
    queued += 1;
    busy = false;
    return { done: false, value: first };
  };

  /** What a read that did not bring a chunk means: the end, or an interruption. */
  const ended = (opened: Opened, step: Exclude<Next<Chunk>, { kind: 'chunk' }>): IteratorResult<StreamEvent<Final>> => {
    if (step.kind !== 'done') opened.stream.abort();
    const failure = failureOf(step, opened.accumulator, opened.stream, opened.reader.signal);
    if (failure !== undefined) return fail(failure);
    const final = opened.accumulator.final();
    busy = false;
    finish(ok(final));
    return { done: false, value: { type: 'end', result: final } };
  };

  /**
   * Reads the next chunk straight from the SDK's iterator: one promise per chunk on top
   * of the SDK's own. An interruption (idle, total, abort) stops the request, which
   * ends the pending read at once; the read then reports the interruption.
   */
  let readChunk: (() => Promise<IteratorResult<StreamEvent<Final>>>) | undefined;
  const pull = (): Promise<IteratorResult<StreamEvent<Final>>> => {
    if (readChunk === undefined || result !== undefined) {
      busy = false;
      return Promise.resolve(finished);
    }
    return readChunk();
  };
  /** The reading of one opened stream; its callbacks are made once per stream, not per chunk. */
  const reading = (opened: Opened): (() => Promise<IteratorResult<StreamEvent<Final>>>) => {
    const { reader } = opened;
    const onChunk = (
      step: IteratorResult<Chunk>,
    ): IteratorResult<StreamEvent<Final>> | Promise<IteratorResult<StreamEvent<Final>>> => {
      const interruption = reader.interruption();
      if (interruption !== undefined) return ended(opened, interruption as Exclude<Next<Chunk>, { kind: 'chunk' }>);
      if (step.done === true) return ended(opened, endStep(step.value));
      reader.touch();
      return deliver(opened, step.value);
    };
    const onReadFailure = (error: unknown): IteratorResult<StreamEvent<Final>> =>
      ended(opened, (reader.interruption() ?? { kind: 'failed', error }) as Exclude<Next<Chunk>, { kind: 'chunk' }>);
    return () => opened.stream.chunks.next().then(onChunk, onReadFailure);
  };

  const open = async (): Promise<IteratorResult<StreamEvent<Final>>> => {
    const opened = await openWithFirstChunk();
    if (opened.isErr())
      return fail(opened.error.attempts === undefined ? withErrorFields(opened.error, { attempts }) : opened.error);
    // The request is stopped once, whoever stops it first (an interruption, a failure, the caller).
    let stopped = false;
    const stream: OpenedStream<Chunk> = {
      ...opened.value.stream,
      abort: () => {
        if (stopped) return;
        stopped = true;
        opened.value.stream.abort();
      },
    };
    current = { ...opened.value, stream };
    readChunk = reading(current);
    current.reader.onInterrupt(stream.abort);
    // An interruption that came with the first chunk still counts.
    const interruption = current.reader.interruption();
    if (interruption !== undefined) return ended(current, interruption as Exclude<Next<Chunk>, { kind: 'chunk' }>);
    return deliver(current, opened.value.first);
  };

  const step = (): Promise<IteratorResult<StreamEvent<Final>>> => {
    busy = true;
    const event = queue[queued];
    if (event !== undefined) {
      queued += 1;
      busy = false;
      return Promise.resolve({ done: false, value: event });
    }
    if (result !== undefined) {
      busy = false;
      return Promise.resolve(finished);
    }
    return current === undefined ? open() : pull();
  };

  // A hand-written iterator, not an async generator: a generator costs several promises
  // and microtask turns per event, which a stream of thousands of chunks feels.
  const iterator: AsyncIterableIterator<StreamEvent<Final>> = {
    next() {
      // Calls that overlap are served in order, as a generator would.
      tail = busy ? tail.then(step) : step();
      return tail;
    },
    return() {
      if (result === undefined) finish(stoppedEarly(), true);
      queue = [];
      return Promise.resolve(finished);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };

  const start = (): AsyncIterableIterator<StreamEvent<Final>> => {
    if (started) throw new TypeError('a stream can be iterated once; await `result` for the whole answer');
    started = true;
    return iterator;
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
