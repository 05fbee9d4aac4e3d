import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { createResponsesStreamAccumulator } from './responses-stream-accumulator.ts';

const response = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 'resp_1',
  model: 'gpt-4o-mini',
  status,
  output: [],
  ...extra,
});
const event = (sequence: number, body: Record<string, unknown>): ResponseStreamEvent =>
  ({ sequence_number: sequence, ...body }) as unknown as ResponseStreamEvent;

describe('createResponsesStreamAccumulator', () => {
  it('folds text, refusals and function calls, and completes with usage', () => {
    const accumulator = createResponsesStreamAccumulator();
    const events = [
      event(0, { type: 'response.created', response: response('in_progress') }),
      event(1, { type: 'response.in_progress', response: response('in_progress') }),
      event(2, { type: 'response.output_text.delta', delta: 'Hel', item_id: 'm1', output_index: 0, content_index: 0 }),
      event(3, { type: 'response.output_text.delta', delta: 'lo', item_id: 'm1', output_index: 0, content_index: 0 }),
      event(4, { type: 'response.refusal.delta', delta: 'no', item_id: 'm1', output_index: 0, content_index: 0 }),
      event(5, {
        type: 'response.output_item.added',
        output_index: 1,
        item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'lookup', arguments: '' },
      }),
      event(6, { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: '{"q":' }),
      event(7, { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: '"x"}' }),
      event(8, { type: 'response.output_item.added', output_index: 2, item: { type: 'message', id: 'm2' } }),
      event(9, { type: 'response.output_text.done', text: 'Hello', item_id: 'm1', output_index: 0, content_index: 0 }),
      event(10, {
        type: 'response.completed',
        response: response('completed', {
          usage: {
            input_tokens: 5,
            output_tokens: 3,
            total_tokens: 8,
            input_tokens_details: { cached_tokens: 1 },
            output_tokens_details: { reasoning_tokens: 0 },
          },
        }),
      }),
    ];
    const produced = events.flatMap((item) => accumulator.push(item));
    expect(produced.map((item) => item.type)).toEqual([
      'start',
      'text-delta',
      'text-delta',
      'refusal-delta',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call-delta',
      'usage',
      'finish',
    ]);
    expect(accumulator.isComplete(false)).toBe(true);
    expect(accumulator.usage()).toEqual({
      inputTokens: 5,
      outputTokens: 3,
      cachedInputTokens: 1,
      reasoningTokens: 0,
      totalTokens: 8,
    });
    expect(accumulator.final()).toMatchObject({
      id: 'resp_1',
      text: 'Hello',
      refusal: 'no',
      status: 'completed',
      finishReason: 'stop',
      toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' }],
      lastSequenceNumber: 10,
    });
  });

  it('treats response.incomplete as a proper end with its reason', () => {
    const accumulator = createResponsesStreamAccumulator();
    accumulator.push(
      event(0, {
        type: 'response.incomplete',
        response: response('incomplete', { incomplete_details: { reason: 'max_output_tokens' } }),
      }),
    );
    expect(accumulator.isComplete(false)).toBe(true);
    expect(accumulator.final()).toMatchObject({ status: 'incomplete', finishReason: 'max_output_tokens', usage: null });
    const bare = createResponsesStreamAccumulator();
    bare.push(event(0, { type: 'response.incomplete', response: response('incomplete') }));
    expect(bare.final().finishReason).toBe('incomplete');
  });

  it('reports response.failed as a failure with the partial output, scrubbed of keys', () => {
    const accumulator = createResponsesStreamAccumulator();
    accumulator.push(
      event(0, { type: 'response.output_text.delta', delta: 'par', item_id: 'm', output_index: 0, content_index: 0 }),
    );
    accumulator.push(
      event(1, {
        type: 'response.failed',
        response: response('failed', { error: { code: 'server_error', message: 'bad key sk-abcdefghijklmnopqrst' } }),
      }),
    );
    const failure = accumulator.failure();
    expect(failure).toMatchObject({
      _tag: 'StreamInterruptedError',
      reason: 'server-error-event',
      code: 'server_error',
      partial: { text: 'par', eventsReceived: 2 },
    });
    expect(failure?.message).not.toContain('abcdefghijkl');
    const silent = createResponsesStreamAccumulator();
    silent.push(event(0, { type: 'response.failed', response: response('failed') }));
    expect(silent.failure()).toMatchObject({ code: null, message: 'the response failed: no reason given' });
    expect(silent.isComplete(false)).toBe(false);
  });

  it('skips events at or before the resume point so a resumed stream has no duplicates', () => {
    const accumulator = createResponsesStreamAccumulator({ startingAfter: 3 });
    expect(
      accumulator.push(
        event(2, { type: 'response.output_text.delta', delta: 'old', item_id: 'm', output_index: 0, content_index: 0 }),
      ),
    ).toEqual([]);
    expect(
      accumulator.push(
        event(4, { type: 'response.output_text.delta', delta: 'new', item_id: 'm', output_index: 0, content_index: 0 }),
      ),
    ).toEqual([{ type: 'text-delta', delta: 'new' }]);
    expect(accumulator.partial()).toMatchObject({ text: 'new', lastSequenceNumber: 4, responseId: null });
  });

  it('accepts argument deltas for a call it has not seen announced', () => {
    const accumulator = createResponsesStreamAccumulator();
    accumulator.push(
      event(0, { type: 'response.function_call_arguments.delta', item_id: 'fc_9', output_index: 3, delta: '{}' }),
    );
    expect(accumulator.partial().toolCalls).toEqual([{ index: 3, id: null, name: null, arguments: '{}' }]);
    expect(accumulator.final().toolCalls).toEqual([{ id: '', name: '', arguments: '{}' }]);
  });
});
