import { createError } from '@openai-integration/core';
import { err, errAsync, ok, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createCleanupRegistry } from './create-cleanup-registry.ts';

const notFound = createError('NotFoundError', {
  message: 'No such File object: file-1',
  status: 404,
  code: null,
  type: null,
  param: null,
  requestId: null,
  retryAfterMs: null,
  rateLimit: null,
});

describe('createCleanupRegistry', () => {
  it('runs every cleanup once, the last registered first', async () => {
    const order: string[] = [];
    const cleanup = createCleanupRegistry();
    cleanup.defer('first', () => order.push('first'));
    cleanup.defer('second', async () => {
      await Promise.resolve();
      order.push('second');
    });
    cleanup.defer('third', () => okAsync(order.push('third')));
    expect(cleanup.size).toBe(3);
    expect(await cleanup.run()).toEqual({ completed: ['third', 'second', 'first'], failed: [] });
    expect(order).toEqual(['third', 'second', 'first']);
    expect(cleanup.size).toBe(0);
    expect(await cleanup.run()).toEqual({ completed: [], failed: [] });
  });

  it('keeps going after a cleanup that throws, rejects or returns an err, and reports each with a safe message', async () => {
    const cleanup = createCleanupRegistry();
    const ran: string[] = [];
    cleanup.defer('ok', () => {
      ran.push('ok');
      return ok(undefined);
    });
    cleanup.defer('err result', () => err(notFound));
    cleanup.defer('err async', () => errAsync(notFound));
    cleanup.defer('throws', () => {
      throw new Error('boom with sk-proj-abcdefghijklmno');
    });
    cleanup.defer('throws unnamed', () => {
      throw new TypeError('');
    });
    cleanup.defer('rejects with text', () => Promise.reject(new Error('no route')));
    cleanup.defer('throws a string', () => {
      // Third-party code may throw anything; the report must still say something.
      throw 'plain text'; // eslint-disable-line @typescript-eslint/only-throw-error -- checks a non-Error throw on purpose
    });
    const report = await cleanup.run();
    expect(report.completed).toEqual(['ok']);
    expect(ran).toEqual(['ok']);
    expect(report.failed).toEqual([
      { label: 'throws a string', message: 'plain text' },
      { label: 'rejects with text', message: 'no route' },
      { label: 'throws unnamed', message: 'TypeError' },
      { label: 'throws', message: 'boom with [redacted]' },
      { label: 'err async', message: 'NotFoundError: No such File object: file-1' },
      { label: 'err result', message: 'NotFoundError: No such File object: file-1' },
    ]);
  });

  it('does not run a cleanup that was released (the test removed the thing itself)', async () => {
    const cleanup = createCleanupRegistry();
    const ran: string[] = [];
    const release = cleanup.defer('delete file-1', () => ran.push('delete'));
    cleanup.defer('other', () => ran.push('other'));
    release();
    release();
    expect(cleanup.size).toBe(1);
    expect((await cleanup.run()).completed).toEqual(['other']);
    expect(ran).toEqual(['other']);
  });
});
