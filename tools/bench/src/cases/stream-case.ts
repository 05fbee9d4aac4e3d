import type { Contender } from '../contenders/contender.ts';
import { median } from '../stats/median.ts';

/** One stream run: the medians over its streams. */
export interface StreamRun {
  /** Median time to the first text chunk, in ms. */
  readonly firstTextMs: number;
  /** Median time to the end of the stream, in ms. */
  readonly totalMs: number;
  /** CPU time (user + system) of the client process per stream, in ms. */
  readonly cpuMsPerStream: number;
  /** Text chunks per stream (the same for every stream of the run, or the run fails). */
  readonly textChunks: number;
}

/**
 * Reads `streams` streamed answers one after the other and returns the median time
 * to the first text and to the end. Rejects when the streams differ in length (one of
 * them lost chunks).
 */
export async function measureStream(contender: Contender, options: { readonly streams: number }): Promise<StreamRun> {
  const firsts: number[] = [];
  const totals: number[] = [];
  let textChunks: number | undefined;
  const cpu = process.cpuUsage();
  for (let index = 0; index < options.streams; index += 1) {
    const started = performance.now();
    const reading = await contender.stream();
    totals.push(performance.now() - started);
    firsts.push(reading.firstTextAt - started);
    if (textChunks !== undefined && reading.textChunks !== textChunks) {
      throw new Error(`${contender.name}: one stream had ${textChunks} text chunks, another ${reading.textChunks}`);
    }
    textChunks = reading.textChunks;
  }
  const used = process.cpuUsage(cpu);
  return {
    firstTextMs: median(firsts),
    totalMs: median(totals),
    cpuMsPerStream: (used.user + used.system) / 1_000 / options.streams,
    textChunks: textChunks ?? 0,
  };
}
