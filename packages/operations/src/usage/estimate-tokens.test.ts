import { describe, expect, it } from 'vitest';
import { countPromptTokens, estimateInputTokens, loadTokenCounter } from './estimate-tokens.ts';

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
    expect(await estimateInputTokens([{ role: 'user', content: 'Hello world' }, { role: 'assistant', content: 'Hi' }])).toBeGreaterThan(oneMessage);
  });

  it('counts text parts and tool definitions but not image data', async () => {
    const withImage = await estimateInputTokens([
      { role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,'.padEnd(5_000, 'A') } }] },
    ]);
    expect(withImage).toBeLessThan(20);
    expect(await estimateInputTokens('x', { name: 'get_weather', description: 'Get the weather for a city' })).toBeGreaterThan(5);
  });
});
