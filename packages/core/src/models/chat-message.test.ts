import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { chatMessageSchema } from './chat-message.ts';
import { parseInput } from './parse-input.ts';

const issuesOf = (value: unknown) =>
  parseInput(chatMessageSchema, value)
    ._unsafeUnwrapErr()
    .issues.map(({ path, message }) => `${path}: ${message}`);

describe('chatMessageSchema', () => {
  it.each([
    { role: 'system', content: 'Be brief.' },
    { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }], name: 'ops' },
    { role: 'user', content: 'Hello' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these?' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
        { type: 'file', file: { file_id: 'file-abc' } },
        { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
      ],
    },
    { role: 'assistant', content: 'Hi!' },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'a' },
        { type: 'refusal', refusal: 'no' },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ],
    },
    { role: 'assistant', tool_calls: [{ id: 'call_2', type: 'custom', custom: { name: 'sql', input: 'select 1' } }] },
    { role: 'assistant', refusal: 'I cannot help with that.' },
    { role: 'assistant', audio: { id: 'audio_1' } },
    { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } },
    { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21}' },
    { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'done' }] },
    { role: 'function', name: 'f', content: null },
  ])('accepts a valid $role message', (message) => {
    expect(parseInput(chatMessageSchema, message)).toEqual(ok(message));
  });

  it('keeps unknown extra fields', () => {
    const message = { role: 'user', content: 'hi', cache_control: { type: 'ephemeral' }, future_field: 1 };
    expect(parseInput(chatMessageSchema, message)).toEqual(ok(message));
  });

  it.each([
    [
      { role: 'robot', content: 'x' },
      "role: must be one of 'system', 'developer', 'user', 'assistant', 'tool', 'function'",
    ],
    [{ content: 'x' }, 'role: is required'],
    [{ role: 'user' }, 'content: is required'],
    [{ role: 'user', content: 5 }, 'content: expected string or array, received number'],
    [{ role: 'user', content: [] }, 'content: must have at least 1 item'],
    [{ role: 'user', content: [{ type: 'text' }] }, 'content[0].text: is required'],
    [
      { role: 'user', content: [{ type: 'video', url: 'x' }] },
      "content[0].type: must be one of 'text', 'image_url', 'input_audio', 'file'",
    ],
    [
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'not a url' } }] },
      'content[0].image_url.url: must be a valid url',
    ],
    [
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.io/a.png', detail: 'max' } }] },
      "content[0].image_url.detail: must be one of 'auto', 'low', 'high'",
    ],
    [
      { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'ogg' } }] },
      "content[0].input_audio.format: must be one of 'wav', 'mp3'",
    ],
    [
      { role: 'user', content: [{ type: 'file', file: { filename: 'a.pdf' } }] },
      'content[0].file: must have file_id or file_data',
    ],
    [
      { role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x.io' } }] },
      "content[0].type: must be 'text'",
    ],
    [{ role: 'tool', content: 'x' }, 'tool_call_id: is required'],
    [{ role: 'tool', content: 'x', tool_call_id: '' }, 'tool_call_id: must be at least 1 character long'],
    [{ role: 'assistant' }, 'content: is required unless tool_calls, audio or refusal is given'],
    [
      { role: 'assistant', content: null, tool_calls: [] },
      'content: is required unless tool_calls, audio or refusal is given',
    ],
    [
      { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f' } }] },
      'tool_calls[0].function.arguments: is required',
    ],
    [
      { role: 'assistant', tool_calls: [{ id: 'c', type: 'other' }] },
      "tool_calls[0].type: must be one of 'function', 'custom'",
    ],
  ])('rejects %j with "%s"', (message, expected) => {
    expect(issuesOf(message)).toContain(expected);
  });
});
