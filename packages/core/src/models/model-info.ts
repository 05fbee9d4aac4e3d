import { z } from 'zod';

/**
 * One item of `GET /models`: `id`, `object: 'model'`, `created` (epoch seconds) and
 * `owned_by`. Unknown extra fields (such as `shutdown_date`) are kept.
 */
export const modelInfoSchema = z.looseObject({
  id: z.string().min(1),
  object: z.literal('model'),
  created: z.number().int().nonnegative(),
  owned_by: z.string(),
});

/** A model as `GET /models` describes it. */
export type ModelInfo = z.infer<typeof modelInfoSchema>;
