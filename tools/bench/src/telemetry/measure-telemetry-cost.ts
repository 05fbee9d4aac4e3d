// What OpenTelemetry costs a call of the operations, in three set-ups: telemetry off
// (the floor), on with no SDK registered (what every application pays that does not use
// OpenTelemetry), and on with an SDK whose exporters drop everything (what the
// recording itself costs, without any network).
//
// Two measurements:
// - the telemetry path alone: what a call runs of it (start the span, wrap the one
//   attempt, end the span and record the metrics), with a transport that answers at once;
// - a whole `chat.create` through the SDK with a `fetch` that answers from memory, so
//   that the figure is what a call costs more in the real pipeline.
//
// Rounds alternate the set-ups; the median of the rounds is printed (ns per call) and,
// unless `--quick`, written as the section "What telemetry costs" of BENCHMARKS.md.
// Run: pnpm --filter @openai-integration/bench telemetry [-- --quick]
import { createOperations, type TelemetryOptions } from '@openai-integration/operations';
import { createManualClock, type TransportOperation } from '@openai-integration/transport';
import type { IntegrationError } from '@openai-integration/core';
import { ExportResultCode } from '@opentelemetry/core';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ok, ResultAsync, type Result } from 'neverthrow';
import type { CallMeta } from '../../../../packages/operations/src/call/call-meta.ts';
import { createOperationsTelemetry } from '../../../../packages/operations/src/telemetry/create-operations-telemetry.ts';
import { mergeSections } from '../report/merge-sections.ts';

const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 9;
const pathCalls = quick ? 20_000 : 200_000;
const chatCalls = quick ? 2_000 : 20_000;

/** Exporters that drop everything at once. */
const dropSpans: SpanExporter = {
  export: (_spans, done) => {
    done({ code: ExportResultCode.SUCCESS });
  },
  shutdown: () => Promise.resolve(),
};
const dropMetrics: PushMetricExporter = {
  export: (_metrics, done) => {
    done({ code: ExportResultCode.SUCCESS });
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/** An SDK as an application sets it up (batching span processor, periodic metric reader), exporting nowhere. */
function droppingSdk(): { readonly options: TelemetryOptions; shutdown(): Promise<void> } {
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropSpans)] });
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: dropMetrics, exportIntervalMillis: 1_000 })],
  });
  return {
    options: { tracerProvider, meterProvider },
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const request = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], max_completion_tokens: 32 };
const completion = {
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!', refusal: null }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
};
const meta: CallMeta = {
  operation: 'chat.create',
  model: 'gpt-4o-mini-2024-07-18',
  requestId: 'req_1',
  attempts: 1,
  latencyMs: 1,
  rateLimit: null,
  skippedModels: [],
  usage: { inputTokens: 9, outputTokens: 2, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 11 },
  usageEstimated: false,
  costUsd: 0.0000025,
};
const sent = ok({ data: completion, requestId: 'req_1', rateLimit: null, attempts: 1 });
const signal = new AbortController().signal;
const info = { timeoutMs: 600_000, cancellable: false };
const transport = {
  execute: <T>(operation: TransportOperation<T>): ResultAsync<T, IntegrationError> =>
    new ResultAsync(Promise.resolve(operation(signal, 1, info))),
};
const operation: TransportOperation<typeof sent extends Result<infer T, IntegrationError> ? T : never> = () =>
  Promise.resolve(sent);

/** ns per call of the telemetry path: start, one attempt, finish. */
async function measurePath(options: TelemetryOptions): Promise<number> {
  const clock = createManualClock(1_700_000_000_000);
  const telemetry = createOperationsTelemetry(options, {
    clock,
    baseUrl: 'https://api.openai.com/v1',
    knownSecrets: () => [],
    semconvOptIn: undefined,
  });
  const started = process.hrtime.bigint();
  for (let index = 0; index < pathCalls; index += 1) {
    const call = telemetry.startCall('chat.create', 'gpt-4o-mini', request);
    const result = await call.run(transport, operation, { key: 'chat:gpt-4o-mini' });
    telemetry.finish(
      {
        operation: 'chat.create',
        model: meta.model,
        startedAt: 1_700_000_000_000,
        skipped: [],
        error: result.isErr() ? result.error : undefined,
        ...(result.isOk() ? { value: result.value } : {}),
        telemetry: call,
      },
      meta,
    );
  }
  return Number(process.hrtime.bigint() - started) / pathCalls;
}

/** ns per call of `chat.create` through the SDK with a fetch that answers from memory. */
async function measureChat(options: TelemetryOptions): Promise<number> {
  const body = JSON.stringify(completion);
  const headers = { 'content-type': 'application/json', 'x-request-id': 'req_1' };
  const fetchFromMemory: typeof fetch = () => Promise.resolve(new Response(body, { status: 200, headers }));
  const created = createOperations({
    load: { apiKey: 'sk-bench-0000', model: 'gpt-4o-mini', env: {}, envFile: false },
    fetch: fetchFromMemory,
    telemetry: options,
  });
  if (created.isErr()) throw new Error(created.error.message);
  const operations = created.value;
  const messages = [{ role: 'user' as const, content: 'Say hello' }];
  const started = process.hrtime.bigint();
  for (let index = 0; index < chatCalls; index += 1) {
    const answer = await operations.chat.create({ messages, max_completion_tokens: 32 });
    if (answer.isErr()) throw new Error(answer.error.message);
  }
  return Number(process.hrtime.bigint() - started) / chatCalls;
}

const sdk = droppingSdk();
const setups: readonly (readonly [string, TelemetryOptions])[] = [
  ['telemetry off', { enabled: false }],
  ['no SDK registered', {}],
  ['SDK, exporters dropping all', sdk.options],
];
const results = new Map<string, { path: number[]; chat: number[] }>(
  setups.map(([name]) => [name, { path: [], chat: [] }]),
);
// Warm-up: every set-up once, untimed.
for (const [, options] of setups) {
  await measurePath(options);
  await measureChat(options);
}
for (let round = 0; round < rounds; round += 1) {
  const order = round % 2 === 0 ? setups : [...setups].reverse();
  for (const [name, options] of order) {
    const entry = results.get(name);
    entry?.path.push(await measurePath(options));
    entry?.chat.push(await measureChat(options));
  }
  process.stderr.write(`round ${round + 1}/${rounds}\n`);
}
await sdk.shutdown();

const floor = results.get('telemetry off');
const noSdk = results.get('no SDK registered');
if (floor === undefined || noSdk === undefined) throw new Error('a set-up has no results');
const lines = [
  '| set-up | telemetry path, ns per call | over off, ns | `chat.create` from memory, ns per call | over off, ns |',
  '| --- | ---: | ---: | ---: | ---: |',
];
for (const [name] of setups) {
  const entry = results.get(name);
  if (entry === undefined) continue;
  const path = median(entry.path);
  const chat = median(entry.chat);
  lines.push(
    `| ${name} | ${path.toFixed(0)} | ${(path - median(floor.path)).toFixed(0)} | ${chat.toFixed(0)} | ${(chat - median(floor.chat)).toFixed(0)} |`,
  );
}
// The target is read on the telemetry path, which isolates it; a whole call varies by
// more than that from one round to the next, so its difference is shown, not judged.
const addedNoSdk = median(noSdk.path) - median(floor.path);
const section = [
  '## What telemetry costs',
  '',
  'What OpenTelemetry adds to a call of the operations (`src/telemetry/measure-telemetry-cost.ts`, `pnpm --filter @openai-integration/bench telemetry`): with telemetry off (the floor), on with no SDK registered (what an application that does not use OpenTelemetry pays), and on with an SDK (batching span processor, periodic metric reader) whose exporters drop everything (the recording itself, without a network). The telemetry path is what a call runs of it (start the span, wrap the one attempt, end the span, record the metrics) with a transport that answers at once; `chat.create` is a whole call through the SDK with a `fetch` that answers from memory. Set-ups alternate round by round; each figure is the median of the rounds.',
  '',
  ...lines,
  '',
  `Target: under 2 µs (2,000 ns) per call with no SDK registered, on the telemetry path. Measured: ${addedNoSdk.toFixed(0)} ns, ${addedNoSdk < 2_000 ? 'met' : 'NOT met'}. The difference of whole calls varies from round to round by more than that (a call is about 100 µs here), so it is shown, not judged.`,
  '',
  `Node ${process.version}, ${os.cpus().length} cores, ${rounds} rounds of ${pathCalls.toLocaleString('en-US')} path calls and ${chatCalls.toLocaleString('en-US')} chat calls; load average ${(os.loadavg()[0] ?? 0).toFixed(2)} at the end.`,
].join('\n');
process.stdout.write(`${section}\n`);
if (!quick) {
  const page = fileURLToPath(new URL('../../../../BENCHMARKS.md', import.meta.url));
  writeFileSync(
    page,
    mergeSections(readFileSync(page, 'utf8'), [{ case: null, marker: '## What telemetry costs', markdown: section }]),
  );
  process.stderr.write(`wrote ${page}\n`);
}
