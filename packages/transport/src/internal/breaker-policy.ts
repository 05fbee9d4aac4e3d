import { randomUUID } from 'node:crypto';
import { createError, systemClock, type IntegrationError } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { BreakerRecord } from '../breaker/circuit-state.ts';
import type {
  BreakerOutcome,
  BreakerPermit,
  BreakerStateChange,
  BreakerStore,
  CircuitBreaker,
  CircuitBreakerOptions,
} from '../breaker/create-circuit-breaker.ts';
import { defaultBreakerOptions } from '../breaker/default-breaker-options.ts';
import { isServiceFailure } from '../breaker/is-service-failure.ts';
import type { CooldownStore, ProbeOutcome } from '../store/cooldown-store.ts';
import { createMemoryCooldownStore } from '../store/create-memory-cooldown-store.ts';
import { createMemoryStore } from '../store/create-memory-store.ts';
import type { TransportOutcome } from '../transport/transport-outcome.ts';
import { andThen, guardedAnswer, isWaiting, settledPromise, type Answer } from './answer.ts';
import {
  admit as decide,
  advance,
  forceClose,
  initialRecord,
  openDuration,
  settle,
  unchangedBySuccess,
  windowStats,
  type Admission,
  type BreakerSettings,
  type Outcome,
  type Step,
} from './breaker-machine.ts';
import { callHook } from './call-hook.ts';
import { createSerialQueue } from './serial-queue.ts';
import { silentLogger } from './silent-logger.ts';

/** One call a breaker let through: count its result with `record`, or give it back with `release`. */
export interface BreakerTicket {
  /** Whether the call is a probe (of the local half-open circuit, or the one probe of a shared cooldown). */
  readonly probe: boolean;
  /** Counts the result (only the first `record` or `release` of a ticket counts) and tells how. */
  record(result: Result<unknown, IntegrationError>, durationMs: number): Answer<BreakerOutcome>;
  /** Gives the ticket back without counting anything (the call was never sent, or was cut short). */
  release(): Answer<void>;
}

/**
 * A circuit breaker with the one contract every caller goes through: `admit` answers
 * at once while the stores do (the in-memory ones) and with a promise when it has to
 * wait. The public `acquire` and `execute` are built on it, so a rule of the breaker
 * lives in `breaker-machine.ts` and here, nowhere else.
 */
export interface BreakerPolicy extends CircuitBreaker {
  /**
   * Lets one call through, or refuses it with `CircuitOpenError`. `callCounted`: an
   * earlier attempt of the same call was counted already (then only a probe counts).
   */
  admit(callCounted: boolean): Answer<Result<BreakerTicket, IntegrationError>>;
  /** Whether nothing is queued or held: no read or write of the state waiting or running, no shared probe claimed. */
  idle(): boolean;
}

const check = (name: string, value: number, valid: boolean): number => {
  if (!valid) throw new TypeError(`${name} is out of range: ${value}`);
  return value;
};
const positiveInteger = (name: string, value: number): number =>
  check(name, value, Number.isInteger(value) && value > 0);

/** Validates breaker options (TypeError when out of range) and fills in the defaults. */
function toSettings(options: CircuitBreakerOptions): BreakerSettings {
  const window = options.window ?? defaultBreakerOptions.window;
  const rate = options.failureRateThreshold ?? defaultBreakerOptions.failureRateThreshold;
  const consecutive = options.consecutiveFailures ?? defaultBreakerOptions.consecutiveFailures;
  const openDurationMs = options.openDurationMs ?? defaultBreakerOptions.openDurationMs;
  const factor = options.openDurationFactor ?? defaultBreakerOptions.openDurationFactor;
  const maxOpen = options.maxOpenDurationMs ?? Math.max(defaultBreakerOptions.maxOpenDurationMs, openDurationMs);
  const retryAfter = options.halfOpenRetryAfterMs ?? defaultBreakerOptions.halfOpenRetryAfterMs;
  return {
    window:
      window.type === 'count'
        ? { type: 'count', size: positiveInteger('window.size', window.size) }
        : {
            type: 'time',
            durationMs: check(
              'window.durationMs',
              window.durationMs,
              window.durationMs > 0 && Number.isFinite(window.durationMs),
            ),
            buckets: positiveInteger('window.buckets', window.buckets ?? 10),
          },
    failureRateThreshold: check('failureRateThreshold', rate, rate > 0 && rate <= 1),
    minimumCalls: positiveInteger('minimumCalls', options.minimumCalls ?? defaultBreakerOptions.minimumCalls),
    consecutiveFailures: check(
      'consecutiveFailures',
      consecutive,
      consecutive === Number.POSITIVE_INFINITY || (Number.isInteger(consecutive) && consecutive > 0),
    ),
    openDurationMs: check('openDurationMs', openDurationMs, openDurationMs >= 0 && Number.isFinite(openDurationMs)),
    openDurationFactor: check('openDurationFactor', factor, factor >= 1 && Number.isFinite(factor)),
    maxOpenDurationMs: check('maxOpenDurationMs', maxOpen, maxOpen >= openDurationMs && Number.isFinite(maxOpen)),
    halfOpenMaxProbes: positiveInteger(
      'halfOpenMaxProbes',
      options.halfOpenMaxProbes ?? defaultBreakerOptions.halfOpenMaxProbes,
    ),
    halfOpenSuccessThreshold: positiveInteger(
      'halfOpenSuccessThreshold',
      options.halfOpenSuccessThreshold ?? defaultBreakerOptions.halfOpenSuccessThreshold,
    ),
    halfOpenRetryAfterMs: check('halfOpenRetryAfterMs', retryAfter, retryAfter >= 0 && Number.isFinite(retryAfter)),
  };
}

/**
 * How a claim on the shared probe ends without a verdict (its probes were ignored:
 * never sent, cut short, or errors that say nothing about the service): no cooldown,
 * so that the next call anywhere may probe.
 */
const noVerdict = { recovered: false, durationMs: 0 } as const;

const noop = (): void => undefined;

type Passed = Extract<Admission, { type: 'pass' }>;

/** A call a breaker let through (a class: one object per call, no closures). */
class Ticket implements BreakerTicket {
  readonly admission: Passed;
  readonly counts: boolean;
  /** The claim on the shared probe this call belongs to, if it is a shared probe. */
  readonly sharedRound: number | undefined;
  readonly probe: boolean;
  settled = false;
  readonly #finish: (ticket: Ticket, outcome: Outcome) => Answer<BreakerOutcome>;
  readonly #outcomeOf: (result: Result<unknown, IntegrationError>, durationMs: number) => Outcome;

  constructor(
    admission: Passed,
    counts: boolean,
    sharedRound: number | undefined,
    finish: (ticket: Ticket, outcome: Outcome) => Answer<BreakerOutcome>,
    outcomeOf: (result: Result<unknown, IntegrationError>, durationMs: number) => Outcome,
  ) {
    this.admission = admission;
    this.counts = counts;
    this.sharedRound = sharedRound;
    this.probe = admission.probe || sharedRound !== undefined;
    this.#finish = finish;
    this.#outcomeOf = outcomeOf;
  }

  record(result: Result<unknown, IntegrationError>, durationMs: number): Answer<BreakerOutcome> {
    return this.#finish(this, this.counts ? this.#outcomeOf(result, durationMs) : 'ignored');
  }

  release(): Answer<void> {
    return andThen(this.#finish(this, 'ignored'), noop);
  }
}

/** The breaker behind {@link createCircuitBreaker} and every breaker of a registry. */
export function createBreakerPolicy(options: CircuitBreakerOptions = {}): BreakerPolicy {
  const settings = toSettings(options);
  const key = options.key ?? 'default';
  const store: BreakerStore = options.store ?? createMemoryStore<BreakerRecord>();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const isFailure = options.isFailure ?? isServiceFailure;
  const probeLeaseMs = options.probeLeaseMs ?? defaultBreakerOptions.probeLeaseMs;
  check('probeLeaseMs', probeLeaseMs, probeLeaseMs > 0 && Number.isFinite(probeLeaseMs));
  const cooldowns: CooldownStore = options.cooldownStore ?? createMemoryCooldownStore({ clock });
  // Who this breaker is to the cooldown store: one owner per breaker object.
  const owner = randomUUID();
  const serial = createSerialQueue();
  const initial = initialRecord(settings);
  /** Whether this breaker saw its key cooling down in the store: then it probes before it passes calls again. */
  let sharedDown = false;
  /**
   * This breaker's claim on the store's one probe of the key: its local probes share it
   * (up to `halfOpenMaxProbes`); `round` tells claims apart, so that a probe of an
   * ended claim never ends a newer one.
   */
  const claim = { held: false, round: 0, probes: 0 };

  const failed =
    (operation: string) =>
    (thrown: unknown): void => {
      // Only the kind of failure: what a store throws may carry its address or credentials.
      const kind = thrown instanceof Error ? thrown.name : typeof thrown;
      logger.warn({ key, operation, kind }, 'the cooldown store failed; the local circuit decides');
    };

  const emit = (step: Step<unknown>, at: number): Answer<void> => {
    let tripped: Answer<void> = undefined;
    for (const transition of step.transitions) {
      const change: BreakerStateChange = { key, ...transition, at };
      const fields = { key, from: transition.from.type, to: transition.to.type, reason: transition.reason };
      if (transition.to.type === 'open') {
        logger.warn(fields, 'circuit opened');
        const openForMs = transition.to.halfOpenAt - transition.to.openedAt;
        tripped = guardedAnswer(() => cooldowns.trip(key, openForMs), undefined, failed('trip'));
      } else logger.info(fields, `circuit ${transition.to.type}`);
      callHook(options.onStateChange, change, logger, 'onStateChange');
      if (transition.to.type === 'open') callHook(options.onBreak, change, logger, 'onBreak');
      else if (transition.to.type === 'closed') callHook(options.onReset, change, logger, 'onReset');
      else callHook(options.onHalfOpen, change, logger, 'onHalfOpen');
    }
    return tripped;
  };

  /** Writes a changed record and reports its transitions. */
  const commit = <Extra>(record: BreakerRecord, step: Step<Extra>, now: number): Answer<Step<Extra>> => {
    const written = step.record === record ? undefined : store.set(key, step.record);
    const reported = (): Answer<Step<Extra>> => andThen(emit(step, now), () => step);
    return isWaiting(written) ? written.then(reported) : reported();
  };

  type Change<Extra> = (record: BreakerRecord, now: number) => Step<Extra>;

  /**
   * Changes the record read as `stored` while nothing is queued: at once when the
   * store answers at once; otherwise the rest goes into the queue, so that every later
   * change waits for this one.
   */
  const updateFrom = <Extra>(stored: Answer<BreakerRecord | undefined>, change: Change<Extra>): Answer<Step<Extra>> => {
    if (isWaiting(stored)) {
      return serial(async () => {
        const record = (await stored) ?? initial;
        const now = clock.now();
        return await commit(record, change(record, now), now);
      });
    }
    const record = stored ?? initial;
    const now = clock.now();
    const committed = commit(record, change(record, now), now);
    return isWaiting(committed) ? serial(() => committed) : committed;
  };

  /** Reads, changes and writes the record, serialised within the process; at once when the store allows. */
  const update = <Extra>(change: Change<Extra>): Answer<Step<Extra>> => {
    if (serial.idle()) return updateFrom(store.get(key), change);
    return serial(async () => {
      const record = (await store.get(key)) ?? initial;
      const now = clock.now();
      return await commit(record, change(record, now), now);
    });
  };

  const outcomeOf = (result: Result<unknown, IntegrationError>, durationMs: number): Outcome => {
    if (result.isErr()) return isFailure(result.error) ? 'failure' : 'ignored';
    return options.slowCallThresholdMs !== undefined && durationMs >= options.slowCallThresholdMs
      ? 'failure'
      : 'success';
  };

  const refuse = (retryAfterMs: number, message: string): Result<never, IntegrationError> =>
    err(createError('CircuitOpenError', { message, key, retryAfterMs }));

  /** Gives back what an admission holds (a local probe slot) when the call does not go after all. */
  const giveBack = (admission: Passed): Answer<void> =>
    admission.probe
      ? andThen(
          update((record, now) => settle(record, settings, now, admission, 'ignored')),
          noop,
        )
      : undefined;

  /** Ends this breaker's claim on the shared probe. */
  const endClaim = (outcome: ProbeOutcome): Answer<void> => {
    claim.held = false;
    claim.probes = 0;
    return guardedAnswer(() => cooldowns.releaseProbe(key, owner, outcome), undefined, failed('releaseProbe'));
  };

  /**
   * What a shared probe's outcome does to the claim: a failure ends it and trips the key
   * again for the open time; a success that closes the circuit (or a probe of a
   * circuit that was closed here) ends it and the cooldown; the last probe of the claim
   * without a verdict gives it back.
   */
  const settleShared = (round: number, outcome: Outcome, step: Step | undefined): Answer<void> => {
    if (!claim.held || claim.round !== round) return undefined;
    claim.probes = Math.max(0, claim.probes - 1);
    if (outcome === 'failure') {
      const reopened = step?.transitions.find((transition) => transition.to.type === 'open')?.to;
      const durationMs =
        reopened?.type === 'open' ? reopened.halfOpenAt - reopened.openedAt : openDuration(settings, 1);
      return endClaim({ recovered: false, durationMs });
    }
    if (outcome === 'success' && (step === undefined || step.record.state.type === 'closed')) {
      sharedDown = false;
      return endClaim({ recovered: true });
    }
    return claim.probes === 0 ? endClaim(noVerdict) : undefined;
  };

  /** Counts how a ticket's call ended (only its first `record` or `release` counts). */
  const finish = (ticket: Ticket, outcome: Outcome): Answer<BreakerOutcome> => {
    if (ticket.settled) return 'ignored';
    ticket.settled = true;
    const { admission, sharedRound } = ticket;
    const change: Change<object> = (record, now) => settle(record, settings, now, admission, outcome);
    if (sharedRound === undefined) {
      if (admission.probe) return andThen(update(change), () => outcome);
      // An ignored outcome of a call admitted while closed changes nothing.
      if (outcome === 'ignored') return outcome;
      if (!serial.idle()) return andThen(update(change), () => outcome);
      const stored = store.get(key);
      // Nor does one more success in a full window of successes (the common case: no allocation).
      if (
        outcome === 'success' &&
        !isWaiting(stored) &&
        stored?.generation === admission.generation &&
        unchangedBySuccess(stored, settings)
      )
        return outcome;
      return andThen(updateFrom(stored, change), () => outcome);
    }
    const local = outcome === 'ignored' && !admission.probe ? undefined : update(change);
    return andThen(local, (step) => andThen(settleShared(sharedRound, outcome, step), () => outcome));
  };

  const ticketFor = (admission: Passed, callCounted: boolean, sharedRound: number | undefined): BreakerTicket =>
    // A retry of a call that was counted already counts only as a probe.
    new Ticket(admission, admission.probe || sharedRound !== undefined || !callCounted, sharedRound, finish, outcomeOf);

  const probeElsewhere = (admission: Passed): Answer<Result<BreakerTicket, IntegrationError>> =>
    andThen(giveBack(admission), () =>
      refuse(
        settings.halfOpenRetryAfterMs,
        `circuit ${key} is half-open and its probe is running elsewhere; try again in ${Math.ceil(settings.halfOpenRetryAfterMs)} ms`,
      ),
    );

  /**
   * What the cooldown store adds to a local admission: a key cooling down fails fast;
   * a probe (of the local half-open circuit, or the first call after a cooldown this
   * breaker saw) needs the store's one probe claim, which the local probes share.
   */
  const readRemaining = (): number | Promise<number> => cooldowns.remaining(key);
  const remainingFailed = failed('remaining');
  const shareVerdict = (admission: Passed, callCounted: boolean): Answer<Result<BreakerTicket, IntegrationError>> =>
    andThen(guardedAnswer(readRemaining, 0, remainingFailed), (remainingMs) => {
      if (remainingMs > 0) {
        sharedDown = true;
        return andThen(giveBack(admission), () =>
          refuse(
            remainingMs,
            `circuit ${key} is open: its key is cooling down after a trip elsewhere; next probe in ${Math.ceil(remainingMs)} ms`,
          ),
        );
      }
      if (!admission.probe && !sharedDown) return ok(ticketFor(admission, callCounted, undefined));
      if (claim.held) {
        // Another local probe joins the claim; a closed circuit here sends one probe only.
        if (!admission.probe) return probeElsewhere(admission);
        claim.probes += 1;
        return ok(ticketFor(admission, callCounted, claim.round));
      }
      const claimed = guardedAnswer(() => cooldowns.claimProbe(key, owner, probeLeaseMs), true, failed('claimProbe'));
      return andThen(claimed, (won) => {
        if (!won || claim.held) return probeElsewhere(admission);
        claim.held = true;
        claim.round += 1;
        claim.probes = 1;
        return ok(ticketFor(admission, callCounted, claim.round));
      });
    });

  const decided =
    (callCounted: boolean) =>
    (step: Step<{ readonly admission: Admission }>): Answer<Result<BreakerTicket, IntegrationError>> => {
      const admission = step.extra.admission;
      if (admission.type === 'reject') {
        return refuse(
          admission.retryAfterMs,
          `circuit ${key} is open; next probe in ${Math.ceil(admission.retryAfterMs)} ms`,
        );
      }
      return shareVerdict(admission, callCounted);
    };

  const admitChange = (record: BreakerRecord, now: number): Step<{ readonly admission: Admission }> =>
    decide(record, settings, now);

  const admit = (callCounted: boolean): Answer<Result<BreakerTicket, IntegrationError>> => {
    if (!serial.idle()) return andThen(update(admitChange), decided(callCounted));
    const stored = store.get(key);
    // The common case: a closed circuit admits without a change to its record.
    if (!isWaiting(stored) && (stored === undefined || stored.state.type === 'closed'))
      return shareVerdict({ type: 'pass', probe: false, generation: (stored ?? initial).generation }, callCounted);
    return andThen(updateFrom(stored, admitChange), decided(callCounted));
  };

  const permitOf = (ticket: BreakerTicket): BreakerPermit => ({
    probe: ticket.probe,
    record: (result, durationMs) => settledPromise(() => ticket.record(result, durationMs)),
    release: () => settledPromise(() => ticket.release()),
  });

  const acquire: CircuitBreaker['acquire'] = (acquireOptions = {}) =>
    new ResultAsync(
      settledPromise(() => admit(acquireOptions.callCounted === true)).then((admitted) => admitted.map(permitOf)),
    );

  const execute = <T>(operation: () => TransportOutcome<T>): ResultAsync<T, IntegrationError> =>
    acquire().andThen(
      (permit) =>
        new ResultAsync(
          (async (): Promise<Result<T, IntegrationError>> => {
            const started = clock.now();
            let result: Result<T, IntegrationError>;
            try {
              result = await operation();
            } catch (thrown) {
              await permit.release();
              throw thrown;
            }
            await permit.record(result, clock.now() - started);
            return result;
          })(),
        ),
    );

  const read = async (): Promise<BreakerRecord> => (await update((record, now) => advance(record, now))).record;

  return {
    key,
    admit,
    idle: () => serial.idle() && !claim.held,
    execute,
    acquire,
    state: async () => (await read()).state,
    snapshot: async () => {
      const record = await read();
      const stats = windowStats(record.window, settings, clock.now());
      return {
        key,
        state: record.state,
        calls: stats.calls,
        failures: stats.failures,
        failureRate: stats.calls === 0 ? null : stats.failures / stats.calls,
        consecutiveFailures: record.consecutiveFailures,
      };
    },
    reset: async () => {
      await update((record) => forceClose(record, settings));
      sharedDown = false;
      // A manual reset says the key is healthy: end its shared cooldown too, unless another breaker is probing it.
      const claimed = await guardedAnswer(
        () => cooldowns.claimProbe(key, owner, probeLeaseMs),
        false,
        failed('claimProbe'),
      );
      if (claimed)
        await guardedAnswer(
          () => cooldowns.releaseProbe(key, owner, { recovered: true }),
          undefined,
          failed('releaseProbe'),
        );
    },
  };
}
