import type { Contender } from '../contenders/contender.ts';
import { percentile } from '../stats/percentile.ts';

/** One throughput run: how many calls per second, and the latency of each call. */
export interface ThroughputRun {
  readonly requestsPerSecond: number;
  /** Median latency of one call, in ms. */
  readonly p50Ms: number;
  /** 99th-percentile latency of one call, in ms. */
  readonly p99Ms: number;
  /** CPU time (user + system) of the client process per call, in µs: the client's own work, whatever the wait. */
  readonly cpuMicrosPerCall: number;
}

/**
 * Makes `calls` chat calls with `concurrency` of them in flight at any time and
 * returns the rate achieved and the latency percentiles of the calls (at concurrency
 * 1 the latency is the client's round trip; higher up it includes queueing).
 */
export async function measureThroughput(
  contender: Contender,
  options: { readonly concurrency: number; readonly calls: number },
): Promise<ThroughputRun> {
  const latencies = new Array<number>(options.calls).fill(0);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < options.calls) {
      const index = next;
      next += 1;
      const started = performance.now();
      await contender.chat();
      latencies[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.calls) }, lane));
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    requestsPerSecond: options.calls / (elapsedMs / 1_000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuMicrosPerCall: (used.user + used.system) / options.calls,
  };
}
