import type { IntegrationError } from '@openai-integration/core';
import { createOperations, type OperationsOptions } from '@openai-integration/operations';
import type { OpenAISimulator } from '@openai-integration/testkit';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { renderSpanTree } from './span-tree.ts';
import type { Style, Terminal } from './terminal.ts';

/**
 * One call that a 429 and two 503s push to its fallback model, recorded by the
 * OpenTelemetry SDK into memory and drawn as the span tree a tracing back end shows.
 */
export async function showSpanTree(options: {
  readonly note: (text: string) => void;
  readonly out: Terminal;
  readonly style: Style;
  readonly simulator: OpenAISimulator;
  readonly simulated: OperationsOptions;
  readonly fail: (step: string, error: IntegrationError) => void;
}): Promise<void> {
  const { note, out, style, simulator, simulated, fail } = options;
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const operations = createOperations({ ...simulated, telemetry: { tracerProvider } })._unsafeUnwrap();
  simulator.enqueue(
    'chat.completions',
    { type: 'rate-limit', retryAfterMs: 1_000 },
    { type: 'status', status: 503, message: 'The server is overloaded' },
    { type: 'status', status: 503, message: 'The server is overloaded' },
  );
  const result = await operations.chat.create(
    { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }], max_completion_tokens: 40 },
    { fallback: ['gpt-4o-mini'], retry: { maxRetries: 2, jitter: 'none' } },
  );
  await tracerProvider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await tracerProvider.shutdown();
  if (result.isErr()) {
    fail('span tree', result.error);
    return;
  }
  for (const line of renderSpanTree(spans, style)) out.line(line);
  const root = spans.find((span) => span.parentSpanContext === undefined);
  const attribute = (name: string): string => {
    const value = root?.attributes[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '-';
  };
  note(
    `gen_ai.operation.name ${attribute('gen_ai.operation.name')} · gen_ai.response.model ${attribute('gen_ai.response.model')} · ${attribute('gen_ai.usage.input_tokens')} in / ${attribute('gen_ai.usage.output_tokens')} out tokens`,
  );
  note('recorded by the OpenTelemetry SDK into memory; an application without an SDK records nothing of it');
}
