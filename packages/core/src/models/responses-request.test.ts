import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { parseInput } from './parse-input.ts';
import { responsesInputItemSchema } from './responses-input-item.ts';
import { responsesRequestSchema } from './responses-request.ts';

const base = { model: 'gpt-4.1-mini', input: 'Write a haiku.' };
const problems = (value: unknown) =>
  parseInput(responsesRequestSchema, value)
    ._unsafeUnwrapErr()
    .issues.map(({ path, message }) => `${path}: ${message}`);

describe('responsesRequestSchema', () => {
  it('accepts text input', () => {
    expect(parseInput(responsesRequestSchema, base)).toEqual(ok(base));
  });

  it('accepts a request using every validated field, and keeps unknown ones', () => {
    const request = {
      model: 'gpt-5-mini',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: 'What is the weather in Paris?' },
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Use metric units.' }] },
        {
          role: 'user',
          content: [
            { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'auto' },
            { type: 'input_image', file_id: 'file-1', detail: 'original' },
            { type: 'input_file', file_id: 'file-2' },
            { type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
            { type: 'input_file', file_url: 'https://example.com/a.pdf' },
          ],
        },
        {
          type: 'message',
          role: 'assistant',
          id: 'msg_1',
          status: 'completed',
          content: [
            { type: 'output_text', text: 'Sunny', annotations: [] },
            { type: 'refusal', refusal: 'no' },
          ],
        },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"temperature":21}' },
        { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: 'done' }] },
        { type: 'item_reference', id: 'msg_0' },
        { role: 'user', content: [{ type: 'input_video', video_url: 'https://example.com/v.mp4' }] },
      ],
      temperature: 1.2,
      top_p: 0.5,
      max_output_tokens: 16,
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Weather',
          parameters: { type: 'object', properties: {} },
          strict: true,
        },
        { type: 'web_search_preview' },
        { type: 'file_search', vector_store_ids: ['vs_1'] },
      ],
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: true,
      text: {
        format: { type: 'json_schema', name: 'weather', schema: { type: 'object' }, strict: true },
        verbosity: 'low',
      },
      previous_response_id: 'resp_1',
      store: true,
      background: false,
      stream: false,
      user: 'user-1',
      metadata: { team: 'search' },
      reasoning: { effort: 'low' },
      truncation: 'auto',
    };
    expect(parseInput(responsesRequestSchema, request)).toEqual(ok(request));
  });

  it.each(['none', 'auto', 'required', { type: 'file_search' }])('accepts tool_choice %j', (toolChoice) => {
    expect(parseInput(responsesRequestSchema, { ...base, tool_choice: toolChoice }).isOk()).toBe(true);
  });

  it.each([{ type: 'text' }, { type: 'json_object' }])('accepts text.format %j', (format) => {
    expect(parseInput(responsesRequestSchema, { ...base, text: { format } }).isOk()).toBe(true);
  });

  it('accepts a stored prompt in place of a model', () => {
    expect(parseInput(responsesRequestSchema, { prompt: { id: 'pmpt_1' }, input: 'x' }).isOk()).toBe(true);
  });

  it.each([
    [{ model: undefined }, 'model: is required'],
    [{ model: '' }, 'model: must be at least 1 character long'],
    [{ input: 5 }, 'input: expected string or array, received number'],
    [
      { input: [{ role: 'robot', content: 'x' }] },
      "input[0].role: must be one of 'user', 'assistant', 'system', 'developer'",
    ],
    [{ input: [{ role: 'user' }] }, 'input[0].content: is required'],
    [{ input: [{ role: 'user', content: [{ type: 'input_text' }] }] }, 'input[0].content[0].text: is required'],
    [
      { input: [{ role: 'user', content: [{ type: 'input_image', detail: 'auto' }] }] },
      'input[0].content[0].image_url: must have image_url or file_id',
    ],
    [
      { input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'nope' }] }] },
      'input[0].content[0].image_url: must be a valid url',
    ],
    [
      { input: [{ role: 'user', content: [{ type: 'input_file' }] }] },
      'input[0].content[0].file_id: must have file_id, file_data or file_url',
    ],
    [{ input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0].call_id: is required'],
    [
      { input: [{ type: 'function_call_output', call_id: 'c', output: 5 }] },
      'input[0].output: expected string or array, received number',
    ],
    [{ input: [{ type: 'function_call', call_id: 'c', name: 'f' }] }, 'input[0].arguments: is required'],
    [{ input: [{ type: 'item_reference' }] }, 'input[0].id: is required'],
    [{ input: ['text'] }, 'input[0]: expected object, received string'],
    [{ temperature: 2.1 }, 'temperature: must be at most 2'],
    [{ top_p: -1 }, 'top_p: must be at least 0'],
    [{ max_output_tokens: 15 }, 'max_output_tokens: must be at least 16'],
    [{ tools: [{ type: 'function', name: 'bad name' }] }, 'tools[0].name: must be 1-64 letters, digits, _ or -'],
    [{ tools: [{ type: 'function' }] }, 'tools[0].name: is required'],
    [{ tools: [{ name: 'f' }] }, 'tools[0].type: is required'],
    [{ tool_choice: { type: 'function' } }, 'tool_choice.name: is required'],
    [{ tool_choice: 'always' }, "tool_choice: must be one of 'none', 'auto', 'required'"],
    [{ text: { format: { type: 'json_schema', name: 'x' } } }, 'text.format.schema: is required'],
    [{ text: { format: { type: 'xml' } } }, "text.format.type: must be one of 'text', 'json_object', 'json_schema'"],
    [{ previous_response_id: '' }, 'previous_response_id: must be at least 1 character long'],
    [{ store: 'yes' }, 'store: expected boolean, received string'],
    [{ background: 1 }, 'background: expected boolean, received number'],
    [{ metadata: { k: 1 } }, 'metadata.k: expected string, received number'],
  ])('rejects %j with "%s"', (patch, expected) => {
    expect(problems({ ...base, ...patch })).toContain(expected);
  });
});

describe('responsesInputItemSchema', () => {
  it('keeps items of kinds it does not know, so earlier output can be sent back', () => {
    const item = { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { query: 'x' } };
    expect(parseInput(responsesInputItemSchema, item)).toEqual(ok(item));
  });

  it('reports an empty object through the message shape', () => {
    const issues = parseInput(responsesInputItemSchema, {})
      ._unsafeUnwrapErr()
      .issues.map((issue) => issue.path);
    expect(issues).toEqual(['role', 'content']);
  });
});
