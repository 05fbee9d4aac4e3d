import { describe, expect, it } from 'vitest';
import { errAsync, ok, okAsync } from 'neverthrow';
import { toRateLimitSnapshot, type RateLimitSnapshot } from '@openai-integration/core';
import { createManualClock } from '../clock/create-manual-clock.ts';
import { createRecordingLogger } from '../../test/support/recording-logger.ts';
import { rateLimited, sampleError } from '../../test/support/sample-errors.ts';
import type { BudgetRecord } from './budget-record.ts';
import { createRateLimiter, type BudgetStore, type PacingWaitEvent } from './create-rate-limiter.ts';

const snapshot = (headers: Record<string, string>, now: number): RateLimitSnapshot => toRateLimitSnapshot(new Headers(headers), now)!;

describe('createRateLimiter', () => {
  it('lets calls through at once when the server has said nothing', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    expect(await limiter.acquire({ key: 'gpt-4o', estimate: 1_000_000 })).toEqual(ok(undefined));
    expect(clock.now()).toBe(0);
  });

  it('records the first snapshot of a key even when the clock moved on after the headers were read', async () => {
    const clock = createManualClock(1_000);
    const values = new Map<string, BudgetRecord>();
    const asyncStore: BudgetStore = { get: (key) => Promise.resolve(values.get(key)), set: (key, value) => Promise.resolve(void values.set(key, value)) };
    const inMemory = createRateLimiter({ clock });
    const queued = createRateLimiter({ clock, store: asyncStore });
    const read = snapshot({ 'x-ratelimit-remaining-requests': '7', 'x-ratelimit-limit-requests': '60', 'x-ratelimit-reset-requests': '1s' }, clock.now());
    await clock.advance(5);
    await inMemory.observe('k', read);
    await queued.observe('k', read);
    expect((await inMemory.budget('k'))?.requests.remaining).toBe(7);
    expect((await queued.budget('k'))?.requests.remaining).toBe(7);
  });

  it('holds a call back until the request budget resets instead of sending it', async () => {
    const clock = createManualClock();
    const waits: PacingWaitEvent[] = [];
    const limiter = createRateLimiter({ clock, onWait: (event) => waits.push(event) });
    await limiter.observe('gpt-4o', snapshot({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-limit-requests': '60', 'x-ratelimit-reset-requests': '1.5s' }, 0));
    let sentAt: number | undefined;
    const pending = limiter.execute(
      () => {
        sentAt = clock.now();
        return okAsync('sent');
      },
      { key: 'gpt-4o' },
    );
    await clock.runAll();

    expect(await pending).toEqual(ok('sent'));
    expect(sentAt).toBe(1_500);
    expect(waits).toEqual([{ key: 'gpt-4o', waitMs: 1_500, reason: 'requests' }]);
    expect((await limiter.budget('gpt-4o'))?.requests).toEqual({ limit: 60, remaining: 59, resetAt: null });
  });

  it('counts down the budget so that only the calls that fit go before the reset', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    await limiter.observe('k', snapshot({ 'x-ratelimit-remaining-requests': '2', 'x-ratelimit-limit-requests': '3', 'x-ratelimit-reset-requests': '10s' }, 0));
    const sent: number[] = [];
    const calls = [1, 2, 3, 4].map(() => limiter.execute(() => okAsync(sent.push(clock.now())), { key: 'k' }));
    await clock.runAll();
    await Promise.all(calls);
    expect(sent).toEqual([0, 0, 10_000, 10_000]);
  });

  it('holds a call back while fewer tokens are left than its estimate', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    await limiter.observe('k', snapshot({ 'x-ratelimit-remaining-tokens': '500', 'x-ratelimit-limit-tokens': '10000', 'x-ratelimit-reset-tokens': '6s' }, 0));
    const small = limiter.acquire({ key: 'k', estimate: 400 });
    await clock.flush();
    const large = limiter.acquire({ key: 'k', estimate: 400 });
    const waited: number[] = [];
    void small.then(() => waited.push(clock.now()));
    void large.then(() => waited.push(clock.now()));
    await clock.runAll();
    await Promise.all([small, large]);
    expect(waited).toEqual([0, 6_000]);
  });

  it('gives up at once with a client RateLimitError when the reset is further away than the maximum wait', async () => {
    const clock = createManualClock();
    const logger = createRecordingLogger();
    const limiter = createRateLimiter({ clock, maxWaitMs: 10_000, logger });
    await limiter.observe('k', snapshot({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' }, 0));
    const result = await limiter.acquire({ key: 'k', estimate: 10 });
    const error = result._unsafeUnwrapErr();

    expect(clock.now()).toBe(0);
    expect(error).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'client',
      status: 429,
      code: null,
      type: null,
      param: null,
      requestId: null,
      rateLimit: null,
      retryAfterMs: 360_000,
      retryable: false,
    });
    expect(logger.lines.map((line) => line.level)).toEqual(['warn']);
  });

  it('refuses at once a call whose estimate exceeds the whole token limit', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    await limiter.observe('k', snapshot({ 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '1000' }, 0));
    expect((await limiter.acquire({ key: 'k', estimate: 5_000 }))._unsafeUnwrapErr()).toMatchObject({ _tag: 'RateLimitError', origin: 'client', retryAfterMs: null });
  });

  it('pauses every caller of the key until the hint after a server 429', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    const first = await limiter.execute(() => errAsync(rateLimited(2_000)), { key: 'k' });
    expect(first._unsafeUnwrapErr()).toMatchObject({ _tag: 'RateLimitError', origin: 'server' });
    const sent: number[] = [];
    const others = [1, 2, 3].map(() => limiter.execute(() => okAsync(sent.push(clock.now())), { key: 'k' }));
    const unrelated = limiter.execute(() => okAsync(sent.push(-clock.now())), { key: 'other' });
    await clock.runAll();
    await Promise.all([...others, unrelated]);
    expect(sent).toEqual([-0, 2_000, 2_000, 2_000]);
  });

  it('learns budgets from the snapshot a failed call carries, and ignores errors without one', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    const withSnapshot = sampleError('ServiceUnavailableError', { rateLimit: snapshot({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '3s' }, 0) });
    await limiter.observeError('k', withSnapshot);
    await limiter.observeError('k', rateLimited(null));
    await limiter.observeError('k', sampleError('TimeoutError'));
    await limiter.observeError('k', sampleError('RateLimitError', { origin: 'client', retryAfterMs: 9_000 }));
    const pending = limiter.acquire({ key: 'k' });
    await clock.runAll();
    await pending;
    expect(clock.now()).toBe(3_000);
  });

  it('ignores a snapshot older than the one it has', async () => {
    const clock = createManualClock(10_000);
    const limiter = createRateLimiter({ clock });
    await limiter.observe('k', snapshot({ 'x-ratelimit-remaining-requests': '5', 'x-ratelimit-limit-requests': '10' }, 10_000));
    await limiter.observe('k', snapshot({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '5s' }, 9_000));
    expect((await limiter.budget('k'))?.requests).toEqual({ limit: 10, remaining: 5, resetAt: null });
  });

  it('keeps the known reset when a snapshot leaves a budget out', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    await limiter.observe('k', snapshot({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '5s' }, 0));
    await limiter.observe('k', snapshot({ 'x-ratelimit-remaining-tokens': '100' }, 1));
    expect((await limiter.budget('k'))?.requests).toEqual({ limit: null, remaining: 0, resetAt: 5_000 });
  });

  it('ends a wait at once with AbortedError when the signal aborts', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    await limiter.observe('k', snapshot({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20s' }, 0));
    const controller = new AbortController();
    const pending = limiter.acquire({ key: 'k', signal: controller.signal });
    await clock.advance(1_000);
    controller.abort('stop');
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', reason: 'stop' });
    expect(clock.now()).toBe(1_000);
  });

  it('counts waits together against the maximum wait when pauses keep coming', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, maxWaitMs: 5_000 });
    await limiter.observeError('k', rateLimited(3_000));
    const pending = limiter.acquire({ key: 'k' });
    await clock.advance(2_999);
    await limiter.observeError('k', rateLimited(3_000));
    await clock.runAll();
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ _tag: 'RateLimitError', origin: 'client' });
  });

  it('uses the default key and the real clock when given nothing', async () => {
    const limiter = createRateLimiter();
    expect(await limiter.execute(() => okAsync(1))).toEqual(ok(1));
    expect(await limiter.execute(() => errAsync(sampleError('BadRequestError')))).toMatchObject({ error: { _tag: 'BadRequestError' } });
    // Calls without any figures from the server leave nothing to keep for the key.
    expect(await limiter.budget('default')).toBeUndefined();
    await limiter.observe('default', { requests: { limit: 10, remaining: 9, resetMs: 1_000, resetAt: Date.now() + 1_000 }, tokens: { limit: null, remaining: null, resetMs: null, resetAt: null }, observedAt: Date.now() });
    expect(await limiter.execute(() => okAsync(2))).toEqual(ok(2));
    expect((await limiter.budget('default'))?.requests.remaining).toBe(8);
  });

  it('throws a TypeError for a negative maximum wait', () => {
    expect(() => createRateLimiter({ maxWaitMs: -1 })).toThrow(TypeError);
  });

  it('paces the same way with a store that answers asynchronously, one call at a time per key', async () => {
    const values = new Map<string, BudgetRecord>();
    const slowStore: BudgetStore = {
      get: async (key) => {
        await Promise.resolve();
        return values.get(key);
      },
      set: async (key, value) => {
        await Promise.resolve();
        values.set(key, value);
      },
    };
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, store: slowStore });
    await limiter.observe('k', snapshot({ 'x-ratelimit-remaining-requests': '2', 'x-ratelimit-limit-requests': '60', 'x-ratelimit-reset-requests': '1s' }, 0));
    const sent: number[] = [];
    const calls = [1, 2, 3].map(() => limiter.execute(() => okAsync(sent.push(clock.now())), { key: 'k' }));
    await clock.runAll();
    await Promise.all(calls);
    expect(sent).toEqual([0, 0, 1_000]);
    expect((await limiter.budget('k'))?.requests.remaining).toBe(59);
  });
});
