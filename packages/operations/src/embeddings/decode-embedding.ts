import { createError, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';

const malformed = (detail: string): ErrorOf<'MalformedResponseError'> =>
  createError('MalformedResponseError', {
    message: `an embedding in the response is malformed: ${detail}`,
    requestId: null,
    status: null,
  });

/**
 * Decodes one embedding as the API sends it: a list of numbers (`encoding_format:
 * float`), or base64 of little-endian float32 values (`base64`, the smaller one on the
 * wire). Returns plain numbers either way.
 *
 * Fails with: `MalformedResponseError` (not numbers, not base64, or a byte length that
 * is not a multiple of 4).
 *
 * @example
 * decodeEmbedding('AACAPwAAAMA='); // ok([1, -2])
 */
export function decodeEmbedding(value: unknown): Result<number[], ErrorOf<'MalformedResponseError'>> {
  if (Array.isArray(value)) {
    return value.every((entry) => typeof entry === 'number' && Number.isFinite(entry))
      ? ok(value as number[])
      : err(malformed('a list with values that are not numbers'));
  }
  if (typeof value !== 'string') return err(malformed('neither a list of numbers nor base64 text'));
  let binary: string;
  try {
    binary = atob(value);
  } catch {
    return err(malformed('the text is not base64'));
  }
  if (binary.length % 4 !== 0) return err(malformed(`${binary.length} bytes is not a whole number of float32 values`));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  const view = new DataView(bytes.buffer);
  const vector = new Array<number>(bytes.length / 4);
  for (let index = 0; index < vector.length; index++) vector[index] = view.getFloat32(index * 4, true);
  return ok(vector);
}
