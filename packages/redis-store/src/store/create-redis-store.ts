import type { Logger } from '@openai-integration/core';
import { systemClock, type BudgetStore, type CooldownStore } from '@openai-integration/transport';
import { createRedisBudgetStore } from '../budget/create-redis-budget-store.ts';
import { createRedisCooldownStore } from '../cooldown/create-redis-cooldown-store.ts';
import { createGateway } from '../internal/redis-gateway.ts';
import type { RedisStoreOptions, UnavailablePolicy } from './redis-store-options.ts';

/** How the store stands; see {@link RedisStore.status}. */
export interface RedisStoreStatus {
  /** `'shared'`: Redis answers; `'degraded'`: it does not, and the policy answers. */
  readonly mode: 'shared' | 'degraded';
  /** The policy used while degraded. */
  readonly whenUnavailable: UnavailablePolicy;
  /** Redis commands sent so far (a script run is one; a reload after `NOSCRIPT` two more). */
  readonly commands: number;
  /** Settles and slice returns waiting for Redis. */
  readonly pending: number;
}

/** Transport's stores on one Redis; see {@link createRedisStore}. */
export interface RedisStore {
  /** Shared rate-limit budgets: give it to `createTransport({ pacing: { store } })` or `createOperations({ store })`. */
  readonly budgets: BudgetStore;
  /** Shared circuit cooldowns and half-open probe leases. */
  readonly cooldowns: CooldownStore;
  /** Whether Redis answers, and what the store has sent. */
  status(): RedisStoreStatus;
  /** Sends what waits for Redis now (settles kept while it was away, slices' returns); Redis's return does it by itself. */
  flush(): Promise<void>;
  /** Gives borrowed slices back and sends what waits (each answer awaited at most `timeoutMs`). The client stays open. */
  close(): Promise<void>;
}

const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
};

const check = (name: string, value: number | undefined, test: (value: number) => boolean, rule: string): void => {
  if (value !== undefined && !test(value)) throw new TypeError(`${name} must be ${rule}, got ${String(value)}`);
};
const positiveNumber = (value: number): boolean => value > 0 && Number.isFinite(value);
const positiveInteger = (value: number): boolean => Number.isInteger(value) && value >= 1;

const policies: readonly UnavailablePolicy[] = ['local-share', 'unpaced', 'refuse'];

/**
 * Creates transport's budget and cooldown stores on Redis, for many processes that
 * share one API key.
 *
 * Budgets are token buckets per key (requests and tokens) in one Redis hash, refilled
 * by Redis's clock: a reservation takes its request and estimated tokens from both
 * buckets in one Lua script run (loaded once and called by hash, reloaded when Redis
 * forgets it), or takes nothing and says how long to wait; a settle gives back what
 * the call did not use and charges what it used beyond its estimate; the headers of
 * responses correct the buckets (and teach their sizes when `limitsFor` does not);
 * a server 429 pauses every process. Cooldowns live as keys with a time to live; the
 * half-open probe is a lease that only its owner releases and that expires if its
 * owner dies. Every key expires once it holds nothing worth keeping.
 *
 * Every Redis call is bounded by `timeoutMs` (and a reservation by the wait its call
 * allows), behind a breaker of the store's own; while Redis is unavailable the
 * budgets answer by `whenUnavailable` at once, settles wait to be sent when Redis is
 * back, and cooldowns are kept per process. Entering and leaving degraded mode are
 * logged once each. Throws a TypeError for settings out of range, or `'local-share'`
 * without `instances`.
 *
 * @example
 * const store = createRedisStore({ client: new Redis(process.env['REDIS_URL'] ?? ''), instances: 4 });
 * const transport = createTransport({ pacing: { store: store.budgets } });
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const policy = options.whenUnavailable ?? 'local-share';
  if (!policies.includes(policy))
    throw new TypeError(`whenUnavailable must be one of ${policies.join(', ')}, got ${JSON.stringify(policy)}`);
  check('instances', options.instances, positiveInteger, 'an integer >= 1');
  if (policy === 'local-share' && options.instances === undefined)
    throw new TypeError(
      "instances is required with whenUnavailable 'local-share': how many processes share the keys (each paces on limit / instances while Redis is unavailable)",
    );
  check('windowMs', options.windowMs, positiveNumber, 'a finite number > 0');
  check('timeoutMs', options.timeoutMs, positiveNumber, 'a finite number > 0');
  check('maxPending', options.maxPending, positiveInteger, 'an integer >= 1');
  check('maxKeys', options.maxKeys, positiveInteger, 'an integer >= 1');
  check('breaker.failures', options.breaker?.failures, positiveInteger, 'an integer >= 1');
  check('breaker.cooldownMs', options.breaker?.cooldownMs, positiveNumber, 'a finite number > 0');
  check('breaker.maxCooldownMs', options.breaker?.maxCooldownMs, positiveNumber, 'a finite number > 0');
  const borrowOptions = options.borrow === true ? {} : options.borrow === false ? undefined : options.borrow;
  check('borrow.fraction', borrowOptions?.fraction, (value) => value > 0 && value <= 0.5, 'a number in (0, 0.5]');
  check('borrow.holdMs', borrowOptions?.holdMs, positiveNumber, 'a finite number > 0');
  check('headroom', options.headroom, (value) => value >= 0 && value < 0.5, 'a number in [0, 0.5)');
  const prefix = options.prefix ?? 'openai-integration';
  if (prefix.length === 0 || prefix.length > 100 || /[{}]/.test(prefix))
    throw new TypeError('prefix must have 1 to 100 characters and no braces');

  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? 200;
  const maxKeys = options.maxKeys ?? 1_000;
  const cooldownMs = options.breaker?.cooldownMs ?? 1_000;
  let onRecover = (): void => undefined;
  const gateway = createGateway({
    client: options.client,
    timeoutMs,
    breaker: {
      failures: options.breaker?.failures ?? 3,
      cooldownMs,
      maxCooldownMs: Math.max(cooldownMs, options.breaker?.maxCooldownMs ?? 30_000),
    },
    clock,
    logger,
    policy,
    onRecover: () => {
      onRecover();
    },
  });
  const budgets = createRedisBudgetStore({
    gateway,
    prefix,
    clock,
    clockInjected: options.clock !== undefined,
    logger,
    windowMs: options.windowMs ?? 60_000,
    limitsFor: options.limitsFor,
    policy,
    instances: options.instances ?? 1,
    timeoutMs,
    borrow:
      borrowOptions === undefined
        ? undefined
        : { fraction: borrowOptions.fraction ?? 0.05, holdMs: borrowOptions.holdMs ?? 1_000 },
    maxKeys,
    maxPending: options.maxPending ?? 10_000,
    headroom: options.headroom ?? 0.02,
  });
  onRecover = () => {
    void budgets.flush();
  };
  const cooldowns = createRedisCooldownStore({ gateway, prefix, clock, maxKeys });

  return {
    budgets,
    cooldowns,
    status: () => ({
      mode: gateway.degraded() ? 'degraded' : 'shared',
      whenUnavailable: policy,
      commands: gateway.commands(),
      pending: budgets.pending(),
    }),
    flush: () => budgets.flush(),
    close: () => budgets.close(),
  };
}
