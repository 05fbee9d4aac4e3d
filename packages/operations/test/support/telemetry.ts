import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/** A metric reader that collects when asked, with no timer. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Spans and metrics captured in memory with the official SDK's exporter and reader. */
export interface TelemetryCapture {
  readonly tracerProvider: BasicTracerProvider;
  readonly meterProvider: MeterProvider;
  readonly exporter: InMemorySpanExporter;
  /** The finished spans, in the order they ended. */
  spans(): readonly ReadableSpan[];
  /** The one finished span with that name (fails the test when there is not exactly one). */
  span(name: string): ReadableSpan;
  /** The spans whose parent is `parent`, in the order they started. */
  children(parent: ReadableSpan): readonly ReadableSpan[];
  /** Collects the metrics and returns the one named `name`, or undefined. */
  metric(name: string): Promise<MetricData | undefined>;
  shutdown(): Promise<void>;
}

export function createTelemetryCapture(): TelemetryCapture {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spans = (): readonly ReadableSpan[] => exporter.getFinishedSpans();
  return {
    tracerProvider,
    meterProvider,
    exporter,
    spans,
    span(name) {
      const found = spans().filter((span) => span.name === name);
      if (found.length !== 1)
        throw new Error(
          `expected one span named ${name}, found ${found.length}: ${spans()
            .map((span) => span.name)
            .join(', ')}`,
        );
      return found[0]!;
    },
    children(parent) {
      return spans()
        .filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId)
        .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    },
    async metric(name) {
      const { resourceMetrics } = await reader.collect();
      for (const scope of resourceMetrics.scopeMetrics) {
        const found = scope.metrics.find((metric) => metric.descriptor.name === name);
        if (found !== undefined) return found;
      }
      return undefined;
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The data points of a metric whose attributes include `match`. */
export function pointsOf<T = number | Histogram>(
  metric: MetricData | undefined,
  match: Attributes = {},
): DataPoint<T>[] {
  if (metric === undefined) return [];
  return (metric.dataPoints as DataPoint<T>[]).filter((point) =>
    Object.entries(match).every(([key, value]) => point.attributes[key] === value),
  );
}

/** A span's start in ms since the epoch. */
export const startMs = (span: ReadableSpan): number => span.startTime[0] * 1_000 + span.startTime[1] / 1e6;
/** A span's end in ms since the epoch. */
export const endMs = (span: ReadableSpan): number => span.endTime[0] * 1_000 + span.endTime[1] / 1e6;
