import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { JsonShape } from '../call/send-attempt.ts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isToolCall(value: unknown): boolean {
  if (!isObject(value)) return false;
  // Only function calls are read; other kinds (custom tools) are kept in the raw completion.
  if (value['type'] !== 'function') return true;
  const fn = value['function'];
  return isObject(fn) && typeof fn['name'] === 'string' && typeof fn['arguments'] === 'string';
}

/**
 * Whether a parsed body is a chat completion as far as an answer reads it: an object
 * with a `choices` list whose first choice, if any, is an object with (if any) a
 * message object whose `tool_calls` (if any) is a list of tool calls. Anything else
 * (a proxy's `{"status":"ok"}`, an error object with status 200) is malformed, not a
 * crash further on.
 */
export function isChatCompletion(value: unknown): value is ChatCompletion {
  if (!isObject(value) || !Array.isArray(value['choices'])) return false;
  const first: unknown = value['choices'][0];
  if (first === undefined) return true;
  if (!isObject(first)) return false;
  const message = first['message'];
  if (message === undefined || message === null) return true;
  if (!isObject(message)) return false;
  const calls = message['tool_calls'];
  return calls === undefined || calls === null || (Array.isArray(calls) && calls.every(isToolCall));
}

/** The shape a chat completion body must have. */
export const chatCompletionShape: JsonShape<ChatCompletion> = {
  describe: 'a chat completion (an object with a "choices" list)',
  isExpected: isChatCompletion,
};
