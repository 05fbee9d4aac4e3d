import { describe, expect, it } from 'vitest';
import { suite, suiteOperations } from './support/live-suite.ts';

describe('chat.stream', () => {
  it('streams text deltas and ends with the usage the server reported in its last chunk', async () => {
    const operations = suiteOperations();
    const stream = operations.chat.stream({
      model: suite.chatModel,
      messages: [{ role: 'user', content: 'Count from one to five in words.' }],
      max_completion_tokens: 16,
    });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'text-delta') text += event.delta;
    }
    const result = await stream.result;
    expect(result.isOk()).toBe(true);
    const { value, meta } = result._unsafeUnwrap();
    expect(types.filter((type) => type === 'text-delta').length).toBeGreaterThan(0);
    expect(types).toContain('usage');
    expect(types.at(-1)).toBe('end');
    expect(value.text).toBe(text);
    expect(meta.usage?.outputTokens).toBeGreaterThan(0);
    expect(meta.usage?.outputTokens).toBeLessThanOrEqual(16);
    // Reported by the server (stream_options.include_usage), not estimated from the text.
    expect(operations.usage.report().total.estimatedRequests).toBe(0);
  });
});
