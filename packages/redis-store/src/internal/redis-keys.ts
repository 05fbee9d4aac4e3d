import { createHash } from 'node:crypto';

/** Longest key kept as it is in a Redis key name; longer ones (and ones with braces) are hashed. */
const longestPlainKey = 200;

/**
 * The Redis key of a store key: `prefix:kind:{key}`. The braces make a hash tag, so
 * that the keys of one store key live on one Cluster slot. A key that is long or has
 * braces itself is replaced by its SHA-1, so that names stay bounded.
 */
export function redisKey(prefix: string, kind: string, key: string): string {
  const plain = key.length <= longestPlainKey && !/[{}]/.test(key);
  const name = plain ? key : `sha1:${createHash('sha1').update(key).digest('hex')}`;
  return `${prefix}:${kind}:{${name}}`;
}
