import { withErrorFields, type IntegrationError, type TokenUsage } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type OpenAI from 'openai';
import { callApi, type CallOptions, type SdkRequest, type SdkRequestOptions } from './call-api.ts';
import type { OperationResult } from './call-meta.ts';
import type { OperationContext } from './operation-context.ts';
import { reportCall } from './report-call.ts';

/** One request that is neither a model call with a fallback chain nor a stream. */
export interface SimpleCall<T, V> {
  /** e.g. `files.list`; names the log line and the usage entry. */
  readonly operation: string;
  /** The transport key (see `transportKey`). */
  readonly key: string;
  /** The model, when the call has one (usage and log line); default `''`. */
  readonly model?: string;
  /** Tokens the call is expected to use, for pacing. Default 0. */
  readonly estimate?: number;
  readonly options: CallOptions;
  readonly send: (client: OpenAI, requestOptions: SdkRequestOptions) => SdkRequest<T>;
  /** Turns the response into the operation's value, or a `MalformedResponseError`. */
  readonly toValue: (data: T) => Result<V, IntegrationError>;
  /** The usage the response reports, when it has any. */
  readonly usageOf?: (data: T) => TokenUsage | null;
  /** The model the server names in the response, when it does. */
  readonly modelOf?: (data: T) => string | undefined;
}

/**
 * Sends one request through the transport and reports it (usage, one log line), the
 * way every simple operation does. Never throws.
 */
export function runCall<T, V>(
  context: OperationContext,
  call: SimpleCall<T, V>,
): ResultAsync<OperationResult<V>, IntegrationError> {
  const startedAt = context.clock.now();
  const model = call.model ?? '';
  const telemetry = context.telemetry.startCall(call.operation, model);
  const run = async (): Promise<Result<OperationResult<V>, IntegrationError>> => {
    const outcome = await callApi(
      context,
      { key: call.key, estimate: call.estimate ?? 0, options: call.options, telemetry },
      call.send,
    );
    if (outcome.isErr()) {
      const error = outcome.error;
      reportCall(context, {
        operation: call.operation,
        model,
        startedAt,
        attempts: error.attempts ?? 1,
        requestId: 'requestId' in error ? error.requestId : null,
        rateLimit: null,
        skipped: [],
        usage: null,
        outcome,
        telemetry,
      });
      return err(error);
    }
    const response = outcome.value;
    const converted = call
      .toValue(response.data)
      .mapErr((error) => withErrorFields(error, { attempts: response.attempts }));
    const usage = converted.isOk() ? (call.usageOf?.(response.data) ?? null) : null;
    const meta = reportCall(context, {
      operation: call.operation,
      model: call.modelOf?.(response.data) ?? model,
      startedAt,
      attempts: response.attempts,
      requestId: response.requestId,
      rateLimit: response.rateLimit,
      skipped: [],
      usage,
      outcome: converted,
      telemetry,
    });
    return converted.map((value) => ({ value, meta }));
  };
  return new ResultAsync(run());
}

/** `toValue` for responses used as they are. */
export const asIs = <T>(data: T): Result<T, IntegrationError> => ok(data);
