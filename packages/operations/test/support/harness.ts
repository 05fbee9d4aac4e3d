import { afterEach } from 'vitest';
import type { LogFields, Logger } from '@openai-integration/core';
import {
  createOpenAISimulator,
  createTestClock,
  type OpenAISimulator,
  type SimulatorOptions,
  type TestClock,
} from '@openai-integration/testkit';
import { createOperations, type Operations, type OperationsOptions } from '../../src/index.ts';

/** The API key the tests use; it must never appear in a log line or an error. */
export const testApiKey = 'sk-proj-harnessKEY01234';

/** One record a test logger captured. */
export interface LogRecord {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly fields: LogFields;
  readonly message: string;
}

/** A logger that keeps every record, for assertions. */
export function createCapturingLogger(records: LogRecord[], bindings: LogFields = {}): Logger {
  const at = (level: LogRecord['level']) => (fields: LogFields, message: string) => {
    records.push({ level, fields: { ...bindings, ...fields }, message });
  };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: (more) => createCapturingLogger(records, { ...bindings, ...more }),
  };
}

/** A simulator, operations pointed at it, and what they logged. */
export interface Harness {
  readonly simulator: OpenAISimulator;
  readonly operations: Operations;
  readonly records: LogRecord[];
  readonly clock: TestClock;
  close(): Promise<void>;
}

/**
 * Starts the testkit simulator on loopback and creates operations against it with the
 * real `openai` SDK, a capturing logger and a test clock (retry waits are instant).
 */
export async function createHarness(
  options: {
    readonly operations?: Partial<OperationsOptions>;
    readonly simulator?: SimulatorOptions;
    readonly clock?: TestClock;
  } = {},
): Promise<Harness> {
  const simulator = await createOpenAISimulator({ seed: 7, ...options.simulator });
  const records: LogRecord[] = [];
  const clock = options.clock ?? createTestClock();
  const created = createOperations({
    load: {
      apiKey: testApiKey,
      baseUrl: simulator.baseURL,
      envFile: false,
      env: {},
      model: 'gpt-4o-mini',
      maxRetries: 6,
      streamIdleTimeoutMs: 600_000,
    },
    logger: createCapturingLogger(records),
    clock,
    transport: { retry: { jitter: 'none', maxRetries: 6 }, attemptTimeoutMs: 600_000 },
    ...options.operations,
  });
  if (created.isErr()) throw new Error(created.error.message);
  return { simulator, operations: created.value, records, clock, close: () => simulator.close() };
}

/**
 * Registers an `afterEach` that closes the test's harness, and returns the function
 * that starts one (at most one per test).
 */
export function useHarness(): (options?: Parameters<typeof createHarness>[0]) => Promise<Harness> {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await createHarness(options);
    return current;
  };
}
