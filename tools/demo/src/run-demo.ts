import { loadConfig, type IntegrationError } from '@openai-integration/core';
import {
  createOperations,
  createUsageTracker,
  type Operations,
  type OperationsOptions,
} from '@openai-integration/operations';
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { systemClock, type Clock, type RetryEvent } from '@openai-integration/transport';
import { createModelOutage } from './model-outage.ts';
import { showSpanTree } from './show-span-tree.ts';
import { formatTable, type Style, type Terminal } from './terminal.ts';

/** What the demo needs from its surroundings; everything is injectable for tests. */
export interface DemoOptions {
  readonly terminal: Terminal;
  readonly style: Style;
  /** The environment to read OPENAI_* from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Folder of the `.env` file, or false for none. */
  readonly envDir: string | false;
  /** Seed of the simulator, for reproducible text. */
  readonly seed?: number;
  /** Force the simulator even when a key is configured. */
  readonly offline?: boolean;
  /** Time source for retries and pacing (tests pass a virtual clock). Default: the system clock. */
  readonly clock?: Clock;
}

const question = 'In one sentence, what does a circuit breaker do for an API client?';

const describeError = (error: IntegrationError): string =>
  `${error._tag}${'status' in error && typeof error.status === 'number' ? ` (HTTP ${error.status})` : ''}`;

const money = (value: number | null): string => (value === null ? 'unknown' : `$${value.toFixed(6)}`);

/**
 * Runs the demo from start to end and returns the process exit code: 0 when every
 * step showed what it should, 1 otherwise (the failing step says why).
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const { terminal: out, style } = options;
  const heading = (number: number, title: string) => {
    out.line();
    out.line(style.bold(`${number}. ${title}`));
  };
  const note = (text: string) => {
    out.line(style.dim(`   ${text}`));
  };

  const loaded = loadConfig({
    env: options.env,
    ...(options.envDir === false ? { envFile: false } : { cwd: options.envDir }),
  });
  const live = options.offline !== true && loaded.isOk();
  const simulator: OpenAISimulator = await createOpenAISimulator({ seed: options.seed ?? 42 });
  const closers: (() => Promise<void>)[] = [() => simulator.close()];
  let failures = 0;
  const fail = (step: string, error: IntegrationError) => {
    failures += 1;
    out.line(style.red(`   ${step} failed: ${error.message}`));
  };

  try {
    out.line(style.bold('@openai-integration: the demo'));
    if (live) {
      out.line(
        `Mode: ${style.green('real API')} (${loaded.isOk() ? loaded.value.baseUrl : ''}); fault scenarios (steps 3-5) run against the local simulator.`,
      );
    } else {
      out.line(
        `Mode: ${style.yellow('SIMULATOR')}: no OPENAI_API_KEY found, so every call goes to the local OpenAI simulator at ${simulator.baseURL}.`,
      );
      const other = loaded.isErr()
        ? loaded.error.problems.filter((problem) => problem.variable !== 'OPENAI_API_KEY')
        : [];
      for (const problem of other) note(`note: ${problem.variable} ${problem.problem}; ${problem.fix}`);
    }

    const usage = createUsageTracker();
    const clock = options.clock ?? systemClock;
    const simulated: OperationsOptions = {
      usage,
      clock,
      load: {
        apiKey: 'sk-demo-simulator-key-0',
        baseUrl: simulator.baseURL,
        env: {},
        envFile: false,
        logLevel: 'off',
        model: 'gpt-4o-mini',
      },
    };
    const mainOptions: OperationsOptions = live && loaded.isOk() ? { config: loaded.value, usage, clock } : simulated;
    const main = createOperations({ ...mainOptions, fallbacks: { 'gpt-4o': ['gpt-4o-mini'] } })._unsafeUnwrap();
    const model = live && loaded.isOk() ? loaded.value.model : 'gpt-4o-mini';

    // 1. A chat answer, with what it cost.
    heading(1, 'A chat answer');
    out.line(`   > ${question}`);
    const answer = await main.chat.create({
      model,
      messages: [{ role: 'user', content: question }],
      max_completion_tokens: 80,
    });
    if (answer.isOk()) {
      const { value, meta } = answer.value;
      out.line(`   < ${value.text ?? ''}`);
      note(
        `model ${meta.model} · request ${meta.requestId ?? '-'} · ${meta.attempts} attempt · ${meta.latencyMs} ms · ${meta.usage?.inputTokens ?? 0} in / ${meta.usage?.outputTokens ?? 0} out tokens · ${money(meta.costUsd)}`,
      );
    } else fail('chat', answer.error);

    // 2. A streamed answer, printed as tokens arrive.
    heading(2, 'A streamed answer, printed as tokens arrive');
    const started = Date.now();
    let firstTokenMs: number | null = null;
    let chunks = 0;
    out.write('   < ');
    const stream = main.chat.stream({
      model,
      messages: [{ role: 'user', content: 'Name three reasons API calls fail, briefly.' }],
      max_completion_tokens: 60,
    });
    for await (const event of stream) {
      if (event.type === 'text-delta') {
        firstTokenMs ??= Date.now() - started;
        chunks += 1;
        out.write(event.delta);
      }
    }
    out.line();
    const streamed = await stream.result;
    if (streamed.isOk()) {
      note(
        `time to first token ${firstTokenMs ?? 0} ms · ${chunks} text chunks · finish ${streamed.value.value.finishReason ?? '-'} · usage ${streamed.value.meta.usage?.outputTokens ?? 0} tokens out (reported by the server, not estimated)`,
      );
    } else fail('stream', streamed.error);

    // Steps 3 to 5 inject faults, so they always run against the simulator.
    await showRetries(heading, note, out, style, simulator, simulated, fail);
    await showBreaker(heading, note, out, style, simulator, simulated, closers, fail);
    await showRateLimitPause(heading, note, out, style, simulator, simulated, fail);

    // 6. A filtered, paginated list.
    await showPagination(heading, note, out, live ? main : createOperations(simulated)._unsafeUnwrap(), live, fail);

    // 7. Tokens and cost by model.
    heading(7, 'Tokens and cost by model (every call of this demo)');
    const report = usage.report();
    const rows = Object.entries(report.byModel).map(([name, totals]) => [
      name,
      String(totals.requests),
      String(totals.inputTokens),
      String(totals.outputTokens),
      money(totals.costUsd),
    ]);
    for (const line of formatTable(['model', 'requests', 'input', 'output', 'cost'], rows)) out.line(`   ${line}`);
    note(
      `total ${report.total.requests} calls, ${money(report.total.costUsd)}${report.total.estimatedRequests > 0 ? `, ${report.total.estimatedRequests} with estimated usage` : ''}`,
    );

    // 8. What OpenTelemetry records of one call (against the simulator: it injects faults).
    heading(8, 'One call as OpenTelemetry sees it: retries and a fallback hop as a span tree');
    await showSpanTree({ note, out, style, simulator, simulated, fail });
  } finally {
    for (const close of closers) await close();
  }
  out.line();
  out.line(
    failures === 0
      ? style.green('Done: every step behaved as shown.')
      : style.red(`Done with ${failures} failed step(s).`),
  );
  return failures === 0 ? 0 : 1;
}

type Heading = (number: number, title: string) => void;
type Note = (text: string) => void;
type Fail = (step: string, error: IntegrationError) => void;

async function showRetries(
  heading: Heading,
  note: Note,
  out: Terminal,
  style: Style,
  simulator: OpenAISimulator,
  simulated: OperationsOptions,
  fail: Fail,
): Promise<void> {
  heading(3, 'A burst of 503s, retried with exponential backoff (1 s, 2 s, ...)');
  const operations = createOperations(simulated)._unsafeUnwrap();
  simulator.enqueue(
    'chat.completions',
    { type: 'status', status: 503, message: 'The server is overloaded' },
    { type: 'status', status: 503, message: 'The server is overloaded' },
  );
  const clock = simulated.clock ?? systemClock;
  const started = clock.now();
  const onRetry = (event: RetryEvent) => {
    out.line(`   attempt ${event.attempt}: ${style.red(describeError(event.error))} -> waiting ${event.delayMs} ms`);
  };
  const result = await operations.chat.create(
    { messages: [{ role: 'user', content: 'hello' }] },
    { retry: { jitter: 'none', onRetry } },
  );
  if (result.isOk()) {
    out.line(`   attempt ${result.value.meta.attempts}: ${style.green('200 OK')}`);
    note(
      `answered after ${result.value.meta.attempts} attempts in ${((clock.now() - started) / 1_000).toFixed(1)} s; the SDK's own retries are off, so nothing retried twice`,
    );
  } else fail('retries', result.error);
}

async function showBreaker(
  heading: Heading,
  note: Note,
  out: Terminal,
  style: Style,
  simulator: OpenAISimulator,
  simulated: OperationsOptions,
  closers: (() => Promise<void>)[],
  fail: Fail,
): Promise<void> {
  heading(4, 'A failing model: the circuit opens and the fallback model answers');
  const outage = createModelOutage(['gpt-4o']);
  closers.push(() => Promise.resolve());
  const operations = createOperations({
    ...simulated,
    fetch: outage.fetch,
    fallbacks: { 'gpt-4o': ['gpt-4o-mini'] },
    transport: {
      retry: { maxRetries: 0 },
      breaker: {
        consecutiveFailures: 3,
        openDurationMs: 30_000,
        onStateChange: (change) => {
          out.line(
            style.yellow(`   circuit ${change.key}: ${change.from.type} -> ${change.to.type} (${change.reason})`),
          );
        },
      },
    },
  })._unsafeUnwrap();
  note(`gpt-4o answers HTTP 500 to every request (${simulator.baseURL}); the chain is gpt-4o -> gpt-4o-mini`);
  for (let call = 1; call <= 5; call += 1) {
    const result = await operations.chat.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: `question ${call}` }],
    });
    if (result.isErr()) {
      fail(`call ${call}`, result.error);
      continue;
    }
    const skipped = result.value.meta.skippedModels.map(
      (entry) =>
        `${entry.model} ${entry.errorTag === 'CircuitOpenError' ? 'skipped, circuit open' : `failed (${entry.errorTag ?? entry.reason})`}`,
    );
    out.line(`   call ${call}: ${skipped.join(', ')} -> ${style.green(`answered by ${result.value.meta.model}`)}`);
  }
  note(`gpt-4o was asked ${outage.failed()} times: once the circuit opened, calls failed fast without a request`);
}

async function showRateLimitPause(
  heading: Heading,
  note: Note,
  out: Terminal,
  style: Style,
  simulator: OpenAISimulator,
  simulated: OperationsOptions,
  fail: Fail,
): Promise<void> {
  heading(5, 'A rate limit: every caller pauses until the server says go');
  const operations = createOperations({
    ...simulated,
    transport: {
      pacing: {
        onWait: (event) => {
          out.line(
            `   pacing: a call to ${event.key} is held ${event.waitMs} ms (${event.reason}) instead of being sent to certain rejection`,
          );
        },
      },
    },
  })._unsafeUnwrap();
  simulator.enqueue('chat.completions', { type: 'rate-limit', retryAfterMs: 1_200 });
  let limited = (): void => undefined;
  const firstLimited = new Promise<void>((resolve) => {
    limited = resolve;
  });
  const onRetry = (event: RetryEvent) => {
    out.line(
      `   first call: ${style.red(describeError(event.error))}, server asks to wait ${event.delayMs} ms${event.fromRetryAfter ? ' (retry-after-ms)' : ''}`,
    );
    limited();
  };
  const clock = simulated.clock ?? systemClock;
  const started = clock.now();
  const before = simulator.requests.length;
  const first = operations.chat.create({ messages: [{ role: 'user', content: 'first' }] }, { retry: { onRetry } });
  // The second call starts once the first has seen its 429 (however long that takes on a busy machine), so that it is paused.
  await Promise.race([firstLimited, first]);
  const second = operations.chat.create({ messages: [{ role: 'user', content: 'second' }] });
  const [a, b] = await Promise.all([first, second]);
  if (a.isErr()) fail('first call', a.error);
  if (b.isErr()) fail('second call', b.error);
  if (a.isOk() && b.isOk()) {
    note(
      `both answered after ${((clock.now() - started) / 1_000).toFixed(1)} s with ${simulator.requests.length - before} requests: one 429, then one each (the paused call was never sent early)`,
    );
  }
}

async function showPagination(
  heading: Heading,
  note: Note,
  out: Terminal,
  operations: Operations,
  live: boolean,
  fail: Fail,
): Promise<void> {
  heading(6, 'A filtered, paginated list');
  const models = await operations.models.list({ prefix: 'gpt-4', sortBy: 'id' });
  if (models.isErr()) {
    fail('models list', models.error);
    return;
  }
  out.line(
    `   models starting with gpt-4 (filtered client-side): ${models.value.value.models.map((model) => model.id).join(', ')}`,
  );
  if (!live) {
    // Seed the simulator: five batch input files and two others, so the listing has pages to walk.
    for (const [index, purpose] of (
      ['batch', 'batch', 'assistants', 'batch', 'batch', 'assistants', 'batch'] as const
    ).entries()) {
      const uploaded = await operations.files.upload({
        file: new TextEncoder().encode(`{"n":${index}}\n`),
        filename: `demo-${index}.jsonl`,
        purpose,
      });
      if (uploaded.isErr()) {
        fail('file upload', uploaded.error);
        return;
      }
    }
  }
  let page = 0;
  for await (const result of operations.files.list({ purpose: 'batch', limit: 2, order: 'asc' }).pages()) {
    if (result.isErr()) {
      fail(`files page ${page + 1}`, result.error);
      return;
    }
    page += 1;
    out.line(
      `   files page ${page} (purpose=batch, 2 per page): ${result.value.items.map((file) => file.filename).join(', ') || '(none)'}`,
    );
  }
  note(
    live
      ? 'listed by the real API, read only'
      : `walked ${page} pages with the server's after= cursor; the other purpose was filtered out by the server`,
  );
}
