import type { RateLimitContender } from '../cases/rate-limit-case.ts';
import type { ContenderName } from '../contenders/contender.ts';

/** The cases a run can be limited to (`--cases`); every run of the plan runs all of them unless told otherwise. */
export type CaseName = 'throughput' | 'stream' | 'circuit' | 'memory' | 'import' | 'rate-limit';

/** Every case, in the order a run goes through them. */
export const caseNames: readonly CaseName[] = ['throughput', 'stream', 'circuit', 'memory', 'import', 'rate-limit'];

/** One rate limit the simulator enforces in the rate-limit case. */
export interface EnforcedLimit {
  /** Which bucket binds: the case is named after it. */
  readonly binding: 'requests' | 'tokens';
  readonly requestsPerMinute: number;
  readonly tokensPerMinute: number;
}

/** How much of everything a run does. */
export interface BenchPlan {
  readonly mode: 'full' | 'quick';
  /** Repetitions of every throughput and stream measurement, interleaved across contenders. */
  readonly rounds: number;
  /**
   * What each contender does against each server before anything is timed: calls one
   * at a time, streams, and a burst of calls in flight at once (so that the code for
   * many calls at once, and the connection pool, are warm too).
   */
  readonly warmUp: {
    readonly calls: number;
    readonly streams: number;
    readonly burst: { readonly concurrency: number; readonly calls: number };
  };
  /**
   * Throughput runs: calls per run at each concurrency, after `settle` untimed calls at
   * the same concurrency on the same process (which sat idle while the others ran).
   */
  readonly throughput: readonly { readonly concurrency: number; readonly calls: number; readonly settle: number }[];
  /** Streams per run, and text chunks per stream (written as fast as the socket takes them). */
  readonly stream: { readonly streams: number; readonly chunks: number };
  /**
   * Streams spread over time: streams per run, text chunks per stream, and the pause
   * the simulator makes before each frame, as a model generating text does.
   */
  readonly spreadStream: { readonly streams: number; readonly chunks: number; readonly intervalMs: number };
  /** The memory case: contenders, calls, sampling and concurrency. */
  readonly memory: {
    readonly contenders: readonly ContenderName[];
    readonly calls: number;
    readonly sampleEvery: number;
    readonly concurrency: number;
  };
  /** The fast-fail case: refused calls timed, failing SDK calls timed (without and with the SDK's retries). */
  readonly fastFail: { readonly refusals: number; readonly sdkFailures: number; readonly sdkRetryingFailures: number };
  /** Fresh processes per package for import times. */
  readonly importRuns: number;
  /**
   * The rate-limit case: each contender calls in a loop from `concurrency` callers for
   * `durationMs` against a fresh simulator enforcing each of `limits`.
   */
  readonly rateLimit: {
    readonly durationMs: number;
    readonly concurrency: number;
    readonly contenders: readonly RateLimitContender[];
    readonly limits: readonly EnforcedLimit[];
  };
}

/** The full run (`pnpm bench`): about ten minutes on a 2-core machine (four of them the rate-limit case). */
export const fullPlan: BenchPlan = {
  mode: 'full',
  rounds: 11,
  warmUp: { calls: 1_000, streams: 5, burst: { concurrency: 64, calls: 3_000 } },
  throughput: [
    { concurrency: 1, calls: 1_000, settle: 100 },
    { concurrency: 64, calls: 3_000, settle: 600 },
  ],
  stream: { streams: 20, chunks: 1_000 },
  spreadStream: { streams: 4, chunks: 50, intervalMs: 4 },
  memory: { contenders: ['openai', 'operations'], calls: 100_000, sampleEvery: 10_000, concurrency: 16 },
  fastFail: { refusals: 10_000, sdkFailures: 200, sdkRetryingFailures: 3 },
  importRuns: 5,
  rateLimit: {
    durationMs: 60_000,
    concurrency: 64,
    contenders: ['openai', 'operations'],
    limits: [
      { binding: 'requests', requestsPerMinute: 600, tokensPerMinute: 100_000_000 },
      { binding: 'tokens', requestsPerMinute: 100_000, tokensPerMinute: 12_000 },
    ],
  },
};

/** The smoke run (`--quick`): a handful of iterations per case, for checking that everything works. */
export const quickPlan: BenchPlan = {
  mode: 'quick',
  rounds: 2,
  warmUp: { calls: 10, streams: 1, burst: { concurrency: 8, calls: 16 } },
  throughput: [
    { concurrency: 1, calls: 20, settle: 5 },
    { concurrency: 64, calls: 128, settle: 64 },
  ],
  stream: { streams: 2, chunks: 1_000 },
  spreadStream: { streams: 1, chunks: 50, intervalMs: 4 },
  memory: { contenders: ['openai', 'operations'], calls: 1_000, sampleEvery: 250, concurrency: 16 },
  fastFail: { refusals: 200, sdkFailures: 5, sdkRetryingFailures: 0 },
  importRuns: 1,
  rateLimit: {
    durationMs: 1_000,
    concurrency: 64,
    contenders: ['openai', 'operations'],
    limits: [
      { binding: 'requests', requestsPerMinute: 600, tokensPerMinute: 100_000_000 },
      { binding: 'tokens', requestsPerMinute: 100_000, tokensPerMinute: 12_000 },
    ],
  },
};
