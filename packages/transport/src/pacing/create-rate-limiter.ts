import { isApiError, type IntegrationError, type Logger, type RateLimitSnapshot } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { systemClock, type Clock } from '../clock/clock.ts';
import { toAbortedError } from '../internal/aborted-error.ts';
import { callHook } from '../internal/call-hook.ts';
import { clientRateLimitError } from '../internal/client-rate-limit-error.ts';
import { createSerialQueue, type SerialQueue } from '../internal/serial-queue.ts';
import { silentLogger } from '../internal/silent-logger.ts';
import { createMemoryStore, isMemoryStore } from '../store/create-memory-store.ts';
import type { StateStore } from '../store/state-store.ts';
import type { BudgetRecord, BudgetWindow } from './budget-record.ts';
import type { OperationResult } from '../transport/operation-result.ts';

/** Where rate-limit budgets live; see {@link StateStore}. */
export type BudgetStore = StateStore<BudgetRecord>;

/** Why a call is held back. */
export type PacingReason = 'paused' | 'requests' | 'tokens';

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
  /** Aborting it ends a wait at once (`AbortedError`). */
  readonly signal?: AbortSignal;
}

/** How the limiter paces calls. */
export interface RateLimiterOptions {
  /** Longest a call is held back, in ms; past it the call fails at once. Default 30000. */
  readonly maxWaitMs?: number;
  /** Where budgets live. Default: a fresh in-memory store. */
  readonly store?: BudgetStore;
  /** Time source. Default {@link systemClock}. */
  readonly clock?: Clock;
  /** Waits are logged at debug, refusals at warn. Default: silent. */
  readonly logger?: Logger;
  /** Called before a call is held back. */
  readonly onWait?: (event: PacingWaitEvent) => void;
}

/**
 * What the transport uses to take a call's share and record a response's budgets
 * without a promise while the state answers at once (the in-memory store with nothing
 * queued for the key). Not public.
 */
export interface PacingLane {
  /** Takes one call's share now if it may go at once; false (nothing taken) when `acquire` has to decide. */
  takeNow(key: string, estimate: number): boolean;
  /** `observe`, done at once (undefined) or in the returned promise when the change has to wait its turn. */
  observeNow(key: string, snapshot: RateLimitSnapshot): Promise<void> | undefined;
}

const lanes = new WeakMap<RateLimiter, PacingLane>();

/** The lane of a limiter made by {@link createRateLimiter}, or undefined for any other object. */
export function pacingLane(limiter: RateLimiter): PacingLane | undefined {
  return lanes.get(limiter);
}

/** Client-side rate-limit pacing; see {@link createRateLimiter}. */
export interface RateLimiter {
  /** Records the budgets a response's rate-limit headers reported (older snapshots are ignored). */
  observe(key: string, snapshot: RateLimitSnapshot): Promise<void>;
  /**
   * Learns from a failed call: its rate-limit snapshot, and for a server 429 with a
   * retry hint, a pause that holds back every caller of the key until the hint.
   */
  observeError(key: string, error: IntegrationError): Promise<void>;
  /**
   * Waits until the key's budget allows one more call, then takes its share.
   *
   * Fails with: `RateLimitError` (origin `client`, not retryable) when the wait would pass
   * `maxWaitMs` or the estimate is larger than the whole token limit; `AbortedError`.
   */
  acquire(request?: PacingRequest): ResultAsync<void, IntegrationError>;
  /**
   * `acquire`, then the operation; a failed operation is passed to `observeError`.
   *
   * Fails with: what `acquire` fails with, or the operation's own error.
   */
  execute<T>(operation: () => OperationResult<T>, request?: PacingRequest): ResultAsync<T, IntegrationError>;
  /** The pacing state of a key, if any. */
  budget(key: string): Promise<BudgetRecord | undefined>;
}

const unknownWindow: BudgetWindow = { limit: null, remaining: null, resetAt: null };

// Observed at 0: never. Any snapshot, however old, is newer than no snapshot at all.
const emptyRecord: BudgetRecord = { requests: unknownWindow, tokens: unknownWindow, pausedUntil: null, observedAt: 0 };

/** A window whose reset time has come is full again. */
const refreshed = (window: BudgetWindow, now: number): BudgetWindow =>
  window.resetAt !== null && window.resetAt <= now ? { limit: window.limit, remaining: window.limit, resetAt: null } : window;

const merged = (window: BudgetWindow, update: RateLimitSnapshot['requests']): BudgetWindow => ({
  limit: update.limit ?? window.limit,
  remaining: update.remaining ?? window.remaining,
  resetAt: update.resetAt ?? (update.remaining === null ? window.resetAt : null),
});

type Decision =
  | { readonly type: 'go'; readonly record: BudgetRecord }
  | { readonly type: 'wait'; readonly waitMs: number; readonly reason: PacingReason; readonly record: BudgetRecord }
  | { readonly type: 'never'; readonly limit: number };

const take = (window: BudgetWindow, amount: number): BudgetWindow =>
  window.remaining === null ? window : { ...window, remaining: Math.max(0, window.remaining - amount) };

/**
 * The record after letting one call through now, or undefined when it has to wait or
 * can never go (then {@link decide} says which). Allocates nothing when the record
 * holds no figures yet.
 */
function goNow(stored: BudgetRecord, now: number, estimate: number): BudgetRecord | undefined {
  if (stored.pausedUntil !== null && stored.pausedUntil > now) return undefined;
  const requests = refreshed(stored.requests, now);
  const tokens = refreshed(stored.tokens, now);
  if (tokens.limit !== null && estimate > tokens.limit) return undefined;
  if (requests.remaining !== null && requests.remaining < 1 && requests.resetAt !== null) return undefined;
  if (tokens.remaining !== null && estimate > tokens.remaining && tokens.resetAt !== null) return undefined;
  if (requests.remaining === null && tokens.remaining === null && stored.pausedUntil === null && requests === stored.requests && tokens === stored.tokens) return stored;
  return { ...stored, requests: take(requests, 1), tokens: take(tokens, estimate), pausedUntil: null };
}

function decide(stored: BudgetRecord, now: number, estimate: number): Decision {
  const go = goNow(stored, now, estimate);
  if (go !== undefined) return { type: 'go', record: go };
  const requests = refreshed(stored.requests, now);
  const tokens = refreshed(stored.tokens, now);
  const pausedUntil = stored.pausedUntil !== null && stored.pausedUntil > now ? stored.pausedUntil : null;
  const record: BudgetRecord = { ...stored, requests, tokens, pausedUntil };
  if (tokens.limit !== null && estimate > tokens.limit) return { type: 'never', limit: tokens.limit };
  const waits: { readonly until: number; readonly reason: PacingReason }[] = [];
  if (pausedUntil !== null) waits.push({ until: pausedUntil, reason: 'paused' });
  if (requests.remaining !== null && requests.remaining < 1 && requests.resetAt !== null) waits.push({ until: requests.resetAt, reason: 'requests' });
  if (tokens.remaining !== null && estimate > tokens.remaining && tokens.resetAt !== null) waits.push({ until: tokens.resetAt, reason: 'tokens' });
  const longest = waits.reduce<(typeof waits)[number] | undefined>((best, wait) => (best === undefined || wait.until > best.until ? wait : best), undefined);
  if (longest !== undefined) return { type: 'wait', waitMs: longest.until - now, reason: longest.reason, record };
  return { type: 'go', record: { ...record, requests: take(requests, 1), tokens: take(tokens, estimate) } };
}

/**
 * Creates a client-side rate limiter that holds a call back until the budget resets
 * instead of sending a request the server is sure to reject.
 *
 * Fed with the rate-limit snapshots of responses (`observe`) and with failures
 * (`observeError`), it keeps per key what remains of the request and token budgets,
 * counting down for every call it lets through. A call waits when no request is
 * left, when fewer tokens are left than its `estimate`, or after a server 429 with a
 * retry hint (every caller of the key pauses until the hint). When the wait needed
 * is longer than `maxWaitMs`, the call fails at once with `RateLimitError` origin
 * `client` (status 429, `retryAfterMs` = the wait needed, not retryable). Without
 * figures from the server it never holds a call back. Budgets sit in `store`
 * (in-memory by default). Throws a TypeError for a negative `maxWaitMs`.
 *
 * Fails with: `RateLimitError` (origin `client`), `AbortedError`.
 *
 * @example
 * const limiter = createRateLimiter({ maxWaitMs: 10_000 });
 * limiter.observe('gpt-4o', toRateLimitSnapshot(response.headers)!);
 * const result = await limiter.execute(() => callTheApi(), { key: 'gpt-4o', estimate: 1_200 });
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  if (!(maxWaitMs >= 0)) throw new TypeError(`maxWaitMs must be a number >= 0, got ${maxWaitMs}`);
  const store: BudgetStore = options.store ?? createMemoryStore<BudgetRecord>();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const queues = new Map<string, SerialQueue>();
  const queueFor = (key: string): SerialQueue => {
    const existing = queues.get(key);
    if (existing !== undefined) return existing;
    const queue = createSerialQueue();
    queues.set(key, queue);
    return queue;
  };
  /** Reads, changes and writes a key's record at once when the in-memory store answers and nothing is queued for the key; else undefined. */
  const inOrderNow = <T>(key: string, task: (record: BudgetRecord, now: number) => { readonly next: BudgetRecord; readonly value: T }): { readonly value: T } | undefined => {
    if (!isMemoryStore(store) || !queueFor(key).idle()) return undefined;
    const record = store.get(key) ?? emptyRecord;
    const done = task(record, clock.now());
    if (done.next !== record) store.set(key, done.next);
    return done;
  };
  /** Reads, changes and writes a key's record in order (at once for the in-memory store with nothing queued). */
  const inOrder = <T>(key: string, task: (record: BudgetRecord, now: number) => { readonly next: BudgetRecord; readonly value: T }): Promise<T> => {
    const done = inOrderNow(key, task);
    if (done !== undefined) return Promise.resolve(done.value);
    return queueFor(key)(async () => {
      const now = clock.now();
      const record = (await store.get(key)) ?? emptyRecord;
      const { next, value } = task(record, now);
      if (next !== record) await store.set(key, next);
      return value;
    });
  };
  const update = (key: string, change: (record: BudgetRecord, now: number) => BudgetRecord): Promise<void> =>
    inOrder(key, (record, now) => ({ next: change(record, now), value: undefined }));

  const observed = (snapshot: RateLimitSnapshot) => (record: BudgetRecord) => ({
    next:
      snapshot.observedAt < record.observedAt
        ? record
        : { ...record, requests: merged(record.requests, snapshot.requests), tokens: merged(record.tokens, snapshot.tokens), observedAt: snapshot.observedAt },
    value: undefined,
  });
  const observe = (key: string, snapshot: RateLimitSnapshot): Promise<void> => inOrder(key, observed(snapshot));

  const observeError = async (key: string, error: IntegrationError): Promise<void> => {
    if (isApiError(error) && error.rateLimit !== null) await observe(key, error.rateLimit);
    if (error._tag !== 'RateLimitError' || error.origin !== 'server' || error.retryAfterMs === null || error.retryAfterMs <= 0) return;
    const pause = error.retryAfterMs;
    logger.debug({ key, pauseMs: pause }, 'server rate limit: pausing every caller of the key');
    await update(key, (record, now) => ({ ...record, pausedUntil: Math.max(record.pausedUntil ?? 0, now + pause) }));
  };

  const acquire = (request: PacingRequest = {}): ResultAsync<void, IntegrationError> => {
    const key = request.key ?? 'default';
    const estimate = Math.max(0, request.estimate ?? 0);
    const { signal } = request;
    const run = async (): Promise<Result<void, IntegrationError>> => {
      let waited = 0;
      for (;;) {
        if (signal?.aborted === true) return err(toAbortedError(signal));
        const decision = await inOrder(key, (stored, now) => {
          const outcome = decide(stored, now, estimate);
          return { next: outcome.type === 'go' ? outcome.record : stored, value: outcome };
        });
        if (decision.type === 'go') return ok(undefined);
        if (decision.type === 'never') {
          logger.warn({ key, estimate, limit: decision.limit }, 'pacing: the estimate exceeds the whole token limit');
          return err(clientRateLimitError(`the call's token estimate (${estimate}) is larger than the token limit of ${key} (${decision.limit}); it can never be sent`, null));
        }
        if (waited + decision.waitMs > maxWaitMs) {
          logger.warn({ key, waitMs: decision.waitMs, reason: decision.reason }, 'pacing: wait too long; refusing the call');
          return err(
            clientRateLimitError(
              `rate limit of ${key} (${decision.reason}) resets in ${Math.ceil(decision.waitMs)} ms, longer than the allowed wait of ${maxWaitMs} ms; not sent`,
              decision.waitMs,
            ),
          );
        }
        logger.debug({ key, waitMs: decision.waitMs, reason: decision.reason }, 'pacing: waiting for the rate limit to reset');
        callHook(options.onWait, { key, waitMs: decision.waitMs, reason: decision.reason }, logger, 'onWait');
        await clock.sleep(decision.waitMs, signal);
        waited += decision.waitMs;
      }
    };
    return new ResultAsync(run());
  };

  const execute = <T>(operation: () => OperationResult<T>, request: PacingRequest = {}): ResultAsync<T, IntegrationError> =>
    acquire(request).andThen(
      () =>
        new ResultAsync(
          (async (): Promise<Result<T, IntegrationError>> => {
            const result = await operation();
            if (result.isErr()) await observeError(request.key ?? 'default', result.error);
            return result;
          })(),
        ),
    );

  const limiter: RateLimiter = { observe, observeError, acquire, execute, budget: async (key) => await store.get(key) };
  lanes.set(limiter, {
    takeNow: (key, estimate) => {
      const done = inOrderNow(key, (stored, now) => {
        const next = goNow(stored, now, Math.max(0, estimate));
        return { next: next ?? stored, value: next !== undefined };
      });
      return done?.value === true;
    },
    observeNow: (key, snapshot) => (inOrderNow(key, observed(snapshot)) === undefined ? observe(key, snapshot) : undefined),
  });
  return limiter;
}
