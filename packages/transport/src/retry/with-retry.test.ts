import { describe, expect, it } from 'vitest';
import { err, errAsync, ok, okAsync, ResultAsync } from 'neverthrow';
import type { ErrorTag, IntegrationError } from '@openai-integration/core';
import { createManualClock } from '@openai-integration/core';
import { createRecordingLogger } from '../../test/support/recording-logger.ts';
import { sampleError, rateLimited, unavailable } from '../../test/support/sample-errors.ts';
import { scripted } from '../../test/support/scripted-operation.ts';
import { seededRandom } from '../../test/support/seeded-random.ts';
import type { GiveUpEvent, RetryEvent, SuccessEvent } from './retry-options.ts';
import { withRetry } from './with-retry.ts';

const failing = { err: unavailable() };

describe('withRetry', () => {
  it('waits exactly 1, 2, 4, 8, 16 and 32 seconds with jitter off, then returns the last error with attempts: 7', async () => {
    const clock = createManualClock();
    const operation = scripted<string>(clock, [failing]);
    const delays: number[] = [];
    const pending = withRetry(operation, { clock, jitter: 'none', onRetry: (event) => delays.push(event.delayMs) });
    await clock.runAll();
    const result = await pending;

    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(operation.calls.map((call) => call.at)).toEqual([0, 1_000, 3_000, 7_000, 15_000, 31_000, 63_000]);
    expect(operation.calls.map((call) => call.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result._unsafeUnwrapErr()).toMatchObject({ _tag: 'ServiceUnavailableError', attempts: 7 });
  });

  it('returns the value of the first successful attempt', async () => {
    const clock = createManualClock();
    const operation = scripted(clock, [failing, failing, { ok: 'done' }]);
    const successes: SuccessEvent[] = [];
    const pending = withRetry(operation, { clock, jitter: 'none', onSuccess: (event) => successes.push(event) });
    await clock.runAll();

    expect(await pending).toEqual(ok('done'));
    expect(successes).toEqual([{ key: 'default', attempts: 3, elapsedMs: 3_000 }]);
  });

  it.each([
    ['full', 0, 1],
    ['equal', 0.5, 1],
  ] as const)('keeps %s jitter delays inside [%f × nominal, %f × nominal)', async (jitter, low, high) => {
    const clock = createManualClock();
    const delays: number[] = [];
    const pending = withRetry(scripted(clock, [failing]), {
      clock,
      jitter,
      random: seededRandom(7),
      onRetry: (event) => delays.push(event.delayMs),
    });
    await clock.runAll();
    await pending;

    const nominal = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];
    expect(delays).toHaveLength(6);
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(low * nominal[index]!);
      expect(delay).toBeLessThan(high * nominal[index]!);
    });
  });

  it('keeps decorrelated jitter delays between the nominal delay and three times the previous one, capped at 32 s', async () => {
    const clock = createManualClock();
    const delays: number[] = [];
    const pending = withRetry(scripted(clock, [failing]), {
      clock,
      jitter: 'decorrelated',
      random: seededRandom(11),
      onRetry: (event) => delays.push(event.delayMs),
    });
    await clock.runAll();
    await pending;

    const nominal = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];
    delays.forEach((delay, index) => {
      const previous = index === 0 ? 0 : delays[index - 1]!;
      expect(delay).toBeGreaterThanOrEqual(nominal[index]!);
      expect(delay).toBeLessThanOrEqual(Math.min(32_000, Math.max(nominal[index]!, 3 * previous)));
    });
  });

  it('is reproducible with the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const clock = createManualClock();
      const delays: number[] = [];
      const pending = withRetry(scripted(clock, [failing]), {
        clock,
        random: seededRandom(42),
        onRetry: (event) => delays.push(event.delayMs),
      });
      await clock.runAll();
      await pending;
      return delays;
    };
    expect(await run()).toEqual(await run());
  });

  it('waits the server hint instead of the backoff when it is within the cap', async () => {
    const clock = createManualClock();
    const operation = scripted(clock, [{ err: rateLimited(45_000) }, { ok: 'sent' }]);
    const events: RetryEvent[] = [];
    const pending = withRetry(operation, { clock, onRetry: (event) => events.push(event) });
    await clock.runAll();

    expect(await pending).toEqual(ok('sent'));
    expect(operation.calls.map((call) => call.at)).toEqual([0, 45_000]);
    expect(events[0]).toMatchObject({ attempt: 1, delayMs: 45_000, fromRetryAfter: true });
  });

  it('gives up at once with the hint intact when the server asks for longer than the cap', async () => {
    const clock = createManualClock();
    const operation = scripted(clock, [{ err: rateLimited(90_000) }]);
    const giveUps: GiveUpEvent[] = [];
    const pending = withRetry(operation, { clock, onGiveUp: (event) => giveUps.push(event) });
    await clock.runAll();
    const error = (await pending)._unsafeUnwrapErr();

    expect(operation.calls).toHaveLength(1);
    expect(clock.now()).toBe(0);
    expect(error).toMatchObject({ _tag: 'RateLimitError', retryAfterMs: 90_000, attempts: 1 });
    expect(giveUps.map((event) => event.reason)).toEqual(['retry-after-too-long']);
  });

  it('honours a custom hint cap', async () => {
    const clock = createManualClock();
    const pending = withRetry(scripted(clock, [{ err: rateLimited(5_000) }]), { clock, maxRetryAfterMs: 1_000 });
    await clock.runAll();
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ retryAfterMs: 5_000, attempts: 1 });
  });

  const neverRetried: readonly ErrorTag[] = [
    'BadRequestError',
    'AuthenticationError',
    'PermissionDeniedError',
    'NotFoundError',
    'UnprocessableEntityError',
    'QuotaExceededError',
    'ValidationError',
    'BudgetExceededError',
    'AbortedError',
    'CircuitOpenError',
  ];
  it.each(neverRetried)('does not retry %s', async (tag) => {
    const clock = createManualClock();
    const operation = scripted(clock, [{ err: sampleError(tag) }]);
    const pending = withRetry(operation, { clock });
    await clock.runAll();

    expect(operation.calls).toHaveLength(1);
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ _tag: tag, attempts: 1 });
  });

  it('does not retry a ConflictError the server marked non-retryable, and retries one marked retryable', async () => {
    const clock = createManualClock();
    const marked = scripted(clock, [{ err: sampleError('ConflictError', { retryable: false }) }]);
    const plain = scripted(clock, [{ err: sampleError('ConflictError') }, { ok: 1 }]);
    const first = withRetry(marked, { clock });
    const second = withRetry(plain, { clock, jitter: 'none' });
    await clock.runAll();

    expect(marked.calls).toHaveLength(1);
    expect((await first)._unsafeUnwrapErr()).toMatchObject({ _tag: 'ConflictError', attempts: 1 });
    expect(await second).toEqual(ok(1));
  });

  it('retries any error whose retryable flag is true, so the operation decides (e.g. nothing streamed yet)', async () => {
    const clock = createManualClock();
    const operation = scripted(clock, [{ err: sampleError('BadRequestError', { retryable: true }) }, { ok: 'ok' }]);
    const pending = withRetry(operation, { clock });
    await clock.runAll();
    expect(await pending).toEqual(ok('ok'));
  });

  it('stops after maxRetries retries', async () => {
    const clock = createManualClock();
    const operation = scripted(clock, [failing]);
    const pending = withRetry(operation, { clock, maxRetries: 2 });
    await clock.runAll();
    expect(operation.calls).toHaveLength(3);
    expect((await pending)._unsafeUnwrapErr().attempts).toBe(3);
  });

  it('aborts a waiting retry at once with AbortedError', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const operation = scripted(clock, [failing]);
    const pending = withRetry(operation, { clock, jitter: 'none', signal: controller.signal });
    await clock.advance(500);
    controller.abort('user cancelled');
    const result = await pending;

    expect(clock.now()).toBe(500);
    expect(operation.calls).toHaveLength(1);
    expect(result._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', reason: 'user cancelled', attempts: 1 });
    expect(clock.pending()).toBe(0);
  });

  it('aborts a running attempt at once and aborts its signal', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const operation = scripted(clock, ['hang']);
    const pending = withRetry(operation, { clock, signal: controller.signal });
    await clock.flush();
    controller.abort(new Error('shutting down'));

    expect((await pending)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'AbortedError',
      reason: 'shutting down',
      attempts: 1,
    });
    expect(operation.calls[0]!.signal.aborted).toBe(true);
  });

  it('does not call the operation when the signal is already aborted', async () => {
    const clock = createManualClock();
    const operation = scripted(clock, [{ ok: 1 }]);
    const result = await withRetry(operation, { clock, signal: AbortSignal.abort() });
    expect(operation.calls).toHaveLength(0);
    expect(result._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', attempts: 0 });
  });

  it('times out an attempt, aborts its signal and retries it', async () => {
    const clock = createManualClock();
    const operation = scripted(clock, ['hang', { ok: 'second' }]);
    const events: RetryEvent[] = [];
    const pending = withRetry(operation, {
      clock,
      jitter: 'none',
      attemptTimeoutMs: 5_000,
      onRetry: (event) => events.push(event),
    });
    await clock.runAll();

    expect(await pending).toEqual(ok('second'));
    expect(operation.calls[0]!.signal.aborted).toBe(true);
    expect(operation.calls.map((call) => call.at)).toEqual([0, 6_000]);
    expect(events[0]!.error).toMatchObject({ _tag: 'TimeoutError', kind: 'attempt', timeoutMs: 5_000 });
  });

  it('ends a running attempt at the deadline with TimeoutError kind deadline, carrying the last error as cause', async () => {
    const clock = createManualClock();
    const operation = scripted(clock, [failing, 'hang']);
    const pending = withRetry(operation, { clock, jitter: 'none', deadlineMs: 10_000 });
    await clock.runAll();
    const error = (await pending)._unsafeUnwrapErr();

    expect(clock.now()).toBe(10_000);
    expect(error).toMatchObject({
      _tag: 'TimeoutError',
      kind: 'deadline',
      timeoutMs: 10_000,
      retryable: false,
      attempts: 2,
    });
    expect(error.message).toBe(
      'deadline of 10000 ms passed during attempt 2; last error: ServiceUnavailableError: overloaded',
    );
    expect(error.cause).toMatchObject({ _tag: 'ServiceUnavailableError' });
    expect(operation.calls[1]!.signal.aborted).toBe(true);
  });

  it('gives up at once when the next wait would end after the deadline', async () => {
    const clock = createManualClock();
    const operation = scripted(clock, [failing]);
    const giveUps: GiveUpEvent[] = [];
    const pending = withRetry(operation, {
      clock,
      jitter: 'none',
      deadlineMs: 5_000,
      onGiveUp: (event) => giveUps.push(event),
    });
    await clock.runAll();
    const error = (await pending)._unsafeUnwrapErr();

    // attempts at 0, 1 s and 3 s; the next wait (4 s) would end at 7 s.
    expect(operation.calls.map((call) => call.at)).toEqual([0, 1_000, 3_000]);
    expect(clock.now()).toBe(3_000);
    expect(error).toMatchObject({ _tag: 'TimeoutError', kind: 'deadline', attempts: 3 });
    expect(giveUps.map((event) => event.reason)).toEqual(['deadline']);
  });

  it('says how many attempts ran and how long, and which wait would have passed the deadline, when it stops early', async () => {
    const clock = createManualClock();
    const operation = (): ResultAsync<string, IntegrationError> =>
      new ResultAsync(clock.sleep(340).then(() => err(unavailable())));
    const pending = withRetry(operation, { clock, random: () => 0, deadlineMs: 1_500 });
    await clock.runAll();
    const error = (await pending)._unsafeUnwrapErr();

    // Attempts from 0 to 340 ms, a wait of 500 ms, then from 840 to 1180 ms; the next wait (1000 ms) would end at 2180 ms.
    expect(error).toMatchObject({ _tag: 'TimeoutError', kind: 'deadline', timeoutMs: 1_500, attempts: 2 });
    expect(error.message).toBe(
      'stopped after 2 attempts in 1180 ms: the next retry in 1000 ms would pass the 1500 ms deadline; last error: ServiceUnavailableError: overloaded',
    );
    expect(clock.now()).toBe(1_180);
  });

  it('gives up at the deadline when a server hint would wait past it', async () => {
    const clock = createManualClock();
    const pending = withRetry(scripted(clock, [{ err: rateLimited(20_000) }]), { clock, deadlineMs: 10_000 });
    await clock.runAll();
    const error = (await pending)._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'TimeoutError', kind: 'deadline', attempts: 1 });
    expect(error.message).toBe(
      'stopped after 1 attempt in 0 ms: the next retry in 20000 ms (as the server asked) would pass the 10000 ms deadline; last error: RateLimitError: rate limited',
    );
  });

  it('fails with CircuitOpenError that names and carries the last real error when a retry meets an open circuit', async () => {
    const clock = createManualClock();
    const refusal = sampleError('CircuitOpenError', {
      key: 'chat:gpt-4o',
      retryAfterMs: 25_000,
      message: 'circuit chat:gpt-4o is open; next probe in 25000 ms',
    });
    const lost = sampleError('ConnectionError', {
      message: 'could not reach the API (ECONNREFUSED): check OPENAI_BASE_URL and the network',
    });
    const pending = withRetry(scripted(clock, [{ err: unavailable() }, { err: lost }, { err: refusal }]), {
      clock,
      jitter: 'none',
    });
    await clock.runAll();
    const error = (await pending)._unsafeUnwrapErr();

    expect(error).toMatchObject({
      _tag: 'CircuitOpenError',
      key: 'chat:gpt-4o',
      retryAfterMs: 25_000,
      retryable: false,
      attempts: 3,
    });
    expect(error.message).toBe(
      'circuit chat:gpt-4o is open; next probe in 25000 ms; retry 2 of the call was refused after 2 attempts that failed; last error: ConnectionError: could not reach the API (ECONNREFUSED): check OPENAI_BASE_URL and the network',
    );
    expect(error.cause).toBe(lost);
    // An open circuit met by the first attempt has no earlier error to name.
    const first = await withRetry(scripted(clock, [{ err: refusal }]), { clock });
    expect(first._unsafeUnwrapErr()).toEqual({ ...refusal, attempts: 1 });
  });

  it('logs each retry at debug and the give-up at warn, without payloads', async () => {
    const clock = createManualClock();
    const logger = createRecordingLogger();
    const secret = sampleError('InternalServerError', { requestId: 'req_1' });
    const pending = withRetry(scripted(clock, [{ err: secret }]), {
      clock,
      logger,
      maxRetries: 2,
      jitter: 'none',
      key: 'chat:gpt-4o',
    });
    await clock.runAll();
    await pending;

    expect(logger.lines.map((line) => [line.level, line.message])).toEqual([
      ['debug', 'retrying'],
      ['debug', 'retrying'],
      ['warn', 'giving up'],
    ]);
    expect(logger.lines[0]!.fields).toEqual({
      key: 'chat:gpt-4o',
      attempt: 1,
      delayMs: 1_000,
      tag: 'InternalServerError',
      retryable: true,
      status: 500,
      requestId: 'req_1',
    });
    expect(logger.lines[2]!.fields).toMatchObject({ key: 'chat:gpt-4o', attempts: 3, reason: 'retries-exhausted' });
  });

  it('logs an abort at debug, not warn', async () => {
    const logger = createRecordingLogger();
    await withRetry(() => okAsync(1), { logger, signal: AbortSignal.abort() });
    expect(logger.lines.map((line) => line.level)).toEqual(['debug']);
  });

  it('keeps going when a hook throws, and logs that it did', async () => {
    const clock = createManualClock();
    const logger = createRecordingLogger();
    const pending = withRetry(scripted(clock, [failing, { ok: 2 }]), {
      clock,
      logger,
      onRetry: () => {
        throw new Error('broken listener');
      },
    });
    await clock.runAll();
    expect(await pending).toEqual(ok(2));
    expect(logger.lines.some((line) => line.level === 'error' && line.fields['hook'] === 'onRetry')).toBe(true);
  });

  it('rejects when the operation throws, since that breaks its contract', async () => {
    const pending = withRetry(() => {
      throw new Error('bug');
    });
    await expect(pending).rejects.toThrow('bug');
  });

  it('runs on the real clock by default', async () => {
    const result = await withRetry(() => errAsync<number, IntegrationError>(unavailable()), { maxRetries: 0 });
    expect(result._unsafeUnwrapErr()).toMatchObject({ attempts: 1 });
  });

  it.each([
    [{ maxRetries: -1 }],
    [{ maxRetries: 1.5 }],
    [{ maxRetryAfterMs: -1 }],
    [{ deadlineMs: 0 }],
    [{ attemptTimeoutMs: -5 }],
    [{ baseDelayMs: -1 }],
    [{ factor: 0.5 }],
    [{ maxDelayMs: Number.NaN }],
  ])('throws a TypeError for impossible options %o', (options) => {
    expect(() => withRetry(() => okAsync(1), options)).toThrow(TypeError);
  });
});
