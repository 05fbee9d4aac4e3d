import { describe, expect, it } from 'vitest';
import { outputMessages, promptMessages, serializeContent } from './content-capture.ts';

describe('promptMessages', () => {
  it('reads chat messages with tool calls, and the instructions and input of a Responses API request', () => {
    expect(
      promptMessages({
        messages: [
          { role: 'system', content: 'Be brief' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', function: { name: 'f', arguments: '{}' } }] },
          { content: [{ type: 'text', text: 'hi' }] },
          42,
        ],
      }),
    ).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: '{}' }] },
      { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
    ]);
    expect(promptMessages({ instructions: 'Be brief', input: 'Hello' })).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Hello' }] },
    ]);
    expect(promptMessages({ input: ['one'] })).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'one' }] }]);
    expect(promptMessages({ input: [] })).toBeUndefined();
    expect(promptMessages(null)).toBeUndefined();
  });
});

describe('outputMessages', () => {
  it('reads the output items of a Responses API response and the tool calls of a stream result', () => {
    expect(outputMessages({ output: [{ type: 'message' }] })).toEqual([
      { role: 'assistant', parts: [{ type: 'message' }] },
    ]);
    expect(outputMessages({ text: '', toolCalls: [{ id: 'c1', name: 'f', arguments: '{"a":1}' }] })).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: '{"a":1}' }] },
    ]);
    expect(outputMessages({ choices: [null, { message: { content: 'x' } }] })).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'x' }] },
    ]);
    expect(outputMessages({ object: 'list' })).toBeUndefined();
    expect(outputMessages(undefined)).toBeUndefined();
  });
});

describe('serializeContent', () => {
  it('redacts keys and the known secrets, and cuts long content', () => {
    const messages = [
      { role: 'user', parts: [{ type: 'text', content: 'key sk-proj-abcdefghijklmnop1234 and hunter22' }] },
    ];
    const json = serializeContent(messages, { knownSecrets: () => ['hunter22'], maxLength: 1_000 });
    expect(json).not.toContain('sk-proj-abcdefghijklmnop1234');
    expect(json).not.toContain('hunter22');
    expect(json).toContain('[redacted]');
    expect(serializeContent(messages, { knownSecrets: undefined, maxLength: 10 })).toBe('[{"role":"…[truncated]');
  });
});
