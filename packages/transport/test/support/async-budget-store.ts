import type { BudgetStore } from '../../src/store/budget-store.ts';
import { createMemoryBudgetStore, type MemoryBudgetStoreOptions } from '../../src/store/create-memory-budget-store.ts';

/** The in-memory budget store behind promises, as a shared store (Redis) answers: every answer a turn later. */
export function asyncBudgetStore(options: MemoryBudgetStoreOptions = {}): BudgetStore & { readonly calls: string[] } {
  const inner = createMemoryBudgetStore(options);
  const calls: string[] = [];
  const later = async <T>(name: string, answer: () => T): Promise<T> => {
    calls.push(name);
    await Promise.resolve();
    return answer();
  };
  return {
    calls,
    reserve: (key, demand, maxWaitMs) => later('reserve', () => inner.reserve(key, demand, maxWaitMs)),
    settle: (ticket, outcome) =>
      later('settle', () => {
        inner.settle(ticket, outcome);
      }),
    observe: (key, snapshot) =>
      later('observe', () => {
        inner.observe(key, snapshot);
      }),
    pause: (key, pauseMs, promised) =>
      later('pause', () => {
        inner.pause(key, pauseMs, promised);
      }),
    delayOf: (ticket) => later('delayOf', () => inner.delayOf(ticket)),
    inspect: (key) => later('inspect', () => inner.inspect(key)),
  };
}
