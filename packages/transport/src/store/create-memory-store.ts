import type { StateStore } from './state-store.ts';

/** A {@link StateStore} in a `Map` that also lists its keys. */
export interface MemoryStore<Value> extends StateStore<Value> {
  /** The value stored under `key`, or `undefined` (answers synchronously). */
  get(key: string): Value | undefined;
  /** Replaces the value stored under `key` (synchronously). */
  set(key: string, value: Value): void;
  /** Every key that has a value. */
  keys(): readonly string[];
}

/**
 * Creates the default in-process {@link StateStore}: a `Map` that answers
 * synchronously (so a policy on it decides without a promise).
 *
 * @example
 * const store = createMemoryStore<BreakerRecord>();
 * const breaker = createCircuitBreaker({ key: 'chat', store });
 */
export function createMemoryStore<Value>(): MemoryStore<Value> {
  const values = new Map<string, Value>();
  const store: MemoryStore<Value> = {
    get: (key) => values.get(key),
    set: (key, value) => {
      values.set(key, value);
    },
    keys: () => [...values.keys()],
  };
  return store;
}
