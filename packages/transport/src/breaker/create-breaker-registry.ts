import { systemClock } from '../clock/clock.ts';
import { silentLogger } from '../internal/silent-logger.ts';
import { createMemoryStore, type MemoryStore } from '../store/create-memory-store.ts';
import type { BreakerRecord } from './circuit-state.ts';
import {
  breakerLane,
  createCircuitBreaker,
  type BreakerSnapshot,
  type BreakerStore,
  type CircuitBreaker,
  type CircuitBreakerOptions,
} from './create-circuit-breaker.ts';

/** Settings shared by every breaker of a registry. */
export interface BreakerRegistryOptions extends Omit<CircuitBreakerOptions, 'key'> {
  /** Per-key overrides, e.g. a longer open time for one model. */
  readonly optionsFor?: (key: string) => Omit<CircuitBreakerOptions, 'key' | 'store' | 'clock'>;
  /**
   * Most keys the registry keeps at once (each distinct model name is a key). A new
   * key beyond it makes room by forgetting closed circuits, least recently used first;
   * only when every kept circuit is open or half-open is the least recently used of
   * those dropped, with a warning in the log. Default 1000.
   */
  readonly maxKeys?: number;
  /**
   * How long (ms) a key may go unused before its breaker is forgotten, if its circuit
   * is closed (a closed circuit with no recent calls carries nothing worth keeping).
   * Open and half-open circuits are kept until they close. Measured on `clock`.
   * Default 600000 (10 min).
   */
  readonly idleMs?: number;
}

/** What {@link BreakerRegistry.list} is asked for. */
export interface BreakerListOptions {
  /** Most breakers listed. Default 20. */
  readonly limit?: number;
}

/** A bounded report of a registry's breakers; see {@link BreakerRegistry.list}. */
export interface BreakerList {
  /**
   * At most `limit` snapshots: open circuits first, then half-open ones, then closed
   * ones; within each, most failures in the window first, then by key.
   */
  readonly breakers: readonly BreakerSnapshot[];
  /** How many breakers the registry holds. */
  readonly total: number;
  /** How many of them are open. */
  readonly open: number;
  /** How many of them are half-open. */
  readonly halfOpen: number;
  /** How many were left out of `breakers` (`total - breakers.length`). */
  readonly omitted: number;
}

/** Circuit breakers by key; see {@link createBreakerRegistry}. */
export interface BreakerRegistry {
  /** The breaker for `key`, created on first use (throws a TypeError for bad per-key options). */
  get(key: string): CircuitBreaker;
  /** The keys of every breaker the registry holds (unused closed ones expire; see `idleMs`). */
  keys(): readonly string[];
  /** A snapshot of every breaker the registry holds (at most `maxKeys`), for health reports. */
  snapshot(): Promise<readonly BreakerSnapshot[]>;
  /**
   * A bounded report for health pages: the first `limit` breakers, open ones first,
   * and the counts of all. Throws a TypeError for a `limit` that is not a whole number >= 0.
   */
  list(options?: BreakerListOptions): Promise<BreakerList>;
}

/** The defaults of the registry's own options. */
const defaultMaxKeys = 1_000;
const defaultIdleMs = 600_000;
const defaultListLimit = 20;

/** Keys longer than this are kept as a prefix and a hash, so that a key from outside has a bound. */
const maxKeyLength = 200;

/** FNV-1a (32 bits) of a string, as 8 hex digits. */
function hashOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** A key of at most {@link maxKeyLength} characters: long keys become a prefix and the hash of the whole key. */
const boundedKey = (key: string): string => (key.length <= maxKeyLength ? key : `${key.slice(0, maxKeyLength - 9)}~${hashOf(key)}`);

interface Entry {
  readonly breaker: CircuitBreaker;
  /** The breaker's own in-memory store (when the registry has no shared one): forgetting the breaker loses its state. */
  readonly ownStore: MemoryStore<BreakerRecord> | undefined;
  usedAt: number;
}

const stateRank = { open: 0, 'half-open': 1, closed: 2 } as const;

const checkLimit = (name: string, value: number, valid: boolean): number => {
  if (!valid) throw new TypeError(`${name} is out of range: ${value}`);
  return value;
};

/**
 * Creates a registry of keyed circuit breakers (e.g. one per `operation:model`) that
 * share settings and event hooks.
 *
 * Each key gets its own state, in the shared `store` when one is given, else in memory
 * of its own; the hooks receive the key in every event. The registry is bounded: a key
 * unused for `idleMs` whose circuit is closed is forgotten (on the registry's `clock`),
 * and at most `maxKeys` keys are kept, making room by forgetting closed circuits least
 * recently used first; an open or half-open circuit is dropped only when every kept
 * circuit is open or half-open, with a warning. With a shared store, forgetting a
 * breaker only frees its object here: its record stays in the store (give the store an
 * expiry) and comes back with the key. A key longer than 200 characters is kept as its
 * first 191 characters, `~` and a hash of the whole key. Options are checked when the
 * registry is built (TypeError when out of range).
 *
 * @example
 * const breakers = createBreakerRegistry({ openDurationMs: 10_000, maxKeys: 200 });
 * await breakers.get('chat:gpt-4o').execute(() => callTheApi());
 * const health = await breakers.list({ limit: 10 });
 */
export function createBreakerRegistry(options: BreakerRegistryOptions = {}): BreakerRegistry {
  const { optionsFor, maxKeys: maxKeysOption, idleMs: idleMsOption, ...shared } = options;
  const maxKeys = checkLimit('maxKeys', maxKeysOption ?? defaultMaxKeys, Number.isInteger(maxKeysOption ?? defaultMaxKeys) && (maxKeysOption ?? defaultMaxKeys) > 0);
  const idleMs = checkLimit('idleMs', idleMsOption ?? defaultIdleMs, (idleMsOption ?? defaultIdleMs) > 0);
  const clock = shared.clock ?? systemClock;
  const logger = shared.logger ?? silentLogger;
  createCircuitBreaker({ ...shared, store: shared.store ?? createMemoryStore<BreakerRecord>() });
  const entries = new Map<string, Entry>();
  /** The shared store, or a new in-memory one of the breaker's own. */
  const storeFor = (): { readonly store: BreakerStore; readonly ownStore: MemoryStore<BreakerRecord> | undefined } => {
    if (shared.store !== undefined) return { store: shared.store, ownStore: undefined };
    const ownStore = createMemoryStore<BreakerRecord>();
    return { store: ownStore, ownStore };
  };
  let sweptAt = clock.now();

  /** Whether forgetting an entry loses nothing: nothing queued, and its circuit closed (or its state in a shared store). */
  const forgettable = (key: string, entry: Entry): boolean => {
    if (breakerLane(entry.breaker)?.idle() === false) return false;
    if (entry.ownStore === undefined) return true;
    const record = entry.ownStore.get(key);
    return record === undefined || record.state.type === 'closed';
  };

  /** Forgets every entry unused for `idleMs` that loses nothing by it. */
  const sweep = (now: number): void => {
    sweptAt = now;
    for (const [key, entry] of entries) {
      if (now - entry.usedAt >= idleMs && forgettable(key, entry)) entries.delete(key);
    }
  };

  /** The least recently used key among those `eligible` says yes to, or undefined. */
  const leastRecentlyUsed = (eligible: (key: string, entry: Entry) => boolean): string | undefined => {
    let found: string | undefined;
    let usedAt = Number.POSITIVE_INFINITY;
    for (const [key, entry] of entries) {
      if (entry.usedAt < usedAt && eligible(key, entry)) {
        found = key;
        usedAt = entry.usedAt;
      }
    }
    return found;
  };

  /** Makes room for one more key when the registry is full. */
  const makeRoom = (now: number): void => {
    sweep(now);
    if (entries.size < maxKeys) return;
    const closed = leastRecentlyUsed(forgettable);
    if (closed !== undefined) {
      entries.delete(closed);
      return;
    }
    const oldest = leastRecentlyUsed(() => true);
    /* v8 ignore next -- a full registry always has a least recently used entry (maxKeys >= 1) */
    if (oldest === undefined) return;
    entries.delete(oldest);
    logger.warn({ key: oldest, maxKeys }, 'circuit breaker forgotten while not closed: more keys than maxKeys, every one of them open or half-open');
  };

  const get = (key: string): CircuitBreaker => {
    const bounded = boundedKey(key);
    const now = clock.now();
    const existing = entries.get(bounded);
    if (existing !== undefined) {
      existing.usedAt = now;
      return existing.breaker;
    }
    if (entries.size >= maxKeys) makeRoom(now);
    else if (now - sweptAt >= idleMs) sweep(now);
    const { store, ownStore } = storeFor();
    const breaker = createCircuitBreaker({ ...shared, ...optionsFor?.(key), key: bounded, store });
    entries.set(bounded, { breaker, ownStore, usedAt: now });
    return breaker;
  };

  const current = (): Entry[] => {
    sweep(clock.now());
    return [...entries.values()];
  };

  const snapshot = (): Promise<readonly BreakerSnapshot[]> => Promise.all(current().map((entry) => entry.breaker.snapshot()));

  const list = (listOptions: BreakerListOptions = {}): Promise<BreakerList> => {
    const limit = listOptions.limit ?? defaultListLimit;
    checkLimit('limit', limit, Number.isInteger(limit) && limit >= 0);
    return snapshot().then((snapshots) => {
      const all = [...snapshots].sort(
        (left, right) => stateRank[left.state.type] - stateRank[right.state.type] || right.failures - left.failures || (left.key < right.key ? -1 : 1),
      );
      const breakers = all.slice(0, limit);
      return {
        breakers,
        total: all.length,
        open: all.filter((breaker) => breaker.state.type === 'open').length,
        halfOpen: all.filter((breaker) => breaker.state.type === 'half-open').length,
        omitted: all.length - breakers.length,
      };
    });
  };

  return {
    get,
    keys: () => {
      sweep(clock.now());
      return [...entries.keys()];
    },
    snapshot,
    list,
  };
}
