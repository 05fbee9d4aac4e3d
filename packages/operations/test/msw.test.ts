import { createOpenAIHandlers } from '@openai-integration/testkit/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOperations } from '../src/index.ts';
import { testApiKey } from './support/harness.ts';

const simulator = createOpenAIHandlers({ seed: 11 });
const server = setupServer(...simulator.handlers);

beforeAll(() => {
  server.listen({ onUnhandledFrame: 'error' });
});
afterEach(() => {
  simulator.reset();
  vi.restoreAllMocks();
});
afterAll(() => {
  simulator.dispose();
  server.close();
});

const hello = { messages: [{ role: 'user' as const, content: 'hello' }] };

describe('operations under msw', () => {
  it('reach the msw handlers on the default node:http path, for calls, streams and faults', async () => {
    const globalFetch = vi.spyOn(globalThis, 'fetch');
    const operations = createOperations({
      load: { apiKey: testApiKey, baseUrl: simulator.baseURL, env: {}, envFile: false },
      transport: { retry: { maxRetries: 1, jitter: 'none', baseDelayMs: 1 } },
    })._unsafeUnwrap();
    const { value, meta } = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(value.text).not.toBe('');
    expect(meta.requestId).toMatch(/^req_/);
    const streamed = (await operations.chat.stream(hello).result)._unsafeUnwrap();
    expect(streamed.value.text).not.toBe('');
    simulator.enqueue('chat.completions', { type: 'status', status: 503 });
    const retried = (await operations.chat.create(hello))._unsafeUnwrap();
    expect(retried.meta.attempts).toBe(2);
    expect(simulator.requests).toHaveLength(4);
    expect(globalFetch).not.toHaveBeenCalled();
  });
});
