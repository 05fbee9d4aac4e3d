import { createError, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';

const idPattern = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Checks that an id is a plain OpenAI object id (letters, digits, `_`, `-`), so that
 * it cannot change the request path. Returns it, or a `ValidationError` naming the
 * argument with an example.
 *
 * Fails with: `ValidationError`.
 */
export function checkId(name: string, value: string, example: string): Result<string, ErrorOf<'ValidationError'>> {
  if (typeof value === 'string' && idPattern.test(value)) return ok(value);
  const message = `must be an id such as ${example}`;
  return err(
    createError('ValidationError', {
      message: `invalid argument ${name}: ${message}`,
      issues: [{ path: name, message, code: 'invalid_string' }],
    }),
  );
}
