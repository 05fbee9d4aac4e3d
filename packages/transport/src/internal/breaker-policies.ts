import { systemClock } from '@openai-integration/core';
import type { BreakerRecord } from '../breaker/circuit-state.ts';
import type {
  BreakerList,
  BreakerListOptions,
  BreakerRegistry,
  BreakerRegistryOptions,
} from '../breaker/create-breaker-registry.ts';
import type { BreakerSnapshot, BreakerStore } from '../breaker/create-circuit-breaker.ts';
import { createMemoryCooldownStore } from '../store/create-memory-cooldown-store.ts';
import { createMemoryStore, type MemoryStore } from '../store/create-memory-store.ts';
import { createBreakerPolicy, type BreakerPolicy } from './breaker-policy.ts';
import { silentLogger } from './silent-logger.ts';

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
const boundedKey = (key: string): string =>
  key.length <= maxKeyLength ? key : `${key.slice(0, maxKeyLength - 9)}~${hashOf(key)}`;

interface Entry {
  readonly breaker: BreakerPolicy;
  /** The breaker's own in-memory store (when the registry has no shared one): forgetting the breaker loses its state. */
  readonly ownStore: MemoryStore<BreakerRecord> | undefined;
  /** The registry's use count at the last use of this key (it orders keys by recency without a clock reading per use). */
  usedTick: number;
}

/** A clock reading: every use counted up to `tick` happened at or before `at`. */
interface Reading {
  readonly at: number;
  readonly tick: number;
}

/** How many uses of existing keys may go by without a clock reading (a power of two, minus one, as a mask). */
const readEvery = 1_023;

const stateRank = { open: 0, 'half-open': 1, closed: 2 } as const;

const checkLimit = (name: string, value: number, valid: boolean): number => {
  if (!valid) throw new TypeError(`${name} is out of range: ${value}`);
  return value;
};

/** The registry behind {@link createBreakerRegistry}, whose breakers are {@link BreakerPolicy}s. */
export interface BreakerPolicies extends BreakerRegistry {
  get(key: string): BreakerPolicy;
}

/** The registry behind `createBreakerRegistry` (and the transport's): its breakers are {@link BreakerPolicy}s. */
export function createBreakerPolicies(options: BreakerRegistryOptions = {}): BreakerPolicies {
  const { optionsFor, maxKeys: maxKeysOption, idleMs: idleMsOption, ...shared } = options;
  const maxKeys = checkLimit(
    'maxKeys',
    maxKeysOption ?? defaultMaxKeys,
    Number.isInteger(maxKeysOption ?? defaultMaxKeys) && (maxKeysOption ?? defaultMaxKeys) > 0,
  );
  const idleMs = checkLimit('idleMs', idleMsOption ?? defaultIdleMs, (idleMsOption ?? defaultIdleMs) > 0);
  const clock = shared.clock ?? systemClock;
  const logger = shared.logger ?? silentLogger;
  // One cooldown store for every breaker of the registry, unless one is given.
  const cooldownStore = shared.cooldownStore ?? createMemoryCooldownStore({ clock });
  createBreakerPolicy({ ...shared, cooldownStore, store: shared.store ?? createMemoryStore<BreakerRecord>() });
  const entries = new Map<string, Entry>();
  /** The shared store, or a new in-memory one of the breaker's own. */
  const storeFor = (): { readonly store: BreakerStore; readonly ownStore: MemoryStore<BreakerRecord> | undefined } => {
    if (shared.store !== undefined) return { store: shared.store, ownStore: undefined };
    const ownStore = createMemoryStore<BreakerRecord>();
    return { store: ownStore, ownStore };
  };
  // Uses are counted, not timed: the clock is read when a key is created, for reports,
  // and once every 1,024 uses; a key last used at or before a reading at least
  // `idleMs` old is idle. Readings closer together than `resolutionMs` replace the
  // last one, so at most about 18 are kept, and a key may outlive `idleMs` by up to
  // `resolutionMs` plus the time of 1,024 uses.
  const resolutionMs = idleMs / 16;
  let tick = 0;
  let readings: Reading[] = [];
  let sweptAt = Number.NEGATIVE_INFINITY;

  /** Whether forgetting an entry loses nothing: nothing queued, and its circuit closed (or its state in a shared store). */
  const forgettable = (key: string, entry: Entry): boolean => {
    if (!entry.breaker.idle()) return false;
    if (entry.ownStore === undefined) return true;
    const record = entry.ownStore.get(key);
    return record === undefined || record.state.type === 'closed';
  };

  /** Forgets every entry unused for `idleMs` that loses nothing by it, and the readings it no longer needs. */
  const sweep = (now: number): void => {
    sweptAt = now;
    // The latest reading at least `idleMs` old says which uses are that old; older ones are of no more use.
    let idle: Reading | undefined;
    let index = 0;
    for (const [position, reading] of readings.entries()) {
      if (reading.at > now - idleMs) break;
      idle = reading;
      index = position;
    }
    if (idle === undefined) return;
    readings = readings.slice(index);
    for (const [key, entry] of entries) {
      if (entry.usedTick <= idle.tick && forgettable(key, entry)) entries.delete(key);
    }
  };

  /** Reads the clock, records the reading, and sweeps when a sweep is due; returns the time. */
  const read = (): number => {
    const now = clock.now();
    const last = readings.at(-1);
    if (last !== undefined && now - last.at < resolutionMs) readings[readings.length - 1] = { at: now, tick };
    else readings.push({ at: now, tick });
    if (now - sweptAt >= resolutionMs) sweep(now);
    return now;
  };

  /** The least recently used key among those `eligible` says yes to, or undefined. */
  const leastRecentlyUsed = (eligible: (key: string, entry: Entry) => boolean): string | undefined => {
    let found: string | undefined;
    let usedTick = Number.POSITIVE_INFINITY;
    for (const [key, entry] of entries) {
      if (entry.usedTick < usedTick && eligible(key, entry)) {
        found = key;
        usedTick = entry.usedTick;
      }
    }
    return found;
  };

  /** Makes room for one more key when the registry is full. */
  const makeRoom = (): void => {
    sweep(read());
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
    logger.warn(
      { key: oldest, maxKeys },
      'circuit breaker forgotten while not closed: more keys than maxKeys, every one of them open or half-open',
    );
  };

  const get = (key: string): BreakerPolicy => {
    const bounded = boundedKey(key);
    const existing = entries.get(bounded);
    tick += 1;
    if (existing !== undefined) {
      existing.usedTick = tick;
      if ((tick & readEvery) === 0) read();
      return existing.breaker;
    }
    if (entries.size >= maxKeys) makeRoom();
    const { store, ownStore } = storeFor();
    const breaker = createBreakerPolicy({ ...shared, ...optionsFor?.(key), key: bounded, store, cooldownStore });
    entries.set(bounded, { breaker, ownStore, usedTick: tick });
    read();
    return breaker;
  };

  const current = (): Entry[] => {
    sweep(read());
    return [...entries.values()];
  };

  const snapshot = (): Promise<readonly BreakerSnapshot[]> =>
    Promise.all(current().map((entry) => entry.breaker.snapshot()));

  const list = (listOptions: BreakerListOptions = {}): Promise<BreakerList> => {
    const limit = listOptions.limit ?? defaultListLimit;
    checkLimit('limit', limit, Number.isInteger(limit) && limit >= 0);
    return snapshot().then((snapshots) => {
      const all = [...snapshots].sort(
        (left, right) =>
          stateRank[left.state.type] - stateRank[right.state.type] ||
          right.failures - left.failures ||
          (left.key < right.key ? -1 : 1),
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
      sweep(read());
      return [...entries.keys()];
    },
    snapshot,
    list,
  };
}
