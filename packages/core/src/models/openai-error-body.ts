import { z } from 'zod';

/**
 * The error body OpenAI sends with a failed response:
 * `{ error: { message, type, param, code } }`. `param` and `code` may be null or
 * absent (compatible servers omit them). Unknown extra fields are kept.
 */
export const openAIErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string(),
    type: z.string().nullish(),
    param: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
  }),
});

/** An OpenAI error response body. */
export type OpenAIErrorBody = z.infer<typeof openAIErrorBodySchema>;
