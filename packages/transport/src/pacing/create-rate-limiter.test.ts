import { describe, expect, it } from 'vitest';
import { errAsync, ok, okAsync } from 'neverthrow';
import { toRateLimitSnapshot, type RateLimitSnapshot } from '@openai-integration/core';
import { createManualClock, type ManualClock } from '@openai-integration/core';
import { asyncBudgetStore } from '../../test/support/async-budget-store.ts';
import { createRecordingLogger } from '../../test/support/recording-logger.ts';
import { rateLimited, sampleError } from '../../test/support/sample-errors.ts';
import { createMemoryBudgetStore } from '../store/create-memory-budget-store.ts';
import {
  createRateLimiter,
  type PacingRequest,
  type PacingWaitEvent,
  type RateLimiter,
} from './create-rate-limiter.ts';

const snapshot = (headers: Record<string, string>, now: number): RateLimitSnapshot =>
  toRateLimitSnapshot(new Headers(headers), now)!;

/** Nothing left of 60 requests a minute (no reset header: the window is the default minute). */
const exhausted = (now = 0): RateLimitSnapshot =>
  snapshot({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0' }, now);

/** Starts calls in order; resolves with the time each was sent, or its error's tag. */
function sendAll(
  limiter: RateLimiter,
  clock: ManualClock,
  requests: readonly PacingRequest[],
): Promise<(number | string)[]> {
  return Promise.all(
    requests.map(async (request) => {
      const result = await limiter.execute(() => okAsync(clock.now()), request);
      return result.isOk() ? result.value : result.error._tag;
    }),
  );
}

describe('createRateLimiter', () => {
  it('lets calls through at once when the server has said nothing', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    expect(await sendAll(limiter, clock, [{ key: 'gpt-4o', estimate: 1_000_000 }, { key: 'gpt-4o' }])).toEqual([0, 0]);
    expect(await limiter.budget('gpt-4o')).toBeUndefined();
  });

  it('with nothing left, waits for one request to refill (window / limit), not for the full reset', async () => {
    const clock = createManualClock();
    const waits: PacingWaitEvent[] = [];
    const limiter = createRateLimiter({ clock, onWait: (event) => waits.push(event) });
    // OpenAI's reset is the time until the bucket is full again: 60 requests in 60 s.
    await limiter.observe(
      'gpt-4o',
      snapshot(
        {
          'x-ratelimit-limit-requests': '60',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '60s',
        },
        0,
      ),
    );
    const sent = sendAll(limiter, clock, [{ key: 'gpt-4o' }]);
    await clock.runAll();
    // About a second (the window learned from the reset is a hair long: remaining is rounded down).
    expect(await sent).toEqual([1_017]);
    expect(waits).toEqual([{ key: 'gpt-4o', waitMs: 1_017, reason: 'requests' }]);
  });

  it('releases waiters first come, first served, one at a time at the refill rate', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    await limiter.observe('k', exhausted());
    const sent = sendAll(
      limiter,
      clock,
      [1, 2, 3, 4, 5].map(() => ({ key: 'k' })),
    );
    await clock.runAll();
    expect(await sent).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(await limiter.budget('k')).toMatchObject({ queued: 0, inFlight: 0, requests: { limit: 60, remaining: 0 } });
  });

  it('sleeps the rest when a timer fires early (a busy event loop), without announcing a new wait', async () => {
    const manual = createManualClock();
    // Every wait ends up to 2 ms early, as timers of a busy event loop can.
    const clock = {
      now: () => manual.now(),
      sleep: (ms: number, signal?: AbortSignal) => manual.sleep(Math.max(1, ms - 2), signal),
    };
    const waits: PacingWaitEvent[] = [];
    const limiter = createRateLimiter({ clock, onWait: (event) => waits.push(event) });
    await limiter.observe('k', exhausted());
    const sent = limiter.execute(() => okAsync(manual.now()), { key: 'k' });
    await manual.runAll();
    expect(await sent).toEqual(ok(1_000));
    expect(waits).toEqual([{ key: 'k', waitMs: 1_000, reason: 'requests' }]);
  });

  it('waits for the estimated tokens only, and settles the estimate against the usage the response reported', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    await limiter.observe(
      'k',
      snapshot({ 'x-ratelimit-limit-tokens': '6000', 'x-ratelimit-remaining-tokens': '1000' }, 0),
    );
    const first = (await limiter.acquire({ key: 'k', estimate: 1_000 }))._unsafeUnwrap();
    expect(first.waitedMs).toBe(0);
    await first.settle({ usedTokens: 200 });
    // 800 came back at once; 100 more refill every second.
    const sent = sendAll(limiter, clock, [
      { key: 'k', estimate: 800 },
      { key: 'k', estimate: 300 },
    ]);
    await clock.runAll();
    expect(await sent).toEqual([0, 3_000]);
  });

  it('waits within the call deadline, and refuses at once a call the budget cannot serve before it, saying how long it would have needed', async () => {
    const clock = createManualClock();
    const logger = createRecordingLogger();
    const limiter = createRateLimiter({ clock, logger });
    await limiter.observe('k', exhausted());
    const queued = limiter.acquire({ key: 'k' });
    const withinDeadline = sendAll(limiter, clock, [{ key: 'k', deadlineAt: 5_000 }]);
    const refused = await limiter.acquire({ key: 'k', deadlineAt: 2_500 });
    // Refused at once: no time passed, nothing was taken (the next caller gets the third turn).
    expect(clock.now()).toBe(0);
    expect(refused._unsafeUnwrapErr()).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'client',
      status: 429,
      retryable: false,
      retryAfterMs: 3_000,
    });
    expect(refused._unsafeUnwrapErr().message).toBe(
      'rate limit of k (requests): the call could be sent in 3000 ms, later than its deadline allows (2499 ms); not sent, try again after retryAfterMs',
    );
    const third = sendAll(limiter, clock, [{ key: 'k' }]);
    await clock.runAll();
    expect((await queued)._unsafeUnwrap().waitedMs).toBe(1_000);
    expect(await withinDeadline).toEqual([2_000]);
    expect(await third).toEqual([3_000]);
    expect(logger.lines.filter((line) => line.level === 'warn').map((line) => line.fields)).toEqual([
      { key: 'k', waitMs: 3_000, allowedMs: 2_499, reason: 'requests' },
    ]);
  });

  it('refuses at once a call that would wait longer than maxWaitMs', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, maxWaitMs: 10_000 });
    await limiter.observe(
      'k',
      snapshot({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' }, 0),
    );
    const error = (await limiter.acquire({ key: 'k', estimate: 10 }))._unsafeUnwrapErr();
    expect(clock.now()).toBe(0);
    expect(error).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'client',
      code: null,
      type: null,
      param: null,
      requestId: null,
      rateLimit: null,
      retryAfterMs: 360_000,
    });
    expect(error.message).toContain('later than the longest pacing wait (maxWaitMs 10000 ms)');
  });

  it('refuses at once a call whose estimate exceeds the whole token limit', async () => {
    const limiter = createRateLimiter({ clock: createManualClock() });
    await limiter.observe(
      'k',
      snapshot({ 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': '1000' }, 0),
    );
    const error = (await limiter.acquire({ key: 'k', estimate: 5_000 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'RateLimitError', origin: 'client', retryAfterMs: null });
    expect(error.message).toBe(
      'the call needs 5000 tokens, more than the whole tokens limit of k (1000); it can never be sent',
    );
  });

  it('pauses every caller of the key after a server 429, then lets them go one by one at the refill rate', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    await limiter.observe(
      'k',
      snapshot({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '1' }, 0),
    );
    const first = await limiter.execute(() => errAsync(rateLimited(5_000)), { key: 'k' });
    expect(first._unsafeUnwrapErr()).toMatchObject({ _tag: 'RateLimitError', origin: 'server' });
    const sent = sendAll(limiter, clock, [{ key: 'k' }, { key: 'k' }, { key: 'k' }, { key: 'other' }]);
    await clock.runAll();
    expect(await sent).toEqual([5_000, 6_000, 7_000, 0]);
  });

  it('moves the calls already waiting their turn after a pause that starts meanwhile, in their order', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    await limiter.observe('k', exhausted());
    const waiting = sendAll(limiter, clock, [{ key: 'k' }, { key: 'k' }]);
    await clock.advance(500);
    await limiter.observeError('k', rateLimited(4_000));
    await clock.runAll();
    expect(await waiting).toEqual([4_500, 5_500]);
  });

  it('caps a retry hint at maxPauseMs: a bogus retry-after of an hour pauses the key for a minute', async () => {
    const clock = createManualClock();
    const waitsLong = createRateLimiter({ clock, maxWaitMs: 120_000 });
    const byDefault = createRateLimiter({ clock });
    const capped = createRateLimiter({ clock, maxPauseMs: 10_000 });
    for (const limiter of [waitsLong, byDefault, capped]) {
      const first = await limiter.execute(() => errAsync(rateLimited(3_600_000)), { key: 'k' });
      expect(first._unsafeUnwrapErr()).toMatchObject({ origin: 'server', retryAfterMs: 3_600_000 });
    }
    // Waiting 30 s at most, the next call is refused at once, told the minute it would need.
    expect((await byDefault.acquire({ key: 'k' }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'client',
      retryAfterMs: 60_000,
    });
    const sent = Promise.all([sendAll(waitsLong, clock, [{ key: 'k' }]), sendAll(capped, clock, [{ key: 'k' }])]);
    await clock.runAll();
    expect(await sent).toEqual([[60_000], [10_000]]);
  });

  it('refuses a waiting call when a pause that starts meanwhile would keep it past what it may wait, and gives its turn back', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, maxWaitMs: 5_000 });
    await limiter.observe('k', exhausted());
    const waiting = limiter.acquire({ key: 'k' });
    await clock.advance(500);
    await limiter.observeError('k', rateLimited(30_000));
    await clock.runAll();
    expect((await waiting)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'client',
      retryAfterMs: 29_500,
    });
    expect(await limiter.budget('k')).toMatchObject({ queued: 0, inFlight: 0 });
  });

  it('ends a wait at once with AbortedError when the signal aborts, and gives the turn to the next caller', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    await limiter.observe('k', exhausted());
    const controller = new AbortController();
    const aborted = limiter.acquire({ key: 'k', signal: controller.signal });
    await clock.advance(500);
    controller.abort('stop');
    expect((await aborted)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', reason: 'stop' });
    expect(clock.now()).toBe(500);
    const next = sendAll(limiter, clock, [{ key: 'k' }]);
    await clock.runAll();
    expect(await next).toEqual([1_000]);
    expect((await limiter.acquire({ key: 'k', signal: AbortSignal.abort('gone') }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'AbortedError',
    });
  });

  it('learns budgets from the snapshot a failed call carries, and ignores errors without one', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock });
    const withSnapshot = sampleError('ServiceUnavailableError', {
      rateLimit: snapshot({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '3s' }, 0),
    });
    await limiter.observeError('k', withSnapshot);
    await limiter.observeError('k', rateLimited(null));
    await limiter.observeError('k', sampleError('TimeoutError'));
    await limiter.observeError('k', sampleError('RateLimitError', { origin: 'client', retryAfterMs: 9_000 }));
    const sent = sendAll(limiter, clock, [{ key: 'k' }]);
    await clock.runAll();
    expect(await sent).toEqual([3_000]);
  });

  it('settles a permit once: a second settle, or a release after it, changes nothing', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, limitsFor: () => ({ requests: 2 }) });
    const first = (await limiter.acquire({ key: 'k' }))._unsafeUnwrap();
    const second = (await limiter.acquire({ key: 'k' }))._unsafeUnwrap();
    await first.settle();
    await first.settle({ error: rateLimited(null) });
    await first.release();
    await second.release();
    await second.settle();
    // The first stays charged, the second came back.
    expect(await limiter.budget('k')).toMatchObject({ inFlight: 0, requests: { remaining: 1 } });
  });

  it('gives the share of a call the server refused with a 429 back, and keeps the estimate of one whose usage is unknown', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, limitsFor: () => ({ requests: 10, tokens: 1_000 }) });
    expect(await limiter.execute(() => errAsync(rateLimited(null)), { key: 'k', estimate: 400 })).toMatchObject({
      error: { _tag: 'RateLimitError' },
    });
    expect(
      await limiter.execute(() => errAsync(sampleError('InternalServerError')), { key: 'k', estimate: 400 }),
    ).toMatchObject({ error: { _tag: 'InternalServerError' } });
    expect(await limiter.budget('k')).toMatchObject({ requests: { remaining: 9 }, tokens: { remaining: 600 } });
  });

  it('settles the permit and rethrows when the operation throws', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, limitsFor: () => ({ requests: 5 }) });
    await expect(
      limiter.execute(() => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(await limiter.budget('default')).toMatchObject({ inFlight: 0, requests: { remaining: 4 } });
  });

  it('paces the same way with a store that answers asynchronously', async () => {
    const clock = createManualClock();
    const store = asyncBudgetStore({ clock });
    const limiter = createRateLimiter({ clock, store });
    await limiter.observe(
      'k',
      snapshot({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '2' }, 0),
    );
    const sent = sendAll(
      limiter,
      clock,
      [1, 2, 3].map(() => ({ key: 'k' })),
    );
    await clock.runAll();
    expect(await sent).toEqual([0, 0, 1_000]);
    await limiter.observeError('k', rateLimited(2_000));
    const paused = sendAll(limiter, clock, [{ key: 'k' }]);
    await clock.runAll();
    expect(await paused).toEqual([3_000]);
    expect(await limiter.budget('k')).toMatchObject({ inFlight: 0, requests: { limit: 60 } });
    expect(new Set(store.calls)).toEqual(new Set(['observe', 'reserve', 'settle', 'delayOf', 'pause', 'inspect']));
  });

  it('uses the default key and the real clock when given nothing', async () => {
    const limiter = createRateLimiter();
    expect(await limiter.execute(() => okAsync(1))).toEqual(ok(1));
    expect(await limiter.execute(() => errAsync(sampleError('BadRequestError')))).toMatchObject({
      error: { _tag: 'BadRequestError' },
    });
    expect(await limiter.budget('default')).toBeUndefined();
    await limiter.observe('default', {
      requests: { limit: 10, remaining: 9, resetMs: 6_000, resetAt: Date.now() + 6_000 },
      tokens: { limit: null, remaining: null, resetMs: null, resetAt: null },
      observedAt: Date.now(),
    });
    expect(await limiter.execute(() => okAsync(2))).toEqual(ok(2));
    expect((await limiter.budget('default'))?.requests.remaining).toBe(8);
  });

  it('gives the default store its window, limits and bound on keys', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({
      clock,
      windowMs: 10_000,
      limitsFor: (key) => (key === 'small' ? { requests: 1 } : undefined),
      maxKeys: 5,
    });
    const sent = sendAll(limiter, clock, [{ key: 'small' }, { key: 'small' }, { key: 'large' }]);
    await clock.runAll();
    expect(await sent).toEqual([0, 10_000, 0]);
  });

  it('throws a TypeError for a negative maximum wait or pause, or default-store settings given with a store', () => {
    expect(() => createRateLimiter({ maxWaitMs: -1 })).toThrow(TypeError);
    expect(() => createRateLimiter({ maxPauseMs: -1 })).toThrow(TypeError);
    expect(() => createRateLimiter({ store: createMemoryBudgetStore(), windowMs: 1_000 })).toThrow(TypeError);
  });
});
