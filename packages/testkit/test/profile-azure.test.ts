import { setupServer } from 'msw/node';
import OpenAI, { AuthenticationError, AzureOpenAI, BadRequestError, NotFoundError, RateLimitError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAISimulator, type OpenAISimulator } from '../src/index.ts';
import { createOpenAIHandlers } from '../src/msw/index.ts';
import { rejectionOf } from './support/sdk.ts';
import { parseSse } from './support/sse.ts';

let simulator: OpenAISimulator;

beforeAll(async () => {
  simulator = await createOpenAISimulator({
    profile: 'azure',
    seed: 5,
    apiKey: 'azure-key',
    azure: {
      deployments: { chat: 'gpt-4o-mini', embed: 'text-embedding-3-small', dated: 'gpt-4o-2024-08-06' },
      entraTokens: ['entra-token'],
      contentFilter: { hate: ['grrr'], violence: ['murder'] },
    },
  });
});

beforeEach(() => {
  simulator.reset();
});

afterAll(async () => {
  await simulator.close();
});

const hello = [{ role: 'user' as const, content: 'Hello' }];

/** The classic deployment API through the official AzureOpenAI client. */
function azureClient(deployment: string, options: { apiVersion?: string; apiKey?: string } = {}): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: simulator.endpoint,
    deployment,
    apiVersion: options.apiVersion ?? '2024-10-21',
    apiKey: options.apiKey ?? 'azure-key',
    maxRetries: 0,
    logLevel: 'off',
  });
}

/** The v1 API through the plain OpenAI client (the key as Bearer token). */
function v1Client(): OpenAI {
  return new OpenAI({ baseURL: simulator.baseURL, apiKey: 'azure-key', maxRetries: 0, logLevel: 'off' });
}

async function raw(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${simulator.endpoint}${path}`, {
    method: init.method ?? 'POST',
    headers: { 'api-key': 'azure-key', 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { response, body: await response.json() };
}

const resourceNotFound = { error: { code: '404', message: 'Resource not found' } };

describe('the azure profile: the classic deployment API', () => {
  it('answers AzureOpenAI through the deployment, naming the underlying model, with filter results', async () => {
    expect(simulator.profile).toBe('azure');
    expect(simulator.baseURL).toBe(`${simulator.endpoint}/openai/v1`);
    const completion = await azureClient('chat').chat.completions.create({ model: 'anything', messages: hello });
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion).toMatchObject({
      prompt_filter_results: [
        {
          prompt_index: 0,
          content_filter_results: {
            hate: { filtered: false, severity: 'safe' },
            jailbreak: { filtered: false, detected: false },
          },
        },
      ],
      choices: [{ finish_reason: 'stop', content_filter_results: { violence: { filtered: false, severity: 'safe' } } }],
    });
    expect(simulator.requests[0]).toMatchObject({
      path: '/openai/deployments/chat/chat/completions',
      query: { 'api-version': '2024-10-21' },
      operation: 'chat.completions',
    });
  });

  it('serves embeddings through a deployment and responses beside the deployments', async () => {
    const embedding = await azureClient('embed').embeddings.create({ model: 'x', input: 'text' });
    expect(embedding.model).toBe('text-embedding-3-small');
    const response = await azureClient('chat', { apiVersion: '2025-03-01-preview' }).responses.create({
      model: 'dated',
      input: 'Hi',
    });
    expect(response.model).toBe('gpt-4o-2024-08-06');
    expect(simulator.requests.map((request) => request.path)).toEqual([
      '/openai/deployments/embed/embeddings',
      '/openai/responses',
    ]);
  });

  it('does not route responses through a deployment: 404 Resource not found, as Azure', async () => {
    const { response, body } = await raw('/openai/deployments/chat/responses?api-version=2025-03-01-preview', {
      body: { model: 'chat', input: 'Hi' },
    });
    expect(response.status).toBe(404);
    expect(body).toEqual(resourceNotFound);
    expect((await raw('/openai/chat/completions?api-version=2024-10-21', { body: {} })).body).toEqual(resourceNotFound);
    expect((await raw('/somewhere-else', { body: {} })).response.status).toBe(404);
  });

  it('answers a missing api-version with 404 and an unknown one with 400 API version not supported', async () => {
    const missing = await raw('/openai/deployments/chat/chat/completions', { body: { messages: hello } });
    expect(missing.response.status).toBe(404);
    expect(missing.body).toEqual(resourceNotFound);
    const unknown = await rejectionOf(
      azureClient('chat', { apiVersion: '2099-01-01' }).chat.completions.create({ model: 'x', messages: hello }),
    );
    expect(unknown).toBeInstanceOf(BadRequestError);
    expect((unknown as BadRequestError).error).toEqual({ code: 'BadRequest', message: 'API version not supported' });
    expect((await raw('/openai/files', { method: 'GET' })).body).toEqual(resourceNotFound);
    expect((await raw('/openai/files?api-version=2099-01-01', { method: 'GET' })).response.status).toBe(400);
  });

  it('answers an unknown deployment with 404 DeploymentNotFound', async () => {
    const error = await rejectionOf(azureClient('missing').chat.completions.create({ model: 'x', messages: hello }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).error).toEqual({
      code: 'DeploymentNotFound',
      message:
        'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
    });
    expect((await raw('/openai/deployments/%E0%A4%A/chat/completions?api-version=2024-10-21')).body).toEqual(
      resourceNotFound,
    );
  });
});

describe('the azure profile: the v1 API', () => {
  it('serves /openai/v1 to the plain OpenAI client, the model naming a deployment', async () => {
    const completion = await v1Client().chat.completions.create({ model: 'chat', messages: hello });
    expect(completion.model).toBe('gpt-4o-mini');
    const models = await v1Client().models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-4o-2024-08-06');
    const notDeployed = await rejectionOf(v1Client().chat.completions.create({ model: 'gpt-4o', messages: hello }));
    expect(notDeployed).toBeInstanceOf(NotFoundError);
    expect((notDeployed as NotFoundError).error).toMatchObject({ code: 'DeploymentNotFound' });
  });

  it('takes no dated api-version on v1, and accepts preview', async () => {
    const dated = await raw('/openai/v1/chat/completions?api-version=2024-10-21', {
      body: { model: 'chat', messages: hello },
    });
    expect(dated.response.status).toBe(400);
    expect(dated.body).toEqual({ error: { code: 'BadRequest', message: 'API version not supported' } });
    const preview = await raw('/openai/v1/chat/completions?api-version=preview', {
      body: { model: 'chat', messages: hello },
    });
    expect(preview.response.status).toBe(200);
    expect((await raw('/openai/v1/assistants', { method: 'GET' })).body).toEqual(resourceNotFound);
  });

  it('keeps the strict rules of the OpenAI models: an unknown argument is a 400', async () => {
    const body = { model: 'chat', messages: hello, max_tokenz: 5 };
    const error = await rejectionOf(v1Client().chat.completions.create(body));
    expect((error as BadRequestError).error).toMatchObject({
      message: 'Unrecognized request argument supplied: max_tokenz',
    });
  });
});

describe('the azure profile: authentication', () => {
  const invalidKey =
    'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

  it("refuses a missing or wrong api-key with Azure's 401 body", async () => {
    const missing = await fetch(`${simulator.endpoint}/openai/v1/models`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: '401', message: invalidKey } });
    const wrong = await rejectionOf(
      azureClient('chat', { apiKey: 'nope' }).chat.completions.create({ model: 'x', messages: hello }),
    );
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect((wrong as AuthenticationError).error).toEqual({ code: '401', message: invalidKey });
  });

  it('accepts an Entra token as Authorization: Bearer, and refuses an unknown one', async () => {
    const entra = (token: string) =>
      new AzureOpenAI({
        endpoint: simulator.endpoint,
        deployment: 'chat',
        apiVersion: '2024-10-21',
        azureADTokenProvider: () => Promise.resolve(token),
        maxRetries: 0,
        logLevel: 'off',
      });
    expect((await entra('entra-token').chat.completions.create({ model: 'x', messages: hello })).model).toBe(
      'gpt-4o-mini',
    );
    const refused = await rejectionOf(entra('stale').chat.completions.create({ model: 'x', messages: hello }));
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect((refused as AuthenticationError).error).toEqual({
      code: '401',
      message:
        'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
    });
    expect(simulator.requests[0]?.headers['authorization']).toBe('Bearer [redacted]');
  });

  it("sends Azure's headers, not OpenAI's", async () => {
    const { response } = await raw('/openai/v1/models', { method: 'GET' });
    expect(response.headers.get('apim-request-id')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(response.headers.get('x-ms-region')).toBe('East US');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.headers.get('openai-version')).toBeNull();
  });
});

describe('the azure profile: rate limits', () => {
  it("sends only the remaining headers, over 10 s windows, and refuses with Azure's 429 naming the operation", async () => {
    let now = 1_700_000_000_000;
    const limited = await createOpenAISimulator({
      profile: 'azure',
      now: () => now,
      rateLimit: { requestsPerMinute: 12, tokensPerMinute: 1_000_000 },
    });
    try {
      const call = () =>
        fetch(`${limited.endpoint}/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21`, {
          method: 'POST',
          headers: { 'api-key': 'k', 'content-type': 'application/json' },
          body: JSON.stringify({ messages: hello }),
        });
      const first = await call();
      expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
      expect(first.headers.get('x-ratelimit-remaining-tokens')).toMatch(/^\d+$/);
      expect([...first.headers.keys()].filter((name) => name.startsWith('x-ratelimit-')).sort()).toEqual([
        'x-ratelimit-remaining-requests',
        'x-ratelimit-remaining-tokens',
      ]);
      await call();
      const refused = await call();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.headers.get('x-ratelimit-reset-requests')).toBeNull();
      expect(await refused.json()).toEqual({
        error: {
          code: '429',
          message:
            'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 5 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.',
        },
      });
      now += 10_000;
      expect((await call()).status).toBe(200);
      limited.enqueue('embeddings', { type: 'rate-limit', retryAfterSeconds: 1, limit: 'tokens' });
      const scripted = await rejectionOf(
        new OpenAI({ baseURL: limited.baseURL, apiKey: 'k', maxRetries: 0, logLevel: 'off' }).embeddings.create({
          model: 'text-embedding-3-small',
          input: 'x',
        }),
      );
      expect(scripted).toBeInstanceOf(RateLimitError);
      expect((scripted as RateLimitError).error).toMatchObject({
        code: '429',
        message: expect.stringMatching(
          /^Requests to the Embeddings_Create Operation under Azure OpenAI API version v1 have exceeded token rate limit .* Please retry after 1 second\./,
        ) as unknown,
      });
      expect((scripted as RateLimitError).headers.get('x-ratelimit-remaining-tokens')).toBe('0');
      expect((scripted as RateLimitError).headers.get('x-ratelimit-reset-tokens')).toBeNull();
    } finally {
      await limited.close();
    }
  });
});

describe('the azure profile: content filter', () => {
  const filtered = {
    message:
      "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
    type: null,
    param: 'prompt',
    code: 'content_filter',
    status: 400,
    innererror: {
      code: 'ResponsibleAIPolicyViolation',
      content_filter_result: {
        hate: { filtered: true, severity: 'high' },
        jailbreak: { filtered: false, detected: false },
        self_harm: { filtered: false, severity: 'safe' },
        sexual: { filtered: false, severity: 'safe' },
        violence: { filtered: false, severity: 'safe' },
      },
    },
  };

  it('refuses a prompt with a configured trigger word: 400 content_filter with the innererror per category', async () => {
    const error = await rejectionOf(
      azureClient('chat').chat.completions.create({
        model: 'x',
        messages: [{ role: 'user', content: 'Grrr, they said' }],
      }),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).code).toBe('content_filter');
    expect((error as BadRequestError).error).toEqual(filtered);
    const response = await rejectionOf(
      azureClient('chat', { apiVersion: '2025-03-01-preview' }).responses.create({ model: 'chat', input: 'grrr' }),
    );
    expect((response as BadRequestError).error).toEqual(filtered);
    expect(simulator.requests.map((request) => request.status)).toEqual([400, 400]);
  });

  it('ends a choice whose reply has a trigger word with finish_reason content_filter and no content', async () => {
    simulator.enqueue('chat.completions', { type: 'reply', content: 'The murder mystery was solved.' });
    const completion = await azureClient('chat').chat.completions.create({ model: 'x', messages: hello });
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'content_filter',
      message: { content: null },
      content_filter_results: {
        violence: { filtered: true, severity: 'high' },
        hate: { filtered: false, severity: 'safe' },
        protected_material_text: { filtered: false, detected: false },
      },
    });
    expect(completion.usage?.completion_tokens).toBe(6);
  });

  it('streams up to the filtered word, after a first frame of prompt results with empty fields', async () => {
    simulator.enqueue('chat.completions', { type: 'reply', content: 'The murder mystery' });
    const { response } = await (async () => {
      const reply = await fetch(
        `${simulator.endpoint}/openai/deployments/chat/chat/completions?api-version=2024-10-21`,
        {
          method: 'POST',
          headers: { 'api-key': 'azure-key', 'content-type': 'application/json' },
          body: JSON.stringify({ messages: hello, stream: true }),
        },
      );
      return { response: reply };
    })();
    const frames = parseSse(await response.text()).map((frame) =>
      frame.data === '[DONE]' ? frame.data : (JSON.parse(frame.data) as Record<string, unknown>),
    );
    expect(frames[0]).toEqual({
      choices: [],
      created: 0,
      id: '',
      model: '',
      object: '',
      prompt_filter_results: [expect.objectContaining({ prompt_index: 0 }) as unknown],
    });
    const deltas = frames
      .slice(1, -2)
      .map((frame) => (frame as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content);
    expect(deltas).toEqual(['', 'The']);
    expect(frames.at(-2)).toMatchObject({
      choices: [{ finish_reason: 'content_filter', content_filter_results: { violence: { filtered: true } } }],
    });
    simulator.enqueue('chat.completions', { type: 'reply', content: 'The murder mystery' });
    const stream = await azureClient('chat').chat.completions.create({ model: 'x', messages: hello, stream: true });
    let text = '';
    const reasons: (string | null | undefined)[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      reasons.push(chunk.choices[0]?.finish_reason);
    }
    expect(text).toBe('The');
    expect(reasons.at(-1)).toBe('content_filter');
  });

  it('stops any call with a content-filter fault, on the prompt or on the completion', async () => {
    simulator.enqueue('embeddings', { type: 'content-filter' });
    const error = await rejectionOf(azureClient('embed').embeddings.create({ model: 'x', input: 'x' }));
    expect((error as BadRequestError).error).toEqual(filtered);
    simulator.enqueue('chat.completions', {
      type: 'content-filter',
      on: 'completion',
      categories: ['sexual', 'self_harm'],
    });
    const completion = await azureClient('chat').chat.completions.create({
      model: 'x',
      messages: hello,
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
      tool_choice: 'required',
    });
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'content_filter',
      message: { content: null },
      content_filter_results: { sexual: { filtered: true }, self_harm: { filtered: true }, hate: { filtered: false } },
    });
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
  });
});

describe('the content-filter fault under the openai profile', () => {
  it("answers with Azure's shapes too, since only the fault asks for them", async () => {
    const plain = await createOpenAISimulator({ seed: 2 });
    try {
      const client = new OpenAI({ baseURL: plain.baseURL, apiKey: 'sk', maxRetries: 0, logLevel: 'off' });
      plain.enqueue('chat.completions', { type: 'content-filter', on: 'completion' }, { type: 'content-filter' });
      const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: hello, stream: true });
      const chunks = [];
      for await (const chunk of completion) chunks.push(chunk);
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('content_filter');
      const error = await rejectionOf(client.chat.completions.create({ model: 'gpt-4o-mini', messages: hello }));
      expect((error as BadRequestError).code).toBe('content_filter');
      const untouched = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'murder' }],
      });
      expect(untouched).not.toHaveProperty('prompt_filter_results');
    } finally {
      await plain.close();
    }
  });
});

describe('the azure profile over msw', () => {
  it('intercepts the resource endpoint, and needs a base URL that ends in /openai/v1', async () => {
    const handlers = createOpenAIHandlers({ profile: 'azure', seed: 1 });
    const server = setupServer(...handlers.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    try {
      expect(handlers.endpoint).toBe('https://simulator.openai.azure.com');
      expect(handlers.baseURL).toBe('https://simulator.openai.azure.com/openai/v1');
      expect(handlers.profile).toBe('azure');
      const client = new AzureOpenAI({
        endpoint: handlers.endpoint,
        deployment: 'gpt-4o-mini',
        apiVersion: '2024-10-21',
        apiKey: 'k',
        maxRetries: 0,
        logLevel: 'off',
      });
      expect((await client.chat.completions.create({ model: 'x', messages: hello })).model).toBe('gpt-4o-mini');
      const v1 = new OpenAI({ baseURL: handlers.baseURL, apiKey: 'k', maxRetries: 0, logLevel: 'off' });
      expect((await v1.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })).data).toHaveLength(1);
    } finally {
      handlers.dispose();
      server.close();
    }
    const nested = createOpenAIHandlers({ profile: 'azure', baseURL: 'https://gw.example.com/team/openai/v1/' });
    expect(nested.endpoint).toBe('https://gw.example.com/team');
    expect(() => createOpenAIHandlers({ profile: 'azure', baseURL: 'https://x.openai.azure.com/v1' })).toThrow(
      new TypeError("The azure profile needs a baseURL that ends in /openai/v1, got 'https://x.openai.azure.com/v1'."),
    );
    expect(createOpenAIHandlers({ profile: 'compatible' }).baseURL).toBe('http://localhost:8000/v1');
  });
});
