import { systemClock, type Clock } from '@openai-integration/core';
import type { CooldownStore, ProbeOutcome } from './cooldown-store.ts';

/** Settings of {@link createMemoryCooldownStore}. */
export interface MemoryCooldownStoreOptions {
  /** Time source the cooldowns and leases are measured on. Default {@link systemClock}. */
  readonly clock?: Clock;
  /**
   * Keys kept at most. Past it, keys with nothing left (no cooldown, no live probe)
   * go first, then the key whose cooldown ends first. Default 10000.
   */
  readonly maxKeys?: number;
}

/** The in-memory {@link CooldownStore}: it answers synchronously. */
export interface MemoryCooldownStore extends CooldownStore {
  trip(key: string, durationMs: number): void;
  remaining(key: string): number;
  claimProbe(key: string, owner: string, leaseMs: number): boolean;
  releaseProbe(key: string, owner: string, outcome: ProbeOutcome): void;
  /** Keys held now (at most `maxKeys`; expired ones are dropped as they are met). */
  size(): number;
}

interface Entry {
  /** When the cooldown ends (store time, epoch ms); at or before now: none. */
  until: number;
  /** The probe of the key, while its lease lasts. */
  probe: { readonly owner: string; readonly leaseUntil: number } | undefined;
}

const defaultMaxKeys = 10_000;

/** A duration from outside as a number of ms >= 0 (NaN and negatives are 0, Infinity is kept). */
const duration = (ms: number): number => (ms > 0 ? ms : 0);

/**
 * Creates the default {@link CooldownStore}: cooldowns and probe leases in a `Map` of
 * this process, measured on `clock`.
 *
 * Every breaker of one process (or of several transports in it) that is given the
 * same store shares its verdicts: a key one of them tripped fails fast in all of them
 * until its cooldown ends, and then one of them at a time holds the probe. Entries
 * expire: a key whose cooldown ended and whose probe lease is over (or released) is
 * dropped when met, and at most `maxKeys` keys are kept (keys with nothing left go
 * first, then those whose cooldown ends first). A negative or NaN duration counts as
 * 0. Throws a TypeError for a `maxKeys` that is not a whole number >= 1. To share
 * cooldowns between processes, use a store on a shared server instead (e.g. Redis).
 *
 * @example
 * const cooldownStore = createMemoryCooldownStore();
 * const first = createTransport({ cooldownStore });
 * const second = createTransport({ cooldownStore }); // fails fast on a key the first one tripped
 */
export function createMemoryCooldownStore(options: MemoryCooldownStoreOptions = {}): MemoryCooldownStore {
  const clock = options.clock ?? systemClock;
  const maxKeys = options.maxKeys ?? defaultMaxKeys;
  if (!(Number.isInteger(maxKeys) && maxKeys >= 1))
    throw new TypeError(`maxKeys must be a whole number >= 1, got ${maxKeys}`);
  const entries = new Map<string, Entry>();

  /** Whether an entry carries nothing any more at `now`. */
  const spent = (entry: Entry, now: number): boolean =>
    entry.until <= now && (entry.probe === undefined || entry.probe.leaseUntil <= now);

  /** The live entry of `key`, dropping it when it expired. */
  const live = (key: string, now: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.probe !== undefined && entry.probe.leaseUntil <= now) entry.probe = undefined;
    if (!spent(entry, now)) return entry;
    entries.delete(key);
    return undefined;
  };

  /** Makes room for one more key. */
  const makeRoom = (now: number): void => {
    for (const [key, entry] of entries) if (spent(entry, now)) entries.delete(key);
    if (entries.size < maxKeys) return;
    let first: string | undefined;
    let firstUntil = Number.POSITIVE_INFINITY;
    for (const [key, entry] of entries) {
      if (first === undefined || entry.until < firstUntil) {
        first = key;
        firstUntil = entry.until;
      }
    }
    /* v8 ignore next -- a full map always has a first entry (maxKeys >= 1) */
    if (first !== undefined) entries.delete(first);
  };

  /** The entry of `key`, made (with room) when there is none. */
  const entryOf = (key: string, now: number): Entry => {
    const existing = live(key, now);
    if (existing !== undefined) return existing;
    if (entries.size >= maxKeys) makeRoom(now);
    const entry: Entry = { until: now, probe: undefined };
    entries.set(key, entry);
    return entry;
  };

  const trip = (key: string, durationMs: number): void => {
    const now = clock.now();
    const entry = entryOf(key, now);
    entry.until = Math.max(entry.until, now + duration(durationMs));
    if (spent(entry, now)) entries.delete(key);
  };

  return {
    trip,
    remaining: (key) => {
      // The common case, nothing cooling down: no clock reading.
      if (entries.size === 0) return 0;
      const now = clock.now();
      const entry = live(key, now);
      return entry === undefined ? 0 : Math.max(0, entry.until - now);
    },
    claimProbe: (key, owner, leaseMs) => {
      const now = clock.now();
      const existing = live(key, now);
      if (existing?.probe !== undefined) return false;
      const lease = duration(leaseMs);
      if (lease === 0) return true;
      const entry = existing ?? entryOf(key, now);
      entry.probe = { owner, leaseUntil: now + lease };
      return true;
    },
    releaseProbe: (key, owner, outcome) => {
      const now = clock.now();
      const entry = live(key, now);
      if (entry?.probe?.owner !== owner) return;
      entry.probe = undefined;
      if (outcome.recovered) entries.delete(key);
      else trip(key, outcome.durationMs);
    },
    size: () => entries.size,
  };
}
