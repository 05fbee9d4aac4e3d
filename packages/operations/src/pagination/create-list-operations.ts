import { createError, type IntegrationError } from '@openai-integration/core';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { ResponseIncludable, ResponseItem } from 'openai/resources/responses/responses';
import type { OperationContext } from '../internal/operation-context.ts';
import { createListWalk, type ListCallOptions, type ListWalk, type PageQuery } from './list-walk.ts';

/** Filters of the stored chat completions list (`store: true` completions). */
export interface StoredCompletionsQuery extends PageQuery {
  /** Server-side: only completions of this model. */
  readonly model?: string;
  /** Server-side: only completions whose metadata has all these key/value pairs. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Server-side: by creation time; the server's default is `asc`. */
  readonly order?: 'asc' | 'desc';
  /** Client-side: keeps only the completions for which it returns true. */
  readonly where?: (completion: ChatCompletion) => boolean;
}

/** Filters of a stored response's input items. */
export interface InputItemsQuery extends PageQuery {
  /** Server-side: the server's default is `desc`. */
  readonly order?: 'asc' | 'desc';
  /** Server-side: extra fields to include (as in response creation). */
  readonly include?: readonly ResponseIncludable[];
  /** Client-side: keeps only the items for which it returns true. */
  readonly where?: (item: ResponseItem) => boolean;
}

/** Walks over lists that belong to the chat and responses APIs. */
export interface ListOperations {
  /**
   * Walks the stored chat completions (those created with `store: true`), a page per
   * request through the transport (see {@link ListWalk}).
   *
   * Fails with (as the walk's last value): any HTTP variant, `ConnectionError`,
   * `TimeoutError`, `AbortedError`, `CircuitOpenError`, `ValidationError` (bad
   * paging), `MalformedResponseError` (page cap reached, or a cursor that repeats).
   */
  chatCompletions(query?: StoredCompletionsQuery, options?: ListCallOptions): ListWalk<ChatCompletion>;
  /**
   * Walks the input items of a stored response.
   *
   * Fails with: as `chatCompletions`; `ValidationError` for a malformed response id,
   * `NotFoundError` for an unknown one.
   */
  responseInputItems(responseId: string, query?: InputItemsQuery, options?: ListCallOptions): ListWalk<ResponseItem>;
}

const responseIdPattern = /^[A-Za-z0-9_-]{1,256}$/;

function invalidResponseId(responseId: string): IntegrationError | undefined {
  return responseIdPattern.test(responseId)
    ? undefined
    : createError('ValidationError', {
        message: 'invalid argument responseId: must be a response id such as resp_abc123',
        issues: [{ path: 'responseId', message: 'must be a response id such as resp_abc123', code: 'invalid_string' }],
      });
}

/** Builds the list walks of stored chat completions and response input items. */
export function createListOperations(context: OperationContext): ListOperations {
  return {
    chatCompletions(query = {}, options = {}) {
      const { where, ...server } = query;
      return createListWalk(context, {
        operation: 'chat.list',
        endpoint: 'chat',
        query: server,
        where,
        options,
        fetch: ({ metadata, ...page }, requestOptions) =>
          context.client.chat.completions.list(
            { ...page, ...(metadata === undefined ? {} : { metadata: { ...metadata } }) },
            requestOptions,
          ),
      });
    },
    responseInputItems(responseId, query = {}, options = {}) {
      const { where, ...server } = query;
      return createListWalk(context, {
        operation: 'responses.inputItems',
        endpoint: 'responses',
        query: server,
        where,
        options,
        invalid: invalidResponseId(responseId),
        fetch: ({ include, ...page }, requestOptions) =>
          context.client.responses.inputItems.list(
            responseId,
            { ...page, ...(include === undefined ? {} : { include: [...include] }) },
            requestOptions,
          ),
      });
    },
  };
}
