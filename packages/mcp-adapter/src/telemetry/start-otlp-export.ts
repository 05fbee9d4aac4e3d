import { context, metrics, propagation, trace } from '@opentelemetry/api';

/** OpenTelemetry export the binary started; see {@link startOtlpExport}. */
export interface OtlpExport {
  /** Exports what is still buffered and stops (call before the process exits). */
  shutdown(): Promise<void>;
}

const shutdownLimitMs = 5_000;

/** Where traces and metrics go, from the standard variables (a signal's own endpoint is used as it is). */
function endpointsOf(
  env: Readonly<Record<string, string | undefined>>,
): { readonly traces: string; readonly metrics: string | undefined } | undefined {
  const given = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const base = given('OTEL_EXPORTER_OTLP_ENDPOINT')?.replace(/\/+$/, '');
  const traces = given('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? (base === undefined ? undefined : `${base}/v1/traces`);
  if (traces === undefined) return undefined;
  return {
    traces,
    metrics: given('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT') ?? (base === undefined ? undefined : `${base}/v1/metrics`),
  };
}

/** The package's version, for `service.version`. */
async function packageVersion(): Promise<string> {
  try {
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      readonly version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version.slice(0, 64) : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Starts exporting the binary's spans and metrics over OTLP (HTTP, JSON) when the
 * standard `OTEL_EXPORTER_OTLP_ENDPOINT` (traces to `/v1/traces`, metrics to
 * `/v1/metrics` under it) or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (traces only, unless
 * `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` is set too) is set and `OTEL_SDK_DISABLED` is
 * not `true`: a tracer provider with a batching processor, a
 * meter provider with a periodic reader, W3C trace-context propagation (a trace
 * context a client sends in `_meta` becomes the parent) and an async-local context
 * manager (tool spans parent the operations' spans), registered globally. The
 * exporters read the other standard variables themselves from the process
 * environment (`OTEL_EXPORTER_OTLP_HEADERS`, timeouts, compression); `OTEL_SERVICE_NAME` names the service (default
 * `openai-mcp`). `shutdown` waits at most 5 s for the last export.
 *
 * Without the variable it does nothing and loads nothing of the SDK: the SDK packages
 * are optional dependencies, imported only here. When they are not installed, it
 * says so on `warn` and the binary runs without export.
 */
export async function startOtlpExport(
  env: Readonly<Record<string, string | undefined>>,
  warn: (message: string) => void,
): Promise<OtlpExport | undefined> {
  const endpoints = endpointsOf(env);
  if (endpoints === undefined || env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return undefined;
  let modules;
  try {
    modules = await Promise.all([
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/sdk-metrics'),
      import('@opentelemetry/exporter-metrics-otlp-http'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/core'),
    ]);
  } catch (thrown) {
    warn(
      `OpenTelemetry export is off: the optional SDK packages could not be loaded (${thrown instanceof Error ? thrown.message.slice(0, 200) : 'unknown error'}); install them to export spans`,
    );
    return undefined;
  }
  const [tracing, traceExport, metering, metricExport, contextHooks, resources, core] = modules;
  const resource = resources.resourceFromAttributes({
    'service.name': env['OTEL_SERVICE_NAME']?.slice(0, 256) ?? 'openai-mcp',
    'service.version': await packageVersion(),
  });
  const tracerProvider = new tracing.BasicTracerProvider({
    resource,
    spanProcessors: [new tracing.BatchSpanProcessor(new traceExport.OTLPTraceExporter({ url: endpoints.traces }))],
  });
  const meterProvider = new metering.MeterProvider({
    resource,
    readers:
      endpoints.metrics === undefined
        ? []
        : [
            new metering.PeriodicExportingMetricReader({
              exporter: new metricExport.OTLPMetricExporter({ url: endpoints.metrics }),
            }),
          ],
  });
  context.setGlobalContextManager(new contextHooks.AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    async shutdown() {
      // A collector that is down must not hold the process: what is not out in 5 s is dropped.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, shutdownLimitMs);
        timer.unref();
      });
      await Promise.race([Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]), deadline]);
      clearTimeout(timer);
    },
  };
}
