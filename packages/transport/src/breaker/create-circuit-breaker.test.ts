import { describe, expect, it } from 'vitest';
import { err, errAsync, ok, okAsync, ResultAsync, type Result } from 'neverthrow';
import type { IntegrationError } from '@openai-integration/core';
import { createManualClock, type ManualClock } from '@openai-integration/core';
import { createMemoryStore } from '../store/create-memory-store.ts';
import { createRecordingLogger } from '../../test/support/recording-logger.ts';
import { sampleError, unavailable } from '../../test/support/sample-errors.ts';
import type { BreakerRecord } from './circuit-state.ts';
import {
  createCircuitBreaker,
  type BreakerStateChange,
  type CircuitBreaker,
  type CircuitBreakerOptions,
} from './create-circuit-breaker.ts';

type Action = 'ok' | 'fail' | 'ignored' | 'slow' | { readonly wait: number } | 'reset' | 'state';

async function drive(
  breaker: CircuitBreaker,
  clock: ManualClock,
  actions: readonly Action[],
): Promise<(Result<unknown, IntegrationError> | undefined)[]> {
  const results: (Result<unknown, IntegrationError> | undefined)[] = [];
  for (const action of actions) {
    if (typeof action === 'object') {
      await clock.advance(action.wait);
      results.push(undefined);
    } else if (action === 'reset') {
      await breaker.reset();
      results.push(undefined);
    } else if (action === 'state') {
      await breaker.state();
      results.push(undefined);
    } else if (action === 'slow') {
      const pending = breaker.execute(() => new ResultAsync(clock.sleep(5_000).then(() => ok('late'))));
      await clock.advance(5_000);
      results.push(await pending);
    } else {
      const outcome =
        action === 'ok'
          ? okAsync('fine')
          : errAsync(action === 'fail' ? unavailable() : sampleError('BadRequestError'));
      results.push(await breaker.execute(() => outcome));
    }
  }
  return results;
}

function setup(options: CircuitBreakerOptions = {}): {
  clock: ManualClock;
  breaker: CircuitBreaker;
  changes: BreakerStateChange[];
} {
  const clock = createManualClock();
  const changes: BreakerStateChange[] = [];
  const breaker = createCircuitBreaker({
    key: 'chat:gpt-4o',
    clock,
    onStateChange: (change) => changes.push(change),
    ...options,
  });
  return { clock, breaker, changes };
}

const describeChange = (change: BreakerStateChange): string =>
  `${change.from.type} -> ${change.to.type} (${change.reason})`;

describe('createCircuitBreaker', () => {
  const table: readonly {
    readonly name: string;
    readonly options: CircuitBreakerOptions;
    readonly actions: readonly Action[];
    readonly changes: readonly string[];
  }[] = [
    {
      name: 'closed -> open after N consecutive failures',
      options: { consecutiveFailures: 3 },
      actions: ['fail', 'fail', 'ok', 'fail', 'fail', 'fail'],
      changes: ['closed -> open (consecutive-failures)'],
    },
    {
      name: 'closed -> open when the failure rate reaches the threshold with the minimum number of calls',
      options: { consecutiveFailures: Number.POSITIVE_INFINITY, minimumCalls: 4, failureRateThreshold: 0.5 },
      actions: ['fail', 'ok', 'fail', 'ok'],
      changes: ['closed -> open (failure-rate)'],
    },
    {
      name: 'stays closed under the minimum number of calls whatever the rate',
      options: { consecutiveFailures: Number.POSITIVE_INFINITY, minimumCalls: 5 },
      actions: ['fail', 'fail', 'fail', 'fail'],
      changes: [],
    },
    {
      name: 'does not count errors that are not service failures',
      options: { consecutiveFailures: 2, minimumCalls: 1 },
      actions: ['ignored', 'ignored', 'ignored', 'ignored'],
      changes: [],
    },
    {
      name: 'counts slow successes as failures when a threshold is set',
      options: { consecutiveFailures: 2, slowCallThresholdMs: 2_000 },
      actions: ['slow', 'slow'],
      changes: ['closed -> open (consecutive-failures)'],
    },
    {
      name: 'open -> half-open once the open time has passed',
      options: { consecutiveFailures: 1, openDurationMs: 10_000 },
      actions: ['fail', { wait: 9_999 }, 'state', { wait: 1 }, 'state'],
      changes: ['closed -> open (consecutive-failures)', 'open -> half-open (open-elapsed)'],
    },
    {
      name: 'half-open -> closed after enough successful probes',
      options: { consecutiveFailures: 1, openDurationMs: 1_000, halfOpenSuccessThreshold: 2 },
      actions: ['fail', { wait: 1_000 }, 'ok', 'ok'],
      changes: [
        'closed -> open (consecutive-failures)',
        'open -> half-open (open-elapsed)',
        'half-open -> closed (probes-succeeded)',
      ],
    },
    {
      name: 'half-open -> open when a probe fails',
      options: { consecutiveFailures: 1, openDurationMs: 1_000 },
      actions: ['fail', { wait: 1_000 }, 'fail'],
      changes: [
        'closed -> open (consecutive-failures)',
        'open -> half-open (open-elapsed)',
        'half-open -> open (probe-failed)',
      ],
    },
    {
      name: 'half-open stays half-open when a probe ends with an error that does not count',
      options: { consecutiveFailures: 1, openDurationMs: 1_000 },
      actions: ['fail', { wait: 1_000 }, 'ignored', 'ok'],
      changes: [
        'closed -> open (consecutive-failures)',
        'open -> half-open (open-elapsed)',
        'half-open -> closed (probes-succeeded)',
      ],
    },
    {
      name: 'open -> closed on a manual reset',
      options: { consecutiveFailures: 1 },
      actions: ['fail', 'reset'],
      changes: ['closed -> open (consecutive-failures)', 'open -> closed (manual-reset)'],
    },
    {
      name: 'a reset of a closed circuit changes nothing',
      options: {},
      actions: ['ok', 'reset'],
      changes: [],
    },
  ];

  it.each(table)('$name', async ({ options, actions, changes }) => {
    const { clock, breaker, changes: seen } = setup(options);
    await drive(breaker, clock, actions);
    expect(seen.map(describeChange)).toEqual(changes);
  });

  it('fails fast with CircuitOpenError while open, without calling the operation, and says when the next probe is', async () => {
    const { clock, breaker } = setup({ consecutiveFailures: 1, openDurationMs: 30_000 });
    await drive(breaker, clock, ['fail', { wait: 10_000 }]);
    let called = false;
    const result = await breaker.execute(() => {
      called = true;
      return okAsync(1);
    });

    expect(called).toBe(false);
    expect(result._unsafeUnwrapErr()).toMatchObject({
      _tag: 'CircuitOpenError',
      key: 'chat:gpt-4o',
      retryAfterMs: 20_000,
      retryable: false,
    });
  });

  it('lets only the configured number of probes through when many calls arrive half-open', async () => {
    const { clock, breaker } = setup({
      consecutiveFailures: 1,
      openDurationMs: 1_000,
      halfOpenMaxProbes: 2,
      halfOpenSuccessThreshold: 2,
    });
    await drive(breaker, clock, ['fail', { wait: 1_000 }]);
    let started = 0;
    const calls = Array.from({ length: 50 }, () =>
      breaker.execute(() => {
        started += 1;
        return new ResultAsync(clock.sleep(100).then(() => ok('probe')));
      }),
    );
    await clock.flush();
    expect(started).toBe(2);
    await clock.runAll();
    const results = await Promise.all(calls);

    expect(results.filter((result) => result.isOk())).toHaveLength(2);
    expect(results.filter((result) => result.isErr() && result.error._tag === 'CircuitOpenError')).toHaveLength(48);
    expect(results.find((result) => result.isErr())?._unsafeUnwrapErr()).toMatchObject({ retryAfterMs: 1_000 });
    expect(await breaker.state()).toEqual({ type: 'closed' });
  });

  it('grows the open time on trips in a row, up to the maximum, and forgets it once closed', async () => {
    const { clock, breaker, changes } = setup({
      consecutiveFailures: 1,
      openDurationMs: 1_000,
      openDurationFactor: 2,
      maxOpenDurationMs: 3_000,
    });
    await drive(breaker, clock, [
      'fail',
      { wait: 1_000 },
      'fail',
      { wait: 2_000 },
      'fail',
      { wait: 3_000 },
      'fail',
      { wait: 3_000 },
      'ok',
      'fail',
    ]);
    const opens = changes
      .filter((change) => change.to.type === 'open')
      .map((change) => (change.to.type === 'open' ? change.to.halfOpenAt - change.to.openedAt : 0));
    expect(opens).toEqual([1_000, 2_000, 3_000, 3_000, 1_000]);
  });

  it('counts outcomes over a time window, forgetting calls once their bucket is older than the window', async () => {
    const { clock, breaker, changes } = setup({
      consecutiveFailures: Number.POSITIVE_INFINITY,
      minimumCalls: 4,
      failureRateThreshold: 0.75,
      window: { type: 'time', durationMs: 10_000, buckets: 10 },
    });
    await drive(breaker, clock, ['fail', 'fail', 'fail', { wait: 11_000 }, 'ok']);
    expect(await breaker.snapshot()).toMatchObject({ calls: 1, failures: 0 });
    await drive(breaker, clock, ['fail', { wait: 1_000 }, 'fail', 'fail']);
    expect(changes.map(describeChange)).toEqual(['closed -> open (failure-rate)']);
  });

  it('counts over the last N calls only with a count window', async () => {
    const { clock, breaker } = setup({
      consecutiveFailures: Number.POSITIVE_INFINITY,
      minimumCalls: 3,
      failureRateThreshold: 0.9,
      window: { type: 'count', size: 3 },
    });
    await drive(breaker, clock, ['fail', 'fail', 'ok', 'ok', 'ok']);
    expect(await breaker.snapshot()).toEqual({
      key: 'chat:gpt-4o',
      state: { type: 'closed' },
      calls: 3,
      failures: 0,
      failureRate: 0,
      consecutiveFailures: 0,
    });
  });

  it('reports a failure rate of null with no calls', async () => {
    const { breaker } = setup();
    expect(await breaker.snapshot()).toMatchObject({ calls: 0, failureRate: null, state: { type: 'closed' } });
  });

  it('ignores the outcome of a call that started before the state changed', async () => {
    const { clock, breaker, changes } = setup({ consecutiveFailures: 1, openDurationMs: 1_000 });
    const slow = breaker.execute(() => new ResultAsync(clock.sleep(5_000).then(() => ok('late'))));
    await clock.flush();
    await drive(breaker, clock, ['fail', { wait: 1_000 }, 'state']);
    await clock.runAll();
    await slow;
    expect(await breaker.state()).toMatchObject({ type: 'half-open', probesInFlight: 0, successes: 0 });
    expect(changes.map((change) => change.to.type)).toEqual(['open', 'half-open']);
  });

  it('calls onBreak, onHalfOpen and onReset with the key, and logs trips at warn', async () => {
    const events: string[] = [];
    const logger = createRecordingLogger();
    const { clock, breaker } = setup({
      consecutiveFailures: 1,
      openDurationMs: 1_000,
      logger,
      onBreak: (change) => events.push(`break ${change.key}`),
      onHalfOpen: (change) => events.push(`half-open ${change.key}`),
      onReset: (change) => events.push(`reset ${change.key}`),
    });
    await drive(breaker, clock, ['fail', { wait: 1_000 }, 'ok']);
    expect(events).toEqual(['break chat:gpt-4o', 'half-open chat:gpt-4o', 'reset chat:gpt-4o']);
    expect(logger.lines.map((line) => line.level)).toEqual(['warn', 'info', 'info']);
  });

  it('uses a custom failure classifier', async () => {
    const { clock, breaker, changes } = setup({
      consecutiveFailures: 2,
      isFailure: (error) => error._tag === 'BadRequestError',
    });
    await drive(breaker, clock, ['ignored', 'ignored']);
    expect(changes).toHaveLength(1);
  });

  it('keeps its state in the given store, which may answer asynchronously', async () => {
    const memory = createMemoryStore<BreakerRecord>();
    const store = {
      get: async (key: string) => {
        await Promise.resolve();
        return memory.get(key);
      },
      set: async (key: string, value: BreakerRecord) => {
        await Promise.resolve();
        memory.set(key, value);
      },
    };
    const clock = createManualClock();
    const first = createCircuitBreaker({ key: 'shared', store, clock, consecutiveFailures: 2 });
    await drive(first, clock, ['fail', 'fail']);
    const second = createCircuitBreaker({ key: 'shared', store, clock });
    expect(await second.state()).toMatchObject({ type: 'open', trips: 1 });
    expect(memory.keys()).toEqual(['shared']);
  });

  it('starts a fresh window when the stored record used the other window type', async () => {
    const store = createMemoryStore<BreakerRecord>();
    const clock = createManualClock();
    await drive(createCircuitBreaker({ key: 'k', store, clock, window: { type: 'count', size: 5 } }), clock, ['fail']);
    const timed = createCircuitBreaker({ key: 'k', store, clock, window: { type: 'time', durationMs: 1_000 } });
    expect(await timed.snapshot()).toMatchObject({ calls: 0 });
    await drive(timed, clock, ['fail']);
    expect(await timed.snapshot()).toMatchObject({ calls: 1, failures: 1 });
    const counted = createCircuitBreaker({ key: 'k', store, clock, window: { type: 'count', size: 5 } });
    expect(await counted.snapshot()).toMatchObject({ calls: 0 });
  });

  it('lets a caller run the call itself with acquire and record, counting only the first record', async () => {
    const { breaker, changes } = setup({ consecutiveFailures: 1 });
    const permit = (await breaker.acquire())._unsafeUnwrap();
    expect(permit.probe).toBe(false);
    await permit.record(err(unavailable()), 10);
    await permit.record(ok(1), 10);
    await permit.release();
    expect(changes).toHaveLength(1);
  });

  it('says how it counted each record, and counts a retry of a counted call only as a probe', async () => {
    const { clock, breaker, changes } = setup({ consecutiveFailures: 2, openDurationMs: 1_000 });
    const first = (await breaker.acquire())._unsafeUnwrap();
    expect(await first.record(err(unavailable()), 10)).toBe('failure');
    expect(await first.record(ok(1), 10)).toBe('ignored');
    // Retries of the same call: their failures are not counted again, so the circuit stays closed.
    for (let retry = 0; retry < 5; retry += 1) {
      const again = (await breaker.acquire({ callCounted: true }))._unsafeUnwrap();
      expect(await again.record(err(unavailable()), 10)).toBe('ignored');
    }
    expect(await breaker.snapshot()).toMatchObject({ state: { type: 'closed' }, calls: 1, failures: 1 });
    expect(await (await breaker.acquire())._unsafeUnwrap().record(err(sampleError('BadRequestError')), 10)).toBe(
      'ignored',
    );
    expect(await (await breaker.acquire())._unsafeUnwrap().record(err(unavailable()), 10)).toBe('failure');
    expect(changes.map(describeChange)).toEqual(['closed -> open (consecutive-failures)']);

    // Half-open, a retry of a counted call is a probe like any other: its outcome counts.
    await clock.advance(1_000);
    const probe = (await breaker.acquire({ callCounted: true }))._unsafeUnwrap();
    expect(probe.probe).toBe(true);
    expect(await probe.record(ok(1), 10)).toBe('success');
    expect(await breaker.state()).toEqual({ type: 'closed' });
    const released = (await breaker.acquire())._unsafeUnwrap();
    await released.release();
    expect(await released.record(err(unavailable()), 10)).toBe('ignored');
  });

  it('gives the probe slot back when the operation throws, and rethrows', async () => {
    const { clock, breaker } = setup({ consecutiveFailures: 1, openDurationMs: 1_000 });
    await drive(breaker, clock, ['fail', { wait: 1_000 }]);
    await expect(
      breaker.execute(() => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(await breaker.state()).toMatchObject({ type: 'half-open', probesInFlight: 0 });
    expect((await breaker.execute(() => okAsync(1))).isOk()).toBe(true);
  });

  it('runs on the real clock with the defaults', async () => {
    const breaker = createCircuitBreaker();
    expect(breaker.key).toBe('default');
    expect(await breaker.execute(() => okAsync('x'))).toEqual(ok('x'));
  });

  it('opens by default only once 50 calls are in the window, never on failures in a row alone', async () => {
    const { clock, breaker, changes } = setup();
    await drive(
      breaker,
      clock,
      Array.from({ length: 49 }, () => 'fail' as const),
    );
    expect(await breaker.snapshot()).toMatchObject({
      state: { type: 'closed' },
      calls: 49,
      failures: 49,
      consecutiveFailures: 49,
    });
    await drive(breaker, clock, ['fail']);
    expect(changes.map(describeChange)).toEqual(['closed -> open (failure-rate)']);
    expect(changes[0]?.to).toMatchObject({ type: 'open', halfOpenAt: 30_000 });
  });

  it('opens by default when half of the last 100 calls failed', async () => {
    const { clock, breaker, changes } = setup();
    await drive(breaker, clock, [
      ...Array.from({ length: 50 }, () => 'ok' as const),
      ...Array.from({ length: 49 }, () => 'fail' as const),
    ]);
    expect(await breaker.snapshot()).toMatchObject({ state: { type: 'closed' }, calls: 99, failures: 49 });
    await drive(breaker, clock, ['fail']);
    expect(changes.map(describeChange)).toEqual(['closed -> open (failure-rate)']);
  });

  it.each<CircuitBreakerOptions>([
    { failureRateThreshold: 0 },
    { failureRateThreshold: 1.5 },
    { minimumCalls: 0 },
    { consecutiveFailures: 0 },
    { window: { type: 'count', size: 0 } },
    { window: { type: 'time', durationMs: -1 } },
    { window: { type: 'time', durationMs: 1_000, buckets: 0 } },
    { openDurationMs: -1 },
    { openDurationFactor: 0.5 },
    { openDurationMs: 10_000, maxOpenDurationMs: 5_000 },
    { halfOpenMaxProbes: 0 },
    { halfOpenSuccessThreshold: 1.5 },
    { halfOpenRetryAfterMs: -1 },
  ])('throws a TypeError for out-of-range options %o', (options) => {
    expect(() => createCircuitBreaker(options)).toThrow(TypeError);
  });
});
