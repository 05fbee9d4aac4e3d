// Two operations objects stand for two processes on one API key: with one shared store
// each sees the budget the other spent and the circuit the other opened.
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import {
  createManualClock,
  createMemoryBudgetStore,
  createMemoryCooldownStore,
  createTransport,
  type TransportOptions,
} from '@openai-integration/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { createOperations, type Operations, type SharedStore } from '../src/index.ts';
import { testApiKey } from './support/harness.ts';

const hello = { messages: [{ role: 'user' as const, content: 'hello' }] };
const start = 1_800_000_000_000;

let simulator: OpenAISimulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

/** A simulator allowing three requests a minute, on a clock that does not move. */
async function limitedSimulator(): Promise<OpenAISimulator> {
  simulator = await createOpenAISimulator({ seed: 5, rateLimit: { requestsPerMinute: 3 }, now: () => start });
  return simulator;
}

function operationsOn(
  server: OpenAISimulator,
  store: SharedStore | undefined,
  transport: TransportOptions,
): Operations {
  return createOperations({
    load: { env: { OPENAI_API_KEY: testApiKey, OPENAI_BASE_URL: server.baseURL, OPENAI_LOG: 'off' }, envFile: false },
    clock: createManualClock(start),
    transport: { retry: { maxRetries: 0 }, ...transport },
    ...(store === undefined ? {} : { store }),
  })._unsafeUnwrap();
}

describe('createOperations({ store })', () => {
  it('spends one budget from two processes: once the first used the limit up, the second refuses before sending', async () => {
    const server = await limitedSimulator();
    const store = { budgets: createMemoryBudgetStore({ clock: createManualClock(start) }) };
    const first = operationsOn(server, store, { pacing: { maxWaitMs: 0 } });
    const second = operationsOn(server, store, { pacing: { maxWaitMs: 0 } });
    for (let call = 0; call < 3; call += 1) expect((await first.chat.create(hello)).isOk()).toBe(true);
    // The second process never had a response: what it knows of the limit, it knows from the store.
    const refused = (await second.chat.create(hello))._unsafeUnwrapErr();
    expect(refused).toMatchObject({ _tag: 'RateLimitError', origin: 'client' });
    expect(server.requests).toHaveLength(3);
  });

  it('without a shared store, the process that did not see the others sends and meets the server 429', async () => {
    const server = await limitedSimulator();
    const first = operationsOn(server, undefined, { pacing: { maxWaitMs: 0 } });
    const second = operationsOn(server, undefined, { pacing: { maxWaitMs: 0 } });
    for (let call = 0; call < 3; call += 1) expect((await first.chat.create(hello)).isOk()).toBe(true);
    const refused = (await second.chat.create(hello))._unsafeUnwrapErr();
    expect(refused).toMatchObject({ _tag: 'RateLimitError', origin: 'server', status: 429 });
    expect(server.requests).toHaveLength(4);
  });

  it('shares a circuit cooldown: a model one process found down fails fast in the other, without a request', async () => {
    simulator = await createOpenAISimulator({ seed: 5 });
    const server = simulator;
    const store = { cooldowns: createMemoryCooldownStore({ clock: createManualClock(start) }) };
    const breaker = { consecutiveFailures: 1, openDurationMs: 30_000 };
    const first = operationsOn(server, store, { breaker });
    const second = operationsOn(server, store, { breaker });
    server.enqueue('chat.completions', { type: 'status', status: 503 });
    expect((await first.chat.create(hello))._unsafeUnwrapErr()._tag).toBe('ServiceUnavailableError');
    const refused = (await second.chat.create(hello))._unsafeUnwrapErr();
    expect(refused).toMatchObject({ _tag: 'CircuitOpenError' });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a store beside a transport built by the caller, and budgets with pacing off, naming the fix', () => {
    const env = { OPENAI_API_KEY: testApiKey, OPENAI_LOG: 'off' };
    const budgets = createMemoryBudgetStore();
    const built = createOperations({
      load: { env, envFile: false },
      transport: createTransport(),
      store: { budgets },
    })._unsafeUnwrapErr();
    expect(built).toMatchObject({ _tag: 'ConfigError', variable: 'store' });
    expect(built.message).toMatch(/createTransport\(\{ pacing: \{ store: store\.budgets \}/);
    const unpaced = createOperations({
      load: { env, envFile: false },
      transport: { pacing: false },
      store: { budgets },
    })._unsafeUnwrapErr();
    expect(unpaced).toMatchObject({ _tag: 'ConfigError', variable: 'store' });
    expect(unpaced.message).toMatch(/transport\.pacing is false/);
    // Cooldowns alone are fine with pacing off.
    expect(
      createOperations({
        load: { env, envFile: false },
        transport: { pacing: false },
        store: { cooldowns: createMemoryCooldownStore() },
      }).isOk(),
    ).toBe(true);
  });
});
