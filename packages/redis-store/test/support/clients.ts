import { randomUUID } from 'node:crypto';
import type { BudgetReservation, BudgetTicket } from '@openai-integration/transport';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import type { RedisClient } from '../../src/store/redis-client.ts';

/** A connection to the suite's Redis (close it with `disconnect`). */
export function connect(url: string = inject('redisUrl')): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(times * 50, 500) });
  client.on('error', () => undefined);
  return client;
}

/** The ticket of a granted reservation; anything else fails the test, saying what came instead. */
export const granted = (reservation: BudgetReservation): BudgetTicket => {
  if (reservation.type !== 'granted') throw new Error(`expected a grant, got ${JSON.stringify(reservation)}`);
  return reservation.ticket;
};

/** A prefix no other test uses, so that tests never see each other's keys. */
export const uniquePrefix = (): string => `test-${randomUUID()}`;

/** How a scripted client answers a command. */
export type Behaviour = 'pass' | 'fail' | 'stall';

/** A client that passes commands to a real one, or fails or stalls them, as the test says; it counts them. */
export interface ScriptedClient extends RedisClient {
  behaviour: Behaviour;
  readonly sent: { evalsha: number; load: number };
  /** Lets every stalled command go on to Redis. */
  release(): void;
}

export function scriptedClient(inner: RedisClient | undefined): ScriptedClient {
  const stalled: (() => void)[] = [];
  const client: ScriptedClient = {
    behaviour: 'pass',
    sent: { evalsha: 0, load: 0 },
    release: () => {
      for (const go of stalled.splice(0)) go();
    },
    evalsha: (sha, numkeys, ...rest) => {
      client.sent.evalsha += 1;
      const forward = (): Promise<unknown> =>
        inner === undefined ? Promise.reject(new Error('no Redis behind')) : inner.evalsha(sha, numkeys, ...rest);
      if (client.behaviour === 'fail')
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      if (client.behaviour === 'stall')
        return new Promise((resolve, reject) => {
          stalled.push(() => {
            forward().then(resolve, reject);
          });
        });
      // A run that Redis refused for not knowing the script is not counted: only what ran.
      return forward().catch((error: unknown) => {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) client.sent.evalsha -= 1;
        throw error;
      });
    },
    script: (subcommand, source) => {
      client.sent.load += 1;
      if (inner === undefined) return Promise.reject(new Error('no Redis behind'));
      return inner.script(subcommand, source);
    },
  };
  return client;
}
