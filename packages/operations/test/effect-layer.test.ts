import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import * as ConfigProvider from 'effect/ConfigProvider';
import * as Effect from 'effect/Effect';
import * as Layer from 'effect/Layer';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIOperations } from '../src/effect/index.ts';
import { isIntegrationError } from '../src/index.ts';

const apiKey = 'sk-proj-layerKEY0123456789';
const hello = { messages: [{ role: 'user' as const, content: 'Say hello' }] };

let simulator: OpenAISimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function startSimulator(): Promise<OpenAISimulator> {
  simulator = await createOpenAISimulator({ seed: 7 });
  return simulator;
}

/** A fetch that keeps the authorization header of every request (the simulator records it redacted). */
function keyRecordingFetch(): { readonly fetch: typeof fetch; readonly authorizations: (string | null)[] } {
  const authorizations: (string | null)[] = [];
  return {
    authorizations,
    fetch: (input, init) => {
      authorizations.push(new Headers(init?.headers).get('authorization'));
      return fetch(input, init);
    },
  };
}

/** Asks the service for one chat completion. */
const askOnce = Effect.gen(function* () {
  const openai = yield* OpenAIOperations;
  return yield* openai.chat.create(hello);
});

describe('OpenAIOperations.layer', () => {
  it('builds the operations from the options, as createOperations does', async () => {
    const server = await startSimulator();
    const recorder = keyRecordingFetch();
    const layer = OpenAIOperations.layer({
      fetch: recorder.fetch,
      load: { apiKey, baseUrl: server.baseURL, envFile: false, env: {}, model: 'gpt-4o-mini', logLevel: 'off' },
    });
    const answer = await Effect.runPromise(askOnce.pipe(Effect.provide(layer)));
    expect(answer.value.text).toEqual(expect.any(String));
    expect(answer.meta.model).toBe('gpt-4o-mini');
    expect(server.requests).toHaveLength(1);
    expect(recorder.authorizations).toEqual([`Bearer ${apiKey}`]);
  });

  it('fails to build with a ConfigError that Effect.catchTag handles, naming the setting', async () => {
    const layer = OpenAIOperations.layer({ load: { envFile: false, env: {} } });
    const outcome = await Effect.runPromise(
      askOnce.pipe(
        Effect.map(() => 'built'),
        Effect.provide(layer),
        Effect.catchTag('ConfigError', (error) => Effect.succeed(`${error._tag}: ${error.variable}`)),
      ),
    );
    expect(outcome).toBe('ConfigError: OPENAI_API_KEY');
  });
});

describe('OpenAIOperations.layerConfig', () => {
  it("reads the project's OPENAI_* variables from the Effect ConfigProvider", async () => {
    const server = await startSimulator();
    const provider = ConfigProvider.fromUnknown({
      OPENAI_API_KEY: apiKey,
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_MODEL: 'gpt-4o',
      OPENAI_MAX_RETRIES: '0',
      OPENAI_LOG: 'off',
    });
    const recorder = keyRecordingFetch();
    const layer = OpenAIOperations.layerConfig({ load: { envFile: false }, fetch: recorder.fetch }).pipe(
      Layer.provide(ConfigProvider.layer(provider)),
    );
    const answer = await Effect.runPromise(askOnce.pipe(Effect.provide(layer)));
    expect(answer.meta.model).toBe('gpt-4o');
    expect(server.requests).toHaveLength(1);
    expect(recorder.authorizations).toEqual([`Bearer ${apiKey}`]);

    // OPENAI_MAX_RETRIES=0 from the provider: a 429 is not retried.
    server.enqueue('chat.completions', { type: 'rate-limit', retryAfterSeconds: 1 });
    const limited = await Effect.runPromise(Effect.flip(askOnce.pipe(Effect.provide(layer))));
    expect(limited).toMatchObject({ _tag: 'RateLimitError', attempts: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it("validates the provider's values as loadConfig does, with the same ConfigError", async () => {
    const provider = ConfigProvider.fromUnknown({ OPENAI_API_KEY: apiKey, OPENAI_TIMEOUT_MS: 'soon' });
    const layer = OpenAIOperations.layerConfig({ load: { envFile: false } }).pipe(
      Layer.provide(ConfigProvider.layer(provider)),
    );
    const error = await Effect.runPromise(Effect.flip(askOnce.pipe(Effect.provide(layer))));
    expect(error).toMatchObject({ _tag: 'ConfigError', variable: 'OPENAI_TIMEOUT_MS' });
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });

  it('fails with ConfigError naming OPENAI_API_KEY when the provider has no key', async () => {
    const layer = OpenAIOperations.layerConfig({ load: { envFile: false } }).pipe(
      Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({}))),
    );
    const error = await Effect.runPromise(Effect.flip(askOnce.pipe(Effect.provide(layer))));
    expect(error).toMatchObject({ _tag: 'ConfigError', variable: 'OPENAI_API_KEY' });
  });

  it("turns a provider that cannot be read into this project's ConfigError, not effect's", async () => {
    const unreachable = ConfigProvider.make(() =>
      Effect.fail(new ConfigProvider.SourceError({ message: 'the vault is unreachable' })),
    );
    const layer = OpenAIOperations.layerConfig({ load: { envFile: false } }).pipe(
      Layer.provide(ConfigProvider.layer(unreachable)),
    );
    const error = await Effect.runPromise(Effect.flip(askOnce.pipe(Effect.provide(layer))));
    expect(isIntegrationError(error)).toBe(true);
    expect(error).toMatchObject({
      _tag: 'ConfigError',
      variable: 'OPENAI_API_KEY',
      retryable: false,
      problems: [{ variable: 'OPENAI_API_KEY', problem: 'could not be read from the Effect ConfigProvider' }],
    });
    expect(error.message).toContain('the vault is unreachable');
  });

  it("keeps at most 300 characters of the provider's message", async () => {
    const chatty = ConfigProvider.make(() =>
      Effect.fail(new ConfigProvider.SourceError({ message: 'x'.repeat(10_000) })),
    );
    const layer = OpenAIOperations.layerConfig({ load: { envFile: false } }).pipe(
      Layer.provide(ConfigProvider.layer(chatty)),
    );
    const error = await Effect.runPromise(Effect.flip(askOnce.pipe(Effect.provide(layer))));
    expect(error._tag).toBe('ConfigError');
    expect(error.message).toContain(`${'x'.repeat(300)}...`);
    expect(error.message.length).toBeLessThan(400);
  });
});
