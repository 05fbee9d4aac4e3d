import type { Contender } from '../contenders/contender.ts';

/** Memory after a full garbage collection, once `calls` calls had been made. */
export interface MemorySample {
  readonly calls: number;
  readonly heapUsedBytes: number;
  /** Memory of C++ objects bound to JavaScript ones (buffers, sockets). */
  readonly externalBytes: number;
  readonly rssBytes: number;
}

/** A memory run: the samples, first one after the warm-up. */
export interface MemoryRun {
  readonly samples: readonly MemorySample[];
  /** Wall time of the measured calls, in ms. */
  readonly elapsedMs: number;
}

/**
 * Makes `calls` chat calls (`concurrency` in flight) and samples the heap and RSS
 * after a full collection before the first call and every `sampleEvery` calls. A
 * warm-up of `sampleEvery` calls comes first, so that caches that fill once (JIT code,
 * pools, bounded histories) are full before the first sample.
 *
 * `collect` runs the garbage collector (the process needs `--expose-gc`).
 */
export async function measureMemory(
  contender: Contender,
  options: {
    readonly calls: number;
    readonly sampleEvery: number;
    readonly concurrency: number;
    readonly collect: () => void;
  },
): Promise<MemoryRun> {
  const batch = async (count: number): Promise<void> => {
    let left = count;
    const lane = async (): Promise<void> => {
      while (left > 0) {
        left -= 1;
        await contender.chat();
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, count) }, lane));
  };
  const sample = async (calls: number): Promise<MemorySample> => {
    // Let closed sockets and finished timers go before collecting twice (weak references need a second pass).
    await new Promise((resolve) => setImmediate(resolve));
    options.collect();
    options.collect();
    const usage = process.memoryUsage();
    return { calls, heapUsedBytes: usage.heapUsed, externalBytes: usage.external, rssBytes: usage.rss };
  };

  await batch(options.sampleEvery);
  const samples = [await sample(0)];
  const started = performance.now();
  for (let done = 0; done < options.calls;) {
    const count = Math.min(options.sampleEvery, options.calls - done);
    await batch(count);
    done += count;
    samples.push(await sample(done));
  }
  return { samples, elapsedMs: performance.now() - started };
}
