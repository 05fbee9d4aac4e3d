import type { Logger } from '@openai-integration/core';
import { startTimer, type Clock } from '@openai-integration/transport';
import type { RedisClient } from '../store/redis-client.ts';
import { runScript, type LuaScript } from './run-script.ts';

/** Why Redis gave no answer: the store's breaker is open, the call timed out, or Redis failed. */
type Outage = 'open' | 'timeout' | 'error';

/** A script's answer, or why there is none. */
export type GatewayAnswer =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly outage: Outage };

/** Settings of the store's own breaker. */
interface GatewayBreaker {
  readonly failures: number;
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;
}

export interface GatewayOptions {
  readonly client: RedisClient;
  readonly timeoutMs: number;
  readonly breaker: GatewayBreaker;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The policy named in the log line on entering degraded mode. */
  readonly policy: string;
  /** Called once each time Redis answers again after degraded mode. */
  readonly onRecover: () => void;
}

interface RunOptions {
  /** Gets an answer that came after the timeout (to undo what the script did). */
  readonly onLate?: (value: unknown) => void;
}

/** Redis behind short timeouts and a breaker; see {@link createGateway}. */
export interface Gateway {
  run(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
    options?: RunOptions,
  ): Promise<GatewayAnswer>;
  /** Whether the store is in degraded mode (its breaker is not closed). */
  degraded(): boolean;
  /** How long the breaker stays open from now, in ms (0 when it is closed or may probe). */
  openForMs(): number;
  /** Redis commands sent so far (script runs, and loads after `NOSCRIPT`). */
  commands(): number;
}

const unavailable = (outage: Outage): GatewayAnswer => ({ ok: false, outage });

/** What a failure may say in a log line: its code or name, never its text (which might carry an address). */
const describeFailure = (error: unknown): string => {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && code.length <= 64) return code;
  if (typeof name === 'string' && name.length <= 64) return name;
  return 'error';
};

/**
 * Runs scripts on Redis, each bounded by `timeoutMs`, behind a breaker of the
 * store's own: after `failures` failures in a row (errors or timeouts) it opens and
 * every call is answered at once without Redis; after `cooldownMs` (doubling up to
 * `maxCooldownMs` while Redis stays away) one call probes it. Entering and leaving
 * degraded mode are logged once each.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { client, timeoutMs, breaker, clock, logger } = options;
  let state: 'closed' | 'open' | 'probing' = 'closed';
  let failuresInRow = 0;
  let openUntil = 0;
  let cooldownMs = breaker.cooldownMs;
  let sent = 0;

  const open = (reason: string): void => {
    if (state === 'closed') {
      logger.warn(
        { reason, failures: failuresInRow, policy: options.policy, retryInMs: cooldownMs },
        `redis-store: Redis is unavailable; degraded mode (policy ${options.policy}) until it answers again`,
      );
    } else {
      cooldownMs = Math.min(breaker.maxCooldownMs, cooldownMs * 2);
    }
    state = 'open';
    openUntil = clock.now() + cooldownMs;
  };

  const failed = (reason: string): void => {
    failuresInRow += 1;
    if (state === 'probing' || (state === 'closed' && failuresInRow >= breaker.failures)) open(reason);
  };

  const succeeded = (): void => {
    failuresInRow = 0;
    if (state === 'closed') return;
    state = 'closed';
    cooldownMs = breaker.cooldownMs;
    logger.info({ policy: options.policy }, 'redis-store: Redis answers again; shared state resumed');
    options.onRecover();
  };

  /** Whether a call may go to Redis now (in the open state, one probe once the cooldown is over). */
  const admit = (): boolean => {
    if (state === 'closed') return true;
    if (state === 'probing' || clock.now() < openUntil) return false;
    state = 'probing';
    return true;
  };

  const run: Gateway['run'] = (script, keys, args, runOptions = {}) => {
    if (!admit()) return Promise.resolve(unavailable('open'));
    sent += 1;
    return new Promise<GatewayAnswer>((resolve) => {
      let finished = false;
      const cancelTimeout = startTimer(clock, timeoutMs, () => {
        if (finished) return;
        finished = true;
        failed('timeout');
        resolve(unavailable('timeout'));
      });
      runScript(client, script, keys, args, () => {
        sent += 2;
      }).then(
        (value) => {
          if (finished) {
            // After the timeout: Redis did run it. The caller undoes what it no longer wants.
            runOptions.onLate?.(value);
            return;
          }
          finished = true;
          cancelTimeout();
          succeeded();
          resolve({ ok: true, value });
        },
        (error: unknown) => {
          if (finished) return;
          finished = true;
          cancelTimeout();
          failed(describeFailure(error));
          resolve(unavailable('error'));
        },
      );
    });
  };

  return {
    run,
    degraded: () => state !== 'closed',
    openForMs: () => (state === 'closed' ? 0 : Math.max(0, openUntil - clock.now())),
    commands: () => sent,
  };
}
