import { describe, expect, it } from 'vitest';
import { ok, okAsync, ResultAsync } from 'neverthrow';
import { createManualClock } from '@openai-integration/core';
import { createBulkhead } from './create-bulkhead.ts';

describe('createBulkhead', () => {
  it('runs at most maxConcurrent calls at once and the rest in arrival order', async () => {
    const clock = createManualClock();
    const bulkhead = createBulkhead({ maxConcurrent: 2 });
    const order: string[] = [];
    const call = (name: string) =>
      bulkhead.execute(() => {
        order.push(`start ${name}`);
        return new ResultAsync(clock.sleep(100).then(() => ok(name)));
      });
    const calls = ['a', 'b', 'c', 'd'].map(call);
    await clock.flush();
    expect(bulkhead.running()).toBe(2);
    expect(bulkhead.queued()).toBe(2);
    await clock.runAll();
    expect(await Promise.all(calls)).toEqual([ok('a'), ok('b'), ok('c'), ok('d')]);
    expect(order).toEqual(['start a', 'start b', 'start c', 'start d']);
    expect(bulkhead.running()).toBe(0);
  });

  it('fails a call at once with a client RateLimitError when the queue is full', async () => {
    const clock = createManualClock();
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueued: 1 });
    const hold = () => bulkhead.execute(() => new ResultAsync(clock.sleep(100).then(() => ok(1))));
    const first = hold();
    const second = hold();
    const third = await hold();
    expect(third._unsafeUnwrapErr()).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'client',
      status: 429,
      retryable: false,
    });
    expect(third._unsafeUnwrapErr().message).toContain('queue is full');
    await clock.runAll();
    expect(await first).toEqual(ok(1));
    expect(await second).toEqual(ok(1));
  });

  it('takes a call out of the queue with AbortedError when its signal aborts', async () => {
    const clock = createManualClock();
    const bulkhead = createBulkhead({ maxConcurrent: 1 });
    const first = bulkhead.execute(() => new ResultAsync(clock.sleep(100).then(() => ok(1))));
    const controller = new AbortController();
    const second = bulkhead.execute(() => okAsync(2), controller.signal);
    await clock.flush();
    controller.abort();
    expect((await second)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError' });
    expect(bulkhead.queued()).toBe(0);
    await clock.runAll();
    expect(await first).toEqual(ok(1));
    expect(bulkhead.running()).toBe(0);
  });

  it('refuses a call whose signal is already aborted', async () => {
    const result = await createBulkhead().execute(() => okAsync(1), AbortSignal.abort());
    expect(result._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError' });
  });

  it('frees the slot when the operation throws', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1 });
    await expect(
      bulkhead.execute(() => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(await bulkhead.execute(() => okAsync(1))).toEqual(ok(1));
  });

  it.each([{ maxConcurrent: 0 }, { maxConcurrent: 1.5 }, { maxQueued: -1 }])('throws a TypeError for %o', (options) => {
    expect(() => createBulkhead(options)).toThrow(TypeError);
  });
});
