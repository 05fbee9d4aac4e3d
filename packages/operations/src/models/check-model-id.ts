import { createError, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';

/** The longest model id accepted (OpenAI's, fine-tunes and Azure deployment names are far shorter). */
export const maxModelIdLength = 256;

/** The characters model ids use: `gpt-4o-mini`, `ft:gpt-4o-mini:org:custom:id`, `meta-llama/Llama-3-8B`, `model@v2`. */
const modelIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/;
const quotedLength = 40;
const expected = `a model id of 1 to ${maxModelIdLength} letters, digits and . _ : / @ - (e.g. gpt-4o-mini)`;

/** A zod schema for a model id: bounded and of the characters model ids use; its messages never quote the value. */
export const modelIdSchema = z
  .string()
  .min(1, `must be ${expected}`)
  .max(maxModelIdLength, `must be ${expected}`)
  .regex(modelIdPattern, `must be ${expected}`);

/** At most a short prefix of what was refused, with its length: enough to recognise it, never the whole. */
export function quoteModelId(value: string): string {
  const shown = JSON.stringify(value.length > quotedLength ? value.slice(0, quotedLength) : value);
  return value.length > quotedLength ? `${shown}... (${value.length} characters)` : shown;
}

/**
 * Checks that a model id is one that could exist before it is sent or becomes the key of
 * any state (circuit breakers, pacing, usage): 1 to 256 characters of letters, digits and
 * `. _ : / @ -`, starting with a letter or digit. The error quotes at most the first 40
 * characters.
 *
 * Fails with: `ValidationError` (path `field`).
 */
export function checkModelId(model: unknown, field = 'model'): Result<string, ErrorOf<'ValidationError'>> {
  if (typeof model === 'string' && model.length <= maxModelIdLength && modelIdPattern.test(model)) return ok(model);
  const got = typeof model === 'string' ? (model === '' ? 'an empty text' : quoteModelId(model)) : typeof model;
  const message = `must be ${expected}, got ${got}`;
  return err(
    createError('ValidationError', {
      message: `invalid argument ${field}: ${message}`,
      issues: [{ path: field, message, code: 'invalid_format' }],
    }),
  );
}
