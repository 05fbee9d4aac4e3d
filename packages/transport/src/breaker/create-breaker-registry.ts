import { createMemoryStore } from '../store/create-memory-store.ts';
import type { BreakerRecord } from './circuit-state.ts';
import {
  createCircuitBreaker,
  type BreakerSnapshot,
  type CircuitBreaker,
  type CircuitBreakerOptions,
} from './create-circuit-breaker.ts';

/** Settings shared by every breaker of a registry. */
export interface BreakerRegistryOptions extends Omit<CircuitBreakerOptions, 'key'> {
  /** Per-key overrides, e.g. a longer open time for one model. */
  readonly optionsFor?: (key: string) => Omit<CircuitBreakerOptions, 'key' | 'store' | 'clock'>;
}

/** Circuit breakers by key; see {@link createBreakerRegistry}. */
export interface BreakerRegistry {
  /** The breaker for `key`, created on first use (throws a TypeError for bad per-key options). */
  get(key: string): CircuitBreaker;
  /** The keys of every breaker created so far. */
  keys(): readonly string[];
  /** A snapshot of every breaker created so far, for health reports. */
  snapshot(): Promise<readonly BreakerSnapshot[]>;
}

/**
 * Creates a registry of keyed circuit breakers (e.g. one per `operation:model`) that
 * share settings, event hooks and one store.
 *
 * Each key gets its own state; the hooks receive the key in every event. Options are
 * checked when the registry is built (TypeError when out of range).
 *
 * @example
 * const breakers = createBreakerRegistry({ openDurationMs: 10_000 });
 * await breakers.get('chat:gpt-4o').execute(() => callTheApi());
 * const health = await breakers.snapshot();
 */
export function createBreakerRegistry(options: BreakerRegistryOptions = {}): BreakerRegistry {
  const { optionsFor, ...shared } = options;
  const store = shared.store ?? createMemoryStore<BreakerRecord>();
  createCircuitBreaker({ ...shared, store });
  const breakers = new Map<string, CircuitBreaker>();
  const get = (key: string): CircuitBreaker => {
    const existing = breakers.get(key);
    if (existing !== undefined) return existing;
    const breaker = createCircuitBreaker({ ...shared, ...optionsFor?.(key), key, store });
    breakers.set(key, breaker);
    return breaker;
  };
  return {
    get,
    keys: () => [...breakers.keys()],
    snapshot: () => Promise.all([...breakers.values()].map((breaker) => breaker.snapshot())),
  };
}
