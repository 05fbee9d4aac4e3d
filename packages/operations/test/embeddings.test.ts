import { countTokens } from '@openai-integration/testkit';
import { describe, expect, it } from 'vitest';
import { createUsageTracker } from '../src/index.ts';
import { type Harness, useHarness } from './support/harness.ts';

const start = useHarness();

const embeddingRequests = (started: Harness) =>
  started.simulator.requests.filter((request) => request.operation === 'embeddings');

/**
 * Wraps the real `fetch` so that an embeddings request holding a "poison" input is
 * refused with a 400 (as the API does for a bad input) and one holding "outage"
 * always gets a 503; everything else reaches the simulator.
 */
function faultyEmbeddings(): { readonly fetch: typeof fetch; readonly sent: string[][] } {
  const sent: string[][] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { readonly input?: unknown }) : undefined;
    const inputs = Array.isArray(body?.input) ? (body.input as string[]) : [];
    if (inputs.length > 0) sent.push(inputs);
    const reply = (status: number, message: string) =>
      new Response(
        JSON.stringify({
          error: {
            message,
            type: status === 400 ? 'invalid_request_error' : 'server_error',
            param: 'input',
            code: null,
          },
        }),
        {
          status,
          headers: { 'content-type': 'application/json', 'x-request-id': 'req_fault' },
        },
      );
    if (inputs.some((text) => text.startsWith('poison'))) return reply(400, "'$.input' is invalid.");
    if (inputs.some((text) => text.startsWith('outage'))) return reply(503, 'The engine is currently overloaded.');
    return fetch(input, init);
  };
  return { fetch: wrapped, sent };
}

describe('embeddings.create', () => {
  it('asks for base64 by default and returns numbers, the same as with float', async () => {
    const started = await start();
    const base64 = (
      await started.operations.embeddings.create({ input: ['first text', 'second text'] })
    )._unsafeUnwrap();
    const float = (
      await started.operations.embeddings.create({ input: ['first text', 'second text'], encodingFormat: 'float' })
    )._unsafeUnwrap();
    expect(
      embeddingRequests(started).map((request) => (request.body as { encoding_format?: string }).encoding_format),
    ).toEqual(['base64', 'float']);
    expect(base64.value.embeddings).toHaveLength(2);
    expect(base64.value.embeddings[0]).toHaveLength(1536);
    expect(base64.value.embeddings).toEqual(float.value.embeddings);
    expect(base64.value.embeddings[0]).not.toEqual(base64.value.embeddings[1]);
    expect(base64.value.model).toBe('text-embedding-3-small');
    expect(base64.meta).toMatchObject({
      operation: 'embeddings.create',
      model: 'text-embedding-3-small',
      attempts: 1,
      usage: { inputTokens: 4, outputTokens: 0, totalTokens: 4 },
    });
    expect(base64.meta.costUsd).toBeGreaterThan(0);
    expect(started.operations.usage.report().byOperation['embeddings.create']).toMatchObject({
      requests: 2,
      inputTokens: 8,
    });
  });

  it('passes dimensions and a single text through', async () => {
    const started = await start();
    const result = (
      await started.operations.embeddings.create({
        input: 'short',
        dimensions: 256,
        model: 'text-embedding-3-large',
        user: 'user-1',
      })
    )._unsafeUnwrap();
    expect(result.value.embeddings[0]).toHaveLength(256);
    expect(embeddingRequests(started)[0]?.body).toMatchObject({
      input: 'short',
      dimensions: 256,
      model: 'text-embedding-3-large',
      user: 'user-1',
    });
  });

  it('refuses an empty or too long input before any request, naming it', async () => {
    const started = await start();
    const long = 'word '.repeat(9_000);
    expect((await started.operations.embeddings.create({ input: ['fine', long] }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'input[1]', code: 'too_big' }],
    });
    expect((await started.operations.embeddings.create({ input: long }))._unsafeUnwrapErr()).toMatchObject({
      issues: [{ path: 'input' }],
    });
    expect((await started.operations.embeddings.create({ input: ['fine', ''] }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
    });
    expect(
      (await started.operations.embeddings.create({ input: 'x', dimensions: 0 }))._unsafeUnwrapErr().message,
    ).toMatch(/dimensions/);
    expect(started.simulator.requests).toHaveLength(0);
  });

  it('maps a server error and keeps the budget', async () => {
    const started = await start({ operations: { usage: createUsageTracker({ budget: { maxTokens: 3 } }) } });
    expect(
      (await started.operations.embeddings.create({ input: 'a longer text than three tokens' }))._unsafeUnwrapErr()
        ._tag,
    ).toBe('BudgetExceededError');
    started.simulator.enqueue('embeddings', { type: 'status', status: 400, message: 'bad' });
    expect((await started.operations.embeddings.create({ input: 'ok' }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'BadRequestError',
      attempts: 1,
    });
  });

  it('reports a response with missing, extra or broken vectors as malformed', async () => {
    const usage = { prompt_tokens: 2, total_tokens: 2 };
    const bodies: unknown[] = [
      {
        object: 'list',
        data: [{ object: 'embedding', index: 0, embedding: [0.5] }],
        model: 'text-embedding-3-small',
        usage,
      },
      { object: 'list', model: 'text-embedding-3-small', usage },
      {
        object: 'list',
        data: [{ object: 'embedding', index: 4, embedding: [0.5] }],
        model: 'text-embedding-3-small',
        usage,
      },
      {
        object: 'list',
        data: [{ object: 'embedding', index: 0, embedding: 'not base64!' }],
        model: 'text-embedding-3-small',
        usage,
      },
      { object: 'list', data: [{ object: 'embedding', embedding: [0.25] }], model: '', usage },
    ];
    const reply = () =>
      Promise.resolve(
        new Response(JSON.stringify(bodies.shift()), { status: 200, headers: { 'content-type': 'application/json' } }),
      );
    const started = await start({ operations: { fetch: reply } });
    expect((await started.operations.embeddings.create({ input: ['a', 'b'] }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'MalformedResponseError',
      attempts: 1,
    });
    expect((await started.operations.embeddings.create({ input: ['a'] }))._unsafeUnwrapErr()._tag).toBe(
      'MalformedResponseError',
    );
    expect((await started.operations.embeddings.create({ input: ['a'] }))._unsafeUnwrapErr().message).toMatch(
      /1 embeddings for 1 inputs/,
    );
    expect((await started.operations.embeddings.create({ input: ['a'] }))._unsafeUnwrapErr().message).toMatch(
      /not base64/,
    );
    const answered = (await started.operations.embeddings.create({ input: ['a'] }))._unsafeUnwrap();
    expect(answered.value).toEqual({ model: 'text-embedding-3-small', embeddings: [[0.25]] });
    expect(answered.meta.rateLimit).toBeNull();
  });

  it('checks the input size of a model the registry does not know against 8191 tokens', async () => {
    const started = await start();
    const error = (
      await started.operations.embeddings.create({ model: 'my-embedder', input: 'word '.repeat(8_200) })
    )._unsafeUnwrapErr();
    expect(error.message).toMatch(/my-embedder takes at most 8191 per input/);
  });
});

describe('embeddings.createMany', () => {
  it('embeds 200 inputs in 10 requests, keeps every success and reports every failure by index', async () => {
    const faulty = faultyEmbeddings();
    // One request group fails on every attempt while the others succeed: with the
    // breaker on, those failures would open the circuit for the whole key (tested below).
    const started = await start({
      operations: {
        fetch: faulty.fetch,
        transport: { retry: { jitter: 'none', maxRetries: 6 }, attemptTimeoutMs: 600_000, breaker: false },
      },
    });
    const inputs = Array.from({ length: 200 }, (_, index) => `document number ${index}`);
    inputs[17] = 'poison pill';
    inputs[50] = 'outage here';
    inputs[84] = 'far too long '.repeat(3_000);
    inputs[85] = '';
    inputs[128] = 'poison again';
    started.simulator.enqueue('embeddings', { type: 'status', status: 500 });

    const result = (
      await started.operations.embeddings.createMany(inputs, { maxInputsPerRequest: 20, concurrency: 4 })
    )._unsafeUnwrap();
    const { value, meta } = result;

    const outageGroup = Array.from({ length: 20 }, (_, offset) => 40 + offset);
    const failedIndexes = [17, ...outageGroup, 84, 85, 128].sort((left, right) => left - right);
    expect(value.failures.map((failure) => failure.index)).toEqual(failedIndexes);
    expect(value.failures.find((failure) => failure.index === 17)?.error).toMatchObject({
      _tag: 'BadRequestError',
      status: 400,
    });
    expect(value.failures.find((failure) => failure.index === 128)?.error._tag).toBe('BadRequestError');
    expect(value.failures.find((failure) => failure.index === 50)?.error).toMatchObject({
      _tag: 'ServiceUnavailableError',
      attempts: 7,
    });
    expect(value.failures.find((failure) => failure.index === 84)?.error).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'inputs[84]', code: 'too_big' }],
    });
    expect(value.failures.find((failure) => failure.index === 85)?.error).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'inputs[85]' }],
    });

    const failed = new Set(failedIndexes);
    value.vectors.forEach((vector, index) => {
      if (failed.has(index)) expect(vector).toBeNull();
      else expect(vector).toHaveLength(1536);
    });
    expect(value.summary).toMatchObject({
      total: 200,
      succeeded: 200 - failedIndexes.length,
      failed: failedIndexes.length,
    });

    const single = (await started.operations.embeddings.create({ input: inputs[3] ?? '' }))._unsafeUnwrap();
    expect(value.vectors[3]).toEqual(single.value.embeddings[0]);

    // Only the poisoned requests were split, down to the poisoned input alone.
    expect(faulty.sent.some((sent) => sent.length === 1 && sent[0] === 'poison pill')).toBe(true);
    expect(faulty.sent.every((sent) => sent.length <= 20)).toBe(true);
    expect(meta).toMatchObject({ operation: 'embeddings.createMany', model: 'text-embedding-3-small' });
    const expectedTokens = inputs
      .filter((_, index) => !failed.has(index))
      .reduce((sum, text) => sum + countTokens(text), 0);
    expect(meta.usage?.inputTokens).toBe(expectedTokens);
    expect(meta.attempts).toBe(value.summary.attempts);
    expect(started.operations.usage.report().byOperation['embeddings.createMany']?.inputTokens).toBe(
      meta.usage?.inputTokens,
    );
    expect(
      started.records.filter(
        (record) => record.fields['operation'] === 'embeddings.createMany' && record.fields['status'] === 'error',
      ).length,
    ).toBeGreaterThan(0);
  });

  it('keeps the successes and reports the rest by index when the circuit opens', async () => {
    const faulty = faultyEmbeddings();
    // A request's own retries never open its circuit: the second failing request does (two failed calls in a row).
    const started = await start({
      operations: {
        fetch: faulty.fetch,
        transport: {
          retry: { jitter: 'none', maxRetries: 6 },
          attemptTimeoutMs: 600_000,
          breaker: { consecutiveFailures: 2 },
        },
      },
    });
    const inputs = Array.from({ length: 50 }, (_, index) =>
      index >= 20 && index < 40 ? `outage ${index}` : `text ${index}`,
    );
    const { value } = (
      await started.operations.embeddings.createMany(inputs, { maxInputsPerRequest: 10, concurrency: 1 })
    )._unsafeUnwrap();
    expect(value.vectors.slice(0, 20).every((vector) => vector !== null)).toBe(true);
    expect(value.failures.map((failure) => failure.index)).toEqual(
      Array.from({ length: 30 }, (_, offset) => 20 + offset),
    );
    const tags = value.failures.map((failure) => `${failure.error._tag} after ${failure.error.attempts ?? 0}`);
    expect(tags.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 'ServiceUnavailableError after 7'));
    expect(tags.slice(10, 20)).toEqual(Array.from({ length: 10 }, () => 'CircuitOpenError after 2'));
    expect(value.failures[10]?.error.cause).toMatchObject({ _tag: 'ServiceUnavailableError' });
    expect(tags.slice(20)).toEqual(Array.from({ length: 10 }, () => 'CircuitOpenError after 1'));
    expect(faulty.sent.map((sent) => sent[0])).toEqual([
      'text 0',
      'text 10',
      ...Array.from({ length: 7 }, () => 'outage 20'),
      'outage 30',
    ]);
    expect(value.summary.total).toBe(50);
  });

  it('retries a rate-limited request alone and keeps the other results', async () => {
    const started = await start();
    started.simulator.enqueue('embeddings', { type: 'rate-limit', retryAfterMs: 10 });
    const { value, meta } = (
      await started.operations.embeddings.createMany(['a', 'b', 'c'], { maxInputsPerRequest: 1, concurrency: 1 })
    )._unsafeUnwrap();
    expect(value.failures).toEqual([]);
    expect(value.summary).toMatchObject({ succeeded: 3, requests: 3, attempts: 4 });
    expect(meta.rateLimit?.requests.limit).toBeGreaterThan(0);
    expect((await started.operations.health()).rateLimit).not.toBeNull();
  });

  it('decodes a batch whose responses carry no rate-limit headers and no model name', async () => {
    const reply = (_input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const count = (JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { input: string[] }).input.length;
      const data = Array.from({ length: count }, (_, index) => ({
        object: 'embedding',
        index,
        embedding: 'AACAPwAAAMA=',
      }));
      return Promise.resolve(
        new Response(
          JSON.stringify({ object: 'list', data, model: '', usage: { prompt_tokens: count, total_tokens: count } }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
      );
    };
    const started = await start({ operations: { fetch: reply } });
    const { value, meta } = (
      await started.operations.embeddings.createMany(['a', 'b', 'c'], { maxInputsPerRequest: 2 })
    )._unsafeUnwrap();
    expect(value.vectors).toEqual([
      [1, -2],
      [1, -2],
      [1, -2],
    ]);
    expect(value.model).toBe('text-embedding-3-small');
    expect(meta).toMatchObject({ rateLimit: null, usage: { inputTokens: 3 } });
  });

  it('splits requests by the token limit and keeps input order', async () => {
    const started = await start();
    const inputs = ['alpha beta gamma', 'delta epsilon', 'zeta eta theta iota', 'kappa'];
    const result = (
      await started.operations.embeddings.createMany(inputs, {
        maxTokensPerRequest: 6,
        encodingFormat: 'float',
        dimensions: 8,
      })
    )._unsafeUnwrap();
    const sizes = embeddingRequests(started).map((request) => (request.body as { input: string[] }).input.length);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(4);
    expect(sizes.length).toBeGreaterThan(1);
    const one = (
      await started.operations.embeddings.create({ input: 'zeta eta theta iota', dimensions: 8 })
    )._unsafeUnwrap();
    expect(result.value.vectors[2]).toEqual(one.value.embeddings[0]);
    expect(result.value.summary).toMatchObject({ succeeded: 4, failed: 0, requests: sizes.length });
  });

  it('returns an empty report for no inputs and rejects bad options before sending', async () => {
    const started = await start();
    expect((await started.operations.embeddings.createMany([]))._unsafeUnwrap().value).toMatchObject({
      vectors: [],
      failures: [],
      summary: { total: 0, requests: 0 },
    });
    expect(
      (await started.operations.embeddings.createMany(['a'], { maxInputsPerRequest: 5_000 }))._unsafeUnwrapErr(),
    ).toMatchObject({ _tag: 'ValidationError', issues: [{ path: 'maxInputsPerRequest' }] });
    expect(
      (await started.operations.embeddings.createMany(['a'], { concurrency: 0 }))._unsafeUnwrapErr().message,
    ).toMatch(/concurrency/);
    expect(
      (await started.operations.embeddings.createMany('a' as unknown as string[]))._unsafeUnwrapErr().message,
    ).toMatch(/inputs/);
    expect(
      (
        await started.operations.embeddings.createMany(['a long text of many tokens'], { budget: { maxTokens: 2 } })
      )._unsafeUnwrapErr()._tag,
    ).toBe('BudgetExceededError');
    expect(started.simulator.requests).toHaveLength(0);
  });

  it('fails the requests not started with AbortedError when aborted', async () => {
    const started = await start();
    const controller = new AbortController();
    controller.abort('stop');
    const result = (
      await started.operations.embeddings.createMany(['a', 'b', 'c'], {
        maxInputsPerRequest: 1,
        signal: controller.signal,
      })
    )._unsafeUnwrap();
    expect(result.value.failures.map((failure) => failure.error._tag)).toEqual([
      'AbortedError',
      'AbortedError',
      'AbortedError',
    ]);
    expect(result.meta.usage).toBeNull();
    expect(result.meta.costUsd).toBeNull();
  });
});
