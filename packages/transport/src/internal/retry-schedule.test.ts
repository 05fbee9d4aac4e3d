import { withErrorFields, type IntegrationError } from '@openai-integration/core';
import { Clock, Effect, Fiber } from 'effect';
import { TestClock } from 'effect/testing';
import { describe, expect, it } from 'vitest';
import { sampleError, unavailable } from '../../test/support/sample-errors.ts';
import { jitterStrategies } from '../retry/jitter-strategies.ts';
import { retrySchedule, type RetrySettings, type ScheduleRun } from './retry-schedule.ts';

const settings: RetrySettings = {
  baseDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 32_000,
  jitter: jitterStrategies.none,
  maxRetries: 6,
  maxRetryAfterMs: 60_000,
};

function scheduleRun(overrides: Partial<ScheduleRun> = {}): ScheduleRun & { readonly waits: number[] } {
  const waits: number[] = [];
  return {
    random: () => 0.5,
    deadlineAt: Number.POSITIVE_INFINITY,
    retrying: (_error, _attempt, delayMs) => waits.push(delayMs),
    stop: undefined,
    refusedWait: undefined,
    ...overrides,
    waits,
  };
}

/**
 * Retries `errors` (one per attempt, the last repeating) on the schedule under
 * Effect's TestClock, moving it by `step` ms until the program ends; returns the
 * time of every attempt.
 */
function attemptTimes(
  errors: readonly IntegrationError[],
  run: ScheduleRun,
  options: { readonly settings?: RetrySettings; readonly step?: number; readonly until?: number } = {},
): Promise<number[]> {
  const times: number[] = [];
  const attempt = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    times.push(now);
    return Effect.fail(errors[Math.min(times.length, errors.length) - 1] ?? unavailable());
  });
  const program = Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(Effect.retry(attempt, retrySchedule(options.settings ?? settings, run)));
    const step = options.step ?? 1_000;
    for (let elapsed = 0; elapsed < (options.until ?? 200_000); elapsed += step) yield* TestClock.adjust(step);
    yield* Fiber.await(fiber);
    return times;
  });
  return Effect.runPromise(program.pipe(Effect.provide(TestClock.layer())));
}

describe('retrySchedule', () => {
  it('waits exactly 1, 2, 4, 8, 16 and 32 s with jitter off, then stops with retries exhausted', async () => {
    const run = scheduleRun();
    const times = await attemptTimes([unavailable()], run);
    expect(times).toEqual([0, 1_000, 3_000, 7_000, 15_000, 31_000, 63_000]);
    expect(run.waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(run.stop).toBe('retries-exhausted');
  });

  it('caps the nominal delay at maxDelayMs and jitters it with the configured strategy', async () => {
    const run = scheduleRun({ random: () => 0 });
    const capped = { ...settings, maxDelayMs: 3_000, jitter: jitterStrategies.equal, maxRetries: 4 };
    const times = await attemptTimes([unavailable()], run, { settings: capped, step: 250 });
    expect(run.waits).toEqual([500, 1_000, 1_500, 1_500]);
    expect(times).toEqual([0, 500, 1_500, 3_000, 4_500]);
  });

  it('waits the server hint instead of the backoff, and stops at once for a hint above the cap', async () => {
    const hinted = withErrorFields(sampleError('RateLimitError'), { retryAfterMs: 5_000 });
    const tooLong = withErrorFields(sampleError('RateLimitError'), { retryAfterMs: 3_600_000 });
    const run = scheduleRun();
    const times = await attemptTimes([hinted, unavailable(), tooLong], run);
    expect(times).toEqual([0, 5_000, 7_000]);
    expect(run.stop).toBe('retry-after-too-long');
  });

  it('continues only while the error is retryable', async () => {
    const run = scheduleRun();
    const times = await attemptTimes([unavailable(), sampleError('BadRequestError')], run);
    expect(times).toEqual([0, 1_000]);
    expect(run.stop).toBe('not-retryable');
  });

  it('stops when the next wait would end at or after the deadline, and says which wait', async () => {
    const run = scheduleRun({ deadlineAt: 3_000 });
    const times = await attemptTimes([unavailable()], run);
    expect(times).toEqual([0, 1_000]);
    expect(run.stop).toBe('deadline');
    expect(run.refusedWait).toEqual({ delayMs: 2_000, fromRetryAfter: false });
  });
});
