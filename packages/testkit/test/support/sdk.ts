import OpenAI from 'openai';
import { expect } from 'vitest';

/** The official SDK pointed at a simulator, with its own retries off (one retry owner). */
export function sdkFor(baseURL: string, options: { readonly timeout?: number; readonly fetch?: typeof fetch } = {}): OpenAI {
  return new OpenAI({ apiKey: 'sk-test-key-123456', baseURL, maxRetries: 0, logLevel: 'off', timeout: options.timeout ?? 10_000, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) });
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
