import { describe, expect, it } from 'vitest';
import { estimateInputTokens } from './estimate-tokens.ts';

describe('estimateInputTokens', () => {
  it('counts a plain string with the o200k tokenizer', () => {
    expect(estimateInputTokens('Hello world')).toBe(2);
  });

  it('adds the chat format overhead per message', () => {
    const oneMessage = estimateInputTokens([{ role: 'user', content: 'Hello world' }]);
    // 'user' (1) + 'Hello world' (2) + 3 per message + 3 for the reply.
    expect(oneMessage).toBe(9);
    expect(estimateInputTokens([{ role: 'user', content: 'Hello world' }, { role: 'assistant', content: 'Hi' }])).toBeGreaterThan(oneMessage);
  });

  it('counts text parts and tool definitions but not image data', () => {
    const withImage = estimateInputTokens([
      { role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,'.padEnd(5_000, 'A') } }] },
    ]);
    expect(withImage).toBeLessThan(20);
    expect(estimateInputTokens('x', { name: 'get_weather', description: 'Get the weather for a city' })).toBeGreaterThan(5);
  });
});
