import { describe, expect, it } from 'vitest';
import { createSecret } from '../config/secret.ts';
import { createError } from '../errors/integration-error.ts';
import { CIRCULAR, OMITTED, redact } from './redact.ts';
import { REDACTED } from './redact-text.ts';

const key = 'sk-proj-AbCdEfGhIjKlMnO';

describe('redact', () => {
  it('replaces secret-named fields at any depth, whatever their case and separators', () => {
    const record = {
      apiKey: 'x',
      nested: {
        deeper: {
          API_KEY: 'x',
          'X-Api-Key': 'x',
          Authorization: 'x',
          password: 'x',
          client_secret: 'x',
          githubToken: 'x',
        },
      },
      list: [{ access_token: 'x', refresh_token: 'x', private_key: 'x', credentials: { user: 'a' } }],
      headers: { cookie: 'a=b', 'set-cookie': ['c=d'], 'content-type': 'application/json' },
    };
    expect(redact(record)).toEqual({
      apiKey: REDACTED,
      nested: {
        deeper: {
          API_KEY: REDACTED,
          'X-Api-Key': REDACTED,
          Authorization: REDACTED,
          password: REDACTED,
          client_secret: REDACTED,
          githubToken: REDACTED,
        },
      },
      list: [{ access_token: REDACTED, refresh_token: REDACTED, private_key: REDACTED, credentials: REDACTED }],
      headers: { cookie: REDACTED, 'set-cookie': REDACTED, 'content-type': 'application/json' },
    });
  });

  it('leaves token counts alone', () => {
    expect(redact({ max_tokens: 5, usage: { total_tokens: 9 }, tokens: { remaining: 3 } })).toEqual({
      max_tokens: 5,
      usage: { total_tokens: 9 },
      tokens: { remaining: 3 },
    });
  });

  it('keeps null and undefined secret fields as they are', () => {
    expect(redact({ apiKey: null, token: undefined })).toEqual({ apiKey: null, token: undefined });
  });

  it('scrubs keys from every string, object keys included', () => {
    expect(redact({ note: `key ${key}`, list: [key], [key]: 1 })).toEqual({
      note: `key ${REDACTED}`,
      list: [REDACTED],
      [REDACTED]: 1,
    });
  });

  it('scrubs registered exact secrets, from a list or a function', () => {
    expect(redact({ a: 'the pin is 987654' }, { knownSecrets: ['987654'] })).toEqual({ a: `the pin is ${REDACTED}` });
    const registry: string[] = [];
    const options = { knownSecrets: () => registry };
    expect(redact('rotated-value-1', options)).toBe('rotated-value-1');
    registry.push('rotated-value-1');
    expect(redact('rotated-value-1', options)).toBe(REDACTED);
  });

  it('omits bodies unless includeBodies is set, and still redacts kept bodies', () => {
    const record = {
      requestBody: { model: 'm', messages: [{ role: 'user', content: `hi ${key}` }] },
      prompt: 'p',
      output: ['o'],
      status: 200,
    };
    expect(redact(record)).toEqual({ requestBody: OMITTED, prompt: OMITTED, output: OMITTED, status: 200 });
    expect(redact(record, { includeBodies: true })).toEqual({
      requestBody: { model: 'm', messages: [{ role: 'user', content: `hi ${REDACTED}` }] },
      prompt: 'p',
      output: ['o'],
      status: 200,
    });
  });

  it('accepts extra secret and body field names', () => {
    expect(
      redact({ pin: '1', transcript: 't', other: 'x' }, { secretFields: ['PIN'], bodyFields: ['transcript'] }),
    ).toEqual({ pin: REDACTED, transcript: OMITTED, other: 'x' });
  });

  it('turns Secret values into [redacted]', () => {
    expect(redact({ value: createSecret(key), list: [createSecret('abc')] })).toEqual({
      value: REDACTED,
      list: [REDACTED],
    });
  });

  it('marks cycles without crashing and keeps shared references', () => {
    const shared = { id: 1 };
    const record: Record<string, unknown> = { a: shared, b: shared, list: [] as unknown[] };
    record['self'] = record;
    (record['list'] as unknown[]).push(record);
    expect(redact(record)).toEqual({ a: { id: 1 }, b: { id: 1 }, list: [CIRCULAR], self: CIRCULAR });
  });

  it('renders errors with a redacted message and only the cause name and message', () => {
    const cause = Object.assign(new Error(`body was {"key":"${key}"}`), { body: 'the whole response' });
    const error = Object.assign(new Error(`failed with ${key}`, { cause }), {
      code: 'E_FAIL',
      status: 500,
      body: 'response body',
      headers: { authorization: 'x' },
    });
    const rendered = redact({ error }) as { error: Record<string, unknown> };
    expect(rendered.error).toMatchObject({
      name: 'Error',
      message: `failed with ${REDACTED}`,
      code: 'E_FAIL',
      status: 500,
      cause: { name: 'Error', message: `body was {"key":"${REDACTED}"}` },
    });
    expect(rendered.error).not.toHaveProperty('body');
    expect(rendered.error).not.toHaveProperty('headers');
    expect(JSON.stringify(rendered)).not.toContain('sk-proj');
    expect(rendered.error['stack']).toEqual(expect.stringContaining('failed with [redacted]'));
  });

  it('renders string causes and core-error causes', () => {
    const core = createError('TimeoutError', { message: 'timed out', kind: 'idle', timeoutMs: 5 });
    expect(redact(new Error('a', { cause: core }))).toMatchObject({
      cause: { _tag: 'TimeoutError', message: 'timed out' },
    });
    expect(redact(new Error('a', { cause: `raw ${key}` }))).toMatchObject({ cause: `raw ${REDACTED}` });
    expect(redact(new Error('a', { cause: 42 }))).not.toHaveProperty('cause');
  });

  it('renders core errors with their fields, a redacted message, no cause and a summarised partial output', () => {
    const error = createError('StreamInterruptedError', {
      message: `stream cut ${key}`,
      reason: 'idle-timeout',
      requestId: 'req_1',
      code: null,
      partial: {
        text: 'private model output',
        toolCalls: [{ index: 0, id: 'c', name: 'f', arguments: '{' }],
        eventsReceived: 7,
        responseId: 'resp_1',
        lastSequenceNumber: 6,
      },
      cause: new Error('socket with body'),
    });
    expect(redact(error)).toEqual({
      _tag: 'StreamInterruptedError',
      message: `stream cut ${REDACTED}`,
      reason: 'idle-timeout',
      requestId: 'req_1',
      code: null,
      retryable: true,
      partial: { textLength: 20, toolCalls: 1, eventsReceived: 7, responseId: 'resp_1', lastSequenceNumber: 6 },
    });
    expect(redact(error, { includeBodies: true })).toMatchObject({ partial: { text: 'private model output' } });
  });

  it('renders other built-in objects safely', () => {
    const rendered = redact({
      date: new Date(0),
      bad: new Date(Number.NaN),
      url: new URL(`https://example.com/?api_key=${key}`),
      pattern: /abc/g,
      bytes: new Uint8Array(4),
      buffer: new ArrayBuffer(2),
      map: new Map<unknown, unknown>([
        ['authorization', 'x'],
        [1, 'y'],
      ]),
      set: new Set(['a', key]),
      headers: new Headers({ Authorization: 'Bearer x', Accept: 'json' }),
      promise: Promise.resolve(1),
      fn: function named() {
        return 1;
      },
      arrow: (
        () => () =>
          1
      )(),
      symbol: Symbol('s'),
      big: 10n,
      sparse: [1, undefined],
      custom: { toJSON: () => 'ignored', a: 1 },
      decimal: new (class Decimal {
        toJSON() {
          return `1.5 ${key}`;
        }
      })(),
    });
    expect(rendered).toEqual({
      date: '1970-01-01T00:00:00.000Z',
      bad: 'Invalid Date',
      url: `https://example.com/?api_key=${REDACTED}`,
      pattern: '/abc/g',
      bytes: '[binary 4 bytes]',
      buffer: '[binary 2 bytes]',
      map: { authorization: REDACTED, '1': 'y' },
      set: ['a', REDACTED],
      headers: { authorization: REDACTED, accept: 'json' },
      promise: '[Promise]',
      fn: '[Function named]',
      arrow: '[Function anonymous]',
      symbol: 'Symbol(s)',
      big: 10n,
      sparse: [1, null],
      custom: { toJSON: '[Function toJSON]', a: 1 },
      decimal: `1.5 ${REDACTED}`,
    });
  });

  it('survives getters and proxies that throw', () => {
    const record = {
      get broken(): string {
        throw new Error('no');
      },
      fine: 1,
    };
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no keys');
        },
      },
    );
    expect(redact({ record, hostile })).toEqual({
      record: { broken: '[Unreadable]', fine: 1 },
      hostile: '[Unreadable]',
    });
  });

  it('truncates very deep values', () => {
    let deep: Record<string, unknown> = { end: true };
    for (let level = 0; level < 30; level += 1) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).toContain('[Truncated]');
    expect(JSON.stringify(redact({ a: { b: { c: 1 } } }, { maxDepth: 1 }))).toBe('{"a":{"b":"[Truncated]"}}');
  });

  it('passes primitives through', () => {
    expect(redact(1)).toBe(1);
    expect(redact(true)).toBe(true);
    expect(redact(null)).toBeNull();
    expect(redact(undefined)).toBeUndefined();
  });
});
