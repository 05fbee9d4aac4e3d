import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createOpenAISimulator, type OpenAISimulator } from '../../src/index.ts';

/** The official SDK pointed at a simulator, with its own retries off (one retry owner). */
export function sdkFor(
  baseURL: string,
  options: { readonly timeout?: number; readonly fetch?: typeof fetch } = {},
): OpenAI {
  return new OpenAI({
    apiKey: 'sk-test-key-123456',
    baseURL,
    maxRetries: 0,
    logLevel: 'off',
    timeout: options.timeout ?? 10_000,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

/** Runs a promise that must reject, and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Asymmetric matchers typed as `unknown`, so that they sit in object literals without an `any`. */
export const anyString: unknown = expect.any(String);
export const anyNumber: unknown = expect.any(Number);
export function containing(text: string): unknown {
  return expect.stringContaining(text);
}

/**
 * One simulator for a test file and the official SDK pointed at it: started before the
 * file's tests, reset before each test, closed after the last.
 */
export function useSdkSimulator(seed: number): { readonly simulator: OpenAISimulator; readonly client: OpenAI } {
  let simulator: OpenAISimulator | undefined;
  let client: OpenAI | undefined;
  beforeAll(async () => {
    simulator = await createOpenAISimulator({ seed });
    client = sdkFor(simulator.baseURL);
  });
  beforeEach(() => {
    simulator?.reset();
  });
  afterAll(async () => {
    await simulator?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the simulator starts in beforeAll; use it inside a test');
    return value;
  };
  return {
    get simulator() {
      return started(simulator);
    },
    get client() {
      return started(client);
    },
  };
}
