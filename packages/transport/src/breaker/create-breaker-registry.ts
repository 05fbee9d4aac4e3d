import { createBreakerPolicies } from '../internal/breaker-policies.ts';
import type { BreakerSnapshot, CircuitBreaker, CircuitBreakerOptions } from './create-circuit-breaker.ts';

/** Settings shared by every breaker of a registry. */
export interface BreakerRegistryOptions extends Omit<CircuitBreakerOptions, 'key'> {
  /** Per-key overrides, e.g. a longer open time for one model. */
  readonly optionsFor?: (key: string) => Omit<CircuitBreakerOptions, 'key' | 'store' | 'clock' | 'cooldownStore'>;
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
 * first 191 characters, `~` and a hash of the whole key. Every breaker of the registry
 * shares its `cooldownStore` (by default one in-memory store of the registry's own).
 * Options are checked when the registry is built (TypeError when out of range).
 *
 * @example
 * const breakers = createBreakerRegistry({ openDurationMs: 10_000, maxKeys: 200 });
 * await breakers.get('chat:gpt-4o').execute(() => callTheApi());
 * const health = await breakers.list({ limit: 10 });
 */
export function createBreakerRegistry(options: BreakerRegistryOptions = {}): BreakerRegistry {
  return createBreakerPolicies(options);
}
