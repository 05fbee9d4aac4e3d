import { responsesRequestSchema, toTokenUsage, type IntegrationError } from '@openai-integration/core';
import { err, errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import type {
  Response as OpenAIResponse,
  ResponseCreateParamsNonStreaming,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import { callApi, transportKey, type CallOptions, type SdkRequestOptions } from '../internal/call-api.ts';
import type { OperationResult } from '../internal/call-meta.ts';
import { failedStream, runModelStream, type ModelStream, type StreamCallOptions } from '../internal/model-stream.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import { prepareCall, requestedModel, type ModelCallOptions, type RequestShape } from '../internal/prepare-call.ts';
import { reportCall } from '../internal/report-call.ts';
import { withFallback } from '../internal/with-fallback.ts';
import {
  createResponsesStreamAccumulator,
  type ResponsesStreamResult,
} from '../streaming/responses-stream-accumulator.ts';
import type { ToolCall } from '../streaming/stream-event.ts';
import { checkId } from '../internal/check-id.ts';
import { countPromptTokens, type TokenCounter } from '../usage/estimate-tokens.ts';

/** A Responses API request: the SDK's parameters, with `model` optional (the configured default). */
export type ResponsesRequest = Omit<ResponseCreateParamsNonStreaming, 'model' | 'stream' | 'stream_options'> & {
  readonly model?: string;
};

/** The answer of a response, with the raw response kept. */
export interface ResponsesAnswer {
  readonly id: string;
  /** All output text joined, or null when there was none. */
  readonly text: string | null;
  readonly toolCalls: readonly ToolCall[];
  /** `completed`, `incomplete`, `in_progress` or `queued` (background), ... */
  readonly status: string | null;
  readonly response: OpenAIResponse;
}

/** Responses API operations. */
export interface ResponsesOperations {
  /**
   * Creates a response (validated first, through the transport and the fallback chain).
   *
   * Fails with: `ValidationError`, `BudgetExceededError`, any HTTP variant, `ConnectionError`,
   * `TimeoutError`, `AbortedError`, `CircuitOpenError`, `RateLimitError`, `QuotaExceededError`.
   */
  create(
    request: ResponsesRequest,
    options?: CallOptions & ModelCallOptions,
  ): ResultAsync<OperationResult<ResponsesAnswer>, IntegrationError>;
  /**
   * Streams a response as typed events. Complete only with `response.completed` (or
   * `response.incomplete`); otherwise a `StreamInterruptedError` carries the partial
   * output, the response id and the last sequence number, which `resume` takes.
   *
   * Fails with: as `create`, plus `StreamInterruptedError`.
   */
  stream(request: ResponsesRequest, options?: StreamCallOptions & ModelCallOptions): ModelStream<ResponsesStreamResult>;
  /**
   * Resumes the stream of a stored (e.g. `background: true`) response after a
   * disconnect: events after `startingAfter` only, so nothing is repeated.
   *
   * Fails with: as `stream`; `NotFoundError` for an unknown id.
   */
  resume(
    responseId: string,
    startingAfter: number | null,
    options?: StreamCallOptions & { readonly model?: string },
  ): ModelStream<ResponsesStreamResult>;
  /**
   * Retrieves a stored response.
   *
   * Fails with: `NotFoundError`, and the transport's errors.
   */
  retrieve(responseId: string, options?: CallOptions): ResultAsync<OperationResult<ResponsesAnswer>, IntegrationError>;
  /**
   * Deletes a stored response.
   *
   * Fails with: `NotFoundError`, and the transport's errors.
   */
  delete(
    responseId: string,
    options?: CallOptions,
  ): ResultAsync<OperationResult<{ readonly id: string; readonly deleted: true }>, IntegrationError>;
}

// The input (a message list gets the chat format's framing), with the instructions and tool definitions.
const countPrompt = (counter: TokenCounter, request: ResponsesRequest): number =>
  countPromptTokens(counter, request.input ?? '', [request.instructions ?? '', request.tools ?? []]);
const maxOutputOf = (request: ResponsesRequest): number | null | undefined => request.max_output_tokens;
const responsesShape: RequestShape<ResponsesRequest> = { schema: responsesRequestSchema, countPrompt, maxOutputOf };

function toAnswer(response: OpenAIResponse): ResponsesAnswer {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const item of response.output) {
    if (item.type === 'message') {
      for (const part of item.content) if (part.type === 'output_text') texts.push(part.text);
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, name: item.name, arguments: item.arguments });
    }
  }
  return {
    id: response.id,
    text: texts.length === 0 ? null : texts.join(''),
    toolCalls,
    status: response.status ?? null,
    response,
  };
}

const checkResponseId = (responseId: string): Result<string, IntegrationError> =>
  checkId('responseId', responseId, 'resp_abc123');

/** Builds the Responses API operations over an operation context. */
export function createResponsesOperations(context: OperationContext): ResponsesOperations {
  const simple = <T, V>(
    operation: string,
    responseId: string,
    options: CallOptions,
    send: (requestOptions: SdkRequestOptions) => {
      withResponse(): Promise<{ readonly data: T; readonly response: Response; readonly request_id: string | null }>;
    },
    toValue: (data: T) => V,
  ): ResultAsync<OperationResult<V>, IntegrationError> => {
    const startedAt = context.clock.now();
    const id = checkResponseId(responseId);
    if (id.isErr()) return errAsync(id.error);
    const run = async (): Promise<Result<OperationResult<V>, IntegrationError>> => {
      const outcome = await callApi(
        context,
        { key: transportKey('responses', 'any'), estimate: 0, options },
        (_client, requestOptions) => send(requestOptions),
      );
      if (outcome.isErr()) {
        reportCall(context, {
          operation,
          model: '',
          startedAt,
          attempts: outcome.error.attempts ?? 1,
          requestId: null,
          rateLimit: null,
          skipped: [],
          usage: null,
          outcome,
        });
        return err(outcome.error);
      }
      const value = toValue(outcome.value.data);
      const meta = reportCall(context, {
        operation,
        model: '',
        startedAt,
        attempts: outcome.value.attempts,
        requestId: outcome.value.requestId,
        rateLimit: outcome.value.rateLimit,
        skipped: [],
        usage: null,
        outcome: ok(value),
      });
      return ok({ value, meta });
    };
    return new ResultAsync(run());
  };

  const create: ResponsesOperations['create'] = (request, options = {}) => {
    const startedAt = context.clock.now();
    const telemetry = context.telemetry.startCall(
      'responses.create',
      requestedModel(request, context.defaultModel),
      request,
    );
    const run = async (): Promise<Result<OperationResult<ResponsesAnswer>, IntegrationError>> => {
      const prepared = await prepareCall(context, responsesShape, request, options);
      if (prepared.isErr()) {
        // Refused before sending (invalid input, budget): still one log line for the call.
        reportCall(context, {
          operation: 'responses.create',
          model: requestedModel(request, context.defaultModel),
          startedAt,
          attempts: 0,
          requestId: null,
          rateLimit: null,
          skipped: [],
          usage: null,
          outcome: prepared,
          telemetry,
        });
        return err(prepared.error);
      }
      const call = prepared.value;
      const outcome = await withFallback(
        call.chain,
        (model) =>
          callApi(
            context,
            {
              key: transportKey('responses', model),
              estimate: call.estimatedInputTokens + (call.maxOutputTokens ?? 0),
              options,
              telemetry,
            },
            (client, requestOptions) =>
              client.responses.create({ ...call.request, model, stream: false }, requestOptions),
          ),
        call.preflight,
      );
      if (outcome.isErr()) {
        reportCall(context, {
          operation: 'responses.create',
          model: call.model,
          startedAt,
          attempts: outcome.error.attempts ?? 1,
          requestId: 'requestId' in outcome.error ? outcome.error.requestId : null,
          rateLimit: null,
          skipped: [],
          usage: null,
          outcome,
          telemetry,
        });
        return err(outcome.error);
      }
      const { value: response, model, skipped } = outcome.value;
      const usage = response.data.usage === undefined ? null : toTokenUsage(response.data.usage).unwrapOr(null);
      const answer = toAnswer(response.data);
      const meta = reportCall(context, {
        operation: 'responses.create',
        model: response.data.model || model,
        startedAt,
        attempts: response.attempts,
        requestId: response.requestId,
        rateLimit: response.rateLimit,
        skipped,
        usage,
        outcome: ok(answer),
        telemetry,
      });
      return ok({ value: answer, meta });
    };
    return new ResultAsync(run());
  };

  const stream: ResponsesOperations['stream'] = (request, options = {}) => {
    const prepared = prepareCall(context, responsesShape, request, options);
    return runModelStream<ResponseStreamEvent, ResponsesStreamResult>(context, {
      operation: 'responses.stream',
      endpoint: 'responses',
      prepared,
      options,
      accumulator: () => createResponsesStreamAccumulator(),
      send: (model, requestOptions) =>
        context.client.responses.create({ ...request, model, stream: true }, requestOptions).withResponse(),
    });
  };

  const resume: ResponsesOperations['resume'] = (responseId, startingAfter, options = {}) => {
    const id = checkResponseId(responseId);
    if (id.isErr()) return failedStream(id.error);
    const model = options.model ?? context.defaultModel;
    return runModelStream<ResponseStreamEvent, ResponsesStreamResult>(context, {
      operation: 'responses.resume',
      endpoint: 'responses',
      prepared: Promise.resolve(
        ok({
          request: { model },
          model,
          chain: [model],
          preflight: () => undefined,
          estimatedInputTokens: 0,
          maxOutputTokens: undefined,
          countTokens: () => 0,
        }),
      ),
      options,
      accumulator: () => createResponsesStreamAccumulator(startingAfter === null ? {} : { startingAfter }),
      send: (_model, requestOptions) =>
        context.client.responses
          .retrieve(
            responseId,
            { stream: true, ...(startingAfter === null ? {} : { starting_after: startingAfter }) },
            requestOptions,
          )
          .withResponse(),
    });
  };

  return {
    create,
    stream,
    resume,
    retrieve: (responseId, options = {}) =>
      simple(
        'responses.retrieve',
        responseId,
        options,
        (requestOptions) => context.client.responses.retrieve(responseId, {}, requestOptions),
        toAnswer,
      ),
    delete: (responseId, options = {}) =>
      simple(
        'responses.delete',
        responseId,
        options,
        (requestOptions) => context.client.responses.delete(responseId, requestOptions),
        () => ({ id: responseId, deleted: true as const }),
      ),
  };
}
