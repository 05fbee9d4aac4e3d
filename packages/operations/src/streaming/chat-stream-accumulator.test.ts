import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { createChatStreamAccumulator } from './chat-stream-accumulator.ts';

const chunk = (choices: unknown[], usage: unknown = null): ChatCompletionChunk =>
  ({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices,
    usage,
  }) as ChatCompletionChunk;

describe('createChatStreamAccumulator', () => {
  it('is complete with a finish reason and the [DONE] terminator, with or without a usage chunk', () => {
    const accumulator = createChatStreamAccumulator();
    accumulator.push(chunk([{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }]));
    expect(accumulator.isComplete(true)).toBe(false);
    accumulator.push(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
    expect(accumulator.isComplete(true)).toBe(true);
    expect(accumulator.isComplete(false)).toBe(false);
    accumulator.push(chunk([], { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 }));
    expect(accumulator.isComplete(true)).toBe(true);
    expect(accumulator.isComplete(false)).toBe(false);
    expect(accumulator.final()).toMatchObject({
      id: 'chatcmpl-1',
      text: 'Hi',
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
    });
    expect(createChatStreamAccumulator().isComplete(true)).toBe(false);
  });

  it("starts with the chunk that names the completion, not Azure's frame of prompt filter results before it", () => {
    const accumulator = createChatStreamAccumulator();
    // Azure sends `object: ''` too, which the SDK's type does not allow.
    const preamble = {
      ...chunk([]),
      id: '',
      model: '',
      created: 0,
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
    };
    expect(accumulator.push(preamble)).toEqual([]);
    expect(accumulator.push(chunk([{ index: 0, delta: { content: 'Hi' }, finish_reason: null }]))).toEqual([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o-mini' },
      { type: 'text-delta', delta: 'Hi' },
    ]);
    expect(accumulator.partial()).toMatchObject({ responseId: 'chatcmpl-1', eventsReceived: 2 });
    // A server that names nothing still starts, with nulls rather than empty strings.
    const anonymous = createChatStreamAccumulator();
    const unnamed = { ...chunk([{ index: 0, delta: { content: 'x' }, finish_reason: null }]), id: '', model: '' };
    expect(anonymous.push(unnamed)[0]).toEqual({ type: 'start', id: null, model: null });
  });

  it('collects refusals, ignores other choices and unusable usage', () => {
    const accumulator = createChatStreamAccumulator();
    const events = accumulator.push(
      chunk(
        [
          { index: 0, delta: { refusal: 'I cannot' }, finish_reason: null },
          { index: 1, delta: { content: 'other choice' }, finish_reason: null },
        ],
        { prompt_tokens: -1, completion_tokens: 0 },
      ),
    );
    expect(events).toEqual([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o-mini' },
      { type: 'refusal-delta', delta: 'I cannot' },
    ]);
    expect(accumulator.usage()).toBeUndefined();
    expect(accumulator.failure()).toBeUndefined();
    expect(accumulator.final()).toMatchObject({ text: '', refusal: 'I cannot', usage: null });
  });

  it('joins tool-call fragments by index', () => {
    const accumulator = createChatStreamAccumulator();
    accumulator.push(
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a"' } }],
          },
          finish_reason: null,
        },
      ]),
    );
    accumulator.push(
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }, { index: 1 }] },
          finish_reason: 'tool_calls',
        },
      ]),
    );
    expect(accumulator.partial().toolCalls).toEqual([
      { index: 0, id: 'call_1', name: 'f', arguments: '{"a":1}' },
      { index: 1, id: null, name: null, arguments: '' },
    ]);
    expect(accumulator.final().toolCalls[1]).toEqual({ id: '', name: '', arguments: '' });
  });
});
