import { z } from 'zod';
import { chatContentPartSchema, chatRefusalPartSchema, chatTextPartSchema } from './chat-content-part.ts';
import { toolCallSchema } from './tool-call.ts';

const textContent = z.union([z.string(), z.array(chatTextPartSchema).min(1)]);

const assistantMessage = z
  .looseObject({
    role: z.literal('assistant'),
    content: z
      .union([z.string(), z.array(z.discriminatedUnion('type', [chatTextPartSchema, chatRefusalPartSchema])).min(1)])
      .nullish(),
    refusal: z.string().nullish(),
    name: z.string().optional(),
    audio: z.looseObject({ id: z.string().min(1) }).nullish(),
    tool_calls: z.array(toolCallSchema).optional(),
    function_call: z.looseObject({ name: z.string(), arguments: z.string() }).nullish(),
  })
  .refine(
    (message) =>
      (message.content !== undefined && message.content !== null) ||
      (message.tool_calls !== undefined && message.tool_calls.length > 0) ||
      (message.function_call !== undefined && message.function_call !== null) ||
      (message.audio !== undefined && message.audio !== null) ||
      (message.refusal !== undefined && message.refusal !== null),
    { message: 'is required unless tool_calls, audio or refusal is given', path: ['content'] },
  );

/**
 * One chat message of any role, discriminated by `role`:
 *
 * - `system` and `developer`: instructions, as text or text parts;
 * - `user`: text, or parts (`text`, `image_url`, `input_audio`, `file`);
 * - `assistant`: earlier model output: `content` (text or text/refusal parts) and/or
 *   `tool_calls`;
 * - `tool`: a tool result, with the `tool_call_id` it answers;
 * - `function`: the deprecated predecessor of `tool`.
 *
 * Unknown extra fields are kept, never dropped.
 */
export const chatMessageSchema = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: textContent, name: z.string().optional() }),
  z.looseObject({ role: z.literal('developer'), content: textContent, name: z.string().optional() }),
  z.looseObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(chatContentPartSchema).min(1)]),
    name: z.string().optional(),
  }),
  assistantMessage,
  z.looseObject({ role: z.literal('tool'), content: textContent, tool_call_id: z.string().min(1) }),
  z.looseObject({ role: z.literal('function'), content: z.string().nullable(), name: z.string().min(1) }),
]);

/** One chat message (any role). */
export type ChatMessage = z.infer<typeof chatMessageSchema>;
