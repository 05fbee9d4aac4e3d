import { createError, toRateLimitSnapshot, type IntegrationError } from '@openai-integration/core';
import type { AttemptInfo, TransportOperation } from '@openai-integration/transport';
import { err, errAsync, ok, type Result, type ResultAsync } from 'neverthrow';
import { fromSdkError } from '../errors/from-sdk-error.ts';
import { createEventStream, type EventStream, type OpenedStream } from '../streaming/event-stream.ts';
import type { StreamAccumulator, StreamEvent } from '../streaming/stream-event.ts';
import {
  executeOptions,
  sdkRequestOptions,
  transportKey,
  type CallOptions,
  type SdkRequestOptions,
} from './call-api.ts';
import type { CallMeta, OperationResult, SkippedModel } from './call-meta.ts';
import { capText } from './body-logging-fetch.ts';
import type { OperationContext } from './operation-context.ts';
import type { PreparedCall } from './prepare-call.ts';
import { reportCall } from './report-call.ts';
import { shouldFallBack } from './with-fallback.ts';
import type { CallTelemetry } from '../telemetry/create-operations-telemetry.ts';

/** Per-call stream settings. */
export interface StreamCallOptions extends CallOptions {
  /** No chunk for this long ends the stream with its partial output. Default: the configured idle timeout. */
  readonly idleTimeoutMs?: number;
  /** The whole stream may take this long. Default: the configured limit, or none. */
  readonly totalTimeoutMs?: number;
}

/** A streamed answer: typed events as they arrive, and the whole answer with its {@link CallMeta}. */
export interface ModelStream<Final> extends AsyncIterable<StreamEvent<Final>> {
  /** The whole answer, or the error; a `StreamInterruptedError` carries the partial output. */
  readonly result: ResultAsync<OperationResult<Final>, IntegrationError>;
}

/** A stream the SDK opened, as `withResponse()` returns it. */
export interface SdkStream<Chunk> extends AsyncIterable<Chunk> {
  readonly controller: AbortController;
}

/** A stream that fails before it starts (bad input, budget). */
export function failedStream<Final>(error: IntegrationError): ModelStream<Final> {
  return {
    async *[Symbol.asyncIterator]() {
      await Promise.resolve();
      yield { type: 'error', error };
    },
    get result() {
      return errAsync<OperationResult<Final>, IntegrationError>(error);
    },
  };
}

/**
 * Runs a streamed model call: the fallback chain and the retry policy cover opening the
 * stream and its first chunk (nothing delivered yet); after that the stream is read
 * with idle and total timeouts, and a break yields `StreamInterruptedError` with the
 * partial output. Usage is recorded when the stream settles, estimated (and flagged)
 * when the server never sent it.
 */
export function runModelStream<Chunk, Final>(
  context: OperationContext,
  spec: {
    readonly operation: string;
    readonly endpoint: string;
    /** The validated call (validation, budget and estimate run before anything is sent). */
    readonly prepared: PromiseLike<Result<PreparedCall<unknown>, IntegrationError>>;
    readonly options: StreamCallOptions;
    readonly accumulator: () => StreamAccumulator<Chunk, Final>;
    /**
     * Reads the chunks from the response body itself instead of through the SDK's
     * stream (which stays unread; its controller still stops the request).
     */
    readonly readBody?: (response: Response) => AsyncIterator<Chunk>;
    readonly send: (
      model: string,
      requestOptions: SdkRequestOptions,
    ) => Promise<{ readonly data: SdkStream<Chunk>; readonly response: Response; readonly request_id: string | null }>;
  },
): ModelStream<Final> {
  const startedAt = context.clock.now();
  const skipped: SkippedModel[] = [];
  let model = context.defaultModel;
  let call: PreparedCall<unknown> | undefined;
  let rateLimit: CallMeta['rateLimit'] = null;
  let telemetry: CallTelemetry | undefined;
  // Replaced by `onSettled`, which always runs before the result settles.
  let meta: CallMeta = {
    operation: spec.operation,
    model,
    requestId: null,
    attempts: 0,
    latencyMs: 0,
    rateLimit: null,
    skippedModels: skipped,
    usage: null,
    usageEstimated: false,
    costUsd: null,
  };
  const { options } = spec;

  const open = async (
    signal: AbortSignal,
    info: AttemptInfo,
  ): Promise<Result<OpenedStream<Chunk>, IntegrationError>> => {
    try {
      // Without a caller signal or deadline the SDK gets no signal: it would check a
      // composite signal on every event. The stream is stopped through its own controller.
      const {
        data,
        response,
        request_id: requestId,
      } = await spec.send(model, sdkRequestOptions(context.client, signal, info));
      if (signal.aborted) {
        // The attempt ended (its timeout) while the request was opening; nobody will read it.
        data.controller.abort();
        return err(
          createError('AbortedError', { message: 'the attempt ended before the stream opened', reason: null }),
        );
      }
      rateLimit = toRateLimitSnapshot(response.headers, context.clock.now()) ?? null;
      if (rateLimit !== null) {
        context.observeRateLimit(rateLimit);
        await context.transport.limiter.observe(transportKey(spec.endpoint, model), rateLimit);
      }
      const chunks = spec.readBody === undefined ? data[Symbol.asyncIterator]() : spec.readBody(response);
      return ok({
        chunks,
        abort: () => {
          data.controller.abort();
        },
        requestId,
      });
    } catch (thrown) {
      return err(fromSdkError(thrown, { knownSecrets: context.knownSecrets(), now: context.clock.now(), signal }));
    }
  };

  const streamReaders = { rateLimitOf: () => rateLimit, usageOf: () => null };
  const execute = async <T>(operation: TransportOperation<T>): Promise<Result<T, IntegrationError>> => {
    const prepared = await spec.prepared;
    if (prepared.isErr()) return err(prepared.error);
    call = prepared.value;
    telemetry = context.telemetry.startCall(spec.operation, call.model, call.request, startedAt);
    const { chain } = call;
    for (let index = 0; index < chain.length; index += 1) {
      model = chain[index] ?? model;
      const unfit = call.preflight(model);
      if (unfit !== undefined) {
        skipped.push({ model, reason: unfit, errorTag: null });
        continue;
      }
      const result = await telemetry.run(
        context.transport,
        operation,
        // The stream's usage comes only at its end: pacing settles the opening's headers, and keeps the estimate.
        executeOptions<T>(
          {
            key: transportKey(spec.endpoint, model),
            estimate: call.estimatedInputTokens + (call.maxOutputTokens ?? 0),
            options,
          },
          streamReaders,
        ),
      );
      if (result.isOk() || index + 1 >= chain.length || !shouldFallBack(result.error)) return result;
      skipped.push({ model, reason: result.error.message, errorTag: result.error._tag });
    }
    return err(
      createError('ValidationError', {
        message: `no model of the chain could take the call (${skipped.map((entry) => `${entry.model}: ${entry.reason}`).join('; ')})`,
        issues: skipped.map((entry) => ({ path: entry.model, message: entry.reason, code: 'model_skipped' })),
      }),
    );
  };

  const stream: EventStream<Final> = createEventStream<Chunk, Final>({
    open,
    accumulator: spec.accumulator,
    execute,
    toError: (error, signal) =>
      fromSdkError(error, { knownSecrets: context.knownSecrets(), now: context.clock.now(), signal }),
    clock: context.clock,
    idleTimeoutMs: options.idleTimeoutMs ?? context.streamIdleTimeoutMs,
    totalTimeoutMs: options.totalTimeoutMs ?? context.streamTotalTimeoutMs,
    signal: options.signal,
    onSettled: (outcome) => {
      const prepared = call;
      // Any stream that delivered something without a usage chunk, complete or not, is estimated.
      const delivered = outcome.partial.eventsReceived > 0 && prepared !== undefined;
      const estimated = outcome.usage === undefined && delivered;
      const usage =
        outcome.usage ??
        (delivered
          ? {
              inputTokens: prepared.estimatedInputTokens,
              outputTokens:
                prepared.countTokens(outcome.partial.text) +
                prepared.countTokens(outcome.partial.toolCalls.map((toolCall) => toolCall.arguments).join('')),
              cachedInputTokens: 0,
              reasoningTokens: 0,
              totalTokens: 0,
            }
          : null);
      if (
        context.logBodies &&
        outcome.partial.eventsReceived > 0 &&
        context.logger.isLevelEnabled?.('debug') !== false
      ) {
        context.logger.debug(
          {
            operation: spec.operation,
            model,
            requestId: outcome.requestId,
            responseBody: {
              ...capText(outcome.partial.text),
              toolCalls: outcome.partial.toolCalls.length,
              complete: outcome.result.isOk(),
            },
          },
          'openai stream body',
        );
      }
      meta = reportCall(context, {
        operation: spec.operation,
        model,
        startedAt,
        attempts: outcome.attempts,
        requestId: outcome.requestId,
        rateLimit,
        skipped,
        usage:
          usage === null
            ? null
            : { ...usage, totalTokens: usage.totalTokens || usage.inputTokens + usage.outputTokens },
        estimated,
        outcome: outcome.result,
        ...(telemetry === undefined ? {} : { telemetry }),
      });
    },
  });

  return {
    [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
    get result() {
      return stream.result.map((value) => ({ value, meta }));
    },
  };
}
