import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { openAIErrorBodySchema } from './openai-error-body.ts';
import { parseInput } from './parse-input.ts';

describe('openAIErrorBodySchema', () => {
  it('accepts the OpenAI error body', () => {
    const body = {
      error: {
        message: 'Web search options not supported with this model.',
        type: 'invalid_request_error',
        param: 'web_search_options',
        code: null,
      },
    };
    expect(parseInput(openAIErrorBodySchema, body)).toEqual(ok(body));
  });

  it('accepts bodies from compatible servers that omit param and code', () => {
    expect(parseInput(openAIErrorBodySchema, { error: { message: 'x', type: 'server_error' } }).isOk()).toBe(true);
    expect(parseInput(openAIErrorBodySchema, { error: { message: 'x', code: 500 } }).isOk()).toBe(true);
  });

  it('rejects a body without an error object', () => {
    expect(parseInput(openAIErrorBodySchema, { error: 'boom' })._unsafeUnwrapErr().issues[0]).toMatchObject({
      path: 'error',
      message: 'expected object, received string',
    });
    expect(parseInput(openAIErrorBodySchema, { error: {} })._unsafeUnwrapErr().issues[0]).toMatchObject({
      path: 'error.message',
      message: 'is required',
    });
  });
});
