import { z } from 'zod';

/**
 * A tool call the model made, as it appears in an assistant message's `tool_calls`:
 * a function call with its name and JSON `arguments` string, or a custom tool call with
 * its raw `input`. Unknown extra fields are kept.
 */
export const toolCallSchema = z.discriminatedUnion('type', [
  z.looseObject({
    id: z.string().min(1),
    type: z.literal('function'),
    function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
  }),
  z.looseObject({
    id: z.string().min(1),
    type: z.literal('custom'),
    custom: z.looseObject({ name: z.string().min(1), input: z.string() }),
  }),
]);

/** A tool call in an assistant message. */
export type ToolCall = z.infer<typeof toolCallSchema>;
