import { describe, expect, it } from 'vitest';
import { useHarness } from './support/harness.ts';

const start = useHarness();

/** What a JavaScript caller might pass by mistake (a string is a fine id, so ids get other junk). */
const junk: readonly unknown[] = [null, undefined, 'text', 42, []];
const junkIds: readonly unknown[] = [null, undefined, 42, [], '', '../files'];

describe('operations given junk instead of a request', () => {
  it('answer every call with a typed error and never throw or send a request', async () => {
    const { operations, simulator } = await start();
    const attempts: [string, (value: never) => Promise<{ isErr(): boolean }>][] = [
      ['chat.create', async (value) => await operations.chat.create(value)],
      ['responses.create', async (value) => await operations.responses.create(value)],
      ['embeddings.create', async (value) => await operations.embeddings.create(value)],
      ['moderations.create', async (value) => await operations.moderations.create(value)],
      ['files.upload', async (value) => await operations.files.upload(value)],
      ['files.retrieve', async (value) => await operations.files.retrieve(value)],
      ['files.delete', async (value) => await operations.files.delete(value)],
      ['batches.retrieve', async (value) => await operations.batches.retrieve(value)],
      ['responses.retrieve', async (value) => await operations.responses.retrieve(value)],
    ];
    for (const [name, call] of attempts) {
      for (const value of /retrieve|delete/.test(name) ? junkIds : junk) {
        const result = await call(value as never);
        expect([name, result.isErr()]).toEqual([name, true]);
      }
    }
    expect(simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([]);
  });
});

describe('model ids from outside', () => {
  it('refuses an unbounded or malformed model id in every operation before anything is sent or kept', async () => {
    const { createHarness } = await import('./support/harness.ts');
    const harness = await createHarness();
    const { operations, simulator } = harness;
    try {
      const huge = 'm'.repeat(200_000);
      const chat = (
        await operations.chat.create({ model: huge, messages: [{ role: 'user', content: 'Hi' }] })
      )._unsafeUnwrapErr();
      expect(chat).toMatchObject({ _tag: 'ValidationError', issues: [{ path: 'model' }] });
      expect(chat.message.length).toBeLessThan(300);
      const fallback = (
        await operations.chat.create({ messages: [{ role: 'user', content: 'Hi' }] }, { fallback: ['gpt 4o'] })
      )._unsafeUnwrapErr();
      expect(fallback).toMatchObject({ _tag: 'ValidationError', issues: [{ path: 'fallback[0]' }] });
      expect(
        (
          await operations.chat.stream({ model: huge, messages: [{ role: 'user', content: 'Hi' }] }).result
        )._unsafeUnwrapErr()._tag,
      ).toBe('ValidationError');
      expect((await operations.responses.create({ model: huge, input: 'Hi' }))._unsafeUnwrapErr()._tag).toBe(
        'ValidationError',
      );
      expect((await operations.embeddings.create({ model: huge, input: 'Hi' }))._unsafeUnwrapErr()._tag).toBe(
        'ValidationError',
      );
      expect((await operations.moderations.create({ model: huge, input: 'Hi' }))._unsafeUnwrapErr()._tag).toBe(
        'ValidationError',
      );
      expect(simulator.requests).toHaveLength(0);
      expect(JSON.stringify(operations.usage.report())).not.toContain('mmmmmmmmmm');
      expect(JSON.stringify(await operations.health())).not.toContain('mmmmmmmmmm');
    } finally {
      await harness.close();
    }
  });
});
