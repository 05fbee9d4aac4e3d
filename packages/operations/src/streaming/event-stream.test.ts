import { createError, type IntegrationError } from '@openai-integration/core';
import { createManualClock, type AttemptInfo } from '@openai-integration/transport';
import { err, ok, type Result } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createEventStream, type OpenedStream } from './event-stream.ts';
import type { StreamAccumulator, StreamEvent } from './stream-event.ts';

/** A toy protocol: string chunks; 'END' is the proper end; 'FAIL' is a server error event. */
function accumulator(): StreamAccumulator<string, string> {
  let text = '';
  let done = false;
  let failure: IntegrationError | undefined;
  let events = 0;
  const partial = () => ({ text, toolCalls: [], eventsReceived: events, responseId: 'r1', lastSequenceNumber: events });
  return {
    push(chunk) {
      events += 1;
      if (chunk === 'END') {
        done = true;
        return [{ type: 'finish', finishReason: 'stop' }];
      }
      if (chunk === 'FAIL') {
        failure = createError('StreamInterruptedError', {
          message: 'failed',
          reason: 'server-error-event',
          partial: partial(),
          requestId: null,
          code: 'server_error',
        });
        return [];
      }
      text += chunk;
      return [{ type: 'text-delta', delta: chunk }];
    },
    isComplete: () => done,
    failure: () => failure,
    partial,
    usage: () => undefined,
    final: () => text,
  };
}

interface Script {
  /** Chunks to deliver, then what happens: end, throw, or hang. */
  readonly chunks: readonly string[];
  readonly then: 'end' | 'hang' | { readonly throw: Error };
}

function opener(scripts: Script[]) {
  const aborted: number[] = [];
  let opened = 0;
  const open = (signal: AbortSignal): Promise<Result<OpenedStream<string>, IntegrationError>> => {
    const index = opened;
    opened += 1;
    const script = scripts[index] ?? scripts[scripts.length - 1]!;
    let position = 0;
    let release: (() => void) | undefined;
    const chunks: AsyncIterator<string> = {
      next: () => {
        const chunk = script.chunks[position];
        position += 1;
        if (chunk !== undefined) return Promise.resolve({ done: false, value: chunk });
        if (script.then === 'end') return Promise.resolve({ done: true, value: undefined });
        if (script.then === 'hang') {
          return new Promise((resolve) => {
            release = () => {
              resolve({ done: true, value: undefined });
            };
            signal.addEventListener('abort', release, { once: true });
          });
        }
        return Promise.reject(script.then.throw);
      },
    };
    return Promise.resolve(
      ok({
        chunks,
        abort: () => {
          aborted.push(index);
          release?.();
        },
        requestId: `req_${index}`,
      }),
    );
  };
  return { open, aborted, count: () => opened };
}

/** Retries up to `times` attempts while the error is retryable, like the transport would. */
const retrying =
  (times: number) =>
  async <T>(
    operation: (signal: AbortSignal, attempt: number, info: AttemptInfo) => PromiseLike<Result<T, IntegrationError>>,
  ): Promise<Result<T, IntegrationError>> => {
    let last: Result<T, IntegrationError> = err(createError('AbortedError', { message: 'none', reason: null }));
    for (let attempt = 1; attempt <= times; attempt += 1) {
      last = await operation(new AbortController().signal, attempt, {
        timeoutMs: Number.POSITIVE_INFINITY,
        cancellable: true,
      });
      if (last.isOk() || !last.error.retryable) return last;
    }
    return last;
  };

const toError = (error: unknown): IntegrationError =>
  error instanceof TypeError
    ? createError('ConnectionError', { message: 'terminated', code: 'UND_ERR_SOCKET' })
    : createError('MalformedResponseError', { message: 'bad json', requestId: null, status: null });

async function collect<T>(stream: AsyncIterable<StreamEvent<T>>): Promise<StreamEvent<T>[]> {
  const events: StreamEvent<T>[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('createEventStream', () => {
  it('delivers events as they arrive and ends with the whole answer', async () => {
    const source = opener([{ chunks: ['Hel', 'lo', 'END'], then: 'end' }]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(3),
      toError,
      clock: createManualClock(0),
      idleTimeoutMs: 1_000,
    });
    const events = await collect(stream);
    expect(events).toEqual([
      { type: 'text-delta', delta: 'Hel' },
      { type: 'text-delta', delta: 'lo' },
      { type: 'finish', finishReason: 'stop' },
      { type: 'end', result: 'Hello' },
    ]);
    expect(await stream.result).toEqual(ok('Hello'));
  });

  it('reads the whole stream when only the result is awaited', async () => {
    const source = opener([{ chunks: ['a', 'b', 'END'], then: 'end' }]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(3),
      toError,
      clock: createManualClock(0),
      idleTimeoutMs: 1_000,
    });
    expect(await stream.result).toEqual(ok('ab'));
    expect(() => stream[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  it('reports a stream that ends without its proper end as interrupted, with the partial text', async () => {
    const settled: unknown[] = [];
    const source = opener([{ chunks: ['partial ', 'text'], then: 'end' }]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(3),
      toError,
      clock: createManualClock(0),
      idleTimeoutMs: 1_000,
      onSettled: (outcome) => settled.push(outcome.partial.text),
    });
    const events = await collect(stream);
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    const error = (await stream.result)._unsafeUnwrapErr();
    expect(error).toMatchObject({
      _tag: 'StreamInterruptedError',
      reason: 'ended-without-terminator',
      partial: { text: 'partial text', eventsReceived: 2 },
      requestId: 'req_0',
      attempts: 1,
    });
    expect(settled).toEqual(['partial text']);
  });

  it('retries while nothing was delivered, then never after the first chunk', async () => {
    const source = opener([
      { chunks: [], then: { throw: new TypeError('terminated') } },
      { chunks: ['x'], then: { throw: new TypeError('terminated') } },
    ]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(5),
      toError,
      clock: createManualClock(0),
      idleTimeoutMs: 1_000,
    });
    const error = (await stream.result)._unsafeUnwrapErr();
    expect(source.count()).toBe(2);
    expect(error).toMatchObject({
      _tag: 'StreamInterruptedError',
      reason: 'connection-lost',
      partial: { text: 'x' },
      attempts: 2,
    });
    expect(error.message).toMatch(
      /^stream interrupted after 1 events and 1 characters: the connection was lost; the partial output is attached$/,
    );
  });

  it('ends a stalled stream at the idle timeout with the partial output, and aborts the request', async () => {
    const clock = createManualClock(0);
    const source = opener([{ chunks: ['first'], then: 'hang' }]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(1),
      toError,
      clock,
      idleTimeoutMs: 5_000,
    });
    const iterator = stream[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: { type: 'text-delta', delta: 'first' } });
    const pending = iterator.next();
    await clock.advance(4_999);
    await clock.advance(1);
    expect((await pending).value).toMatchObject({
      type: 'error',
      error: { _tag: 'StreamInterruptedError', reason: 'idle-timeout', partial: { text: 'first' } },
    });
    expect(source.aborted).toEqual([0]);
  });

  it('ends a stream at its total limit even while chunks keep coming', async () => {
    const clock = createManualClock(0);
    const source = opener([{ chunks: ['a'], then: 'hang' }]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(1),
      toError,
      clock,
      idleTimeoutMs: 10_000,
      totalTimeoutMs: 3_000,
    });
    const result = stream.result;
    await clock.advance(3_000);
    expect((await result)._unsafeUnwrapErr()).toMatchObject({ reason: 'total-timeout', partial: { text: 'a' } });
  });

  it('stops at once when the caller aborts mid-stream', async () => {
    const controller = new AbortController();
    const source = opener([{ chunks: ['a'], then: 'hang' }]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(1),
      toError,
      clock: createManualClock(0),
      idleTimeoutMs: 10_000,
      signal: controller.signal,
    });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    controller.abort();
    expect((await pending).value).toMatchObject({ type: 'error', error: { _tag: 'AbortedError' } });
    expect(source.aborted).toEqual([0]);
  });

  it('turns a server error event into an interruption that keeps what arrived', async () => {
    const source = opener([{ chunks: ['ok so far', 'FAIL'], then: 'hang' }]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(1),
      toError,
      clock: createManualClock(0),
      idleTimeoutMs: 10_000,
    });
    expect((await stream.result)._unsafeUnwrapErr()).toMatchObject({
      reason: 'server-error-event',
      partial: { text: 'ok so far' },
      attempts: 1,
    });
    expect(source.aborted).toEqual([0]);
  });

  it('classifies a malformed event after the first chunk', async () => {
    const source = opener([{ chunks: ['a'], then: { throw: new SyntaxError('bad') } }]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(1),
      toError,
      clock: createManualClock(0),
      idleTimeoutMs: 10_000,
    });
    expect((await stream.result)._unsafeUnwrapErr()).toMatchObject({ reason: 'malformed-event' });
  });

  it('returns the opening error when the request itself fails, with attempts', async () => {
    const failure = createError('AuthenticationError', {
      message: 'no',
      status: 401,
      code: null,
      type: null,
      param: null,
      requestId: 'req_1',
      retryAfterMs: null,
      rateLimit: null,
    });
    const stream = createEventStream<string, string>({
      open: () => Promise.resolve(err(failure)),
      accumulator,
      execute: retrying(3),
      toError,
      clock: createManualClock(0),
      idleTimeoutMs: 1,
    });
    const events = await collect(stream);
    expect(events).toEqual([{ type: 'error', error: { ...failure, attempts: 1 } }]);
  });

  it('aborts the request when the caller stops reading early', async () => {
    const source = opener([{ chunks: ['a', 'b', 'c'], then: 'hang' }]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(1),
      toError,
      clock: createManualClock(0),
      idleTimeoutMs: 10_000,
    });
    for await (const event of stream) {
      expect(event.type).toBe('text-delta');
      break;
    }
    expect(source.aborted).toEqual([0]);
    expect((await stream.result)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', reason: 'stopped reading' });
  });

  it('serves next() calls that overlap in order, as a generator would', async () => {
    const source = opener([{ chunks: ['a', 'FAIL'], then: 'end' }]);
    const stream = createEventStream({
      open: source.open,
      accumulator,
      execute: retrying(1),
      toError,
      clock: createManualClock(0),
      idleTimeoutMs: 1_000,
    });
    const iterator = stream[Symbol.asyncIterator]();
    const steps = await Promise.all([iterator.next(), iterator.next(), iterator.next()]);
    expect(steps.map((step) => (step.done === true ? 'done' : step.value.type))).toEqual([
      'text-delta',
      'error',
      'done',
    ]);
    expect(source.aborted).toEqual([0]);
  });
});
