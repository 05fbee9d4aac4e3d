import { createError, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';

/**
 * JavaScript callers can pass anything where a request object belongs: `null`,
 * `undefined`, a string. That is a `ValidationError` saying what was expected, never a
 * TypeError from reading a field of it.
 */
export function checkRequestObject<T>(request: T, expected: string): Result<T, ErrorOf<'ValidationError'>> {
  if (typeof request === 'object' && request !== null && !Array.isArray(request)) return ok(request);
  return err(
    createError('ValidationError', {
      message: `invalid argument request: must be an object with ${expected}`,
      issues: [{ path: '', message: `must be an object with ${expected}`, code: 'invalid_type' }],
    }),
  );
}
