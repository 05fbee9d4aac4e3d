import { createError, defaultRetryable, type ErrorTag, type IntegrationError } from '@openai-integration/core';
import { describe, expect, it } from 'vitest';
import { toolErrorMetaKey, toToolError } from './to-tool-error.ts';

const api = { code: null, type: null, param: null, requestId: 'req_1', retryAfterMs: null, rateLimit: null };
const partial = {
  text: 'The answer so far',
  toolCalls: [],
  eventsReceived: 4,
  responseId: 'chatcmpl-1',
  lastSequenceNumber: null,
};

/** One error of every tag, with the sentence its tool error must start with. */
const samples: Record<ErrorTag, readonly [IntegrationError, RegExp]> = {
  BadRequestError: [
    createError('BadRequestError', {
      ...api,
      status: 400,
      param: 'temperature',
      message: 'HTTP 400: temperature is too high',
    }),
    /^invalid argument temperature \(HTTP 400\): HTTP 400: temperature is too high; change temperature and call again$/,
  ],
  AuthenticationError: [
    createError('AuthenticationError', { ...api, status: 401, message: 'HTTP 401: bad key' }),
    /^authentication failed \(HTTP 401\).*do not retry/,
  ],
  PermissionDeniedError: [
    createError('PermissionDeniedError', { ...api, status: 403, message: 'HTTP 403: region' }),
    /^permission denied \(HTTP 403\): HTTP 403: region; do not retry/,
  ],
  NotFoundError: [
    createError('NotFoundError', { ...api, status: 404, message: 'HTTP 404: no such model' }),
    /^not found \(HTTP 404\)/,
  ],
  ConflictError: [
    createError('ConflictError', { ...api, status: 409, message: 'HTTP 409: busy', retryAfterMs: 2_000 }),
    /^conflict \(HTTP 409\): HTTP 409: busy; retry after 2 s$/,
  ],
  UnprocessableEntityError: [
    createError('UnprocessableEntityError', { ...api, status: 422, message: 'HTTP 422: no' }),
    /^the API could not process the request \(HTTP 422\)/,
  ],
  RateLimitError: [
    createError('RateLimitError', {
      ...api,
      status: 429,
      origin: 'server',
      retryAfterMs: 12_000,
      message: 'HTTP 429',
      attempts: 1,
    }),
    /^rate limited: retry after 12 s$/,
  ],
  ContentFilterError: [
    createError('ContentFilterError', {
      ...api,
      status: 400,
      message: 'HTTP 400: filtered',
      source: 'prompt',
      verdicts: [
        { category: 'hate', filtered: true, severity: 'high' },
        { category: 'violence', filtered: false, severity: 'safe' },
      ],
    }),
    /^refused by the provider's content filter \(HTTP 400: hate\): do not retry it unchanged/,
  ],
  QuotaExceededError: [
    createError('QuotaExceededError', { ...api, status: 429, message: 'HTTP 429: quota' }),
    /^quota exhausted \(HTTP 429 insufficient_quota\): do not retry/,
  ],
  InternalServerError: [
    createError('InternalServerError', { ...api, status: 500, message: 'HTTP 500: oops', attempts: 3 }),
    /^OpenAI server error \(HTTP 500\) after 3 attempts: HTTP 500: oops; retry in a minute$/,
  ],
  BadGatewayError: [
    createError('BadGatewayError', { ...api, status: 502, message: 'HTTP 502' }),
    /^OpenAI server error \(HTTP 502\)/,
  ],
  ServiceUnavailableError: [
    createError('ServiceUnavailableError', { ...api, status: 503, message: 'HTTP 503', retryAfterMs: 250 }),
    /retry after 250 ms$/,
  ],
  GatewayTimeoutError: [
    createError('GatewayTimeoutError', { ...api, status: 504, message: 'HTTP 504', retryAfterMs: 180_000 }),
    /retry after 3 min$/,
  ],
  UnexpectedStatusError: [
    createError('UnexpectedStatusError', { ...api, status: 418, message: 'HTTP 418' }),
    /^unexpected HTTP 418 from the endpoint: HTTP 418; do not retry, the operator should check OPENAI_BASE_URL$/,
  ],
  RequestTooLargeError: [
    createError('RequestTooLargeError', {
      ...api,
      status: 431,
      part: 'headers',
      message: 'HTTP 431: the request headers are too large',
    }),
    /^the request was too large for the API \(HTTP 431, headers\): HTTP 431: the request headers are too large; do not retry it unchanged, send less$/,
  ],
  ConnectionError: [
    createError('ConnectionError', { code: 'ECONNREFUSED', message: 'refused' }),
    /^could not reach the OpenAI endpoint \(ECONNREFUSED\): retry in a minute$/,
  ],
  TimeoutError: [
    createError('TimeoutError', { kind: 'deadline', timeoutMs: 30_000, message: 'deadline' }),
    /^timed out \(deadline limit of 30 s\): retry, or ask for less/,
  ],
  AbortedError: [createError('AbortedError', { reason: null, message: 'aborted' }), /^cancelled: /],
  StreamInterruptedError: [
    createError('StreamInterruptedError', {
      reason: 'idle-timeout',
      partial,
      requestId: null,
      code: null,
      message: 'cut',
    }),
    /^stream interrupted \(idle-timeout\): retry for the whole answer; partial answer attached: The answer so far$/,
  ],
  MalformedResponseError: [
    createError('MalformedResponseError', { requestId: null, status: 200, message: 'bad json' }),
    /^the endpoint sent a response that could not be read: retry/,
  ],
  ValidationError: [
    createError('ValidationError', {
      message: 'invalid argument temperature: must be at most 2',
      issues: [{ path: 'temperature', message: 'must be at most 2', code: 'too_big' }],
    }),
    /^invalid argument temperature: must be at most 2; fix the arguments and call again$/,
  ],
  ConfigError: [
    createError('ConfigError', {
      message: 'OPENAI_API_KEY is not set',
      variable: 'OPENAI_API_KEY',
      fix: 'set it',
      problems: [],
    }),
    /^the server is misconfigured: OPENAI_API_KEY is not set; do not retry/,
  ],
  CircuitOpenError: [
    createError('CircuitOpenError', { key: 'chat:gpt-4o', retryAfterMs: 9_500, message: 'open' }),
    /^the API failed repeatedly, so calls to chat:gpt-4o are paused \(circuit open\): retry after 10 s$/,
  ],
  BudgetExceededError: [
    createError('BudgetExceededError', {
      unit: 'tokens',
      scope: 'session',
      limit: 1_000,
      used: 990,
      requested: 50,
      message: 'over',
    }),
    /^session budget exceeded \(990 tokens used of 1000 tokens, this call needs about 50 tokens\): do not retry in this session$/,
  ],
};

describe('toToolError', () => {
  it.each(Object.keys(defaultRetryable) as ErrorTag[])('gives %s its own sentence saying what to do next', (tag) => {
    const [error, sentence] = samples[tag];
    const result = toToolError(error);
    expect(result.isError).toBe(true);
    expect(result.content).toHaveLength(1);
    expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(sentence) as unknown });
    expect(result._meta?.[toolErrorMetaKey]).toMatchObject({ tag, retryable: error.retryable });
  });

  it('carries the fields an agent may act on, without the message', () => {
    const [rateLimit] = samples.RateLimitError;
    expect(toToolError(rateLimit)._meta?.[toolErrorMetaKey]).toEqual({
      tag: 'RateLimitError',
      retryable: true,
      retryAfterMs: 12_000,
      status: 429,
      requestId: 'req_1',
      param: null,
      attempts: 1,
    });
    const [budget] = samples.BudgetExceededError;
    expect(toToolError(budget)._meta?.[toolErrorMetaKey]).toMatchObject({
      scope: 'session',
      unit: 'tokens',
      limit: 1_000,
      used: 990,
      requested: 50,
    });
    const [tooLarge] = samples.RequestTooLargeError;
    expect(toToolError(tooLarge)._meta?.[toolErrorMetaKey]).toMatchObject({
      tag: 'RequestTooLargeError',
      status: 431,
      part: 'headers',
      retryable: false,
    });
  });

  it('never passes on anything that looks like a credential', () => {
    const error = createError('PermissionDeniedError', {
      ...api,
      status: 403,
      message: 'HTTP 403: key sk-proj-abcdefghijklmno is not allowed',
    });
    expect(JSON.stringify(toToolError(error))).not.toContain('sk-proj-abcdefghijklmno');
  });

  it('says which budget ran out and how to go on, for each scope and unit', () => {
    const budget = (scope: 'call' | 'tracker', unit: 'tokens' | 'usd') =>
      createError('BudgetExceededError', { unit, scope, limit: 0.5, used: 0.25, requested: 0.5, message: 'over' });
    expect(toToolError(budget('call', 'tokens')).content[0]).toMatchObject({
      text: expect.stringMatching(/^per-call budget exceeded .*: ask for less/) as unknown,
    });
    expect(toToolError(budget('tracker', 'usd')).content[0]).toMatchObject({
      text: expect.stringMatching(
        /^server budget exceeded \(\$0\.250000 used of \$0\.500000.*: do not retry until the operator raises the budget$/,
      ) as unknown,
    });
  });

  it('explains the other shapes of the same errors', () => {
    const text = (error: IntegrationError): string => (toToolError(error).content[0] as { text: string }).text;
    expect(text(createError('BadRequestError', { ...api, status: 400, message: 'HTTP 400: nope' }))).toMatch(
      /^the API rejected the request \(HTTP 400\): HTTP 400: nope; change the request/,
    );
    expect(text(createError('RateLimitError', { ...api, status: 429, origin: 'client', message: 'paced' }))).toMatch(
      /^rate limited by this server's pacing .*: retry in a minute$/,
    );
    expect(text(createError('ConflictError', { ...api, status: 409, message: 'HTTP 409' }))).toMatch(
      /retry after a few seconds$/,
    );
    expect(
      text(createError('UnexpectedStatusError', { ...api, status: 599, message: 'HTTP 599', retryable: true })),
    ).toMatch(/retry later$/);
    expect(text(createError('ConnectionError', { code: null, message: 'down', attempts: 2 }))).toBe(
      'could not reach the OpenAI endpoint after 2 attempts: retry in a minute',
    );
    expect(
      text(
        createError('StreamInterruptedError', {
          reason: 'malformed-event',
          partial: { ...partial, text: '' },
          requestId: null,
          code: null,
          message: 'cut',
          retryable: false,
        }),
      ),
    ).toBe('stream interrupted (malformed-event) before any text arrived: do not retry unchanged');
    const lastError = createError('ConnectionError', {
      code: 'ECONNREFUSED',
      message: `could not reach the API (ECONNREFUSED) ${'y'.repeat(1_000)}`,
    });
    const open = toToolError(
      createError('CircuitOpenError', { key: 'chat:gpt-4o', retryAfterMs: 2_000, message: 'open', cause: lastError }),
    );
    expect((open.content[0] as { text: string }).text).toMatch(
      /^the API failed repeatedly, so calls to chat:gpt-4o are paused \(circuit open\); last error: ConnectionError: could not reach the API \(ECONNREFUSED\) y+\.\.\.: retry after 2 s$/,
    );
    expect((open.content[0] as { text: string }).text.length).toBeLessThan(450);
    expect(open._meta?.[toolErrorMetaKey]).toMatchObject({ tag: 'CircuitOpenError', causeTag: 'ConnectionError' });
    expect(
      text(createError('CircuitOpenError', { key: 'k', retryAfterMs: 1, message: 'open', cause: 'not an error' })),
    ).toBe('the API failed repeatedly, so calls to k are paused (circuit open): retry after 1 ms');
    const long = 'x'.repeat(5_000);
    expect(
      text(
        createError('StreamInterruptedError', {
          reason: 'connection-lost',
          partial: { ...partial, text: long },
          requestId: null,
          code: null,
          message: 'cut',
        }),
      ),
    ).toMatch(/\[\.\.\. 1000 more characters\]$/);
  });
});
