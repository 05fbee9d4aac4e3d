import type { Logger, RateLimitSnapshot, RateLimitWindow } from '@openai-integration/core';
import {
  createMemoryBudgetStore,
  type BudgetDemand,
  type BudgetLimits,
  type BudgetOutcome,
  type BudgetRecord,
  type BudgetReservation,
  type BudgetStore,
  type BudgetTicket,
  type BudgetWindow,
  type Clock,
  type MemoryBudgetStore,
  type PacingReason,
  startTimer,
} from '@openai-integration/transport';
import { budgetScript } from '../internal/budget-script.ts';
import type { Gateway, GatewayAnswer } from '../internal/redis-gateway.ts';
import { redisKey } from '../internal/redis-keys.ts';
import { luaScript } from '../internal/run-script.ts';
import type { BorrowOptions, UnavailablePolicy } from '../store/redis-store-options.ts';

const script = luaScript(budgetScript);

/** What the budget store needs from the store that owns it. */
export interface RedisBudgetStoreSettings {
  readonly gateway: Gateway;
  readonly prefix: string;
  readonly clock: Clock;
  /** Whether `clock` is the caller's (then return timers run on it; else on unref'd real timers). */
  readonly clockInjected: boolean;
  readonly logger: Logger;
  readonly windowMs: number;
  readonly limitsFor: ((key: string) => BudgetLimits | undefined) | undefined;
  readonly policy: UnavailablePolicy;
  readonly instances: number;
  readonly timeoutMs: number;
  readonly borrow: Required<BorrowOptions> | undefined;
  readonly headroom: number;
  readonly maxKeys: number;
  readonly maxPending: number;
}

/** The budget store on Redis, with what its owner needs to flush and measure it. */
export interface RedisBudgetStore extends BudgetStore {
  /** Sends what waits for Redis: settles kept while it was away, slices' returns. */
  flush(): Promise<void>;
  /** Settles and returns still waiting for Redis. */
  pending(): number;
  /** Gives every borrowed slice back (waiting for Redis at most its timeout). */
  close(): Promise<void>;
}

/** A slice of a key's budget borrowed from Redis and spent here. */
interface Slice {
  readonly key: string;
  requests: number;
  tokens: number;
  readonly unlimitedRequests: boolean;
  readonly unlimitedTokens: boolean;
  /** What it counts as granted on Redis, to drop from there when it is given back. */
  readonly borrowedRequests: number;
  readonly borrowedTokens: number;
  readonly expiresAt: number;
  active: boolean;
}

/** What a key owes Redis from slices: given back (negative tokens: spent beyond them), and the newest figures seen. */
interface Owed {
  requests: number;
  tokens: number;
  borrowedRequests: number;
  borrowedTokens: number;
  snapshot: RateLimitSnapshot | null;
}

/** A settle that could not reach Redis, sent when it answers again. */
interface PendingSettle {
  readonly ticket: BudgetTicket;
  readonly charged: boolean;
  readonly usedTokens: number | null;
}

const largestWait = 1e15;

const finite = (value: number, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
const amount = (value: number): number => Math.max(0, finite(value, 0));
const field = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);

const text = (reply: readonly unknown[], index: number): string => {
  const value = reply[index];
  return typeof value === 'string' ? value : '';
};
const number = (reply: readonly unknown[], index: number): number | null => {
  const value = text(reply, index);
  if (value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
};

const isReason = (value: string): value is PacingReason =>
  value === 'paused' || value === 'requests' || value === 'tokens';

/**
 * Creates the {@link BudgetStore} on Redis: every reservation, settle, correction and
 * pause is one run of one Lua script on the key's hash, on Redis's clock. When Redis
 * is away it answers by `policy` without waiting, keeps settles to send later, and
 * undoes reservations whose answer came after the caller stopped waiting.
 */
export function createRedisBudgetStore(settings: RedisBudgetStoreSettings): RedisBudgetStore {
  const { gateway, clock, logger, borrow } = settings;
  /** Server time minus local time, learned from every answer. */
  let offset = 0;
  const serverNow = (): number => clock.now() + offset;
  const learnTime = (serverAt: number | null, sentAt: number): void => {
    if (serverAt === null) return;
    offset = serverAt - (sentAt + clock.now()) / 2;
  };

  /** Limits Redis reported per key, for the local share while it is away (bounded). */
  const learned = new Map<string, BudgetLimits>();
  const learn = (key: string, requests: number | null, tokens: number | null): void => {
    if (requests === null && tokens === null) return;
    learned.delete(key);
    if (learned.size >= settings.maxKeys) learned.delete(learned.keys().next().value ?? '');
    learned.set(key, {
      ...(requests === null ? {} : { requests }),
      ...(tokens === null ? {} : { tokens }),
    });
  };

  const share = (limit: number | undefined): number | undefined =>
    limit === undefined ? undefined : Math.max(1, Math.floor(limit / settings.instances));
  let local: MemoryBudgetStore | undefined;
  const localStore = (): MemoryBudgetStore => {
    local ??= createMemoryBudgetStore({
      clock,
      windowMs: settings.windowMs,
      maxKeys: settings.maxKeys,
      limitsFor: (key) => {
        const limits = settings.limitsFor?.(key) ?? learned.get(key);
        if (limits === undefined) return undefined;
        const requests = share(limits.requests);
        const tokens = share(limits.tokens);
        return {
          ...(requests === undefined ? {} : { requests }),
          ...(tokens === undefined ? {} : { tokens }),
          ...(limits.windowMs === undefined ? {} : { windowMs: limits.windowMs }),
        };
      },
    });
    return local;
  };
  /** Tickets granted without Redis: by the local share, or unpaced. */
  const localTickets = new WeakSet<BudgetTicket>();
  const unpacedTickets = new WeakSet<BudgetTicket>();
  const sliceTickets = new WeakMap<BudgetTicket, Slice>();

  const slices = new Map<string, Slice>();
  const owed = new Map<string, Owed>();
  const pausedUntil = new Map<string, number>();
  const returnTimers = new Map<string, () => void>();
  /** Remembers a key's pause (Redis's time), so that no slice is spent during it; bounded by `maxKeys`. */
  const notePause = (key: string, until: number): void => {
    pausedUntil.delete(key);
    if (pausedUntil.size >= settings.maxKeys) {
      const now = serverNow();
      for (const [other, end] of pausedUntil) if (end <= now) pausedUntil.delete(other);
      if (pausedUntil.size >= settings.maxKeys) pausedUntil.delete(pausedUntil.keys().next().value ?? '');
    }
    pausedUntil.set(key, until);
  };
  const pendingSettles: PendingSettle[] = [];
  let droppedSettles = 0;

  const configured = (key: string): string[] => {
    const limits = settings.limitsFor?.(key);
    return [field(limits?.requests), field(limits?.tokens), field(limits?.windowMs), String(settings.windowMs)];
  };

  const snapshotArgs = (snapshot: RateLimitSnapshot | null): string[] => {
    if (snapshot === null) return ['', '', '', '', '', '', ''];
    const windowArgs = (window: RateLimitWindow): string[] => [
      field(window.limit),
      field(window.remaining),
      field(window.resetMs),
    ];
    return [
      String(Math.max(0, clock.now() - finite(snapshot.observedAt, clock.now()))),
      ...windowArgs(snapshot.requests),
      ...windowArgs(snapshot.tokens),
    ];
  };

  const run = (
    key: string,
    operation: string,
    args: readonly (string | number)[],
    options?: { readonly onLate?: (value: unknown) => void },
  ): Promise<GatewayAnswer> =>
    gateway.run(script, [redisKey(settings.prefix, 'budget', key)], [operation, ...configured(key), ...args], options);

  const keep = (entry: PendingSettle): void => {
    if (pendingSettles.length >= settings.maxPending) {
      pendingSettles.shift();
      droppedSettles += 1;
      if (droppedSettles === 1)
        logger.warn(
          { maxPending: settings.maxPending },
          'redis-store: too many settles waiting for Redis; the oldest are dropped (their budget refills with time)',
        );
    }
    pendingSettles.push(entry);
  };

  const settleOnRedis = async (entry: PendingSettle, snapshot: RateLimitSnapshot | null): Promise<boolean> => {
    const { ticket } = entry;
    const answer = await run(ticket.key, 'settle', [
      amount(ticket.requests),
      amount(ticket.tokens),
      amount(ticket.takenBefore.requests),
      amount(ticket.takenBefore.tokens),
      entry.charged ? '1' : '0',
      field(entry.usedTokens),
      ...snapshotArgs(snapshot),
    ]);
    if (answer.ok) return true;
    keep(entry);
    return false;
  };

  /** Gives back a reservation Redis granted after the store stopped waiting (its timeout). */
  const undoLate =
    (key: string, demand: BudgetDemand) =>
    (value: unknown): void => {
      if (!Array.isArray(value) || text(value, 0) !== 'granted') return;
      const ticket: BudgetTicket = {
        key,
        requests: demand.requests,
        tokens: demand.tokens,
        sendAt: number(value, 3) ?? 0,
        takenBefore: { requests: number(value, 4) ?? 0, tokens: number(value, 5) ?? 0 },
      };
      const slice = { requests: number(value, 6) ?? 0, tokens: number(value, 7) ?? 0 };
      void settleOnRedis({ ticket, charged: false, usedTokens: null }, null);
      if (slice.requests > 0 || slice.tokens > 0) {
        const debt = owedOf(key);
        debt.requests += slice.requests;
        debt.tokens += slice.tokens;
        debt.borrowedRequests += slice.requests;
        debt.borrowedTokens += slice.tokens;
        scheduleReturn(key, 0);
      }
    };

  const owedOf = (key: string): Owed => {
    let debt = owed.get(key);
    if (debt === undefined) {
      debt = { requests: 0, tokens: 0, borrowedRequests: 0, borrowedTokens: 0, snapshot: null };
      owed.set(key, debt);
    }
    return debt;
  };

  const hasDebt = (debt: Owed | undefined): debt is Owed =>
    debt !== undefined &&
    (debt.requests !== 0 ||
      debt.tokens !== 0 ||
      debt.borrowedRequests !== 0 ||
      debt.borrowedTokens !== 0 ||
      debt.snapshot !== null);

  /** Ends a slice: what it holds goes to the key's debt, to be given back with the next call to Redis. */
  const retire = (slice: Slice): void => {
    if (!slice.active) return;
    slice.active = false;
    if (slices.get(slice.key) === slice) slices.delete(slice.key);
    const debt = owedOf(slice.key);
    if (!slice.unlimitedRequests) debt.requests += slice.requests;
    if (!slice.unlimitedTokens) debt.tokens += slice.tokens;
    debt.borrowedRequests += slice.borrowedRequests;
    debt.borrowedTokens += slice.borrowedTokens;
  };

  const debtArgs = (debt: Owed | undefined): string[] => [
    String(debt?.requests ?? 0),
    String(debt?.tokens ?? 0),
    String(debt?.borrowedRequests ?? 0),
    String(debt?.borrowedTokens ?? 0),
  ];

  /** Takes the key's debt to send it; {@link restoreDebt} puts it back when Redis did not get it. */
  const takeDebt = (key: string): Owed | undefined => {
    const debt = owed.get(key);
    owed.delete(key);
    return debt;
  };
  const restoreDebt = (key: string, debt: Owed | undefined): void => {
    if (!hasDebt(debt)) return;
    const current = owedOf(key);
    current.requests += debt.requests;
    current.tokens += debt.tokens;
    current.borrowedRequests += debt.borrowedRequests;
    current.borrowedTokens += debt.borrowedTokens;
    if (current.snapshot === null || (debt.snapshot !== null && debt.snapshot.observedAt > current.snapshot.observedAt))
      current.snapshot = debt.snapshot;
  };

  const returnDebt = async (key: string, expired?: Slice): Promise<void> => {
    if (expired !== undefined) retire(expired);
    const debt = takeDebt(key);
    if (!hasDebt(debt)) return;
    const answer = await run(key, 'return', [...debtArgs(debt), ...snapshotArgs(debt.snapshot)]);
    if (!answer.ok) restoreDebt(key, debt);
  };

  /**
   * Gives a key's debt back after `afterMs`, and `slice` with it when given (a new
   * slice replaces the timer of the one before: its borrow carried that one's debt).
   */
  const scheduleReturn = (key: string, afterMs: number, slice?: Slice): void => {
    if (slice !== undefined) returnTimers.get(key)?.();
    else if (returnTimers.has(key)) return;
    const fire = (): void => {
      returnTimers.delete(key);
      void returnDebt(key, slice);
    };
    if (settings.clockInjected) {
      returnTimers.set(key, startTimer(clock, afterMs, fire));
      return;
    }
    // The real clock: a timer that does not keep the process alive.
    const timer = setTimeout(fire, afterMs);
    timer.unref();
    returnTimers.set(key, () => {
      clearTimeout(timer);
    });
  };

  const grantLocally = (key: string, demand: BudgetDemand, slice: Slice): BudgetReservation | undefined => {
    if (!slice.active || clock.now() >= slice.expiresAt) return undefined;
    if ((pausedUntil.get(key) ?? 0) > serverNow()) return undefined;
    if (!slice.unlimitedRequests && slice.requests < demand.requests) return undefined;
    if (!slice.unlimitedTokens && slice.tokens < demand.tokens) return undefined;
    if (!slice.unlimitedRequests) slice.requests -= demand.requests;
    if (!slice.unlimitedTokens) slice.tokens -= demand.tokens;
    const ticket: BudgetTicket = {
      key,
      requests: demand.requests,
      tokens: demand.tokens,
      sendAt: serverNow(),
      takenBefore: { requests: 0, tokens: 0 },
    };
    sliceTickets.set(ticket, slice);
    return { type: 'granted', waitMs: 0, reason: null, ticket };
  };

  const unpacedGrant = (key: string, demand: BudgetDemand): BudgetReservation => {
    const ticket: BudgetTicket = {
      key,
      requests: demand.requests,
      tokens: demand.tokens,
      sendAt: serverNow(),
      takenBefore: { requests: 0, tokens: 0 },
    };
    unpacedTickets.add(ticket);
    return { type: 'granted', waitMs: 0, reason: null, ticket };
  };

  /** The answer without Redis, by policy. */
  const withoutRedis = (key: string, demand: BudgetDemand, maxWaitMs: number): BudgetReservation => {
    switch (settings.policy) {
      case 'unpaced':
        return unpacedGrant(key, demand);
      case 'refuse':
        return {
          type: 'refused',
          waitMs: Math.max(maxWaitMs + 1, gateway.openForMs(), settings.timeoutMs),
          reason: 'requests',
        };
      case 'local-share': {
        const reservation = localStore().reserve(key, demand, maxWaitMs);
        if (reservation.type === 'granted') localTickets.add(reservation.ticket);
        return reservation;
      }
    }
  };

  const readReservation = (
    key: string,
    demand: BudgetDemand,
    reply: unknown,
    sentAt: number,
  ): BudgetReservation | undefined => {
    if (!Array.isArray(reply)) return undefined;
    const kind = text(reply, 0);
    const tail = kind === 'granted' ? 8 : 3;
    learnTime(number(reply, tail + 2), sentAt);
    learn(key, number(reply, tail), number(reply, tail + 1));
    const paused = number(reply, tail + 3);
    if (paused !== null && paused > serverNow()) notePause(key, paused);
    if (kind === 'too-large') {
      const unit = text(reply, 1) === 'requests' ? 'requests' : 'tokens';
      return { type: 'too-large', unit, limit: number(reply, 2) ?? 0 };
    }
    const waitMs = Math.max(0, number(reply, 1) ?? 0);
    const reason = text(reply, 2);
    if (kind === 'refused') return { type: 'refused', waitMs, reason: isReason(reason) ? reason : 'requests' };
    if (kind !== 'granted') return undefined;
    const ticket: BudgetTicket = {
      key,
      requests: demand.requests,
      tokens: demand.tokens,
      sendAt: number(reply, 3) ?? serverNow(),
      takenBefore: { requests: number(reply, 4) ?? 0, tokens: number(reply, 5) ?? 0 },
    };
    if (borrow !== undefined) {
      const sliceRequests = text(reply, 6);
      const sliceTokens = text(reply, 7);
      const unlimitedRequests = sliceRequests === 'unlimited';
      const unlimitedTokens = sliceTokens === 'unlimited';
      const requests = unlimitedRequests ? 0 : (number(reply, 6) ?? 0);
      const tokens = unlimitedTokens ? 0 : (number(reply, 7) ?? 0);
      if ((unlimitedRequests || requests > 0) && (unlimitedTokens || tokens > 0)) {
        const slice: Slice = {
          key,
          requests,
          tokens,
          unlimitedRequests,
          unlimitedTokens,
          borrowedRequests: requests,
          borrowedTokens: tokens,
          expiresAt: clock.now() + borrow.holdMs,
          active: true,
        };
        slices.set(key, slice);
        scheduleReturn(key, borrow.holdMs, slice);
      }
    }
    return { type: 'granted', waitMs, reason: isReason(reason) ? reason : null, ticket };
  };

  const reserve = async (key: string, rawDemand: BudgetDemand, rawMaxWaitMs: number): Promise<BudgetReservation> => {
    const demand: BudgetDemand = { requests: amount(rawDemand.requests), tokens: amount(rawDemand.tokens) };
    const maxWaitMs = Math.min(largestWait, amount(rawMaxWaitMs));
    const current = slices.get(key);
    if (current !== undefined) {
      const granted = grantLocally(key, demand, current);
      if (granted !== undefined) return granted;
      retire(current);
    }
    const sentAt = clock.now();
    const debt = borrow === undefined ? undefined : takeDebt(key);
    const args =
      borrow === undefined
        ? [demand.requests, demand.tokens, maxWaitMs, 0, settings.headroom]
        : [
            ...debtArgs(debt),
            ...snapshotArgs(debt?.snapshot ?? null),
            demand.requests,
            demand.tokens,
            maxWaitMs,
            borrow.fraction,
            settings.headroom,
          ];
    const answer = await run(key, borrow === undefined ? 'reserve' : 'borrow', args, { onLate: undoLate(key, demand) });
    if (answer.ok) {
      const reservation = readReservation(key, demand, answer.value, sentAt);
      if (reservation !== undefined) return reservation;
      logger.error({ key }, 'redis-store: unreadable answer from the budget script; answering by policy');
    } else {
      restoreDebt(key, debt);
    }
    return withoutRedis(key, demand, maxWaitMs);
  };

  const settle = async (ticket: BudgetTicket, outcome: BudgetOutcome): Promise<void> => {
    if (localTickets.has(ticket)) {
      localStore().settle(ticket, outcome);
      return;
    }
    if (unpacedTickets.has(ticket)) return;
    const slice = sliceTickets.get(ticket);
    if (slice !== undefined) {
      sliceTickets.delete(ticket);
      let requests = 0;
      let tokens = 0;
      if (!outcome.charged) {
        requests = ticket.requests;
        tokens = ticket.tokens;
      } else if (outcome.usedTokens !== null && outcome.usedTokens >= 0) {
        tokens = ticket.tokens - outcome.usedTokens;
      }
      if (slice.active) {
        if (!slice.unlimitedRequests) slice.requests += requests;
        if (!slice.unlimitedTokens) slice.tokens += tokens;
      } else {
        const debt = owedOf(ticket.key);
        if (!slice.unlimitedRequests) debt.requests += requests;
        if (!slice.unlimitedTokens) debt.tokens += tokens;
        scheduleReturn(ticket.key, 0);
      }
      if (outcome.snapshot !== null) {
        const debt = owedOf(ticket.key);
        if (debt.snapshot === null || outcome.snapshot.observedAt >= debt.snapshot.observedAt)
          debt.snapshot = outcome.snapshot;
      }
      return;
    }
    const entry: PendingSettle = { ticket, charged: outcome.charged, usedTokens: outcome.usedTokens };
    if (gateway.degraded()) {
      keep(entry);
      return;
    }
    await settleOnRedis(entry, outcome.snapshot);
  };

  /** A snapshot cut to this process's share, for the local store. */
  const shareOf = (snapshot: RateLimitSnapshot): RateLimitSnapshot => {
    const cut = (window: RateLimitWindow): RateLimitWindow => ({
      ...window,
      limit: window.limit === null ? null : Math.floor(window.limit / settings.instances),
      remaining: window.remaining === null ? null : Math.floor(window.remaining / settings.instances),
    });
    return { ...snapshot, requests: cut(snapshot.requests), tokens: cut(snapshot.tokens) };
  };

  const observe = async (key: string, snapshot: RateLimitSnapshot): Promise<void> => {
    learn(key, snapshot.requests.limit, snapshot.tokens.limit);
    const answer = await run(key, 'observe', snapshotArgs(snapshot));
    if (!answer.ok && settings.policy === 'local-share') localStore().observe(key, shareOf(snapshot));
  };

  const pause = async (key: string, rawPauseMs: number, promised?: BudgetDemand): Promise<void> => {
    const pauseMs = Math.min(largestWait, amount(rawPauseMs));
    if (!(pauseMs > 0)) return;
    const localUntil = serverNow() + pauseMs;
    if (localUntil > (pausedUntil.get(key) ?? 0)) notePause(key, localUntil);
    const answer = await run(key, 'pause', [pauseMs, amount(promised?.requests ?? 1), amount(promised?.tokens ?? 0)]);
    if (answer.ok) return;
    if (settings.policy === 'local-share') localStore().pause(key, pauseMs, promised);
  };

  const delayOf = async (ticket: BudgetTicket): Promise<number> => {
    if (localTickets.has(ticket)) return localStore().delayOf(ticket);
    if (unpacedTickets.has(ticket) || sliceTickets.has(ticket)) return 0;
    const answer = await run(ticket.key, 'delay', [
      field(ticket.sendAt),
      amount(ticket.takenBefore.requests) + amount(ticket.requests),
      amount(ticket.takenBefore.tokens) + amount(ticket.tokens),
    ]);
    const delay = answer.ok && Array.isArray(answer.value) ? number(answer.value, 0) : null;
    return delay ?? Math.max(0, ticket.sendAt - serverNow());
  };

  const windowOf = (
    limit: number | null,
    level: number | null,
    resetAt: number | null,
    windowMs: number,
    now: number,
  ): BudgetWindow => ({
    limit,
    remaining: level === null ? null : Math.floor(level),
    resetAt:
      level === null
        ? null
        : limit === null
          ? resetAt
          : level >= limit
            ? null
            : Math.ceil(now + ((limit - level) * windowMs) / limit),
    windowMs,
  });

  const inspect = async (key: string): Promise<BudgetRecord | undefined> => {
    const answer = await run(key, 'inspect', []);
    if (!answer.ok) return settings.policy === 'local-share' ? localStore().inspect(key) : undefined;
    const reply = answer.value;
    if (!Array.isArray(reply) || text(reply, 0) !== 'record') return undefined;
    const now = number(reply, 1) ?? serverNow();
    const requests = windowOf(
      number(reply, 2),
      number(reply, 3),
      number(reply, 4),
      number(reply, 5) ?? settings.windowMs,
      now,
    );
    const tokens = windowOf(
      number(reply, 6),
      number(reply, 7),
      number(reply, 8),
      number(reply, 9) ?? settings.windowMs,
      now,
    );
    const paused = number(reply, 10) ?? 0;
    const known = (window: BudgetWindow): boolean => window.remaining !== null || window.limit !== null;
    if (!known(requests) && !known(tokens) && paused <= now) return undefined;
    return {
      requests,
      tokens,
      pausedUntil: paused > now ? paused : null,
      observedAt: number(reply, 11) ?? 0,
      queued: Math.ceil(number(reply, 12) ?? 0),
      inFlight: Math.round(number(reply, 13) ?? 0),
    };
  };

  const flush = async (): Promise<void> => {
    for (const key of [...owed.keys()]) await returnDebt(key);
    while (pendingSettles.length > 0 && !gateway.degraded()) {
      const entry = pendingSettles.shift();
      if (entry === undefined) break;
      // The figures of a response that old would only mislead: the settle goes without them.
      if (!(await settleOnRedis(entry, null))) break;
    }
  };

  const close = async (): Promise<void> => {
    for (const cancel of returnTimers.values()) cancel();
    returnTimers.clear();
    for (const slice of [...slices.values()]) retire(slice);
    await flush();
  };

  return {
    reserve,
    settle,
    observe,
    pause,
    delayOf,
    inspect,
    flush,
    close,
    pending: () => pendingSettles.length + [...owed.values()].filter(hasDebt).length,
  };
}
