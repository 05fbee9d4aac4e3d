import { countTokens } from 'gpt-tokenizer';

/** Anything whose text is sent to the model: a string, message list, or input items. */
export type TokenEstimateInput = unknown;

// Per-message framing of the chat format (role and separators), as in OpenAI's cookbook.
const tokensPerMessage = 3;
const tokensPerReply = 3;

function collectText(value: unknown, into: string[], depth = 0): void {
  if (depth > 20) return;
  if (typeof value === 'string') {
    into.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectText(item, into, depth + 1);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      // Images and audio are priced differently and are not text; ids are not sent as prompt text.
      if (key === 'image_url' || key === 'input_audio' || key === 'file_data' || key === 'tool_call_id') continue;
      collectText(item, into, depth + 1);
    }
  }
}

/**
 * Estimates the input tokens of a prompt with the o200k tokenizer (the encoding of
 * current OpenAI models, bundled with `gpt-tokenizer`: nothing is downloaded). A message
 * list adds the chat format's per-message overhead. Tool definitions can be passed in
 * `extra` and count as text. Used before a call for budgets and rate-limit pacing; the
 * server's `usage` stays the truth.
 *
 * @example
 * estimateInputTokens([{ role: 'user', content: 'Hello' }]); // 9
 */
export function estimateInputTokens(input: TokenEstimateInput, extra?: unknown): number {
  const texts: string[] = [];
  collectText(input, texts);
  if (extra !== undefined) collectText(extra, texts);
  const messages = Array.isArray(input) ? input.length : 0;
  const framing = messages > 0 ? messages * tokensPerMessage + tokensPerReply : 0;
  return texts.reduce((sum, text) => sum + countTokens(text), framing);
}
