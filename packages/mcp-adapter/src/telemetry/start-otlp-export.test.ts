import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startOtlpExport } from './start-otlp-export.ts';

let collector: Server;
const received: string[] = [];

beforeEach(async () => {
  received.length = 0;
  collector = createServer((request, response) => {
    received.push(request.url ?? '');
    request.resume();
    request.on('end', () => response.writeHead(200).end('{}'));
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  await new Promise((resolve) => collector.close(resolve));
  trace.disable();
  metrics.disable();
  context.disable();
  propagation.disable();
  vi.doUnmock('@opentelemetry/exporter-trace-otlp-http');
  vi.resetModules();
});

describe('startOtlpExport', () => {
  it('does nothing without an endpoint, with a blank one, or with the SDK disabled', async () => {
    const warn = vi.fn();
    expect(await startOtlpExport({}, warn)).toBeUndefined();
    expect(await startOtlpExport({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, warn)).toBeUndefined();
    expect(
      await startOtlpExport({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'TRUE' }, warn),
    ).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  });

  it('registers a recording tracer provider for the endpoint, and exports what is left when it shuts down', async () => {
    const { port } = collector.address() as AddressInfo;
    const started = await startOtlpExport({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }, vi.fn());
    expect(started).toBeDefined();
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(true);
    span.end();
    await started?.shutdown();
    expect(received).toContain('/v1/traces');
  }, 30_000);

  it('exports traces only to a traces endpoint of its own', async () => {
    const { port } = collector.address() as AddressInfo;
    const started = await startOtlpExport(
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/custom/traces` },
      vi.fn(),
    );
    trace.getTracer('probe').startSpan('probe').end();
    metrics.getMeter('probe').createCounter('probe').add(1);
    await started?.shutdown();
    expect(received).toEqual(['/custom/traces']);
  }, 30_000);

  it('says why and goes on without export when the SDK packages cannot be loaded', async () => {
    vi.doMock('@opentelemetry/exporter-trace-otlp-http', () => {
      throw new Error('Cannot find package');
    });
    const { startOtlpExport: start } = await import('./start-otlp-export.ts');
    const warn = vi.fn();
    expect(await start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, warn)).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^OpenTelemetry export is off: the optional SDK packages could not be loaded/),
    );
  });
});
