import { createHash } from 'node:crypto';
import type { RedisClient } from '../store/redis-client.ts';

/** A Lua script and its SHA-1, as `EVALSHA` names it. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

/** A script with its hash, computed once. */
export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const isNoScript = (error: unknown): boolean =>
  typeof (error as { message?: unknown } | null)?.message === 'string' &&
  (error as { message: string }).message.startsWith('NOSCRIPT');

/**
 * Runs a script by its hash; when Redis does not know it (first use, a restart, a
 * `SCRIPT FLUSH`), loads it and runs it again. Rejects as the client does.
 */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
  onLoad?: () => void,
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    onLoad?.();
    await client.script('LOAD', script.source);
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  }
}
