import * as Cause from 'effect/Cause';
import * as Effect from 'effect/Effect';
import * as Exit from 'effect/Exit';
import * as Stream from 'effect/Stream';
import { describe, expect, it } from 'vitest';
import { abortableStream, fromIterable } from './abortable-stream.ts';

async function* numbers(count: number): AsyncGenerator<number> {
  for (let index = 0; index < count; index += 1) {
    await Promise.resolve();
    yield index;
  }
}

describe('abortableStream', () => {
  it('opens the stream afresh on every run, each with its own signal, aborted once the run stops', async () => {
    const signals: AbortSignal[] = [];
    const stream = abortableStream((signal) => {
      signals.push(signal);
      return fromIterable(numbers(3));
    });
    expect(signals).toHaveLength(0);
    expect(await Effect.runPromise(Stream.runCollect(stream))).toEqual([0, 1, 2]);
    expect(await Effect.runPromise(Stream.runCollect(Stream.take(stream, 1)))).toEqual([0]);
    expect(signals).toHaveLength(2);
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
    expect(signals[0]).not.toBe(signals[1]);
  });
});

describe('fromIterable', () => {
  it('turns an iterable that throws into a defect, not a typed failure', async () => {
    const broken: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('iterator broke')) }),
    };
    const exit = await Effect.runPromiseExit(Stream.runCollect(fromIterable(broken)));
    expect(Exit.isFailure(exit)).toBe(true);
    if (Exit.isSuccess(exit)) return;
    expect(Cause.hasFails(exit.cause)).toBe(false);
    expect(Cause.squash(exit.cause)).toEqual(new Error('iterator broke'));
  });
});
