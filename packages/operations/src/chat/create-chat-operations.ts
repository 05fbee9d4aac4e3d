import {
  chatCompletionRequestSchema,
  createError,
  isPlainChatRequest,
  toTokenUsage,
  type IntegrationError,
} from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions';
import { z } from 'zod';
import { countPromptTokens, type TokenCounter } from '../usage/estimate-tokens.ts';
import { callJsonApi, transportKey, type ApiCall, type CallOptions } from '../internal/call-api.ts';
import { chatCompletionShape } from './is-chat-completion.ts';
import type { OperationResult, SkippedModel } from '../internal/call-meta.ts';
import { runModelStream, type ModelStream, type StreamCallOptions } from '../internal/model-stream.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import {
  prepareCall,
  prepareCallNow,
  requestedModel,
  type ModelCallOptions,
  type PreparedCall,
  type RequestShape,
} from '../internal/prepare-call.ts';
import { reportCall } from '../internal/report-call.ts';
import type { CallTelemetry } from '../telemetry/create-operations-telemetry.ts';
import { noneSkipped, withFallback } from '../internal/with-fallback.ts';
import { createChatStreamAccumulator, type ChatStreamResult } from '../streaming/chat-stream-accumulator.ts';
import { readSseJson, type sseTerminated } from '../streaming/read-sse-json.ts';
import type { ToolCall } from '../streaming/stream-event.ts';

/** A chat completions request: the SDK's parameters, with `model` optional (the configured default). */
export type ChatRequest = Omit<ChatCompletionCreateParamsNonStreaming, 'model' | 'stream' | 'stream_options'> & {
  readonly model?: string;
};

/** Options of one chat call. */
export type ChatCallOptions = CallOptions & ModelCallOptions;

/** Options of one streamed chat call. */
export type ChatStreamOptions = StreamCallOptions &
  ModelCallOptions & {
    /** Ask for the usage chunk (`stream_options.include_usage`). Default true. */
    readonly includeUsage?: boolean;
  };

/** The answer of a chat completion, with the raw completion kept. */
export interface ChatAnswer {
  /** The first choice's text, or null when the model only called tools or refused. */
  readonly text: string | null;
  readonly refusal: string | null;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: string | null;
  /** The whole completion as the server sent it. */
  readonly completion: ChatCompletion;
}

/** A structured answer parsed into the schema's type. */
export interface ParsedChatAnswer<T> extends ChatAnswer {
  readonly parsed: T;
}

/** Chat completions: create, parse into a zod schema, and stream. */
export interface ChatOperations {
  /**
   * Creates a chat completion. The request is validated before any network call, sent
   * through the transport (retries, breaker, pacing), and moved along the fallback chain
   * when its model cannot answer.
   *
   * Fails with: `ValidationError`, `BudgetExceededError`, any HTTP variant, `ConnectionError`,
   * `TimeoutError`, `AbortedError`, `CircuitOpenError`, `RateLimitError`, `QuotaExceededError`.
   */
  create(request: ChatRequest, options?: ChatCallOptions): ResultAsync<OperationResult<ChatAnswer>, IntegrationError>;
  /**
   * Asks for structured output matching a zod schema (`response_format: json_schema`)
   * and parses the answer into the schema's type. An answer that is not JSON or does
   * not match is a `ValidationError` whose `issues` say where; the raw answer is its `cause`.
   *
   * Fails with: as `create`, plus `ValidationError` for a refusal or a non-matching answer.
   */
  parse<Schema extends z.ZodType>(
    request: ChatRequest,
    schema: Schema,
    options?: ChatCallOptions & { readonly name?: string },
  ): ResultAsync<OperationResult<ParsedChatAnswer<z.output<Schema>>>, IntegrationError>;
  /**
   * Streams a chat completion as typed events (`text-delta`, `tool-call-delta`, `usage`,
   * `finish`, then `end` or `error`). Usage is requested by default. A stream that breaks
   * is a `StreamInterruptedError` carrying the text and tool calls received so far.
   *
   * Fails with: as `create`, plus `StreamInterruptedError`.
   */
  stream(request: ChatRequest, options?: ChatStreamOptions): ModelStream<ChatStreamResult>;
}

// The messages with the chat format's framing per message, and the tool definitions.
const countPrompt = (counter: TokenCounter, request: ChatRequest): number =>
  countPromptTokens(counter, request.messages, request.tools);
// `max_tokens` is deprecated but still sent by many callers; it bounds the output all the same.
const maxOutputOf = (request: ChatRequest): number | null | undefined =>
  request.max_completion_tokens ?? (request as { readonly max_tokens?: number | null }).max_tokens;

/** Reports a call that failed after it was sent (or refused by the transport) and returns its error. */
function failedCall(
  context: OperationContext,
  operation: string,
  model: string,
  startedAt: number,
  error: IntegrationError,
  attempts: number,
  telemetry: CallTelemetry,
): Result<never, IntegrationError> {
  reportCall(context, {
    operation,
    model,
    startedAt,
    attempts: error.attempts ?? attempts,
    requestId: 'requestId' in error ? error.requestId : null,
    rateLimit: null,
    skipped: [],
    usage: null,
    outcome: err(error),
    telemetry,
  });
  return err(error);
}

const chatShape: RequestShape<ChatRequest> = {
  schema: chatCompletionRequestSchema,
  countPrompt,
  maxOutputOf,
  certainlyValid: isPlainChatRequest,
};

// Most answers call no tools: they share one empty list (frozen, so no answer can change another's).
const noToolCalls: readonly ToolCall[] = Object.freeze([]);

function toAnswer(completion: ChatCompletion): ChatAnswer {
  const choice = completion.choices[0];
  const message = choice?.message;
  // Some OpenAI-compatible servers send `"tool_calls": null` for none.
  const calls = message?.tool_calls as ChatCompletion['choices'][number]['message']['tool_calls'] | null;
  return {
    text: message?.content ?? null,
    refusal: message?.refusal ?? null,
    toolCalls:
      calls === undefined || calls === null || calls.length === 0
        ? noToolCalls
        : calls.flatMap((call) =>
            call.type === 'function'
              ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
              : [],
          ),
    finishReason: choice?.finish_reason ?? null,
    completion,
  };
}

/** Makes every object of a JSON schema closed, as strict structured output requires. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = key === '$schema' ? undefined : closeObjects(value);
  delete copy['$schema'];
  if (copy['type'] === 'object' && copy['additionalProperties'] === undefined) copy['additionalProperties'] = false;
  return copy;
}

/** Whether every object property is required (strict mode's rule). */
function allRequired(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(allRequired);
  if (typeof schema !== 'object' || schema === null) return true;
  const record = schema as { properties?: Record<string, unknown>; required?: unknown };
  if (record.properties !== undefined) {
    const required = Array.isArray(record.required) ? (record.required as unknown[]) : [];
    if (!Object.keys(record.properties).every((key) => required.includes(key))) return false;
  }
  return Object.values(schema).every(allRequired);
}

// reportCall only asks whether the outcome is ok; one value serves every successful call.
const okOutcome = ok(undefined);

/** Builds the chat operations over an operation context. */
export function createChatOperations(context: OperationContext): ChatOperations {
  const sendTo = (
    call: PreparedCall<ChatRequest & { readonly model: string }>,
    options: ChatCallOptions,
    model: string,
    telemetry: CallTelemetry,
  ) =>
    callJsonApi(
      context,
      {
        key: transportKey('chat', model),
        estimate: call.estimatedInputTokens + (call.maxOutputTokens ?? 0),
        options,
        telemetry,
      },
      (client, requestOptions) =>
        client.chat.completions.create({ ...call.request, model, stream: false }, requestOptions),
      chatCompletionShape,
    );

  const answer = async (
    request: ChatRequest,
    options: ChatCallOptions,
    operation: string,
  ): Promise<Result<OperationResult<ChatAnswer>, IntegrationError>> => {
    const startedAt = context.clock.now();
    const telemetry = context.telemetry.startCall(operation, requestedModel(request, context.defaultModel), request);
    const preparing = prepareCallNow(context, chatShape, request, options);
    // Plain async with Results, not ResultAsync chains: this runs on every call.
    const prepared = preparing instanceof Promise ? await preparing : preparing;
    if (prepared.isErr()) {
      // Refused before sending (invalid input, budget): still one log line for the call.
      reportCall(context, {
        operation,
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
    let attempts = 0;
    let response: ApiCall<ChatCompletion>;
    let model = call.model;
    let skipped: readonly SkippedModel[] = noneSkipped;
    if (call.chain.length === 1 && call.preflight(model) === undefined) {
      // A chain of one model that passes its pre-flight check needs no fallback loop.
      const sent = await sendTo(call, options, model, telemetry);
      if (sent.isErr()) return failedCall(context, operation, call.model, startedAt, sent.error, 0, telemetry);
      response = sent.value;
    } else {
      const outcome = await withFallback(
        call.chain,
        async (candidate) => {
          const sent = await sendTo(call, options, candidate, telemetry);
          if (sent.isErr()) attempts = sent.error.attempts ?? attempts;
          return sent;
        },
        call.preflight,
      );
      if (outcome.isErr())
        return failedCall(context, operation, call.model, startedAt, outcome.error, attempts, telemetry);
      ({ value: response, model, skipped } = outcome.value);
    }
    const completion = response.data;
    const usage = completion.usage === undefined ? null : toTokenUsage(completion.usage).unwrapOr(null);
    const value = toAnswer(completion);
    const meta = reportCall(context, {
      operation,
      model: completion.model || model,
      startedAt,
      attempts: response.attempts,
      requestId: response.requestId,
      rateLimit: response.rateLimit,
      skipped,
      usage,
      outcome: okOutcome,
      telemetry,
    });
    return ok({ value, meta });
  };

  const create = (
    request: ChatRequest,
    options: ChatCallOptions = {},
    operation = 'chat.create',
  ): ResultAsync<OperationResult<ChatAnswer>, IntegrationError> => new ResultAsync(answer(request, options, operation));

  const parse = <Schema extends z.ZodType>(
    request: ChatRequest,
    schema: Schema,
    options: ChatCallOptions & { readonly name?: string } = {},
  ): ResultAsync<OperationResult<ParsedChatAnswer<z.output<Schema>>>, IntegrationError> => {
    const jsonSchema = closeObjects(
      z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' }),
    ) as Record<string, unknown>;
    const withFormat: ChatRequest = {
      ...request,
      response_format: {
        type: 'json_schema',
        json_schema: { name: options.name ?? 'answer', schema: jsonSchema, strict: allRequired(jsonSchema) },
      },
    };
    return create(withFormat, options, 'chat.parse').andThen(({ value, meta }) => {
      if (value.refusal !== null) {
        return err(
          createError('ValidationError', {
            message: 'the model refused to answer in the requested format; the refusal is the cause',
            issues: [{ path: '', message: 'refused', code: 'refusal' }],
            cause: { refusal: value.refusal },
          }),
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(value.text ?? '');
      } catch {
        return err(
          createError('ValidationError', {
            message: 'the model answered with text that is not JSON; the raw answer is the cause',
            issues: [{ path: '', message: 'not JSON', code: 'invalid_json' }],
            cause: { content: value.text },
          }),
        );
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
          code: issue.code,
        }));
        return err(
          createError('ValidationError', {
            message: `the model's answer does not match the schema: ${issues.map((issue) => `${issue.path || 'answer'}: ${issue.message}`).join('; ')}`,
            issues,
            cause: { content: value.text },
          }),
        );
      }
      return ok({ value: { ...value, parsed: parsed.data }, meta });
    });
  };

  const stream = (request: ChatRequest, options: ChatStreamOptions = {}): ModelStream<ChatStreamResult> => {
    const prepared = prepareCall(context, chatShape, request, options);
    const includeUsage = options.includeUsage ?? true;
    return runModelStream<ChatCompletionChunk, ChatStreamResult>(context, {
      operation: 'chat.stream',
      endpoint: 'chat',
      prepared,
      options,
      accumulator: createChatStreamAccumulator,
      // One parsing loop instead of the SDK's nested async generators (same semantics).
      readBody: (response) =>
        readSseJson(response) as AsyncIterator<ChatCompletionChunk, typeof sseTerminated | undefined>,
      send: (model, requestOptions) =>
        context.client.chat.completions
          .create(
            { ...request, model, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) },
            requestOptions,
          )
          .withResponse(),
    });
  };

  return { create: (request, options) => create(request, options), parse, stream };
}
