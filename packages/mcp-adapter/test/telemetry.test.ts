import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useHarness } from './support/harness.ts';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();
const start = useHarness();
const hello = { messages: [{ role: 'user', content: 'Say hello' }] };

beforeAll(() => {
  // What an application's SDK set-up (or the binary with OTEL_EXPORTER_OTLP_ENDPOINT) registers.
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(async () => {
  trace.disable();
  context.disable();
  propagation.disable();
  await provider.shutdown();
});
afterEach(() => {
  exporter.reset();
});

const named = (name: string): ReadableSpan => {
  const found = exporter.getFinishedSpans().filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span ${name}, got ${found.length}`);
  return found[0]!;
};

describe('tool call spans', () => {
  it('makes each tool call a SERVER span that is the parent of the operation it runs', async () => {
    const { call } = await start();
    const result = await call('openai_chat', hello);
    expect(result.isError).toBeFalsy();
    const tool = named('tools/call openai_chat');
    expect(tool.kind).toBe(SpanKind.SERVER);
    expect(tool.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'openai_chat',
      'jsonrpc.request.id': expect.any(String) as unknown,
    });
    const operation = named('chat gpt-4o-mini');
    expect(operation.parentSpanContext?.spanId).toBe(tool.spanContext().spanId);
    expect(operation.spanContext().traceId).toBe(tool.spanContext().traceId);
    const [attempt] = exporter.getFinishedSpans().filter((span) => span.name.startsWith('attempt '));
    expect(attempt?.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
  });

  it('marks a tool error with the error’s tag', async () => {
    const { call, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'status', status: 400, message: 'bad request' });
    const result = await call('openai_chat', hello);
    expect(result.isError).toBe(true);
    const tool = named('tools/call openai_chat');
    expect(tool.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the tool returned an error' });
    expect(tool.attributes['error.type']).toBe('BadRequestError');
  });

  it('continues the trace a client sends in _meta.traceparent', async () => {
    const { client } = await start();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await client.callTool({
      name: 'openai_list_models',
      arguments: {},
      _meta: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    const tool = named('tools/call openai_list_models');
    expect(tool.spanContext().traceId).toBe(traceId);
    expect(tool.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });
});
