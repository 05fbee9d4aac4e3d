import { z } from 'zod';
import { metadataSchema } from '../internal/other-tagged-item.ts';
import { chatMessageSchema } from './chat-message.ts';
import { responseFormatSchema } from './response-format.ts';
import { toolDefinitionSchema } from './tool-definition.ts';

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string().min(1) }) }),
    z.looseObject({ type: z.literal('custom'), custom: z.looseObject({ name: z.string().min(1) }) }),
    z.looseObject({
      type: z.literal('allowed_tools'),
      allowed_tools: z.looseObject({
        mode: z.enum(['auto', 'required']),
        tools: z.array(z.looseObject({ type: z.string() })),
      }),
    }),
  ]),
]);

/**
 * The validated subset of a Chat Completions request (`POST /chat/completions`), with
 * the API's own limits:
 *
 * `model` (non-empty), `messages` (at least one), `temperature` 0-2, `top_p` 0-1,
 * `frequency_penalty`/`presence_penalty` -2..2, `max_tokens` and
 * `max_completion_tokens` positive integers, `stop` (a string or 1-4 strings), `n`
 * 1-128, `seed`, `logprobs`/`top_logprobs` 0-20, `tools`, `tool_choice`,
 * `parallel_tool_calls`, `response_format` (`text`, `json_object`, `json_schema`),
 * `stream` and `stream_options` (only with `stream: true`), `user`, `store`, `metadata`
 * (16 pairs). Every other field is kept as it is, never dropped, so newer API
 * parameters pass through.
 */
export const chatCompletionRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    messages: z.array(chatMessageSchema).min(1),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    stop: z.union([z.string(), z.array(z.string()).min(1).max(4)]).nullish(),
    n: z.number().int().min(1).max(128).nullish(),
    seed: z.number().int().nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().min(0).max(20).nullish(),
    tools: z.array(toolDefinitionSchema).optional(),
    tool_choice: toolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: responseFormatSchema.optional(),
    stream: z.boolean().nullish(),
    stream_options: z
      .looseObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() })
      .nullish(),
    user: z.string().optional(),
    store: z.boolean().nullish(),
    metadata: metadataSchema,
  })
  .refine(
    (request) => request.stream_options === undefined || request.stream_options === null || request.stream === true,
    {
      message: 'is only allowed when stream is true',
      path: ['stream_options'],
    },
  );

/** A Chat Completions request body (the validated fields typed, the rest kept). */
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
