import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { ErrorTag, IntegrationError } from '@openai-integration/core';
import { createManualClock } from '@openai-integration/core';
import { createTransport } from '../src/transport/create-transport.ts';
import { rateLimited, sampleError, unavailable } from './support/sample-errors.ts';
import { seededRandom } from './support/seeded-random.ts';

describe('createTransport under load', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('settles 1,000 concurrent executions with seeded random failures, each to a Result, with no unhandled rejection', async () => {
    const clock = createManualClock();
    const random = seededRandom(2026);
    const transport = createTransport({
      clock,
      random: seededRandom(99),
      attemptTimeoutMs: 5_000,
      breaker: { consecutiveFailures: 8, minimumCalls: 20, openDurationMs: 2_000, halfOpenMaxProbes: 3 },
      bulkhead: { maxConcurrent: 64, maxQueued: 900 },
    });
    const keys = ['chat:gpt-4o', 'chat:gpt-4o-mini', 'embeddings', 'responses', 'moderations'];
    const controllers: AbortController[] = [];

    const attempt = (signal: AbortSignal): ResultAsync<number, IntegrationError> => {
      const roll = random();
      const latency = Math.floor(random() * 400);
      if (roll < 0.05) return new ResultAsync(new Promise<never>(() => undefined)); // hangs until the attempt timeout
      const outcome = (): Result<number, IntegrationError> => {
        if (signal.aborted) return err(sampleError('AbortedError'));
        if (roll < 0.6) return ok(Math.round(roll * 1_000));
        if (roll < 0.8) return err(unavailable());
        if (roll < 0.85) return err(rateLimited(Math.floor(random() * 3_000)));
        if (roll < 0.9) return err(sampleError('BadRequestError'));
        if (roll < 0.95) return err(sampleError('ConnectionError'));
        return err(sampleError('QuotaExceededError'));
      };
      return new ResultAsync(clock.sleep(latency).then(outcome));
    };

    const calls = Array.from({ length: 1_000 }, (_, index) => {
      const controller = new AbortController();
      controllers.push(controller);
      return transport.execute((signal) => attempt(signal), {
        key: keys[index % keys.length]!,
        estimate: index % 7,
        signal: controller.signal,
        ...(index % 10 === 0 ? { deadlineMs: 20_000 } : {}),
      });
    });
    const settled = calls.map((call) => Promise.resolve(call));
    let finished = 0;
    for (const promise of settled) void promise.then(() => (finished += 1));

    await clock.advance(3_000);
    controllers.forEach((controller, index) => {
      if (index % 50 === 3) controller.abort('caller went away');
    });
    await clock.runAll();
    const results = await Promise.all(settled);

    expect(finished).toBe(1_000);
    expect(unhandled).toEqual([]);
    expect(clock.pending()).toBe(0);
    const tags = new Set<ErrorTag>();
    for (const result of results) {
      expect(typeof result.isOk).toBe('function');
      if (result.isErr()) {
        tags.add(result.error._tag);
        expect(result.error.attempts).toBeGreaterThanOrEqual(0);
        expect(result.error.attempts).toBeLessThanOrEqual(7);
      }
    }
    expect(results.filter((result) => result.isOk()).length).toBeGreaterThan(500);
    const allowed: ErrorTag[] = [
      'ServiceUnavailableError',
      'RateLimitError',
      'BadRequestError',
      'ConnectionError',
      'QuotaExceededError',
      'TimeoutError',
      'AbortedError',
      'CircuitOpenError',
    ];
    expect([...tags].every((tag) => allowed.includes(tag))).toBe(true);
    expect(tags.has('AbortedError')).toBe(true);
    expect(tags.has('CircuitOpenError')).toBe(true);
    expect(transport.bulkhead.running()).toBe(0);
    const snapshots = await transport.breakers.snapshot();
    expect(snapshots.map((snapshot) => snapshot.key).sort()).toEqual([...keys].sort());
    for (const snapshot of snapshots)
      if (snapshot.state.type === 'half-open') expect(snapshot.state.probesInFlight).toBe(0);
  }, 60_000);
});
