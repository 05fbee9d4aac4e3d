import type { TestProject } from 'vitest/node';
import { ensureRedisServer, startRedisServer, type RedisServer } from '../../../tools/config/redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis the suite shares: REDIS_URL, or a private server started for the run. */
    redisUrl: string;
  }
}

let server: RedisServer | undefined;

/**
 * Gives the suite a Redis: REDIS_URL when set, else a private redis-server on a free
 * loopback port (installed with apt-get first when it is missing and the run is root).
 * The tests that kill or stall a server start their own, so redis-server must be there
 * either way.
 */
export async function setup(project: TestProject): Promise<void> {
  ensureRedisServer();
  const given = process.env['REDIS_URL'];
  if (given !== undefined && given !== '') {
    project.provide('redisUrl', given);
    return;
  }
  server = await startRedisServer();
  project.provide('redisUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
