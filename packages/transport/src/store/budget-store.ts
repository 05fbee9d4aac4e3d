import type { RateLimitSnapshot } from '@openai-integration/core';
import type { BudgetRecord } from '../pacing/budget-record.ts';

/** Why a call is held back: a server 429 pause, or the request or token bucket. */
export type PacingReason = 'paused' | 'requests' | 'tokens';

/** What one call takes from the buckets of a key. */
export interface BudgetDemand {
  /** Requests (1 for one call). */
  readonly requests: number;
  /** Tokens the call is expected to use (prompt plus maximum output); settled later against actual usage. */
  readonly tokens: number;
}

/**
 * A granted reservation, handed back to {@link BudgetStore.settle} once the call is
 * over. Plain JSON, so that a shared store can hand it between processes.
 */
export interface BudgetTicket {
  /** The rate-limit key it was taken from. */
  readonly key: string;
  /** Requests taken. */
  readonly requests: number;
  /** Tokens taken (the estimate). */
  readonly tokens: number;
  /** When the call may be sent, in the store's time (epoch ms): until then it is queued, after it is in flight. */
  readonly sendAt: number;
  /**
   * All the key had ever granted before this ticket (never decreasing): at `settle`,
   * what was taken after it tells how much the response's `remaining` may not have
   * seen yet.
   */
  readonly takenBefore: { readonly requests: number; readonly tokens: number };
}

/**
 * The answer to {@link BudgetStore.reserve}: granted (the call may be sent after
 * `waitMs`, its share already taken), refused (the buckets cannot serve it within the
 * allowed wait; nothing taken; `waitMs` is what it would have needed), or too large
 * (the demand is more than the whole bucket; it can never be served).
 */
export type BudgetReservation =
  | {
      readonly type: 'granted';
      readonly waitMs: number;
      readonly reason: PacingReason | null;
      readonly ticket: BudgetTicket;
    }
  | { readonly type: 'refused'; readonly waitMs: number; readonly reason: PacingReason }
  | { readonly type: 'too-large'; readonly unit: 'requests' | 'tokens'; readonly limit: number };

/** How a reserved call went, for {@link BudgetStore.settle}. */
export interface BudgetOutcome {
  /**
   * Whether the server counted the call: false gives the whole share back (the call
   * was never sent, or the server refused it with a 429).
   */
  readonly charged: boolean;
  /** Tokens the response's usage reported, to settle the estimate against; null when unknown (the estimate stays taken). */
  readonly usedTokens: number | null;
  /** The rate-limit headers of the response, if it had any. */
  readonly snapshot: RateLimitSnapshot | null;
}

/**
 * Where rate-limit budgets live: one request bucket and one token bucket per key,
 * each refilling continuously, plus a pause after a server 429.
 *
 * Every method may answer synchronously or with a promise, so the in-memory default
 * ({@link createMemoryBudgetStore}) and a shared store (Redis, a database) fit the
 * same shape. A shared store must make `reserve` atomic: it takes the demand from
 * both buckets at once, or takes nothing and says how long the caller would have to
 * wait. Reservations are served first come, first served: a granted one may be
 * scheduled in the future (the bucket lends against its refill), so waiting callers
 * leave at the rate the budget comes back.
 */
export interface BudgetStore {
  /**
   * Takes `demand` from the key's buckets if the call can be sent within `maxWaitMs`
   * (then `waitMs` says when), or takes nothing.
   */
  reserve(key: string, demand: BudgetDemand, maxWaitMs: number): BudgetReservation | Promise<BudgetReservation>;
  /**
   * Ends a reservation: gives back what was not used, and corrects the buckets from
   * the response's headers (up or down: everything taken after the ticket may be
   * missing from them).
   */
  settle(ticket: BudgetTicket, outcome: BudgetOutcome): void | Promise<void>;
  /**
   * Corrects the key's buckets from rate-limit headers that came outside a
   * reservation: when they cannot be placed among this process's own calls, they only
   * ever lower the buckets.
   */
  observe(key: string, snapshot: RateLimitSnapshot): void | Promise<void>;
  /**
   * Holds every caller of the key back for `pauseMs` (after a server 429 with a retry
   * hint). When the pause ends, the buckets hold at most `promised` (what the refused
   * call asked for; default one request and no tokens), and the calls already queued
   * are moved after the pause in their order, each when the buckets have refilled for
   * it: a pause never releases its waiters all at once.
   */
  pause(key: string, pauseMs: number, promised?: BudgetDemand): void | Promise<void>;
  /**
   * How much longer a granted call must wait, in ms (0: it may go now): more than its
   * `waitMs` when a pause moved it. Asked when a queued call's wait is over.
   */
  delayOf(ticket: BudgetTicket): number | Promise<number>;
  /** What is known of the key now, or undefined when the store holds no figures for it. */
  inspect(key: string): BudgetRecord | undefined | Promise<BudgetRecord | undefined>;
}
