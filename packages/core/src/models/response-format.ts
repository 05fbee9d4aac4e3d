import { z } from 'zod';
import { toolNameSchema } from '../internal/tool-name.ts';

/**
 * The `response_format` of a chat completion: `text`, `json_object` (JSON mode) or
 * `json_schema` (Structured Outputs, with a named schema and a `strict` flag).
 */
export const responseFormatSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: toolNameSchema,
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

/** A chat completions `response_format`. */
export type ResponseFormat = z.infer<typeof responseFormatSchema>;
