import type { RateLimitSnapshot, RateLimitWindow } from '@openai-integration/core';
import { systemClock, type Clock } from '@openai-integration/core';
import type { BudgetRecord, BudgetWindow } from '../pacing/budget-record.ts';
import type {
  BudgetDemand,
  BudgetOutcome,
  BudgetReservation,
  BudgetStore,
  BudgetTicket,
  PacingReason,
} from './budget-store.ts';

/** Limits of a key known before (or without) the server's headers. */
export interface BudgetLimits {
  /** Requests per window. */
  readonly requests?: number;
  /** Tokens per window. */
  readonly tokens?: number;
  /** The window, in ms. Default: the store's `windowMs`. */
  readonly windowMs?: number;
}

/** Settings of {@link createMemoryBudgetStore}. */
export interface MemoryBudgetStoreOptions {
  /** Time source. Default {@link systemClock}. */
  readonly clock?: Clock;
  /**
   * How long an empty bucket takes to refill, in ms, until the headers say otherwise
   * (OpenAI's request and token limits are per minute). Default 60000.
   */
  readonly windowMs?: number;
  /** Limits of a key before any response has reported them (e.g. from the account's tier); the headers replace them. */
  readonly limitsFor?: (key: string) => BudgetLimits | undefined;
  /** Keys kept at most; past it, keys whose buckets are full again go first, then the oldest. Default 1000. */
  readonly maxKeys?: number;
}

/** The in-memory {@link BudgetStore}: it answers synchronously. */
export interface MemoryBudgetStore extends BudgetStore {
  reserve(key: string, demand: BudgetDemand, maxWaitMs: number): BudgetReservation;
  settle(ticket: BudgetTicket, outcome: BudgetOutcome): void;
  observe(key: string, snapshot: RateLimitSnapshot): void;
  pause(key: string, pauseMs: number, promised?: BudgetDemand): void;
  delayOf(ticket: BudgetTicket): number;
  inspect(key: string): BudgetRecord | undefined;
  /** Keys held now (at most `maxKeys`). */
  size(): number;
}

/** One bucket. With a known `limit` it refills continuously; without one it counts down to `resetAt`. */
interface Bucket {
  limit: number | null;
  windowMs: number;
  /** Available at `at`; may be negative (lent to queued calls). Null: unknown, never holds a call back. */
  level: number | null;
  /** When `level` was true; later than now during a pause (nothing refills before it). */
  at: number;
  /** Only for a bucket of unknown size: when the server said it is full again (then the level is unknown). */
  resetAt: number | null;
}

/** A granted call still waiting for its turn; a pause may move `sendAt` later. */
interface QueuedCall {
  readonly ticket: BudgetTicket;
  sendAt: number;
}

interface KeyState {
  readonly requests: Bucket;
  readonly tokens: Bucket;
  pausedUntil: number;
  observedAt: number;
  /** Granted calls whose time had come when last looked at and that are not settled: maybe counted by the server. */
  sentRequests: number;
  sentTokens: number;
  /** Granted calls still waiting for their time, in order: certainly not counted by the server yet. */
  readonly queue: QueuedCall[];
  queueHead: number;
  queuedRequests: number;
  queuedTokens: number;
  /** Everything ever taken from the key (never less): what tells how much was taken after a given ticket. */
  takenRequests: number;
  takenTokens: number;
}

// Bounds of a window learned from the headers: from a second to a day.
const shortestWindowMs = 1_000;
const longestWindowMs = 86_400_000;
const sweepEveryMs = 60_000;

const positive = (value: number | null | undefined): number | null =>
  typeof value === 'number' && value > 0 && Number.isFinite(value) ? value : null;

function refill(bucket: Bucket, now: number): void {
  if (bucket.level === null) return;
  if (bucket.limit === null) {
    if (bucket.resetAt !== null && bucket.resetAt <= now) {
      bucket.level = null;
      bucket.resetAt = null;
    }
    return;
  }
  // During a pause `at` is ahead: nothing refills before it.
  if (now <= bucket.at) return;
  if (bucket.level < bucket.limit)
    bucket.level = Math.min(bucket.limit, bucket.level + ((now - bucket.at) * bucket.limit) / bucket.windowMs);
  bucket.at = now;
}

/** When the bucket holds `amount` (now, if it does or nothing is known). */
function readyAt(bucket: Bucket, amount: number, now: number): number {
  if (bucket.level === null || (bucket.level >= amount && bucket.at <= now)) return now;
  if (bucket.limit === null) return bucket.resetAt ?? now;
  return Math.max(now, bucket.at) + (Math.max(0, amount - bucket.level) * bucket.windowMs) / bucket.limit;
}

/** What a bucket of known size holds at `when` (>= now), or null when its size or level is unknown. */
function levelAt(bucket: Bucket, when: number): number | null {
  if (bucket.level === null || bucket.limit === null) return null;
  if (when <= bucket.at) return bucket.level;
  return Math.min(bucket.limit, bucket.level + ((when - bucket.at) * bucket.limit) / bucket.windowMs);
}

const take = (bucket: Bucket, amount: number): void => {
  if (bucket.level !== null) bucket.level -= amount;
};

const giveBack = (bucket: Bucket, amount: number): void => {
  if (bucket.level === null) return;
  bucket.level += amount;
  if (bucket.limit !== null && bucket.level > bucket.limit) bucket.level = bucket.limit;
};

const isFull = (bucket: Bucket): boolean =>
  bucket.level === null ? true : bucket.limit === null ? bucket.resetAt === null : bucket.level >= bucket.limit;

/**
 * What a snapshot's `remaining` may have missed of this process's own calls: all that
 * was taken after the call whose response carried it (`since`: the server computed
 * `remaining` while handling that call, and may or may not have seen the later ones),
 * and the calls still in flight (sent earlier, they may still have reached the server
 * later: requests overtake each other on their connections); or, for headers that
 * came outside a reservation, nothing known (then they only ever lower the level).
 */
interface Unseen {
  /** Still queued: certainly not seen by the server. */
  readonly queued: number;
  /** Taken after the call that carried the snapshot (queued ones included), or null when unknown. */
  readonly since: number | null;
  /** In flight now. */
  readonly inFlight: number;
}

/**
 * Corrects a bucket from the server's figures. The server's `remaining` counts every
 * call it has seen, from every process, when it handled the call that carried it; it
 * cannot have seen this process's calls still queued, and may or may not have seen
 * those taken after that call or still in flight. So the true level lies between
 * `remaining - since - inFlight` and `remaining - queued`: the local level is kept
 * when it lies there (it counts this process's own calls exactly) and moved to the
 * nearer end when it does not (other processes used the key, an estimate was off).
 * An answer that took long carries an old `remaining`, which `since` accounts for.
 */
function correct(bucket: Bucket, window: RateLimitWindow, unseen: Unseen, now: number): void {
  refill(bucket, now);
  const limit = positive(window.limit);
  if (limit !== null && limit !== bucket.limit) {
    if (bucket.level !== null && bucket.limit !== null)
      bucket.level = Math.min(limit, bucket.level + limit - bucket.limit);
    bucket.limit = limit;
    bucket.resetAt = null;
  }
  if (bucket.limit !== null && window.remaining !== null && window.resetMs !== null && window.resetMs > 0) {
    // OpenAI's reset is the time until the bucket is full: the missing part refills in
    // it. `remaining` is rounded down, so the missing part is taken one smaller: a
    // window learned a little too long rather than too short (which would send early).
    const missing = bucket.limit - window.remaining - 1;
    if (missing >= 1 && missing >= bucket.limit / 20) {
      bucket.windowMs = Math.min(
        longestWindowMs,
        Math.max(shortestWindowMs, (window.resetMs * bucket.limit) / missing),
      );
    }
  }
  if (window.remaining !== null) {
    const highest = window.remaining - unseen.queued;
    const lowest =
      unseen.since === null ? null : window.remaining - Math.max(unseen.since, unseen.queued) - unseen.inFlight;
    const level =
      bucket.level === null
        ? (lowest ?? highest - unseen.inFlight)
        : Math.min(highest, lowest === null ? bucket.level : Math.max(lowest, bucket.level));
    bucket.level = bucket.limit === null ? level : Math.min(bucket.limit, level);
    bucket.at = Math.max(bucket.at, now);
    if (bucket.limit === null) bucket.resetAt = window.resetAt;
  } else if (bucket.limit !== null && bucket.level === null) {
    bucket.level = bucket.limit - unseen.queued - unseen.inFlight;
    bucket.at = Math.max(bucket.at, now);
  }
}

function windowView(bucket: Bucket, now: number): BudgetWindow {
  const { level, limit } = bucket;
  const resetAt =
    level === null
      ? null
      : limit === null
        ? bucket.resetAt
        : level >= limit
          ? null
          : Math.ceil(now + ((limit - level) * bucket.windowMs) / limit);
  return { limit, remaining: level === null ? null : Math.floor(level), resetAt, windowMs: bucket.windowMs };
}

/**
 * Creates the default {@link BudgetStore}: token buckets in a `Map`, answering
 * synchronously.
 *
 * Each key has a request bucket and a token bucket. A bucket whose size is known
 * (from the `x-ratelimit-limit-*` headers, or `limitsFor`) refills continuously, from
 * empty to full in its window (60 s unless the headers' reset times say otherwise),
 * so a call waits for the one request and the tokens it needs, not for a full reset.
 * A bucket of unknown size counts down what the server said remains and is unknown
 * again at its reset time. Reservations are granted first come, first served, each
 * after the one before it, at the rate the buckets refill; the server's figures of
 * every response correct the buckets (see `settle`). State per key is bounded: a key
 * whose buckets are full again with nothing in flight carries nothing worth keeping
 * and is dropped when a minute has passed or `maxKeys` is reached. Throws a TypeError
 * for a `windowMs` or `maxKeys` below 1.
 *
 * @example
 * const store = createMemoryBudgetStore({ limitsFor: (key) => (key.startsWith('chat:') ? { requests: 500, tokens: 200_000 } : undefined) });
 * const transport = createTransport({ pacing: { store } });
 */
export function createMemoryBudgetStore(options: MemoryBudgetStoreOptions = {}): MemoryBudgetStore {
  const clock = options.clock ?? systemClock;
  const defaultWindowMs = options.windowMs ?? 60_000;
  if (!(defaultWindowMs >= 1 && Number.isFinite(defaultWindowMs)))
    throw new TypeError(`windowMs must be a finite number >= 1, got ${defaultWindowMs}`);
  const maxKeys = options.maxKeys ?? 1_000;
  if (!(Number.isInteger(maxKeys) && maxKeys >= 1))
    throw new TypeError(`maxKeys must be an integer >= 1, got ${maxKeys}`);
  const states = new Map<string, KeyState>();
  const queuedCalls = new Map<BudgetTicket, QueuedCall>();
  let sweptAt = clock.now();

  const isIdle = (state: KeyState, now: number): boolean => {
    if (
      state.sentRequests > 0 ||
      state.queue.length > state.queueHead ||
      state.pausedUntil > now ||
      state.requests.at > now ||
      state.tokens.at > now
    )
      return false;
    refill(state.requests, now);
    refill(state.tokens, now);
    return isFull(state.requests) && isFull(state.tokens);
  };

  /** Drops idle keys; when still at `maxKeys` and `room` is asked for, the oldest keys too. */
  const sweep = (now: number, room: boolean): void => {
    sweptAt = now;
    for (const [key, state] of states) if (isIdle(state, now)) states.delete(key);
    if (!room) return;
    for (const [key, state] of states) {
      if (states.size < maxKeys) break;
      states.delete(key);
      for (const queued of state.queue) queuedCalls.delete(queued.ticket);
    }
  };

  const newBucket = (limit: number | undefined, windowMs: number | undefined, now: number): Bucket => {
    const size = positive(limit);
    return { limit: size, windowMs: positive(windowMs) ?? defaultWindowMs, level: size, at: now, resetAt: null };
  };

  const stateOf = (key: string, now: number): KeyState => {
    if (now - sweptAt >= sweepEveryMs) sweep(now, false);
    const existing = states.get(key);
    if (existing !== undefined) return existing;
    if (states.size >= maxKeys) sweep(now, true);
    const limits = options.limitsFor?.(key);
    const state: KeyState = {
      requests: newBucket(limits?.requests, limits?.windowMs, now),
      tokens: newBucket(limits?.tokens, limits?.windowMs, now),
      pausedUntil: 0,
      observedAt: 0,
      sentRequests: 0,
      sentTokens: 0,
      queue: [],
      queueHead: 0,
      queuedRequests: 0,
      queuedTokens: 0,
      takenRequests: 0,
      takenTokens: 0,
    };
    states.set(key, state);
    return state;
  };

  /** Moves the queued calls whose time has come to the in-flight counts. */
  const advance = (state: KeyState, now: number): void => {
    const { queue } = state;
    while (state.queueHead < queue.length) {
      const queued = queue[state.queueHead];
      if (queued === undefined || queued.sendAt > now) break;
      state.queueHead += 1;
      queuedCalls.delete(queued.ticket);
      state.queuedRequests -= queued.ticket.requests;
      state.queuedTokens -= queued.ticket.tokens;
      state.sentRequests += queued.ticket.requests;
      state.sentTokens += queued.ticket.tokens;
    }
    if (state.queueHead === queue.length) {
      queue.length = 0;
      state.queueHead = 0;
    } else if (state.queueHead > 64 && state.queueHead * 2 > queue.length) {
      queue.splice(0, state.queueHead);
      state.queueHead = 0;
    }
  };

  const enqueue = (state: KeyState, ticket: BudgetTicket): void => {
    const { queue } = state;
    const queued: QueuedCall = { ticket, sendAt: ticket.sendAt };
    let index = queue.length;
    // Calls come in `sendAt` order unless a correction moved a bucket up.
    while (index > state.queueHead && (queue[index - 1]?.sendAt ?? 0) > queued.sendAt) index -= 1;
    queue.splice(index, 0, queued);
    queuedCalls.set(ticket, queued);
    state.queuedRequests += ticket.requests;
    state.queuedTokens += ticket.tokens;
  };

  /** The queued call of a ticket (the same object, or an equal copy of one granted for later than now). */
  const findQueued = (state: KeyState, ticket: BudgetTicket, now: number): QueuedCall | undefined => {
    const known = queuedCalls.get(ticket);
    if (known !== undefined || ticket.sendAt <= now) return known;
    for (let index = state.queueHead; index < state.queue.length; index += 1) {
      const queued = state.queue[index];
      if (
        queued?.ticket.sendAt === ticket.sendAt &&
        queued.ticket.requests === ticket.requests &&
        queued.ticket.tokens === ticket.tokens
      )
        return queued;
    }
    return undefined;
  };

  const dequeue = (state: KeyState, queued: QueuedCall): void => {
    const index = state.queue.indexOf(queued, state.queueHead);
    if (index === -1) return;
    state.queue.splice(index, 1);
    queuedCalls.delete(queued.ticket);
    state.queuedRequests -= queued.ticket.requests;
    state.queuedTokens -= queued.ticket.tokens;
  };

  /**
   * Starts or lengthens a pause until `until`: each bucket of known size holds at most
   * `promised` then (what it would hold, refilled, if less), nothing refills before it,
   * and the queued calls move after it in their order, each when the buckets have
   * refilled for it.
   */
  const pauseUntil = (state: KeyState, until: number, promised: BudgetDemand, now: number): void => {
    state.pausedUntil = until;
    const plans: {
      readonly bucket: Bucket;
      readonly free: number;
      readonly amount: (ticket: BudgetTicket) => number;
    }[] = [];
    for (const [bucket, queuedAmount, cap, amount] of [
      [state.requests, state.queuedRequests, promised.requests, (ticket: BudgetTicket) => ticket.requests],
      [state.tokens, state.queuedTokens, promised.tokens, (ticket: BudgetTicket) => ticket.tokens],
    ] as const) {
      refill(bucket, now);
      const atEnd = levelAt(bucket, until);
      if (atEnd === null || bucket.limit === null) continue;
      // What the bucket holds when the pause ends, before the queued calls take their share.
      const free = Math.min(atEnd + queuedAmount, Math.max(0, cap));
      bucket.level = free - queuedAmount;
      bucket.at = until;
      plans.push({ bucket, free, amount });
    }
    const taken = plans.map(() => 0);
    for (let index = state.queueHead; index < state.queue.length; index += 1) {
      const queued = state.queue[index];
      if (queued === undefined) continue;
      let sendAt = Math.max(until, queued.sendAt);
      plans.forEach((plan, which) => {
        const total = (taken[which] ?? 0) + plan.amount(queued.ticket);
        taken[which] = total;
        const limit = plan.bucket.limit ?? 1;
        sendAt = Math.max(sendAt, until + (Math.max(0, total - plan.free) * plan.bucket.windowMs) / limit);
      });
      queued.sendAt = sendAt;
    }
  };

  /** Corrects the buckets from a snapshot; `carrier` is the ticket whose response carried it, if any. */
  const observeInto = (
    state: KeyState,
    snapshot: RateLimitSnapshot,
    carrier: BudgetTicket | undefined,
    now: number,
  ): void => {
    if (snapshot.observedAt < state.observedAt) return;
    state.observedAt = snapshot.observedAt;
    const after = carrier?.takenBefore;
    correct(
      state.requests,
      snapshot.requests,
      {
        queued: state.queuedRequests,
        inFlight: state.sentRequests,
        since:
          after === undefined || carrier === undefined ? null : state.takenRequests - after.requests - carrier.requests,
      },
      now,
    );
    correct(
      state.tokens,
      snapshot.tokens,
      {
        queued: state.queuedTokens,
        inFlight: state.sentTokens,
        since: after === undefined || carrier === undefined ? null : state.takenTokens - after.tokens - carrier.tokens,
      },
      now,
    );
  };

  const store: MemoryBudgetStore = {
    reserve(key, demand, maxWaitMs) {
      const now = clock.now();
      const state = stateOf(key, now);
      advance(state, now);
      const { requests, tokens } = state;
      refill(requests, now);
      refill(tokens, now);
      if (tokens.limit !== null && demand.tokens > tokens.limit)
        return { type: 'too-large', unit: 'tokens', limit: tokens.limit };
      if (requests.limit !== null && demand.requests > requests.limit)
        return { type: 'too-large', unit: 'requests', limit: requests.limit };
      let sendAt = now;
      let reason: PacingReason | null = null;
      if (state.pausedUntil > sendAt) {
        sendAt = state.pausedUntil;
        reason = 'paused';
      }
      const requestsAt = readyAt(requests, demand.requests, now);
      if (requestsAt > sendAt) {
        sendAt = requestsAt;
        reason = 'requests';
      }
      const tokensAt = readyAt(tokens, demand.tokens, now);
      if (tokensAt > sendAt) {
        sendAt = tokensAt;
        reason = 'tokens';
      }
      const waitMs = sendAt - now;
      if (reason !== null && waitMs > maxWaitMs) return { type: 'refused', waitMs, reason };
      take(requests, demand.requests);
      take(tokens, demand.tokens);
      const ticket: BudgetTicket = {
        key,
        requests: demand.requests,
        tokens: demand.tokens,
        sendAt,
        takenBefore: { requests: state.takenRequests, tokens: state.takenTokens },
      };
      state.takenRequests += demand.requests;
      state.takenTokens += demand.tokens;
      if (sendAt > now) enqueue(state, ticket);
      else {
        state.sentRequests += demand.requests;
        state.sentTokens += demand.tokens;
      }
      return { type: 'granted', waitMs, reason, ticket };
    },

    settle(ticket, outcome) {
      const state = states.get(ticket.key);
      // A key dropped meanwhile (maxKeys) starts again from the headers.
      if (state === undefined) return;
      const now = clock.now();
      advance(state, now);
      const queued = findQueued(state, ticket, now);
      if (queued !== undefined) dequeue(state, queued);
      else {
        state.sentRequests = Math.max(0, state.sentRequests - ticket.requests);
        state.sentTokens = Math.max(0, state.sentTokens - ticket.tokens);
      }
      refill(state.requests, now);
      refill(state.tokens, now);
      if (!outcome.charged) {
        giveBack(state.requests, ticket.requests);
        giveBack(state.tokens, ticket.tokens);
      } else if (outcome.usedTokens !== null && outcome.usedTokens >= 0) {
        giveBack(state.tokens, ticket.tokens - outcome.usedTokens);
      }
      if (outcome.snapshot !== null) observeInto(state, outcome.snapshot, ticket, now);
    },

    observe(key, snapshot) {
      const now = clock.now();
      const state = stateOf(key, now);
      advance(state, now);
      observeInto(state, snapshot, undefined, now);
    },

    pause(key, pauseMs, promised = { requests: 1, tokens: 0 }) {
      if (!(pauseMs > 0)) return;
      const now = clock.now();
      const state = stateOf(key, now);
      advance(state, now);
      if (now + pauseMs > state.pausedUntil) pauseUntil(state, now + pauseMs, promised, now);
    },

    delayOf(ticket) {
      const state = states.get(ticket.key);
      if (state === undefined) return 0;
      const now = clock.now();
      advance(state, now);
      const queued = findQueued(state, ticket, now);
      return queued === undefined ? 0 : Math.max(0, queued.sendAt - now);
    },

    inspect(key) {
      const state = states.get(key);
      if (state === undefined) return undefined;
      const now = clock.now();
      advance(state, now);
      refill(state.requests, now);
      refill(state.tokens, now);
      const known = (bucket: Bucket): boolean => bucket.level !== null || bucket.limit !== null;
      if (!known(state.requests) && !known(state.tokens) && state.pausedUntil <= now) return undefined;
      return {
        requests: windowView(state.requests, now),
        tokens: windowView(state.tokens, now),
        pausedUntil: state.pausedUntil > now ? state.pausedUntil : null,
        observedAt: state.observedAt,
        queued: state.queue.length - state.queueHead,
        inFlight: state.sentRequests,
      };
    },

    size: () => states.size,
  };
  return store;
}
