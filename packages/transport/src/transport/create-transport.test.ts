import { describe, expect, it } from 'vitest';
import { errAsync, ok, okAsync, ResultAsync } from 'neverthrow';
import { toRateLimitSnapshot, type IntegrationError } from '@openai-integration/core';
import { createManualClock } from '@openai-integration/core';
import { createRecordingLogger } from '../../test/support/recording-logger.ts';
import { rateLimited, sampleError, unavailable } from '../../test/support/sample-errors.ts';
import { asyncBudgetStore } from '../../test/support/async-budget-store.ts';
import { scripted } from '../../test/support/scripted-operation.ts';
import type { BreakerRecord } from '../breaker/circuit-state.ts';
import type { RetryEvent } from '../retry/retry-options.ts';
import { createTransport } from './create-transport.ts';

describe('createTransport', () => {
  it('retries a failing call with the default schedule and returns the value', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, retry: { jitter: 'none' }, breaker: { consecutiveFailures: 10 } });
    const operation = scripted(clock, [{ err: unavailable() }, { err: unavailable() }, { ok: 'answer' }]);
    const pending = transport.execute(operation, { key: 'chat:gpt-4o' });
    await clock.runAll();

    expect(await pending).toEqual(ok('answer'));
    expect(operation.calls.map((call) => call.at)).toEqual([0, 1_000, 3_000]);
  });

  it('stops retrying once other calls open the breaker, returning CircuitOpenError that names and carries the last real error', async () => {
    const clock = createManualClock();
    const transport = createTransport({
      clock,
      retry: { jitter: 'none' },
      breaker: { consecutiveFailures: 2, openDurationMs: 60_000 },
    });
    const retried = scripted(clock, [
      { err: sampleError('ConnectionError', { message: 'could not reach the API: check OPENAI_BASE_URL' }) },
    ]);
    const pending = transport.execute(retried, { key: 'chat' });
    await clock.flush();
    // A second call fails too: two calls in a row open the circuit before the first one retries.
    await transport.execute(() => errAsync(unavailable()), { key: 'chat', retry: { maxRetries: 0 } });
    await clock.runAll();
    const error = (await pending)._unsafeUnwrapErr();

    expect(retried.calls).toHaveLength(1);
    expect(error).toMatchObject({
      _tag: 'CircuitOpenError',
      key: 'chat',
      attempts: 2,
      retryAfterMs: 59_000,
      retryable: false,
    });
    expect(error.message).toBe(
      'circuit chat is open; next probe in 59000 ms; retry 1 of the call was refused after 1 attempt that failed; last error: ConnectionError: could not reach the API: check OPENAI_BASE_URL',
    );
    expect(error.cause).toMatchObject({ _tag: 'ConnectionError', code: 'ECONNRESET' });
    expect(await transport.breakers.get('chat').state()).toMatchObject({ type: 'open' });
  });

  it("never lets a call's own retries open its circuit, whatever the breaker settings", async () => {
    const clock = createManualClock();
    const transport = createTransport({
      clock,
      retry: { jitter: 'none', maxRetries: 6 },
      breaker: { consecutiveFailures: 2, minimumCalls: 2, failureRateThreshold: 0.1 },
    });
    const operation = scripted(clock, [{ err: sampleError('ConnectionError') }]);
    const pending = transport.execute(operation, { key: 'chat' });
    await clock.runAll();
    const error = (await pending)._unsafeUnwrapErr();

    expect(operation.calls).toHaveLength(7);
    expect(error).toMatchObject({ _tag: 'ConnectionError', attempts: 7 });
    expect(await transport.breakers.get('chat').snapshot()).toMatchObject({
      state: { type: 'closed' },
      calls: 1,
      failures: 1,
    });
  });

  it('fails fast while the circuit is open without waiting for pacing', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, breaker: { consecutiveFailures: 1 } });
    await transport.execute(() => errAsync(unavailable()), { key: 'k', retry: { maxRetries: 0 } });
    await transport.limiter.observe(
      'k',
      toRateLimitSnapshot(
        new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20s' }),
        0,
      )!,
    );
    const result = await transport.execute(() => okAsync(1), { key: 'k' });
    expect(result._unsafeUnwrapErr()).toMatchObject({ _tag: 'CircuitOpenError' });
    expect(clock.now()).toBe(0);
  });

  it('waits for the rate-limit reset before the attempt, without counting the wait against the attempt timeout', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, attemptTimeoutMs: 1_000 });
    await transport.limiter.observe(
      'k',
      toRateLimitSnapshot(
        new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '5s' }),
        0,
      )!,
    );
    const operation = scripted(clock, [{ ok: 'fine' }]);
    const pending = transport.execute(operation, { key: 'k' });
    await clock.runAll();
    expect(await pending).toEqual(ok('fine'));
    expect(operation.calls.map((call) => call.at)).toEqual([5_000]);
  });

  it('refuses a call that pacing would hold back too long, and does not retry it', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, pacing: { maxWaitMs: 1_000 } });
    await transport.limiter.observe(
      'k',
      toRateLimitSnapshot(new Headers({ 'x-ratelimit-remaining-tokens': '10', 'x-ratelimit-reset-tokens': '1m' }), 0)!,
    );
    const operation = scripted(clock, [{ ok: 1 }]);
    const result = await transport.execute(operation, { key: 'k', estimate: 500 });
    expect(operation.calls).toHaveLength(0);
    expect(result._unsafeUnwrapErr()).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'client',
      retryAfterMs: 60_000,
      attempts: 1,
    });
    expect(await transport.breakers.get('k').snapshot()).toMatchObject({ calls: 0, state: { type: 'closed' } });
  });

  it('after a server 429, retries after the hint and holds back other callers of the key until then', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock });
    const first = scripted(clock, [{ err: rateLimited(4_000) }, { ok: 'first' }]);
    const second = scripted(clock, [{ ok: 'second' }]);
    const pendingFirst = transport.execute(first, { key: 'k' });
    await clock.flush();
    const pendingSecond = transport.execute(second, { key: 'k' });
    await clock.runAll();

    expect(await pendingFirst).toEqual(ok('first'));
    expect(await pendingSecond).toEqual(ok('second'));
    expect(first.calls.map((call) => call.at)).toEqual([0, 4_000]);
    expect(second.calls.map((call) => call.at)).toEqual([4_000]);
  });

  it('times out an attempt, counts it against the breaker once for the call and retries it', async () => {
    const clock = createManualClock();
    const events: RetryEvent[] = [];
    const transport = createTransport({
      clock,
      attemptTimeoutMs: 2_000,
      retry: { jitter: 'none', onRetry: (event) => events.push(event) },
    });
    const operation = scripted(clock, ['hang', { ok: 'ok' }]);
    const pending = transport.execute(operation, { key: 'k' });
    await clock.runAll();
    expect(await pending).toEqual(ok('ok'));
    expect(operation.calls[0]!.signal.aborted).toBe(true);
    expect(events[0]!.error).toMatchObject({ _tag: 'TimeoutError', kind: 'attempt' });
    expect(await transport.breakers.get('k').snapshot()).toMatchObject({ calls: 1, failures: 1 });
  });

  it('refuses at once, with the wait it needed, a call that pacing cannot send before its deadline, and leaves the breaker alone', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, deadlineMs: 3_000 });
    await transport.limiter.observe(
      'k',
      toRateLimitSnapshot(
        new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '10s' }),
        0,
      )!,
    );
    const operation = scripted(clock, [{ ok: 1 }]);
    const result = await transport.execute(operation, { key: 'k' });
    expect(result._unsafeUnwrapErr()).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'client',
      retryable: false,
      retryAfterMs: 10_000,
      attempts: 1,
    });
    expect(result._unsafeUnwrapErr().message).toContain('later than its deadline allows');
    expect(clock.now()).toBe(0);
    expect(operation.calls).toHaveLength(0);
    expect(await transport.breakers.get('k').snapshot()).toMatchObject({ calls: 0, state: { type: 'closed' } });
  });

  it('lets a call wait for the budget as long as its deadline allows, then sends it', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock });
    await transport.limiter.observe(
      'k',
      toRateLimitSnapshot(
        new Headers({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0' }),
        0,
      )!,
    );
    const operations = [scripted(clock, [{ ok: 'first' }]), scripted(clock, [{ ok: 'second' }])];
    const pending = Promise.all(
      operations.map((operation) => transport.execute(operation, { key: 'k', deadlineMs: 2_500 })),
    );
    await clock.runAll();
    expect(await pending).toEqual([ok('first'), ok('second')]);
    expect(operations.map((operation) => operation.calls[0]?.at)).toEqual([1_000, 2_000]);
  });

  it('after a 429 with an hour-long retry hint, ends that call with the hint intact and pauses the key for the capped minute only', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock });
    const patient = createTransport({ clock, pacing: { maxWaitMs: 60_000 } });
    for (const each of [transport, patient]) {
      const first = await each.execute(() => errAsync(rateLimited(3_600_000)), { key: 'k' });
      expect(first._unsafeUnwrapErr()).toMatchObject({
        _tag: 'RateLimitError',
        origin: 'server',
        retryAfterMs: 3_600_000,
        attempts: 1,
      });
    }
    const refused = await transport.execute(() => okAsync('sent'), { key: 'k' });
    expect(refused._unsafeUnwrapErr()).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'client',
      retryAfterMs: 60_000,
    });
    const waiting = scripted(clock, [{ ok: 'sent' }]);
    const pending = patient.execute(waiting, { key: 'k' });
    await clock.runAll();
    expect(await pending).toEqual(ok('sent'));
    expect(waiting.calls.map((call) => call.at)).toEqual([60_000]);
  });

  it('settles the token estimate against the usage a successful attempt reports, on the direct path and the full one', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, pacing: { limitsFor: () => ({ tokens: 1_000 }) } });
    const answer = { text: 'hi', usage: 100 };
    expect(
      await transport.execute(() => okAsync(answer), { key: 'k', estimate: 900, usageOf: (value) => value.usage }),
    ).toEqual(ok(answer));
    const signal = new AbortController().signal;
    expect(
      await transport.execute(() => okAsync(answer), {
        key: 'k',
        estimate: 800,
        signal,
        usageOf: (value) => value.usage,
      }),
    ).toEqual(ok(answer));
    expect(await transport.execute(() => okAsync(answer), { key: 'k', estimate: 100, usageOf: () => null })).toEqual(
      ok(answer),
    );
    expect((await transport.limiter.budget('k'))?.tokens.remaining).toBe(700);
  });

  it('applies per-call overrides of retries, deadline and attempt timeout', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock });
    const once = scripted(clock, [{ err: unavailable() }]);
    const pendingOnce = transport.execute(once, { retry: { maxRetries: 0 } });
    const slow = scripted(clock, ['hang']);
    const pendingSlow = transport.execute(slow, { key: 'slow', attemptTimeoutMs: 100, deadlineMs: 150 });
    await clock.runAll();
    expect(once.calls).toHaveLength(1);
    expect((await pendingOnce)._unsafeUnwrapErr()).toMatchObject({ attempts: 1 });
    expect((await pendingSlow)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'TimeoutError',
      kind: 'deadline',
      attempts: 1,
    });
  });

  it('aborts a call at once when its signal aborts', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock });
    const controller = new AbortController();
    const pending = transport.execute(scripted(clock, ['hang']), { signal: controller.signal });
    await clock.flush();
    controller.abort();
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', attempts: 1 });
    expect(await transport.breakers.get('default').snapshot()).toMatchObject({ calls: 0 });
  });

  it('runs without breaker and pacing when they are switched off', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, breaker: false, pacing: false, retry: { maxRetries: 0 } });
    for (let index = 0; index < 10; index += 1) await transport.execute(() => errAsync(unavailable()));
    await transport.limiter.observeError('default', rateLimited(9_000));
    expect(await transport.execute(() => okAsync('through'))).toEqual(ok('through'));
    expect(transport.breakers.keys()).toEqual([]);
  });

  it('refuses a call when the bulkhead queue is full', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, bulkhead: { maxConcurrent: 1, maxQueued: 0 } });
    const first = transport.execute(scripted(clock, ['hang']), { attemptTimeoutMs: 1_000, retry: { maxRetries: 0 } });
    await clock.flush();
    const second = await transport.execute(() => okAsync(2));
    expect(second._unsafeUnwrapErr()).toMatchObject({ _tag: 'RateLimitError', origin: 'client' });
    await clock.runAll();
    expect((await first)._unsafeUnwrapErr()).toMatchObject({ _tag: 'TimeoutError' });
  });

  it("never counts an attempt that the caller's abort or the deadline cut short, nor one the bulkhead refused, even when every error would count", async () => {
    const clock = createManualClock();
    const transport = createTransport({
      clock,
      breaker: { isFailure: () => true, consecutiveFailures: 1 },
      bulkhead: { maxConcurrent: 1, maxQueued: 0 },
    });
    const controller = new AbortController();
    const aborted = transport.execute(scripted(clock, ['hang']), { key: 'k', signal: controller.signal });
    await clock.flush();
    const refused = await transport.execute(() => okAsync(1), { key: 'k' });
    controller.abort('caller went away');
    expect((await aborted)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError' });
    expect(refused._unsafeUnwrapErr()).toMatchObject({ _tag: 'RateLimitError', origin: 'client' });
    const timedOut = transport.execute(scripted(clock, ['hang']), { key: 'k', deadlineMs: 1_000 });
    await clock.runAll();
    expect((await timedOut)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'TimeoutError',
      kind: 'deadline',
      message: 'deadline of 1000 ms passed during attempt 1',
    });
    expect(await transport.breakers.get('k').snapshot()).toMatchObject({ state: { type: 'closed' }, calls: 0 });
  });

  it('keeps at most maxKeys breakers however many keys calls bring, and forgets idle ones on its clock', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, breaker: { maxKeys: 100, idleMs: 60_000 } });
    for (let index = 0; index < 1_000; index += 1)
      await transport.execute(() => okAsync(index), { key: `chat:model-${index}` });
    expect(transport.breakers.keys()).toHaveLength(100);
    expect(transport.breakers.keys()[0]).toBe('chat:model-900');
    await clock.advance(60_000);
    expect(transport.breakers.keys()).toEqual([]);
    // A forgotten key works as before, on the direct path and with retries.
    const pending = transport.execute(scripted(clock, [{ err: unavailable() }, { ok: 'again' }]), {
      key: 'chat:model-5',
    });
    await clock.runAll();
    expect(await pending).toEqual(ok('again'));
    expect(await transport.breakers.get('chat:model-5').snapshot()).toMatchObject({ calls: 1, failures: 1 });
  });

  it('releases the breaker probe when pacing refuses the call', async () => {
    const clock = createManualClock();
    const transport = createTransport({
      clock,
      breaker: { consecutiveFailures: 1, openDurationMs: 1_000 },
      pacing: { maxWaitMs: 0 },
    });
    await transport.execute(() => errAsync(unavailable()), { key: 'k', retry: { maxRetries: 0 } });
    await clock.advance(1_000);
    await transport.limiter.observeError('k', rateLimited(500));
    expect((await transport.execute(() => okAsync(1), { key: 'k' }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'client',
    });
    expect(await transport.breakers.get('k').state()).toMatchObject({ type: 'half-open', probesInFlight: 0 });
  });

  it('releases the breaker permit and rejects when the operation throws', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, breaker: { halfOpenMaxProbes: 1 } });
    await expect(
      transport.execute(() => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(await transport.execute(() => okAsync(1))).toEqual(ok(1));
  });

  it('runs many items through the same policies with runAll, keeping every success', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, retry: { jitter: 'none' } });
    const estimates: number[] = [];
    const tries = new Map<string, number>();
    const pending = transport.runAll(
      ['a', 'bb', 'ccc'],
      (item, context) => {
        tries.set(item, context.attempt);
        return item === 'bb' && context.attempt === 1
          ? errAsync<string, IntegrationError>(unavailable())
          : okAsync(item.toUpperCase());
      },
      {
        concurrency: 2,
        key: 'embeddings',
        estimate: (item) => {
          estimates.push(item.length);
          return item.length;
        },
      },
    );
    await clock.runAll();
    const report = await pending;
    expect(report.results).toEqual([ok('A'), ok('BB'), ok('CCC')]);
    expect(report.summary).toMatchObject({ total: 3, succeeded: 3, retried: 1, attempts: 4 });
    expect(estimates).toEqual([1, 2, 3]);
    expect(transport.breakers.keys()).toEqual(['embeddings']);
  });

  it('runs items with the default options too', async () => {
    const transport = createTransport();
    const report = await transport.runAll([1, 2], (item) => okAsync(item));
    expect(report.summary.succeeded).toBe(2);
  });

  it('logs through the given logger', async () => {
    const clock = createManualClock();
    const logger = createRecordingLogger();
    const transport = createTransport({ clock, logger, retry: { maxRetries: 1 }, breaker: { consecutiveFailures: 1 } });
    const pending = transport.execute(() => errAsync(unavailable()));
    await clock.runAll();
    await pending;
    expect(logger.lines.map((line) => `${line.level} ${line.message}`)).toEqual([
      'warn circuit opened',
      'debug retrying',
      'warn giving up',
    ]);
  });

  it('uses the real clock by default', async () => {
    const transport = createTransport();
    expect(await transport.execute(() => new ResultAsync(Promise.resolve(ok('real'))))).toEqual(ok('real'));
  });

  it.each([
    { deadlineMs: 0 },
    { attemptTimeoutMs: -1 },
    { retry: { maxRetries: -1 } },
    { breaker: { minimumCalls: 0 } },
    { pacing: { maxWaitMs: -1 } },
    { bulkhead: { maxConcurrent: 0 } },
  ])('throws a TypeError for out-of-range options %o', (options) => {
    expect(() => createTransport(options)).toThrow(TypeError);
  });

  it('throws a TypeError for a runAll concurrency below 1', () => {
    expect(() => createTransport().runAll([1], () => okAsync(1), { concurrency: 0 })).toThrow(TypeError);
  });

  it('passes sample errors of every retryable kind through unchanged apart from attempts', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, retry: { maxRetries: 0 } });
    const error = sampleError('StreamInterruptedError', { retryable: false });
    expect((await transport.execute(() => errAsync(error)))._unsafeUnwrapErr()).toEqual({ ...error, attempts: 1 });
  });

  it('tells each attempt its timeout, and whether anything but the timeout can abort it', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, attemptTimeoutMs: 5_000 });
    const seen: unknown[] = [];
    const record = (_signal: AbortSignal, _attempt: number, info: unknown) => {
      seen.push(info);
      return okAsync(1);
    };
    await transport.execute(record);
    await transport.execute(record, { attemptTimeoutMs: 700 });
    await transport.execute(record, { signal: new AbortController().signal });
    await transport.execute(record, { deadlineMs: 60_000 });
    await createTransport({ clock, deadlineMs: 30_000 }).execute(record);
    expect(seen).toEqual([
      { timeoutMs: 5_000, cancellable: false },
      { timeoutMs: 700, cancellable: false },
      { timeoutMs: 5_000, cancellable: true },
      { timeoutMs: 5_000, cancellable: true },
      { timeoutMs: 600_000, cancellable: true },
    ]);
  });

  it('ends an attempt at its timeout even when the operation leaves its signal unused', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, attemptTimeoutMs: 1_000, retry: { maxRetries: 0 } });
    const pending = transport.execute(() => new Promise<never>(() => undefined));
    await clock.advance(1_000);
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'TimeoutError',
      kind: 'attempt',
      timeoutMs: 1_000,
      attempts: 1,
    });
    expect(clock.pending()).toBe(0);
  });

  it('feeds the rate-limit snapshot of a successful attempt to the pacer, whether or not the call can be aborted', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock });
    const exhausted = toRateLimitSnapshot(
      new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' }),
      0,
    )!;
    const answer = { text: 'hi', rateLimit: exhausted };
    expect(
      await transport.execute(() => okAsync(answer), { key: 'direct', rateLimitOf: (value) => value.rateLimit }),
    ).toEqual(ok(answer));
    const signal = new AbortController().signal;
    expect(
      await transport.execute(() => okAsync(answer), {
        key: 'abortable',
        signal,
        rateLimitOf: (value) => value.rateLimit,
      }),
    ).toEqual(ok(answer));
    expect(await transport.execute(() => okAsync(answer), { key: 'none', rateLimitOf: () => null })).toEqual(
      ok(answer),
    );

    // The next call of each key that was told "no request left" waits for the reset.
    const direct = scripted(clock, [{ ok: 'next' }]);
    const abortable = scripted(clock, [{ ok: 'next' }]);
    const unpaced = scripted(clock, [{ ok: 'next' }]);
    const pending = Promise.all([
      transport.execute(direct, { key: 'direct' }),
      transport.execute(abortable, { key: 'abortable', signal }),
      transport.execute(unpaced, { key: 'none' }),
    ]);
    await clock.runAll();
    expect(await pending).toEqual([ok('next'), ok('next'), ok('next')]);
    expect([direct.calls[0]?.at, abortable.calls[0]?.at, unpaced.calls[0]?.at]).toEqual([2_000, 2_000, 0]);
    expect(await transport.limiter.budget('none')).toBeUndefined();
  });

  it('reports a success to onSuccess with the attempts and the time since the call started, also after a failed first attempt', async () => {
    const clock = createManualClock();
    const successes: unknown[] = [];
    const transport = createTransport({
      clock,
      retry: { jitter: 'none', onSuccess: (event) => successes.push(event) },
    });
    const pending = transport.execute(scripted(clock, [{ err: unavailable() }, { ok: 'second' }]), { key: 'k' });
    await clock.runAll();
    expect(await pending).toEqual(ok('second'));
    expect(await transport.execute(() => okAsync('first'), { key: 'k' })).toEqual(ok('first'));
    expect(successes).toEqual([
      { key: 'k', attempts: 2, elapsedMs: 1_000 },
      { key: 'k', attempts: 1, elapsedMs: 0 },
    ]);
  });

  it('counts every outcome in the breaker window, and a failure after a long run of successes', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, retry: { maxRetries: 0 } });
    for (let index = 0; index < 105; index += 1) await transport.execute(() => okAsync(index), { key: 'k' });
    expect(await transport.breakers.get('k').snapshot()).toMatchObject({
      calls: 100,
      failures: 0,
      consecutiveFailures: 0,
    });
    await transport.execute(() => errAsync(unavailable()), { key: 'k' });
    expect(await transport.breakers.get('k').snapshot()).toMatchObject({
      calls: 100,
      failures: 1,
      consecutiveFailures: 1,
    });
    await transport.execute(() => okAsync('again'), { key: 'k' });
    expect(await transport.breakers.get('k').snapshot()).toMatchObject({
      calls: 100,
      failures: 1,
      consecutiveFailures: 0,
    });
  });

  it('counts slow successes as failures when the breaker has a slow-call threshold', async () => {
    const clock = createManualClock();
    const transport = createTransport({
      clock,
      retry: { maxRetries: 0 },
      breaker: { consecutiveFailures: 2, slowCallThresholdMs: 2_000 },
    });
    const slow = () => new ResultAsync(clock.sleep(3_000).then(() => ok('late')));
    for (let index = 0; index < 2; index += 1) {
      const pending = transport.execute(slow, { key: 'k' });
      await clock.runAll();
      expect(await pending).toEqual(ok('late'));
    }
    expect((await transport.execute(() => okAsync('fast'), { key: 'k' }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'CircuitOpenError',
    });
  });

  it('frees the bulkhead slot when an operation throws or rejects', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, bulkhead: { maxConcurrent: 1, maxQueued: 0 } });
    await expect(
      transport.execute(() => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    await expect(transport.execute(() => new ResultAsync(Promise.reject(new Error('late bug'))))).rejects.toThrow(
      'late bug',
    );
    expect(transport.bulkhead.running()).toBe(0);
    expect(await transport.execute(() => okAsync('free'))).toEqual(ok('free'));
  });

  it('keeps breaker and pacing state in stores that answer asynchronously', async () => {
    const clock = createManualClock();
    const slow = <Value>() => {
      const values = new Map<string, Value>();
      return {
        get: (key: string) => Promise.resolve(values.get(key)),
        set: (key: string, value: Value) => Promise.resolve(void values.set(key, value)),
      };
    };
    const transport = createTransport({
      clock,
      retry: { maxRetries: 0 },
      breaker: { store: slow() },
      pacing: { store: asyncBudgetStore({ clock }) },
    });
    const exhausted = toRateLimitSnapshot(
      new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '3s' }),
      0,
    )!;
    await transport.execute(() => errAsync(unavailable()), { key: 'k' });
    expect(await transport.execute(() => okAsync(exhausted), { key: 'k', rateLimitOf: (value) => value })).toEqual(
      ok(exhausted),
    );
    expect(await transport.breakers.get('k').snapshot()).toMatchObject({ calls: 2, failures: 1 });
    const next = scripted(clock, [{ ok: 'later' }]);
    const pending = transport.execute(next, { key: 'k' });
    await clock.runAll();
    expect(await pending).toEqual(ok('later'));
    expect(next.calls.map((call) => call.at)).toEqual([3_000]);
  });

  it('ends a call that waits for a bulkhead slot at once when its signal aborts, leaving the queue', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, bulkhead: { maxConcurrent: 1 } });
    void transport.execute(scripted(clock, ['hang']));
    const controller = new AbortController();
    const waiting = scripted(clock, [{ ok: 'never' }]);
    const queued = transport.execute(waiting, { signal: controller.signal });
    await clock.flush();
    expect(transport.bulkhead.queued()).toBe(1);
    controller.abort('no longer needed');
    expect((await queued)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', attempts: 1 });
    expect(transport.bulkhead.queued()).toBe(0);
    expect(transport.bulkhead.running()).toBe(1);
    expect(waiting.calls).toHaveLength(0);
  });

  it('gives back what an admission granted after its call was aborted while the store was answering', async () => {
    const clock = createManualClock();
    let answer: (() => void) | undefined;
    const values = new Map<string, BreakerRecord>();
    const heldStore = {
      get: (key: string) =>
        new Promise<BreakerRecord | undefined>((resolve) => {
          answer = () => {
            resolve(values.get(key));
          };
        }),
      set: (key: string, value: BreakerRecord) => {
        values.set(key, value);
      },
    };
    const transport = createTransport({ clock, breaker: { store: heldStore } });
    const controller = new AbortController();
    const operation = scripted(clock, [{ ok: 'never' }]);
    const pending = transport.execute(operation, { key: 'k', signal: controller.signal });
    await clock.flush();
    controller.abort('caller went away');
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await clock.flush();
    // The call waits for the store's answer before it ends, so that nothing it was granted stays taken.
    expect(settled).toBe(false);
    answer?.();
    expect((await pending)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', reason: 'caller went away' });
    expect(operation.calls).toHaveLength(0);
    expect(transport.bulkhead.running()).toBe(0);
    expect((await transport.limiter.budget('k'))?.inFlight ?? 0).toBe(0);
  });

  it('gives an abort without a reason no reason, whether the call was sending or waiting to retry', async () => {
    const clock = createManualClock();
    const transport = createTransport({ clock, retry: { jitter: 'none' } });
    const sending = new AbortController();
    const inFlight = transport.execute(scripted(clock, ['hang']), { signal: sending.signal });
    await clock.flush();
    sending.abort();
    const waiting = new AbortController();
    const backingOff = transport.execute(scripted(clock, [{ err: unavailable() }]), { signal: waiting.signal });
    await clock.flush();
    waiting.abort();
    const told = new AbortController();
    const withReason = transport.execute(scripted(clock, ['hang']), { signal: told.signal });
    await clock.flush();
    told.abort(new Error('user left'));
    expect((await inFlight)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'AbortedError',
      reason: null,
      message: 'the call was aborted',
    });
    expect((await backingOff)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', reason: null });
    expect((await withReason)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', reason: 'user left' });
  });

  it('throws a TypeError for an out-of-range attempt timeout of one call', () => {
    expect(() => createTransport().execute(() => okAsync(1), { attemptTimeoutMs: 0 })).toThrow(TypeError);
  });
});
