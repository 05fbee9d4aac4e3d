import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ServerContext } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { runInToolSpan } from './run-in-tool-span.ts';

const ctx = (extra: Partial<ServerContext> = {}): ServerContext =>
  ({ mcpReq: { id: 7, method: 'tools/call' }, ...extra }) as unknown as ServerContext;

afterEach(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});

function traced(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  return exporter;
}

describe('runInToolSpan', () => {
  it('only runs the tool when no SDK is registered', async () => {
    const result = { content: [] };
    expect(await runInToolSpan('openai_chat', ctx(), () => Promise.resolve(result))).toBe(result);
  });

  it('names the session, and marks a tool error without fields as tool_error', async () => {
    const exporter = traced();
    await runInToolSpan('openai_embed', ctx({ sessionId: 'session-1' }), () =>
      Promise.resolve({ isError: true, content: [] }),
    );
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toMatchObject({
      'mcp.session.id': 'session-1',
      'jsonrpc.request.id': '7',
      'error.type': 'tool_error',
    });
  });

  it('ends the span of a tool that throws, and lets the exception through', async () => {
    const exporter = traced();
    await expect(runInToolSpan('openai_chat', ctx(), () => Promise.reject(new Error('defect')))).rejects.toThrow(
      'defect',
    );
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'the tool threw' });
    expect(span?.attributes['error.type']).toBe('exception');
  });

  it('takes the parent from _meta, reading only strings, each bounded', async () => {
    const exporter = traced();
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await runInToolSpan(
      'openai_chat',
      ctx({
        mcpReq: {
          id: 'r1',
          method: 'tools/call',
          _meta: { traceparent: `00-${traceId}-b7ad6b7169203331-01`, tracestate: 42 },
        },
      } as unknown as Partial<ServerContext>),
      () => Promise.resolve({ content: [] }),
    );
    expect(exporter.getFinishedSpans()[0]?.spanContext().traceId).toBe(traceId);
  });
});
