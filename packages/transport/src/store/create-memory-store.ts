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
 * synchronously.
 *
 * @example
 * const store = createMemoryStore<BreakerRecord>();
 * const breaker = createCircuitBreaker({ key: 'chat', store });
 */
const memoryStores = new WeakSet<object>();

/**
 * Whether `store` was made by {@link createMemoryStore}, so it answers synchronously and
 * a read-modify-write needs no queue while nothing else is queued.
 */
export function isMemoryStore<Value>(store: StateStore<Value>): store is MemoryStore<Value> {
  return memoryStores.has(store);
}

export function createMemoryStore<Value>(): MemoryStore<Value> {
  const values = new Map<string, Value>();
  const store: MemoryStore<Value> = {
    get: (key) => values.get(key),
    set: (key, value) => {
      values.set(key, value);
    },
    keys: () => [...values.keys()],
  };
  memoryStores.add(store);
  return store;
}
