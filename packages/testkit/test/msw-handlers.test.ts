import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI, {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  InternalServerError,
  RateLimitError,
  toFile,
} from 'openai';
import { createOpenAIHandlers, type OpenAIHandlers } from '../src/msw/index.ts';
import { countTokens } from '../src/index.ts';
import { rejectionOf } from './support/sdk.ts';

let simulator: OpenAIHandlers;
let server: ReturnType<typeof setupServer>;
let client: OpenAI;

beforeAll(() => {
  simulator = createOpenAIHandlers({ seed: 4 });
  server = setupServer(...simulator.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  // Created after listen: the SDK captures globalThis.fetch at construction.
  client = new OpenAI({ apiKey: 'sk-test', maxRetries: 0, logLevel: 'off' });
});

beforeEach(() => {
  simulator.reset();
});

afterAll(() => {
  simulator.dispose();
  server.close();
});

const messages = [{ role: 'user' as const, content: 'Hello from msw' }];

describe('createOpenAIHandlers', () => {
  it('intercepts the default api.openai.com base URL', () => {
    expect(simulator.baseURL).toBe('https://api.openai.com/v1');
  });

  it('answers chat completions in JSON and as a stream, the same text both ways', async () => {
    const json = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(json.choices[0]?.message.content);
    expect(usage?.completion_tokens).toBe(countTokens(text));
    expect(simulator.requests.map((request) => [request.method, request.path, request.status])).toEqual([
      ['POST', '/v1/chat/completions', 200],
      ['POST', '/v1/chat/completions', 200],
    ]);
  });

  it('gives the same content as the loopback simulator for the same seed', async () => {
    const { createOpenAISimulator } = await import('../src/index.ts');
    const loopback = await createOpenAISimulator({ seed: 4 });
    server.close();
    let viaServer: OpenAI.ChatCompletion;
    try {
      viaServer = await new OpenAI({
        apiKey: 'sk-test',
        baseURL: loopback.baseURL,
        maxRetries: 0,
      }).chat.completions.create({ model: 'gpt-4o', messages });
    } finally {
      await loopback.close();
      server.listen({ onUnhandledFrame: 'error' });
    }
    client = new OpenAI({ apiKey: 'sk-test', maxRetries: 0, logLevel: 'off' });
    const viaMsw = await client.chat.completions.create({ model: 'gpt-4o', messages });
    expect(viaMsw.choices[0]?.message.content).toBe(viaServer.choices[0]?.message.content);
    expect(viaMsw.usage).toEqual(viaServer.usage);
  });

  it('streams Responses API events and serves files, batches and pagination', async () => {
    const events: string[] = [];
    for await (const event of await client.responses.create({ model: 'gpt-4o', input: 'hi', stream: true }))
      events.push(event.type);
    expect(events.at(-1)).toBe('response.completed');
    const line = JSON.stringify({
      custom_id: 'a',
      method: 'POST',
      url: '/v1/embeddings',
      body: { model: 'text-embedding-3-small', input: 'x' },
    });
    const file = await client.files.create({ file: await toFile(Buffer.from(line), 'in.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    for (let step = 0; step < 3; step++) await client.batches.retrieve(batch.id);
    const done = await client.batches.retrieve(batch.id);
    expect(done.status).toBe('completed');
    const ids: string[] = [];
    for await (const entry of client.files.list({ limit: 1 })) ids.push(entry.id);
    expect(ids).toEqual([done.output_file_id, file.id]);
  });

  it('turns a reset into a network error: APIConnectionError', async () => {
    simulator.enqueue('chat.completions', { type: 'reset' });
    expect(await rejectionOf(client.chat.completions.create({ model: 'gpt-4o-mini', messages }))).toBeInstanceOf(
      APIConnectionError,
    );
  });

  it('sends status and rate-limit faults with their headers', async () => {
    simulator.enqueue('chat.completions', { type: 'status', status: 503 }, { type: 'rate-limit', retryAfterMs: 120 });
    expect(await rejectionOf(client.chat.completions.create({ model: 'gpt-4o-mini', messages }))).toBeInstanceOf(
      InternalServerError,
    );
    const limited = (await rejectionOf(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages }),
    )) as RateLimitError;
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.headers.get('retry-after-ms')).toBe('120');
  });

  it('cuts a stream after N chunks so that iteration fails, and a JSON body half-way', async () => {
    simulator.enqueue('chat.completions', { type: 'stream-cut', afterChunks: 3 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let received = 0;
    const error = await rejectionOf(
      (async () => {
        for await (const _chunk of stream) received += 1;
      })(),
    );
    expect(error).toBeInstanceOf(Error);
    expect(received).toBe(3);
    simulator.enqueue('models', { type: 'stream-cut', afterChunks: 0 });
    expect(await rejectionOf(client.models.list())).toBeInstanceOf(Error);
  });

  it('releases a stream stalled mid-way when the handlers are disposed', async () => {
    const stalling = createOpenAIHandlers({ baseURL: 'https://stall.example.com/v1' });
    server.use(...stalling.handlers);
    try {
      const sdk = new OpenAI({ apiKey: 'sk-test', baseURL: stalling.baseURL, maxRetries: 0 });
      stalling.enqueue('chat.completions', { type: 'stream-stall', afterChunks: 2 });
      const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
      let received = 0;
      const error = await rejectionOf(
        (async () => {
          for await (const _chunk of stream) {
            received += 1;
            if (received === 2)
              setImmediate(() => {
                stalling.dispose();
              });
          }
        })(),
      );
      expect(error).toBeInstanceOf(Error);
      expect(received).toBe(2);
    } finally {
      server.resetHandlers();
    }
  });

  it('sends a mid-stream error frame', async () => {
    simulator.enqueue('chat.completions', { type: 'stream-error', afterChunks: 1 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const error = await rejectionOf(
      (async () => {
        for await (const _chunk of stream) {
          // drain
        }
      })(),
    );
    expect(error).toBeInstanceOf(APIError);
  });

  it('holds a stalled request until the client aborts, and dispose releases what is still held', async () => {
    simulator.enqueue('chat.completions', { type: 'stall' });
    const controller = new AbortController();
    const pending = rejectionOf(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { signal: controller.signal }),
    );
    while (simulator.requests.length === 0) {
      await new Promise<void>((resolve) => {
        setImmediate(resolve);
      });
    }
    controller.abort();
    expect(await pending).toBeInstanceOf(APIUserAbortError);
    const other = createOpenAIHandlers({ baseURL: 'https://proxy.example.com/openai/v1/' });
    expect(other.baseURL).toBe('https://proxy.example.com/openai/v1');
    server.use(...other.handlers);
    const proxied = new OpenAI({ apiKey: 'sk-test', baseURL: other.baseURL, maxRetries: 0 });
    other.enqueue('models', { type: 'stall' });
    const held = rejectionOf(proxied.models.list());
    while (other.requests.length === 0) {
      await new Promise<void>((resolve) => {
        setImmediate(resolve);
      });
    }
    other.dispose();
    expect(await held).toBeInstanceOf(APIConnectionError);
    server.resetHandlers();
  });
});
