// One of several processes calling `chat.create` on one API key against a simulator
// that enforces one rate limit, for the shared-limit benchmark. Started with fork(): it
// gets its settings as JSON in argv, says `ready`, starts on `go`, and reports what it
// measured over IPC.
import { createOperations } from '@openai-integration/operations';
import { createRedisStoreFromUrl, type RedisStore } from '@openai-integration/redis-store';
import OpenAI, { APIError, APIUserAbortError } from 'openai';
import { benchRequest } from '../contenders/bench-request.ts';
import type { SharedLimitContender, SharedLimitWorkerReport } from './shared-limit-protocol.ts';

interface Settings {
  readonly contender: SharedLimitContender;
  readonly baseURL: string;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly instances: number;
  readonly concurrency: number;
  readonly durationMs: number;
}

type Outcome =
  | { readonly type: 'success' }
  | { readonly type: 'refused'; readonly retryAfterMs: number | null }
  | { readonly type: 'failed'; readonly kind: string }
  | { readonly type: 'aborted' };

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
let requests = 0;
let rateLimited = 0;
const countingFetch: typeof fetch = async (input, init) => {
  requests += 1;
  const response = await fetch(input, init);
  if (response.status === 429) rateLimited += 1;
  return response;
};
const messages = [{ role: 'user' as const, content: benchRequest.prompt }];

let store: RedisStore | undefined;
let call: (signal: AbortSignal) => Promise<Outcome>;
if (settings.contender === 'openai') {
  const client = new OpenAI({ apiKey: benchRequest.apiKey, baseURL: settings.baseURL, fetch: countingFetch });
  call = async (signal) => {
    try {
      await client.chat.completions.create(
        { model: benchRequest.model, messages, max_completion_tokens: benchRequest.chatMaxTokens },
        { signal },
      );
      return { type: 'success' };
    } catch (error) {
      if (error instanceof APIUserAbortError) return { type: 'aborted' };
      return { type: 'failed', kind: error instanceof APIError ? `HTTP ${String(error.status)}` : String(error) };
    }
  };
} else {
  if (settings.contender === 'operations-redis') {
    const created = createRedisStoreFromUrl(settings.redisUrl, {
      prefix: settings.prefix,
      instances: settings.instances,
    });
    if (created.isErr()) throw new Error(created.error.message);
    store = created.value;
  }
  const created = createOperations({
    fetch: countingFetch,
    load: {
      apiKey: benchRequest.apiKey,
      baseUrl: settings.baseURL,
      model: benchRequest.model,
      env: {},
      envFile: false,
    },
    ...(store === undefined ? {} : { transport: { pacing: { store: store.budgets } } }),
  });
  if (created.isErr()) throw new Error(`operations: ${created.error.message}`);
  const operations = created.value;
  call = async (signal) => {
    const result = await operations.chat.create(
      { messages, max_completion_tokens: benchRequest.chatMaxTokens },
      { signal },
    );
    if (result.isOk()) return { type: 'success' };
    const { error } = result;
    if (error._tag === 'AbortedError') return { type: 'aborted' };
    if (error._tag === 'RateLimitError' && error.origin === 'client')
      return { type: 'refused', retryAfterMs: error.retryAfterMs };
    return { type: 'failed', kind: error._tag === 'RateLimitError' ? 'RateLimitError (server)' : error._tag };
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

process.send?.({ type: 'ready' });
await new Promise<void>((resolve) => {
  process.once('message', () => {
    resolve();
  });
});

const stop = new AbortController();
const latencies: number[] = [];
const failures: Record<string, number> = {};
let refusals = 0;
let calls = 0;
const started = performance.now();
const end = started + settings.durationMs;
const timer = setTimeout(() => {
  stop.abort();
}, settings.durationMs);
const commandsBefore = store?.status().commands ?? 0;
const lane = async (): Promise<void> => {
  while (!stop.signal.aborted) {
    const callStarted = performance.now();
    const outcome = await call(stop.signal);
    const finished = performance.now();
    if (outcome.type === 'aborted' || finished > end) continue;
    calls += 1;
    if (outcome.type === 'success') latencies.push(finished - callStarted);
    else if (outcome.type === 'refused') {
      refusals += 1;
      await sleep(Math.max(1, outcome.retryAfterMs ?? 1), stop.signal);
    } else failures[outcome.kind] = (failures[outcome.kind] ?? 0) + 1;
  }
};
await Promise.all(Array.from({ length: settings.concurrency }, lane));
clearTimeout(timer);
const report: SharedLimitWorkerReport = {
  type: 'report',
  calls,
  successes: latencies.length,
  requests,
  rateLimited,
  refusals,
  failures,
  latencies,
  redisCommands: (store?.status().commands ?? 0) - commandsBefore,
};
await store?.close();
process.send?.(report, () => {
  process.exit(0);
});
