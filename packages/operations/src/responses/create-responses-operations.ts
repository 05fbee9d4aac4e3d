import type { IntegrationError } from '@openai-integration/core';
import { errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import type { Response as OpenAIResponse, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { OperationResult } from '../call/call-meta.ts';
import type { CallOptions, ModelCallOptions, StreamCallOptions } from '../call/call-options.ts';
import type { ModelStream } from '../call/model-stream.ts';
import {
  refusedStream,
  runCall,
  runStream,
  type CallSpec,
  type ModelCallSpec,
  type ModelStreamSpec,
  type StreamSpec,
} from '../call/run-call.ts';
import type { SdkRequestOptions } from '../call/send-attempt.ts';
import { checkId } from '../internal/check-id.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import { checkModelId } from '../models/check-model-id.ts';
import {
  createResponsesStreamAccumulator,
  type ResponsesStreamResult,
} from '../streaming/responses-stream-accumulator.ts';
import type { AnswerToolCall } from '../streaming/stream-event.ts';
import { responsesRequestShape, type ResponsesCreateRequest } from './responses-request-shape.ts';

export type { ResponsesCreateRequest } from './responses-request-shape.ts';

/** The answer of a response, with the raw response kept. */
export interface ResponsesAnswer {
  readonly id: string;
  /** All output text joined, or null when there was none. */
  readonly text: string | null;
  readonly toolCalls: readonly AnswerToolCall[];
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
    request: ResponsesCreateRequest,
    options?: CallOptions & ModelCallOptions,
  ): ResultAsync<OperationResult<ResponsesAnswer>, IntegrationError>;
  /**
   * Streams a response as typed events. Complete only with `response.completed` (or
   * `response.incomplete`); otherwise a `StreamInterruptedError` carries the partial
   * output, the response id and the last sequence number, which `resume` takes.
   *
   * Fails with: as `create`, plus `StreamInterruptedError`.
   */
  stream(
    request: ResponsesCreateRequest,
    options?: StreamCallOptions & ModelCallOptions,
  ): ModelStream<ResponsesStreamResult>;
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

function toAnswer(response: OpenAIResponse): ResponsesAnswer {
  const texts: string[] = [];
  const toolCalls: AnswerToolCall[] = [];
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

/** A stored response, as `resume`, `retrieve` and `delete` name it. */
interface StoredResponse {
  readonly id: string;
  readonly query: { readonly stream: true; readonly starting_after?: number };
}

/** Builds the Responses API operations over an operation context. */
export function createResponsesOperations(context: OperationContext): ResponsesOperations {
  const responses = context.client.responses;
  // What differs between responses and the other model calls: how the request is read
  // and sent (the SDK reads the body, adding `output_text`); the pipeline does the rest.
  const responsesCreate: ModelCallSpec<ResponsesCreateRequest, OpenAIResponse> = {
    operation: 'responses.create',
    endpoint: 'responses',
    shape: responsesRequestShape,
    send: responses.create.bind(responses),
  };
  const responsesStream: ModelStreamSpec<ResponsesCreateRequest, ResponseStreamEvent, ResponsesStreamResult> = {
    operation: 'responses.stream',
    endpoint: 'responses',
    shape: responsesRequestShape,
    send: responses.create.bind(responses),
    accumulator: () => createResponsesStreamAccumulator(),
  };
  const responsesResume: StreamSpec<StoredResponse, ResponseStreamEvent, ResponsesStreamResult> = {
    operation: 'responses.resume',
    endpoint: 'responses',
    send: (stored, requestOptions) => responses.retrieve(stored.id, stored.query, requestOptions),
    accumulator: () => createResponsesStreamAccumulator(),
  };
  const responsesRetrieve: CallSpec<string, OpenAIResponse, ResponsesAnswer> = {
    operation: 'responses.retrieve',
    endpoint: 'responses',
    send: (id, requestOptions: SdkRequestOptions) => responses.retrieve(id, {}, requestOptions),
    toValue: (response) => ok(toAnswer(response)),
  };
  const responsesDelete: CallSpec<string, unknown> = {
    operation: 'responses.delete',
    endpoint: 'responses',
    send: (id, requestOptions) => responses.delete(id, requestOptions),
  };

  const byId = <Data, Value>(
    spec: CallSpec<string, Data, Value>,
    responseId: string,
    options: CallOptions,
  ): ResultAsync<OperationResult<Value>, IntegrationError> => {
    const id = checkResponseId(responseId);
    if (id.isErr()) return errAsync(id.error);
    return new ResultAsync(runCall(context, spec, { body: responseId, options }));
  };

  return {
    create: (request, options = {}) =>
      new ResultAsync(
        runCall(context, responsesCreate, { request, options }).then((result) =>
          result.map(({ value, meta }) => ({ value: toAnswer(value), meta })),
        ),
      ),
    stream: (request, options = {}) => runStream(context, responsesStream, { request, options }),
    resume(responseId, startingAfter, options = {}) {
      const model = options.model ?? context.defaultModel;
      const refused = checkResponseId(responseId).andThen(() => checkModelId(model));
      if (refused.isErr()) return refusedStream(context, 'responses.resume', refused.error);
      return runStream(
        context,
        startingAfter === null
          ? responsesResume
          : { ...responsesResume, accumulator: () => createResponsesStreamAccumulator({ startingAfter }) },
        {
          body: {
            id: responseId,
            query: startingAfter === null ? { stream: true } : { stream: true, starting_after: startingAfter },
          },
          options,
          model,
        },
      );
    },
    retrieve: (responseId, options = {}) => byId(responsesRetrieve, responseId, options),
    delete: (responseId, options = {}) =>
      byId({ ...responsesDelete, toValue: () => ok({ id: responseId, deleted: true as const }) }, responseId, options),
  };
}
