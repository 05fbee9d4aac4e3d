import type { IntegrationError } from '@openai-integration/core';
import type {
  BreakerStateChange,
  Clock,
  ExecuteOptions,
  PacingWaitEvent,
  RetryEvent,
  Transport,
  TransportOperation,
  TransportOptions,
} from '@openai-integration/transport';
import {
  context as otelContext,
  createContextKey,
  createNoopMeter,
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Counter,
  type Histogram,
  type Meter,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { Result } from 'neverthrow';
import type { CallMeta, SkippedModel } from '../call/call-meta.ts';
import {
  durationBuckets,
  genAiAttributes,
  generalAttributes,
  projectAttributes,
  telemetryEvents,
  telemetryMetrics,
  tokenUsageBuckets,
} from './attributes.ts';
import { outputMessages, promptMessages, serializeContent, type CapturedMessage } from './content-capture.ts';
import { requestAttributes } from './request-attributes.ts';
import { responseAttributes } from './response-attributes.ts';
import { conventionNames, conventionsFromOptIn } from './semantic-conventions.ts';
import type { TelemetryOptions } from './telemetry-options.ts';

/** What the span and metrics of a finished call read of it. */
export interface FinishedCall {
  readonly operation: string;
  readonly model: string;
  readonly startedAt: number;
  readonly skipped: readonly SkippedModel[];
  /** Why the call failed; undefined when it succeeded. */
  readonly error: IntegrationError | undefined;
  /** What the call answered; absent when it failed. */
  readonly value?: unknown;
  /** The call's handle, when it was started with the call (else its span is made now). */
  readonly telemetry?: CallTelemetry;
}

/** What one call reports to OpenTelemetry while it runs; see {@link OperationsTelemetry.startCall}. */
export interface CallTelemetry {
  /**
   * Runs `transport.execute` for one model of the call: each attempt becomes a child span
   * of the call's span (its number, the wait before it and why, the circuit state it
   * met, its outcome), and a run after a failed one is a fallback hop.
   */
  run<T>(
    transport: Pick<Transport, 'execute'>,
    operation: TransportOperation<T>,
    options: ExecuteOptions<T>,
  ): Promise<Result<T, IntegrationError>>;
  /** Ends the call's span and records its metrics (called by `reportCall`). */
  end(call: FinishedCall, meta: CallMeta): void;
}

/** The operations' link to OpenTelemetry: spans per call, metrics, and the transport's events. */
export interface OperationsTelemetry {
  /**
   * Starts the span of a call (`{operation} {model}`, kind CLIENT, a child of the active
   * context). Returns a handle that does nothing when neither a span nor a metric is
   * recorded (no SDK registered).
   */
  startCall(operation: string, model: string, request?: unknown, startedAt?: number): CallTelemetry;
  /** Ends a call's span and records its metrics; a call that had no handle gets a span after the fact. */
  finish(call: FinishedCall, meta: CallMeta): void;
  /** Transport options with the telemetry's retry, pacing and breaker hooks added to any already there. */
  withTransportHooks(options: TransportOptions): TransportOptions;
}

/** What {@link createOperationsTelemetry} needs besides the options. */
export interface TelemetryEnvironment {
  readonly clock: Clock;
  /** The API's base URL, for `server.address` and `server.port`. */
  readonly baseUrl: string;
  /** The key values in use, scrubbed from captured content. */
  readonly knownSecrets: () => readonly string[];
  /** `OTEL_SEMCONV_STABILITY_OPT_IN` as the process has it. */
  readonly semconvOptIn: string | undefined;
}

const scopeName = '@openai-integration/operations';
const callKey = createContextKey('@openai-integration/operations call');

/** A handle that records nothing (telemetry off, or no SDK registered); also what a call without a handle runs through. */
export const noopCall: CallTelemetry = {
  run: (transport, operation, options) => Promise.resolve(transport.execute(operation, options)),
  end: () => undefined,
};

type Fields = Readonly<Record<string, unknown>>;
const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null;

/** The model of a transport key (`endpoint:model`). */
const modelOfKey = (key: string): string => key.slice(key.indexOf(':') + 1);

/**
 * The conventions' operation name of an operation of this package: `chat` for chat
 * completions and model calls of the Responses API, `embeddings` for embeddings, and
 * the operation itself (`files.list`, `moderations.create`, ...) for the rest, which
 * the conventions do not name.
 */
export function genAiOperationName(operation: string): string {
  if (operation.startsWith('chat.')) return 'chat';
  if (operation === 'responses.create' || operation === 'responses.stream' || operation === 'responses.resume')
    return 'chat';
  if (operation.startsWith('embeddings.')) return 'embeddings';
  return operation;
}

/** `openai.api.type` of an operation, under the latest conventions. */
function apiTypeOf(operation: string): string | undefined {
  if (operation.startsWith('chat.')) return 'chat_completions';
  if (operation.startsWith('responses.')) return 'responses';
  return undefined;
}

/** Host and port of the base URL (the scheme's default port when it names none). */
function serverOf(baseUrl: string): { readonly address: string; readonly port: number } | undefined {
  try {
    const url = new URL(baseUrl);
    const port = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
    return { address: url.hostname, port };
  } catch {
    return undefined;
  }
}

const isStreaming = (operation: string): boolean => operation.endsWith('.stream') || operation.endsWith('.resume');

/** The response data an attempt's value carries: a sent call's `data`, or the first chunk of an opened stream. */
function responseOf(value: unknown): unknown {
  if (!isFields(value)) return undefined;
  if ('data' in value) return value['data'];
  if ('first' in value) return value['first'];
  return undefined;
}

/** The request id an attempt's value carries. */
function requestIdOf(value: unknown): string | undefined {
  if (!isFields(value)) return undefined;
  const stream = value['stream'];
  const id = value['requestId'] ?? (isFields(stream) ? stream['requestId'] : undefined);
  return typeof id === 'string' ? id : undefined;
}

/**
 * Creates the operations' telemetry: a tracer and the metric instruments from the
 * given providers (default: the global ones), and the hooks that turn the transport's
 * retry, pacing and breaker events into span events and metrics.
 *
 * Throws a TypeError for a `maxContentLength` that is not a positive integer.
 */
export function createOperationsTelemetry(
  options: TelemetryOptions,
  environment: TelemetryEnvironment,
): OperationsTelemetry {
  const maxContentLength = options.maxContentLength ?? 16_384;
  if (!Number.isInteger(maxContentLength) || maxContentLength <= 0)
    throw new TypeError(`telemetry.maxContentLength must be a positive integer, got ${maxContentLength}`);
  const enabled = options.enabled !== false;
  const names = conventionNames(options.conventions ?? conventionsFromOptIn(environment.semconvOptIn));
  const tracer: Tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(scopeName);
  const meter: Meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(scopeName);
  const metricsOn = enabled && meter !== createNoopMeter();
  const instruments = metricsOn ? createInstruments(meter) : undefined;
  const { clock } = environment;
  const server = serverOf(environment.baseUrl);
  const captureContent = options.captureContent === true;
  const content = (messages: readonly CapturedMessage[]): string =>
    serializeContent(messages, { knownSecrets: environment.knownSecrets, maxLength: maxContentLength });

  // The circuit state last reported per key (bounded: the oldest key goes first).
  const circuitStates = new Map<string, string>();
  const maxCircuitKeys = 1_000;
  instruments?.circuitState.addCallback((result) => {
    for (const [key, state] of circuitStates) {
      for (const candidate of ['closed', 'open', 'half-open']) {
        result.observe(candidate === state ? 1 : 0, {
          [projectAttributes.transportKey]: key,
          [projectAttributes.circuitState]: candidate,
        });
      }
    }
  });
  // Which call an attempt's error belongs to, for the retry hook (no context manager needed).
  const owners = new WeakMap<IntegrationError, CallRecorder>();
  const activeCall = (): CallRecorder | undefined => otelContext.active().getValue(callKey) as CallRecorder | undefined;

  /** Attributes shared by the span and the metrics of a call. */
  const baseAttributes = (operation: string, model: string): Attributes => {
    const attributes: Attributes = {
      [genAiAttributes.operationName]: genAiOperationName(operation),
      [names.provider]: 'openai',
    };
    if (model !== '') attributes[genAiAttributes.requestModel] = model;
    if (server !== undefined) {
      attributes[generalAttributes.serverAddress] = server.address;
      attributes[generalAttributes.serverPort] = server.port;
    }
    return attributes;
  };

  class CallRecorder implements CallTelemetry {
    readonly recording: boolean;
    readonly context: Context;
    private lastEnd: number;
    private retry: RetryEvent | undefined;
    private pacing: PacingWaitEvent | undefined;
    private failedRun: { readonly model: string; readonly error: IntegrationError } | undefined;
    private firstChunkAt: number | undefined;
    private lastResponse: unknown;

    readonly operation: string;
    readonly model: string;
    readonly span: Span;
    readonly startedAt: number;

    constructor(operation: string, model: string, span: Span, startedAt: number) {
      this.operation = operation;
      this.model = model;
      this.span = span;
      this.startedAt = startedAt;
      this.recording = span.isRecording();
      this.lastEnd = startedAt;
      this.context = trace.setSpan(otelContext.active(), span).setValue(callKey, this);
    }

    run<T>(
      transport: Pick<Transport, 'execute'>,
      operation: TransportOperation<T>,
      executeOptions: ExecuteOptions<T>,
    ): Promise<Result<T, IntegrationError>> {
      const key = executeOptions.key ?? 'default';
      const model = modelOfKey(key);
      const previous = this.failedRun;
      if (previous !== undefined && this.recording) {
        this.span.addEvent(
          telemetryEvents.fallback,
          {
            [projectAttributes.fallbackFrom]: previous.model,
            [projectAttributes.fallbackTo]: model,
            [projectAttributes.fallbackReason]: previous.error._tag,
          },
          clock.now(),
        );
      }
      const wrapped: TransportOperation<T> = (signal, attempt, info) =>
        this.attempt(key, model, attempt, () => operation(signal, attempt, info));
      const running = this.recording
        ? otelContext.with(this.context, () => Promise.resolve(transport.execute(wrapped, executeOptions)))
        : Promise.resolve(transport.execute(wrapped, executeOptions));
      return running.then((result) => {
        if (result.isErr()) this.ranInto(key, model, result.error);
        return result;
      });
    }

    /** Notes a model's run that failed: the reason of a fallback hop, a refusal by the circuit or by pacing. */
    private ranInto(key: string, model: string, error: IntegrationError): void {
      this.failedRun = { model, error };
      if (error._tag === 'RateLimitError' && error.origin === 'client')
        instruments?.rateLimited.add(1, {
          [projectAttributes.rateLimitOrigin]: 'client',
          [projectAttributes.transportKey]: key,
        });
      if (error._tag === 'CircuitOpenError' && this.recording)
        this.span.setAttribute(projectAttributes.circuitState, 'open');
    }

    /** Runs one attempt as a child span of the call. */
    private attempt<T>(
      key: string,
      model: string,
      number: number,
      run: () => ReturnType<TransportOperation<T>>,
    ): Promise<Result<T, IntegrationError>> {
      const now = clock.now();
      const retry = this.retry;
      const pacing = this.pacing;
      this.retry = undefined;
      this.pacing = undefined;
      let span: Span | undefined;
      if (this.recording) {
        const attributes: Attributes = {
          [projectAttributes.attemptNumber]: number,
          [projectAttributes.attemptWaitMs]: now - this.lastEnd,
          [projectAttributes.transportKey]: key,
          [projectAttributes.circuitState]: circuitStates.get(key) ?? 'closed',
          [genAiAttributes.requestModel]: model,
        };
        if (retry !== undefined) {
          attributes[projectAttributes.retryDelayMs] = retry.delayMs;
          attributes[projectAttributes.retryReason] = retry.fromRetryAfter ? 'retry-after' : 'backoff';
          attributes[projectAttributes.retryErrorType] = retry.error._tag;
        }
        if (pacing !== undefined) {
          attributes[projectAttributes.pacingWaitMs] = pacing.waitMs;
          attributes[projectAttributes.pacingReason] = pacing.reason;
        }
        span = tracer.startSpan(
          `attempt ${model}`,
          { kind: SpanKind.INTERNAL, startTime: now, attributes },
          this.context,
        );
      }
      const attemptSpan = span;
      let pending: ReturnType<TransportOperation<T>>;
      try {
        pending = attemptSpan === undefined ? run() : otelContext.with(trace.setSpan(this.context, attemptSpan), run);
      } catch (thrown) {
        this.attemptThrew(attemptSpan);
        throw thrown;
      }
      return Promise.resolve(pending).then(
        (result) => {
          this.attemptEnded(attemptSpan, key, result);
          return result;
        },
        (thrown: unknown) => {
          this.attemptThrew(attemptSpan);
          throw thrown;
        },
      );
    }

    private attemptThrew(span: Span | undefined): void {
      this.lastEnd = clock.now();
      span?.setStatus({ code: SpanStatusCode.ERROR, message: 'the attempt threw' });
      span?.end(this.lastEnd);
    }

    private attemptEnded<T>(span: Span | undefined, key: string, result: Result<T, IntegrationError>): void {
      const now = clock.now();
      this.lastEnd = now;
      if (result.isOk()) {
        this.lastResponse = responseOf(result.value);
        if (this.firstChunkAt === undefined && isStreaming(this.operation)) {
          this.firstChunkAt = now;
          if (this.recording) {
            this.span.addEvent(telemetryEvents.firstChunk, undefined, now);
            this.span.setAttribute(genAiAttributes.responseTimeToFirstChunk, (now - this.startedAt) / 1000);
          }
        }
        if (span !== undefined) {
          const requestId = requestIdOf(result.value);
          if (requestId !== undefined) span.setAttribute(projectAttributes.requestId, requestId);
          span.end(now);
        }
        return;
      }
      const error = result.error;
      owners.set(error, this);
      const status = 'status' in error && typeof error.status === 'number' ? error.status : undefined;
      if (error._tag === 'RateLimitError' || error._tag === 'QuotaExceededError')
        instruments?.rateLimited.add(1, {
          [projectAttributes.rateLimitOrigin]: 'server',
          [projectAttributes.transportKey]: key,
          [generalAttributes.errorType]: error._tag,
        });
      if (span === undefined) return;
      span.setAttribute(generalAttributes.errorType, error._tag);
      if (status !== undefined) span.setAttribute(generalAttributes.httpResponseStatusCode, status);
      if ('requestId' in error && typeof error.requestId === 'string')
        span.setAttribute(projectAttributes.requestId, error.requestId);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      span.end(now);
    }

    /** The retry policy decided to wait before the next attempt. */
    retried(event: RetryEvent): void {
      this.retry = event;
      if (!this.recording) return;
      this.span.addEvent(
        telemetryEvents.retry,
        {
          [projectAttributes.transportKey]: event.key,
          [projectAttributes.attemptNumber]: event.attempt,
          [projectAttributes.retryDelayMs]: event.delayMs,
          [projectAttributes.retryReason]: event.fromRetryAfter ? 'retry-after' : 'backoff',
          [projectAttributes.retryErrorType]: event.error._tag,
        },
        clock.now(),
      );
    }

    /** Pacing held the next attempt back. */
    paced(event: PacingWaitEvent): void {
      this.pacing = event;
      if (!this.recording) return;
      this.span.addEvent(
        telemetryEvents.pacingWait,
        {
          [projectAttributes.transportKey]: event.key,
          [projectAttributes.pacingWaitMs]: event.waitMs,
          [projectAttributes.pacingReason]: event.reason,
        },
        clock.now(),
      );
    }

    /** A circuit changed state during this call (its outcome, or its probe). */
    circuitChanged(change: BreakerStateChange): void {
      if (!this.recording) return;
      this.span.addEvent(
        telemetryEvents.circuitChange,
        {
          [projectAttributes.transportKey]: change.key,
          [projectAttributes.circuitFrom]: change.from.type,
          [projectAttributes.circuitTo]: change.to.type,
          [projectAttributes.circuitReason]: change.reason,
        },
        clock.now(),
      );
    }

    end(call: FinishedCall, meta: CallMeta): void {
      const now = clock.now();
      const { error, value } = call;
      if (this.recording) this.describe(call, meta, error, value, now);
      if (instruments !== undefined) this.measure(call, meta, error, now);
    }

    private describe(
      call: FinishedCall,
      meta: CallMeta,
      error: IntegrationError | undefined,
      value: unknown,
      now: number,
    ): void {
      const span = this.span;
      const response = { ...responseAttributes(this.lastResponse, names), ...responseAttributes(value, names) };
      if (response[genAiAttributes.responseModel] === undefined && error === undefined && meta.model !== '')
        response[genAiAttributes.responseModel] = meta.model;
      span.setAttributes(response);
      span.setAttribute(projectAttributes.attempts, meta.attempts);
      if (meta.requestId !== null) span.setAttribute(projectAttributes.requestId, meta.requestId);
      if (meta.usage !== null) {
        span.setAttribute(genAiAttributes.usageInputTokens, meta.usage.inputTokens);
        span.setAttribute(genAiAttributes.usageOutputTokens, meta.usage.outputTokens);
        if (meta.usageEstimated) span.setAttribute(projectAttributes.usageEstimated, true);
      }
      if (meta.costUsd !== null) span.setAttribute(projectAttributes.costUsd, meta.costUsd);
      for (const skipped of call.skipped) {
        if (skipped.errorTag !== null) continue;
        span.addEvent(
          telemetryEvents.fallbackSkipped,
          { [genAiAttributes.requestModel]: skipped.model, [projectAttributes.fallbackReason]: skipped.reason },
          now,
        );
      }
      if (captureContent) {
        const output = outputMessages(value) ?? (error === undefined ? outputMessages(this.lastResponse) : undefined);
        const partial = error?._tag === 'StreamInterruptedError' ? outputMessages(error.partial) : undefined;
        const messages = output ?? partial;
        if (messages !== undefined && messages.length > 0) {
          if (names.conventions === 'latest') span.setAttribute(genAiAttributes.outputMessages, content(messages));
          else span.addEvent(telemetryEvents.completion, { [genAiAttributes.completion]: content(messages) }, now);
        }
      }
      if (error !== undefined) this.describeError(error, now);
      span.end(now);
    }

    private describeError(error: IntegrationError, now: number): void {
      const span = this.span;
      span.setAttribute(generalAttributes.errorType, error._tag);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      switch (error._tag) {
        case 'BudgetExceededError':
          span.addEvent(
            telemetryEvents.budgetRefused,
            {
              [projectAttributes.budgetUnit]: error.unit,
              [projectAttributes.budgetScope]: error.scope,
              [projectAttributes.budgetLimit]: error.limit,
              [projectAttributes.budgetUsed]: error.used,
              [projectAttributes.budgetRequested]: error.requested,
            },
            now,
          );
          return;
        case 'StreamInterruptedError':
          span.setAttribute(projectAttributes.streamInterruption, error.reason);
          span.addEvent(
            telemetryEvents.streamInterrupted,
            {
              [projectAttributes.streamInterruption]: error.reason,
              [projectAttributes.streamEvents]: error.partial.eventsReceived,
              [projectAttributes.streamCharacters]: error.partial.text.length,
              [projectAttributes.streamToolCalls]: error.partial.toolCalls.length,
            },
            now,
          );
          return;
        case 'RateLimitError':
          span.setAttribute(projectAttributes.rateLimitOrigin, error.origin);
          return;
        default:
          return;
      }
    }

    private measure(call: FinishedCall, meta: CallMeta, error: IntegrationError | undefined, now: number): void {
      /* v8 ignore next -- measure runs only with instruments */
      if (instruments === undefined) return;
      const attributes = baseAttributes(call.operation, this.model);
      if (meta.model !== '' && error === undefined) attributes[genAiAttributes.responseModel] = meta.model;
      if (error !== undefined) attributes[generalAttributes.errorType] = error._tag;
      instruments.duration.record((now - this.startedAt) / 1000, attributes);
      if (this.firstChunkAt !== undefined)
        instruments.timeToFirstChunk.record((this.firstChunkAt - this.startedAt) / 1000, attributes);
      if (meta.usage !== null && !meta.usageEstimated) {
        const { [generalAttributes.errorType]: _error, ...tokenAttributes } = attributes;
        instruments.tokenUsage.record(meta.usage.inputTokens, {
          ...tokenAttributes,
          [genAiAttributes.tokenType]: 'input',
        });
        instruments.tokenUsage.record(meta.usage.outputTokens, {
          ...tokenAttributes,
          [genAiAttributes.tokenType]: 'output',
        });
      }
      if (meta.costUsd !== null && meta.costUsd > 0)
        instruments.cost.add(meta.costUsd, {
          [genAiAttributes.operationName]: genAiOperationName(call.operation),
          [genAiAttributes.requestModel]: meta.model,
        });
      if (error?._tag === 'BudgetExceededError')
        instruments.budgetRefusals.add(1, {
          [projectAttributes.budgetUnit]: error.unit,
          [projectAttributes.budgetScope]: error.scope,
        });
    }
  }

  const startCall = (operation: string, model: string, request?: unknown, startedAt?: number): CallTelemetry => {
    if (!enabled) return noopCall;
    const startTime = startedAt ?? clock.now();
    const span = tracer.startSpan(
      model === '' ? genAiOperationName(operation) : `${genAiOperationName(operation)} ${model}`,
      { kind: SpanKind.CLIENT, startTime },
      otelContext.active(),
    );
    const recording = span.isRecording();
    if (!recording && !metricsOn) return noopCall;
    if (recording) {
      span.setAttributes(baseAttributes(operation, model));
      span.setAttribute(projectAttributes.operation, operation);
      const apiType = names.apiType === undefined ? undefined : apiTypeOf(operation);
      if (names.apiType !== undefined && apiType !== undefined) span.setAttribute(names.apiType, apiType);
      if (request !== undefined) {
        span.setAttributes(requestAttributes(request, names));
        const prompt = captureContent ? promptMessages(request) : undefined;
        if (prompt !== undefined) {
          if (names.conventions === 'latest') span.setAttribute(genAiAttributes.inputMessages, content(prompt));
          else span.addEvent(telemetryEvents.prompt, { [genAiAttributes.prompt]: content(prompt) }, startTime);
        }
      }
    }
    return new CallRecorder(operation, model, span, startTime);
  };

  const onRetry = (event: RetryEvent): void => {
    if (!enabled) return;
    instruments?.retries.add(1, {
      [projectAttributes.transportKey]: event.key,
      [projectAttributes.retryReason]: event.fromRetryAfter ? 'retry-after' : 'backoff',
      [generalAttributes.errorType]: event.error._tag,
    });
    (owners.get(event.error) ?? activeCall())?.retried(event);
  };
  const onWait = (event: PacingWaitEvent): void => {
    if (!enabled) return;
    instruments?.pacingWait.record(event.waitMs / 1000, {
      [projectAttributes.transportKey]: event.key,
      [projectAttributes.pacingReason]: event.reason,
    });
    activeCall()?.paced(event);
  };
  const onStateChange = (change: BreakerStateChange): void => {
    if (!enabled) return;
    circuitStates.delete(change.key);
    circuitStates.set(change.key, change.to.type);
    if (circuitStates.size > maxCircuitKeys) {
      const oldest = circuitStates.keys().next().value;
      if (oldest !== undefined) circuitStates.delete(oldest);
    }
    instruments?.circuitChanges.add(1, {
      [projectAttributes.transportKey]: change.key,
      [projectAttributes.circuitFrom]: change.from.type,
      [projectAttributes.circuitTo]: change.to.type,
    });
    activeCall()?.circuitChanged(change);
  };

  return {
    startCall,
    finish(call, meta) {
      (call.telemetry ?? startCall(call.operation, call.model, undefined, call.startedAt)).end(call, meta);
    },
    withTransportHooks: (transportOptions) => withHooks(transportOptions, { onRetry, onWait, onStateChange }),
  };
}

/** Calls both hooks, the caller's first. */
function both<Event>(
  first: ((event: Event) => void) | undefined,
  second: (event: Event) => void,
): (event: Event) => void {
  if (first === undefined) return second;
  return (event) => {
    try {
      first(event);
    } finally {
      second(event);
    }
  };
}

/** Adds the telemetry's hooks to transport options, next to the caller's own. */
function withHooks(
  options: TransportOptions,
  hooks: {
    readonly onRetry: (event: RetryEvent) => void;
    readonly onWait: (event: PacingWaitEvent) => void;
    readonly onStateChange: (change: BreakerStateChange) => void;
  },
): TransportOptions {
  const { retry, breaker, pacing } = options;
  return {
    ...options,
    retry: { ...retry, onRetry: both(retry?.onRetry, hooks.onRetry) },
    breaker:
      breaker === false ? false : { ...breaker, onStateChange: both(breaker?.onStateChange, hooks.onStateChange) },
    pacing: pacing === false ? false : { ...pacing, onWait: both(pacing?.onWait, hooks.onWait) },
  };
}

interface Instruments {
  readonly tokenUsage: Histogram;
  readonly duration: Histogram;
  readonly timeToFirstChunk: Histogram;
  readonly retries: Counter;
  readonly rateLimited: Counter;
  readonly pacingWait: Histogram;
  readonly circuitState: ReturnType<Meter['createObservableGauge']>;
  readonly circuitChanges: Counter;
  readonly budgetRefusals: Counter;
  readonly cost: Counter;
}

function createInstruments(meter: Meter): Instruments {
  return {
    tokenUsage: meter.createHistogram(telemetryMetrics.tokenUsage, {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      advice: { explicitBucketBoundaries: [...tokenUsageBuckets] },
    }),
    duration: meter.createHistogram(telemetryMetrics.operationDuration, {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...durationBuckets] },
    }),
    timeToFirstChunk: meter.createHistogram(telemetryMetrics.timeToFirstChunk, {
      description: 'Time to receive the first chunk of a streamed answer, from the start of the call.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...durationBuckets] },
    }),
    retries: meter.createCounter(telemetryMetrics.retries, {
      description: 'Retries of calls, by transport key, reason and error.',
      unit: '{retry}',
    }),
    rateLimited: meter.createCounter(telemetryMetrics.rateLimited, {
      description: 'Calls answered with 429 by the server, or refused by client-side pacing.',
      unit: '{response}',
    }),
    pacingWait: meter.createHistogram(telemetryMetrics.pacingWait, {
      description: 'Time calls were held back by client-side rate-limit pacing.',
      unit: 's',
      advice: { explicitBucketBoundaries: [...durationBuckets] },
    }),
    circuitState: meter.createObservableGauge(telemetryMetrics.circuitState, {
      description: 'Circuit breaker state per transport key: 1 for the current state, 0 for the others.',
      unit: '1',
    }),
    circuitChanges: meter.createCounter(telemetryMetrics.circuitChanges, {
      description: 'Circuit breaker state changes.',
      unit: '{change}',
    }),
    budgetRefusals: meter.createCounter(telemetryMetrics.budgetRefusals, {
      description: 'Calls refused before sending because a token or cost budget would be exceeded.',
      unit: '{call}',
    }),
    cost: meter.createCounter(telemetryMetrics.cost, {
      description: 'Estimated cost of calls from the price table.',
      unit: '{USD}',
    }),
  };
}
