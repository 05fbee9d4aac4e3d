/**
 * Where a policy keeps the state it may share with other processes (circuit-breaker
 * records, rate-limit budgets), one value per key.
 *
 * Both methods may answer synchronously or with a promise, so an in-memory map and a
 * network store (Redis, a database) fit the same shape. Values are plain JSON-safe
 * objects. Policies serialise their own reads and writes per key within one process;
 * across processes a store is last-writer-wins unless it does better.
 */
export interface StateStore<Value> {
  /** The value stored under `key`, or `undefined` when there is none. */
  get(key: string): Value | undefined | Promise<Value | undefined>;
  /** Replaces the value stored under `key`. */
  set(key: string, value: Value): void | Promise<void>;
}
