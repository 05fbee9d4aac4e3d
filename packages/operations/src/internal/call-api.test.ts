import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { sdkRequestOptions, transportKey } from './call-api.ts';

const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', timeout: 600_000, maxRetries: 0 });
const signal = new AbortController().signal;

describe('sdkRequestOptions', () => {
  it('leaves the signal out when only the attempt timeout can abort it, and the timeout when it is the client one', () => {
    expect(sdkRequestOptions(client, signal, { timeoutMs: 600_000, cancellable: false })).toEqual({});
  });

  it('passes the signal when a caller signal or a deadline can abort the attempt early', () => {
    expect(sdkRequestOptions(client, signal, { timeoutMs: 600_000, cancellable: true })).toEqual({ signal });
    expect(sdkRequestOptions(client, signal, { timeoutMs: 20_000, cancellable: true })).toEqual({
      signal,
      timeout: 20_000,
    });
  });

  it('passes a timeout of its own, but never one a timer cannot hold', () => {
    expect(sdkRequestOptions(client, signal, { timeoutMs: 20_000, cancellable: false })).toEqual({ timeout: 20_000 });
    expect(sdkRequestOptions(client, signal, { timeoutMs: Number.POSITIVE_INFINITY, cancellable: false })).toEqual({});
    expect(sdkRequestOptions(client, signal, { timeoutMs: 2 ** 31, cancellable: false })).toEqual({});
  });
});

describe('transportKey', () => {
  it('names the endpoint and the model, the same string every time', () => {
    expect(transportKey('chat', 'gpt-4o')).toBe('chat:gpt-4o');
    expect(transportKey('chat', 'gpt-4o')).toBe(transportKey('chat', 'gpt-4o'));
    expect(transportKey('responses', 'gpt-4o')).toBe('responses:gpt-4o');
  });
});
