import { createOperations, type Operations } from '@openai-integration/operations';
import OpenAI from 'openai';
import { benchRequest } from '../contenders/bench-request.ts';
import { median } from '../stats/median.ts';

/** How calls behave against an API that always fails, with and without a circuit breaker. */
export interface FastFailReport {
  /** Failing calls that reached the server before the circuit opened (operations, retries off for these calls). */
  readonly callsToOpen: number;
  /** Median time of a failing call of operations that reaches the server (HTTP 500 on loopback; breaker off, retries off, warm), in ms. */
  readonly failingCallMs: number;
  /** Calls per second refused by the open circuit, default log level (each refusal is logged at warn). */
  readonly refusalsPerSecond: number;
  /** The same with logging off. */
  readonly quietRefusalsPerSecond: number;
  /** Requests that reached the server while the circuit was open (must be 0). */
  readonly requestsWhileOpen: number;
  /** Median time of a failing call of the bare SDK with `maxRetries: 0`, in ms. */
  readonly sdkFailingCallMs: number;
  /** Median time of a failing call of the bare SDK with its default retries (2, with backoff), in ms; null when not measured. */
  readonly sdkRetryingCallMs: number | null;
}

const messages = [{ role: 'user' as const, content: benchRequest.prompt }];

/**
 * Measures the circuit breaker of the integration: trips it against an always-failing
 * server (each tripping call with `retry: { maxRetries: 0 }`, since the default policy
 * would wait out 7.5 to 15 s of backoff first), then times calls that the open
 * circuit refuses with the default policies; and, for comparison, failing calls that
 * do reach the server: through the integration with its breaker off, and through the
 * bare SDK, which has no breaker (`sdkFailures` of each, after a warm-up). Rejects
 * when a call does not fail the expected way.
 */
export async function measureFastFail(options: {
  readonly failingBaseURL: string;
  readonly refusals: number;
  readonly sdkFailures: number;
  readonly sdkRetryingFailures: number;
}): Promise<FastFailReport> {
  let requests = 0;
  const countingFetch: typeof fetch = (input, init) => {
    requests += 1;
    return fetch(input, init);
  };
  const open = (logLevel: 'warn' | 'off'): Operations => {
    const created = createOperations({
      fetch: countingFetch,
      load: {
        apiKey: benchRequest.apiKey,
        baseUrl: options.failingBaseURL,
        model: benchRequest.model,
        env: {},
        envFile: false,
        logLevel,
      },
    });
    if (created.isErr()) throw new Error(`operations: ${created.error.message}`);
    return created.value;
  };

  const loud = open('warn');
  for (let call = 0; call < 50; call += 1) {
    const result = await loud.chat.create({ messages }, { retry: { maxRetries: 0 } });
    if (result.isOk()) throw new Error('fast-fail: the failing server answered');
    if (result.error._tag === 'CircuitOpenError') break;
    if (result.error._tag !== 'InternalServerError')
      throw new Error(`fast-fail: expected HTTP 500, got ${result.error._tag}`);
  }
  const callsToOpen = requests;

  const refuse = async (operations: Operations): Promise<number> => {
    const started = performance.now();
    for (let call = 0; call < options.refusals; call += 1) {
      const result = await operations.chat.create({ messages });
      if (result.isOk() || result.error._tag !== 'CircuitOpenError')
        throw new Error('fast-fail: a call was not refused by the open circuit');
    }
    return options.refusals / ((performance.now() - started) / 1_000);
  };
  const refusalsPerSecond = await refuse(loud);
  const requestsWhileOpen = requests - callsToOpen;

  const quiet = open('off');
  for (let call = 0; call < 50; call += 1) {
    const result = await quiet.chat.create({ messages }, { retry: { maxRetries: 0 } });
    if (result.isErr() && result.error._tag === 'CircuitOpenError') break;
  }
  const quietRefusalsPerSecond = await refuse(quiet);

  const timeFailures = async (client: OpenAI, count: number): Promise<number> => {
    const times: number[] = [];
    for (let call = 0; call < count; call += 1) {
      const started = performance.now();
      const failed = await client.chat.completions.create({ model: benchRequest.model, messages }).then(
        () => false,
        () => true,
      );
      if (!failed) throw new Error('fast-fail: the failing server answered the SDK');
      times.push(performance.now() - started);
    }
    return median(times);
  };
  // What a failing call costs when it does reach the server: the breaker off, so that every call does (warm code, as for the SDK below).
  const unguarded = createOperations({
    transport: { breaker: false, retry: { maxRetries: 0 } },
    load: {
      apiKey: benchRequest.apiKey,
      baseUrl: options.failingBaseURL,
      model: benchRequest.model,
      env: {},
      envFile: false,
    },
  });
  if (unguarded.isErr()) throw new Error(`operations: ${unguarded.error.message}`);
  const failing: number[] = [];
  for (let call = 0; call < options.sdkFailures + 20; call += 1) {
    const started = performance.now();
    const result = await unguarded.value.chat.create({ messages });
    if (result.isOk() || result.error._tag !== 'InternalServerError')
      throw new Error('fast-fail: expected HTTP 500 without a breaker');
    if (call >= 20) failing.push(performance.now() - started);
  }

  const sdkFailingCallMs = await timeFailures(
    new OpenAI({ apiKey: benchRequest.apiKey, baseURL: options.failingBaseURL, maxRetries: 0 }),
    options.sdkFailures,
  );
  const sdkRetryingCallMs =
    options.sdkRetryingFailures > 0
      ? await timeFailures(
          new OpenAI({ apiKey: benchRequest.apiKey, baseURL: options.failingBaseURL }),
          options.sdkRetryingFailures,
        )
      : null;

  return {
    callsToOpen,
    failingCallMs: median(failing),
    refusalsPerSecond,
    quietRefusalsPerSecond,
    requestsWhileOpen,
    sdkFailingCallMs,
    sdkRetryingCallMs,
  };
}
