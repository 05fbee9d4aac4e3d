import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAISimulator, type OpenAISimulator } from '../src/index.ts';
import { knownArguments } from '../src/internal/validation/known-arguments.ts';
import {
  countTypelessNullable,
  declaredProperties,
  loadSpecValidator,
  type SpecValidator,
} from './support/openapi-spec.ts';
import { parseSse } from './support/sse.ts';

// Parsing the 3 MB spec takes about a second alone and more than 10 s on a busy machine:
// once per file, with a hook timeout of its own.
let spec: SpecValidator;
let simulator: OpenAISimulator;

beforeAll(async () => {
  spec = loadSpecValidator();
  simulator = await createOpenAISimulator({ seed: 3 });
}, 120_000);

afterAll(async () => {
  await simulator.close();
});

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${simulator.baseURL}${path}`, {
    method,
    headers: { authorization: 'Bearer sk-test', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function json(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await call(method, path, body);
  expect(response.status).toBe(200);
  return response.json();
}

async function frames(path: string, body: unknown): Promise<ReturnType<typeof parseSse>> {
  const response = await call('POST', path, body);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return parseSse(await response.text());
}

async function upload(name: string, content: string, purpose: string): Promise<{ readonly id: string }> {
  const form = new FormData();
  form.append('purpose', purpose);
  form.append('file', new Blob([content], { type: 'application/jsonl' }), name);
  const response = await fetch(`${simulator.baseURL}/files`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test' },
    body: form,
  });
  const file = (await response.json()) as { readonly id: string };
  expect(spec.check('OpenAIFile', file)).toEqual([]);
  return file;
}

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
      required: ['city', 'days'],
      additionalProperties: false,
    },
    strict: true,
  },
};

describe('the arguments the openai profile accepts', () => {
  it('are exactly the properties of the request schemas of the spec, so that no valid request is refused', () => {
    expect([...knownArguments.chat].sort()).toEqual(
      declaredProperties(spec.rawComponents, 'CreateChatCompletionRequest'),
    );
    expect([...knownArguments.responses].sort()).toEqual(declaredProperties(spec.rawComponents, 'CreateResponse'));
    expect([...knownArguments.embeddings].sort()).toEqual(
      declaredProperties(spec.rawComponents, 'CreateEmbeddingRequest'),
    );
  });
});

describe('the official OpenAPI spec copy', () => {
  it('has the 24 type-less nullable schemas that the in-memory fix rewrites', () => {
    expect(countTypelessNullable(spec.rawComponents)).toBe(24);
  });

  it('reports violations, so that an empty error list means something', () => {
    expect(spec.check('Response', { object: 'response' }).length).toBeGreaterThan(0);
    expect(
      spec.check('CreateChatCompletionStreamResponse', {
        id: 'x',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [{ index: 0, delta: {}, finish_reason: 'done' }],
      }).length,
    ).toBeGreaterThan(0);
  });

  it('names the response schemas this test validates against for each served operation', () => {
    const schemaOf = (path: string, method: string, type = 'application/json'): unknown =>
      (spec.paths[path]?.[method] as { responses: Record<string, { content?: Record<string, { schema: unknown }> }> })
        .responses['200']?.content?.[type]?.schema;
    expect(schemaOf('/chat/completions', 'post')).toEqual({
      $ref: '#/components/schemas/CreateChatCompletionResponse',
    });
    expect(schemaOf('/chat/completions', 'post', 'text/event-stream')).toEqual({
      $ref: '#/components/schemas/CreateChatCompletionStreamResponse',
    });
    expect(schemaOf('/responses', 'post', 'text/event-stream')).toEqual({
      $ref: '#/components/schemas/ResponseStreamEvent',
    });
    expect(schemaOf('/responses/{response_id}/input_items', 'get')).toEqual({
      $ref: '#/components/schemas/ResponseItemList',
    });
    expect(schemaOf('/batches', 'get')).toEqual({ $ref: '#/components/schemas/ListBatchesResponse' });
    expect(schemaOf('/moderations', 'post')).toEqual({ $ref: '#/components/schemas/CreateModerationResponse' });
  });
});

describe('createOpenAISimulator responses against the spec', () => {
  it('sends chat completions that match CreateChatCompletionResponse (text, n, tools, JSON schema, cut by max_tokens)', async () => {
    const bodies = [
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }], n: 2 },
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool] },
      {
        model: 'gpt-4.1',
        messages: [{ role: 'user', content: 'A person' }],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'person',
            schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          },
        },
      },
      { model: 'o4-mini', messages: [{ role: 'user', content: 'Think' }], max_completion_tokens: 12 },
    ];
    for (const body of bodies)
      expect(spec.check('CreateChatCompletionResponse', await json('POST', '/chat/completions', body))).toEqual([]);
  });

  it('streams chat chunks that each match CreateChatCompletionStreamResponse, usage chunk and tool-call deltas included', async () => {
    const streamed = await frames('/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [weatherTool],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(streamed.at(-1)?.data).toBe('[DONE]');
    const chunks = streamed.slice(0, -1);
    expect(chunks.length).toBeGreaterThan(3);
    for (const frame of chunks)
      expect(spec.check('CreateChatCompletionStreamResponse', JSON.parse(frame.data))).toEqual([]);
  });

  it('sends responses that match Response, and stream events that each match ResponseStreamEvent', async () => {
    const text = await json('POST', '/responses', { model: 'gpt-4o', input: 'Hello', instructions: 'Be brief' });
    expect(spec.check('Response', text)).toEqual([]);
    const incomplete = await json('POST', '/responses', {
      model: 'gpt-5-mini',
      input: 'Hello',
      max_output_tokens: 16,
      reasoning: { effort: 'low' },
    });
    expect(spec.check('Response', incomplete)).toEqual([]);
    const tool = await json('POST', '/responses', {
      model: 'gpt-4.1',
      input: [{ role: 'user', content: 'Weather?' }],
      tools: [{ type: 'function', name: 'get_weather', parameters: weatherTool.function.parameters, strict: true }],
      text: {
        format: {
          type: 'json_schema',
          name: 'answer',
          schema: { type: 'object', properties: { ok: { type: 'boolean' } } },
        },
      },
    });
    expect(spec.check('Response', tool)).toEqual([]);
    for (const body of [
      { model: 'o3-mini', input: 'Stream please', stream: true },
      {
        model: 'gpt-4o',
        input: 'Call it',
        stream: true,
        tools: [{ type: 'function', name: 'get_weather', parameters: weatherTool.function.parameters }],
      },
      { model: 'gpt-4o', input: 'Cut it', stream: true, max_output_tokens: 16 },
    ]) {
      const events = await frames('/responses', body);
      expect(events.some((frame) => frame.data === '[DONE]')).toBe(false);
      for (const frame of events) {
        const event = JSON.parse(frame.data) as { readonly type: string };
        expect(frame.event).toBe(event.type);
        expect(spec.check('ResponseStreamEvent', event)).toEqual([]);
      }
    }
  });

  it('replays stored events, and reports mid-stream failures, within ResponseStreamEvent (and ErrorResponse for chat)', async () => {
    const created = (await json('POST', '/responses', { model: 'gpt-4o', input: 'Replay me', background: true })) as {
      readonly id: string;
    };
    const replay = await call('GET', `/responses/${created.id}?stream=true&starting_after=2`);
    const replayed = parseSse(await replay.text());
    expect(replayed.length).toBeGreaterThan(3);
    for (const frame of replayed) expect(spec.check('ResponseStreamEvent', JSON.parse(frame.data))).toEqual([]);
    simulator.enqueue('responses', { type: 'stream-error', afterChunks: 4 });
    const failed = await frames('/responses', { model: 'gpt-4o', input: 'Fail me', stream: true });
    expect(failed.map((frame) => frame.event).slice(-2)).toEqual(['error', 'response.failed']);
    for (const frame of failed) expect(spec.check('ResponseStreamEvent', JSON.parse(frame.data))).toEqual([]);
    simulator.enqueue('chat.completions', { type: 'stream-error', afterChunks: 2 });
    const chat = await frames('/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    expect(spec.check('ErrorResponse', JSON.parse(chat.at(-1)?.data ?? ''))).toEqual([]);
  });

  it('keeps stored and background responses, their input items and cancellations within the spec', async () => {
    const background = (await json('POST', '/responses', {
      model: 'gpt-4o',
      input: [
        { role: 'user', content: 'Later' },
        { role: 'assistant', content: 'Sure' },
        { role: 'user', content: 'Now' },
      ],
      background: true,
    })) as { readonly id: string };
    expect(spec.check('Response', background)).toEqual([]);
    expect(spec.check('Response', await json('GET', `/responses/${background.id}`))).toEqual([]);
    expect(spec.check('ResponseItemList', await json('GET', `/responses/${background.id}/input_items`))).toEqual([]);
    const toCancel = (await json('POST', '/responses', { model: 'gpt-4o', input: 'Cancel me', background: true })) as {
      readonly id: string;
    };
    expect(spec.check('Response', await json('POST', `/responses/${toCancel.id}/cancel`))).toEqual([]);
    const afterTool = (await json('POST', '/responses', {
      model: 'gpt-4o',
      input: [
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"celsius":21}' },
      ],
      tools: [{ type: 'function', name: 'get_weather', parameters: weatherTool.function.parameters }],
    })) as { readonly id: string };
    expect(
      spec.check('ResponseItemList', await json('GET', `/responses/${afterTool.id}/input_items?order=asc`)),
    ).toEqual([]);
  });

  it('sends embeddings, models and moderations that match their schemas', async () => {
    expect(
      spec.check(
        'CreateEmbeddingResponse',
        await json('POST', '/embeddings', { model: 'text-embedding-3-small', input: ['a', 'b c'], dimensions: 8 }),
      ),
    ).toEqual([]);
    expect(spec.check('ListModelsResponse', await json('GET', '/models'))).toEqual([]);
    expect(spec.check('Model', await json('GET', '/models/gpt-4o'))).toEqual([]);
    expect(
      spec.check(
        'CreateModerationResponse',
        await json('POST', '/moderations', { input: ['I will kill the process', 'hello'] }),
      ),
    ).toEqual([]);
    expect(
      spec.check(
        'CreateModerationResponse',
        await json('POST', '/moderations', {
          model: 'omni-moderation-latest',
          input: [
            { type: 'text', text: 'gore' },
            { type: 'image_url', image_url: { url: 'https://example.com/x.png' } },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('keeps files and every batch state within OpenAIFile, ListFilesResponse, Batch and ListBatchesResponse', async () => {
    const line = (id: string) =>
      JSON.stringify({
        custom_id: id,
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: id }] },
      });
    const input = await upload('batch.jsonl', `${line('a')}\n${line('b')}\n`, 'batch');
    expect(spec.check('OpenAIFile', await json('GET', `/files/${input.id}`))).toEqual([]);
    expect(spec.check('ListFilesResponse', await json('GET', '/files?limit=1'))).toEqual([]);
    simulator.failBatchItems(['b']);
    const batch = (await json('POST', '/batches', {
      input_file_id: input.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { run: '1' },
    })) as { readonly id: string };
    expect(spec.check('Batch', batch)).toEqual([]);
    for (let step = 0; step < 3; step++)
      expect(spec.check('Batch', await json('GET', `/batches/${batch.id}`))).toEqual([]);
    expect(spec.check('ListBatchesResponse', await json('GET', '/batches'))).toEqual([]);
    const bad = await upload('bad.jsonl', 'not json\n', 'batch');
    const failing = (await json('POST', '/batches', {
      input_file_id: bad.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    })) as { readonly id: string };
    expect(spec.check('Batch', await json('GET', `/batches/${failing.id}`))).toEqual([]);
    const cancelled = (await json('POST', '/batches', {
      input_file_id: input.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    })) as { readonly id: string };
    expect(spec.check('Batch', await json('POST', `/batches/${cancelled.id}/cancel`))).toEqual([]);
    expect(spec.check('Batch', await json('GET', `/batches/${cancelled.id}`))).toEqual([]);
    expect(spec.check('DeleteFileResponse', await json('DELETE', `/files/${bad.id}`))).toEqual([]);
  });

  it('keeps stored chat completions within ChatCompletionList, the completion schema and ChatCompletionDeleted', async () => {
    const stored = (await json('POST', '/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Keep this' }],
      store: true,
      metadata: { topic: 'spec' },
    })) as { readonly id: string };
    expect(spec.check('ChatCompletionList', await json('GET', '/chat/completions?metadata[topic]=spec'))).toEqual([]);
    expect(spec.check('CreateChatCompletionResponse', await json('GET', `/chat/completions/${stored.id}`))).toEqual([]);
    expect(
      spec.check(
        'CreateChatCompletionResponse',
        await json('POST', `/chat/completions/${stored.id}`, { metadata: { topic: 'other' } }),
      ),
    ).toEqual([]);
    // The spec types every listed message as the assistant's; the live API lists the
    // request messages with their own roles, as the simulator does. Everything else is checked.
    const messages = (await json('GET', `/chat/completions/${stored.id}/messages`)) as {
      readonly data: readonly Record<string, unknown>[];
    };
    const asAssistant = {
      ...messages,
      data: messages.data.map((message) => ({ ...message, role: 'assistant', refusal: null })),
    };
    expect(spec.check('ChatCompletionMessageList', asAssistant)).toEqual([]);
    expect(spec.check('ChatCompletionDeleted', await json('DELETE', `/chat/completions/${stored.id}`))).toEqual([]);
  });

  it('sends error bodies that match ErrorResponse', async () => {
    const failures = [
      await call('POST', '/chat/completions', { model: 'gpt-4o', messages: [], temperature: 1 }),
      await call('POST', '/chat/completions', { model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] }),
      await call('GET', '/files/file-missing'),
      await call('GET', '/nowhere'),
    ];
    for (const response of failures) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(spec.check('ErrorResponse', await response.json())).toEqual([]);
    }
  });
});
