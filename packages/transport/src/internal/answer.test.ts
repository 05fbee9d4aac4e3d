import { describe, expect, it } from 'vitest';
import { andThen, guardedAnswer, isWaiting, settledPromise } from './answer.ts';

describe('andThen', () => {
  it('hands a value on at once, and a promised one once it settles', async () => {
    expect(andThen(2, (value) => value * 3)).toBe(6);
    const later = andThen(Promise.resolve(2), (value) => value * 3);
    expect(isWaiting(later)).toBe(true);
    expect(await later).toBe(6);
  });
});

describe('guardedAnswer', () => {
  it('answers with what the call returned, at once or as a promise (a thenable too)', async () => {
    const failures: unknown[] = [];
    const record = (thrown: unknown): void => {
      failures.push(thrown);
    };
    expect(guardedAnswer(() => 5, 0, record)).toBe(5);
    expect(await guardedAnswer(() => Promise.resolve(6), 0, record)).toBe(6);
    const thenable: PromiseLike<number> = { then: (resolve) => Promise.resolve(7).then(resolve) };
    expect(await guardedAnswer(() => thenable, 0, record)).toBe(7);
    expect(failures).toEqual([]);
  });

  it('answers with the fallback, and says so, when the call throws or rejects', async () => {
    const failures: unknown[] = [];
    const record = (thrown: unknown): void => {
      failures.push(thrown);
    };
    expect(
      guardedAnswer(
        () => {
          throw new Error('thrown');
        },
        0,
        record,
      ),
    ).toBe(0);
    expect(await guardedAnswer(() => Promise.reject(new Error('rejected')), 1, record)).toBe(1);
    expect(failures.map((failure) => (failure as Error).message)).toEqual(['thrown', 'rejected']);
  });
});

describe('settledPromise', () => {
  it('gives a promise of the answer, and turns a synchronous throw into a rejection', async () => {
    expect(await settledPromise(() => 1)).toBe(1);
    expect(await settledPromise(() => Promise.resolve(2))).toBe(2);
    await expect(
      settledPromise(() => {
        throw new Error('store down');
      }),
    ).rejects.toThrow('store down');
  });
});
