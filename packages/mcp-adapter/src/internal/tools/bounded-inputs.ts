import { modelIdSchema } from '@openai-integration/operations';
import { z } from 'zod';

/**
 * The bounds of every string a tool takes from a client. Each fits what it carries, so
 * that no argument can become a multi-megabyte query string, log line or state key;
 * zod's messages say which bound was passed and never quote the value.
 */
export const bounds = {
  /** One message or one text to embed or moderate (the HTTP body limit bounds the whole call too). */
  textChars: 1_000_000,
  messages: 2_048,
  stopSequenceChars: 256,
  stopSequences: 4,
  inputs: 2_048,
  ids: 128,
  customIdChars: 512,
  metadataEntries: 16,
  metadataKeyChars: 64,
  metadataValueChars: 512,
  excludedModels: 256,
  shortText: 128,
} as const;

export { modelIdSchema };

/** An id the API issued (`file-abc123`, `batch_abc123`, a list cursor): letters, digits, `_` and `-`. */
export const apiIdSchema = (example: string) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(bounds.ids, `must be at most ${bounds.ids} characters`)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, `must be an id of letters, digits, _ . and - (e.g. ${example})`);

/** File purposes the Files API lists (its documented values). */
export const filePurposeSchema = z.enum([
  'assistants',
  'assistants_output',
  'batch',
  'batch_output',
  'fine-tune',
  'fine-tune-results',
  'vision',
  'user_data',
  'evals',
]);

/** A text of bounded length. */
export const boundedText = (max: number = bounds.textChars) => z.string().max(max, `must be at most ${max} characters`);
