import { describe, expect, it, vi } from 'vitest';
import {
  countPromptTokens,
  createTokenCounterLoader,
  estimateInputTokens,
  loadTokenCounter,
  roughTokenCounter,
  tokenCounting,
} from './estimate-tokens.ts';

describe('estimateInputTokens', () => {
  it('loads the tokenizer once and shares it', async () => {
    expect(await loadTokenCounter()).toBe(await loadTokenCounter());
    expect(countPromptTokens(() => 1, ['a', 'b'])).toBe(2 + 2 * 3 + 3);
  });

  it('counts a plain string with the o200k tokenizer', async () => {
    expect(await estimateInputTokens('Hello world')).toBe(2);
  });

  it('adds the chat format overhead per message', async () => {
    const oneMessage = await estimateInputTokens([{ role: 'user', content: 'Hello world' }]);
    // 'user' (1) + 'Hello world' (2) + 3 per message + 3 for the reply.
    expect(oneMessage).toBe(9);
    expect(
      await estimateInputTokens([
        { role: 'user', content: 'Hello world' },
        { role: 'assistant', content: 'Hi' },
      ]),
    ).toBeGreaterThan(oneMessage);
  });

  it('counts text parts and tool definitions but not image data', async () => {
    const withImage = await estimateInputTokens([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,'.padEnd(5_000, 'A') } },
        ],
      },
    ]);
    expect(withImage).toBeLessThan(20);
    expect(
      await estimateInputTokens('x', { name: 'get_weather', description: 'Get the weather for a city' }),
    ).toBeGreaterThan(5);
  });
});

describe('tokenCounting', () => {
  it('is exact with gpt-tokenizer installed', async () => {
    expect(await tokenCounting()).toEqual({ exact: true });
  });
});

describe('createTokenCounterLoader', () => {
  it('imports once, on first use, and shares the exact counter', async () => {
    const countTokens = (text: string): number => text.length;
    const importTokenizer = vi.fn(() => Promise.resolve({ countTokens }));
    const loader = createTokenCounterLoader(importTokenizer);
    expect(importTokenizer).not.toHaveBeenCalled();
    expect(loader.loaded()).toBeUndefined();
    expect(await loader.load()).toBe(countTokens);
    expect(await loader.counting()).toEqual({ exact: true });
    expect(loader.loaded()).toBe(countTokens);
    expect(importTokenizer).toHaveBeenCalledTimes(1);
  });

  it('estimates at four characters a token when gpt-tokenizer is not installed, and says so', async () => {
    const missing = Object.assign(new Error("Cannot find package 'gpt-tokenizer'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const loader = createTokenCounterLoader(() => Promise.reject(missing));
    const counter = await loader.load();
    expect(counter).toBe(roughTokenCounter);
    expect(counter('12345678')).toBe(2);
    expect(loader.loaded()).toBeUndefined();
    expect(await loader.counting()).toEqual({
      exact: false,
      reason:
        'gpt-tokenizer is not installed; token counts are estimates (about 4 characters a token). Install gpt-tokenizer@^4 for exact counts.',
    });
  });

  it('keeps why a broken install could not load, within a bound', async () => {
    const loader = createTokenCounterLoader(() =>
      Promise.reject(new SyntaxError(`Unexpected token ${'x'.repeat(1_000)}`)),
    );
    const counting = await loader.counting();
    expect(counting.exact).toBe(false);
    if (counting.exact) return;
    expect(counting.reason).toMatch(
      /^gpt-tokenizer could not be loaded \(Unexpected token x+; token counts are estimates/,
    );
    expect(counting.reason.length).toBeLessThan(450);
    expect(
      await createTokenCounterLoader(() => Promise.reject(new Error('boom', { cause: 'x' }))).counting(),
    ).toMatchObject({ reason: expect.stringContaining('(boom)') as unknown });
    // A module may reject with any value, even one that cannot be turned into a string.
    const nonError = createTokenCounterLoader(() =>
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the loader must cope with a rejection that is not an Error
      Promise.reject(Object.assign(Object.create(null) as object, { code: 42 })),
    );
    expect(await nonError.counting()).toMatchObject({
      exact: false,
      reason: expect.stringContaining('(a value that is not an Error)') as unknown,
    });
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as above: a rejection with a bare string
    expect(await createTokenCounterLoader(() => Promise.reject('text')).counting()).toMatchObject({
      reason: expect.stringContaining('(text)') as unknown,
    });
  });

  it('estimates when the module has no countTokens (an unsupported version)', async () => {
    for (const module of [{}, null, 'module']) {
      const loader = createTokenCounterLoader(() => Promise.resolve(module));
      expect(await loader.load()).toBe(roughTokenCounter);
      expect(await loader.counting()).toMatchObject({
        exact: false,
        reason: expect.stringContaining('has no countTokens') as unknown,
      });
    }
  });
});
