// Azure OpenAI through the real SDK against the simulator's `azure` profile: the v1 API
// and the classic deployment API, a key or a Microsoft Entra ID token provider,
// deployments, remaining-only rate-limit headers, and the content filter.
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createOperations, createUsageTracker, type AzureOptions, type Operations } from '../src/index.ts';
import { createCapturingLogger, type LogRecord } from './support/harness.ts';

const key = 'azureKEY0123456789abcdef0123456789';
const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-token-0123456789';
const hello = { messages: [{ role: 'user' as const, content: 'Say hello' }] };

let simulator: OpenAISimulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function azureSimulator(): Promise<OpenAISimulator> {
  simulator = await createOpenAISimulator({
    profile: 'azure',
    seed: 3,
    apiKey: key,
    azure: { deployments: { 'mini-prod': 'gpt-4o-mini' }, entraTokens: [token], contentFilter: { hate: ['grrr'] } },
  });
  return simulator;
}

function operationsFor(
  server: OpenAISimulator,
  env: Record<string, string>,
  azure: AzureOptions = {},
  records: LogRecord[] = [],
): Operations {
  return createOperations({
    load: {
      env: {
        AZURE_OPENAI_ENDPOINT: server.endpoint,
        AZURE_OPENAI_DEPLOYMENTS: 'gpt-4o-mini=mini-prod',
        OPENAI_MODEL: 'gpt-4o-mini',
        OPENAI_LOG: 'debug',
        ...env,
      },
      envFile: false,
    },
    logger: createCapturingLogger(records),
    transport: { retry: { maxRetries: 0 } },
    azure,
  })._unsafeUnwrap();
}

describe('Azure OpenAI, v1 API', () => {
  it('answers with a key, the model name mapped to its deployment, and the model kept in the meta', async () => {
    const server = await azureSimulator();
    const operations = operationsFor(server, {
      AZURE_OPENAI_API_KEY: key,
      AZURE_OPENAI_DEPLOYMENTS: 'gpt-4o-mini=mini-prod',
    });
    const { value, meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(value.text).toEqual(expect.any(String));
    expect(meta.model).toMatch(/^gpt-4o-mini/);
    expect(meta.costUsd).toBeGreaterThan(0);
    const sent = server.requests[0];
    expect(sent?.path).toBe('/openai/v1/chat/completions');
    expect(sent?.body).toMatchObject({ model: 'mini-prod' });
    // Azure sends only the remaining counts: the snapshot has them, with no limits or resets.
    expect(typeof meta.rateLimit?.requests.remaining).toBe('number');
    expect(meta.rateLimit?.requests.limit).toBeNull();
  });

  it('authenticates with a Microsoft Entra ID token, asked again only near its expiry, never logged', async () => {
    const server = await azureSimulator();
    let asked = 0;
    const records: LogRecord[] = [];
    const operations = operationsFor(
      server,
      {},
      {
        tokenProvider: () => {
          asked += 1;
          return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 });
        },
      },
      records,
    );
    expect((await operations.chat.create(hello)).isOk()).toBe(true);
    expect((await operations.chat.create(hello)).isOk()).toBe(true);
    expect(asked).toBe(1);
    expect(JSON.stringify(records)).not.toContain(token);
  });

  it('streams, and reports a refused token as an AuthenticationError without the token', async () => {
    const server = await azureSimulator();
    const streamed = operationsFor(server, { AZURE_OPENAI_API_KEY: key });
    const { value } = (await streamed.chat.stream(hello).result)._unsafeUnwrap();
    expect(value.text.length).toBeGreaterThan(0);
    // Azure's first frame (the prompt's filter results, no id or model) does not name the stream.
    expect(value.id).toMatch(/^chatcmpl-/);
    expect(value.model).toMatch(/^gpt-/);
    const wrong = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.revoked-token-9876543210';
    const refused = operationsFor(server, {}, { tokenProvider: () => wrong });
    const error = (await refused.chat.create(hello))._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'AuthenticationError', status: 401 });
    expect(JSON.stringify({ ...error, cause: String(error.cause) })).not.toContain(wrong);
  });

  it('refuses a filtered prompt with a ContentFilterError: never retried, never sent to a fallback model', async () => {
    const server = await azureSimulator();
    const operations = createOperations({
      load: {
        env: {
          AZURE_OPENAI_ENDPOINT: server.endpoint,
          AZURE_OPENAI_API_KEY: key,
          AZURE_OPENAI_DEPLOYMENTS: 'gpt-4o-mini=mini-prod',
          OPENAI_LOG: 'off',
        },
        envFile: false,
      },
      transport: { retry: { maxRetries: 3, jitter: 'none', baseDelayMs: 1 } },
      fallbacks: { 'gpt-4o-mini': ['gpt-4.1-mini'] },
    })._unsafeUnwrap();
    const error = (
      await operations.chat.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'grrr at them' }] })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'ContentFilterError', status: 400, source: 'prompt', retryable: false });
    if (error._tag !== 'ContentFilterError') throw new Error('expected a content filter error');
    expect(error.verdicts).toContainEqual({ category: 'hate', filtered: true, severity: 'high' });
    expect(server.requests).toHaveLength(1);
  });

  it('reports a completion the filter cut as an answer whose finish reason says so', async () => {
    const server = await azureSimulator();
    server.enqueue('chat.completions', { type: 'content-filter', on: 'completion', categories: ['violence'] });
    const operations = operationsFor(server, { AZURE_OPENAI_API_KEY: key });
    const { value } = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(value).toMatchObject({ finishReason: 'content_filter', text: null });
  });
});

describe('Azure prices', () => {
  it('prices calls with the prices given for the deployment, per model name', async () => {
    const server = await azureSimulator();
    const operations = createOperations({
      load: {
        env: {
          AZURE_OPENAI_ENDPOINT: server.endpoint,
          AZURE_OPENAI_API_KEY: key,
          AZURE_OPENAI_DEPLOYMENTS: 'gpt-4o-mini=mini-prod',
          OPENAI_MODEL: 'gpt-4o-mini',
          OPENAI_LOG: 'off',
        },
        envFile: false,
      },
      usage: createUsageTracker({ prices: { 'gpt-4o-mini': { input: 1, output: 2 } } }),
    })._unsafeUnwrap();
    const { meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    const usage = meta.usage;
    if (usage === null) throw new Error('expected usage');
    expect(meta.costUsd).toBeCloseTo((usage.inputTokens * 1 + usage.outputTokens * 2) / 1_000_000, 12);
  });
});

describe('Azure OpenAI, classic deployment API', () => {
  it('sends chat to the deployment with the api-version, through AzureOpenAI', async () => {
    const server = await azureSimulator();
    const operations = operationsFor(server, {
      AZURE_OPENAI_API_KEY: key,
      AZURE_OPENAI_API_VERSION: '2024-10-21',
      AZURE_OPENAI_DEPLOYMENTS: 'gpt-4o-mini=mini-prod',
    });
    const { meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(meta.model).toMatch(/^gpt-4o-mini/);
    const sent = server.requests[0];
    expect(sent?.path).toBe('/openai/deployments/mini-prod/chat/completions');
    expect(sent?.query).toMatchObject({ 'api-version': '2024-10-21' });
  });

  it('authenticates with a token provider on the classic API too', async () => {
    const server = await azureSimulator();
    const operations = operationsFor(
      server,
      { AZURE_OPENAI_API_VERSION: '2024-10-21' },
      { tokenProvider: () => token },
    );
    expect((await operations.chat.create(hello)).isOk()).toBe(true);
  });

  it('refuses the Responses API before sending, saying to use the v1 API', async () => {
    const server = await azureSimulator();
    const operations = operationsFor(server, { AZURE_OPENAI_API_KEY: key, AZURE_OPENAI_API_VERSION: '2024-10-21' });
    const created = (await operations.responses.create({ input: 'hi' }))._unsafeUnwrapErr();
    expect(created).toMatchObject({ _tag: 'ConfigError', variable: 'AZURE_OPENAI_API_VERSION' });
    expect(created.message).toMatch(/to use the v1 API/);
    expect((await operations.responses.stream({ input: 'hi' }).result)._unsafeUnwrapErr()._tag).toBe('ConfigError');
    expect((await operations.responses.resume('resp_1', null).result)._unsafeUnwrapErr()._tag).toBe('ConfigError');
    expect((await operations.responses.retrieve('resp_1'))._unsafeUnwrapErr()._tag).toBe('ConfigError');
    expect((await operations.responses.delete('resp_1'))._unsafeUnwrapErr()._tag).toBe('ConfigError');
    expect(server.requests).toHaveLength(0);
  });
});

describe('Azure settings', () => {
  it('names the fix for a missing key, and refuses azure beside a client', async () => {
    const server = await azureSimulator();
    const missing = createOperations({
      load: { env: { AZURE_OPENAI_ENDPOINT: server.endpoint }, envFile: false },
    })._unsafeUnwrapErr();
    expect(missing).toMatchObject({ _tag: 'ConfigError', variable: 'AZURE_OPENAI_API_KEY' });
    const { default: OpenAI } = await import('openai');
    const beside = createOperations({
      client: new OpenAI({ apiKey: 'sk-x', baseURL: server.baseURL }),
      azure: { load: { endpoint: server.endpoint, apiKey: key } },
    })._unsafeUnwrapErr();
    expect(beside).toMatchObject({ _tag: 'ConfigError', variable: 'azure' });
  });

  it('takes settings already loaded, and a token provider that fails is an error that says so', async () => {
    const server = await azureSimulator();
    const operations = createOperations({
      load: { env: { OPENAI_LOG: 'off' }, envFile: false },
      transport: { retry: { maxRetries: 0 } },
      azure: {
        config: {
          endpoint: server.endpoint,
          api: 'v1',
          baseUrl: server.baseURL,
          apiVersion: null,
          apiKey: null,
          deployments: {},
        },
        tokenProvider: () => Promise.reject(new Error('CredentialUnavailableError: no managed identity')),
      },
    })._unsafeUnwrap();
    const error = (await operations.chat.create(hello))._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'ConfigError', variable: 'azure.tokenProvider' });
    expect(error.message).toMatch(/Microsoft Entra ID token provider failed \(Error\); fix: check the credential/);
    expect((error.cause as Error).message).toMatch(/no managed identity/);
    expect(server.requests).toHaveLength(0);
  });
});
