import { afterEach, describe, expect, it, vi } from 'vitest';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from 'openai';
import { parseDuration, toRateLimitSnapshot } from '@openai-integration/core';
import { ok } from 'neverthrow';
import { createOpenAISimulator, type OpenAISimulator } from '../src/index.ts';
import { anyString, containing, rejectionOf, sdkFor, useSdkSimulator } from './support/sdk.ts';

const shared = useSdkSimulator(1);

afterEach(() => {
  vi.useRealTimers();
});

const messages = [{ role: 'user' as const, content: 'Hello' }];
const chat = (sdk: OpenAI = shared.client) => sdk.chat.completions.create({ model: 'gpt-4o-mini', messages });

async function untilRequests(target: OpenAISimulator, count: number): Promise<void> {
  while (target.requests.length < count) {
    await new Promise<void>((resolve) => {
      setImmediate(resolve);
    });
  }
}

describe('SimulatorFault status faults through the SDK', () => {
  const cases: readonly [number, abstract new (...args: never[]) => APIError][] = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [502, InternalServerError],
    [503, InternalServerError],
    [504, InternalServerError],
  ];
  it.each(cases)(
    'a %i becomes the matching SDK error with the status, OpenAI error body and x-request-id',
    async (status, errorClass) => {
      shared.simulator.enqueue('chat.completions', { type: 'status', status });
      const error = await rejectionOf(chat());
      expect(error).toBeInstanceOf(errorClass);
      const apiError = error as APIError;
      expect(apiError.status).toBe(status);
      expect(apiError.requestID).toMatch(/^req_[0-9a-f]{32}$/);
      expect(typeof apiError.type).toBe('string');
      expect(shared.simulator.requests.at(-1)).toMatchObject({ status, fault: { type: 'status', status } });
    },
  );

  it('consumes a queue one fault per request, then answers normally', async () => {
    shared.simulator.enqueue('chat.completions', { type: 'status', status: 503 }, { type: 'status', status: 503 });
    expect(await rejectionOf(chat())).toBeInstanceOf(InternalServerError);
    expect(await rejectionOf(chat())).toBeInstanceOf(InternalServerError);
    expect((await chat()).object).toBe('chat.completion');
  });

  it('takes a fault from the operation queue, then the family queue, then the wildcard, and pass leaves a gap', async () => {
    shared.simulator.enqueue('*', { type: 'status', status: 500 });
    shared.simulator.enqueue('files', { type: 'status', status: 502 });
    shared.simulator.enqueue('files.list', { type: 'pass' }, { type: 'status', status: 504 });
    expect((await shared.client.files.list()).data).toEqual([]);
    expect(((await rejectionOf(shared.client.files.list())) as APIError).status).toBe(504);
    expect(((await rejectionOf(shared.client.files.list())) as APIError).status).toBe(502);
    expect(((await rejectionOf(shared.client.models.list())) as APIError).status).toBe(500);
    expect((await shared.client.models.list()).data.length).toBeGreaterThan(0);
  });

  it('overrides the body fields and adds headers such as x-should-retry', async () => {
    shared.simulator.enqueue('chat.completions', {
      type: 'status',
      status: 400,
      message: 'Web search options not supported with this model.',
      param: 'web_search_options',
      code: null,
      errorType: 'invalid_request_error',
      headers: { 'x-should-retry': 'false' },
    });
    const error = (await rejectionOf(chat())) as BadRequestError;
    expect(error.param).toBe('web_search_options');
    expect(error.message).toContain('Web search options not supported');
    expect(error.headers.get('x-should-retry')).toBe('false');
  });

  it('can send a raw non-JSON body, such as a proxy HTML page', async () => {
    shared.simulator.enqueue('chat.completions', {
      type: 'status',
      status: 502,
      body: '<html><body>502 Bad Gateway</body></html>',
    });
    const error = (await rejectionOf(chat())) as InternalServerError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(502);
    expect(error.headers.get('content-type')).toMatch(/^text\/html/);
    shared.simulator.enqueue(
      'chat.completions',
      { type: 'status', status: 418, body: 'teapot' },
      { type: 'status', status: 507 },
      { type: 'status', status: 418 },
    );
    expect(((await rejectionOf(chat())) as APIError).status).toBe(418);
    expect(((await rejectionOf(chat())) as APIError).type).toBe('server_error');
    expect(((await rejectionOf(chat())) as APIError).type).toBe('invalid_request_error');
  });
});

describe('SimulatorFault rate-limit and quota faults', () => {
  it('sends a 429 rate_limit_exceeded with retry-after and retry-after-ms when asked', async () => {
    shared.simulator.enqueue('chat.completions', {
      type: 'rate-limit',
      retryAfterSeconds: 2,
      retryAfterMs: 1500,
      limit: 'tokens',
    });
    const error = (await rejectionOf(chat())) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.type).toBe('tokens');
    expect(error.headers.get('retry-after')).toBe('2');
    expect(error.headers.get('retry-after-ms')).toBe('1500');
    expect(error.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    // As OpenAI's: the reset of an empty bucket is the time until it is full again.
    expect(error.headers.get('x-ratelimit-reset-tokens')).toBe('1m0s');
    expect(error.message).toContain('Please try again in 1500ms');
    shared.simulator.enqueue('chat.completions', { type: 'rate-limit', retryAfterSeconds: 3 });
    expect(((await rejectionOf(chat())) as RateLimitError).message).toContain('Please try again in 3s');
    shared.simulator.enqueue('chat.completions', { type: 'rate-limit' });
    const bare = (await rejectionOf(chat())) as RateLimitError;
    expect(bare.headers.get('retry-after')).toBeNull();
    expect(bare.type).toBe('requests');
  });

  it('sends a 429 insufficient_quota that is not a rate limit', async () => {
    shared.simulator.enqueue('embeddings', { type: 'quota' });
    const error = (await rejectionOf(
      shared.client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }),
    )) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe('insufficient_quota');
    expect(error.type).toBe('insufficient_quota');
  });
});

describe('SimulatorFault connection faults', () => {
  it('resets the connection before any header: APIConnectionError', async () => {
    shared.simulator.enqueue('chat.completions', { type: 'reset' });
    const error = await rejectionOf(chat());
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect(shared.simulator.requests.at(-1)?.status).toBeNull();
  });

  it('holds a stalled request until the client aborts it: APIUserAbortError', async () => {
    shared.simulator.enqueue('chat.completions', { type: 'stall' });
    const controller = new AbortController();
    const pending = rejectionOf(
      shared.client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { signal: controller.signal }),
    );
    await untilRequests(shared.simulator, 1);
    controller.abort();
    expect(await pending).toBeInstanceOf(APIUserAbortError);
    expect((await chat()).object).toBe('chat.completion');
  });

  it('holds a stalled request until the SDK timeout fires (fake timers): APIConnectionTimeoutError', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    shared.simulator.enqueue('chat.completions', { type: 'stall' });
    const sdk = sdkFor(shared.simulator.baseURL, { timeout: 30_000 });
    const pending = rejectionOf(chat(sdk));
    await untilRequests(shared.simulator, 1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await pending).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('drops held requests and streams when the shared.simulator closes', async () => {
    const closing = await createOpenAISimulator();
    const sdk = sdkFor(closing.baseURL);
    closing.enqueue('chat.completions', { type: 'stall' }, { type: 'stream-stall', afterChunks: 2 });
    const held = rejectionOf(chat(sdk));
    await untilRequests(closing, 1);
    const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let received = 0;
    const reading = rejectionOf(
      (async () => {
        for await (const _chunk of stream) {
          received += 1;
          if (received === 2) setImmediate(() => void closing.close());
        }
      })(),
    );
    expect(await held).toBeInstanceOf(APIConnectionError);
    expect(await reading).toBeInstanceOf(Error);
    expect(received).toBe(2);
  });
});

describe('SimulatorFault stream faults', () => {
  it('cuts a chat stream after N chunks: the SDK raises during iteration, without [DONE] or usage', async () => {
    shared.simulator.enqueue('chat.completions', { type: 'stream-cut', afterChunks: 4 });
    const stream = await shared.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const chunk of stream) chunks.push(chunk);
      })(),
    );
    expect(error).toBeInstanceOf(Error);
    expect(chunks).toHaveLength(4);
    expect(chunks.some((chunk) => chunk.usage !== null)).toBe(false);
  });

  it('cuts a JSON body half-way: the SDK call fails', async () => {
    shared.simulator.enqueue('models', { type: 'stream-cut', afterChunks: 0 });
    expect(await rejectionOf(shared.client.models.list())).toBeInstanceOf(Error);
  });

  it('stalls a stream after N chunks until the client aborts it', async () => {
    shared.simulator.enqueue('chat.completions', { type: 'stream-stall', afterChunks: 3 });
    const stream = await shared.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let received = 0;
    for await (const _chunk of stream) {
      received += 1;
      if (received === 3)
        setImmediate(() => {
          stream.controller.abort();
        });
    }
    expect(received).toBe(3);
  });

  it('sends an error frame with HTTP 200 mid-stream: the SDK raises an APIError with its message', async () => {
    shared.simulator.enqueue('chat.completions', {
      type: 'stream-error',
      afterChunks: 2,
      message: 'The model is overloaded.',
      code: 'server_error',
    });
    const stream = await shared.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let received = 0;
    const error = await rejectionOf(
      (async () => {
        for await (const _chunk of stream) received += 1;
      })(),
    );
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('The model is overloaded.');
    expect(received).toBe(2);
  });

  it('sends event: error then response.failed in a Responses stream', async () => {
    shared.simulator.enqueue('responses', { type: 'stream-error', afterChunks: 3 });
    const stream = await shared.client.responses.create({ model: 'gpt-4o', input: 'x', stream: true });
    const types: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const event of stream) types.push(event.type);
      })(),
    );
    expect(error).toBeInstanceOf(APIError);
    expect(types).toEqual(['response.created', 'response.in_progress', 'response.output_item.added']);
    const raw = await fetch(`${shared.simulator.baseURL}/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', input: 'x', stream: true }),
    });
    expect(raw.status).toBe(200);
    shared.simulator.enqueue('responses', { type: 'stream-error', afterChunks: 1, code: 'rate_limit_exceeded' });
    const text = await (
      await fetch(`${shared.simulator.baseURL}/responses`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', input: 'x', stream: true }),
      })
    ).text();
    expect(text).toContain('event: error\ndata: {"type":"error","code":"rate_limit_exceeded"');
    expect(text).toContain('event: response.failed\n');
    expect(text).not.toContain('[DONE]');
  });

  it('answers a JSON call with a 500 when a stream error is scripted for it', async () => {
    shared.simulator.enqueue('chat.completions', { type: 'stream-error', afterChunks: 0 });
    expect(await rejectionOf(chat())).toBeInstanceOf(InternalServerError);
  });

  it('sends malformed JSON with status 200, as a body or as an SSE frame', async () => {
    shared.simulator.enqueue('chat.completions', { type: 'malformed' }, { type: 'malformed', afterChunks: 1 });
    expect(await rejectionOf(chat())).toBeInstanceOf(Error);
    const stream = await shared.client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let received = 0;
    const error = await rejectionOf(
      (async () => {
        for await (const _chunk of stream) received += 1;
      })(),
    );
    expect(error).toBeInstanceOf(SyntaxError);
    expect(received).toBe(1);
    shared.simulator.enqueue('responses', { type: 'malformed', afterChunks: 0 });
    const responses = await shared.client.responses.create({ model: 'gpt-4o', input: 'x', stream: true });
    expect(
      await rejectionOf(
        (async () => {
          for await (const _event of responses) received += 1;
        })(),
      ),
    ).toBeInstanceOf(SyntaxError);
  });

  it('stops a slow drip when the client goes away during a wait', async () => {
    const waits: AbortSignal[] = [];
    const slow = await createOpenAISimulator({
      sleep: (_milliseconds, signal) =>
        new Promise<void>((resolve) => {
          waits.push(signal);
          signal.addEventListener('abort', () => {
            resolve();
          });
        }),
    });
    try {
      slow.enqueue('chat.completions', { type: 'slow', delayMs: 60_000 });
      const stream = await sdkFor(slow.baseURL).chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        stream: true,
      });
      const reading = (async () => {
        for await (const _chunk of stream) {
          // nothing arrives
        }
      })();
      while (waits.length === 0) {
        await new Promise<void>((resolve) => {
          setImmediate(resolve);
        });
      }
      stream.controller.abort();
      await reading;
      while (waits[0]?.aborted !== true) {
        await new Promise<void>((resolve) => {
          setImmediate(resolve);
        });
      }
    } finally {
      await slow.close();
    }
  });

  it('drips a stream slowly on the injected scheduler, waiting before every chunk', async () => {
    const delays: number[] = [];
    const slow = await createOpenAISimulator({
      sleep: (milliseconds) => {
        delays.push(milliseconds);
        return Promise.resolve();
      },
    });
    try {
      const sdk = sdkFor(slow.baseURL);
      slow.enqueue('chat.completions', { type: 'slow', delayMs: 250 }, { type: 'slow', delayMs: 40 });
      const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
      let chunks = 0;
      for await (const _chunk of stream) chunks += 1;
      expect(delays).toEqual(Array.from({ length: chunks + 1 }, () => 250));
      await chat(sdk);
      expect(delays.at(-1)).toBe(40);
    } finally {
      await slow.close();
    }
  });
});

describe('createOpenAISimulator request validation', () => {
  const raw = (body: string, headers: Record<string, string> = { authorization: 'Bearer sk-test' }) =>
    fetch(`${shared.simulator.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('refuses a request without an API key with 401 invalid_api_key', async () => {
    const response = await raw('{}', {});
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_api_key', param: null },
    });
    const sdk = new OpenAI({
      apiKey: 'unused',
      baseURL: shared.simulator.baseURL,
      maxRetries: 0,
      defaultHeaders: { Authorization: null },
    });
    expect(await rejectionOf(chat(sdk))).toBeInstanceOf(AuthenticationError);
  });

  it('accepts only the configured key when apiKey is set, masking the wrong key in the message', async () => {
    const locked = await createOpenAISimulator({ apiKey: 'sk-right-key-000' });
    try {
      expect(
        (await chat(new OpenAI({ apiKey: 'sk-right-key-000', baseURL: locked.baseURL, maxRetries: 0 }))).object,
      ).toBe('chat.completion');
      const error = (await rejectionOf(
        chat(new OpenAI({ apiKey: 'sk-wrong-key-123456', baseURL: locked.baseURL, maxRetries: 0 })),
      )) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).not.toContain('sk-wrong-key-123456');
      expect(error.message).toContain('sk-w');
      const azure = await fetch(`${locked.baseURL}/models`, { headers: { 'api-key': 'sk-right-key-000' } });
      expect(azure.status).toBe(200);
    } finally {
      await locked.close();
    }
  });

  it('answers a broken multipart upload with a 400', async () => {
    const response = await fetch(`${shared.simulator.baseURL}/files`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'multipart/form-data; boundary=xyz' },
      body: 'garbage',
    });
    expect(response.status).toBe(400);
  });

  it('answers invalid JSON with a 400 invalid_request_error', async () => {
    const response = await raw('{"model": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: containing('could not parse the JSON body') },
    });
    expect((await raw('[1, 2]')).status).toBe(400);
  });

  const invalid: readonly [string, Record<string, unknown>, string, string][] = [
    ['a missing model', { messages }, 'model', 'missing_required_parameter'],
    ['missing messages', { model: 'gpt-4o' }, 'messages', 'missing_required_parameter'],
    ['empty messages', { model: 'gpt-4o', messages: [] }, 'messages', 'empty_array'],
    ['temperature above 2', { model: 'gpt-4o', messages, temperature: 3 }, 'temperature', 'decimal_above_max_value'],
    ['temperature below 0', { model: 'gpt-4o', messages, temperature: -1 }, 'temperature', 'decimal_below_min_value'],
    ['a string max_tokens', { model: 'gpt-4o', messages, max_tokens: '10' }, 'max_tokens', 'invalid_type'],
    ['a decimal n', { model: 'gpt-4o', messages, n: 1.5 }, 'n', 'invalid_type'],
    ['a numeric model', { model: 4, messages }, 'model', 'invalid_type'],
    [
      'a bad role',
      { model: 'gpt-4o', messages: [{ role: 'robot', content: 'x' }] },
      'messages[0].role',
      'invalid_value',
    ],
    ['a message that is not an object', { model: 'gpt-4o', messages: ['hi'] }, 'messages[0]', 'invalid_type'],
    [
      'a user message without content',
      { model: 'gpt-4o', messages: [{ role: 'user' }] },
      'messages[0].content',
      'missing_required_parameter',
    ],
    [
      'numeric content',
      { model: 'gpt-4o', messages: [{ role: 'user', content: 5 }] },
      'messages[0].content',
      'invalid_type',
    ],
    [
      'a tool message without tool_call_id',
      { model: 'gpt-4o', messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id',
      'missing_required_parameter',
    ],
    [
      'stream_options without stream',
      { model: 'gpt-4o', messages, stream_options: { include_usage: true } },
      'stream_options',
      'invalid_value',
    ],
    ['a non-boolean stream', { model: 'gpt-4o', messages, stream: 'yes' }, 'stream', 'invalid_type'],
    [
      'a tool with a bad name',
      { model: 'gpt-4o', messages, tools: [{ type: 'function', function: { name: 'has space' } }] },
      'tools[0].function.name',
      'invalid_value',
    ],
    [
      'a tool without a function',
      { model: 'gpt-4o', messages, tools: [{ type: 'function' }] },
      'tools[0].function',
      'missing_required_parameter',
    ],
    [
      'a tool of an unknown type',
      { model: 'gpt-4o', messages, tools: [{ type: 'browser' }] },
      'tools[0].type',
      'invalid_value',
    ],
    ['a tool that is not an object', { model: 'gpt-4o', messages, tools: ['x'] }, 'tools[0]', 'invalid_type'],
    ['tool_choice without tools', { model: 'gpt-4o', messages, tool_choice: 'auto' }, 'tool_choice', 'invalid_value'],
    [
      'tool_choice naming an unknown tool',
      {
        model: 'gpt-4o',
        messages,
        tools: [{ type: 'function', function: { name: 'a' } }],
        tool_choice: { type: 'function', function: { name: 'b' } },
      },
      'tool_choice',
      'invalid_value',
    ],
    [
      'a bad tool_choice',
      { model: 'gpt-4o', messages, tools: [{ type: 'function', function: { name: 'a' } }], tool_choice: 'sometimes' },
      'tool_choice',
      'invalid_value',
    ],
    [
      'json_schema without a name',
      { model: 'gpt-4o', messages, response_format: { type: 'json_schema', json_schema: { schema: {} } } },
      'response_format.json_schema.name',
      'missing_required_parameter',
    ],
    [
      'json_schema without json_schema',
      { model: 'gpt-4o', messages, response_format: { type: 'json_schema' } },
      'response_format.json_schema',
      'missing_required_parameter',
    ],
    [
      'an unknown response_format',
      { model: 'gpt-4o', messages, response_format: { type: 'yaml' } },
      'response_format.type',
      'invalid_value',
    ],
    [
      'max_tokens on a reasoning model',
      { model: 'o3-mini', messages, max_tokens: 10 },
      'max_tokens',
      'unsupported_parameter',
    ],
    [
      'a temperature on a reasoning model',
      { model: 'gpt-5', messages, temperature: 0.2 },
      'temperature',
      'unsupported_value',
    ],
  ];
  it.each(invalid)('rejects %s with 400 naming the field', async (_name, body, param, code) => {
    const error = (await rejectionOf(shared.client.chat.completions.create(body as never))) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect({ param: error.param, code: error.code, type: error.type }).toEqual({
      param,
      code,
      type: 'invalid_request_error',
    });
  });

  it('answers an unknown model with 404 model_not_found, and a non-chat model with 404', async () => {
    const error = (await rejectionOf(
      shared.client.chat.completions.create({ model: 'gpt-9', messages }),
    )) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('The model `gpt-9` does not exist');
    expect(
      await rejectionOf(shared.client.chat.completions.create({ model: 'text-embedding-3-small', messages })),
    ).toBeInstanceOf(NotFoundError);
  });

  it('answers an unknown route or method with 404 Invalid URL', async () => {
    const response = await fetch(`${shared.simulator.baseURL}/engines`, {
      headers: { authorization: 'Bearer sk-test' },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { message: 'Invalid URL (GET /v1/engines)' } });
    expect(
      (
        await fetch(`${shared.simulator.baseURL}/embeddings`, {
          method: 'PUT',
          headers: { authorization: 'Bearer sk-test' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await fetch(`${shared.simulator.baseURL.replace('/v1', '')}/v2/models`, {
          headers: { authorization: 'Bearer sk-test' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await fetch(`${shared.simulator.baseURL}/models/%E0%A4%A`, { headers: { authorization: 'Bearer sk-test' } }))
        .status,
    ).toBe(404);
  });

  it('accepts a model-less moderation and unknown extra fields, as OpenAI does', async () => {
    const completion = await shared.client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      store: true,
      metadata: { a: 'b' },
      prediction: null,
    } as never);
    expect((completion as OpenAI.ChatCompletion).object).toBe('chat.completion');
  });
});

describe('createOpenAISimulator when a replyWith hook throws', () => {
  it('answers 500 instead of leaving the request hanging', async () => {
    const broken = await createOpenAISimulator({
      replyWith: () => {
        throw new Error('bug in the test script');
      },
    });
    try {
      expect(await rejectionOf(chat(sdkFor(broken.baseURL)))).toBeInstanceOf(InternalServerError);
    } finally {
      await broken.close();
    }
  });
});

describe('SimulatorOptions.rateLimit', () => {
  it('depletes a request budget, refuses with a real 429 and refills on the injected clock', async () => {
    let now = 1_000_000;
    const limited = await createOpenAISimulator({
      now: () => now,
      rateLimit: { requestsPerMinute: 2, tokensPerMinute: 100_000 },
    });
    try {
      const sdk = sdkFor(limited.baseURL);
      const first = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
      const snapshot = toRateLimitSnapshot(first.response.headers, now);
      expect(snapshot?.requests).toMatchObject({ limit: 2, remaining: 1 });
      expect(first.response.headers.get('x-ratelimit-reset-requests')).toBe('30s');
      expect(snapshot?.tokens.remaining).toBe(100_000 - (first.data.usage?.total_tokens ?? 0));
      await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages });
      const error = (await rejectionOf(
        sdk.chat.completions.create({ model: 'gpt-4o-mini', messages }),
      )) as RateLimitError;
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error.code).toBe('rate_limit_exceeded');
      expect(error.type).toBe('requests');
      expect(error.headers.get('retry-after-ms')).toBe('30000');
      expect(error.headers.get('retry-after')).toBe('30');
      expect(error.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(error.message).toContain('Please try again in 30s');
      now += 30_000;
      expect((await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages })).object).toBe('chat.completion');
    } finally {
      await limited.close();
    }
  });

  it('refuses a call that needs more tokens than remain, with type tokens and Go-style resets', async () => {
    const now = 5_000_000;
    const limited = await createOpenAISimulator({
      now: () => now,
      rateLimit: { requestsPerMinute: 1000, tokensPerMinute: 60 },
    });
    try {
      const sdk = sdkFor(limited.baseURL);
      const { response } = await sdk.embeddings
        .create({ model: 'text-embedding-3-small', input: 'one two three four five' })
        .withResponse();
      expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe('55');
      expect(response.headers.get('x-ratelimit-reset-tokens')).toBe('5s');
      expect(parseDuration(response.headers.get('x-ratelimit-reset-requests') ?? '')).toEqual(ok(60));
      const error = (await rejectionOf(
        sdk.embeddings.create({ model: 'text-embedding-3-small', input: 'word '.repeat(56) }),
      )) as RateLimitError;
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error.type).toBe('tokens');
      expect(error.headers.get('retry-after-ms')).toBe('1000');
    } finally {
      await limited.close();
    }
  });

  it('sends no rate-limit headers when rateLimit is false', async () => {
    const open = await createOpenAISimulator({ rateLimit: false });
    try {
      const { response } = await sdkFor(open.baseURL)
        .chat.completions.create({ model: 'gpt-4o', messages })
        .withResponse();
      expect(response.headers.get('x-ratelimit-limit-requests')).toBeNull();
      expect(response.headers.get('x-request-id')).toMatch(/^req_/);
      expect(response.headers.get('openai-version')).toBe('2020-10-01');
      expect(Number(response.headers.get('openai-processing-ms'))).toBeGreaterThan(0);
      open.enqueue('chat.completions', { type: 'rate-limit', retryAfterMs: 10 });
      expect(
        ((await rejectionOf(chat(sdkFor(open.baseURL)))) as RateLimitError).headers.get(
          'x-ratelimit-remaining-requests',
        ),
      ).toBeNull();
    } finally {
      await open.close();
    }
  });
});

describe('OpenAISimulator.requests', () => {
  it('records method, path, query, parsed body and headers with credentials redacted', async () => {
    await shared.client.files.list({ purpose: 'batch', limit: 5 });
    await chat();
    const [list, completion] = shared.simulator.requests;
    expect(list).toMatchObject({
      method: 'GET',
      path: '/v1/files',
      query: { purpose: 'batch', limit: '5' },
      operation: 'files.list',
      body: null,
      status: 200,
    });
    expect(completion).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      operation: 'chat.completions',
      body: { model: 'gpt-4o-mini', messages },
      fault: null,
    });
    expect(completion?.headers['authorization']).toBe('Bearer [redacted]');
    expect(JSON.stringify(shared.simulator.requests)).not.toContain('sk-test-key-123456');
    await fetch(`${shared.simulator.baseURL}/models`, {
      headers: { 'api-key': 'sk-azure-secret-999', 'x-note': 'key sk-proj-abcdef123456' },
    });
    expect(shared.simulator.requests.at(-1)?.headers).toMatchObject({
      'api-key': '[redacted]',
      'x-note': 'key [redacted]',
    });
    await fetch(`${shared.simulator.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer x' },
      body: 'plain text',
    });
    expect(shared.simulator.requests.at(-1)).toMatchObject({ body: 'plain text', status: 400 });
  });

  it('records multipart uploads as fields and file summaries, and reset forgets everything', async () => {
    await shared.client.files.create({ file: await OpenAI.toFile(Buffer.from('abc'), 'a.txt'), purpose: 'user_data' });
    expect(shared.simulator.requests[0]?.body).toEqual({
      fields: { purpose: 'user_data' },
      files: [{ field: 'file', filename: 'a.txt', contentType: anyString, bytes: 3 }],
    });
    shared.simulator.enqueue('files', { type: 'status', status: 500 });
    shared.simulator.reset();
    expect(shared.simulator.requests).toEqual([]);
    expect((await shared.client.files.list()).data).toEqual([]);
  });
});
