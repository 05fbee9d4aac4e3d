import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { okAsync, errAsync } from 'neverthrow';
import { createCircuitBreaker } from '../src/breaker/create-circuit-breaker.ts';
import { createManualClock } from '@openai-integration/core';
import {
  admit,
  initialRecord,
  openDuration,
  settle,
  type Admission,
  type BreakerSettings,
  type Outcome,
} from '../src/internal/breaker-machine.ts';
import { propertyOptions } from './support/property-options.ts';
import { sampleError, unavailable } from './support/sample-errors.ts';

const settingsArbitrary = fc.record({
  window: fc.oneof(
    fc.record({ type: fc.constant('count' as const), size: fc.integer({ min: 1, max: 20 }) }),
    fc.record({
      type: fc.constant('time' as const),
      durationMs: fc.integer({ min: 100, max: 10_000 }),
      buckets: fc.integer({ min: 1, max: 10 }),
    }),
  ),
  failureRateThreshold: fc.double({ min: 0.05, max: 1, noNaN: true }),
  minimumCalls: fc.integer({ min: 1, max: 10 }),
  consecutiveFailures: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(Number.POSITIVE_INFINITY)),
  openDurationMs: fc.integer({ min: 0, max: 5_000 }),
  openDurationFactor: fc.double({ min: 1, max: 3, noNaN: true }),
  maxOpenDurationMs: fc.integer({ min: 5_000, max: 20_000 }),
  halfOpenMaxProbes: fc.integer({ min: 1, max: 4 }),
  halfOpenSuccessThreshold: fc.integer({ min: 1, max: 4 }),
  halfOpenRetryAfterMs: fc.integer({ min: 0, max: 2_000 }),
}) satisfies fc.Arbitrary<BreakerSettings>;

type Command =
  | { readonly type: 'admit' }
  | { readonly type: 'settle'; readonly pick: number; readonly outcome: Outcome }
  | { readonly type: 'wait'; readonly ms: number };

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ type: 'admit' as const }),
  fc.record({
    type: fc.constant('settle' as const),
    pick: fc.nat(),
    outcome: fc.constantFrom<Outcome>('success', 'failure', 'ignored'),
  }),
  fc.record({ type: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 6_000 }) }),
);

describe('circuit breaker invariants', () => {
  it('never lets more probes run than allowed, never counts stale outcomes, and keeps the open time within bounds', () => {
    fc.assert(
      fc.property(settingsArbitrary, fc.array(commandArbitrary, { maxLength: 120 }), (settings, commands) => {
        let record = initialRecord(settings);
        let now = 0;
        const outstanding: Extract<Admission, { type: 'pass' }>[] = [];
        for (const command of commands) {
          if (command.type === 'wait') now += command.ms;
          else if (command.type === 'admit') {
            const before = record;
            const step = admit(record, settings, now);
            record = step.record;
            const admission = step.extra.admission;
            if (admission.type === 'pass') {
              outstanding.push(admission);
              expect(record.state.type).not.toBe('open');
              expect(admission.probe).toBe(record.state.type === 'half-open');
            } else {
              expect(record.state.type).not.toBe('closed');
              expect(admission.retryAfterMs).toBeGreaterThanOrEqual(0);
              if (before.state.type === 'open' && now < before.state.halfOpenAt) expect(record).toBe(before);
            }
          } else if (outstanding.length > 0) {
            const [admission] = outstanding.splice(command.pick % outstanding.length, 1);
            const before = record;
            record = settle(record, settings, now, admission!, command.outcome).record;
            if (admission!.generation !== before.generation) expect(record).toBe(before);
          }

          const state = record.state;
          if (state.type === 'half-open') {
            expect(state.probesInFlight).toBeGreaterThanOrEqual(0);
            expect(state.probesInFlight).toBeLessThanOrEqual(settings.halfOpenMaxProbes);
            expect(state.successes).toBeLessThan(settings.halfOpenSuccessThreshold);
            expect(state.trips).toBeGreaterThanOrEqual(1);
          }
          if (state.type === 'open') {
            const duration = state.halfOpenAt - state.openedAt;
            expect(duration).toBe(openDuration(settings, state.trips));
            expect(duration).toBeLessThanOrEqual(settings.maxOpenDurationMs);
            expect(duration).toBeGreaterThanOrEqual(Math.min(settings.openDurationMs, settings.maxOpenDurationMs));
          }
          if (state.type === 'closed') expect(record.consecutiveFailures).toBeLessThan(settings.consecutiveFailures);
          if (record.window.type === 'count' && settings.window.type === 'count')
            expect(record.window.outcomes.length).toBeLessThanOrEqual(settings.window.size);
        }
      }),
      propertyOptions,
    );
  });

  it('never calls the operation while the circuit is open and the open time has not passed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom('ok', 'fail', 'bad-request'), fc.integer({ min: 1, max: 3_000 })), {
          maxLength: 60,
        }),
        async (actions) => {
          const clock = createManualClock();
          const breaker = createCircuitBreaker({
            clock,
            consecutiveFailures: 2,
            minimumCalls: 3,
            openDurationMs: 2_000,
          });
          for (const action of actions) {
            if (typeof action === 'number') {
              await clock.advance(action);
              continue;
            }
            const before = await breaker.state();
            let called = false;
            const result = await breaker.execute(() => {
              called = true;
              return action === 'ok'
                ? okAsync(1)
                : errAsync(action === 'fail' ? unavailable() : sampleError('BadRequestError'));
            });
            if (before.type === 'open') {
              expect(called).toBe(false);
              expect(result._unsafeUnwrapErr()._tag).toBe('CircuitOpenError');
            }
            if (before.type === 'closed') expect(called).toBe(true);
          }
        },
      ),
      { ...propertyOptions, numRuns: 100 },
    );
  });
});
