// OpenTelemetry: register an SDK once at start-up, before creating the operations; every
// call then records a span (with a child span per attempt) and the GenAI metrics.
// Here the SDK prints to the console; an application uses its OTLP exporters instead.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { createOperations } from '@openai-integration/operations';

// The context manager carries the active span across awaits (NodeSDK registers one too):
// a call's span becomes the child of the application's span around it.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())] });
trace.setGlobalTracerProvider(tracerProvider);
const meterProvider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: 60_000 })],
});
metrics.setGlobalMeterProvider(meterProvider);

const operations = createOperations({
  // Optional: the defaults read the global providers and OTEL_SEMCONV_STABILITY_OPT_IN,
  // and never record prompts or completions.
  telemetry: { captureContent: false },
})._unsafeUnwrap();

await trace.getTracer('my-app').startActiveSpan('answer the user', async (span) => {
  // `chat gpt-4.1-mini` (kind CLIENT) is recorded as a child of `answer the user`.
  const answer = await operations.chat.create({ messages: [{ role: 'user', content: 'Say hello.' }] });
  if (answer.isOk()) console.log(answer.value.value.text);
  span.end();
});

await tracerProvider.shutdown();
await meterProvider.shutdown();
