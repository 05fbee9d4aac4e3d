import * as Cause from 'effect/Cause';
import * as Effect from 'effect/Effect';
import * as Exit from 'effect/Exit';
import * as Fiber from 'effect/Fiber';
import * as Stream from 'effect/Stream';
import { errAsync } from 'neverthrow';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { toEffectOperations, type EffectStreamEvent } from '../src/effect/index.ts';
import { isIntegrationError, type ChatStreamResult, type ErrorOf, type Operations } from '../src/index.ts';
import { useHarness } from './support/harness.ts';
import { stopRecordingFetch } from './support/stopped-requests.ts';

const hello = { messages: [{ role: 'user' as const, content: 'Say hello' }] };
const start = useHarness();
// Waits for a request to reach the loopback simulator: as long as a busy machine needs (the tests that wait have a 60 s timeout).
const realServerWait = { timeout: 30_000, interval: 10 };
const noRetry = { retry: { maxRetries: 0 } };

/** The one typed failure of an exit (and nothing else in its cause). */
function failureOf<A, E>(exit: Exit.Exit<A, E>): E {
  if (Exit.isSuccess(exit)) throw new Error('expected a failure, got a success');
  expect(exit.cause.reasons).toHaveLength(1);
  const [reason] = exit.cause.reasons;
  if (reason === undefined || !Cause.isFailReason(reason)) throw new Error(`expected a failure, got ${String(reason)}`);
  return reason.error;
}

describe('toEffectOperations: chat.create', () => {
  it('answers with the text and the meta of the call', async () => {
    const { operations, simulator } = await start();
    const openai = toEffectOperations(operations);
    const answer = await Effect.runPromise(openai.chat.create(hello));
    expect(answer.value.text).toEqual(expect.any(String));
    expect(answer.value.finishReason).toBe('stop');
    expect(answer.meta).toMatchObject({ operation: 'chat.create', model: 'gpt-4o-mini', attempts: 1 });
    expect(answer.meta.requestId).toMatch(/^req_/);
    expect(simulator.requests).toHaveLength(1);
  });

  it('sends nothing until the Effect runs, and sends again each time it runs', async () => {
    const { operations, simulator } = await start();
    const create = toEffectOperations(operations).chat.create(hello);
    expect(simulator.requests).toHaveLength(0);
    await Effect.runPromise(create);
    await Effect.runPromise(create);
    expect(simulator.requests).toHaveLength(2);
  });

  it('lets Effect.catchTag handle a 429 as RateLimitError, with its retry hint', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'rate-limit', retryAfterSeconds: 2 });
    const handled = toEffectOperations(operations)
      .chat.create(hello, noRetry)
      .pipe(
        Effect.map((answer) => `answered: ${answer.value.text ?? ''}`),
        Effect.catchTag('RateLimitError', (error) =>
          Effect.succeed(`rate limited for ${error.retryAfterMs ?? 0} ms (status ${error.status})`),
        ),
      );
    expect(await Effect.runPromise(handled)).toBe('rate limited for 2000 ms (status 429)');
    expect(simulator.requests).toHaveLength(1);
  });

  it('passes an error of another tag through Effect.catchTag untouched', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'quota' });
    const rateLimitHandler = vi.fn(() => Effect.succeed('handled'));
    const exit = await Effect.runPromiseExit(
      toEffectOperations(operations)
        .chat.create(hello, noRetry)
        .pipe(Effect.catchTag('RateLimitError', rateLimitHandler)),
    );
    const error = failureOf(exit);
    expect(rateLimitHandler).not.toHaveBeenCalled();
    expect(isIntegrationError(error)).toBe(true);
    expect(error).toMatchObject({
      _tag: 'QuotaExceededError',
      status: 429,
      code: 'insufficient_quota',
      retryable: false,
    });
    // The same failure as the Result holds for the same scripted answer.
    simulator.enqueue('chat.completions', { type: 'quota' });
    const plain = (await operations.chat.create(hello, noRetry))._unsafeUnwrapErr();
    expect({ ...error, requestId: null }).toEqual({ ...plain, requestId: null });
  });

  it("fails with the very error object of the operation's Result", async () => {
    const { operations } = await start();
    const error: ErrorOf<'NotFoundError'> = Object.freeze({
      _tag: 'NotFoundError',
      message: 'no such model',
      retryable: false,
      status: 404,
      code: 'model_not_found',
      type: 'invalid_request_error',
      param: null,
      requestId: 'req_1',
      rateLimit: null,
      retryAfterMs: null,
    });
    const stub: Operations = { ...operations, chat: { ...operations.chat, create: () => errAsync(error) } };
    const failure = await Effect.runPromise(Effect.flip(toEffectOperations(stub).chat.create(hello)));
    expect(failure).toBe(error);
  });

  it('aborts the request in flight when the fiber is interrupted', async () => {
    const recorder = stopRecordingFetch();
    const { operations, simulator } = await start({ operations: { fetch: recorder.fetch } });
    simulator.enqueue('chat.completions', { type: 'stall' });
    const fiber = Effect.runFork(toEffectOperations(operations).chat.create(hello));
    await vi.waitFor(() => {
      expect(simulator.requests).toHaveLength(1);
    }, realServerWait);
    expect(recorder.stopped[0]).toBe(false);
    const exit = await Effect.runPromise(Fiber.interrupt(fiber).pipe(Effect.andThen(Fiber.await(fiber))));
    expect(Exit.hasInterrupts(exit)).toBe(true);
    expect(recorder.stopped).toHaveLength(1);
    expect(recorder.stopped[0]).toBe(true);
  }, 60_000);

  it("still honours the caller's own signal, as an AbortedError", async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'stall' });
    const controller = new AbortController();
    const pending = Effect.runPromise(
      Effect.flip(toEffectOperations(operations).chat.create(hello, { signal: controller.signal })),
    );
    await vi.waitFor(() => {
      expect(simulator.requests).toHaveLength(1);
    }, realServerWait);
    controller.abort('user left');
    expect(await pending).toMatchObject({ _tag: 'AbortedError', reason: 'user left' });
  }, 60_000);
});

describe('toEffectOperations: chat.parse', () => {
  it('parses the answer into the schema type', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'reply', content: '{"city":"Paris"}' });
    const answer = await Effect.runPromise(
      toEffectOperations(operations).chat.parse(hello, z.object({ city: z.string() })),
    );
    expect(answer.value.parsed).toEqual({ city: 'Paris' });
  });
});

describe('toEffectOperations: chat.stream', () => {
  const collect = (stream: Stream.Stream<EffectStreamEvent<ChatStreamResult>, unknown>) =>
    Effect.runPromise(Stream.runCollect(stream));

  it('emits the events in order and ends with the whole answer and its meta', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'reply', content: 'Hello there, friend.' });
    const events = await collect(toEffectOperations(operations).chat.stream(hello));
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    expect(text).toBe('Hello there, friend.');
    expect(events.some((event) => event.type === 'usage')).toBe(true);
    const end = events.at(-1);
    if (end?.type !== 'end') throw new Error(`expected end last, got ${String(end?.type)}`);
    expect(end.result.text).toBe('Hello there, friend.');
    expect(end.meta).toMatchObject({ operation: 'chat.stream', model: 'gpt-4o-mini', attempts: 1 });
    expect(end.meta.requestId).toMatch(/^req_/);
    expect(end.meta.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('fails the stream with StreamInterruptedError, partial output included, after the events it delivered', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'stream-cut', afterChunks: 3 });
    const delivered: string[] = [];
    const outcome = await Effect.runPromise(
      toEffectOperations(operations)
        .chat.stream(hello)
        .pipe(
          Stream.runForEach((event) =>
            Effect.sync(() => {
              if (event.type === 'text-delta') delivered.push(event.delta);
            }),
          ),
          Effect.as('complete'),
          Effect.catchTag('StreamInterruptedError', (error) =>
            Effect.succeed(`cut (${error.reason}) after: ${error.partial.text}`),
          ),
        ),
    );
    expect(delivered.length).toBeGreaterThan(0);
    expect(outcome).toBe(`cut (connection-lost) after: ${delivered.join('')}`);
  });

  it('fails the stream with a RateLimitError that Stream.catchTag handles', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'rate-limit', retryAfterMs: 1_500 });
    const events = await collect(
      toEffectOperations(operations)
        .chat.stream(hello, noRetry)
        .pipe(
          Stream.catchTag('RateLimitError', (error) =>
            Stream.make({ type: 'text-delta' as const, delta: `retry in ${error.retryAfterMs ?? 0} ms` }),
          ),
        ),
    );
    expect(events).toEqual([{ type: 'text-delta', delta: 'retry in 1500 ms' }]);
  });

  it('aborts the request when the fiber reading the stream is interrupted', async () => {
    const recorder = stopRecordingFetch();
    const { operations, simulator } = await start({ operations: { fetch: recorder.fetch } });
    simulator.enqueue('chat.completions', { type: 'stream-stall', afterChunks: 2 });
    const seen: string[] = [];
    const fiber = Effect.runFork(
      Stream.runForEach(toEffectOperations(operations).chat.stream(hello), (event) =>
        Effect.sync(() => seen.push(event.type)),
      ),
    );
    await vi.waitFor(() => {
      expect(seen.length).toBeGreaterThan(0);
    }, realServerWait);
    expect(recorder.stopped[0]).toBe(false);
    const exit = await Effect.runPromise(Fiber.interrupt(fiber).pipe(Effect.andThen(Fiber.await(fiber))));
    expect(Exit.hasInterrupts(exit)).toBe(true);
    expect(recorder.stopped).toHaveLength(1);
    expect(recorder.stopped[0]).toBe(true);
    expect(seen).not.toContain('end');
  }, 60_000);

  it('aborts the request when the consumer takes only the first events', async () => {
    const recorder = stopRecordingFetch();
    const { operations, simulator } = await start({ operations: { fetch: recorder.fetch } });
    simulator.enqueue('chat.completions', { type: 'stream-stall', afterChunks: 2 });
    const events = await collect(toEffectOperations(operations).chat.stream(hello).pipe(Stream.take(1)));
    expect(events).toHaveLength(1);
    expect(recorder.stopped).toHaveLength(1);
    expect(recorder.stopped[0]).toBe(true);
  }, 60_000);
});

describe('toEffectOperations: responses', () => {
  it('creates, retrieves, lists the input items of and deletes a stored response', async () => {
    const { operations } = await start();
    const openai = toEffectOperations(operations);
    const program = Effect.gen(function* () {
      const created = yield* openai.responses.create({ input: 'Write a haiku', store: true });
      const retrieved = yield* openai.responses.retrieve(created.value.id);
      const items = yield* openai.lists.responseInputItems(created.value.id).all;
      const deleted = yield* openai.responses.delete(created.value.id);
      const gone = yield* Effect.flip(openai.responses.retrieve(created.value.id));
      return { created, retrieved, items, deleted, gone };
    });
    const { created, retrieved, items, deleted, gone } = await Effect.runPromise(program);
    expect(retrieved.value.text).toBe(created.value.text);
    expect(items.items.length).toBeGreaterThan(0);
    expect(deleted.value).toEqual({ id: created.value.id, deleted: true });
    expect(gone._tag).toBe('NotFoundError');
  });

  it('streams a response, and resumes a cut one without repeating events', async () => {
    const { operations, simulator } = await start();
    const openai = toEffectOperations(operations);
    simulator.enqueue('responses', { type: 'stream-cut', afterChunks: 6 });
    const request = { input: 'A longer story please', background: true, store: true, max_output_tokens: 40 };
    const texts = (events: readonly EffectStreamEvent<unknown>[]): string =>
      events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    const before: EffectStreamEvent<unknown>[] = [];
    const error = await Effect.runPromise(
      Effect.flip(
        Stream.runForEach(openai.responses.stream(request), (event) => Effect.sync(() => before.push(event))),
      ),
    );
    if (error._tag !== 'StreamInterruptedError') throw new Error(`expected an interruption, got ${error._tag}`);
    const resumed = await Effect.runPromise(
      Stream.runCollect(openai.responses.resume(error.partial.responseId ?? '', error.partial.lastSequenceNumber)),
    );
    const end = resumed.at(-1);
    expect(end?.type).toBe('end');
    const whole = await Effect.runPromise(openai.responses.retrieve(error.partial.responseId ?? ''));
    expect(texts(before) + texts(resumed)).toBe(whole.value.text);
  });
});

describe('toEffectOperations: models, embeddings, moderations, usage and health', () => {
  it('lists, retrieves and selects models', async () => {
    const { operations } = await start();
    const openai = toEffectOperations(operations);
    const listed = await Effect.runPromise(openai.models.list({ prefix: 'gpt-4o' }));
    expect(listed.value.models.map((model) => model.id)).toContain('gpt-4o-mini');
    const retrieved = await Effect.runPromise(openai.models.retrieve('gpt-4o-mini'));
    expect(retrieved.value.id).toBe('gpt-4o-mini');
    const selected = await Effect.runPromise(openai.models.select({ tools: true }));
    expect(selected.model.id).toEqual(expect.any(String));
    const none = await Effect.runPromise(Effect.flip(openai.models.select({ promptTokens: 10_000_000_000 })));
    expect(none._tag).toBe('ValidationError');
    expect(openai.models.registry).toBe(operations.models.registry);
  });

  it('embeds texts one request at a time and many at once', async () => {
    const { operations } = await start();
    const openai = toEffectOperations(operations);
    const one = await Effect.runPromise(openai.embeddings.create({ input: ['first', 'second'] }));
    expect(one.value.embeddings).toHaveLength(2);
    const many = await Effect.runPromise(openai.embeddings.createMany(['a', 'b', 'c'], { concurrency: 2 }));
    expect(many.value.vectors).toHaveLength(3);
    expect(many.value.failures).toEqual([]);
  });

  it('moderates, tracks usage and reports health', async () => {
    const { operations } = await start();
    const openai = toEffectOperations(operations);
    const verdict = await Effect.runPromise(openai.moderations.create({ input: 'a friendly note' }));
    expect(verdict.value.results).toHaveLength(1);
    await Effect.runPromise(openai.chat.create(hello));
    expect(openai.usage).toBe(operations.usage);
    expect(openai.usage.report().total.requests).toBeGreaterThan(0);
    const health = await Effect.runPromise(openai.health);
    expect(health.rateLimit?.requests.limit).toBeGreaterThan(0);
    expect(openai.plain).toBe(operations);
  });
});

describe('toEffectOperations: files and list walks', () => {
  it('uploads, walks, retrieves, downloads and deletes files', async () => {
    const { operations } = await start();
    const openai = toEffectOperations(operations);
    const text = '{"custom_id":"a"}\n';
    const program = Effect.gen(function* () {
      const first = yield* openai.files.upload({ file: Buffer.from(text), purpose: 'user_data', filename: 'a.jsonl' });
      yield* openai.files.upload({ file: Buffer.from(text), purpose: 'user_data', filename: 'b.jsonl' });
      const walk = openai.files.list({ purpose: 'user_data', limit: 1 });
      const items = yield* Stream.runCollect(walk.items);
      const pages = yield* Stream.runCollect(walk.pages);
      const slice = yield* walk.take(1);
      const retrieved = yield* openai.files.retrieve(first.value.id);
      const bytes = yield* openai.files.downloadBytes(first.value.id);
      const downloaded = yield* openai.files.downloadText(first.value.id);
      const deleted = yield* openai.files.delete(first.value.id);
      return { first, items, pages, slice, retrieved, bytes, downloaded, deleted };
    });
    const { first, items, pages, slice, retrieved, bytes, downloaded, deleted } = await Effect.runPromise(program);
    expect(items.map((file) => file.filename).sort()).toEqual(['a.jsonl', 'b.jsonl']);
    expect(pages.map((page) => page.items.length)).toEqual([1, 1]);
    expect(slice.items).toHaveLength(1);
    expect(slice.nextCursor).toEqual(expect.any(String));
    expect(retrieved.value.filename).toBe('a.jsonl');
    expect(new TextDecoder().decode(bytes.value)).toBe(text);
    expect(downloaded.value).toBe(text);
    expect(deleted.value).toEqual({ id: first.value.id, deleted: true });
  });

  it('fails a walk with its typed error and the cursor to resume from', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('files.list', { type: 'status', status: 500 });
    const error = await Effect.runPromise(
      Effect.flip(Stream.runDrain(toEffectOperations(operations).files.list({}, noRetry).items)),
    );
    expect(error).toMatchObject({ _tag: 'InternalServerError', resumeCursor: null });
    const collected = await Effect.runPromise(
      Effect.flip(toEffectOperations(operations).files.list({}, { maxPages: 0 }).take(0)),
    );
    expect(collected).toMatchObject({ _tag: 'ValidationError', received: [] });
  });

  it('walks stored chat completions as a stream that fails with the typed error of the endpoint', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('*', { type: 'status', status: 404 });
    const error = await Effect.runPromise(
      Effect.flip(Stream.runDrain(toEffectOperations(operations).lists.chatCompletions({ limit: 2 }).items)),
    );
    expect(error._tag).toBe('NotFoundError');
  });
});

describe('toEffectOperations: batches', () => {
  const requests = ['q1', 'q2'].map((customId) => ({
    customId,
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: `Question ${customId}` }] },
  }));

  it('submits, waits for, collects, lists and runs batches; a cancel of an ended batch is a ConflictError', async () => {
    const { operations } = await start();
    const openai = toEffectOperations(operations);
    const program = Effect.gen(function* () {
      const submitted = yield* openai.batches.submit(requests, { endpoint: '/v1/chat/completions' });
      const ended = yield* openai.batches.wait(submitted.value.id);
      const results = yield* openai.batches.results(ended.value, { customIds: ['q1', 'q2'] });
      const retrieved = yield* openai.batches.retrieve(submitted.value.id);
      const listed = yield* openai.batches.list().take(1);
      const cancel = yield* openai.batches.cancel(submitted.value.id).pipe(
        Effect.as('cancelled'),
        Effect.catchTag('ConflictError', (error) => Effect.succeed(error._tag)),
      );
      const report = yield* openai.batches.run(requests, { endpoint: '/v1/chat/completions' });
      return { ended, results, retrieved, listed, cancel, report };
    });
    const { ended, results, retrieved, listed, cancel, report } = await Effect.runPromise(program);
    expect(ended.value.status).toBe('completed');
    expect(results.value.items.map((item) => [item.customId, item.type])).toEqual([
      ['q1', 'succeeded'],
      ['q2', 'succeeded'],
    ]);
    expect(retrieved.value.status).toBe('completed');
    expect(listed.items).toHaveLength(1);
    expect(cancel).toBe('ConflictError');
    expect(report.value.summary).toMatchObject({ total: 2, succeeded: 2 });
  });
});
