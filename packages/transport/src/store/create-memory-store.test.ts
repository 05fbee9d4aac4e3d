import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './create-memory-store.ts';

describe('createMemoryStore', () => {
  it('stores, replaces and lists values by key', () => {
    const store = createMemoryStore<{ readonly count: number }>();
    expect(store.get('a')).toBeUndefined();
    store.set('a', { count: 1 });
    store.set('b', { count: 2 });
    store.set('a', { count: 3 });
    expect(store.get('a')).toEqual({ count: 3 });
    expect(store.keys()).toEqual(['a', 'b']);
  });
});
