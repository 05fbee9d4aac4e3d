import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from './chat-completion-request.ts';
import { parseInput } from './parse-input.ts';

const base = { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hello' }] };
const problems = (value: unknown) =>
  parseInput(chatCompletionRequestSchema, value)
    ._unsafeUnwrapErr()
    .issues.map(({ path, message }) => `${path}: ${message}`);

describe('chatCompletionRequestSchema', () => {
  it('accepts a minimal request', () => {
    expect(parseInput(chatCompletionRequestSchema, base)).toEqual(ok(base));
  });

  it('accepts a request using every validated field, and keeps unknown ones', () => {
    const request = {
      ...base,
      temperature: 0,
      top_p: 1,
      frequency_penalty: -2,
      presence_penalty: 2,
      max_tokens: 100,
      max_completion_tokens: 200,
      stop: ['\n', 'END'],
      n: 2,
      seed: -42,
      logprobs: true,
      top_logprobs: 20,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
              additionalProperties: false,
            },
            strict: true,
          },
        },
        {
          type: 'custom',
          custom: { name: 'sql', format: { type: 'grammar', grammar: { syntax: 'lark', definition: 'start: "x"' } } },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'weather', schema: { type: 'object' }, strict: true },
      },
      stream: true,
      stream_options: { include_usage: true },
      user: 'user-1',
      store: false,
      metadata: { team: 'search' },
      reasoning_effort: 'low',
      service_tier: 'flex',
    };
    expect(parseInput(chatCompletionRequestSchema, request)).toEqual(ok(request));
  });

  it.each([
    ['none'],
    ['auto'],
    ['required'],
    [{ type: 'custom', custom: { name: 'sql' } }],
    [
      {
        type: 'allowed_tools',
        allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'a' } }] },
      },
    ],
  ])('accepts tool_choice %j', (toolChoice) => {
    expect(parseInput(chatCompletionRequestSchema, { ...base, tool_choice: toolChoice }).isOk()).toBe(true);
  });

  it.each([{ type: 'text' }, { type: 'json_object' }])('accepts response_format %j', (format) => {
    expect(parseInput(chatCompletionRequestSchema, { ...base, response_format: format }).isOk()).toBe(true);
  });

  it('accepts null for the nullable parameters and a single stop string', () => {
    expect(
      parseInput(chatCompletionRequestSchema, {
        ...base,
        temperature: null,
        top_p: null,
        max_tokens: null,
        stop: 'END',
        n: null,
        stream: null,
        metadata: null,
      }).isOk(),
    ).toBe(true);
  });

  it.each([
    [{ temperature: 2.5 }, 'temperature: must be at most 2'],
    [{ temperature: -0.1 }, 'temperature: must be at least 0'],
    [{ top_p: 1.1 }, 'top_p: must be at most 1'],
    [{ frequency_penalty: 3 }, 'frequency_penalty: must be at most 2'],
    [{ max_tokens: 0 }, 'max_tokens: must be greater than 0'],
    [{ max_completion_tokens: 1.5 }, 'max_completion_tokens: must be an integer'],
    [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop: must have at most 4 items'],
    [{ stop: [] }, 'stop: must have at least 1 item'],
    [{ stop: 5 }, 'stop: expected string or array, received number'],
    [{ n: 0 }, 'n: must be at least 1'],
    [{ n: 129 }, 'n: must be at most 128'],
    [{ seed: 1.5 }, 'seed: must be an integer'],
    [{ top_logprobs: 21 }, 'top_logprobs: must be at most 20'],
    [{ model: '' }, 'model: must be at least 1 character long'],
    [{ model: undefined }, 'model: is required'],
    [{ messages: [] }, 'messages: must have at least 1 item'],
    [{ messages: [{ role: 'user', content: 1 }] }, 'messages[0].content: expected string or array, received number'],
    [
      {
        messages: [
          { role: 'user', content: 'a' },
          { role: 'tool', content: 'b' },
        ],
      },
      'messages[1].tool_call_id: is required',
    ],
    [
      { tools: [{ type: 'function', function: { name: 'has space' } }] },
      'tools[0].function.name: must be 1-64 letters, digits, _ or -',
    ],
    [
      { tools: [{ type: 'function', function: { name: 'f', parameters: 'schema' } }] },
      'tools[0].function.parameters: expected record, received string',
    ],
    [
      { tools: [{ type: 'function', function: { name: 'f', strict: 'yes' } }] },
      'tools[0].function.strict: expected boolean, received string',
    ],
    [{ tools: [{ type: 'retrieval' }] }, "tools[0].type: must be one of 'function', 'custom'"],
    [{ tool_choice: 'any' }, "tool_choice: must be one of 'none', 'auto', 'required'"],
    [{ tool_choice: { type: 'function', function: {} } }, 'tool_choice.function.name: is required'],
    [
      { response_format: { type: 'yaml' } },
      "response_format.type: must be one of 'text', 'json_object', 'json_schema'",
    ],
    [
      { response_format: { type: 'json_schema', json_schema: { name: 'bad name!' } } },
      'response_format.json_schema.name: must be 1-64 letters, digits, _ or -',
    ],
    [{ stream_options: { include_usage: true } }, 'stream_options: is only allowed when stream is true'],
    [{ metadata: { key: 'x'.repeat(513) } }, 'metadata.key: must be at most 512 characters long'],
    [
      { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v'])) },
      'metadata: must have at most 16 entries',
    ],
  ])('rejects %j with "%s"', (patch, expected) => {
    expect(problems({ ...base, ...patch })).toContain(expected);
  });

  it('reports several problems at once with their paths', () => {
    const error = parseInput(chatCompletionRequestSchema, {
      ...base,
      temperature: 3,
      messages: [{ role: 'user' }],
    })._unsafeUnwrapErr();
    expect(error.issues.map((issue) => issue.path)).toEqual(['messages[0].content', 'temperature']);
    expect(error.message).toBe('invalid arguments: messages[0].content: is required; temperature: must be at most 2');
  });
});
