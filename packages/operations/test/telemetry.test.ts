import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { createTestClock } from '@openai-integration/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOperations, createUsageTracker, type TelemetryOptions } from '../src/index.ts';
import { durationBuckets, tokenUsageBuckets } from '../src/telemetry/attributes.ts';
import { testApiKey, useHarness } from './support/harness.ts';
import { createTelemetryCapture, endMs, pointsOf, startMs, type TelemetryCapture } from './support/telemetry.ts';

const hello = { messages: [{ role: 'user' as const, content: 'Say hello' }] };
const start = useHarness();
const contextManager = new AsyncLocalStorageContextManager();
let capture: TelemetryCapture;

beforeAll(() => {
  // As NodeSDK does: the active context follows async calls (retry, pacing and breaker events find their call).
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  contextManager.disable();
  context.disable();
});
afterEach(async () => {
  await capture.shutdown();
});

/** A harness whose operations report to an in-memory SDK. */
async function startTraced(
  options: {
    readonly telemetry?: TelemetryOptions;
    readonly operations?: Parameters<typeof start>[0];
    /** Leave the conventions to OTEL_SEMCONV_STABILITY_OPT_IN (else v1.36, whatever the environment says). */
    readonly conventionsFromEnvironment?: boolean;
  } = {},
) {
  capture = createTelemetryCapture();
  return await start({
    ...options.operations,
    operations: {
      ...options.operations?.operations,
      telemetry: {
        tracerProvider: capture.tracerProvider,
        meterProvider: capture.meterProvider,
        ...(options.conventionsFromEnvironment === true ? {} : { conventions: 'v1.36' as const }),
        ...options.telemetry,
      },
    },
  });
}

describe('telemetry of chat.create', () => {
  it('records one CLIENT span named by the GenAI conventions with every request and response attribute', async () => {
    const { operations, simulator } = await startTraced();
    const result = await operations.chat.create({
      // json_object needs the word JSON in the messages, as the API requires.
      messages: [{ role: 'user', content: 'Say hello in JSON' }],
      max_completion_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
      stop: ['END'],
      n: 2,
      response_format: { type: 'json_object' },
      service_tier: 'auto',
    });
    const { meta, value } = result._unsafeUnwrap();
    const span = capture.span('chat gpt-4o-mini');
    const { port } = new URL(simulator.baseURL);
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.max_tokens': 50,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.frequency_penalty': 0.1,
      'gen_ai.request.presence_penalty': 0.3,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.request.choice.count': 2,
      'gen_ai.output.type': 'json',
      'gen_ai.openai.request.service_tier': 'auto',
      'gen_ai.response.model': value.completion.model,
      'gen_ai.response.id': value.completion.id,
      'gen_ai.response.finish_reasons': value.completion.choices.map((choice) => choice.finish_reason),
      'gen_ai.usage.input_tokens': meta.usage?.inputTokens,
      'gen_ai.usage.output_tokens': meta.usage?.outputTokens,
      'server.address': '127.0.0.1',
      'server.port': Number(port),
      'openai_integration.operation': 'chat.create',
      'openai_integration.attempts': 1,
      'openai_integration.request_id': meta.requestId,
      'openai_integration.cost_usd': meta.costUsd,
    });
    expect(span.attributes['gen_ai.provider.name']).toBeUndefined();
    expect(span.attributes['openai.api.type']).toBeUndefined();
    const [attempt, ...others] = capture.children(span);
    expect(others).toEqual([]);
    expect(attempt?.name).toBe('attempt gpt-4o-mini');
    expect(attempt?.attributes).toMatchObject({
      'openai_integration.attempt.number': 1,
      'openai_integration.attempt.wait_ms': 0,
      'openai_integration.circuit.state': 'closed',
      'openai_integration.transport.key': 'chat:gpt-4o-mini',
      'openai_integration.request_id': meta.requestId,
    });
  });

  it('records no prompt or completion text unless the application opts in', async () => {
    const { operations } = await startTraced();
    (await operations.chat.create(hello))._unsafeUnwrap();
    expect(JSON.stringify(capture.spans().map((span) => [span.attributes, span.events]))).not.toContain('Say hello');
    expect(capture.span('chat gpt-4o-mini').events.map((event) => event.name)).toEqual([]);
  });

  it('records the prompt and the completion, redacted, when content capture is on (v1.36: events)', async () => {
    const { operations } = await startTraced({ telemetry: { captureContent: true } });
    const secret = { role: 'user' as const, content: `my key is ${testApiKey}, say hello` };
    const { value } = (await operations.chat.create({ messages: [secret] }))._unsafeUnwrap();
    const span = capture.span('chat gpt-4o-mini');
    const prompt = span.events.find((event) => event.name === 'gen_ai.content.prompt');
    const completion = span.events.find((event) => event.name === 'gen_ai.content.completion');
    expect(JSON.parse(String(prompt?.attributes?.['gen_ai.prompt']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'my key is [redacted], say hello' }] },
    ]);
    expect(JSON.parse(String(completion?.attributes?.['gen_ai.completion']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: value.text }], finish_reason: 'stop' },
    ]);
    expect(JSON.stringify(capture.spans().map((one) => one.events))).not.toContain('harnessKEY');
  });

  it('uses the latest names when asked: gen_ai.provider.name, openai.*, and content as attributes', async () => {
    const { operations } = await startTraced({
      telemetry: { conventions: 'latest', captureContent: true, maxContentLength: 40 },
    });
    (await operations.chat.create({ ...hello, service_tier: 'default' }))._unsafeUnwrap();
    const span = capture.span('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'openai.api.type': 'chat_completions',
      'openai.request.service_tier': 'default',
    });
    expect(span.attributes['gen_ai.system']).toBeUndefined();
    expect(span.attributes['gen_ai.openai.request.service_tier']).toBeUndefined();
    expect(span.attributes['gen_ai.input.messages']).toBe(
      `${'[{"role":"user","parts":[{"type":"text","content":"Say hello"}]}]'.slice(0, 40)}…[truncated]`,
    );
    expect(String(span.attributes['gen_ai.output.messages'])).toMatch(/^\[\{"role":"assistant"/);
    expect(span.events).toEqual([]);
  });

  it('shows two retries and a fallback hop as child spans with the wait before each attempt and why', async () => {
    const { operations, simulator, clock } = await startTraced();
    const startedAt = clock.now();
    simulator.enqueue(
      'chat.completions',
      { type: 'rate-limit', retryAfterMs: 2_000 },
      { type: 'status', status: 503 },
      { type: 'status', status: 503 },
    );
    const result = await operations.chat.create(
      { ...hello, model: 'gpt-4o' },
      { fallback: ['gpt-4.1-mini'], retry: { maxRetries: 2 } },
    );
    const { meta } = result._unsafeUnwrap();
    expect(meta.model).toMatch(/^gpt-4\.1-mini/);
    const root = capture.span('chat gpt-4o');
    expect(root.parentSpanContext).toBeUndefined();
    expect(startMs(root)).toBe(startedAt);
    const attempts = capture.children(root);
    expect(attempts.map((span) => [span.name, span.attributes['openai_integration.attempt.number']])).toEqual([
      ['attempt gpt-4o', 1],
      ['attempt gpt-4o', 2],
      ['attempt gpt-4o', 3],
      ['attempt gpt-4.1-mini', 1],
    ]);
    expect(attempts.map((span) => span.attributes['error.type'])).toEqual([
      'RateLimitError',
      'ServiceUnavailableError',
      'ServiceUnavailableError',
      undefined,
    ]);
    expect(attempts.map((span) => span.attributes['http.response.status_code'])).toEqual([429, 503, 503, undefined]);
    expect(attempts.map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.UNSET,
    ]);
    // The server's hint set the first wait; the policy's backoff the second (1 s, no jitter).
    expect(attempts[1]?.attributes).toMatchObject({
      'openai_integration.retry.delay_ms': 2_000,
      'openai_integration.retry.reason': 'retry-after',
      'openai_integration.retry.error_type': 'RateLimitError',
      'openai_integration.attempt.wait_ms': 2_000,
    });
    expect(attempts[2]?.attributes).toMatchObject({
      'openai_integration.retry.delay_ms': 2_000,
      'openai_integration.retry.reason': 'backoff',
      'openai_integration.retry.error_type': 'ServiceUnavailableError',
    });
    expect(attempts[3]?.attributes['openai_integration.retry.delay_ms']).toBeUndefined();
    expect(startMs(attempts[1]!) - endMs(attempts[0]!)).toBe(2_000);
    const events = root.events.map((event) => [event.name, event.attributes]);
    expect(events).toEqual([
      [
        'openai_integration.retry',
        {
          'openai_integration.transport.key': 'chat:gpt-4o',
          'openai_integration.attempt.number': 1,
          'openai_integration.retry.delay_ms': 2_000,
          'openai_integration.retry.reason': 'retry-after',
          'openai_integration.retry.error_type': 'RateLimitError',
        },
      ],
      [
        'openai_integration.retry',
        {
          'openai_integration.transport.key': 'chat:gpt-4o',
          'openai_integration.attempt.number': 2,
          'openai_integration.retry.delay_ms': 2_000,
          'openai_integration.retry.reason': 'backoff',
          'openai_integration.retry.error_type': 'ServiceUnavailableError',
        },
      ],
      [
        'openai_integration.fallback',
        {
          'openai_integration.fallback.from_model': 'gpt-4o',
          'openai_integration.fallback.to_model': 'gpt-4.1-mini',
          'openai_integration.fallback.reason': 'ServiceUnavailableError',
        },
      ],
    ]);
    expect(root.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': meta.model,
      'openai_integration.attempts': 1,
    });
    const retries = await capture.metric('openai_integration.client.retries');
    expect(
      pointsOf(retries).map((point) => [point.attributes['openai_integration.retry.reason'], point.value]),
    ).toEqual(
      expect.arrayContaining([
        ['retry-after', 1],
        ['backoff', 1],
      ]),
    );
    const limited = await capture.metric('openai_integration.client.rate_limited');
    expect(pointsOf(limited, { 'openai_integration.rate_limit.origin': 'server' })[0]?.value).toBe(1);
  });

  it('shows a pacing wait on the attempt it held back, and measures it', async () => {
    // One request a minute: the second call waits for the first one's to come back (instant on the test clock).
    const clock = createTestClock();
    const transport = { retry: { jitter: 'none' as const }, attemptTimeoutMs: 600_000, pacing: { maxWaitMs: 90_000 } };
    const { operations } = await startTraced({
      operations: {
        clock,
        simulator: { rateLimit: { requestsPerMinute: 1 }, now: () => clock.now() },
        operations: { transport },
      },
    });
    (await operations.chat.create(hello))._unsafeUnwrap();
    (await operations.chat.create(hello))._unsafeUnwrap();
    const [, held] = capture.spans().filter((span) => span.name === 'chat gpt-4o-mini');
    const wait = held?.events.find((event) => event.name === 'openai_integration.pacing.wait');
    expect(wait?.attributes).toMatchObject({
      'openai_integration.transport.key': 'chat:gpt-4o-mini',
      'openai_integration.pacing.reason': 'requests',
      'openai_integration.pacing.wait_ms': expect.any(Number) as unknown,
    });
    const waitMs = Number(wait?.attributes?.['openai_integration.pacing.wait_ms']);
    expect(waitMs).toBeGreaterThan(0);
    const [attempt] = capture.children(held!);
    expect(attempt?.attributes).toMatchObject({
      'openai_integration.pacing.wait_ms': waitMs,
      'openai_integration.pacing.reason': 'requests',
    });
    const waits = await capture.metric('openai_integration.client.pacing.wait');
    expect(pointsOf<Histogram>(waits, { 'openai_integration.pacing.reason': 'requests' })[0]?.value).toMatchObject({
      count: 1,
      sum: waitMs / 1000,
    });
  });

  it('records the circuit opening on the call that opened it, and the refusal of the next call', async () => {
    const { operations, simulator } = await startTraced({
      operations: {
        operations: {
          transport: { retry: { maxRetries: 0 }, attemptTimeoutMs: 600_000, breaker: { consecutiveFailures: 1 } },
        },
      },
    });
    simulator.enqueue('chat.completions', { type: 'status', status: 500 });
    expect((await operations.chat.create(hello))._unsafeUnwrapErr()._tag).toBe('InternalServerError');
    expect((await operations.chat.create(hello))._unsafeUnwrapErr()._tag).toBe('CircuitOpenError');
    const [opened, refused] = capture.spans().filter((span) => span.name === 'chat gpt-4o-mini');
    expect(opened?.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'openai_integration.circuit.change',
        {
          'openai_integration.transport.key': 'chat:gpt-4o-mini',
          'openai_integration.circuit.from': 'closed',
          'openai_integration.circuit.to': 'open',
          'openai_integration.circuit.reason': expect.any(String) as unknown,
        },
      ],
    ]);
    expect(opened?.attributes['error.type']).toBe('InternalServerError');
    expect(refused?.attributes).toMatchObject({
      'error.type': 'CircuitOpenError',
      'openai_integration.circuit.state': 'open',
    });
    expect(capture.children(refused!)).toEqual([]);
    const state = await capture.metric('openai_integration.client.circuit.state');
    expect(
      pointsOf(state, { 'openai_integration.transport.key': 'chat:gpt-4o-mini' }).map((point) => [
        point.attributes['openai_integration.circuit.state'],
        point.value,
      ]),
    ).toEqual([
      ['closed', 0],
      ['open', 1],
      ['half-open', 0],
    ]);
    const changes = await capture.metric('openai_integration.client.circuit.changes');
    expect(pointsOf(changes, { 'openai_integration.circuit.to': 'open' })[0]?.value).toBe(1);
  });

  it('records a budget refusal with the budget that refused it, and sends nothing', async () => {
    const { operations, simulator } = await startTraced({
      operations: { operations: { usage: createUsageTracker({ budget: { maxTokens: 5 } }) } },
    });
    const error = (await operations.chat.create(hello))._unsafeUnwrapErr();
    expect(error._tag).toBe('BudgetExceededError');
    expect(simulator.requests).toHaveLength(0);
    const span = capture.span('chat gpt-4o-mini');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(span.attributes['error.type']).toBe('BudgetExceededError');
    expect(span.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'openai_integration.budget.refused',
        {
          'openai_integration.budget.unit': 'tokens',
          'openai_integration.budget.scope': 'tracker',
          'openai_integration.budget.limit': 5,
          'openai_integration.budget.used': 0,
          'openai_integration.budget.requested': expect.any(Number) as unknown,
        },
      ],
    ]);
    const refusals = await capture.metric('openai_integration.client.budget.refusals');
    expect(pointsOf(refusals)[0]).toMatchObject({
      value: 1,
      attributes: { 'openai_integration.budget.scope': 'tracker' },
    });
  });
});

describe('telemetry metrics', () => {
  it('records token usage and duration histograms with the conventions’ buckets and attributes', async () => {
    const { operations } = await startTraced();
    const { meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    const usage = await capture.metric('gen_ai.client.token.usage');
    expect(usage?.descriptor.unit).toBe('{token}');
    const input = pointsOf<Histogram>(usage, { 'gen_ai.token.type': 'input' });
    const output = pointsOf<Histogram>(usage, { 'gen_ai.token.type': 'output' });
    expect(input[0]?.value.sum).toBe(meta.usage?.inputTokens);
    expect(output[0]?.value.sum).toBe(meta.usage?.outputTokens);
    expect(input[0]?.value.buckets.boundaries).toEqual(tokenUsageBuckets);
    expect(input[0]?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': meta.model,
      'server.address': '127.0.0.1',
      'server.port': expect.any(Number) as unknown,
      'gen_ai.token.type': 'input',
    });
    const duration = await capture.metric('gen_ai.client.operation.duration');
    expect(duration?.descriptor.unit).toBe('s');
    const [point] = pointsOf<Histogram>(duration);
    expect(point?.value.buckets.boundaries).toEqual(durationBuckets);
    expect(point?.value.count).toBe(1);
    const cost = await capture.metric('openai_integration.client.cost');
    expect(pointsOf(cost)[0]?.value).toBeCloseTo(meta.costUsd ?? 0, 12);
  });

  it('puts error.type on the duration of a failed call and records no token usage for it', async () => {
    const { operations, simulator } = await startTraced();
    simulator.enqueue('chat.completions', { type: 'status', status: 400, message: 'bad' });
    expect((await operations.chat.create(hello))._unsafeUnwrapErr()._tag).toBe('BadRequestError');
    const duration = await capture.metric('gen_ai.client.operation.duration');
    expect(pointsOf(duration)[0]?.attributes['error.type']).toBe('BadRequestError');
    expect(pointsOf(await capture.metric('gen_ai.client.token.usage'))).toEqual([]);
  });
});

describe('telemetry of streams', () => {
  it('records the time to the first chunk and the interruption with how much was delivered', async () => {
    const { operations, simulator } = await startTraced();
    simulator.enqueue('chat.completions', { type: 'stream-cut', afterChunks: 3 });
    const stream = operations.chat.stream(hello);
    const error = (await stream.result)._unsafeUnwrapErr();
    if (error._tag !== 'StreamInterruptedError') throw new Error(`unexpected ${error._tag}`);
    const span = capture.span('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      'openai_integration.operation': 'chat.stream',
      'error.type': 'StreamInterruptedError',
      'openai_integration.stream.interruption': error.reason,
      'openai_integration.usage.estimated': true,
      'gen_ai.response.time_to_first_chunk': 0,
    });
    expect(span.attributes['gen_ai.response.id']).toEqual(expect.any(String));
    const interrupted = span.events.find((event) => event.name === 'openai_integration.stream.interrupted');
    expect(interrupted?.attributes).toEqual({
      'openai_integration.stream.interruption': error.reason,
      'openai_integration.stream.events': error.partial.eventsReceived,
      'openai_integration.stream.characters': error.partial.text.length,
      'openai_integration.stream.tool_calls': 0,
    });
    expect(error.partial.eventsReceived).toBe(3);
    expect(span.events.map((event) => event.name)).toEqual([
      'openai_integration.stream.first_chunk',
      'openai_integration.stream.interrupted',
    ]);
    expect(capture.children(span)).toHaveLength(1);
    const firstChunk = await capture.metric('gen_ai.client.operation.time_to_first_chunk');
    expect(pointsOf<Histogram>(firstChunk)[0]?.value.count).toBe(1);
  });

  it('records a complete stream with its finish reason, usage and captured output', async () => {
    const { operations } = await startTraced({ telemetry: { captureContent: true, conventions: 'latest' } });
    const { value, meta } = (await operations.chat.stream(hello).result)._unsafeUnwrap();
    const span = capture.span('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.output_tokens': meta.usage?.outputTokens,
    });
    expect(JSON.parse(String(span.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: value.text }], finish_reason: 'stop' },
    ]);
  });

  it('records the partial output of a cut stream when content capture is on', async () => {
    const { operations, simulator } = await startTraced({ telemetry: { captureContent: true } });
    simulator.enqueue('chat.completions', { type: 'stream-cut', afterChunks: 3 });
    const error = (await operations.chat.stream(hello).result)._unsafeUnwrapErr();
    if (error._tag !== 'StreamInterruptedError') throw new Error(`unexpected ${error._tag}`);
    const completion = capture
      .span('chat gpt-4o-mini')
      .events.find((event) => event.name === 'gen_ai.content.completion');
    expect(JSON.parse(String(completion?.attributes?.['gen_ai.completion']))).toEqual([
      { role: 'assistant', parts: error.partial.text === '' ? [] : [{ type: 'text', content: error.partial.text }] },
    ]);
  });
});

describe('telemetry of other operations', () => {
  it('names responses as chat with openai.api.type responses, and embeddings as embeddings', async () => {
    const { operations } = await startTraced({ telemetry: { conventions: 'latest' } });
    (await operations.responses.create({ input: 'Say hello', max_output_tokens: 2_000 }))._unsafeUnwrap();
    (await operations.embeddings.create({ input: 'hello' }))._unsafeUnwrap();
    (await operations.models.list())._unsafeUnwrap();
    expect(capture.span('chat gpt-4o-mini').attributes).toMatchObject({
      'openai.api.type': 'responses',
      'openai_integration.operation': 'responses.create',
      'gen_ai.request.max_tokens': 2_000,
      'gen_ai.response.finish_reasons': ['completed'],
    });
    const embeddings = capture.spans().find((span) => span.name.startsWith('embeddings '));
    expect(embeddings?.attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.usage.input_tokens': expect.any(Number) as unknown,
    });
    expect(capture.span('models.list').attributes['gen_ai.request.model']).toBeUndefined();
  });

  it('gives a call made without a handle (a batch of embeddings) a span after the fact', async () => {
    const { operations } = await startTraced();
    (await operations.embeddings.createMany(['one', 'two']))._unsafeUnwrap();
    const span = capture
      .spans()
      .find((one) => one.attributes['openai_integration.operation'] === 'embeddings.createMany');
    expect(span?.name).toMatch(/^embeddings /);
    expect(span?.attributes['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
  });

  it('makes the span of a call a child of the active span (an application span, a tool call)', async () => {
    const { operations } = await startTraced();
    const tracer = capture.tracerProvider.getTracer('app');
    await tracer.startActiveSpan('handle request', async (parent) => {
      (await operations.chat.create(hello))._unsafeUnwrap();
      parent.end();
    });
    const parent = capture.span('handle request');
    expect(capture.span('chat gpt-4o-mini').parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

describe('telemetry settings', () => {
  it('records nothing with enabled: false', async () => {
    const { operations, simulator } = await startTraced({ telemetry: { enabled: false } });
    simulator.enqueue('chat.completions', { type: 'status', status: 503 });
    (await operations.chat.create(hello))._unsafeUnwrap();
    expect(capture.spans()).toEqual([]);
    expect(await capture.metric('gen_ai.client.operation.duration')).toBeUndefined();
  });

  it('reads OTEL_SEMCONV_STABILITY_OPT_IN when no conventions are given', async () => {
    vi.stubEnv('OTEL_SEMCONV_STABILITY_OPT_IN', 'http, gen_ai_latest_experimental');
    const { operations } = await startTraced({ conventionsFromEnvironment: true });
    (await operations.chat.create(hello))._unsafeUnwrap();
    expect(capture.span('chat gpt-4o-mini').attributes['gen_ai.provider.name']).toBe('openai');
    vi.unstubAllEnvs();
  });

  it('refuses a maxContentLength that is not a positive integer with a TypeError', () => {
    capture = createTelemetryCapture();
    for (const maxContentLength of [0, 1.5, Number.NaN]) {
      expect(() =>
        createOperations({
          load: { apiKey: testApiKey, envFile: false, env: {} },
          telemetry: { maxContentLength },
        }),
      ).toThrow(new TypeError(`telemetry.maxContentLength must be a positive integer, got ${maxContentLength}`));
    }
  });
});
