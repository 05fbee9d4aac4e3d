import { createError, type IntegrationError } from '@openai-integration/core';
import { err, ok, ResultAsync } from 'neverthrow';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { OperationResult } from '../call/call-meta.ts';
import type { CallOptions, ModelCallOptions, StreamCallOptions } from '../call/call-options.ts';
import type { ModelStream } from '../call/model-stream.ts';
import { runCall, runStream, type ModelCallSpec, type ModelStreamSpec } from '../call/run-call.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import { createChatStreamAccumulator, type ChatStreamResult } from '../streaming/chat-stream-accumulator.ts';
import { readSseJson, type sseTerminated } from '../streaming/read-sse-json.ts';
import type { AnswerToolCall } from '../streaming/stream-event.ts';
import { chatRequestShape, type ChatRequest } from './chat-request-shape.ts';
import { chatCompletionShape } from './is-chat-completion.ts';

export type { ChatRequest } from './chat-request-shape.ts';

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
  readonly toolCalls: readonly AnswerToolCall[];
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

// Most answers call no tools: they share one empty list (frozen, so no answer can change another's).
const noToolCalls: readonly AnswerToolCall[] = Object.freeze([]);

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

/** The operation's answer and meta from a completion and its meta. */
const toChatResult = ({ value, meta }: OperationResult<ChatCompletion>): OperationResult<ChatAnswer> => ({
  value: toAnswer(value),
  meta,
});

/** Builds the chat operations over an operation context. */
export function createChatOperations(context: OperationContext): ChatOperations {
  const completions = context.client.chat.completions;
  // What differs between chat and the other model calls: how the request is read and
  // sent, and how the body is checked (it is read here, not by the SDK); the pipeline
  // does the rest.
  const chatCreate: ModelCallSpec<ChatRequest, ChatCompletion> = {
    operation: 'chat.create',
    endpoint: 'chat',
    shape: chatRequestShape,
    send: completions.create.bind(completions),
    expected: chatCompletionShape,
  };
  const chatParse: ModelCallSpec<ChatRequest, ChatCompletion> = { ...chatCreate, operation: 'chat.parse' };
  const chatStream: ModelStreamSpec<ChatRequest, ChatCompletionChunk, ChatStreamResult> = {
    operation: 'chat.stream',
    endpoint: 'chat',
    shape: chatRequestShape,
    send: completions.create.bind(completions),
    // One parsing loop instead of the SDK's nested async generators (same semantics).
    readBody: (response) =>
      readSseJson(response) as AsyncIterator<ChatCompletionChunk, typeof sseTerminated | undefined>,
    accumulator: createChatStreamAccumulator,
  };
  const chatStreamWithUsage: ModelStreamSpec<ChatRequest, ChatCompletionChunk, ChatStreamResult> = {
    ...chatStream,
    extraBody: { stream_options: { include_usage: true } },
  };

  const create = (
    request: ChatRequest,
    options: ChatCallOptions = {},
    spec = chatCreate,
  ): ResultAsync<OperationResult<ChatAnswer>, IntegrationError> =>
    new ResultAsync(runCall(context, spec, { request, options }).then((result) => result.map(toChatResult)));

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
    return create(withFormat, options, chatParse).andThen(({ value, meta }) => {
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

  const stream = (request: ChatRequest, options: ChatStreamOptions = {}): ModelStream<ChatStreamResult> =>
    runStream(context, options.includeUsage === false ? chatStream : chatStreamWithUsage, { request, options });

  return { create: (request, options) => create(request, options), parse, stream };
}
