import { createOperationsTelemetry } from '../telemetry/create-operations-telemetry.ts';
import type { LogFields, Logger } from '@openai-integration/core';
import { createTransport, systemClock } from '@openai-integration/transport';
import OpenAI, { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { OperationContext } from '../internal/operation-context.ts';
import { createModelRegistry } from '../models/create-model-registry.ts';
import type { ModelDescriptor } from '../models/model-descriptor.ts';
import { createUsageTracker } from '../usage/create-usage-tracker.ts';
import { runCall, transportKey, type ModelCallSpec, type RequestShape } from './run-call.ts';
import type { SdkRequest } from './send-attempt.ts';

interface TestRequest {
  readonly model?: string;
  readonly prompt: string;
}

interface TestAnswer {
  readonly model: string;
  readonly usage: { readonly prompt_tokens: number; readonly completion_tokens: number; readonly total_tokens: number };
}

interface LogLine {
  readonly level: string;
  readonly fields: LogFields;
}

const shape: RequestShape<TestRequest> = {
  schema: z.object({ model: z.string(), prompt: z.string() }),
  countPrompt: (counter, request) => counter(request.prompt),
  maxOutputOf: () => undefined,
};

const described = (id: string, contextWindow: number): ModelDescriptor => ({
  id,
  contextWindow,
  maxOutputTokens: 100,
  inputModalities: ['text'],
  tools: false,
  structuredOutput: false,
  reasoning: false,
  kind: 'chat',
});

/** An operation context whose calls go to `reply` instead of an API, with what it logged. */
function setUp(
  reply: (model: string) => number,
  options: { readonly models?: readonly ModelDescriptor[]; readonly fallback?: readonly string[] } = {},
) {
  const lines: LogLine[] = [];
  const logger: Logger = {
    error: (fields) => lines.push({ level: 'error', fields }),
    warn: (fields) => lines.push({ level: 'warn', fields }),
    info: (fields) => lines.push({ level: 'info', fields }),
    debug: (fields) => lines.push({ level: 'debug', fields }),
    child: () => logger,
  };
  const context: OperationContext = {
    client: new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 }),
    transport: createTransport({ retry: { maxRetries: 0 }, breaker: false }),
    usage: createUsageTracker(),
    models: createModelRegistry(options.models === undefined ? {} : { models: options.models }),
    logger,
    clock: systemClock,
    defaultModel: 'a',
    fallbacks: { a: options.fallback ?? ['b'] },
    streamIdleTimeoutMs: 600_000,
    streamTotalTimeoutMs: undefined,
    logBodies: false,
    knownSecrets: () => [],
    observeRateLimit: () => undefined,
    telemetry: createOperationsTelemetry(
      { enabled: false },
      { clock: systemClock, baseUrl: 'http://127.0.0.1:9/v1', knownSecrets: () => [], semconvOptIn: undefined },
    ),
  };
  const tried: string[] = [];
  const send = (body: { readonly model: string }): SdkRequest<TestAnswer> => ({
    withResponse: () => {
      tried.push(body.model);
      const status = reply(body.model);
      if (status !== 200) {
        return Promise.reject(
          APIError.generate(status, { error: { message: `no answer from ${body.model}` } }, undefined, new Headers()),
        );
      }
      return Promise.resolve({
        data: { model: body.model, usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
        response: new Response(null),
        request_id: `req_${body.model}`,
      });
    },
  });
  const spec: ModelCallSpec<TestRequest, TestAnswer> = { operation: 'test.create', endpoint: 'test', shape, send };
  return { context, spec, tried, lines };
}

describe('runCall', () => {
  it('answers with the next model when the first is unknown, and says which was passed over', async () => {
    const { context, spec, tried, lines } = setUp((model) => (model === 'a' ? 404 : 200));
    const { value, meta } = (
      await runCall(context, spec, { request: { prompt: 'hello' }, options: {} })
    )._unsafeUnwrap();
    expect(tried).toEqual(['a', 'b']);
    expect(value.model).toBe('b');
    expect(meta).toMatchObject({ operation: 'test.create', model: 'b', requestId: 'req_b', attempts: 1 });
    expect(meta.skippedModels).toEqual([
      { model: 'a', reason: expect.stringMatching(/^HTTP 404/) as unknown, errorTag: 'NotFoundError' },
    ]);
    expect(meta.usage?.totalTokens).toBe(5);
    expect(context.usage.report().byModel['b']?.totalTokens).toBe(5);
    expect(lines).toEqual([
      { level: 'info', fields: expect.objectContaining({ status: 'ok', model: 'b', skippedModels: ['a'] }) as unknown },
    ]);
  });

  it('skips a model that fails the pre-flight check without calling it', async () => {
    const { context, spec, tried } = setUp(() => 200, { models: [described('a', 10), described('b', 100_000)] });
    const { meta } = (
      await runCall(context, spec, { request: { prompt: 'a prompt far too long for model a '.repeat(4) }, options: {} })
    )._unsafeUnwrap();
    expect(tried).toEqual(['b']);
    expect(meta.skippedModels).toEqual([
      { model: 'a', reason: expect.stringMatching(/do not fit its context window of 10$/) as unknown, errorTag: null },
    ]);
  });

  it('stops at an error that another model would not fix', async () => {
    const { context, spec, tried, lines } = setUp(() => 401);
    const error = (await runCall(context, spec, { request: { prompt: 'hello' }, options: {} }))._unsafeUnwrapErr();
    expect(error._tag).toBe('AuthenticationError');
    expect(tried).toEqual(['a']);
    expect(lines).toEqual([
      {
        level: 'warn',
        fields: expect.objectContaining({ status: 'error', errorTag: 'AuthenticationError', model: 'a' }) as unknown,
      },
    ]);
  });

  it('returns the last model error when every model fails, naming the models passed over in its log line', async () => {
    const { context, spec, tried, lines } = setUp(() => 503);
    const error = (await runCall(context, spec, { request: { prompt: 'hello' }, options: {} }))._unsafeUnwrapErr();
    expect(error._tag).toBe('ServiceUnavailableError');
    expect(tried).toEqual(['a', 'b']);
    expect(lines[0]?.fields).toMatchObject({ skippedModels: ['a'], attempts: 1 });
  });

  it('refuses with a ValidationError naming each model when none can take the call, without sending', async () => {
    const { context, spec, tried } = setUp(() => 200, { models: [described('a', 5), described('b', 6)] });
    const error = (
      await runCall(context, spec, { request: { prompt: 'a prompt too long for both '.repeat(4) }, options: {} })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      _tag: 'ValidationError',
      message: expect.stringMatching(/\(a: .*context window of 5; b: .*context window of 6\)/) as unknown,
    });
    expect(tried).toEqual([]);
  });

  it('logs a call refused before sending with the model it named, quoted when no model could have that id', async () => {
    const { context, spec, tried, lines } = setUp(() => 200);
    const error = (
      await runCall(context, spec, { request: { model: 'x'.repeat(300), prompt: 'hello' }, options: {} })
    )._unsafeUnwrapErr();
    expect(error._tag).toBe('ValidationError');
    expect(tried).toEqual([]);
    expect(lines[0]?.fields).toMatchObject({ model: `"${'x'.repeat(40)}"... (300 characters)`, attempts: 0 });
  });
});

describe('transportKey', () => {
  it('names the endpoint and the model (or any), the same string every time', () => {
    expect(transportKey('chat', 'gpt-4o')).toBe('chat:gpt-4o');
    expect(transportKey('chat', 'gpt-4o')).toBe(transportKey('chat', 'gpt-4o'));
    expect(transportKey('responses', 'gpt-4o')).toBe('responses:gpt-4o');
    expect(transportKey('files', '')).toBe('files:any');
  });
});
