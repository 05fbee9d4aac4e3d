import type { RateLimitContender } from '../cases/rate-limit-case.ts';
import type { ContenderName } from '../contenders/contender.ts';
import type { EnforcedLimit } from '../run/bench-plan.ts';
import type { BenchResults, StreamTargetName, TargetName } from '../run/bench-results.ts';
import { linearSlope, robustSlope } from '../stats/linear-slope.ts';
import { median } from '../stats/median.ts';
import { summarize, type Summary } from '../stats/summarize.ts';

/** Throughput of one contender at one concurrency against one server. */
export interface ThroughputRow {
  readonly target: TargetName;
  readonly concurrency: number;
  readonly contender: ContenderName;
  readonly requestsPerSecond: Summary;
  /** Median over rounds of (this / bare SDK) in the same round. */
  readonly ratioToSdk: number;
}

/** Latency per call at concurrency 1. */
export interface LatencyRow {
  readonly target: TargetName;
  readonly contender: ContenderName;
  readonly p50Ms: Summary;
  readonly p99Ms: Summary;
  /** Median over rounds of (this p50 - bare fetch p50) in the same round, ms. */
  readonly addedP50VsFetchMs: number;
  readonly addedP99VsFetchMs: number;
  /** Median over rounds of (this p50 - bare SDK p50), ms: what a layer on the SDK adds. */
  readonly addedP50VsSdkMs: number;
  readonly addedP99VsSdkMs: number;
  /** Client CPU time per call, µs. */
  readonly cpuMicrosPerCall: Summary;
}

/** A stream read by one contender from one server. */
export interface StreamRow {
  readonly target: StreamTargetName;
  readonly contender: ContenderName;
  readonly firstTextMs: Summary;
  /** Median over rounds of (this first text / bare SDK first text). */
  readonly firstTextRatioToSdk: number;
  readonly totalMs: Summary;
  /** Median over rounds of (this total / bare SDK total). */
  readonly totalRatioToSdk: number;
  /** Client CPU time per stream, ms. */
  readonly cpuMs: Summary;
  readonly textChunks: number;
}

/** Memory over many calls. */
export interface MemoryRow {
  readonly contender: ContenderName;
  readonly calls: number;
  readonly heapStartBytes: number;
  readonly heapEndBytes: number;
  readonly rssStartBytes: number;
  readonly rssEndBytes: number;
  readonly externalStartBytes: number;
  readonly externalEndBytes: number;
  /**
   * Theil-Sen slope of the heap after GC, bytes per call, from the second sample on (the
   * first, right after the warm-up, still holds start-up code that V8 drops only after
   * several collections): the flatness criterion, which one odd sample cannot tilt.
   */
  readonly heapSlopeBytesPerCall: number;
  /** The least-squares slope of the same samples, shown beside it. */
  readonly heapLeastSquaresBytesPerCall: number;
  readonly heapSamplesBytes: readonly number[];
  readonly callsPerSecond: number;
}

/** Cold import of one package. */
export interface ImportRow {
  readonly specifier: string;
  readonly distMs: Summary | null;
  readonly sourceMs: Summary | null;
}

/** What one client got out of a server enforcing one rate limit. */
export interface RateLimitRow {
  readonly limit: EnforcedLimit;
  readonly contender: RateLimitContender;
  readonly durationMs: number;
  /** Successful calls the limit allowed in the run: the full buckets at the start plus their refill, divided by what a call costs. */
  readonly allowed: number;
  readonly successes: number;
  /** `successes / allowed`. */
  readonly fractionOfAllowed: number;
  readonly requests: number;
  readonly rateLimited: number;
  /** `rateLimited / requests` (0 without requests). */
  readonly rateLimitedShare: number;
  readonly refusals: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly tokensPerSuccess: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuMs: number;
}

/** One target of the integration, checked against the measurements. */
export interface TargetCheck {
  readonly target: string;
  readonly threshold: string;
  readonly measured: string;
  readonly met: boolean;
}

/** Everything the report shows, computed from the measurements. */
export interface BenchAnalysis {
  readonly throughput: readonly ThroughputRow[];
  readonly latency: readonly LatencyRow[];
  readonly streams: readonly StreamRow[];
  readonly memory: readonly MemoryRow[];
  readonly imports: readonly ImportRow[];
  readonly rateLimit: readonly RateLimitRow[];
  readonly targets: readonly TargetCheck[];
}

/** Per-round pairs: `combine(mine[i], theirs[i])` for each round both have, then the median. */
const paired = <T>(mine: readonly T[], theirs: readonly T[] | undefined, combine: (a: T, b: T) => number): number =>
  theirs === undefined
    ? Number.NaN
    : median(mine.flatMap((value, index) => (theirs[index] === undefined ? [] : [combine(value, theirs[index])])));

/** Heap growth per call below this is flat: any object kept per call costs at least 16 bytes. */
export const flatHeapBytesPerCall = 10;

/**
 * Turns the measurements into the report's rows: medians and spreads over rounds,
 * ratios and differences paired round by round (both contenders measured in the same
 * round, minutes apart at most, so that a busy moment of the shared machine affects
 * both), memory slopes, and the check of each target of the integration.
 */
export function analyzeResults(results: BenchResults): BenchAnalysis {
  const throughputRuns = (target: TargetName, concurrency: number, contender: ContenderName) =>
    results.throughput.find(
      (entry) => entry.target === target && entry.concurrency === concurrency && entry.contender === contender,
    )?.runs;
  const streamRuns = (target: StreamTargetName, contender: ContenderName) =>
    results.streams.find((entry) => entry.target === target && entry.contender === contender)?.runs;

  const throughput = results.throughput.map((entry): ThroughputRow => ({
    target: entry.target,
    concurrency: entry.concurrency,
    contender: entry.contender,
    requestsPerSecond: summarize(entry.runs.map((run) => run.requestsPerSecond)),
    ratioToSdk: paired(
      entry.runs,
      throughputRuns(entry.target, entry.concurrency, 'openai'),
      (a, b) => a.requestsPerSecond / b.requestsPerSecond,
    ),
  }));

  const latency = results.throughput
    .filter((entry) => entry.concurrency === 1)
    .map((entry): LatencyRow => {
      const fetchRuns = throughputRuns(entry.target, 1, 'fetch');
      const sdkRuns = throughputRuns(entry.target, 1, 'openai');
      return {
        target: entry.target,
        contender: entry.contender,
        p50Ms: summarize(entry.runs.map((run) => run.p50Ms)),
        p99Ms: summarize(entry.runs.map((run) => run.p99Ms)),
        addedP50VsFetchMs: paired(entry.runs, fetchRuns, (a, b) => a.p50Ms - b.p50Ms),
        addedP99VsFetchMs: paired(entry.runs, fetchRuns, (a, b) => a.p99Ms - b.p99Ms),
        addedP50VsSdkMs: paired(entry.runs, sdkRuns, (a, b) => a.p50Ms - b.p50Ms),
        addedP99VsSdkMs: paired(entry.runs, sdkRuns, (a, b) => a.p99Ms - b.p99Ms),
        cpuMicrosPerCall: summarize(entry.runs.map((run) => run.cpuMicrosPerCall)),
      };
    });

  const streams = results.streams.map((entry): StreamRow => ({
    target: entry.target,
    contender: entry.contender,
    firstTextMs: summarize(entry.runs.map((run) => run.firstTextMs)),
    firstTextRatioToSdk: paired(
      entry.runs,
      streamRuns(entry.target, 'openai'),
      (a, b) => a.firstTextMs / b.firstTextMs,
    ),
    totalMs: summarize(entry.runs.map((run) => run.totalMs)),
    totalRatioToSdk: paired(entry.runs, streamRuns(entry.target, 'openai'), (a, b) => a.totalMs / b.totalMs),
    cpuMs: summarize(entry.runs.map((run) => run.cpuMsPerStream)),
    textChunks: entry.runs[0]?.textChunks ?? 0,
  }));

  const memory = results.memory.map(({ contender, run }): MemoryRow => {
    const first = run.samples[0];
    const last = run.samples.at(-1);
    const calls = last?.calls ?? 0;
    const points = run.samples
      .slice(run.samples.length > 2 ? 1 : 0)
      .map((sample) => ({ x: sample.calls, y: sample.heapUsedBytes }));
    return {
      contender,
      calls,
      heapStartBytes: first?.heapUsedBytes ?? Number.NaN,
      heapEndBytes: last?.heapUsedBytes ?? Number.NaN,
      rssStartBytes: first?.rssBytes ?? Number.NaN,
      rssEndBytes: last?.rssBytes ?? Number.NaN,
      externalStartBytes: first?.externalBytes ?? Number.NaN,
      externalEndBytes: last?.externalBytes ?? Number.NaN,
      heapSlopeBytesPerCall: robustSlope(points),
      heapLeastSquaresBytesPerCall: linearSlope(points),
      heapSamplesBytes: run.samples.map((sample) => sample.heapUsedBytes),
      callsPerSecond: calls / (run.elapsedMs / 1_000),
    };
  });

  const specifiers = [...new Set(results.imports.map((entry) => entry.specifier))];
  const importTimes = (specifier: string, mode: 'dist' | 'source') => {
    const times = results.imports.find((entry) => entry.specifier === specifier && entry.mode === mode)?.timesMs;
    return times === undefined || times === null ? null : summarize(times);
  };
  const imports = specifiers.map((specifier): ImportRow => ({
    specifier,
    distMs: importTimes(specifier, 'dist'),
    sourceMs: importTimes(specifier, 'source'),
  }));

  const rateLimit = analyzeRateLimited(results);
  return {
    throughput,
    latency,
    streams,
    memory,
    imports,
    rateLimit,
    targets: checkTargets({ throughput, latency, streams, memory, rateLimit }),
  };
}

/**
 * The rate-limit rows. A run lets through what the buckets hold at the start (full)
 * plus what they refill in its duration; divided by what one call costs (1 request;
 * its tokens as the server charged them, the same for every call of the case), the
 * smaller of the two is the number of calls that could succeed.
 */
export function analyzeRateLimited(results: Pick<BenchResults, 'rateLimit' | 'plan'>): RateLimitRow[] {
  const { durationMs } = results.plan.rateLimit;
  const windows = 1 + durationMs / 60_000;
  return results.rateLimit.map(({ limit, contender, run }): RateLimitRow => {
    const tokensPerCall = Math.max(
      0,
      ...results.rateLimit.filter((entry) => entry.limit === limit).map((entry) => entry.run.tokensPerSuccess),
    );
    const byRequests = limit.requestsPerMinute * windows;
    const byTokens = tokensPerCall > 0 ? (limit.tokensPerMinute * windows) / tokensPerCall : Number.POSITIVE_INFINITY;
    const allowed = Math.floor(Math.min(byRequests, byTokens));
    return {
      limit,
      contender,
      durationMs,
      allowed,
      successes: run.successes,
      fractionOfAllowed: run.successes / allowed,
      requests: run.requests,
      rateLimited: run.rateLimited,
      rateLimitedShare: run.requests === 0 ? 0 : run.rateLimited / run.requests,
      refusals: run.refusals,
      failures: run.failures,
      tokensPerSuccess: run.tokensPerSuccess,
      p50Ms: run.p50Ms,
      p99Ms: run.p99Ms,
      cpuMs: run.cpuMs,
    };
  });
}

/** The integration's targets under a rate limit: nearly all the calls allowed, nearly no 429, no refusal of a call that could wait. */
export function rateLimitTargets(rows: readonly RateLimitRow[]): TargetCheck[] {
  return rows
    .filter((row) => row.contender === 'operations')
    .flatMap((row) => [
      {
        target: `successes under a ${row.limit.binding}-per-minute limit`,
        threshold: 'at least 0.95 of what the limit allowed',
        measured: `${row.fractionOfAllowed.toFixed(3)} (${row.successes.toLocaleString('en-US')} of ${row.allowed.toLocaleString('en-US')})`,
        met: row.fractionOfAllowed >= 0.95,
      },
      {
        target: `requests answered 429 under a ${row.limit.binding}-per-minute limit`,
        threshold: 'at most 1%',
        measured: `${(row.rateLimitedShare * 100).toFixed(2)}% (${row.rateLimited.toLocaleString('en-US')} of ${row.requests.toLocaleString('en-US')})`,
        met: row.rateLimitedShare <= 0.01,
      },
      {
        target: `calls refused by the client under a ${row.limit.binding}-per-minute limit (every call could wait: no deadline, 30 s maximum wait)`,
        threshold: 'none',
        measured: row.refusals.toLocaleString('en-US'),
        met: row.refusals === 0,
      },
    ]);
}

function checkTargets(
  rows: Pick<BenchAnalysis, 'throughput' | 'latency' | 'streams' | 'memory' | 'rateLimit'>,
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const row of rows.throughput.filter((entry) => entry.target === 'raw' && entry.contender === 'operations')) {
    checks.push({
      target: `chat throughput at concurrency ${row.concurrency}, raw server`,
      threshold: "at least the bare SDK's (1.00)",
      measured: `${row.ratioToSdk.toFixed(3)} of the bare SDK`,
      met: row.ratioToSdk >= 1,
    });
  }
  const latency = rows.latency.find((entry) => entry.target === 'raw' && entry.contender === 'operations');
  if (latency !== undefined) {
    checks.push({
      target: 'added p50 latency per call over the bare SDK (what the integration adds), raw server',
      threshold: 'at most 0.2 ms',
      measured: `${latency.addedP50VsSdkMs.toFixed(3)} ms`,
      met: latency.addedP50VsSdkMs <= 0.2,
    });
    checks.push({
      target: 'added p50 latency per call over bare fetch (the integration and the SDK under it), raw server',
      threshold: 'at most 0.2 ms',
      measured: `${latency.addedP50VsFetchMs.toFixed(3)} ms`,
      met: latency.addedP50VsFetchMs <= 0.2,
    });
  }
  const stream = rows.streams.find((entry) => entry.target === 'raw' && entry.contender === 'operations');
  if (stream !== undefined) {
    const overhead = stream.totalRatioToSdk - 1;
    checks.push({
      target: `${stream.textChunks}-chunk stream, total time over the bare SDK, raw server`,
      threshold: 'at most 3% more',
      measured: `${overhead >= 0 ? '+' : ''}${(overhead * 100).toFixed(1)}%`,
      met: overhead <= 0.03,
    });
  }
  for (const target of ['raw', 'spread'] as const) {
    const row = rows.streams.find((entry) => entry.target === target && entry.contender === 'operations');
    if (row === undefined) continue;
    checks.push({
      target:
        target === 'raw'
          ? `${row.textChunks}-chunk stream written at once, time to first text over the bare SDK, raw server`
          : `${row.textChunks}-chunk stream spread over time, time to first text over the bare SDK, simulator`,
      threshold: 'no later than the bare SDK (at most 1.00x)',
      measured: `${row.firstTextRatioToSdk.toFixed(3)}x`,
      met: row.firstTextRatioToSdk <= 1,
    });
  }
  const memory = rows.memory.find((entry) => entry.contender === 'operations');
  if (memory !== undefined) {
    checks.push({
      target: `heap after GC over ${memory.calls.toLocaleString('en-US')} calls`,
      threshold: `flat: slope under ${flatHeapBytesPerCall} bytes per call`,
      measured: `${memory.heapSlopeBytesPerCall.toFixed(2)} bytes per call`,
      met: memory.heapSlopeBytesPerCall < flatHeapBytesPerCall,
    });
  }
  checks.push(...rateLimitTargets(rows.rateLimit));
  return checks;
}
