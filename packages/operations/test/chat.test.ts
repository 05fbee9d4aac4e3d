import { inspect } from 'node:util';
import { createTestClock } from '@openai-integration/testkit';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { estimateInputTokens, type StreamEvent } from '../src/index.ts';
import { testApiKey, useHarness } from './support/harness.ts';
import { stopRecordingFetch } from './support/stopped-requests.ts';

const hello = { messages: [{ role: 'user' as const, content: 'Say hello' }] };
const start = useHarness();
// Waits for a request to reach the loopback simulator: as long as a busy machine needs (the tests that wait have a 60 s timeout).
const realServerWait = { timeout: 30_000, interval: 10 };

describe('chat.create', () => {
  it('answers with text and everything needed to operate the call', async () => {
    const { operations, simulator, records } = await start();
    const result = await operations.chat.create(hello);
    const { value, meta } = result._unsafeUnwrap();
    expect(value.text).toEqual(expect.any(String));
    expect(value.text?.length).toBeGreaterThan(0);
    expect(value.finishReason).toBe('stop');
    expect(meta).toMatchObject({ operation: 'chat.create', model: 'gpt-4o-mini', attempts: 1, skippedModels: [] });
    expect(meta.requestId).toMatch(/^req_/);
    expect(meta.rateLimit?.requests.limit).toBeGreaterThan(0);
    expect(meta.usage?.totalTokens).toBe((meta.usage?.inputTokens ?? 0) + (meta.usage?.outputTokens ?? 0));
    expect(meta.costUsd).toBeGreaterThan(0);
    expect(simulator.requests).toHaveLength(1);
    expect(simulator.requests[0]?.headers['x-stainless-retry-count']).toBe('0');
    const line = records.find((record) => record.message === 'openai call');
    expect(line?.fields).toMatchObject({
      operation: 'chat.create',
      model: 'gpt-4o-mini',
      status: 'ok',
      attempts: 1,
      requestId: meta.requestId,
    });
    expect(JSON.stringify(records)).not.toContain('Say hello');
  });

  it('cancels the request in flight when the caller aborts, not only the wait for its answer', async () => {
    const sent: AbortSignal[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      if (init?.signal) sent.push(init.signal);
      return fetch(input, init);
    };
    const { operations, simulator } = await start({ operations: { fetch: recordingFetch } });
    simulator.enqueue('chat.completions', { type: 'stall' });
    const controller = new AbortController();
    const pending = operations.chat.create(hello, { signal: controller.signal });
    await vi.waitFor(() => {
      expect(simulator.requests).toHaveLength(1);
    }, realServerWait);
    controller.abort('user left');
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', reason: 'user left' });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.aborted).toBe(true);
  }, 60_000);

  it("hands the SDK the attempt timeout when it is not the client's own (60 s here)", async () => {
    // Waits up to 1 s pass at once; the attempt timeouts here stay pending.
    const { operations, simulator } = await start({ clock: createTestClock({ instantUpToMs: 1_000 }) });
    for (const options of [{}, { attemptTimeoutMs: 30_000 }, { attemptTimeoutMs: 60_000 }]) {
      expect((await operations.chat.create(hello, options)).isOk()).toBe(true);
    }
    // The harness's transport allows 600 s per attempt.
    expect(simulator.requests.map((request) => request.headers['x-stainless-timeout'])).toEqual([
      '600',
      '30',
      undefined,
    ]);
  });

  it('returns a ValidationError, never a crash, for a request that is not an object', async () => {
    const { operations, simulator } = await start();
    for (const bad of [null, undefined, 'hello', 42]) {
      const result = await operations.chat.create(bad as unknown as Parameters<typeof operations.chat.create>[0]);
      expect(result._unsafeUnwrapErr()).toMatchObject({
        _tag: 'ValidationError',
        message: 'invalid argument request: must be an object with model and messages (or input)',
      });
      const streamed = await operations.chat.stream(bad as unknown as Parameters<typeof operations.chat.stream>[0])
        .result;
      expect(streamed._unsafeUnwrapErr()._tag).toBe('ValidationError');
    }
    expect(simulator.requests).toHaveLength(0);
  });

  it('rejects invalid input before any request is sent, naming the field', async () => {
    const { operations, simulator } = await start();
    const result = await operations.chat.create({ ...hello, temperature: 3 });
    expect(result._unsafeUnwrapErr()).toMatchObject({ _tag: 'ValidationError', issues: [{ path: 'temperature' }] });
    expect(result._unsafeUnwrapErr().message).toMatch(/temperature/);
    expect(simulator.requests).toHaveLength(0);
  });

  it.each([
    [400, 'BadRequestError', false],
    [401, 'AuthenticationError', false],
    [403, 'PermissionDeniedError', false],
    [404, 'NotFoundError', false],
    [409, 'ConflictError', true],
    [422, 'UnprocessableEntityError', false],
    [500, 'InternalServerError', true],
    [502, 'BadGatewayError', true],
    [503, 'ServiceUnavailableError', true],
    [504, 'GatewayTimeoutError', true],
  ] as const)('maps HTTP %i to %s (retryable: %s) with the request id kept', async (status, tag, retryable) => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'status', status, message: `simulated ${status}` });
    const result = await operations.chat.create(hello, { retry: { maxRetries: 0 } });
    const error = result._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: tag, retryable, status, attempts: 1 });
    expect('requestId' in error ? error.requestId : null).toMatch(/^req_/);
  });

  it('maps a 429 rate limit to RateLimitError with the retry hint and rate-limit snapshot', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'rate-limit', retryAfterMs: 1_500 });
    const error = (await operations.chat.create(hello, { retry: { maxRetries: 0 } }))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'server',
      retryable: true,
      retryAfterMs: 1_500,
      status: 429,
    });
  });

  it('never retries insufficient_quota', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'quota' }, { type: 'quota' });
    const error = (await operations.chat.create(hello))._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'QuotaExceededError', retryable: false, attempts: 1 });
    expect(error.message).toMatch(/do not retry/);
    expect(simulator.requests).toHaveLength(1);
  });

  it('retries a burst of 503s with 1 s then 2 s backoff and succeeds, counting attempts', async () => {
    const { operations, simulator, clock } = await start();
    simulator.enqueue('chat.completions', { type: 'status', status: 503 }, { type: 'status', status: 503 });
    const { meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(meta.attempts).toBe(3);
    expect(simulator.requests).toHaveLength(3);
    expect(clock.waits.filter((ms) => ms <= 120_000)).toEqual([1_000, 2_000]);
  });

  it('returns a body that is not JSON as MalformedResponseError with the text received as its cause, and retries it', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'malformed' });
    const error = (await operations.chat.create(hello, { retry: { maxRetries: 0 } }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'MalformedResponseError', status: 200, retryable: true, attempts: 1 });
    expect(error.message).toMatch(/not JSON \(content-type application\/json/);
    const received = (error.cause as { body: string }).body;
    expect(received.length).toBeGreaterThan(0);
    expect(() => JSON.parse(received) as unknown).toThrow();
    // The body is kept, but never in the message (which is safe to log).
    expect(error.message).not.toContain(received);

    simulator.enqueue('chat.completions', { type: 'malformed' });
    const { meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(meta.attempts).toBe(2);
  });

  it('returns JSON that is not a chat completion as MalformedResponseError, never a crash', async () => {
    const bodies = [
      '{"status":"ok"}',
      '[]',
      '{"choices":[1]}',
      '{"choices":[{"message":{"tool_calls":{"id":"x"}}}]}',
      '{"choices":[{"message":{"tool_calls":[{"type":"function","function":{}}]}}]}',
      '',
    ];
    const answering: typeof fetch = () =>
      Promise.resolve(
        new Response(bodies.shift(), {
          status: 200,
          headers: { 'content-type': 'application/json', 'x-request-id': 'req_proxy' },
        }),
      );
    // Five malformed answers in a row would open the circuit: that is not what this test is about.
    const { operations } = await start({
      operations: { fetch: answering, transport: { breaker: false, attemptTimeoutMs: 600_000 } },
    });
    const errors = [];
    for (let call = 0; call < 6; call += 1)
      errors.push((await operations.chat.create(hello, { retry: { maxRetries: 0 } }))._unsafeUnwrapErr());
    for (const error of errors)
      expect(error).toMatchObject({ _tag: 'MalformedResponseError', status: 200, requestId: 'req_proxy' });
    expect(errors.slice(0, 5).map((error) => error.message)).toEqual(
      Array(5).fill(
        'the response body is JSON but not a chat completion (an object with a "choices" list). Check that OPENAI_BASE_URL points at an OpenAI-compatible API (a proxy or gateway may have answered instead); the text received is the cause (cause.body); retrying may help',
      ),
    );
    expect(errors[5]?.message).toBe(
      'the response body is empty (content-type application/json); expected a chat completion (an object with a "choices" list). Check that OPENAI_BASE_URL points at an OpenAI-compatible API (a proxy or gateway may have answered instead); the text received is the cause (cause.body); retrying may help',
    );
    expect((errors[0]?.cause as { body: string }).body).toBe('{"status":"ok"}');
  });

  it('reads a completion whose message has tool_calls null as an answer without tool calls', async () => {
    const completion = {
      id: 'c',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'hi', refusal: null, tool_calls: null },
          finish_reason: 'stop',
        },
      ],
    };
    const answering: typeof fetch = () => Promise.resolve(Response.json(completion));
    const { operations } = await start({ operations: { fetch: answering } });
    const { value } = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(value).toMatchObject({ text: 'hi', toolCalls: [], finishReason: 'stop' });
    expect(value.completion).toEqual(completion);
  });

  it('cancels a body that stops arriving once the attempt times out, closing its connection', async () => {
    const cancelled: unknown[] = [];
    let waiting: () => void = () => undefined;
    const readerWaits = new Promise<void>((resolve) => (waiting = resolve));
    // Passes the real response on, but sees its body being read and cancelled.
    const watchingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          // The first pull fills the queue; the second comes once the reader took that chunk and wants more.
          pulls += 1;
          if (pulls === 2) waiting();
          const step = await reader.read();
          if (step.done) {
            controller.close();
            return;
          }
          controller.enqueue(step.value);
        },
        cancel(reason) {
          cancelled.push(reason);
          return reader.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const { operations, simulator, clock } = await start({ operations: { fetch: watchingFetch } });
    simulator.enqueue('chat.completions', { type: 'stream-stall', afterChunks: 0 });
    const pending = operations.chat.create(hello, { retry: { maxRetries: 0 } });
    // Half the body arrived and was read; the rest never comes.
    await readerWaits;
    await clock.fireLongWaits();
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'TimeoutError',
      kind: 'attempt',
      timeoutMs: 600_000,
    });
    await vi.waitFor(() => {
      expect(cancelled).toEqual([expect.objectContaining({ _tag: 'TimeoutError', kind: 'attempt' })]);
    }, realServerWait);
  }, 60_000);

  it('returns a connection dropped in the middle of the body as a retryable ConnectionError', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'stream-cut', afterChunks: 0 });
    const error = (await operations.chat.create(hello, { retry: { maxRetries: 0 } }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'ConnectionError', retryable: true });
  });

  it('keeps the API key out of errors and log lines', async () => {
    const { operations, simulator, records } = await start();
    simulator.enqueue('chat.completions', {
      type: 'status',
      status: 401,
      message: `Incorrect API key provided: ${testApiKey}.`,
    });
    const error = (await operations.chat.create(hello))._unsafeUnwrapErr();
    expect(error._tag).toBe('AuthenticationError');
    expect(JSON.stringify(error)).not.toContain(testApiKey);
    expect(error.message).not.toContain('harnessKEY');
    expect(JSON.stringify(records)).not.toContain('harnessKEY');
    expect(records.find((record) => record.message.startsWith('openai call failed'))?.fields).toMatchObject({
      status: 'error',
      errorTag: 'AuthenticationError',
      httpStatus: 401,
    });
  });

  it('keeps a key echoed in param, code and a header out of the error, its cause and the log, through the real SDK', async () => {
    const { operations, simulator, records } = await start();
    simulator.enqueue('chat.completions', {
      type: 'status',
      status: 400,
      message: `bad key ${testApiKey}`,
      param: `api_key=${testApiKey}`,
      code: `echo ${testApiKey}`,
      headers: { 'x-echo': testApiKey },
    });
    const error = (await operations.chat.create(hello))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      _tag: 'BadRequestError',
      status: 400,
      param: 'api_key=[redacted]',
      code: 'echo [redacted]',
    });
    expect(JSON.stringify(error)).not.toContain('harnessKEY');
    expect(inspect(error, { depth: 8, showHidden: true })).not.toContain('harnessKEY');
    expect(inspect(error.cause, { depth: 8, showHidden: true })).not.toContain('harnessKEY');
    expect((error.cause as { headers?: Headers }).headers?.get('x-echo')).toBe('[redacted]');
    expect(JSON.stringify(records)).not.toContain('harnessKEY');
  });

  it('moves along the fallback chain when the model is unknown, and says so', async () => {
    const { operations, simulator } = await start();
    const { meta } = (
      await operations.chat.create({ ...hello, model: 'gpt-does-not-exist' }, { fallback: ['gpt-4.1-mini'] })
    )._unsafeUnwrap();
    expect(meta.model).toBe('gpt-4.1-mini');
    expect(meta.skippedModels).toEqual([
      { model: 'gpt-does-not-exist', reason: expect.stringMatching(/404/) as unknown, errorTag: 'NotFoundError' },
    ]);
    expect(simulator.requests.map((request) => (request.body as { model: string }).model)).toEqual([
      'gpt-does-not-exist',
      'gpt-4.1-mini',
    ]);
  });

  it('uses configured fallback chains after 5xx retries are exhausted', async () => {
    const { operations, simulator } = await start({ operations: { fallbacks: { 'gpt-4o': ['gpt-4o-mini'] } } });
    simulator.enqueue('chat.completions', { type: 'status', status: 500 }, { type: 'status', status: 500 });
    const { meta } = (
      await operations.chat.create({ ...hello, model: 'gpt-4o' }, { retry: { maxRetries: 1 } })
    )._unsafeUnwrap();
    expect(meta.model).toMatch(/^gpt-4o-mini/);
    expect(meta.skippedModels[0]).toMatchObject({ model: 'gpt-4o', errorTag: 'InternalServerError' });
  });

  it('after a 429 whose retry hint is an hour, ends that call with the hint intact and moves the next calls along the chain while the model is paused', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'rate-limit', retryAfterSeconds: 3_600 });
    const first = await operations.chat.create({ ...hello, model: 'gpt-4o' }, { fallback: ['gpt-4.1-mini'] });
    expect(first._unsafeUnwrapErr()).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'server',
      retryAfterMs: 3_600_000,
      attempts: 1,
    });
    const { meta } = (
      await operations.chat.create({ ...hello, model: 'gpt-4o' }, { fallback: ['gpt-4.1-mini'] })
    )._unsafeUnwrap();
    expect(meta.model).toBe('gpt-4.1-mini');
    // Paused for the capped minute, longer than a call waits (30 s): refused without a request, and said so.
    expect(meta.skippedModels).toEqual([
      {
        model: 'gpt-4o',
        reason: expect.stringMatching(
          /^rate limit of chat:gpt-4o \(paused\): the call could be sent in 60000 ms/,
        ) as unknown,
        errorTag: 'RateLimitError',
      },
    ]);
    const streamed = await operations.chat.stream({ ...hello, model: 'gpt-4o' }, { fallback: ['gpt-4.1-mini'] }).result;
    expect(streamed._unsafeUnwrap().meta.model).toBe('gpt-4.1-mini');
    expect(simulator.requests.map((request) => (request.body as { model: string }).model)).toEqual([
      'gpt-4o',
      'gpt-4.1-mini',
      'gpt-4.1-mini',
    ]);
  });

  it('skips a model whose context window cannot hold the call, without asking it', async () => {
    const { operations, simulator } = await start();
    const { meta } = (
      await operations.chat.create(
        { ...hello, model: 'gpt-4o', max_completion_tokens: 200_000 },
        { fallback: ['gpt-4.1-mini'] },
      )
    )._unsafeUnwrap();
    expect(meta.skippedModels).toEqual([
      { model: 'gpt-4o', reason: expect.stringMatching(/context window of 128000/) as unknown, errorTag: null },
    ]);
    expect(simulator.requests).toHaveLength(1);
  });

  it('refuses a call over budget before sending it', async () => {
    const { operations, simulator } = await start();
    const result = await operations.chat.create(
      { ...hello, max_completion_tokens: 500 },
      { budget: { maxTokens: 100 } },
    );
    expect(result._unsafeUnwrapErr()).toMatchObject({
      _tag: 'BudgetExceededError',
      scope: 'call',
      unit: 'tokens',
      limit: 100,
    });
    expect(simulator.requests).toHaveLength(0);
  });

  it('estimates a prompt as its messages, each with the chat framing, plus the tool definitions', async () => {
    const { operations } = await start();
    const messages = [
      { role: 'system' as const, content: 'Answer in one word.' },
      { role: 'user' as const, content: 'Capital of France?' },
      { role: 'assistant' as const, content: 'Paris' },
    ];
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'lookup', description: 'Looks a city up', parameters: { type: 'object', properties: {} } },
      },
    ];
    const refused = (
      await operations.chat.create({ messages, tools, max_completion_tokens: 10 }, { budget: { maxTokens: 1 } })
    )._unsafeUnwrapErr();
    expect(refused).toMatchObject({
      _tag: 'BudgetExceededError',
      requested: (await estimateInputTokens(messages, tools)) + 10,
    });
  });

  it('records usage and prices it from the table', async () => {
    const { operations } = await start();
    const { meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    const usage = meta.usage!;
    const expected =
      (usage.inputTokens - usage.cachedInputTokens) * 0.15e-6 +
      usage.cachedInputTokens * 0.075e-6 +
      usage.outputTokens * 0.6e-6;
    expect(meta.costUsd).toBeCloseTo(expected, 12);
    const report = operations.usage.report();
    expect(report.byModel['gpt-4o-mini']).toMatchObject({
      requests: 1,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
    });
    expect(report.byOperation['chat.create']?.requests).toBe(1);
  });

  it('runs a tool-call round trip', async () => {
    const { operations } = await start();
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          },
        },
      },
    ];
    const first = (
      await operations.chat.create({ messages: [{ role: 'user', content: 'Weather in Paris?' }], tools })
    )._unsafeUnwrap().value;
    expect(first.finishReason).toBe('tool_calls');
    const call = first.toolCalls[0]!;
    expect(call.name).toBe('get_weather');
    expect(JSON.parse(call.arguments)).toEqual({ city: expect.any(String) as unknown });
    const second = await operations.chat.create({
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }],
        },
        { role: 'tool', tool_call_id: call.id, content: '{"temperature":21}' },
      ],
    });
    expect(second._unsafeUnwrap().value).toMatchObject({ finishReason: 'stop', toolCalls: [] });
    expect(second._unsafeUnwrap().value.text?.length).toBeGreaterThan(0);
  });
});

describe('chat.parse', () => {
  const city = z.object({ name: z.string(), population: z.number().int(), coastal: z.boolean() });

  it('returns the answer parsed into the schema type', async () => {
    const { operations, simulator } = await start();
    const { value } = (
      await operations.chat.parse({ messages: [{ role: 'user', content: 'A city' }] }, city, { name: 'city' })
    )._unsafeUnwrap();
    expect(city.safeParse(value.parsed).success).toBe(true);
    expect(simulator.requests[0]?.body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'city', strict: true } },
    });
  });

  it('returns a ValidationError with the raw answer as cause when the answer does not match', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'reply', content: '{"name":"Paris","population":"many"}' });
    const error = (
      await operations.chat.parse({ messages: [{ role: 'user', content: 'A city' }] }, city)
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      _tag: 'ValidationError',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'population' })]) as unknown,
    });
    expect(error.cause).toEqual({ content: '{"name":"Paris","population":"many"}' });
  });

  it('returns a ValidationError when the answer is not JSON', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'reply', content: 'not json' });
    expect((await operations.chat.parse(hello, city))._unsafeUnwrapErr().message).toMatch(/not JSON/);
  });
});

describe('chat.stream', () => {
  async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    return events;
  }

  it('logs the request id of a stream refused before it opened, as its error carries it', async () => {
    const { operations, simulator, records } = await start();
    simulator.enqueue('chat.completions', { type: 'status', status: 401, message: 'Incorrect API key provided.' });
    const error = (await operations.chat.stream(hello).result)._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'AuthenticationError', requestId: expect.stringMatching(/^req_/) as unknown });
    const line = records.find((record) => record.message.startsWith('openai call failed'));
    expect(line?.fields).toMatchObject({
      operation: 'chat.stream',
      errorTag: 'AuthenticationError',
      requestId: 'requestId' in error ? error.requestId : 'missing',
    });
  });

  it('feeds the rate-limit headers of the opening to pacing as the answer to its own request', async () => {
    const { operations } = await start();
    const { meta } = (await operations.chat.stream(hello).result)._unsafeUnwrap();
    const budget = await operations.transport.limiter.budget('chat:gpt-4o-mini');
    // Settled with the call that carried them: nothing of this process can be missing from them.
    expect(budget).toMatchObject({
      inFlight: 0,
      requests: { limit: meta.rateLimit?.requests.limit, remaining: meta.rateLimit?.requests.remaining },
    });
  });

  it('streams text deltas, usage and the end, and records usage', async () => {
    const { operations, simulator } = await start();
    const stream = operations.chat.stream(hello);
    const events = await collect(stream);
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    expect(events.at(-1)?.type).toBe('end');
    expect(events.some((event) => event.type === 'usage')).toBe(true);
    const { value, meta } = (await stream.result)._unsafeUnwrap();
    expect(value.text).toBe(text);
    expect(value.finishReason).toBe('stop');
    expect(meta.usage?.outputTokens).toBeGreaterThan(0);
    expect(operations.usage.report().byOperation['chat.stream']).toMatchObject({ requests: 1, estimatedRequests: 0 });
    expect(simulator.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('returns the partial text when the stream is cut after N chunks, and records estimated usage', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'stream-cut', afterChunks: 3 });
    const stream = operations.chat.stream(hello);
    const events = await collect(stream);
    const delivered = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    const error = (await stream.result)._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'StreamInterruptedError', partial: { text: delivered } });
    expect(delivered.length).toBeGreaterThan(0);
    expect(simulator.requests).toHaveLength(1);
    expect(operations.usage.report().byOperation['chat.stream']).toMatchObject({ requests: 1, estimatedRequests: 1 });
  });

  it('ends a stalled stream at the idle timeout with what arrived', async () => {
    const clock = createTestClock();
    const { operations, simulator } = await start({ clock });
    simulator.enqueue('chat.completions', { type: 'stream-stall', afterChunks: 3 });
    const stream = operations.chat.stream(hello, { idleTimeoutMs: 150_000 });
    const iterator = stream[Symbol.asyncIterator]();
    const seen: StreamEvent[] = [];
    while (seen.filter((event) => event.type === 'text-delta').length < 2) {
      const step = await iterator.next();
      if (step.done === true) break;
      seen.push(step.value);
    }
    const pending = iterator.next();
    await clock.fireLongWaits();
    const last = await pending;
    expect(last.value).toMatchObject({
      type: 'error',
      error: { _tag: 'StreamInterruptedError', reason: 'idle-timeout' },
    });
    expect(clock.waits).toContain(150_000);
  });

  it('stops a stream whose headers come after its attempt already timed out', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const recorder = stopRecordingFetch(async (input, init) => {
      await gate;
      return fetch(input, init);
    });
    const { operations, clock } = await start({ operations: { fetch: recorder.fetch } });
    const result = operations.chat.stream(hello, { retry: { maxRetries: 0 } }).result;
    await vi.waitFor(() => {
      expect(recorder.stopped).toHaveLength(1);
    }, realServerWait);
    await clock.fireLongWaits();
    expect((await result)._unsafeUnwrapErr()).toMatchObject({ _tag: 'TimeoutError', kind: 'attempt' });
    expect(recorder.stopped).toEqual([false]);
    release();
    await vi.waitFor(() => {
      expect(recorder.stopped).toEqual([true]);
    }, realServerWait);
  }, 60_000);

  it('stops when the caller aborts mid-stream', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'stream-stall', afterChunks: 2 });
    const controller = new AbortController();
    const stream = operations.chat.stream(hello, { signal: controller.signal, idleTimeoutMs: 600_000 });
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { _tag: 'AbortedError' } });
  });

  it('falls back to the next model when the stream cannot be opened, and skips models that cannot fit', async () => {
    const { operations } = await start();
    const { meta } = (
      await operations.chat.stream({ ...hello, model: 'gpt-nope' }, { fallback: ['gpt-4o-mini'] }).result
    )._unsafeUnwrap();
    expect(meta).toMatchObject({
      model: 'gpt-4o-mini',
      skippedModels: [{ model: 'gpt-nope', errorTag: 'NotFoundError' }],
    });
    const none = await operations.chat.stream(
      { ...hello, model: 'gpt-4o', max_completion_tokens: 500_000 },
      { fallback: ['gpt-4o-mini'] },
    ).result;
    expect(none._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      message: expect.stringMatching(/^no model of the chain could take the call/) as unknown,
    });
  });

  it('retries a stream that fails before delivering anything', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'status', status: 503 }, { type: 'reset' });
    const { meta } = (await operations.chat.stream(hello).result)._unsafeUnwrap();
    expect(meta.attempts).toBe(3);
    expect(simulator.requests).toHaveLength(3);
  });

  it('reports an error event inside the stream as an interruption with the partial output', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('chat.completions', {
      type: 'stream-error',
      afterChunks: 2,
      message: 'overloaded',
      code: 'server_error',
    });
    const error = (await operations.chat.stream(hello).result)._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'StreamInterruptedError', reason: 'server-error-event' });
  });

  it('returns the validation error as a stream error without sending anything', async () => {
    const { operations, simulator } = await start();
    const stream = operations.chat.stream({ messages: [] });
    expect(await collect(stream)).toEqual([
      { type: 'error', error: expect.objectContaining({ _tag: 'ValidationError' }) as unknown },
    ]);
    expect((await stream.result)._unsafeUnwrapErr()._tag).toBe('ValidationError');
    expect(simulator.requests).toHaveLength(0);
  });

  it('streams tool-call deltas into complete tool calls', async () => {
    const { operations } = await start();
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'lookup',
          parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
        },
      },
    ];
    const stream = operations.chat.stream({ messages: [{ role: 'user', content: 'look it up' }], tools });
    const events = await collect(stream);
    expect(events.some((event) => event.type === 'tool-call-delta')).toBe(true);
    const { value } = (await stream.result)._unsafeUnwrap();
    expect(value.toolCalls[0]?.name).toBe('lookup');
    expect(JSON.parse(value.toolCalls[0]?.arguments ?? '')).toEqual({ q: expect.any(String) as unknown });
  });
});
