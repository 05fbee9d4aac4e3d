/** Counts the tokens of a text: exactly with the o200k encoding, or estimated (see {@link tokenCounting}). */
export type TokenCounter = (text: string) => number;

/**
 * How {@link loadTokenCounter} counts: exactly, with the o200k encoding of the optional
 * peer `gpt-tokenizer`, or as an estimate of about four characters a token when that
 * package is not installed (or could not be loaded; `reason` says which, and what to do).
 */
export type TokenCounting = { readonly exact: true } | { readonly exact: false; readonly reason: string };

/**
 * The estimate OpenAI's rate limiter itself uses for prompts: about four characters a
 * token. Cheap enough for every call; the tokenizer is used where exactness matters.
 */
export const roughTokenCounter: TokenCounter = (text) => Math.ceil(text.length / 4);

/** The optional peer that counts exactly; imported on first need, never at import time. */
const tokenizerModule = 'gpt-tokenizer/encoding/o200k_base';

/** One lazily loaded tokenizer: what {@link loadTokenCounter} and {@link tokenCounting} share. */
export interface TokenCounterLoader {
  readonly load: () => Promise<TokenCounter>;
  readonly loaded: () => TokenCounter | undefined;
  readonly counting: () => Promise<TokenCounting>;
}

const longestReason = 300;

/**
 * Makes a loader that imports a tokenizer module with `importTokenizer` on first use and
 * shares it; when the import fails or the module has no `countTokens`, the loader counts
 * with {@link roughTokenCounter} and says why in {@link TokenCounting}. It never rejects.
 */
export function createTokenCounterLoader(importTokenizer: () => Promise<unknown>): TokenCounterLoader {
  let loading: Promise<{ readonly counter: TokenCounter; readonly counting: TokenCounting }> | undefined;
  let loaded: TokenCounter | undefined;
  const estimate = (why: string): { readonly counter: TokenCounter; readonly counting: TokenCounting } => ({
    counter: roughTokenCounter,
    counting: {
      exact: false,
      reason: `${why.slice(0, longestReason)}; token counts are estimates (about 4 characters a token). Install gpt-tokenizer@^4 for exact counts.`,
    },
  });
  const start = (): Promise<{ readonly counter: TokenCounter; readonly counting: TokenCounting }> =>
    (loading ??= importTokenizer().then(
      (module) => {
        const countTokens =
          typeof module === 'object' && module !== null
            ? (module as { readonly countTokens?: unknown }).countTokens
            : undefined;
        if (typeof countTokens !== 'function')
          return estimate(`${tokenizerModule} has no countTokens function (an unsupported gpt-tokenizer version?)`);
        const counter = countTokens as TokenCounter;
        loaded = counter;
        return { counter, counting: { exact: true } };
      },
      (error: unknown) => {
        const code =
          typeof error === 'object' && error !== null ? (error as { readonly code?: unknown }).code : undefined;
        if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
          return estimate('gpt-tokenizer is not installed');
        const message =
          error instanceof Error ? error.message : typeof error === 'string' ? error : 'a value that is not an Error';
        return estimate(`gpt-tokenizer could not be loaded (${message})`);
      },
    ));
  return {
    load: () => start().then(({ counter }) => counter),
    loaded: () => loaded,
    counting: () => start().then(({ counting }) => counting),
  };
}

const defaultLoader = createTokenCounterLoader(() => import(tokenizerModule));

/** The exact tokenizer if it has been loaded already, else {@link roughTokenCounter}. */
export const bestLoadedCounter = (): TokenCounter => defaultLoader.loaded() ?? roughTokenCounter;

/**
 * Loads the o200k tokenizer of the optional peer `gpt-tokenizer` (nothing is downloaded)
 * on first use and returns its counter; later calls get the same one. Loading takes about
 * 0.1 s and 70 MB, so it happens on the first call that needs it (a budget check, a
 * prompt near a context window, embeddings split by tokens), never at import time.
 * Without `gpt-tokenizer` installed it returns {@link roughTokenCounter}, and
 * {@link tokenCounting} says the counts are estimates. It never rejects.
 */
export function loadTokenCounter(): Promise<TokenCounter> {
  return defaultLoader.load();
}

/**
 * Says whether token counts (budgets, context-window checks, embeddings limits) are
 * exact or estimated, loading the tokenizer if needed. Counts are exact only when the
 * optional peer `gpt-tokenizer` is installed beside this package.
 *
 * @example
 * const counting = await tokenCounting();
 * if (!counting.exact) console.warn(counting.reason); // "gpt-tokenizer is not installed; token counts are estimates ..."
 */
export function tokenCounting(): Promise<TokenCounting> {
  return defaultLoader.counting();
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
      if (
        !Object.hasOwn(record, key) ||
        key === 'image_url' ||
        key === 'input_audio' ||
        key === 'file_data' ||
        key === 'tool_call_id'
      )
        continue;
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
 * current OpenAI models), or about four characters a token without the optional peer
 * `gpt-tokenizer` (see {@link tokenCounting}). A message list adds the chat format's per-message overhead;
 * tool definitions can be passed in `extra`. Used before a call for budgets and
 * rate-limit pacing; the server's `usage` stays the truth.
 *
 * @example
 * await estimateInputTokens([{ role: 'user', content: 'Hello world' }]); // 9
 */
export async function estimateInputTokens(input: unknown, extra?: unknown): Promise<number> {
  return countPromptTokens(await loadTokenCounter(), input, extra);
}
