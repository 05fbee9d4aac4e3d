import { isApiError, systemClock, type IntegrationError, type RateLimitSnapshot } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type {
  PacingOutcome,
  PacingPermit,
  PacingRequest,
  RateLimiter,
  RateLimiterOptions,
} from '../pacing/create-rate-limiter.ts';
import type {
  BudgetDemand,
  BudgetOutcome,
  BudgetReservation,
  BudgetStore,
  BudgetTicket,
  PacingReason,
} from '../store/budget-store.ts';
import { createMemoryBudgetStore } from '../store/create-memory-budget-store.ts';
import type { TransportOutcome } from '../transport/transport-outcome.ts';
import { toAbortedError } from './aborted-error.ts';
import { andThen, isWaiting, settledPromise, type Answer } from './answer.ts';
import { callHook } from './call-hook.ts';
import { clientRateLimitError } from './client-rate-limit-error.ts';
import { silentLogger } from './silent-logger.ts';

const notCharged: BudgetOutcome = Object.freeze({ charged: false, usedTokens: null, snapshot: null });

/** What a call's share settles to when it succeeded and its response said nothing. */
const chargedAsEstimated: BudgetOutcome = Object.freeze({ charged: true, usedTokens: null, snapshot: null });

/** A granted share of the budget (a class: one object per call, no closures). */
class Ticket implements PacingTicket {
  readonly waitedMs: number;
  #settled = false;
  readonly #ticket: BudgetTicket;
  readonly #settle: (ticket: BudgetTicket, outcome: PacingOutcome) => Answer<void>;
  readonly #store: BudgetStore;

  constructor(
    ticket: BudgetTicket,
    waitedMs: number,
    settle: (ticket: BudgetTicket, outcome: PacingOutcome) => Answer<void>,
    store: BudgetStore,
  ) {
    this.#ticket = ticket;
    this.waitedMs = waitedMs;
    this.#settle = settle;
    this.#store = store;
  }

  settle(outcome: PacingOutcome): Answer<void> {
    if (this.#settled) return undefined;
    this.#settled = true;
    return this.#settle(this.#ticket, outcome);
  }

  release(): Answer<void> {
    if (this.#settled) return undefined;
    this.#settled = true;
    return this.#store.settle(this.#ticket, notCharged);
  }
}

/** The store's answer to a permit's outcome. */
function budgetOutcome(outcome: PacingOutcome): BudgetOutcome {
  if (outcome.error === undefined && (outcome.snapshot ?? null) === null && (outcome.usedTokens ?? null) === null)
    return chargedAsEstimated;
  const { error } = outcome;
  const snapshot = outcome.snapshot ?? (error !== undefined && isApiError(error) ? error.rateLimit : null);
  return {
    charged: error?._tag !== 'RateLimitError',
    usedTokens: error === undefined ? (outcome.usedTokens ?? null) : null,
    snapshot,
  };
}

/** The pause a server 429 asks for, in ms (0: none). */
const pauseOf = (error: IntegrationError | undefined): number =>
  error?._tag === 'RateLimitError' && error.origin === 'server' && error.retryAfterMs !== null && error.retryAfterMs > 0
    ? error.retryAfterMs
    : 0;

/** A granted share of the budget, as the pacing policy hands it out; see {@link PacingPermit}. */
export interface PacingTicket {
  /** How long the call was held back, in ms. */
  readonly waitedMs: number;
  /** Ends the reservation once the call is over (only the first `settle` or `release` counts). */
  settle(outcome: PacingOutcome): Answer<void>;
  /** Gives the whole share back: the call was not sent. */
  release(): Answer<void>;
}

/**
 * A rate limiter with the one contract every caller goes through: `admit` grants a
 * call its share at once when the budget has it and the store answers at once (the
 * in-memory store), and waits its turn otherwise. The public `acquire` and `execute`
 * are built on it.
 */
export interface PacingPolicy extends RateLimiter {
  /**
   * Reserves one request and the estimated tokens, waiting for them when needed.
   *
   * Fails with: `RateLimitError` (origin `client`), `AbortedError`.
   */
  admit(request: PacingRequest): Answer<Result<PacingTicket, IntegrationError>>;
}

/** The rate limiter behind {@link createRateLimiter}. */
export function createPacingPolicy(options: RateLimiterOptions = {}): PacingPolicy {
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  if (!(maxWaitMs >= 0)) throw new TypeError(`maxWaitMs must be a number >= 0, got ${maxWaitMs}`);
  const maxPauseMs = options.maxPauseMs ?? 60_000;
  if (!(maxPauseMs >= 0)) throw new TypeError(`maxPauseMs must be a number >= 0, got ${maxPauseMs}`);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  if (
    options.store !== undefined &&
    (options.windowMs !== undefined || options.limitsFor !== undefined || options.maxKeys !== undefined)
  ) {
    throw new TypeError('windowMs, limitsFor and maxKeys configure the default store; give them to the store instead');
  }
  const store: BudgetStore =
    options.store ??
    createMemoryBudgetStore({
      clock,
      ...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }),
      ...(options.limitsFor === undefined ? {} : { limitsFor: options.limitsFor }),
      ...(options.maxKeys === undefined ? {} : { maxKeys: options.maxKeys }),
    });

  const pause = (key: string, error: IntegrationError | undefined, promised?: BudgetDemand): Answer<void> => {
    const asked = pauseOf(error);
    if (asked === 0) return undefined;
    const pauseMs = Math.min(asked, maxPauseMs);
    logger.debug({ key, pauseMs, askedMs: asked }, 'server rate limit: pausing every caller of the key');
    return store.pause(key, pauseMs, promised);
  };

  const settleTicket = (ticket: BudgetTicket, outcome: PacingOutcome): Answer<void> => {
    const settled = store.settle(ticket, budgetOutcome(outcome));
    // Only a failed call can pause the key.
    if (outcome.error === undefined) return settled;
    const { error } = outcome;
    return andThen(settled, () => pause(ticket.key, error, { requests: ticket.requests, tokens: ticket.tokens }));
  };

  const ticketFor = (ticket: BudgetTicket, waitedMs: number): PacingTicket =>
    new Ticket(ticket, waitedMs, settleTicket, store);

  const permitOf = (ticket: PacingTicket): PacingPermit => ({
    waitedMs: ticket.waitedMs,
    settle: (outcome = {}) => settledPromise(() => ticket.settle(outcome)),
    release: () => settledPromise(() => ticket.release()),
  });

  const observe = async (key: string, snapshot: RateLimitSnapshot): Promise<void> => {
    await store.observe(key, snapshot);
  };

  const observeError = async (key: string, error: IntegrationError): Promise<void> => {
    if (isApiError(error) && error.rateLimit !== null) await store.observe(key, error.rateLimit);
    await pause(key, error);
  };

  /**
   * The longest a call may still wait: what is left of `maxWaitMs` after `waited`, or
   * less when its deadline comes first (it must be sent at least 1 ms before it).
   */
  const allowedWait = (
    deadlineAt: number | undefined,
    waited = 0,
  ): { readonly ms: number; readonly byDeadline: boolean } => {
    const byMax = Math.max(0, maxWaitMs - waited);
    if (deadlineAt === undefined) return { ms: byMax, byDeadline: false };
    const left = Math.max(0, deadlineAt - clock.now() - 1);
    return left < byMax ? { ms: left, byDeadline: true } : { ms: byMax, byDeadline: false };
  };

  // What a call without a deadline may wait (the same for every such call).
  const allowedByMax = Object.freeze(allowedWait(undefined));

  const refusal = (
    key: string,
    reason: PacingReason,
    waitMs: number,
    allowed: { readonly ms: number; readonly byDeadline: boolean },
  ): IntegrationError => {
    const needed = Math.ceil(waitMs);
    logger.warn(
      { key, waitMs: needed, allowedMs: Math.floor(allowed.ms), reason },
      'pacing: the budget cannot serve the call in time; refusing it',
    );
    const bound = allowed.byDeadline
      ? `its deadline allows (${Math.floor(allowed.ms)} ms)`
      : `the longest pacing wait (maxWaitMs ${maxWaitMs} ms)`;
    return clientRateLimitError(
      `rate limit of ${key} (${reason}): the call could be sent in ${needed} ms, later than ${bound}; not sent, try again after retryAfterMs`,
      needed,
    );
  };

  const announce = (key: string, waitMs: number, reason: PacingReason): void => {
    const ms = Math.ceil(waitMs);
    logger.debug({ key, waitMs: ms, reason }, 'pacing: waiting for the rate-limit budget');
    callHook(options.onWait, { key, waitMs: ms, reason }, logger, 'onWait');
  };

  /** Waits for a granted reservation's turn (it may be moved by a server pause meanwhile). */
  const waitForTurn = async (
    reservation: Extract<BudgetReservation, { type: 'granted' }>,
    key: string,
    request: PacingRequest,
  ): Promise<Result<PacingTicket, IntegrationError>> => {
    const { signal } = request;
    const { ticket } = reservation;
    let waited = 0;
    announce(key, reservation.waitMs, reservation.reason ?? 'requests');
    let due = clock.now() + reservation.waitMs;
    for (;;) {
      const started = clock.now();
      // At least 1 ms: a timer never spins, whatever the store's clock says.
      await clock.sleep(Math.max(1, Math.ceil(due - started)), signal);
      waited += clock.now() - started;
      if (signal?.aborted === true) {
        await store.settle(ticket, notCharged);
        return err(toAbortedError(signal));
      }
      const delay = await store.delayOf(ticket);
      if (delay <= 0) break;
      const now = clock.now();
      // A timer that fired early (a busy event loop) sleeps the rest; a later time means
      // a server 429 paused the key, and moved this call, while it waited its turn.
      if (now + delay > due + 1) {
        const left = allowedWait(request.deadlineAt, waited);
        if (delay > left.ms) {
          await store.settle(ticket, notCharged);
          return err(refusal(key, 'paused', delay, left));
        }
        announce(key, delay, 'paused');
      }
      due = now + delay;
    }
    return ok(ticketFor(ticket, waited));
  };

  const admitFrom = (
    reservation: BudgetReservation,
    key: string,
    estimate: number,
    request: PacingRequest,
    allowed: { readonly ms: number; readonly byDeadline: boolean },
  ): Answer<Result<PacingTicket, IntegrationError>> => {
    if (reservation.type === 'too-large') {
      logger.warn(
        { key, estimate, limit: reservation.limit, unit: reservation.unit },
        'pacing: the call is larger than the whole limit',
      );
      const needed = reservation.unit === 'tokens' ? estimate : 1;
      return err(
        clientRateLimitError(
          `the call needs ${needed} ${reservation.unit}, more than the whole ${reservation.unit} limit of ${key} (${reservation.limit}); it can never be sent`,
          null,
        ),
      );
    }
    if (reservation.type === 'refused') return err(refusal(key, reservation.reason, reservation.waitMs, allowed));
    // Its turn has come: no wait, no promise.
    if (reservation.waitMs <= 0) return ok(ticketFor(reservation.ticket, 0));
    return waitForTurn(reservation, key, request);
  };

  const admit = (request: PacingRequest): Answer<Result<PacingTicket, IntegrationError>> => {
    const { signal } = request;
    if (signal?.aborted === true) return err(toAbortedError(signal));
    const key = request.key ?? 'default';
    const estimate = Math.max(0, request.estimate ?? 0);
    const allowed = request.deadlineAt === undefined ? allowedByMax : allowedWait(request.deadlineAt);
    const reservation = store.reserve(key, { requests: 1, tokens: estimate }, allowed.ms);
    return isWaiting(reservation)
      ? reservation.then((answer) => admitFrom(answer, key, estimate, request, allowed))
      : admitFrom(reservation, key, estimate, request, allowed);
  };

  const acquire = (request: PacingRequest = {}): ResultAsync<PacingPermit, IntegrationError> =>
    new ResultAsync(settledPromise(() => admit(request)).then((admitted) => admitted.map(permitOf)));

  const execute = <T>(
    operation: () => TransportOutcome<T>,
    request: PacingRequest = {},
  ): ResultAsync<T, IntegrationError> =>
    new ResultAsync(
      (async (): Promise<Result<T, IntegrationError>> => {
        const permit = await admit(request);
        if (permit.isErr()) return err(permit.error);
        let result: Result<T, IntegrationError>;
        try {
          result = await operation();
        } catch (thrown) {
          await permit.value.settle({});
          throw thrown;
        }
        await permit.value.settle(result.isErr() ? { error: result.error } : {});
        return result;
      })(),
    );

  return {
    admit,
    observe,
    observeError,
    acquire,
    execute,
    budget: async (key) => await store.inspect(key),
  };
}
