/**
 * What the store needs of a Redis client: running a loaded script by its hash
 * (`EVALSHA`) and loading it (`SCRIPT LOAD`). An ioredis `Redis` or `Cluster` fits as
 * it is; any other client fits through a small adapter with these two methods.
 *
 * Both must reject on a failure (a Redis error reply, a lost connection): the store
 * reads a rejection whose message starts with `NOSCRIPT` as "load the script again".
 */
export interface RedisClient {
  /** `EVALSHA sha numkeys ...keys ...args`: the script's reply. */
  evalsha(sha1: string, numkeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  /** `SCRIPT LOAD source`: the script's hash. */
  script(subcommand: 'LOAD', source: string): Promise<unknown>;
}
