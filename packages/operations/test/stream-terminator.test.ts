import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestClock } from '@openai-integration/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createOperations, type Operations } from '../src/index.ts';
import { createCapturingLogger, testApiKey, type LogRecord } from './support/harness.ts';

const chunk = (choice: object, usage: object | null = null): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-raw', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, ...choice }], usage })}\n\n`;
const role = chunk({ delta: { role: 'assistant', content: '' }, finish_reason: null });
const hello = chunk({ delta: { content: 'Hello' }, finish_reason: null });
const world = chunk({ delta: { content: ' world' }, finish_reason: null });
const stop = chunk({ delta: {}, finish_reason: 'stop' });
const usage = `data: ${JSON.stringify({ id: 'chatcmpl-raw', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } })}\n\n`;
const done = 'data: [DONE]\n\n';

let server: Server | undefined;
afterEach(async () => {
  const running = server;
  server = undefined;
  if (running !== undefined) {
    await new Promise<void>((resolve) => {
      running.close(() => {
        resolve();
      });
    });
  }
});

/** A server that answers every chat request with exactly these bytes, as an OpenAI-compatible server would. */
async function serve(body: string): Promise<{ readonly operations: Operations; readonly records: LogRecord[] }> {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_raw' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const records: LogRecord[] = [];
  const created = createOperations({
    load: {
      apiKey: testApiKey,
      baseUrl: `http://127.0.0.1:${port}/v1`,
      envFile: false,
      env: {},
      model: 'gpt-4o-mini',
      streamIdleTimeoutMs: 600_000,
    },
    logger: createCapturingLogger(records),
    // The test clock makes waits instant; the limits are far away so that only the body decides.
    clock: createTestClock(),
    transport: { retry: { jitter: 'none', maxRetries: 0 }, attemptTimeoutMs: 600_000 },
  });
  if (created.isErr()) throw new Error(created.error.message);
  return { operations: created.value, records };
}

describe('chat.stream and the end of a stream', () => {
  it('is a success when [DONE] follows a finish reason and no usage chunk came, with usage estimated and flagged', async () => {
    const { operations } = await serve(role + hello + world + stop + done);
    const { value, meta } = (
      await operations.chat.stream({ messages: [{ role: 'user', content: 'Say hello' }] }).result
    )._unsafeUnwrap();
    expect(value).toMatchObject({ text: 'Hello world', finishReason: 'stop', usage: null });
    expect(meta.usageEstimated).toBe(true);
    expect(meta.usage?.outputTokens).toBeGreaterThan(0);
    expect(operations.usage.report().byOperation['chat.stream']).toMatchObject({ requests: 1, estimatedRequests: 1 });
  });

  it('takes the server usage when it comes before [DONE]', async () => {
    const { operations } = await serve(role + hello + stop + usage + done);
    const { meta } = (
      await operations.chat.stream({ messages: [{ role: 'user', content: 'Say hello' }] }).result
    )._unsafeUnwrap();
    expect(meta.usage).toMatchObject({ inputTokens: 9, outputTokens: 2 });
    expect(meta.usageEstimated).toBe(false);
  });

  it('is an interruption when the body ends without [DONE], even after a finish reason and usage, with the partial text attached', async () => {
    const { operations } = await serve(role + hello + world + stop + usage);
    const error = (
      await operations.chat.stream({ messages: [{ role: 'user', content: 'Say hello' }] }).result
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      _tag: 'StreamInterruptedError',
      reason: 'ended-without-terminator',
      requestId: 'req_raw',
      partial: { text: 'Hello world' },
    });
  });

  it('is an interruption when [DONE] comes before any finish reason', async () => {
    const { operations } = await serve(role + hello + done);
    const error = (
      await operations.chat.stream({ messages: [{ role: 'user', content: 'Say hello' }] }).result
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      _tag: 'StreamInterruptedError',
      reason: 'ended-without-terminator',
      partial: { text: 'Hello' },
    });
  });
});
