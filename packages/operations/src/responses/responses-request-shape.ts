import { responsesRequestSchema } from '@openai-integration/core';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import type { RequestShape } from '../call/run-call.ts';
import { countPromptTokens, type TokenCounter } from '../usage/estimate-tokens.ts';

/**
 * A request of `responses.create` and `responses.stream`: the SDK's parameters, with
 * `model` optional (the configured default).
 */
export type ResponsesCreateRequest = Omit<ResponseCreateParamsNonStreaming, 'model' | 'stream' | 'stream_options'> & {
  readonly model?: string;
};

// The input (a message list gets the chat format's framing), with the instructions and tool definitions.
const countPrompt = (counter: TokenCounter, request: ResponsesCreateRequest): number =>
  countPromptTokens(counter, request.input ?? '', [request.instructions ?? '', request.tools ?? []]);

const maxOutputOf = (request: ResponsesCreateRequest): number | null | undefined => request.max_output_tokens;

/** How a Responses API request is checked (core's schema) and counted before it is sent. */
export const responsesRequestShape: RequestShape<ResponsesCreateRequest> = {
  schema: responsesRequestSchema,
  countPrompt,
  maxOutputOf,
};
