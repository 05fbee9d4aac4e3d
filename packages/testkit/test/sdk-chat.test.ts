import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import { countTokens, createOpenAISimulator, type OpenAISimulator } from '../src/index.ts';
import { anyNumber, anyString, sdkFor, useSdkSimulator } from './support/sdk.ts';

const shared = useSdkSimulator(11);

const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', minLength: 2 },
        days: { type: 'integer', minimum: 1, maximum: 7 },
        unit: { type: 'string', enum: ['c', 'f'] },
      },
      required: ['city', 'days', 'unit'],
      additionalProperties: false,
    },
  },
};
const hello = [{ role: 'user' as const, content: 'Hello there, simulator!' }];

describe('createOpenAISimulator chat completions', () => {
  it('answers with usage that matches the countTokens rule for prompt and reply', async () => {
    const completion = await shared.client.chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
    const content = completion.choices[0]?.message.content ?? '';
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(content.length).toBeGreaterThan(0);
    expect(completion.usage).toMatchObject({
      prompt_tokens: countTokens('Hello there, simulator!') + 3 + 3,
      completion_tokens: countTokens(content),
      total_tokens: countTokens('Hello there, simulator!') + 6 + countTokens(content),
    });
  });

  it('gives the same content for the same seed and request, and different content for another seed', async () => {
    const other = await createOpenAISimulator({ seed: 12 });
    const twin = await createOpenAISimulator({ seed: 11 });
    try {
      const ask = (target: OpenAISimulator) =>
        sdkFor(target.baseURL)
          .chat.completions.create({ model: 'gpt-4o', messages: hello })
          .then((completion) => completion.choices[0]?.message.content);
      const first = await ask(shared.simulator);
      expect(await ask(twin)).toBe(first);
      expect(await ask(other)).not.toBe(first);
      const seeded = await shared.client.chat.completions
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- apps still send seed; it must change the content
        .create({ model: 'gpt-4o', messages: hello, seed: 5 })
        .then((c) => c.choices[0]?.message.content);
      expect(seeded).not.toBe(first);
    } finally {
      await other.close();
      await twin.close();
    }
  });

  it('streams the same text as the JSON reply, one chunk per token, with usage null on every chunk and a final usage chunk', async () => {
    const json = await shared.client.chat.completions.create({ model: 'gpt-4o', messages: hello });
    const stream = await shared.client.chat.completions.create({
      model: 'gpt-4o',
      messages: hello,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const contentChunks = chunks.filter((chunk) => (chunk.choices[0]?.delta.content ?? '') !== '');
    const text = contentChunks.map((chunk) => chunk.choices[0]?.delta.content).join('');
    expect(text).toBe(json.choices[0]?.message.content);
    expect(contentChunks).toHaveLength(countTokens(text));
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(countTokens(text));
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams a scripted 1,000-token reply as 1,000 content chunks', async () => {
    shared.simulator.enqueue('chat.completions', { type: 'reply', tokens: 1000 });
    const stream = await shared.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: hello,
      stream: true,
      stream_options: { include_usage: true },
    });
    let contentChunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      if ((chunk.choices[0]?.delta.content ?? '') !== '') contentChunks += 1;
      usage = chunk.usage ?? usage;
    }
    expect(contentChunks).toBe(1000);
    expect(usage?.completion_tokens).toBe(1000);
  });

  it('cuts the reply at max_tokens (or max_completion_tokens) with finish_reason length', async () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- most apps still send max_tokens; it must cut the reply
    const cut = await shared.client.chat.completions.create({ model: 'gpt-4o', messages: hello, max_tokens: 4 });
    expect(cut.choices[0]?.finish_reason).toBe('length');
    expect(cut.usage?.completion_tokens).toBe(4);
    expect(countTokens(cut.choices[0]?.message.content ?? '')).toBe(4);
    const stream = await shared.client.chat.completions.create({
      model: 'gpt-4o',
      messages: hello,
      max_completion_tokens: 3,
      stream: true,
    });
    const finishes: (string | null | undefined)[] = [];
    let pieces = 0;
    for await (const chunk of stream) {
      finishes.push(chunk.choices[0]?.finish_reason);
      if ((chunk.choices[0]?.delta.content ?? '') !== '') pieces += 1;
    }
    expect(pieces).toBe(3);
    expect(finishes.at(-1)).toBe('length');
  });

  it('returns n choices', async () => {
    const completion = await shared.client.chat.completions.create({ model: 'gpt-4o-mini', messages: hello, n: 3 });
    expect(completion.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    expect(new Set(completion.choices.map((choice) => choice.message.content)).size).toBe(3);
  });

  it('calls the offered tool with arguments generated from its JSON schema, then answers in text after the tool result', async () => {
    const ajv = new Ajv2020();
    const first = await shared.client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weather],
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(first.choices[0]?.message.content).toBeNull();
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(ajv.validate(weather.function.parameters, JSON.parse(call.function.arguments))).toBe(true);
    const second = await shared.client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"celsius": 21}' },
      ],
      tools: [weather],
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toEqual(anyString);
  });

  it('streams tool calls as tool_call deltas that the SDK assembles into the same call', async () => {
    const runner = shared.client.chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [weather],
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.id).toMatch(/^call_/);
    expect(JSON.parse(call.function.arguments)).toMatchObject({ city: anyString, days: anyNumber });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it("follows tool_choice: 'none' answers in text, a named function is the one called", async () => {
    const other = {
      type: 'function' as const,
      function: {
        name: 'get_time',
        parameters: { type: 'object', properties: { zone: { type: 'string', format: 'uuid' } } },
      },
    };
    const none = await shared.client.chat.completions.create({
      model: 'gpt-4o',
      messages: hello,
      tools: [weather, other],
      tool_choice: 'none',
    });
    expect(none.choices[0]?.message.tool_calls).toBeUndefined();
    const named = await shared.client.chat.completions.create({
      model: 'gpt-4o',
      messages: hello,
      tools: [weather, other],
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    const call = named.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function.name : undefined).toBe('get_time');
  });

  it('answers response_format json_schema with JSON content that validates against the schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        title: { type: 'string', maxLength: 30 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
        rating: { anyOf: [{ type: 'number', minimum: 0, maximum: 5 }, { type: 'null' }] },
        author: { $ref: '#/$defs/person' },
      },
      required: ['title', 'tags', 'rating', 'author'],
      additionalProperties: false,
      $defs: {
        person: {
          type: 'object',
          properties: { email: { type: 'string', format: 'email' } },
          required: ['email'],
          additionalProperties: false,
        },
      },
    };
    const completion = await shared.client.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Describe a book' }],
      response_format: { type: 'json_schema', json_schema: { name: 'book', schema, strict: true } },
    });
    const value: unknown = JSON.parse(completion.choices[0]?.message.content ?? '');
    expect(new Ajv2020({ validateFormats: false }).validate(schema, value)).toBe(true);
    const object = await shared.client.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Say hello in JSON' }],
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(object.choices[0]?.message.content ?? '')).toEqual({ answer: anyString });
  });

  it('reports reasoning tokens for reasoning models and counts them against max_completion_tokens', async () => {
    const completion = await shared.client.chat.completions.create({ model: 'o4-mini', messages: hello });
    const reasoning = completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
    expect(reasoning).toBe(8);
    expect(completion.usage?.completion_tokens).toBe(
      reasoning + countTokens(completion.choices[0]?.message.content ?? ''),
    );
    const starved = await shared.client.chat.completions.create({
      model: 'o3-mini',
      messages: hello,
      max_completion_tokens: 8,
    });
    expect(starved.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: '' } });
  });

  it('answers with a scripted reply (text or tool calls) for exactly one call', async () => {
    shared.simulator.enqueue(
      'chat.completions',
      { type: 'reply', content: 'Scripted answer.' },
      {
        type: 'reply',
        toolCalls: [
          { name: 'lookup', arguments: { id: 7 } },
          { name: 'raw', arguments: '{"broken":' },
        ],
      },
    );
    const text = await shared.client.chat.completions.create({ model: 'gpt-4o', messages: hello });
    expect(text.choices[0]?.message.content).toBe('Scripted answer.');
    expect(text.usage?.completion_tokens).toBe(3);
    const calls = await shared.client.chat.completions.create({ model: 'gpt-4o', messages: hello });
    const functions = (calls.choices[0]?.message.tool_calls ?? []).map((call) =>
      call.type === 'function' ? call.function : undefined,
    );
    expect(functions).toEqual([
      { name: 'lookup', arguments: '{"id":7}' },
      { name: 'raw', arguments: '{"broken":' },
    ]);
    const normal = await shared.client.chat.completions.create({ model: 'gpt-4o', messages: hello });
    expect(normal.choices[0]?.message.content).not.toBe('Scripted answer.');
  });

  it('counts text parts, attachments, refusals and earlier tool calls in the prompt', async () => {
    const completion = await shared.client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be kind' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          ],
        },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'No' }] },
        { role: 'assistant', content: null, function_call: { name: 'legacy', arguments: '{}' } },
        { role: 'user', content: 'Fine' },
      ],
    });
    const texts = ['Be kind', 'What is this? [attachment]', 'No', '', 'Fine'];
    expect(completion.usage?.prompt_tokens).toBe(texts.reduce((total, text) => total + countTokens(text) + 3, 3));
  });

  it('cuts scripted tool calls at the token limit with finish_reason length', async () => {
    shared.simulator.enqueue('chat.completions', {
      type: 'reply',
      toolCalls: [
        { name: 'first', arguments: { a: 1, b: 2 } },
        { name: 'second', arguments: {} },
      ],
    });
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- most apps still send max_tokens; it must cut the reply
    const completion = await shared.client.chat.completions.create({ model: 'gpt-4o', messages: hello, max_tokens: 4 });
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.type === 'function' ? calls[0].function.arguments : undefined).toBe('{"a"');
  });

  it('reports cached prompt tokens when a long prompt is sent again', async () => {
    const long = Array.from({ length: 1200 }, (_unused, index) => `word${index}`).join(' ');
    const first = await shared.client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: long }],
    });
    const second = await shared.client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: long }],
    });
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(second.usage?.prompt_tokens).toBe(1206);
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(1152);
  });
});

describe('SimulatorOptions.replyWith', () => {
  it('lets an app script answers from the prompt, for chat and responses alike', async () => {
    const scripted = await createOpenAISimulator({
      replyWith: (context) =>
        context.lastUserText.includes('capital')
          ? { content: `Paris (${context.operation}, ${context.model})` }
          : undefined,
    });
    try {
      const sdk = sdkFor(scripted.baseURL);
      const chat = await sdk.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'The capital of France?' }],
      });
      expect(chat.choices[0]?.message.content).toBe('Paris (chat.completions, gpt-4o)');
      const response = await sdk.responses.create({ model: 'gpt-4o-mini', input: 'And the capital again?' });
      expect(response.output_text).toBe('Paris (responses.create, gpt-4o-mini)');
      const other = await sdk.chat.completions.create({ model: 'gpt-4o', messages: hello });
      expect(other.choices[0]?.message.content).not.toContain('Paris');
    } finally {
      await scripted.close();
    }
  });
});
