import { isApiError, type IntegrationError, type Logger, type RateLimitSnapshot } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { systemClock, type Clock } from '../clock/clock.ts';
import { toAbortedError } from '../internal/aborted-error.ts';
import { callHook } from '../internal/call-hook.ts';
import { clientRateLimitError } from '../internal/client-rate-limit-error.ts';
import { silentLogger } from '../internal/silent-logger.ts';
import type {
  BudgetDemand,
  BudgetOutcome,
  BudgetReservation,
  BudgetStore,
  BudgetTicket,
  PacingReason,
} from '../store/budget-store.ts';
import {
  createMemoryBudgetStore,
  isMemoryBudgetStore,
  type BudgetLimits,
  type MemoryBudgetStore,
} from '../store/create-memory-budget-store.ts';
import type { BudgetRecord } from './budget-record.ts';
import type { OperationResult } from '../transport/operation-result.ts';

export type { PacingReason } from '../store/budget-store.ts';

/** Emitted before a call is held back. */
export interface PacingWaitEvent {
  readonly key: string;
  readonly waitMs: number;
  readonly reason: PacingReason;
}

/** One call's claim on a budget. */
export interface PacingRequest {
  /** The rate-limit key (e.g. the model, or `apiKey:model`). Default `'default'`. */
  readonly key?: string;
  /** Tokens the call is expected to use (prompt + max output). Default 0. */
  readonly estimate?: number;
  /** Aborting it ends a wait at once (`AbortedError`) and gives the reservation back. */
  readonly signal?: AbortSignal;
  /**
   * When the call must be over (epoch ms on the limiter's clock): it waits for the
   * budget only if it can be sent before then, and is refused at once otherwise.
   */
  readonly deadlineAt?: number;
}

/** How a paced call went, for {@link PacingPermit.settle}. */
export interface PacingOutcome {
  /**
   * The attempt's error, if it failed. A `RateLimitError` gives the reservation back
   * (the server did not count the call); a server one with a retry hint also pauses
   * the key (for at most `maxPauseMs`). Its rate-limit snapshot is used when
   * `snapshot` is absent.
   */
  readonly error?: IntegrationError;
  /** The rate-limit headers of the response. */
  readonly snapshot?: RateLimitSnapshot | null;
  /** Tokens the response's usage reported; the estimate is settled against it. */
  readonly usedTokens?: number | null;
}

/** A call's granted share of the budget; see {@link RateLimiter.acquire}. */
export interface PacingPermit {
  /** How long the call was held back, in ms (0: it went at once). */
  readonly waitedMs: number;
  /** Ends the reservation once the call is over (a second call, or one after `release`, does nothing). */
  settle(outcome?: PacingOutcome): Promise<void>;
  /** Gives the whole share back: the call was not sent. */
  release(): Promise<void>;
}

/** How the limiter paces calls. */
export interface RateLimiterOptions {
  /**
   * Longest a call is held back, in ms (a call's own deadline may allow less); a call
   * the budget cannot serve in time is refused at once. Default 30000.
   */
  readonly maxWaitMs?: number;
  /**
   * Longest pause after a server 429, in ms: a retry hint above it (a bogus
   * `retry-after: 3600`) pauses the key for this long only. Default 60000, the retry
   * policy's `maxRetryAfterMs`.
   */
  readonly maxPauseMs?: number;
  /** Where budgets live. Default: a fresh {@link createMemoryBudgetStore} with the three settings below. */
  readonly store?: BudgetStore;
  /** The default store's window when the headers do not say, in ms. Default 60000. */
  readonly windowMs?: number;
  /** The default store's limits of a key before any response reports them. */
  readonly limitsFor?: (key: string) => BudgetLimits | undefined;
  /** The default store's bound on keys. Default 1000. */
  readonly maxKeys?: number;
  /** Time source. Default {@link systemClock}. */
  readonly clock?: Clock;
  /** Waits are logged at debug, refusals at warn. Default: silent. */
  readonly logger?: Logger;
  /** Called before a call is held back. */
  readonly onWait?: (event: PacingWaitEvent) => void;
}

/**
 * What the transport uses to take a call's share and settle it without a promise
 * while the store answers at once (the in-memory store). Not public.
 */
export interface PacingLane {
  /** Takes one call's share if it may go now; undefined (nothing taken) when `acquire` has to decide. */
  takeNow(key: string, estimate: number): BudgetTicket | undefined;
  /** {@link PacingPermit.settle} for a ticket of `takeNow`, done at once. */
  settleNow(ticket: BudgetTicket, outcome: PacingOutcome): void;
}

const lanes = new WeakMap<RateLimiter, PacingLane>();

/** The lane of a limiter made by {@link createRateLimiter} on the in-memory store, or undefined. */
export function pacingLane(limiter: RateLimiter): PacingLane | undefined {
  return lanes.get(limiter);
}

/** Client-side rate-limit pacing; see {@link createRateLimiter}. */
export interface RateLimiter {
  /** Corrects the key's budgets from a response's rate-limit headers (a snapshot older than the last one is ignored). */
  observe(key: string, snapshot: RateLimitSnapshot): Promise<void>;
  /**
   * Learns from a failed call outside a permit: its rate-limit snapshot, and for a
   * server 429 with a retry hint, a pause of every caller of the key until the hint
   * (at most `maxPauseMs`).
   */
  observeError(key: string, error: IntegrationError): Promise<void>;
  /**
   * Reserves one request and the estimated tokens, waiting in line (first come, first
   * served) until the budget has them, then resolves with the permit to settle once
   * the call is over.
   *
   * Fails with: `RateLimitError` (origin `client`, not retryable) at once when the
   * budget cannot serve the call within `maxWaitMs` or before its deadline
   * (`retryAfterMs` = the wait it would have needed), or when the estimate is larger
   * than the whole token limit (`retryAfterMs` null); `AbortedError`.
   */
  acquire(request?: PacingRequest): ResultAsync<PacingPermit, IntegrationError>;
  /**
   * `acquire`, then the operation, then `settle` with its error, if any.
   *
   * Fails with: what `acquire` fails with, or the operation's own error.
   */
  execute<T>(operation: () => OperationResult<T>, request?: PacingRequest): ResultAsync<T, IntegrationError>;
  /** The pacing state of a key, if the store holds figures for it. */
  budget(key: string): Promise<BudgetRecord | undefined>;
}

const notCharged: BudgetOutcome = Object.freeze({ charged: false, usedTokens: null, snapshot: null });

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/** The store's answer to a permit's outcome. */
function budgetOutcome(outcome: PacingOutcome): BudgetOutcome {
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

/**
 * Creates a client-side rate limiter: calls wait in line for the rate-limit budget
 * instead of being sent to certain rejection, and leave at the rate it comes back.
 *
 * Budgets are token buckets per key (requests, and tokens against each call's
 * `estimate`) in a {@link BudgetStore}; by default in memory, learning each bucket's
 * size and refill from the `x-ratelimit-*` headers (OpenAI's reset is the time until
 * the bucket is full, so with nothing left one request comes back after window /
 * limit) and corrected by every response. A call reserves its share at once and
 * waits for its turn: waiters are served first come, first served, each as soon as
 * the budget has refilled for it, never all together. A call waits as long as
 * `maxWaitMs` and its deadline allow; one the budget cannot serve in time is refused
 * at once with `RateLimitError` origin `client` (status 429, `retryAfterMs` = the wait
 * it needed, not retryable), so a caller learns it without spending anything and
 * can sleep on the hint. A server 429 with a retry hint pauses every caller of the
 * key until the hint, capped at `maxPauseMs`. Without figures from the server (or
 * `limitsFor`) it never holds a call back. Throws a TypeError for a negative
 * `maxWaitMs` or `maxPauseMs`, or default-store settings given with a `store`.
 *
 * Fails with: `RateLimitError` (origin `client`), `AbortedError`.
 *
 * @example
 * const limiter = createRateLimiter({ maxWaitMs: 10_000 });
 * const result = await limiter.execute(() => callTheApi(), { key: 'gpt-4o', estimate: 1_200 });
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
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

  const pause = (key: string, error: IntegrationError | undefined, promised?: BudgetDemand): void | Promise<void> => {
    const asked = pauseOf(error);
    if (asked === 0) return undefined;
    const pauseMs = Math.min(asked, maxPauseMs);
    logger.debug({ key, pauseMs, askedMs: asked }, 'server rate limit: pausing every caller of the key');
    return store.pause(key, pauseMs, promised);
  };

  const settleTicket = async (ticket: BudgetTicket, outcome: PacingOutcome): Promise<void> => {
    await store.settle(ticket, budgetOutcome(outcome));
    await pause(ticket.key, outcome.error, { requests: ticket.requests, tokens: ticket.tokens });
  };

  const permitFor = (ticket: BudgetTicket, waitedMs: number): PacingPermit => {
    let settled = false;
    return {
      waitedMs,
      settle: async (outcome = {}) => {
        if (settled) return;
        settled = true;
        await settleTicket(ticket, outcome);
      },
      release: async () => {
        if (settled) return;
        settled = true;
        await store.settle(ticket, notCharged);
      },
    };
  };

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

  const acquireFrom = async (
    reservation: BudgetReservation,
    key: string,
    estimate: number,
    request: PacingRequest,
    allowed: { readonly ms: number; readonly byDeadline: boolean },
  ): Promise<Result<PacingPermit, IntegrationError>> => {
    const { signal } = request;
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
    const { ticket } = reservation;
    let waited = 0;
    if (reservation.waitMs > 0) {
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
    }
    return ok(permitFor(ticket, waited));
  };

  const acquireNow = (request: PacingRequest): Promise<Result<PacingPermit, IntegrationError>> => {
    const { signal } = request;
    if (signal?.aborted === true) return Promise.resolve(err(toAbortedError(signal)));
    const key = request.key ?? 'default';
    const estimate = Math.max(0, request.estimate ?? 0);
    const allowed = allowedWait(request.deadlineAt);
    const reservation = store.reserve(key, { requests: 1, tokens: estimate }, allowed.ms);
    return isPromise(reservation)
      ? reservation.then((answer) => acquireFrom(answer, key, estimate, request, allowed))
      : acquireFrom(reservation, key, estimate, request, allowed);
  };

  const acquire = (request: PacingRequest = {}): ResultAsync<PacingPermit, IntegrationError> =>
    new ResultAsync(acquireNow(request));

  const execute = <T>(
    operation: () => OperationResult<T>,
    request: PacingRequest = {},
  ): ResultAsync<T, IntegrationError> =>
    new ResultAsync(
      (async (): Promise<Result<T, IntegrationError>> => {
        const permit = await acquireNow(request);
        if (permit.isErr()) return err(permit.error);
        let result: Result<T, IntegrationError>;
        try {
          result = await operation();
        } catch (thrown) {
          await permit.value.settle();
          throw thrown;
        }
        await permit.value.settle(result.isErr() ? { error: result.error } : {});
        return result;
      })(),
    );

  const limiter: RateLimiter = {
    observe,
    observeError,
    acquire,
    execute,
    budget: async (key) => await store.inspect(key),
  };
  if (isMemoryBudgetStore(store)) lanes.set(limiter, memoryLane(store, maxPauseMs, logger));
  return limiter;
}

/** The lane of a limiter on the in-memory store: everything answers at once. */
function memoryLane(store: MemoryBudgetStore, maxPauseMs: number, logger: Logger): PacingLane {
  return {
    takeNow: (key, estimate) => {
      const reservation = store.reserve(key, { requests: 1, tokens: Math.max(0, estimate) }, 0);
      return reservation.type === 'granted' ? reservation.ticket : undefined;
    },
    settleNow: (ticket, outcome) => {
      store.settle(ticket, budgetOutcome(outcome));
      const asked = pauseOf(outcome.error);
      if (asked === 0) return;
      const pauseMs = Math.min(asked, maxPauseMs);
      logger.debug({ key: ticket.key, pauseMs, askedMs: asked }, 'server rate limit: pausing every caller of the key');
      store.pause(ticket.key, pauseMs, { requests: ticket.requests, tokens: ticket.tokens });
    },
  };
}
