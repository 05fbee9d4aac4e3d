import { z } from 'zod';
import { otherTaggedItem } from '../internal/other-tagged-item.ts';

const knownContentTypes = ['input_text', 'input_image', 'input_file', 'output_text', 'refusal'];

const contentPart = z.union([
  z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('input_text'), text: z.string() }),
    z
      .looseObject({
        type: z.literal('input_image'),
        image_url: z
          .string()
          .refine((url) => URL.canParse(url), { message: 'must be a valid url' })
          .nullish(),
        file_id: z.string().nullish(),
        detail: z.enum(['low', 'high', 'auto', 'original']).optional(),
      })
      .refine((part) => typeof part.image_url === 'string' || typeof part.file_id === 'string', {
        message: 'must have image_url or file_id',
        path: ['image_url'],
      }),
    z
      .looseObject({
        type: z.literal('input_file'),
        file_id: z.string().nullish(),
        file_data: z.string().optional(),
        file_url: z
          .string()
          .refine((url) => URL.canParse(url), { message: 'must be a valid url' })
          .optional(),
        filename: z.string().optional(),
      })
      .refine(
        (part) => typeof part.file_id === 'string' || part.file_data !== undefined || part.file_url !== undefined,
        {
          message: 'must have file_id, file_data or file_url',
          path: ['file_id'],
        },
      ),
    z.looseObject({ type: z.literal('output_text'), text: z.string() }),
    z.looseObject({ type: z.literal('refusal'), refusal: z.string() }),
  ]),
  otherTaggedItem(knownContentTypes),
]);

const knownItemTypes = ['message', 'function_call', 'function_call_output', 'item_reference'];

/**
 * One item of a Responses API `input` list:
 *
 * - a message (`role` user, assistant, system or developer; `type: 'message'`
 *   optional) whose `content` is text or parts (`input_text`, `input_image`,
 *   `input_file`, and `output_text`/`refusal` for earlier assistant output);
 * - a `function_call` (`call_id`, `name`, `arguments`) and its
 *   `function_call_output` (`call_id`, `output`);
 * - an `item_reference` (`id`);
 * - any other item with a `type` (reasoning, built-in tool calls, items the API adds
 *   later), kept as it is so that a previous response's output can be sent back.
 *
 * Unknown extra fields are kept.
 */
export const responsesInputItemSchema = z.union([
  z.looseObject({
    type: z.literal('message').optional(),
    role: z.enum(['user', 'assistant', 'system', 'developer']),
    content: z.union([z.string(), z.array(contentPart)]),
  }),
  z.discriminatedUnion('type', [
    z.looseObject({
      type: z.literal('function_call'),
      call_id: z.string().min(1),
      name: z.string().min(1),
      arguments: z.string(),
    }),
    z.looseObject({
      type: z.literal('function_call_output'),
      call_id: z.string().min(1).max(64),
      output: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]),
    }),
    z.looseObject({ type: z.literal('item_reference'), id: z.string().min(1) }),
  ]),
  otherTaggedItem(knownItemTypes),
]);

/** One item of a Responses API `input` list. */
export type ResponsesInputItem = z.infer<typeof responsesInputItemSchema>;
