import { createError, type IntegrationError } from '@openai-integration/core';
import { createManualClock, type TransportOperation } from '@openai-integration/transport';
import { trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { describe, expect, it, vi } from 'vitest';
import type { CallMeta } from '../call/call-meta.ts';
import type { FinishedCall } from './create-operations-telemetry.ts';
import { createOperationsTelemetry, genAiOperationName, noopCall } from './create-operations-telemetry.ts';

class Reader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const environment = (baseUrl = 'https://api.openai.com/v1') => ({
  clock: createManualClock(1_000),
  baseUrl,
  knownSecrets: () => [],
  semconvOptIn: undefined,
});

const meta: CallMeta = {
  operation: 'chat.create',
  model: 'gpt-4o-mini',
  requestId: null,
  attempts: 1,
  latencyMs: 0,
  rateLimit: null,
  skippedModels: [],
  usage: null,
  usageEstimated: false,
  costUsd: null,
};

const finished = (outcome: Result<unknown, IntegrationError>, extra: Partial<FinishedCall> = {}): FinishedCall => ({
  operation: 'chat.create',
  model: 'gpt-4o-mini',
  startedAt: 1_000,
  skipped: [],
  error: outcome.isErr() ? outcome.error : undefined,
  ...(outcome.isOk() ? { value: outcome.value } : {}),
  ...extra,
});

/** A transport stand-in that runs the operation once, as attempt 1. */
const once = {
  execute: <T>(operation: TransportOperation<T>): ResultAsync<T, IntegrationError> =>
    // An operation that throws rejects the outcome, as it would reject the transport's promise.
    new ResultAsync(
      (async () => await operation(new AbortController().signal, 1, { timeoutMs: 1_000, cancellable: false }))(),
    ),
};

function traced() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracerProvider };
}

describe('genAiOperationName', () => {
  it('names chat, Responses API model calls and embeddings by the conventions, and the rest by the operation', () => {
    expect(genAiOperationName('chat.parse')).toBe('chat');
    expect(genAiOperationName('responses.resume')).toBe('chat');
    expect(genAiOperationName('responses.retrieve')).toBe('responses.retrieve');
    expect(genAiOperationName('embeddings.createMany')).toBe('embeddings');
    expect(genAiOperationName('files.list')).toBe('files.list');
  });
});

describe('createOperationsTelemetry', () => {
  it('hands out the no-op handle when no SDK is registered: the operation runs as it is', async () => {
    const telemetry = createOperationsTelemetry({}, environment());
    const call = telemetry.startCall('chat.create', 'gpt-4o-mini', {});
    expect(call).toBe(noopCall);
    const operation: TransportOperation<number> = () => Promise.resolve(ok(1));
    const seen: unknown[] = [];
    const run = <T>(given: TransportOperation<T>, options?: unknown): ResultAsync<T, IntegrationError> => {
      seen.push(given, options);
      return new ResultAsync(Promise.resolve(err(createError('AbortedError', { message: 'stop', reason: null }))));
    };
    expect((await call.run({ execute: run }, operation, { key: 'chat:gpt-4o-mini' }))._unsafeUnwrapErr()._tag).toBe(
      'AbortedError',
    );
    expect(seen).toEqual([operation, { key: 'chat:gpt-4o-mini' }]);
    expect(() => {
      telemetry.finish(finished(ok(undefined)), meta);
    }).not.toThrow();
  });

  it('records metrics without spans when only a meter provider is given', async () => {
    const reader = new Reader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const telemetry = createOperationsTelemetry(
      { meterProvider, tracerProvider: trace.getTracerProvider() },
      environment('http://localhost/v1'),
    );
    const call = telemetry.startCall('chat.stream', 'gpt-4o-mini');
    expect(call).not.toBe(noopCall);
    await call.run(once, () => Promise.resolve(ok({ first: { id: 'c' } })), { key: 'chat:gpt-4o-mini' });
    call.end(finished(ok(undefined), { operation: 'chat.stream' }), {
      ...meta,
      usage: { inputTokens: 3, outputTokens: 4, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 7 },
    });
    const { resourceMetrics } = await reader.collect();
    const names = resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((metric: MetricData) => metric.descriptor.name),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'gen_ai.client.operation.duration',
        'gen_ai.client.operation.time_to_first_chunk',
        'gen_ai.client.token.usage',
      ]),
    );
    const duration = resourceMetrics.scopeMetrics[0]?.metrics.find(
      (metric) => metric.descriptor.name === 'gen_ai.client.operation.duration',
    );
    expect(duration?.dataPoints[0]?.attributes).toMatchObject({ 'server.address': 'localhost', 'server.port': 80 });
  });

  it('ends an attempt span that throws or rejects, and lets the error through', async () => {
    const { exporter, tracerProvider } = traced();
    const telemetry = createOperationsTelemetry({ tracerProvider }, environment('not a url'));
    const call = telemetry.startCall('files.list', '');
    await expect(
      call.run(
        once,
        () => {
          throw new Error('sync');
        },
        { key: 'files:any' },
      ),
    ).rejects.toThrow('sync');
    await expect(call.run(once, () => Promise.reject(new Error('async')), {})).rejects.toThrow('async');
    const attempts = exporter.getFinishedSpans();
    expect(attempts.map((span) => [span.name, span.status.message])).toEqual([
      ['attempt any', 'the attempt threw'],
      ['attempt default', 'the attempt threw'],
    ]);
    call.end(
      finished(err(createError('ConnectionError', { message: 'reset', code: null })), {
        operation: 'files.list',
        model: '',
      }),
      { ...meta, model: '' },
    );
    const root = exporter.getFinishedSpans().find((span) => span.name === 'files.list');
    expect(root?.attributes['server.address']).toBeUndefined();
    expect(root?.attributes['error.type']).toBe('ConnectionError');
  });

  it('adds its hooks next to the caller’s own, and leaves pacing and breaker off when they are off', () => {
    const telemetry = createOperationsTelemetry({}, environment());
    const onRetry = vi.fn();
    const withHooks = telemetry.withTransportHooks({ retry: { onRetry }, pacing: false, breaker: false });
    expect(withHooks.pacing).toBe(false);
    expect(withHooks.breaker).toBe(false);
    const error = createError('ConnectionError', { message: 'reset', code: null });
    withHooks.retry?.onRetry?.({ key: 'chat:x', attempt: 1, delayMs: 5, fromRetryAfter: false, error });
    expect(onRetry).toHaveBeenCalledTimes(1);
    const plain = telemetry.withTransportHooks({});
    expect(typeof plain.pacing === 'object' && typeof plain.pacing.onWait).toBe('function');
    expect(typeof plain.breaker === 'object' && typeof plain.breaker.onStateChange).toBe('function');
  });

  it('does nothing at all when disabled, hooks included', () => {
    const { exporter, tracerProvider } = traced();
    const telemetry = createOperationsTelemetry({ enabled: false, tracerProvider }, environment());
    expect(telemetry.startCall('chat.create', 'gpt-4o-mini')).toBe(noopCall);
    const hooks = telemetry.withTransportHooks({});
    const error = createError('AbortedError', { message: 'stop', reason: null });
    hooks.retry?.onRetry?.({ key: 'k', attempt: 1, delayMs: 1, fromRetryAfter: true, error });
    if (typeof hooks.pacing === 'object') hooks.pacing.onWait?.({ key: 'k', waitMs: 1, reason: 'tokens' });
    if (typeof hooks.breaker === 'object')
      hooks.breaker.onStateChange?.({
        key: 'k',
        from: { type: 'closed' },
        to: { type: 'closed' },
        reason: 'reset',
        at: 0,
      } as never);
    telemetry.finish(finished(ok(undefined)), meta);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
