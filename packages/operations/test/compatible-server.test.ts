// OpenAI-compatible servers (vLLM, Ollama, LM Studio, llama.cpp's server) through the real
// SDK against the simulator's `compatible` profile: no rate-limit headers, no usage chunk,
// errors outside an `error` field or in plain text, `tool_calls: null`, any model id.
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createOperations, type Operations } from '../src/index.ts';

let simulator: OpenAISimulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function compatible(): Promise<{ readonly server: OpenAISimulator; readonly operations: Operations }> {
  simulator = await createOpenAISimulator({ profile: 'compatible', seed: 2, models: ['llama3.1:8b'] });
  const operations = createOperations({
    load: {
      env: {
        OPENAI_API_KEY: 'ollama',
        OPENAI_BASE_URL: simulator.baseURL,
        OPENAI_MODEL: 'llama3.1:8b',
        OPENAI_LOG: 'off',
      },
      envFile: false,
    },
    transport: { retry: { maxRetries: 0 } },
  })._unsafeUnwrap();
  return { server: simulator, operations };
}

const hello = { messages: [{ role: 'user' as const, content: 'Say hello' }] };

describe('an OpenAI-compatible server', () => {
  it('answers a model the catalogue does not know, with no rate-limit snapshot and the usage it reported', async () => {
    const { operations } = await compatible();
    const { value, meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(value.text).toEqual(expect.any(String));
    expect(value.toolCalls).toEqual([]);
    expect(meta.model).toBe('llama3.1:8b');
    expect(meta.rateLimit).toBeNull();
    expect(meta.usage?.totalTokens).toBeGreaterThan(0);
    expect(meta.usageEstimated).toBe(false);
    // An unknown model has no price: the cost stays unknown, never $0.
    expect(meta.costUsd).toBeNull();
  });

  it('estimates and flags the usage of a stream that sends no usage chunk', async () => {
    const { operations } = await compatible();
    const stream = operations.chat.stream(hello);
    const { value, meta } = (await stream.result)._unsafeUnwrap();
    expect(value.text.length).toBeGreaterThan(0);
    expect(meta.usage?.outputTokens).toBeGreaterThan(0);
    expect(meta.usageEstimated).toBe(true);
  });

  it('keeps the text and status of an error outside an `error` field, and of a plain-text error', async () => {
    const { server, operations } = await compatible();
    server.enqueue('chat.completions', { type: 'status', status: 404 });
    const notFound = (await operations.chat.create(hello))._unsafeUnwrapErr();
    expect(notFound).toMatchObject({ _tag: 'NotFoundError', status: 404 });
    server.enqueue('chat.completions', { type: 'status', status: 503 });
    const unavailable = (await operations.chat.create(hello))._unsafeUnwrapErr();
    expect(unavailable).toMatchObject({ _tag: 'ServiceUnavailableError', status: 503 });
    expect(unavailable.message).toMatch(/Service Unavailable/);
  });
});

describe('the models of an OpenAI-compatible server', () => {
  it('lists local embedding models as embedding models, and retrieves an id with a slash', async () => {
    const slashed = 'meta-llama/Llama-3.1-8B-Instruct';
    simulator = await createOpenAISimulator({
      profile: 'compatible',
      models: ['llama3.1:8b', 'nomic-embed-text', 'mxbai-embed-large', slashed],
    });
    const operations = createOperations({
      load: { apiKey: 'ollama', baseUrl: simulator.baseURL, model: 'llama3.1:8b', env: {}, envFile: false },
      transport: { retry: { maxRetries: 0 } },
    })._unsafeUnwrap();
    // A refresh registers the models the server serves, each with the kind its name says.
    const embedding = (await operations.models.list({ kind: 'embedding' }, { refresh: true }))._unsafeUnwrap().value;
    expect(embedding.models.map((model) => model.id)).toEqual(['mxbai-embed-large', 'nomic-embed-text']);
    const chat = (await operations.models.list({ kind: 'chat' }))._unsafeUnwrap().value;
    expect(chat.models.map((model) => model.id)).toEqual(['llama3.1:8b', slashed]);
    expect((await operations.models.retrieve(slashed))._unsafeUnwrap().value.id).toBe(slashed);
    expect(simulator.requests.at(-1)?.path).toBe('/v1/models/meta-llama%2FLlama-3.1-8B-Instruct');
  });
});
