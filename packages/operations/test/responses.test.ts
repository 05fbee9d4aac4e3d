import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../src/index.ts';
import { useHarness } from './support/harness.ts';

const start = useHarness();

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('responses', () => {
  it('creates, retrieves and deletes a stored response', async () => {
    const { operations } = await start();
    const created = (await operations.responses.create({ input: 'Write a haiku', store: true }))._unsafeUnwrap();
    expect(created.value.text?.length).toBeGreaterThan(0);
    expect(created.value.status).toBe('completed');
    expect(created.meta.usage?.outputTokens).toBeGreaterThan(0);
    const retrieved = (await operations.responses.retrieve(created.value.id))._unsafeUnwrap();
    expect(retrieved.value.text).toBe(created.value.text);
    expect((await operations.responses.delete(created.value.id))._unsafeUnwrap().value).toEqual({
      id: created.value.id,
      deleted: true,
    });
    expect((await operations.responses.retrieve(created.value.id))._unsafeUnwrapErr()._tag).toBe('NotFoundError');
  });

  it('returns typed errors from create and from retrieve', async () => {
    const { operations, simulator, records } = await start();
    simulator.enqueue('responses', { type: 'status', status: 400, message: 'bad input', param: 'input' });
    expect((await operations.responses.create({ input: 'x' }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'BadRequestError',
      param: 'input',
    });
    expect((await operations.responses.create({ input: 'x', temperature: 5 }))._unsafeUnwrapErr()._tag).toBe(
      'ValidationError',
    );
    expect(operations.responses.stream({ input: 'x', temperature: 5 })).toBeDefined();
    expect((await operations.responses.stream({ input: 'x', temperature: 5 }).result)._unsafeUnwrapErr()._tag).toBe(
      'ValidationError',
    );
    expect((await operations.responses.resume('bad id', null).result)._unsafeUnwrapErr()._tag).toBe('ValidationError');
    expect(
      records
        .filter((record) => record.message.startsWith('openai call failed'))
        .map((record) => record.fields['operation']),
    ).toEqual(['responses.create', 'responses.create', 'responses.stream']);
  });

  it('returns function calls from a response with tools', async () => {
    const { operations } = await start();
    const tools = [
      {
        type: 'function' as const,
        name: 'lookup',
        description: 'Look up a word',
        parameters: {
          type: 'object',
          properties: { word: { type: 'string' } },
          required: ['word'],
          additionalProperties: false,
        },
        strict: true,
      },
    ];
    const { value } = (
      await operations.responses.create({ input: 'define serendipity', instructions: 'Use tools', tools })
    )._unsafeUnwrap();
    expect(value.toolCalls[0]).toMatchObject({ name: 'lookup', id: expect.any(String) as unknown });
    expect(JSON.parse(value.toolCalls[0]?.arguments ?? '')).toEqual({ word: expect.any(String) as unknown });
    expect(value.text).toBeNull();
  });

  it('rejects a malformed response id before sending anything', async () => {
    const { operations, simulator } = await start();
    expect((await operations.responses.retrieve('../etc/passwd'))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'responseId' }],
    });
    expect(simulator.requests).toHaveLength(0);
  });

  it('streams text and ends only with response.completed, with usage', async () => {
    const { operations } = await start();
    const stream = operations.responses.stream({ input: 'Tell me something' });
    const events = await collect(stream);
    expect(events[0]).toMatchObject({ type: 'start', id: expect.stringMatching(/^resp_/) as unknown });
    expect(events.at(-1)?.type).toBe('end');
    const { value, meta } = (await stream.result)._unsafeUnwrap();
    expect(value.text).toBe(events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join(''));
    expect(value.status).toBe('completed');
    expect(meta.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('reports a cut stream with the partial text, the response id and the last sequence number', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('responses', { type: 'stream-cut', afterChunks: 5 });
    const error = (await operations.responses.stream({ input: 'Tell me something' }).result)._unsafeUnwrapErr();
    expect(error._tag).toBe('StreamInterruptedError');
    if (error._tag !== 'StreamInterruptedError') return;
    expect(error.partial.responseId).toMatch(/^resp_/);
    expect(error.partial.lastSequenceNumber).toBeGreaterThanOrEqual(0);
  });

  it('resumes a background response after a disconnect without repeating events', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('responses', { type: 'stream-cut', afterChunks: 6 });
    const first = operations.responses.stream({
      input: 'A longer story please',
      background: true,
      store: true,
      max_output_tokens: 40,
    });
    const firstEvents = await collect(first);
    const error = (await first.result)._unsafeUnwrapErr();
    if (error._tag !== 'StreamInterruptedError') throw new Error(`expected an interruption, got ${error._tag}`);
    const before = firstEvents.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    const resumed = operations.responses.resume(error.partial.responseId ?? '', error.partial.lastSequenceNumber);
    const after = (await collect(resumed))
      .flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []))
      .join('');
    const whole = (await operations.responses.retrieve(error.partial.responseId ?? ''))._unsafeUnwrap().value.text;
    expect(before + after).toBe(whole);
  });

  it('maps a failed response to an interruption that keeps the partial output', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('responses', {
      type: 'stream-error',
      afterChunks: 4,
      message: 'model overloaded',
      code: 'server_error',
    });
    const error = (await operations.responses.stream({ input: 'hi' }).result)._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'StreamInterruptedError', reason: 'server-error-event' });
  });

  it('reports the latest rate-limit snapshot and breaker states for health checks', async () => {
    const { operations } = await start();
    await operations.responses.create({ input: 'hi' });
    const health = await operations.health();
    expect(health.rateLimit?.requests.remaining).toEqual(expect.any(Number));
    expect(health.breakers.map((breaker) => breaker.key)).toContain('responses:gpt-4o-mini');
  });
});
