import { z } from 'zod';

/**
 * Builds the schema of one page of a cursor-paginated list (files, batches, stored
 * chat completions, response input items) over the schema of its items:
 * `{ object: 'list', data, first_id, last_id, has_more }`. `first_id`/`last_id` may be
 * null or absent (an empty page, or `GET /models` which has no cursor). Unknown extra
 * fields are kept.
 *
 * @example
 * const page = parseInput(cursorPageSchema(modelInfoSchema), body);
 */
export function cursorPageSchema<Item extends z.ZodType>(itemSchema: Item) {
  return z.looseObject({
    object: z.literal('list'),
    data: z.array(itemSchema),
    first_id: z.string().nullish(),
    last_id: z.string().nullish(),
    has_more: z.boolean().optional(),
  });
}

/** One page of a cursor-paginated list. */
export type CursorPage<Item> = {
  readonly object: 'list';
  readonly data: readonly Item[];
  readonly first_id?: string | null | undefined;
  readonly last_id?: string | null | undefined;
  readonly has_more?: boolean | undefined;
} & Readonly<Record<string, unknown>>;

/**
 * The `after` cursor for the page that follows, or `null` when this is the last page.
 *
 * The list ends when `has_more` is not true or `data` is empty. The cursor is
 * `last_id`, or else the `id` of the last item.
 */
export function nextCursor(page: CursorPage<unknown>): string | null {
  if (page.has_more !== true || page.data.length === 0) return null;
  if (typeof page.last_id === 'string' && page.last_id !== '') return page.last_id;
  const last = page.data[page.data.length - 1];
  if (typeof last === 'object' && last !== null && 'id' in last && typeof last.id === 'string' && last.id !== '')
    return last.id;
  return null;
}
