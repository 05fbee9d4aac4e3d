/** The clients of the shared-limit benchmark: the bare SDK, operations with its in-memory store, operations on the Redis store. */
export type SharedLimitContender = 'openai' | 'operations' | 'operations-redis';

/** What one worker process measured. */
export interface SharedLimitWorkerReport {
  readonly type: 'report';
  /** Calls that ended within the run (successes, refusals, failures). */
  readonly calls: number;
  readonly successes: number;
  /** HTTP requests that left the process (retries included), and of those answered 429. */
  readonly requests: number;
  readonly rateLimited: number;
  /** Calls the client refused itself (pacing). */
  readonly refusals: number;
  readonly failures: Readonly<Record<string, number>>;
  /** Latency of each success, in ms. */
  readonly latencies: readonly number[];
  /** Redis commands the process sent during the run. */
  readonly redisCommands: number;
}
