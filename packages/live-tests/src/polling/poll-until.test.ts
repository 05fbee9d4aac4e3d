import { createError } from '@openai-integration/core';
import { err, ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { pollUntil } from './poll-until.ts';

describe('pollUntil', () => {
  it('checks until a value appears, waiting the delay between checks', async () => {
    const waits: number[] = [];
    const result = await pollUntil((attempt) => Promise.resolve(ok(attempt === 3 ? 'found' : undefined)), {
      what: 'the file',
      attempts: 5,
      delayMs: 250,
      sleep: (milliseconds) => {
        waits.push(milliseconds);
        return Promise.resolve();
      },
    });
    expect(result).toEqual(ok('found'));
    expect(waits).toEqual([250, 250]);
  });

  it('gives a TimeoutError naming what it waited for when every check says not yet', async () => {
    const result = await pollUntil(() => Promise.resolve(ok(undefined)), {
      what: 'the file in the list',
      attempts: 3,
      delayMs: 100,
      sleep: () => Promise.resolve(),
    });
    expect(result.isErr() && result.error).toMatchObject({
      _tag: 'TimeoutError',
      kind: 'deadline',
      timeoutMs: 200,
      retryable: false,
      message: 'the file in the list did not appear after 3 checks over 200 ms',
    });
  });

  it('stops at the first failed check and returns its error', async () => {
    const failure = createError('NotFoundError', {
      message: 'gone',
      status: 404,
      code: null,
      type: null,
      param: null,
      requestId: null,
      retryAfterMs: null,
      rateLimit: null,
    });
    let checks = 0;
    const result = await pollUntil(
      () => {
        checks += 1;
        return Promise.resolve(err(failure));
      },
      { what: 'x', attempts: 4, delayMs: 1, sleep: () => Promise.resolve() },
    );
    expect(result).toEqual(err(failure));
    expect(checks).toBe(1);
  });

  it('checks at least once and waits on a real timer by default', async () => {
    const result = await pollUntil((attempt) => Promise.resolve(ok(attempt === 2 ? attempt : undefined)), {
      what: 'x',
      attempts: 0.5,
      delayMs: 1,
    });
    expect(result.isErr() && result.error._tag).toBe('TimeoutError');
    const second = await pollUntil((attempt) => Promise.resolve(ok(attempt === 2 ? attempt : undefined)), {
      what: 'x',
      attempts: 2,
      delayMs: 1,
    });
    expect(second).toEqual(ok(2));
  });
});
