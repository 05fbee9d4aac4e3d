import { describe, expect, it } from 'vitest';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { IntegrationError } from '@openai-integration/core';
import type { BreakerStateChange } from '../src/breaker/create-circuit-breaker.ts';
import { createManualClock, type ManualClock } from '@openai-integration/core';
import { createTransport, type Transport } from '../src/transport/create-transport.ts';
import { rateLimited, sampleError, unavailable } from './support/sample-errors.ts';
import { seededRandom } from './support/seeded-random.ts';

/** A service whose every request takes `latency()` ms and ends as `answer()` says; it counts the requests it gets. */
function service(
  clock: ManualClock,
  answer: () => Result<string, IntegrationError>,
  latency: () => number = () => 100,
) {
  const counted = { requests: 0 };
  const call = (): ResultAsync<string, IntegrationError> => {
    counted.requests += 1;
    const result = answer();
    return new ResultAsync(clock.sleep(latency()).then(() => result));
  };
  return Object.assign(call, { counted });
}

/** A transport with every default except the clock, the jitter's random numbers and a record of circuit changes. */
function defaultTransport(clock: ManualClock): {
  readonly transport: Transport;
  readonly changes: BreakerStateChange[];
} {
  const changes: BreakerStateChange[] = [];
  const transport = createTransport({
    clock,
    random: seededRandom(7),
    breaker: { onStateChange: (change) => changes.push(change) },
  });
  return { transport, changes };
}

describe('createTransport with the default retry and breaker settings', () => {
  it('returns the ConnectionError of an unreachable endpoint after all its retries: a call never opens its own circuit', async () => {
    const clock = createManualClock();
    const { transport, changes } = defaultTransport(clock);
    const unreachable = service(clock, () =>
      err(
        sampleError('ConnectionError', {
          code: 'ECONNREFUSED',
          message: 'could not reach the API (ECONNREFUSED): check OPENAI_BASE_URL and the network',
        }),
      ),
    );
    const pending = transport.execute(unreachable, { key: 'chat:gpt-4o' });
    await clock.runAll();
    const error = (await pending)._unsafeUnwrapErr();

    expect(error).toMatchObject({ _tag: 'ConnectionError', code: 'ECONNREFUSED', attempts: 7 });
    expect(error.message).toContain('check OPENAI_BASE_URL');
    expect(unreachable.counted.requests).toBe(7);
    expect(changes).toEqual([]);
    expect(await transport.breakers.get('chat:gpt-4o').snapshot()).toMatchObject({
      state: { type: 'closed' },
      calls: 1,
      failures: 1,
    });
  });

  it('keeps the circuit closed for 1,000 concurrent calls against a service that fails a random quarter of its requests with 503', async () => {
    const clock = createManualClock();
    const { transport, changes } = defaultTransport(clock);
    const random = seededRandom(2_026);
    let failed = 0;
    const flaky = service(
      clock,
      () => {
        if (random() >= 0.25) return ok('answer');
        failed += 1;
        return err(unavailable());
      },
      () => 50 + Math.floor(random() * 450),
    );
    const calls = Array.from({ length: 1_000 }, () => transport.execute(flaky, { key: 'chat:gpt-4o' }));
    await clock.runAll();
    const results = await Promise.all(calls);

    // About one request in four failed, and every call still got its answer.
    expect(failed / flaky.counted.requests).toBeGreaterThan(0.2);
    expect(results.filter((result) => result.isErr())).toEqual([]);
    expect(changes).toEqual([]);
  }, 30_000);

  it('opens within the first attempts when the service is down for many concurrent calls, and their retries fail fast naming the real error', async () => {
    const clock = createManualClock();
    const { transport, changes } = defaultTransport(clock);
    const down = service(
      clock,
      () => err(unavailable()),
      () => 200,
    );
    const calls = Array.from({ length: 200 }, () => transport.execute(down, { key: 'chat:gpt-4o' }));
    await clock.runAll();
    const results = await Promise.all(calls);

    expect(changes.map((change) => `${change.to.type} at ${change.at} ms (${change.reason})`)).toEqual([
      'open at 200 ms (failure-rate)',
    ]);
    // Each call sent one request; its first retry met the open circuit.
    expect(down.counted.requests).toBe(200);
    for (const result of results) {
      const error = result._unsafeUnwrapErr();
      expect(error).toMatchObject({ _tag: 'CircuitOpenError', key: 'chat:gpt-4o', attempts: 2 });
      expect(error.cause).toMatchObject({ _tag: 'ServiceUnavailableError' });
      expect(error.message).toMatch(
        /^circuit chat:gpt-4o is open; next probe in \d+ ms; retry 1 of the call was refused after 1 attempt that failed; last error: ServiceUnavailableError: overloaded$/,
      );
    }
    expect(clock.now()).toBeLessThan(1_300);
  });

  it('opens after 50 failed calls when calls keep arriving at a service that is down, and then refuses calls without a request', async () => {
    const clock = createManualClock();
    const { transport, changes } = defaultTransport(clock);
    const down = service(
      clock,
      () => err(unavailable()),
      () => 50,
    );
    const calls: PromiseLike<Result<string, IntegrationError>>[] = [];
    // Ten calls a second, each with a deadline of 5 s.
    for (let index = 0; index < 60; index += 1) {
      calls.push(transport.execute(down, { key: 'chat:gpt-4o', deadlineMs: 5_000 }));
      await clock.advance(100);
    }
    await clock.runAll();
    const results = await Promise.all(calls);

    expect(changes[0]).toMatchObject({ to: { type: 'open' }, reason: 'failure-rate', at: 4_950 });
    const refusedAtOnce = results.slice(50).map((result) => result._unsafeUnwrapErr());
    expect(
      refusedAtOnce.every(
        (error) => error._tag === 'CircuitOpenError' && error.attempts === 1 && error.cause === undefined,
      ),
    ).toBe(true);
    expect(down.counted.requests).toBeLessThan(50 * 4);
  });

  it('counts nothing and never opens under a sustained server rate limit, with deadlines that end calls or that pacing knows cannot be met', async () => {
    const clock = createManualClock();
    const { transport, changes } = defaultTransport(clock);
    const limited = service(
      clock,
      () => err(rateLimited(5_000)),
      () => 20,
    );
    const calls = Array.from({ length: 300 }, () =>
      transport.execute(limited, { key: 'chat:gpt-4o', deadlineMs: 29_000 }),
    );
    await clock.advance(2_000);
    // These arrive while every caller of the key is paused by the server's hint, with a deadline that passes before the pause ends.
    const waiting = Array.from({ length: 100 }, () =>
      transport.execute(limited, { key: 'chat:gpt-4o', deadlineMs: 1_000 }),
    );
    await clock.runAll();

    for (const result of await Promise.all(calls)) {
      expect(result._unsafeUnwrapErr()).toMatchObject({ _tag: 'TimeoutError', kind: 'deadline', attempts: 6 });
      expect(result._unsafeUnwrapErr().message).toMatch(
        /^stopped after 6 attempts in \d+ ms: the next retry in 5000 ms \(as the server asked\) would pass the 29000 ms deadline; last error: RateLimitError: rate limited$/,
      );
    }
    // Pacing refuses them at once: the pause outlasts their deadline, and the refusal says how long they would have needed.
    for (const result of await Promise.all(waiting))
      expect(result._unsafeUnwrapErr()).toMatchObject({ _tag: 'RateLimitError', origin: 'client' });
    expect(changes).toEqual([]);
    expect(await transport.breakers.get('chat:gpt-4o').snapshot()).toMatchObject({
      state: { type: 'closed' },
      calls: 0,
      failures: 0,
    });
  });
});
