import { benchRequest } from '../contenders/bench-request.ts';
import { percentile } from '../stats/percentile.ts';

/** The clients of the rate-limit case: the bare SDK with its own default retries, and the integration with its defaults. */
export type RateLimitContender = 'openai' | 'operations';

/** What one client got out of a rate-limited server in one run. */
export interface RateLimitRun {
  /** Wall time of the run, in ms (the calls still waiting when it ended were aborted). */
  readonly elapsedMs: number;
  /** Calls that succeeded within the run. */
  readonly successes: number;
  /** Tokens the server charged per successful call (its usage), on average. */
  readonly tokensPerSuccess: number;
  /** HTTP requests that left the client (retries included). */
  readonly requests: number;
  /** Of those, answered 429. */
  readonly rateLimited: number;
  /** Calls the client refused itself without a request (pacing, `RateLimitError` origin `client`). */
  readonly refusals: number;
  /** Calls that ended in an error other than a refusal or the end of the run, by kind. */
  readonly failures: Readonly<Record<string, number>>;
  /** Latency of the successful calls, in ms (waits for the budget included). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU time (user + system) of the client process over the run, in ms. */
  readonly cpuMs: number;
}

/** How a call ended, as the run counts it. */
type Outcome =
  | { readonly type: 'success'; readonly tokens: number }
  | { readonly type: 'refused'; readonly retryAfterMs: number | null }
  | { readonly type: 'failed'; readonly kind: string }
  | { readonly type: 'aborted' };

/** One client set up against the server, with a `fetch` that counts what it sends. */
interface Caller {
  call(signal: AbortSignal): Promise<Outcome>;
}

const messages = [{ role: 'user' as const, content: benchRequest.prompt }];

async function createCaller(
  contender: RateLimitContender,
  baseURL: string,
  countingFetch: typeof fetch,
): Promise<Caller> {
  if (contender === 'openai') {
    const { default: OpenAI, APIUserAbortError, APIError } = await import('openai');
    // The SDK as most applications use it: its own default retries (2), which honour retry-after.
    const client = new OpenAI({ apiKey: benchRequest.apiKey, baseURL, fetch: countingFetch });
    return {
      call: async (signal) => {
        try {
          const completion = await client.chat.completions.create(
            { model: benchRequest.model, messages, max_completion_tokens: benchRequest.chatMaxTokens },
            { signal },
          );
          return { type: 'success', tokens: completion.usage?.total_tokens ?? 0 };
        } catch (error) {
          if (error instanceof APIUserAbortError) return { type: 'aborted' };
          return { type: 'failed', kind: error instanceof APIError ? `HTTP ${String(error.status)}` : String(error) };
        }
      },
    };
  }
  const { createOperations } = await import('@openai-integration/operations');
  const created = createOperations({
    fetch: countingFetch,
    load: { apiKey: benchRequest.apiKey, baseUrl: baseURL, model: benchRequest.model, env: {}, envFile: false },
  });
  if (created.isErr()) throw new Error(`operations: ${created.error.message}`);
  const operations = created.value;
  return {
    call: async (signal) => {
      const result = await operations.chat.create(
        { messages, max_completion_tokens: benchRequest.chatMaxTokens },
        { signal },
      );
      if (result.isOk()) return { type: 'success', tokens: result.value.meta.usage?.totalTokens ?? 0 };
      const { error } = result;
      if (error._tag === 'AbortedError') return { type: 'aborted' };
      if (error._tag === 'RateLimitError' && error.origin === 'client')
        return { type: 'refused', retryAfterMs: error.retryAfterMs };
      return { type: 'failed', kind: error._tag === 'RateLimitError' ? 'RateLimitError (server)' : error._tag };
    },
  };
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Calls `chat.create` in a loop from `concurrency` callers for `durationMs` against a
 * server that enforces a rate limit, and counts what came of it: successes, requests
 * sent and 429s received (through a counting `fetch`), calls the client refused
 * itself, other failures, and the latency of the successes. A caller that is refused
 * with a retry hint sleeps on it, as a well-behaved caller would; the bare SDK's
 * callers call again at once after a failure (its own retries have waited already).
 * When the time is up, calls still waiting are aborted and not counted.
 */
export async function measureRateLimited(options: {
  readonly contender: RateLimitContender;
  readonly baseURL: string;
  readonly concurrency: number;
  readonly durationMs: number;
}): Promise<RateLimitRun> {
  let requests = 0;
  let rateLimited = 0;
  const countingFetch: typeof fetch = async (input, init) => {
    requests += 1;
    const response = await fetch(input, init);
    if (response.status === 429) rateLimited += 1;
    return response;
  };
  const caller = await createCaller(options.contender, options.baseURL, countingFetch);
  const stop = new AbortController();
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let refusals = 0;
  let tokens = 0;
  const started = performance.now();
  const end = started + options.durationMs;
  const timer = setTimeout(() => {
    stop.abort();
  }, options.durationMs);
  const cpu = process.cpuUsage();
  const lane = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      const callStarted = performance.now();
      const outcome = await caller.call(stop.signal);
      const finished = performance.now();
      if (outcome.type === 'aborted' || finished > end) continue;
      if (outcome.type === 'success') {
        latencies.push(finished - callStarted);
        tokens += outcome.tokens;
      } else if (outcome.type === 'refused') {
        refusals += 1;
        await sleep(Math.max(1, outcome.retryAfterMs ?? 1), stop.signal);
      } else {
        failures[outcome.kind] = (failures[outcome.kind] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  clearTimeout(timer);
  const used = process.cpuUsage(cpu);
  return {
    elapsedMs: performance.now() - started,
    successes: latencies.length,
    tokensPerSuccess: latencies.length === 0 ? 0 : tokens / latencies.length,
    requests,
    rateLimited,
    refusals,
    failures,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuMs: (used.user + used.system) / 1_000,
  };
}
