/** Counts the tokens of a text with the o200k encoding. */
export type TokenCounter = (text: string) => number;

let loading: Promise<TokenCounter> | undefined;
let loaded: TokenCounter | undefined;

/**
 * The estimate OpenAI's rate limiter itself uses for prompts: about four characters a
 * token. Cheap enough for every call; the tokenizer is used where exactness matters.
 */
export const roughTokenCounter: TokenCounter = (text) => Math.ceil(text.length / 4);

/** The tokenizer if it has been loaded already, else {@link roughTokenCounter}. */
export const bestLoadedCounter = (): TokenCounter => loaded ?? roughTokenCounter;

/**
 * Loads the o200k tokenizer bundled with `gpt-tokenizer` (nothing is downloaded) on
 * first use and returns its counter; later calls get the same one. Loading takes about
 * 0.1 s and 70 MB, so it happens on the first call that needs it (a budget check, a
 * prompt near a context window, embeddings split by tokens), never at import time.
 */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= import('gpt-tokenizer').then((module) => {
    loaded = module.countTokens;
    return module.countTokens;
  });
  return loading;
}

// Per-message framing of the chat format (role and separators), as in OpenAI's cookbook.
const tokensPerMessage = 3;
const tokensPerReply = 3;

/** Sums `counter` over every string in `value` (no arrays of texts built: this runs on every call). */
function countTexts(counter: TokenCounter, value: unknown, depth = 0): number {
  if (depth > 20) return 0;
  if (typeof value === 'string') return counter(value);
  let sum = 0;
  if (Array.isArray(value)) {
    for (const item of value) sum += countTexts(counter, item, depth + 1);
    return sum;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      // Images and audio are priced differently and are not text; ids are not sent as prompt text.
      if (!Object.hasOwn(record, key) || key === 'image_url' || key === 'input_audio' || key === 'file_data' || key === 'tool_call_id') continue;
      sum += countTexts(counter, record[key], depth + 1);
    }
  }
  return sum;
}

/**
 * Counts the input tokens of a prompt with a loaded counter: every string in it
 * (message contents, text parts, tool definitions passed in `extra`), plus the chat
 * format's per-message overhead for a message list. Images and audio are not counted.
 */
export function countPromptTokens(counter: TokenCounter, input: unknown, extra?: unknown): number {
  const messages = Array.isArray(input) ? input.length : 0;
  const framing = messages > 0 ? messages * tokensPerMessage + tokensPerReply : 0;
  return framing + countTexts(counter, input) + (extra === undefined ? 0 : countTexts(counter, extra));
}

/**
 * Estimates the input tokens of a prompt with the o200k tokenizer (the encoding of
 * current OpenAI models). A message list adds the chat format's per-message overhead;
 * tool definitions can be passed in `extra`. Used before a call for budgets and
 * rate-limit pacing; the server's `usage` stays the truth.
 *
 * @example
 * await estimateInputTokens([{ role: 'user', content: 'Hello world' }]); // 9
 */
export async function estimateInputTokens(input: unknown, extra?: unknown): Promise<number> {
  return countPromptTokens(await loadTokenCounter(), input, extra);
}
