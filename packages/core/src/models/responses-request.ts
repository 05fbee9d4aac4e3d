import { z } from 'zod';
import { metadataSchema, otherTaggedItem } from '../internal/other-tagged-item.ts';
import { toolNameSchema } from '../internal/tool-name.ts';
import { responsesInputItemSchema } from './responses-input-item.ts';

const responsesToolSchema = z.union([
  z.discriminatedUnion('type', [
    z.looseObject({
      type: z.literal('function'),
      name: toolNameSchema,
      description: z.string().nullish(),
      parameters: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  ]),
  otherTaggedItem(['function']),
]);

const textFormatSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: toolNameSchema,
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullish(),
  }),
]);

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.discriminatedUnion('type', [z.looseObject({ type: z.literal('function'), name: z.string().min(1) })]),
  otherTaggedItem(['function']),
]);

/**
 * The validated subset of a Responses API request (`POST /responses`), with the API's
 * own limits:
 *
 * `model` (non-empty; required unless a stored `prompt` names it), `input` (text or a
 * list of {@link responsesInputItemSchema} items), `instructions`, `temperature` 0-2,
 * `top_p` 0-1, `max_output_tokens` (an integer of at least 16), `tools` (function tools
 * validated, built-in tools kept), `tool_choice`, `text.format` (`text`,
 * `json_object`, `json_schema` with `name` and `schema`), `previous_response_id`,
 * `store`, `background`, `stream`, `metadata` (16 pairs). Every other field is kept as
 * it is, never dropped.
 */
export const responsesRequestSchema = z
  .looseObject({
    model: z.string().min(1).optional(),
    input: z.union([z.string(), z.array(responsesInputItemSchema)]).optional(),
    instructions: z.string().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    max_output_tokens: z.number().int().min(16).nullish(),
    tools: z.array(responsesToolSchema).optional(),
    tool_choice: toolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().nullish(),
    text: z
      .looseObject({ format: textFormatSchema.optional(), verbosity: z.enum(['low', 'medium', 'high']).nullish() })
      .optional(),
    previous_response_id: z.string().min(1).nullish(),
    store: z.boolean().nullish(),
    background: z.boolean().nullish(),
    stream: z.boolean().nullish(),
    user: z.string().optional(),
    metadata: metadataSchema,
  })
  .refine(
    (request) => request.model !== undefined || (typeof request['prompt'] === 'object' && request['prompt'] !== null),
    {
      message: 'is required',
      path: ['model'],
    },
  );

/** A Responses API request body (the validated fields typed, the rest kept). */
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
