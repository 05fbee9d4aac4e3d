import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuiteOperations } from './create-suite-operations.ts';
import { rehearsalApiKey, type LiveSuiteContext } from './live-suite-context.ts';

let simulator: OpenAISimulator;
let context: LiveSuiteContext;
const liveKey = 'sk-proj-suiteOPERATIONS';

beforeAll(async () => {
  simulator = await createOpenAISimulator({ seed: 1, apiKey: rehearsalApiKey });
  context = {
    mode: 'rehearsal',
    baseUrl: simulator.baseURL,
    runId: '20261124103600abcd',
    chatModel: 'gpt-4.1-nano',
    embeddingModel: 'text-embedding-3-small',
    expectRateLimitHeaders: true,
  };
});

afterAll(async () => {
  await simulator.close();
});

describe('createSuiteOperations', () => {
  it('in rehearsal, calls the simulator with the rehearsal key (the only key it accepts)', async () => {
    const operations = createSuiteOperations(context)._unsafeUnwrap();
    const before = simulator.requests.length;
    const answer = await operations.chat.create({
      model: 'gpt-4.1-nano',
      messages: [{ role: 'user', content: 'Hi' }],
      max_completion_tokens: 8,
    });
    expect(answer.isOk() && answer.value.meta.model).toBe('gpt-4.1-nano');
    expect(simulator.requests.slice(before).map((request) => request.path)).toEqual(['/v1/chat/completions']);
  });

  it('uses another key when asked, which the simulator refuses with a 401', async () => {
    const operations = createSuiteOperations(context, { apiKey: 'sk-wrong-key-0000000000' })._unsafeUnwrap();
    const answer = await operations.chat.create({
      model: 'gpt-4.1-nano',
      messages: [{ role: 'user', content: 'Hi' }],
      max_completion_tokens: 8,
    });
    expect(answer.isErr() && answer.error._tag).toBe('AuthenticationError');
  });

  it('live, reads the key and the endpoint from the environment again, and can swap the key', async () => {
    const live: LiveSuiteContext = { ...context, mode: 'live' };
    const env = { OPENAI_API_KEY: rehearsalApiKey, OPENAI_BASE_URL: simulator.baseURL };
    const operations = createSuiteOperations(live, { env, envDir: false })._unsafeUnwrap();
    const listed = await operations.models.list({ prefix: 'gpt-4.1' });
    expect(listed.isOk()).toBe(true);
    const swapped = createSuiteOperations(live, { env, envDir: false, apiKey: liveKey })._unsafeUnwrap();
    const refused = await swapped.models.list({}, { maxAgeMs: 0 });
    expect(refused.isErr() && refused.error._tag).toBe('AuthenticationError');
  });

  it('live, fails with a ConfigError when the worker finds no key although the setup chose live', () => {
    const result = createSuiteOperations({ ...context, mode: 'live' }, { env: {}, envDir: false });
    expect(result.isErr() && result.error).toMatchObject({ _tag: 'ConfigError', variable: 'OPENAI_API_KEY' });
  });

  it('live, passes on a configuration error', () => {
    const result = createSuiteOperations(
      { ...context, mode: 'live' },
      { env: { OPENAI_API_KEY: liveKey, OPENAI_TIMEOUT_MS: 'soon' }, envDir: false },
    );
    expect(result.isErr() && result.error).toMatchObject({ _tag: 'ConfigError', variable: 'OPENAI_TIMEOUT_MS' });
  });
});
