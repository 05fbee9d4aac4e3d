import type OpenAI from 'openai';
import { AuthenticationError, BadRequestError, InternalServerError, NotFoundError, RateLimitError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAISimulator, type OpenAISimulator } from '../src/index.ts';
import { rejectionOf, sdkFor } from './support/sdk.ts';
import { parseSse } from './support/sse.ts';

let simulator: OpenAISimulator;
let client: OpenAI;

beforeAll(async () => {
  simulator = await createOpenAISimulator({
    profile: 'compatible',
    seed: 9,
    models: ['llama3.1:8b', 'nomic-embed-text'],
  });
  client = sdkFor(simulator.baseURL);
});

beforeEach(() => {
  simulator.reset();
});

afterAll(async () => {
  await simulator.close();
});

const hello = [{ role: 'user' as const, content: 'Hello' }];

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${simulator.baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the compatible profile', () => {
  it('serves /v1 with the profile named, and no key needed', async () => {
    expect(simulator.profile).toBe('compatible');
    expect(simulator.baseURL).toBe(`${simulator.endpoint}/v1`);
    const response = await post('/chat/completions', { model: 'llama3.1:8b', messages: hello });
    expect(response.status).toBe(200);
  });

  it('answers any model name and lists only the configured models', async () => {
    const completion = await client.chat.completions.create({ model: 'qwen2.5-coder:7b-instruct', messages: hello });
    expect(completion.model).toBe('qwen2.5-coder:7b-instruct');
    const embedding = await client.embeddings.create({ model: 'all-minilm', input: 'text', dimensions: 8 });
    expect(embedding.data[0]?.embedding).toHaveLength(8);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['llama3.1:8b', 'nomic-embed-text']);
  });

  it('ignores unknown arguments, json_object without the word json and loose strict schemas', async () => {
    const body = { model: 'llama3.1:8b', messages: hello, top_k: 40, num_ctx: 4096 };
    expect((await client.chat.completions.create(body)).object).toBe('chat.completion');
    const json = await client.chat.completions.create({
      model: 'llama3.1:8b',
      messages: hello,
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(json.choices[0]?.message.content ?? '')).toEqual({ answer: expect.any(String) as unknown });
    const strict = await client.chat.completions.create({
      model: 'llama3.1:8b',
      messages: hello,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'x', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } } } },
      },
    });
    expect(strict.choices[0]?.finish_reason).toBe('stop');
    const embeddings = { model: 'nomic-embed-text', input: 'x', truncate: true };
    expect((await client.embeddings.create(embeddings)).data).toHaveLength(1);
    const responses = { model: 'llama3.1:8b', input: 'x', keep_alive: '5m' };
    expect((await client.responses.create(responses)).status).toBe('completed');
  });

  it('sends tool_calls: null on a plain answer, and no refusal, annotations, rate-limit or OpenAI headers', async () => {
    const response = await post('/chat/completions', { model: 'llama3.1:8b', messages: hello });
    const body = (await response.json()) as { choices: { message: Record<string, unknown> }[] };
    expect(body.choices[0]?.message).toEqual({
      role: 'assistant',
      content: expect.any(String) as unknown,
      tool_calls: null,
    });
    expect(body).toMatchObject({ system_fingerprint: null });
    expect(body).not.toHaveProperty('service_tier');
    const names = [...response.headers.keys()];
    expect(names.filter((name) => name.startsWith('x-ratelimit-') || name.startsWith('openai-'))).toEqual([]);
    expect(response.headers.get('x-request-id')).toBeNull();
    const called = await client.chat.completions.create({
      model: 'llama3.1:8b',
      messages: hello,
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }],
      tool_choice: 'required',
    });
    expect(called.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'lookup' },
    });
  });

  it('sends no usage chunk in a stream even when include_usage is set', async () => {
    const response = await post('/chat/completions', {
      model: 'llama3.1:8b',
      messages: hello,
      stream: true,
      stream_options: { include_usage: true },
    });
    const frames = parseSse(await response.text());
    expect(frames.at(-1)?.data).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame.data) as Record<string, unknown>);
    expect(chunks.every((chunk) => !('usage' in chunk))).toBe(true);
    expect(chunks.every((chunk) => Array.isArray(chunk['choices']) && chunk['choices'].length === 1)).toBe(true);
  });

  it("answers a bad request with vLLM's top-level error object, which the SDK maps by status", async () => {
    const response = await post('/chat/completions', { model: 'llama3.1:8b', messages: [] });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      object: 'error',
      message: expect.stringContaining("'messages'") as unknown,
      type: 'BadRequestError',
      param: 'messages',
      code: 400,
    });
    const error = await rejectionOf(client.chat.completions.create({ model: 'llama3.1:8b', messages: [] }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).error).toMatchObject({ object: 'error', code: 400 });
  });

  it('answers an unknown route with FastAPI\'s {"detail": "Not Found"}', async () => {
    const response = await fetch(`${simulator.baseURL}/assistants`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: 'Not Found' });
    const retrieved = await rejectionOf(client.models.retrieve('not-configured'));
    expect(retrieved).toBeInstanceOf(NotFoundError);
  });

  it('answers 5xx and 429 faults in plain text with the reason phrase', async () => {
    simulator.enqueue(
      'chat.completions',
      { type: 'status', status: 503 },
      { type: 'rate-limit', retryAfterSeconds: 2 },
    );
    const unavailable = await post('/chat/completions', { model: 'llama3.1:8b', messages: hello });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await unavailable.text()).toBe('Service Unavailable');
    const limited = await rejectionOf(client.chat.completions.create({ model: 'llama3.1:8b', messages: hello }));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('2');
    expect((limited as RateLimitError).headers.get('x-ratelimit-remaining-requests')).toBeNull();
    simulator.enqueue('chat.completions', { type: 'status', status: 507 }, { type: 'status', status: 418 });
    expect(await (await post('/chat/completions', { model: 'm', messages: hello })).text()).toBe('Error 507');
    expect(await (await post('/chat/completions', { model: 'm', messages: hello })).json()).toMatchObject({
      object: 'error',
      type: 'BadRequestError',
      code: 418,
    });
    simulator.enqueue('embeddings', { type: 'status', status: 500 });
    expect(await rejectionOf(client.embeddings.create({ model: 'nomic-embed-text', input: 'x' }))).toBeInstanceOf(
      InternalServerError,
    );
  });
});

describe('the compatible profile with an API key', () => {
  it('refuses a wrong bearer key with vLLM\'s {"error": "Unauthorized"}', async () => {
    const guarded = await createOpenAISimulator({ profile: 'compatible', apiKey: 'token-abc' });
    try {
      const denied = await fetch(`${guarded.baseURL}/models`, { headers: { authorization: 'Bearer nope' } });
      expect(denied.status).toBe(401);
      expect(await denied.json()).toEqual({ error: 'Unauthorized' });
      const error = await rejectionOf(sdkFor(guarded.baseURL).models.list());
      expect(error).toBeInstanceOf(AuthenticationError);
      const allowed = await fetch(`${guarded.baseURL}/models`, { headers: { authorization: 'Bearer token-abc' } });
      expect(allowed.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
