import { createOpenAISimulator, createTestClock } from '@openai-integration/testkit';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/run-demo.ts';
import { createStyle, type Terminal } from '../src/terminal.ts';

function capture(): { terminal: Terminal; text: () => string } {
  let text = '';
  return {
    terminal: { line: (line = '') => (text += `${line}\n`), write: (piece) => (text += piece) },
    text: () => text,
  };
}

describe('runDemo', () => {
  it('runs every step against the simulator when no key is configured, and exits 0', async () => {
    const output = capture();
    const code = await runDemo({
      terminal: output.terminal,
      style: createStyle(false),
      env: {},
      envDir: false,
      clock: createTestClock({ instantUpToMs: 10_000 }),
    });
    const text = output.text();
    expect(code).toBe(0);
    expect(text).toMatch(/Mode: SIMULATOR: no OPENAI_API_KEY found/);
    expect(text).toMatch(
      /attempt 1: ServiceUnavailableError \(HTTP 503\) -> waiting 1000 ms\n {3}attempt 2: ServiceUnavailableError \(HTTP 503\) -> waiting 2000 ms\n {3}attempt 3: 200 OK/,
    );
    expect(text).toMatch(/circuit chat:gpt-4o: closed -> open \(consecutive-failures\)/);
    expect(text).toMatch(/call 5: gpt-4o skipped, circuit open -> answered by gpt-4o-mini/);
    expect(text).toMatch(/gpt-4o was asked 3 times/);
    expect(text).toMatch(/server asks to wait 1200 ms \(retry-after-ms\)/);
    expect(text).toMatch(/both answered after [\d.]+ s with 3 requests: one 429/);
    expect(text).toMatch(/gpt-4o-mini +\d+ +\d+ +\d+ +\$0\.\d{6}/);
    expect(text).toContain(
      [
        '8. One call as OpenTelemetry sees it: retries and a fallback hop as a span tree',
        '   chat gpt-4o  +0 ms, 3000 ms  ok',
        '   ├─ attempt gpt-4o #1  +0 ms, 0 ms  RateLimitError (HTTP 429)',
        '   ├─ · retry in 1000 ms (retry-after, after RateLimitError)',
        '   ├─ attempt gpt-4o #2  +1000 ms, 0 ms  ServiceUnavailableError (HTTP 503)',
        '   ├─ · retry in 2000 ms (backoff, after ServiceUnavailableError)',
        '   ├─ attempt gpt-4o #3  +3000 ms, 0 ms  ServiceUnavailableError (HTTP 503)',
        '   ├─ · fallback gpt-4o -> gpt-4o-mini (ServiceUnavailableError)',
        '   └─ attempt gpt-4o-mini #1  +3000 ms, 0 ms  ok',
      ].join('\n'),
    );
    expect(text).toMatch(
      /gen_ai\.operation\.name chat · gen_ai\.response\.model gpt-4o-mini · \d+ in \/ \d+ out tokens/,
    );
    expect(text).toMatch(/Done: every step behaved as shown\./);
  });

  it('uses the simulator when asked to even with a key, and notes other configuration problems', async () => {
    const output = capture();
    const env = { OPENAI_API_KEY: 'sk-test-demo-key-0000000000000000', OPENAI_TIMEOUT_MS: 'soon' };
    const code = await runDemo({
      terminal: output.terminal,
      style: createStyle(true),
      env,
      envDir: false,
      offline: true,
      clock: createTestClock({ instantUpToMs: 10_000 }),
    });
    expect(code).toBe(0);
    expect(output.text()).toMatch(/note: OPENAI_TIMEOUT_MS/);
    expect(output.text()).toContain('\u001b[1m');
    expect(output.text()).not.toContain('sk-test-demo-key');
  });

  it('calls the configured endpoint as the real API when a key is set', async () => {
    const endpoint = await createOpenAISimulator({ seed: 1 });
    try {
      const output = capture();
      const env = {
        OPENAI_API_KEY: 'sk-test-demo-key-0000000000000000',
        OPENAI_BASE_URL: endpoint.baseURL,
        OPENAI_MODEL: 'gpt-4.1-nano',
        OPENAI_LOG: 'off',
      };
      const code = await runDemo({
        terminal: output.terminal,
        style: createStyle(false),
        env,
        envDir: false,
        clock: createTestClock({ instantUpToMs: 10_000 }),
      });
      expect(code).toBe(0);
      expect(output.text()).toMatch(/Mode: real API \(http:\/\/127\.0\.0\.1:\d+\/v1\)/);
      expect(output.text()).toMatch(/listed by the real API/);
      expect(endpoint.requests.map((request) => request.path)).toEqual([
        '/v1/chat/completions',
        '/v1/chat/completions',
        '/v1/models',
        '/v1/files',
      ]);
    } finally {
      await endpoint.close();
    }
  });

  it('exits 1 and names each failed step when the API cannot be reached', async () => {
    const output = capture();
    const env = {
      OPENAI_API_KEY: 'sk-test-demo-key-0000000000000000',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_MAX_RETRIES: '0',
      OPENAI_LOG: 'off',
    };
    const code = await runDemo({
      terminal: output.terminal,
      style: createStyle(false),
      env,
      envDir: false,
      clock: createTestClock({ instantUpToMs: 10_000 }),
    });
    expect(code).toBe(1);
    expect(output.text()).toMatch(/chat failed: could not reach the API/);
    expect(output.text()).toMatch(/stream failed:/);
    expect(output.text()).toMatch(/Done with \d+ failed step\(s\)\./);
  });
});
