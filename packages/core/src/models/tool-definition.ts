import { z } from 'zod';
import { toolNameSchema as toolName } from '../internal/tool-name.ts';

/**
 * A tool the model may call in a chat completion: a `function` tool (name,
 * description, JSON-schema `parameters`, `strict` for Structured Outputs) or a
 * `custom` tool (free-form input, optionally constrained by a grammar `format`).
 * Unknown extra fields are kept.
 */
export const toolDefinitionSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('function'),
    function: z.looseObject({
      name: toolName,
      description: z.string().optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
  z.looseObject({
    type: z.literal('custom'),
    custom: z.looseObject({
      name: toolName,
      description: z.string().optional(),
      format: z.looseObject({ type: z.string() }).optional(),
    }),
  }),
]);

/** A chat completions tool definition. */
export type ToolDefinition = z.infer<typeof toolDefinitionSchema>;
