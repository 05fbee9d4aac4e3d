import { describe, expect, it } from 'vitest';
import { errAsync, ok, okAsync, ResultAsync } from 'neverthrow';
import type { IntegrationError } from '@openai-integration/core';
import { createManualClock } from '@openai-integration/core';
import { sampleError, unavailable } from '../../test/support/sample-errors.ts';
import { runAll } from './run-all.ts';

describe('runAll', () => {
  it('keeps every success, retries only the failed items and reports per item in input order', async () => {
    const clock = createManualClock();
    const calls = new Map<number, number>();
    const pending = runAll(
      [1, 2, 3, 4, 5, 6],
      (item) => {
        const count = (calls.get(item) ?? 0) + 1;
        calls.set(item, count);
        if (item === 2 && count < 3) return errAsync<number, IntegrationError>(unavailable());
        if (item === 5) return errAsync<number, IntegrationError>(sampleError('BadRequestError'));
        return okAsync(item * 10);
      },
      { concurrency: 2, retry: { clock, jitter: 'none' } },
    );
    await clock.runAll();
    const report = await pending;

    expect(report.results.map((result) => (result.isOk() ? result.value : result.error._tag))).toEqual([
      10,
      20,
      30,
      40,
      'BadRequestError',
      60,
    ]);
    expect([...calls.entries()].sort(([a], [b]) => a - b)).toEqual([
      [1, 1],
      [2, 3],
      [3, 1],
      [4, 1],
      [5, 1],
      [6, 1],
    ]);
    expect(report.successes.map((success) => success.index)).toEqual([0, 1, 2, 3, 5]);
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toMatchObject({ index: 4, error: { _tag: 'BadRequestError', attempts: 1 } });
    expect(report.summary).toEqual({
      total: 6,
      succeeded: 5,
      failed: 1,
      retried: 1,
      attempts: 8,
      failuresByTag: { BadRequestError: 1 },
    });
  });

  it('never runs more than the concurrency limit at once', async () => {
    const clock = createManualClock();
    let running = 0;
    let peak = 0;
    const pending = runAll(
      Array.from({ length: 20 }, (_, index) => index),
      () => {
        running += 1;
        peak = Math.max(peak, running);
        return new ResultAsync(
          clock.sleep(10).then(() => {
            running -= 1;
            return ok(true);
          }),
        );
      },
      { concurrency: 3, retry: false },
    );
    await clock.runAll();
    expect((await pending).summary.succeeded).toBe(20);
    expect(peak).toBe(3);
  });

  it('makes one attempt per item when retry is off', async () => {
    const report = await runAll([1, 2], () => errAsync<number, IntegrationError>(unavailable()), { retry: false });
    expect(report.summary).toMatchObject({
      failed: 2,
      attempts: 2,
      retried: 0,
      failuresByTag: { ServiceUnavailableError: 2 },
    });
  });

  it('fails the items not started with AbortedError when the signal aborts', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const pending = runAll(
      [1, 2, 3],
      (item) => {
        if (item === 1) controller.abort('enough');
        return okAsync(item);
      },
      { concurrency: 1, signal: controller.signal, retry: { clock } },
    );
    await clock.runAll();
    const report = await pending;
    expect(report.results.map((result) => (result.isOk() ? 'ok' : result.error._tag))).toEqual([
      'AbortedError',
      'AbortedError',
      'AbortedError',
    ]);
    expect(report.summary.attempts).toBe(1);
  });

  it('passes the index, attempt and signal to the operation', async () => {
    const seen: string[] = [];
    await runAll(['a', 'b'], (item, context) => {
      seen.push(`${item}:${context.index}:${context.attempt}:${context.signal.aborted}`);
      return okAsync(item);
    });
    expect(seen).toEqual(['a:0:1:false', 'b:1:1:false']);
  });

  it('returns an empty report for no items', async () => {
    const report = await runAll([], () => okAsync(1));
    expect(report.summary).toEqual({ total: 0, succeeded: 0, failed: 0, retried: 0, attempts: 0, failuresByTag: {} });
  });

  it('throws a TypeError for a concurrency below 1', () => {
    expect(() => runAll([1], () => okAsync(1), { concurrency: 0 })).toThrow(TypeError);
  });
});
