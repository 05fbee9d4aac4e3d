import type { Clock, CooldownStore, ProbeOutcome } from '@openai-integration/transport';
import { cooldownScript } from '../internal/cooldown-script.ts';
import type { Gateway } from '../internal/redis-gateway.ts';
import { redisKey } from '../internal/redis-keys.ts';
import { luaScript } from '../internal/run-script.ts';

const script = luaScript(cooldownScript);

/** Longest owner name kept (an owner names a process: a host and a number fit well within it). */
const longestOwner = 200;
/** Longest duration accepted, in ms (a day): a bogus figure cannot block a key for longer. */
const longestDurationMs = 86_400_000;

/** What the cooldown store needs from the store that owns it. */
export interface RedisCooldownStoreSettings {
  readonly gateway: Gateway;
  readonly prefix: string;
  readonly clock: Clock;
  readonly maxKeys: number;
}

/** A duration as a whole number of ms within bounds, or 0 for one that is not a positive number. */
const duration = (value: number): number =>
  typeof value === 'number' && value > 0 ? Math.min(longestDurationMs, Math.ceil(value)) : 0;

/**
 * Creates the {@link CooldownStore} on Redis: a cooldown is a key that lives exactly
 * as long as it (Redis's clock, `PTTL`), a trip only ever lengthens it, and the probe
 * is a lease (`SET` with a time to live, released by its owner only, in one script).
 *
 * When Redis is away, each process keeps its own cooldowns and probe leases (bounded,
 * expiring), so its breakers go on working alone; every cooldown tripped through
 * Redis is mirrored there too.
 */
export function createRedisCooldownStore(settings: RedisCooldownStoreSettings): CooldownStore {
  const { gateway, clock } = settings;
  const cooldowns = new Map<string, number>();
  const probes = new Map<string, { readonly owner: string; readonly until: number }>();

  const bounded = <V>(map: Map<string, V>, key: string, value: V, expired: (value: V) => boolean): void => {
    map.delete(key);
    if (map.size >= settings.maxKeys) for (const [other, held] of map) if (expired(held)) map.delete(other);
    if (map.size >= settings.maxKeys) map.delete(map.keys().next().value ?? '');
    map.set(key, value);
  };

  const tripLocally = (key: string, durationMs: number): void => {
    const until = clock.now() + durationMs;
    if ((cooldowns.get(key) ?? 0) >= until) return;
    bounded(cooldowns, key, until, (end) => end <= clock.now());
  };
  const remainingLocally = (key: string): number => Math.max(0, (cooldowns.get(key) ?? 0) - clock.now());

  const keys = (key: string): string[] => [
    redisKey(settings.prefix, 'cooldown', key),
    redisKey(settings.prefix, 'probe', key),
  ];

  return {
    async trip(key, durationMs) {
      const ms = duration(durationMs);
      if (ms === 0) return;
      tripLocally(key, ms);
      await gateway.run(script, keys(key), ['trip', ms]);
    },

    async remaining(key) {
      const answer = await gateway.run(script, keys(key), ['remaining']);
      if (!answer.ok || typeof answer.value !== 'number') return remainingLocally(key);
      return Math.max(0, answer.value);
    },

    async claimProbe(key, owner, leaseMs) {
      const ms = Math.max(1, duration(leaseMs));
      const name = owner.slice(0, longestOwner);
      const answer = await gateway.run(script, keys(key), ['claim', name, ms]);
      if (answer.ok) return answer.value === 1;
      const held = probes.get(key);
      if (held !== undefined && held.until > clock.now() && held.owner !== name) return false;
      bounded(probes, key, { owner: name, until: clock.now() + ms }, (lease) => lease.until <= clock.now());
      return true;
    },

    async releaseProbe(key, owner, outcome: ProbeOutcome) {
      const name = owner.slice(0, longestOwner);
      const ms = outcome.recovered ? 0 : Math.max(1, duration(outcome.durationMs));
      const answer = await gateway.run(script, keys(key), ['release', name, outcome.recovered ? '1' : '0', ms]);
      const owned = answer.ok ? answer.value === 1 : probes.get(key)?.owner === name;
      if (!owned) return;
      if (probes.get(key)?.owner === name) probes.delete(key);
      if (outcome.recovered) cooldowns.delete(key);
      else tripLocally(key, ms);
    },
  };
}
