import { describe, expect, it } from 'vitest';
import { err, ok, type Result } from 'neverthrow';
import type { IntegrationError } from '@openai-integration/core';
import { createManualClock } from '@openai-integration/core';
import { createError } from '@openai-integration/core';
import { guardedRun } from './guarded-run.ts';

const createErrorForTest = (): IntegrationError =>
  createError('ConnectionError', { message: 'refused', code: 'ECONNREFUSED' });

describe('guardedRun', () => {
  it('drops a late rejection of an operation it already abandoned', async () => {
    const clock = createManualClock();
    let rejectLate: (reason: unknown) => void = () => undefined;
    const pending = guardedRun(
      () => new Promise<Result<number, IntegrationError>>((_resolve, reject) => (rejectLate = reject)),
      {
        signal: undefined,
        timeoutMs: 10,
        clock,
        label: 'attempt 1',
      },
    );
    await clock.runAll();
    const result = await pending;
    rejectLate(new Error('too late'));
    await clock.flush();
    expect(result._unsafeUnwrapErr()).toMatchObject({
      _tag: 'TimeoutError',
      kind: 'attempt',
      message: 'attempt 1 timed out after 10 ms',
    });
  });

  it('hands every ending to its sequel before it settles: a result, a timeout, an abort, a throw', async () => {
    const clock = createManualClock();
    const seen: string[] = [];
    const sequel = {
      settled: (result: Result<number, IntegrationError>) => {
        seen.push(result.isOk() ? `ok ${result.value}` : result.error._tag);
        return result.isOk() ? ok(result.value * 2) : result;
      },
      threw: () => seen.push('threw'),
    };
    const options = { signal: undefined, timeoutMs: 10, clock, label: 'x' };
    expect(await guardedRun(() => Promise.resolve(ok(5)), options, sequel)).toEqual(ok(10));
    const timedOut = guardedRun(() => new Promise<never>(() => undefined), options, sequel);
    await clock.runAll();
    expect((await timedOut)._unsafeUnwrapErr()).toMatchObject({ _tag: 'TimeoutError' });
    const parent = new AbortController();
    parent.abort();
    expect(
      (
        await guardedRun(() => Promise.resolve(ok(1)), { ...options, signal: parent.signal }, sequel)
      )._unsafeUnwrapErr(),
    ).toMatchObject({ _tag: 'AbortedError' });
    await expect(
      guardedRun(
        () => {
          throw new Error('bug');
        },
        options,
        sequel,
      ),
    ).rejects.toThrow('bug');
    expect(seen).toEqual(['ok 5', 'TimeoutError', 'AbortedError', 'threw']);
  });

  it('rejects with what its sequel threw instead of leaving the run unsettled', async () => {
    const clock = createManualClock();
    const sequel = {
      settled: (): Result<number, IntegrationError> => {
        throw new Error('sequel bug');
      },
      threw: () => undefined,
    };
    await expect(
      guardedRun(
        () => Promise.resolve(err(createErrorForTest())),
        { signal: undefined, timeoutMs: 10, clock, label: 'x' },
        sequel,
      ),
    ).rejects.toThrow('sequel bug');
  });

  it('returns the operation result and leaves no timer behind', async () => {
    const clock = createManualClock();
    const result = await guardedRun(() => Promise.resolve(ok(5)), {
      signal: undefined,
      timeoutMs: 10,
      clock,
      label: 'x',
    });
    expect(result).toEqual(ok(5));
    expect(clock.pending()).toBe(0);
  });

  it('keeps the reason text of an abort, and none for a reason that is not text', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    controller.abort({ code: 7 });
    const result = await guardedRun(() => Promise.resolve(ok(1)), {
      signal: controller.signal,
      timeoutMs: undefined,
      clock,
      label: 'x',
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({
      _tag: 'AbortedError',
      reason: null,
      message: 'the call was aborted',
    });
  });

  it('rejects with what the operation threw or rejected with, and leaves no timer behind', async () => {
    const clock = createManualClock();
    const thrown = new Error('bug');
    await expect(
      guardedRun(
        () => {
          throw thrown;
        },
        { signal: undefined, timeoutMs: 10, clock, label: 'x' },
      ),
    ).rejects.toBe(thrown);
    await expect(
      guardedRun(() => Promise.reject(thrown), { signal: undefined, timeoutMs: 10, clock, label: 'x' }),
    ).rejects.toBe(thrown);
    expect(clock.pending()).toBe(0);
  });
});
