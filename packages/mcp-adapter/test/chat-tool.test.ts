import { describe, expect, it, vi } from 'vitest';
import { errorFieldsOf, testApiKey, textOf, useHarness } from './support/harness.ts';

const hello = { messages: [{ role: 'user', content: 'Say hello' }] };
const start = useHarness();
// Waits for a request to reach the loopback simulator: as long as a busy machine needs (the tests that wait have a 60 s timeout).
const realServerWait = { timeout: 30_000, interval: 10 };

describe('openai_chat', () => {
  it('answers with the text, the model, usage and cost, streamed from the API', async () => {
    const { call, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'reply', content: 'Hello there, friend.' });
    const result = await call('openai_chat', hello);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      text: 'Hello there, friend.',
      model: expect.stringMatching(/^gpt-4o-mini/) as unknown,
      finishReason: 'stop',
      refusal: null,
      usage: {
        inputTokens: expect.any(Number) as unknown,
        outputTokens: expect.any(Number) as unknown,
        totalTokens: expect.any(Number) as unknown,
      },
      costUsd: expect.any(Number) as unknown,
      maxOutputTokens: null,
      clampedFromMaxOutputTokens: null,
      requestId: expect.stringMatching(/^req_/) as unknown,
    });
    expect(textOf(result)).toMatch(/^Hello there, friend\.\n\n\[gpt-4o-mini.*tokens, \$/);
    expect(simulator.requests[0]?.body).toMatchObject({
      stream: true,
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
  });

  it('passes the sampling settings and JSON mode through to the API', async () => {
    const { call, simulator } = await start();
    const result = await call('openai_chat', {
      messages: [
        { role: 'system', content: 'Answer in JSON.' },
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Give me JSON' },
        { role: 'assistant', content: '{}' },
        { role: 'user', content: 'Again, as JSON' },
      ],
      model: 'gpt-4.1-mini',
      temperature: 0.2,
      top_p: 0.9,
      max_output_tokens: 50,
      stop: ['END'],
      json: true,
    });
    expect(result.isError).toBeFalsy();
    expect(simulator.requests[0]?.body).toMatchObject({
      model: 'gpt-4.1-mini',
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 50,
      stop: ['END'],
      response_format: { type: 'json_object' },
    });
  });

  it('says when the answer was cut at the output limit', async () => {
    const { call, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'reply', tokens: 30 });
    const result = await call('openai_chat', { ...hello, max_output_tokens: 5 });
    expect(result.structuredContent).toMatchObject({ finishReason: 'length', maxOutputTokens: 5 });
    expect(textOf(result)).toMatch(/cut at the output limit/);
  });

  it('sends the text so far as progress notifications that grow until the answer is complete', async () => {
    const { call, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'reply', tokens: 24 });
    const seen: { progress: number; message: string | undefined }[] = [];
    const result = await call('openai_chat', hello, {
      onprogress: (progress) => {
        seen.push({ progress: progress.progress, message: progress.message });
      },
    });
    const answer = (result.structuredContent as { text: string }).text;
    expect(seen.length).toBeGreaterThan(3);
    for (let index = 1; index < seen.length; index += 1) {
      const [before, now] = [seen[index - 1]!, seen[index]!];
      expect(now.progress).toBeGreaterThan(before.progress);
      expect(now.message?.startsWith(before.message ?? '')).toBe(true);
      expect(now.message!.length).toBeGreaterThan(before.message!.length);
    }
    expect(seen.at(-1)?.message).toBe(answer);
  });

  it('sends no progress notifications when the client asked for none', async () => {
    const { call, client } = await start();
    const notifications: unknown[] = [];
    client.fallbackNotificationHandler = (notification) => {
      notifications.push(notification);
      return Promise.resolve();
    };
    const result = await call('openai_chat', hello);
    expect(result.isError).toBeFalsy();
    expect(notifications).toEqual([]);
  });

  it('throttles progress notifications to the configured interval', async () => {
    let now = 0;
    const { call, simulator } = await start({ tools: { progressIntervalMs: 1_000, now: () => (now += 400) } });
    simulator.enqueue('chat.completions', { type: 'reply', tokens: 20 });
    const seen: number[] = [];
    await call('openai_chat', hello, { onprogress: (progress) => seen.push(progress.progress) });
    // 20 deltas, 400 ms apart on the injected clock, at most one per 1000 ms.
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.length).toBeLessThanOrEqual(8);
  });

  it('aborts the OpenAI request when the client cancels the call, and reads nothing more', async () => {
    const aborted: AbortSignal[] = [];
    const tracking: typeof fetch = (input, init) => {
      if (init?.signal) aborted.push(init.signal);
      return fetch(input, init);
    };
    const { call, simulator, operations } = await start({ operations: { fetch: tracking } });
    simulator.enqueue('chat.completions', { type: 'stream-stall', afterChunks: 4 });
    const controller = new AbortController();
    const progress: string[] = [];
    const pending = call('openai_chat', hello, {
      signal: controller.signal,
      onprogress: (update) => {
        progress.push(update.message ?? '');
        if (progress.length === 2) controller.abort(new Error('the user cancelled'));
      },
    });
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => {
      expect(aborted.some((signal) => signal.aborted)).toBe(true);
    }, realServerWait);
    await vi.waitFor(() => {
      expect(operations.usage.report().total.requests).toBe(1);
    }, realServerWait);
    expect(simulator.requests).toHaveLength(1);
    expect(simulator.requests[0]?.fault).toMatchObject({ type: 'stream-stall' });
    // The stream stopped where it stalled: 4 chunks (role, then 3 text pieces) were read.
    expect(progress.length).toBeLessThanOrEqual(3);
    expect(operations.usage.report().total.estimatedRequests).toBe(1);
  }, 60_000);

  it('reports a stream that breaks off with the partial answer attached', async () => {
    const { call, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'stream-cut', afterChunks: 5 });
    const result = await call('openai_chat', hello);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^stream interrupted \(connection-lost\): retry for the whole answer; partial answer attached: \S/,
    );
    expect(errorFieldsOf(result)).toMatchObject({ tag: 'StreamInterruptedError', reason: 'connection-lost' });
  });

  it('reports an error event inside the stream as an interrupted stream', async () => {
    const { call, simulator } = await start();
    simulator.enqueue('chat.completions', { type: 'stream-error', afterChunks: 3 });
    const result = await call('openai_chat', hello);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^stream interrupted \(server-error-event\)/);
  });

  it('refuses invalid arguments before any request, naming the argument and the rule', async () => {
    const { call, simulator } = await start();
    const result = await call('openai_chat', { ...hello, temperature: 3 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('invalid argument temperature: must be at most 2; fix the arguments and call again');
    expect(errorFieldsOf(result)).toMatchObject({
      tag: 'ValidationError',
      retryable: false,
      issues: [{ path: 'temperature' }],
    });
    expect(simulator.requests).toHaveLength(0);
  });

  it('refuses an empty conversation with the rule it breaks', async () => {
    const { call } = await start();
    const result = await call('openai_chat', { messages: [] });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^invalid argument messages: must have at least 1 item/);
  });

  it.each([
    [{ type: 'rate-limit', retryAfterSeconds: 12 }, /^rate limited: retry after 12 s$/, 'RateLimitError'],
    [{ type: 'quota' }, /^quota exhausted \(HTTP 429 insufficient_quota\): do not retry/, 'QuotaExceededError'],
    [
      { type: 'status', status: 400, param: 'temperature', message: 'Unsupported value: temperature' },
      /^invalid argument temperature \(HTTP 400\): .*Unsupported value.*; change temperature and call again$/,
      'BadRequestError',
    ],
    [
      { type: 'status', status: 400, param: null, message: 'Bad things' },
      /^the API rejected the request \(HTTP 400\)/,
      'BadRequestError',
    ],
    [{ type: 'status', status: 401 }, /^authentication failed \(HTTP 401\).*do not retry/, 'AuthenticationError'],
    [{ type: 'status', status: 403 }, /^permission denied \(HTTP 403\)/, 'PermissionDeniedError'],
    [{ type: 'status', status: 404 }, /^not found \(HTTP 404\).*openai_list_models/, 'NotFoundError'],
    [{ type: 'status', status: 409 }, /^conflict \(HTTP 409\).*retry/, 'ConflictError'],
    [
      { type: 'status', status: 422 },
      /^the API could not process the request \(HTTP 422\)/,
      'UnprocessableEntityError',
    ],
    [{ type: 'status', status: 500 }, /^OpenAI server error \(HTTP 500\).*retry in a minute$/, 'InternalServerError'],
    [
      { type: 'status', status: 502, body: '<html><body>Bad gateway</body></html>' },
      /^OpenAI server error \(HTTP 502\)/,
      'BadGatewayError',
    ],
    [
      { type: 'status', status: 503, headers: { 'retry-after': '7' } },
      /^OpenAI server error \(HTTP 503\).*retry after 7 s$/,
      'ServiceUnavailableError',
    ],
    [{ type: 'status', status: 504 }, /^OpenAI server error \(HTTP 504\)/, 'GatewayTimeoutError'],
    [{ type: 'status', status: 418 }, /^unexpected HTTP 418 from the endpoint/, 'UnexpectedStatusError'],
    [{ type: 'reset' }, /^could not reach the OpenAI endpoint.*retry in a minute$/, 'ConnectionError'],
  ] as const)('turns the fault %j into a tool error that says what to do next', async (fault, text, tag) => {
    const { call, simulator } = await start();
    simulator.enqueue('chat.completions', fault);
    const result = await call('openai_chat', hello);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(text);
    expect(errorFieldsOf(result)).toMatchObject({ tag });
    expect(JSON.stringify(result)).not.toContain(testApiKey);
  });

  it('says how many attempts were made when retries did not help', async () => {
    const { call, simulator } = await start({ maxRetries: 2 });
    simulator.enqueue(
      'chat.completions',
      { type: 'status', status: 500 },
      { type: 'status', status: 500 },
      { type: 'status', status: 500 },
    );
    const result = await call('openai_chat', hello);
    expect(textOf(result)).toMatch(/^OpenAI server error \(HTTP 500\) after 3 attempts/);
    expect(errorFieldsOf(result)).toMatchObject({ attempts: 3 });
  });

  it('reports an attempt that timed out', async () => {
    const { call, simulator, clock } = await start();
    simulator.enqueue('chat.completions', { type: 'stall' });
    const pending = call('openai_chat', hello);
    await vi.waitFor(() => {
      expect(simulator.requests).toHaveLength(1);
    }, realServerWait);
    await clock.fireLongWaits();
    const result = await pending;
    expect(textOf(result)).toMatch(/^timed out \(attempt limit of 10 min\): retry, or ask for less/);
    expect(errorFieldsOf(result)).toMatchObject({ tag: 'TimeoutError' });
  }, 60_000);

  it('reports an open circuit with the wait before calls are tried again', async () => {
    const { call, simulator } = await start({
      operations: {
        transport: { breaker: { consecutiveFailures: 1, openDurationMs: 30_000 }, retry: { jitter: 'none' } },
      },
    });
    simulator.enqueue('chat.completions', { type: 'status', status: 500 });
    await call('openai_chat', hello);
    const result = await call('openai_chat', hello);
    expect(textOf(result)).toMatch(
      /^the API failed repeatedly, so calls to chat:gpt-4o-mini are paused \(circuit open\): retry after 30 s$/,
    );
    expect(simulator.requests).toHaveLength(1);
  });
});
