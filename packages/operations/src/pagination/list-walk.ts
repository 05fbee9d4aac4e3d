import { createError, nextCursor, type IntegrationError } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { CallMeta } from '../call/call-meta.ts';
import type { CallOptions } from '../call/call-options.ts';
import { runCall, type CallSpec } from '../call/run-call.ts';
import type { SdkRequest, SdkRequestOptions } from '../call/send-attempt.ts';
import type { OperationContext } from '../internal/operation-context.ts';

/**
 * An error that ended a list walk, with the cursor to resume from: pass
 * `resumeCursor` as `after` to a new walk with the same filters and it continues
 * right after the last item this walk delivered (no duplicates, no gaps). `null`
 * means "from the start". The error keeps its `_tag` and every field of its variant.
 */
export type ListError = IntegrationError & { readonly resumeCursor: string | null };

/** A {@link ListError} of `take` or `all`, which also carries the items collected before the failure. */
export type ListCollectError<T> = ListError & {
  /** The matching items read before the failure, in list order; `resumeCursor` continues after the last of them. */
  readonly received: readonly T[];
};

/** Per-walk settings besides the server's filters. */
export interface ListCallOptions extends CallOptions {
  /**
   * The most pages one walk reads (default 1000). A list that still says `has_more`
   * after that many pages ends the walk with a `MalformedResponseError` (not
   * retryable) whose `resumeCursor` continues where it stopped. `Infinity` turns the
   * cap off.
   */
  readonly maxPages?: number;
}

/** Paging fields every cursor list accepts. */
export interface PageQuery {
  /** Start after the item with this id (a `resumeCursor` or `nextCursor`). */
  readonly after?: string;
  /** Items per page, sent to the server (each endpoint has its own default and maximum). */
  readonly limit?: number;
}

/** One page of a walk. */
export interface ListPage<T> {
  /** The page's items that passed the client-side predicate, in list order. */
  readonly items: readonly T[];
  /** How many items the server sent (before the predicate). */
  readonly received: number;
  /** The `after` this page was requested with (`null` for the first page). */
  readonly cursor: string | null;
  /** The `after` of the next page, or `null` when this is the last one. */
  readonly nextCursor: string | null;
  /** The page request's {@link CallMeta}. */
  readonly meta: CallMeta;
}

/** What `take` and `all` collect. */
export interface ListSlice<T> {
  /** Matching items in list order. */
  readonly items: readonly T[];
  /** Pass as `after` to continue right after the last item returned; `null` when the list has nothing more. */
  readonly nextCursor: string | null;
  /** Pages requested. */
  readonly pages: number;
}

/**
 * A lazy walk over a cursor-paginated list. Iterating it yields one `Result` per
 * matching item; a failure that the transport could not retry away is the last
 * value, an `err` carrying `resumeCursor`. Every page is a separate request through
 * the transport (retry, breaker, pacing), so a failure retries that page only. Each
 * iteration starts again from the walk's `after`.
 *
 * @example
 * for await (const file of operations.files.list({ purpose: 'batch' })) {
 *   if (file.isErr()) { console.error(file.error._tag, 'resume after', file.error.resumeCursor); break; }
 *   console.log(file.value.filename);
 * }
 */
export interface ListWalk<T> extends AsyncIterable<Result<T, ListError>> {
  /** The same walk, a page at a time (each page's items already filtered). */
  pages(): AsyncIterable<Result<ListPage<T>, ListError>>;
  /**
   * Collects the first `count` matching items and the cursor that continues after
   * them. Asks the server for pages of `count` items (at most 100) unless `limit` or
   * a predicate is set.
   *
   * Fails with: `ValidationError` (count below 1), and any error of a page request,
   * as a {@link ListCollectError}.
   */
  take(count: number): ResultAsync<ListSlice<T>, ListCollectError<T>>;
  /**
   * Collects every matching item (bounded by `maxPages`).
   *
   * Fails with: any error of a page request, or the page cap, as a {@link ListCollectError}.
   */
  all(): ResultAsync<ListSlice<T>, ListCollectError<T>>;
}

/** How one list endpoint is read. */
export interface ListSpec<T, Query extends PageQuery> {
  /** e.g. `files.list`. */
  readonly operation: string;
  /** The transport key's endpoint part, e.g. `files`. */
  readonly endpoint: string;
  /** The server-side filters and paging, as given (validated by `check`). */
  readonly query: Query;
  /** A client-side predicate, applied after the server's filters. */
  readonly where?: ((item: T) => boolean) | undefined;
  readonly options: ListCallOptions;
  /** A problem with the query found before any request, if any. */
  readonly invalid?: IntegrationError | undefined;
  /** Sends the request of one page (an SDK list method). */
  readonly fetch: (
    query: Query,
    requestOptions: SdkRequestOptions,
  ) => SdkRequest<{ readonly data: readonly T[]; readonly has_more: boolean }>;
}

const defaultMaxPages = 1_000;

/** Adds the resume cursor to an error, keeping its hidden `cause`. */
function withCursor<Extra extends object>(
  error: IntegrationError,
  resumeCursor: string | null,
  extra: Extra,
): ListError & Extra {
  const copy = { ...error, resumeCursor, ...extra };
  if (error.cause !== undefined) Object.defineProperty(copy, 'cause', { value: error.cause, enumerable: false });
  return Object.freeze(copy) as unknown as ListError & Extra;
}

const idOf = (item: unknown): string | null => {
  if (typeof item !== 'object' || item === null) return null;
  const id = (item as { readonly id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id : null;
};

function checkPaging(query: PageQuery, options: ListCallOptions): IntegrationError | undefined {
  const problems: { path: string; message: string; code: string }[] = [];
  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1)) {
    problems.push({ path: 'limit', message: 'must be an integer of at least 1', code: 'too_small' });
  }
  if (query.after === '')
    problems.push({
      path: 'after',
      message: 'must be an item id, or left out to start at the beginning',
      code: 'too_small',
    });
  const maxPages = options.maxPages;
  if (
    maxPages !== undefined &&
    !(maxPages === Number.POSITIVE_INFINITY || (Number.isInteger(maxPages) && maxPages >= 1))
  ) {
    problems.push({ path: 'maxPages', message: 'must be an integer of at least 1, or Infinity', code: 'too_small' });
  }
  if (problems.length === 0) return undefined;
  return createError('ValidationError', {
    message: `invalid argument${problems.length > 1 ? 's' : ''} ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
    issues: problems,
  });
}

/**
 * Creates a lazy walk over one cursor list (see {@link ListWalk}). Nothing is sent
 * until it is iterated or collected.
 */
export function createListWalk<T, Query extends PageQuery>(
  context: OperationContext,
  spec: ListSpec<T, Query>,
): ListWalk<T> {
  const maxPages = spec.options.maxPages ?? defaultMaxPages;
  const start = spec.query.after === undefined || spec.query.after === '' ? null : spec.query.after;
  const invalid = spec.invalid ?? checkPaging(spec.query, spec.options);
  const matches = spec.where ?? ((): boolean => true);
  const pageCall: CallSpec<Query, { readonly data: readonly T[]; readonly has_more: boolean }> = {
    operation: spec.operation,
    endpoint: spec.endpoint,
    send: spec.fetch,
  };

  /** Raw pages (unfiltered items); ends after the last page, or with the first error as its last value. */
  async function* rawPages(
    limit: number | undefined,
  ): AsyncGenerator<Result<ListPage<T> & { readonly all: readonly T[] }, ListError>> {
    let failure = invalid === undefined ? undefined : withCursor(invalid, start, {});
    let cursor = start;
    const used = new Set<string>();
    for (let pages = 0; failure === undefined; pages++) {
      if (pages >= maxPages) {
        const capped = createError('MalformedResponseError', {
          message: `the list still had more items after ${maxPages} pages (maxPages); continue from resumeCursor or raise maxPages`,
          requestId: null,
          status: null,
          retryable: false,
        });
        failure = withCursor(capped, cursor, {});
        break;
      }
      const query = {
        ...spec.query,
        ...(cursor === null ? {} : { after: cursor }),
        ...(limit === undefined ? {} : { limit }),
      };
      const page = await runCall(context, pageCall, { body: query, options: spec.options });
      if (page.isErr()) {
        failure = withCursor(page.error, cursor, {});
        break;
      }
      const { value, meta } = page.value;
      const data = value.data;
      const next = nextCursor({ object: 'list', data, has_more: value.has_more });
      if (next !== null && (next === cursor || used.has(next))) {
        const looping = createError('MalformedResponseError', {
          message: `the server answered a page with a cursor it had already given (${next}); the list cannot go on`,
          requestId: meta.requestId,
          status: null,
          retryable: false,
        });
        failure = withCursor(looping, cursor, {});
        break;
      }
      if (cursor !== null) used.add(cursor);
      yield ok({
        items: data.filter((item) => matches(item)),
        all: data,
        received: data.length,
        cursor,
        nextCursor: next,
        meta,
      });
      if (next === null) return;
      cursor = next;
    }
    // Nothing runs after this: a consumer that stops at the error ends the walk cleanly.
    yield err(failure);
  }

  async function* items(): AsyncGenerator<Result<T, ListError>> {
    for await (const page of rawPages(spec.query.limit)) {
      if (page.isErr()) yield err(page.error);
      else for (const item of page.value.items) yield ok(item);
    }
  }

  async function* pages(): AsyncGenerator<Result<ListPage<T>, ListError>> {
    for await (const page of rawPages(spec.query.limit))
      yield page.map(({ all: _all, ...shown }): ListPage<T> => shown);
  }

  const collect = async (count: number): Promise<Result<ListSlice<T>, ListCollectError<T>>> => {
    const received: T[] = [];
    // The cursor after the last item examined (delivered or filtered out).
    let cursor = start;
    let pageCount = 0;
    const hint =
      spec.query.limit ?? (spec.where === undefined && Number.isFinite(count) ? Math.min(count, 100) : undefined);
    for await (const page of rawPages(hint)) {
      if (page.isErr()) return err(withCursor(page.error, page.error.resumeCursor, { received }));
      pageCount += 1;
      const all = page.value.all;
      for (const item of all) {
        if (received.length === count) {
          // Step over items that do not match, so that the cursor lands before the next match.
          if (matches(item)) return ok({ items: received, nextCursor: cursor, pages: pageCount });
          cursor = idOf(item) ?? cursor;
          continue;
        }
        if (matches(item)) received.push(item);
        cursor = idOf(item) ?? cursor;
      }
      if (received.length === count || page.value.nextCursor === null) {
        return ok({ items: received, nextCursor: page.value.nextCursor, pages: pageCount });
      }
      cursor = page.value.nextCursor;
    }
    /* c8 ignore next */
    return ok({ items: received, nextCursor: null, pages: pageCount });
  };

  return {
    [Symbol.asyncIterator]: () => items(),
    pages: () => pages(),
    take(count) {
      if (!Number.isInteger(count) || count < 1) {
        const error = createError('ValidationError', {
          message: 'invalid argument count: must be an integer of at least 1',
          issues: [{ path: 'count', message: 'must be an integer of at least 1', code: 'too_small' }],
        });
        return new ResultAsync(Promise.resolve(err(withCursor(error, start, { received: [] as readonly T[] }))));
      }
      return new ResultAsync(collect(count));
    },
    all: () => new ResultAsync(collect(Number.POSITIVE_INFINITY)),
  };
}
