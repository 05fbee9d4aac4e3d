import { createOpenAISimulator, createTestClock, type OpenAISimulator } from '@openai-integration/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOperations, type Operations } from '../src/index.ts';
import { createCapturingLogger, testApiKey, type LogRecord } from './support/harness.ts';

let simulator: OpenAISimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(logBodies: boolean): Promise<{ readonly operations: Operations; readonly records: LogRecord[] }> {
  simulator = await createOpenAISimulator({ seed: 7 });
  const records: LogRecord[] = [];
  const created = createOperations({
    load: {
      apiKey: testApiKey,
      baseUrl: simulator.baseURL,
      envFile: false,
      env: {},
      model: 'gpt-4o-mini',
      logLevel: 'debug',
      logBodies,
      streamIdleTimeoutMs: 600_000,
    },
    logger: createCapturingLogger(records),
    clock: createTestClock(),
    transport: { retry: { jitter: 'none' }, attemptTimeoutMs: 600_000 },
  });
  if (created.isErr()) throw new Error(created.error.message);
  return { operations: created.value, records };
}

const bodies = (records: readonly LogRecord[], message: string) =>
  records.filter((record) => record.level === 'debug' && record.message === message).map((record) => record.fields);

describe('OPENAI_LOG_BODIES at debug level', () => {
  it('logs the request and response bodies of a chat call, redacted', async () => {
    const { operations, records } = await start(true);
    (
      await operations.chat.create({ messages: [{ role: 'user', content: `Say hello; my key is ${testApiKey}` }] })
    )._unsafeUnwrap();
    await vi.waitFor(() => {
      expect(bodies(records, 'openai response body')).toHaveLength(1);
    });
    const [request] = bodies(records, 'openai request body');
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      requestBody: { truncated: false, text: expect.stringContaining('Say hello; my key is [redacted]') as unknown },
    });
    const [response] = bodies(records, 'openai response body');
    expect(response).toMatchObject({
      status: 200,
      requestId: expect.stringMatching(/^req_/) as unknown,
      responseBody: { truncated: false, text: expect.stringContaining('"chat.completion"') as unknown },
    });
    expect(JSON.stringify(records)).not.toContain('harnessKEY');
  });

  it('caps a body at 8 KB and notes its original size', async () => {
    const { operations, records } = await start(true);
    const long = 'é'.repeat(10_000);
    (await operations.chat.create({ messages: [{ role: 'user', content: long }] }))._unsafeUnwrap();
    const [request] = bodies(records, 'openai request body');
    const logged = request?.['requestBody'] as { text: string; bytes: number; truncated: boolean };
    expect(logged.truncated).toBe(true);
    expect(logged.bytes).toBeGreaterThan(20_000);
    expect(new TextEncoder().encode(logged.text).byteLength).toBeLessThanOrEqual(8 * 1024);
    expect(logged.text.endsWith('é')).toBe(true);
  });

  it('logs the assembled text of a stream when it ends', async () => {
    const { operations, records } = await start(true);
    const { value } = (
      await operations.chat.stream({ messages: [{ role: 'user', content: 'Say hello' }] }).result
    )._unsafeUnwrap();
    const [streamed] = bodies(records, 'openai stream body');
    expect(streamed).toMatchObject({
      operation: 'chat.stream',
      responseBody: { text: value.text, truncated: false, toolCalls: 0, complete: true },
    });
    expect(bodies(records, 'openai response body')).toHaveLength(0);
  });

  it('logs embeddings as counts and sizes, never the vectors', async () => {
    const { operations, records } = await start(true);
    (
      await operations.embeddings.create({ input: ['first text', 'second text'], encodingFormat: 'float' })
    )._unsafeUnwrap();
    await vi.waitFor(() => {
      expect(bodies(records, 'openai response body')).toHaveLength(1);
    });
    const [request] = bodies(records, 'openai request body');
    expect(request?.['requestBody']).toEqual({
      model: 'text-embedding-3-small',
      inputCount: 2,
      inputCharacters: 21,
      largestInput: 11,
      encodingFormat: 'float',
    });
    const [response] = bodies(records, 'openai response body');
    expect(response?.['responseBody']).toMatchObject({ vectors: 2, firstVectorSize: expect.any(Number) as unknown });
    expect(JSON.stringify(response)).not.toMatch(/-?0\.\d{5,}/);
  });

  it('logs an upload as its metadata only', async () => {
    const { operations, records } = await start(true);
    (
      await operations.files.upload({
        file: Buffer.from('{"a":1}\n'.repeat(100)),
        purpose: 'user_data',
        filename: 'notes.jsonl',
      })
    )._unsafeUnwrap();
    const [request] = bodies(records, 'openai request body');
    expect(request).toMatchObject({ method: 'POST', path: '/v1/files' });
    expect(request?.['requestBody']).toMatchObject({
      multipart: { purpose: 'user_data', file: { filename: 'notes.jsonl', bytes: 800 } },
    });
    expect(JSON.stringify(request)).not.toContain('{\\"a\\":1}');
  });

  it('logs no body when it is off', async () => {
    const { operations, records } = await start(false);
    (await operations.chat.create({ messages: [{ role: 'user', content: 'Say hello' }] }))._unsafeUnwrap();
    (await operations.chat.stream({ messages: [{ role: 'user', content: 'Say hello' }] }).result)._unsafeUnwrap();
    expect(records.filter((record) => record.message.includes('body'))).toEqual([]);
  });
});
