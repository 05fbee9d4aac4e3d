import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { describe, expect, it, vi } from 'vitest';
import { rehearsalHeadline } from '../banner/create-banner.ts';
import { createSuiteOperations } from './create-suite-operations.ts';
import { rehearsalApiKey } from './live-suite-context.ts';
import { startLiveSuite } from './start-live-suite.ts';

const now = Date.UTC(2026, 10, 24, 10, 36, 0);

describe('startLiveSuite', () => {
  it('without a key, starts the simulator, shows the rehearsal banner once, and sweeps this run at teardown', async () => {
    const written: string[] = [];
    const suite = (
      await startLiveSuite({
        env: {},
        envDir: false,
        write: (text) => written.push(text),
        now: () => now,
        random: () => 0,
      })
    )._unsafeUnwrap();
    const { context } = suite;
    expect(context).toEqual({
      mode: 'rehearsal',
      baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/) as string,
      runId: '20261124103600aaaa',
      chatModel: 'gpt-4.1-nano',
      embeddingModel: 'text-embedding-3-small',
      expectRateLimitHeaders: true,
    });
    expect(written).toHaveLength(1);
    expect(written[0]).toContain(`\n${rehearsalHeadline}\n`);
    expect(written[0]).toContain(context.baseUrl);

    const operations = createSuiteOperations(context)._unsafeUnwrap();
    const uploaded = await operations.files.upload({
      file: new TextEncoder().encode('{}\n'),
      purpose: 'batch',
      filename: `oi-live-${context.runId}-left-behind.jsonl`,
    });
    const report = await suite.teardown();
    expect(report?.deleted.map((file) => file.id)).toEqual([uploaded._unsafeUnwrap().value.id]);
    expect(written[1]).toBe(
      `live suite ${context.runId} (REHEARSAL MODE: nothing was sent to OpenAI): swept 1 file(s) named oi-live-* from the simulator\n`,
    );
    const after = await fetch(`${context.baseUrl}/models`).catch((error: unknown) => error);
    expect(after).toBeInstanceOf(Error);
  });

  it('says the rehearsal was forced when LIVE_TESTS_REHEARSAL is set with a key, and lists other configuration notes', async () => {
    const written: string[] = [];
    const suite = (
      await startLiveSuite({
        env: { OPENAI_API_KEY: 'sk-proj-abcdefghijklmno', LIVE_TESTS_REHEARSAL: 'true' },
        envDir: false,
        write: (text) => written.push(text),
      })
    )._unsafeUnwrap();
    expect(written[0]).toContain('REHEARSAL MODE: LIVE_TESTS_REHEARSAL is set');
    await suite.teardown();
    const noted = (
      await startLiveSuite({ env: { OPENAI_TIMEOUT_MS: 'later' }, envDir: false, write: (text) => written.push(text) })
    )._unsafeUnwrap();
    expect(written[2]).toContain('Note: OPENAI_TIMEOUT_MS from the environment must be a whole number');
    await noted.teardown();
  });

  it('with a key, calls the configured endpoint, names it in the banner, and skips the rate-limit check off api.openai.com', async () => {
    const endpoint: OpenAISimulator = await createOpenAISimulator({ seed: 4, apiKey: rehearsalApiKey });
    try {
      const written: string[] = [];
      const env = {
        OPENAI_API_KEY: rehearsalApiKey,
        OPENAI_BASE_URL: endpoint.baseURL,
        OPENAI_MAX_RETRIES: '0',
        LIVE_TESTS_CHAT_MODEL: 'gpt-4o-mini',
      };
      const suite = (
        await startLiveSuite({
          env,
          envDir: false,
          write: (text) => written.push(text),
          now: () => now,
          random: () => 0.5,
        })
      )._unsafeUnwrap();
      expect(suite.context).toEqual({
        mode: 'live',
        baseUrl: endpoint.baseURL,
        runId: '20261124103600ssss',
        chatModel: 'gpt-4o-mini',
        embeddingModel: 'text-embedding-3-small',
        expectRateLimitHeaders: false,
      });
      expect(written[0]).toContain(
        `LIVE MODE: calling ${endpoint.baseURL} with gpt-4o-mini and text-embedding-3-small`,
      );
      expect(written[0]).toContain('the rate-limit header check is skipped');
      expect(written[0]).not.toContain(rehearsalApiKey);
      endpoint.enqueue('files.list', { type: 'status', status: 500 });
      const report = await suite.teardown();
      expect(report?.listError?._tag).toBe('InternalServerError');
      expect(written[1]).toMatch(
        new RegExp(
          `^live suite ${suite.context.runId}: swept 0 file\\(s\\) named oi-live-\\* from ${endpoint.baseURL.replace(/[.]/g, '\\.')}; listing stopped early: InternalServerError: `,
        ),
      );
    } finally {
      await endpoint.close();
    }
  });

  it('reports kept and failed files in the teardown summary', async () => {
    const endpoint: OpenAISimulator = await createOpenAISimulator({ seed: 5, apiKey: rehearsalApiKey });
    try {
      const written: string[] = [];
      const env = { OPENAI_API_KEY: rehearsalApiKey, OPENAI_BASE_URL: endpoint.baseURL };
      const suite = (await startLiveSuite({ env, envDir: false, write: (text) => written.push(text) }))._unsafeUnwrap();
      const operations = createSuiteOperations(suite.context, { env, envDir: false })._unsafeUnwrap();
      const bytes = new TextEncoder().encode('{}\n');
      const mine = (
        await operations.files.upload({
          file: bytes,
          purpose: 'batch',
          filename: `oi-live-${suite.context.runId}-a.jsonl`,
        })
      )._unsafeUnwrap().value.id;
      await operations.files.upload({
        file: bytes,
        purpose: 'batch',
        filename: 'oi-live-20261124000000zzzz-recent-other-run.jsonl',
      });
      endpoint.enqueue('files.delete', { type: 'status', status: 403 });
      await suite.teardown();
      expect(written[1]).toBe(
        `live suite ${suite.context.runId}: swept 0 file(s) named oi-live-* from ${endpoint.baseURL}; kept 1 of other runs younger than an hour; FAILED to delete ${mine} (PermissionDeniedError)\n`,
      );
    } finally {
      await endpoint.close();
    }
  });

  it('fails with the ConfigError when a key is set but the configuration is broken, and starts nothing', async () => {
    const written: string[] = [];
    const suite = await startLiveSuite({
      env: { OPENAI_API_KEY: 'sk-proj-abcdefghijklmno', OPENAI_BASE_URL: 'nowhere' },
      envDir: false,
      write: (text) => written.push(text),
    });
    expect(suite.isErr() && suite.error._tag).toBe('ConfigError');
    expect(written).toEqual([]);
  });

  it('fails with a ConnectionError when the simulator cannot listen', async () => {
    const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    const suite = await startLiveSuite({
      env: {},
      envDir: false,
      write: () => undefined,
      startSimulator: () => Promise.reject(busy),
    });
    expect(suite.isErr() && suite.error).toMatchObject({
      _tag: 'ConnectionError',
      code: 'EADDRINUSE',
      message: 'the simulator could not listen on loopback (EADDRINUSE)',
    });
    const plain = await startLiveSuite({
      env: {},
      envDir: false,
      write: () => undefined,
      startSimulator: () => Promise.reject(new Error('no')),
    });
    expect(plain.isErr() && plain.error).toMatchObject({ _tag: 'ConnectionError', code: null });
  });

  it('says at teardown when the sweep cannot start', async () => {
    const endpoint: OpenAISimulator = await createOpenAISimulator({ seed: 6, apiKey: rehearsalApiKey });
    try {
      const written: string[] = [];
      const env: Record<string, string | undefined> = {
        OPENAI_API_KEY: rehearsalApiKey,
        OPENAI_BASE_URL: endpoint.baseURL,
      };
      const suite = (await startLiveSuite({ env, envDir: false, write: (text) => written.push(text) }))._unsafeUnwrap();
      env['OPENAI_API_KEY'] = undefined;
      expect(await suite.teardown()).toBeNull();
      expect(written[1]).toMatch(
        new RegExp(
          `^live suite ${suite.context.runId}: the sweep could not start: OPENAI_API_KEY no longer selects the live mode`,
        ),
      );
    } finally {
      await endpoint.close();
    }
  });

  it('writes the banner to standard output by default, and expects rate-limit headers from api.openai.com', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    // No teardown: it would call the real API. A live suite without a simulator has nothing else to stop.
    const suite = (
      await startLiveSuite({ env: { OPENAI_API_KEY: 'sk-proj-abcdefghijklmno' }, envDir: false })
    )._unsafeUnwrap();
    expect(suite.context).toMatchObject({
      mode: 'live',
      baseUrl: 'https://api.openai.com/v1',
      expectRateLimitHeaders: true,
    });
    expect(write).toHaveBeenCalledTimes(1);
    expect(String(write.mock.calls[0]?.[0])).toContain(
      'LIVE MODE: calling https://api.openai.com/v1 with gpt-4.1-nano and text-embedding-3-small',
    );
    expect(String(write.mock.calls[0]?.[0])).not.toContain('rate-limit header check is skipped');
  });
});
