import { invalidRequest, type ApiFailure } from '../http/api-failure.ts';

/** A cursor-paginated list, as OpenAI returns it. */
export interface CursorPage<T> {
  readonly object: 'list';
  readonly data: readonly T[];
  readonly first_id: string | null;
  readonly last_id: string | null;
  readonly has_more: boolean;
}

/** Defaults of one list endpoint. */
export interface PageDefaults {
  readonly limit: number;
  readonly maxLimit: number;
  readonly order: 'asc' | 'desc';
}

/**
 * Pages a list the way OpenAI's cursor lists do: `order` (asc|desc), `limit`, and
 * `after` = the id of the last item of the previous page. `items` come oldest
 * first. Empty pages have `first_id` and `last_id` null, as the live API sends
 * (the spec declares strings).
 */
export function cursorPage<T extends { readonly id: string }>(
  items: readonly T[],
  query: URLSearchParams,
  defaults: PageDefaults,
): CursorPage<T> | ApiFailure {
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? defaults.limit : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > defaults.maxLimit) {
    return invalidRequest(
      'limit',
      `Invalid 'limit': expected an integer between 1 and ${defaults.maxLimit}, but got '${rawLimit ?? ''}' instead.`,
      'invalid_value',
    );
  }
  const order = query.get('order') ?? defaults.order;
  if (order !== 'asc' && order !== 'desc') {
    return invalidRequest(
      'order',
      `Invalid value: '${order}'. Supported values are: 'asc' and 'desc'.`,
      'invalid_value',
    );
  }
  const ordered = order === 'asc' ? items : [...items].reverse();
  const after = query.get('after');
  let start = 0;
  if (after !== null && after !== '') {
    const index = ordered.findIndex((item) => item.id === after);
    if (index === -1)
      return invalidRequest('after', `Invalid 'after': no object with id '${after}' in this list.`, 'invalid_value');
    start = index + 1;
  }
  const data = ordered.slice(start, start + limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < ordered.length,
  };
}
