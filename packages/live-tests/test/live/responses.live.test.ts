import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { suite, suiteOperations, useCleanup } from './support/live-suite.ts';

describe('responses.stream', () => {
  it('streams a stored response to response.completed with its usage, then the response is deleted', async () => {
    const operations = suiteOperations();
    const cleanup = useCleanup();
    // The Responses API stores responses by default (store: true) and cannot list them: each test deletes its own.
    const stream = operations.responses.stream({
      model: suite.chatModel,
      input: 'Reply with the single word: pong',
      max_output_tokens: 16,
      store: true,
      metadata: { oi_live_run: suite.runId },
    });
    let text = '';
    for await (const event of stream) {
      if (event.type === 'start' && event.id !== null) {
        const id = event.id;
        cleanup.defer(`delete response ${id}`, async () => {
          const deleted = await operations.responses.delete(id);
          return deleted.isErr() && deleted.error._tag === 'NotFoundError' ? ok(undefined) : deleted;
        });
      }
      if (event.type === 'text-delta') text += event.delta;
    }
    expect(cleanup.size, 'the deletion of the stored response is registered').toBe(1);
    const result = await stream.result;
    expect(result.isOk()).toBe(true);
    const { value, meta } = result._unsafeUnwrap();
    expect(value.id).toMatch(/\S+/);
    expect(['completed', 'incomplete']).toContain(value.status);
    expect(value.text).toBe(text);
    // Usage arrives only in response.completed (there is no [DONE] frame in this API).
    expect(meta.usage?.outputTokens).toBeGreaterThan(0);
    expect(meta.usage?.outputTokens).toBeLessThanOrEqual(16);
    expect(operations.usage.report().total.estimatedRequests).toBe(0);

    const stored = await operations.responses.retrieve(value.id ?? '');
    expect(stored.isOk()).toBe(true);
    expect(stored._unsafeUnwrap().value.response.metadata).toEqual({ oi_live_run: suite.runId });
  });
});
