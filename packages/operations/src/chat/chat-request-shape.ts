import { chatCompletionRequestSchema, isPlainChatRequest } from '@openai-integration/core';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { RequestShape } from '../call/run-call.ts';
import { countPromptTokens, type TokenCounter } from '../usage/estimate-tokens.ts';

/** A chat completions request: the SDK's parameters, with `model` optional (the configured default). */
export type ChatRequest = Omit<ChatCompletionCreateParamsNonStreaming, 'model' | 'stream' | 'stream_options'> & {
  readonly model?: string;
};

// The messages with the chat format's framing per message, and the tool definitions.
const countPrompt = (counter: TokenCounter, request: ChatRequest): number =>
  countPromptTokens(counter, request.messages, request.tools);

// `max_tokens` is deprecated but still sent by many callers; it bounds the output all the same.
const maxOutputOf = (request: ChatRequest): number | null | undefined =>
  request.max_completion_tokens ?? (request as { readonly max_tokens?: number | null }).max_tokens;

/** How a chat request is checked (core's schema, with a quick path for plain requests) and counted before it is sent. */
export const chatRequestShape: RequestShape<ChatRequest> = {
  schema: chatCompletionRequestSchema,
  countPrompt,
  maxOutputOf,
  certainlyValid: isPlainChatRequest,
};
