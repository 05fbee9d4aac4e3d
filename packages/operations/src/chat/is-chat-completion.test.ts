import { describe, expect, it } from 'vitest';
import { isChatCompletion } from './is-chat-completion.ts';

const withMessage = (message: unknown): unknown => ({ choices: [{ index: 0, message, finish_reason: 'stop' }] });
const functionCall = { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } };

describe('isChatCompletion', () => {
  it('accepts what an answer can be read from', () => {
    for (const body of [
      { choices: [] },
      withMessage(undefined),
      withMessage(null),
      withMessage({ content: 'hi' }),
      withMessage({ content: null, tool_calls: null }),
      withMessage({ content: null, tool_calls: [functionCall] }),
      // A custom tool call is kept in the raw completion, not read.
      withMessage({ content: null, tool_calls: [{ id: 'call_2', type: 'custom', custom: { name: 'x', input: '' } }] }),
    ]) {
      expect(isChatCompletion(body)).toBe(true);
    }
  });

  it('refuses what reading an answer would crash on or misread', () => {
    for (const body of [
      null,
      'text',
      [],
      {},
      { choices: {} },
      { choices: [null] },
      { choices: [[]] },
      withMessage('hi'),
      withMessage({ tool_calls: {} }),
      withMessage({ tool_calls: [null] }),
      withMessage({ tool_calls: [{ type: 'function' }] }),
      withMessage({ tool_calls: [{ type: 'function', function: { name: 'lookup', arguments: {} } }] }),
    ]) {
      expect(isChatCompletion(body)).toBe(false);
    }
  });
});
