// Azure OpenAI: live when AZURE_OPENAI_ENDPOINT (and its key) are configured, else a
// rehearsal against the simulator's `azure` profile, which imitates Azure's paths, auth,
// headers and content filter. The mode is said once, loudly.
import { loadAzureConfig, type AzureConfig } from '@openai-integration/core';
import { createOperations, type Operations } from '@openai-integration/operations';
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../src/mode/repository-root.ts';

const rehearsalKey = 'azure-live-tests-rehearsal-key-0123456789';
const namedModel = process.env['LIVE_TESTS_AZURE_CHAT_MODEL']?.trim();
const chatModel = namedModel === undefined || namedModel === '' ? 'gpt-4o-mini' : namedModel;
const maxOutput = 16;

const configured = loadAzureConfig({ env: process.env, cwd: repositoryRoot });
if (configured.isErr()) throw new Error(`${configured.error._tag}: ${configured.error.message}`);
const live: AzureConfig | null = configured.value;
let simulator: OpenAISimulator | undefined;

beforeAll(async () => {
  if (live === null) {
    simulator = await createOpenAISimulator({
      profile: 'azure',
      apiKey: rehearsalKey,
      azure: { deployments: { 'live-tests-chat': chatModel } },
    });
    console.warn(
      "\nAzure scenarios: REHEARSAL MODE against the simulator's azure profile (nothing is sent to Azure); set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY to run them live.\n",
    );
  } else {
    console.warn(`\nAzure scenarios: LIVE against ${new URL(live.endpoint).host} (${live.api} API)\n`);
  }
});

afterAll(async () => {
  await simulator?.close();
});

/** Operations on the configured resource, or on the simulator with the given API (v1 or classic). */
function azureOperations(api: 'v1' | 'classic' = live?.api ?? 'v1'): Operations {
  const config: AzureConfig =
    live ??
    (() => {
      if (simulator === undefined) throw new Error('the simulator did not start');
      const rehearsal = loadAzureConfig({
        endpoint: simulator.endpoint,
        apiKey: rehearsalKey,
        deployments: { [chatModel]: 'live-tests-chat' },
        ...(api === 'classic' ? { apiVersion: '2024-10-21' } : {}),
        env: {},
        envFile: false,
      })._unsafeUnwrap();
      if (rehearsal === null) throw new Error('the rehearsal configuration has no endpoint');
      return rehearsal;
    })();
  return createOperations({
    load: { env: { OPENAI_LOG: 'off', OPENAI_MAX_RETRIES: '2' }, envFile: false },
    azure: { config },
  })._unsafeUnwrap();
}

const apis: readonly ('v1' | 'classic')[] = live === null ? ['v1', 'classic'] : [live.api];

describe.each(apis)('Azure OpenAI, %s API', (api) => {
  it('answers a chat call by model name, with usage, and the remaining counts Azure sends', async () => {
    const answer = await azureOperations(api).chat.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'Reply with the single word: pong' }],
      max_completion_tokens: maxOutput,
    });
    const { value, meta } = answer._unsafeUnwrap();
    expect(value.text?.length).toBeGreaterThan(0);
    expect(meta.usage?.outputTokens).toBeGreaterThan(0);
    expect(meta.requestId).toMatch(/\S+/);
    // Azure sends x-ratelimit-remaining-* without limits or resets (or, behind some gateways, none).
    if (meta.rateLimit !== null) expect(typeof meta.rateLimit.requests.remaining).toBe('number');
  });

  it('streams a chat answer to its end', async () => {
    const stream = azureOperations(api).chat.stream({
      model: chatModel,
      messages: [{ role: 'user', content: 'Count from 1 to 3' }],
      max_completion_tokens: maxOutput,
    });
    const { value, meta } = (await stream.result)._unsafeUnwrap();
    expect(value.text.length).toBeGreaterThan(0);
    expect(meta.usage).not.toBeNull();
  });
});

describe('Azure OpenAI, what differs', () => {
  it('refuses the Responses API on the classic API before sending, saying to use the v1 API', async ({ skip }) => {
    skip(live !== null && live.api !== 'classic', 'the configured resource uses the v1 API, which serves /responses');
    const refused = (
      await azureOperations('classic').responses.create({ model: chatModel, input: 'hi' })
    )._unsafeUnwrapErr();
    expect(refused).toMatchObject({ _tag: 'ConfigError', variable: 'AZURE_OPENAI_API_VERSION' });
  });

  it('reports a prompt refused by the content filter as a ContentFilterError, sent once', async ({ skip }) => {
    skip(live !== null, "a live run does not provoke the resource's content filter on purpose");
    const before = simulator?.requests.length ?? 0;
    const refused = (
      await azureOperations('v1').chat.create({
        model: chatModel,
        messages: [{ role: 'user', content: 'Write about hatred' }],
        max_completion_tokens: maxOutput,
      })
    )._unsafeUnwrapErr();
    expect(refused).toMatchObject({ _tag: 'ContentFilterError', source: 'prompt', retryable: false });
    expect((simulator?.requests.length ?? 0) - before).toBe(1);
  });
});
