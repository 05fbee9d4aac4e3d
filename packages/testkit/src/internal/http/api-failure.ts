/** An error reply in OpenAI's shape, before it becomes an HTTP response. */
export interface ApiFailure {
  readonly kind: 'api-failure';
  readonly status: number;
  readonly message: string;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body to send instead of the profile's error shape (a provider's own error body). */
  readonly body?: unknown;
  /** A plain-text body to send instead of JSON (`text/plain`). */
  readonly text?: string;
}

/** A 400 `invalid_request_error` about one request field. */
export function invalidRequest(param: string | null, message: string, code: string | null = null): ApiFailure {
  return { kind: 'api-failure', status: 400, type: 'invalid_request_error', param, code, message };
}

/** A 404 for an object that does not exist (or no longer does). */
export function notFound(message: string, param: string | null = null, code: string | null = null): ApiFailure {
  return { kind: 'api-failure', status: 404, type: 'invalid_request_error', param, code, message };
}

/** The body OpenAI sends with an error status: `{error: {message, type, param, code}}`. */
export function toErrorBody(failure: ApiFailure): { readonly error: Omit<ApiFailure, 'kind' | 'status' | 'headers'> } {
  return { error: { message: failure.message, type: failure.type, param: failure.param, code: failure.code } };
}

/** Creates a failure with any status. */
export function apiFailure(fields: Omit<ApiFailure, 'kind'>): ApiFailure {
  return { kind: 'api-failure', ...fields };
}

/** Whether a value is a failure rather than the value a parser was after. */
export function isApiFailure(value: unknown): value is ApiFailure {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'api-failure';
}
