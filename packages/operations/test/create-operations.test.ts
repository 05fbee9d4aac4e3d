import { createManualClock, loadConfig } from '@openai-integration/core';
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { createTransport, type Transport } from '@openai-integration/transport';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOperations } from '../src/index.ts';
import { createCapturingLogger, testApiKey, type LogRecord } from './support/harness.ts';

let simulator: OpenAISimulator;

beforeEach(async () => {
  simulator = await createOpenAISimulator({ seed: 3 });
});

afterEach(async () => {
  await simulator.close();
});

const hello = { messages: [{ role: 'user' as const, content: 'hello' }] };

describe('createOperations', () => {
  it('fails with a ConfigError naming OPENAI_API_KEY when no key is configured', () => {
    const result = createOperations({ load: { env: {}, envFile: false } });
    expect(result._unsafeUnwrapErr()).toMatchObject({ _tag: 'ConfigError', variable: 'OPENAI_API_KEY' });
  });

  it('loads settings from the environment it is given', async () => {
    const operations = createOperations({
      load: {
        env: {
          OPENAI_API_KEY: testApiKey,
          OPENAI_BASE_URL: simulator.baseURL,
          OPENAI_MODEL: 'gpt-4.1-mini',
          OPENAI_LOG: 'off',
        },
        envFile: false,
      },
    })._unsafeUnwrap();
    const { meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(meta.model).toMatch(/^gpt-4\.1-mini/);
  });

  it('switches off the retries of a client it is given, so only the transport retries', async () => {
    const client = new OpenAI({ apiKey: 'sk-test-client-key', baseURL: simulator.baseURL, maxRetries: 5 });
    const operations = createOperations({
      client,
      load: { env: {}, envFile: false },
      transport: { retry: { maxRetries: 1, jitter: 'none', baseDelayMs: 1 } },
    })._unsafeUnwrap();
    expect(operations.client.maxRetries).toBe(0);
    simulator.enqueue(
      'chat.completions',
      { type: 'status', status: 500 },
      { type: 'status', status: 500 },
      { type: 'status', status: 500 },
    );
    const error = (await operations.chat.create(hello))._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'InternalServerError', attempts: 2 });
    expect(simulator.requests).toHaveLength(2);
  });

  it('uses a transport instance it is given and a custom fetch', async () => {
    const transport = createTransport({ retry: { maxRetries: 0 } });
    const seen: string[] = [];
    const config = loadConfig({
      apiKey: testApiKey,
      baseUrl: simulator.baseURL,
      env: {},
      envFile: false,
    })._unsafeUnwrap();
    const operations = createOperations({
      config,
      transport,
      fetch: (input, init) => {
        seen.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    })._unsafeUnwrap();
    expect(operations.transport).toBe(transport);
    (await operations.chat.create(hello))._unsafeUnwrap();
    expect(seen).toEqual([`${simulator.baseURL}/chat/completions`]);
  });

  it('sends on node:http by default, and through the global fetch when told to', async () => {
    const globalFetch = vi.spyOn(globalThis, 'fetch');
    const load = { apiKey: testApiKey, baseUrl: simulator.baseURL, env: {}, envFile: false as const };
    try {
      const byDefault = createOperations({ load })._unsafeUnwrap();
      (await byDefault.chat.create(hello))._unsafeUnwrap();
      const streamed = await byDefault.chat.stream(hello).result;
      expect(streamed._unsafeUnwrap().value.text).not.toBe('');
      expect(globalFetch).not.toHaveBeenCalled();
      const onFetch = createOperations({ load, fetch: globalThis.fetch })._unsafeUnwrap();
      (await onFetch.chat.create(hello))._unsafeUnwrap();
      expect(globalFetch).toHaveBeenCalledTimes(1);
      expect(simulator.requests).toHaveLength(3);
    } finally {
      globalFetch.mockRestore();
    }
  });

  it('works with a stand-in transport that forwards to a real one, and still paces from every response', async () => {
    // A clock that stands still: the bucket cannot refill between the response and the check below.
    const current = createTransport({ retry: { maxRetries: 0 }, clock: createManualClock(Date.now()) });
    const standIn: Transport = {
      execute: (operation, options) => current.execute(operation, options),
      runAll: (items, operation, options) => current.runAll(items, operation, options),
      breakers: current.breakers,
      limiter: current.limiter,
      bulkhead: current.bulkhead,
    };
    const config = loadConfig({
      apiKey: testApiKey,
      baseUrl: simulator.baseURL,
      env: {},
      envFile: false,
    })._unsafeUnwrap();
    const operations = createOperations({ config, transport: standIn })._unsafeUnwrap();
    const { meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(meta.rateLimit).not.toBeNull();
    const budget = await standIn.limiter.budget(`chat:${config.model}`);
    expect(budget?.requests.limit).toBe(meta.rateLimit?.requests.limit);
    // Recorded while the call was still in flight: the pacer may count that call once more, to be safe.
    expect(budget?.requests.remaining).toBeGreaterThanOrEqual((meta.rateLimit?.requests.remaining ?? Number.NaN) - 1);
    expect(budget?.requests.remaining).toBeLessThanOrEqual(meta.rateLimit?.requests.remaining ?? Number.NaN);
    (await operations.chat.create(hello, { signal: new AbortController().signal }))._unsafeUnwrap();
  });

  it('reads a rotating key on every request and scrubs each key it used from logs', async () => {
    const keys = ['sk-proj-rotationAAAAAAA', 'sk-proj-rotationBBBBBBB'];
    let reads = 0;
    const records: LogRecord[] = [];
    const operations = createOperations({
      load: { apiKey: () => keys[reads++ % 2] ?? '', baseUrl: simulator.baseURL, env: {}, envFile: false },
      logger: createCapturingLogger(records),
    })._unsafeUnwrap();
    (await operations.chat.create(hello))._unsafeUnwrap();
    simulator.enqueue('chat.completions', {
      type: 'status',
      status: 401,
      message: `Incorrect API key provided: ${keys[1] ?? ''}`,
    });
    const error = (await operations.chat.create(hello, { retry: { maxRetries: 0 } }))._unsafeUnwrapErr();
    expect(reads).toBe(2);
    expect(error.message).not.toContain('rotationBBBB');
    expect(JSON.stringify(records)).not.toContain('rotation');
  });
});
