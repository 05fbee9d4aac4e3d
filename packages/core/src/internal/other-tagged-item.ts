import { z } from 'zod';

/**
 * A loose object whose `type` is a string other than the known ones: how schemas keep
 * item and tool kinds that the API adds later instead of rejecting them.
 */
export function otherTaggedItem(knownTypes: readonly string[]) {
  const known = new Set(knownTypes);
  // `abort` makes the refusal final, so a union reports the known branch's problems instead.
  return z.looseObject({ type: z.string().min(1) }).refine((value) => !known.has(value.type), {
    message: 'is a known type with invalid fields',
    path: ['type'],
    abort: true,
  });
}

/** The metadata map of OpenAI objects: up to 16 pairs, keys up to 64 and values up to 512 characters. */
export const metadataSchema = z
  .record(z.string().max(64), z.string().max(512))
  .refine((value) => Object.keys(value).length <= 16, { message: 'must have at most 16 entries' })
  .nullish();
