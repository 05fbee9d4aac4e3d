import { redactText, type IntegrationError } from '@openai-integration/core';
import type { CallToolResult } from '@modelcontextprotocol/server';

/** The `_meta` key under which a tool error carries its machine-readable fields. */
export const toolErrorMetaKey = 'openai-integration/error';

const partialShown = 4_000;

/** `12 s`, `250 ms`, `2 min`: a wait the way an agent reads it. */
function formatWait(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.ceil(ms))} ms`;
  const seconds = Math.ceil(ms / 1_000);
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

const after = (attempts: number | undefined): string =>
  attempts !== undefined && attempts > 1 ? ` after ${attempts} attempts` : '';

const retryHint = (retryAfterMs: number | null, fallback: string): string =>
  retryAfterMs === null ? fallback : `retry after ${formatWait(retryAfterMs)}`;

const units = (unit: 'tokens' | 'usd', value: number): string =>
  unit === 'usd' ? `$${value.toFixed(6)}` : `${Math.round(value)} tokens`;

const causeShown = 300;

/** `; last error: ConnectionError: ...` for the real error behind an open circuit, when it is attached. */
function lastError(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return '';
  const { _tag: tag, message } = cause as { readonly _tag?: unknown; readonly message?: unknown };
  if (typeof tag !== 'string' || typeof message !== 'string') return '';
  const shown = message.length > causeShown ? `${message.slice(0, causeShown)}...` : message;
  return `; last error: ${tag.slice(0, 40)}: ${shown}`;
}

/** The sentence of a tool error: what happened, then what to do next. */
function describe(error: IntegrationError): string {
  switch (error._tag) {
    case 'ValidationError':
      return `${error.message}; fix the arguments and call again`;
    case 'BadRequestError':
      return error.param === null
        ? `the API rejected the request (HTTP 400): ${error.message}; change the request, do not retry it unchanged`
        : `invalid argument ${error.param} (HTTP 400): ${error.message}; change ${error.param} and call again`;
    case 'AuthenticationError':
      return `authentication failed (HTTP 401): the server's OpenAI credentials were refused; do not retry, the operator must fix OPENAI_API_KEY`;
    case 'PermissionDeniedError':
      return `permission denied (HTTP 403): ${error.message}; do not retry, the key is not allowed to do this`;
    case 'NotFoundError':
      return `not found (HTTP 404): ${error.message}; check the id or model name (openai_list_models and openai_list_files list valid ones)`;
    case 'ConflictError':
      return `conflict (HTTP 409)${after(error.attempts)}: ${error.message}; ${retryHint(error.retryAfterMs, 'retry after a few seconds')}`;
    case 'UnprocessableEntityError':
      return `the API could not process the request (HTTP 422): ${error.message}; change the request, do not retry it unchanged`;
    case 'RateLimitError':
      return error.origin === 'client'
        ? `rate limited by this server's pacing (the rate-limit budget is used up)${after(error.attempts)}: ${retryHint(error.retryAfterMs, 'retry in a minute')}`
        : `rate limited${after(error.attempts)}: ${retryHint(error.retryAfterMs, 'retry in a minute')}`;
    case 'ContentFilterError': {
      const flagged = error.verdicts.filter((verdict) => verdict.filtered).map((verdict) => verdict.category);
      return `refused by the provider's content filter (HTTP ${error.status}${flagged.length === 0 ? '' : `: ${flagged.join(', ')}`}): do not retry it unchanged, and another model of the same deployment refuses it too; rephrase the request`;
    }
    case 'QuotaExceededError':
      return 'quota exhausted (HTTP 429 insufficient_quota): do not retry; the account has no credit left until the operator adds billing or quota';
    case 'InternalServerError':
    case 'BadGatewayError':
    case 'ServiceUnavailableError':
    case 'GatewayTimeoutError':
      return `OpenAI server error (HTTP ${error.status})${after(error.attempts)}: ${error.message}; ${retryHint(error.retryAfterMs, 'retry in a minute')}`;
    case 'UnexpectedStatusError':
      return `unexpected HTTP ${error.status} from the endpoint${after(error.attempts)}: ${error.message}; ${error.retryable ? 'retry later' : 'do not retry, the operator should check OPENAI_BASE_URL'}`;
    case 'RequestTooLargeError':
      return `the request was too large for the API (HTTP ${error.status}, ${error.part}): ${error.message}; do not retry it unchanged, send less`;
    case 'ConnectionError':
      return `could not reach the OpenAI endpoint${after(error.attempts)}${error.code === null ? '' : ` (${error.code})`}: retry in a minute`;
    case 'TimeoutError':
      return `timed out (${error.kind} limit of ${formatWait(error.timeoutMs)})${after(error.attempts)}: retry, or ask for less (a shorter prompt or a lower max_output_tokens)`;
    case 'AbortedError':
      return 'cancelled: the call was aborted before it finished; call again if the answer is still needed';
    case 'StreamInterruptedError': {
      const text = error.partial.text;
      const shown =
        text.length > partialShown
          ? `${text.slice(0, partialShown)} [... ${text.length - partialShown} more characters]`
          : text;
      const next = error.retryable ? 'retry for the whole answer' : 'do not retry unchanged';
      return text === ''
        ? `stream interrupted (${error.reason}) before any text arrived: ${next}`
        : `stream interrupted (${error.reason}): ${next}; partial answer attached: ${shown}`;
    }
    case 'MalformedResponseError':
      return `the endpoint sent a response that could not be read${after(error.attempts)}: retry; if it persists, the operator should check OPENAI_BASE_URL`;
    case 'ConfigError':
      return `the server is misconfigured: ${error.message}; do not retry, the operator must fix it`;
    case 'CircuitOpenError':
      return `the API failed repeatedly, so calls to ${error.key} are paused (circuit open)${lastError(error.cause)}: retry after ${formatWait(error.retryAfterMs)}`;
    case 'BudgetExceededError': {
      const scope = error.scope === 'session' ? 'session' : error.scope === 'call' ? 'per-call' : 'server';
      const used = `${units(error.unit, error.used)} used of ${units(error.unit, error.limit)}, this call needs about ${units(error.unit, error.requested)}`;
      const next =
        error.scope === 'call'
          ? 'ask for less (a shorter prompt or a lower max_output_tokens)'
          : error.scope === 'session'
            ? 'do not retry in this session'
            : 'do not retry until the operator raises the budget';
      return `${scope} budget exceeded (${used}): ${next}`;
    }
  }
}

/** The fields of an error an agent or client may act on, without the message text. */
function fieldsOf(error: IntegrationError): Record<string, unknown> {
  const fields: Record<string, unknown> = { tag: error._tag, retryable: error.retryable };
  if ('retryAfterMs' in error) fields['retryAfterMs'] = error.retryAfterMs;
  if ('status' in error) fields['status'] = error.status;
  if ('requestId' in error) fields['requestId'] = error.requestId;
  if ('param' in error) fields['param'] = error.param;
  if (error.attempts !== undefined) fields['attempts'] = error.attempts;
  if (error._tag === 'BudgetExceededError')
    Object.assign(fields, {
      scope: error.scope,
      unit: error.unit,
      limit: error.limit,
      used: error.used,
      requested: error.requested,
    });
  if (error._tag === 'ValidationError')
    fields['issues'] = error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  if (error._tag === 'StreamInterruptedError') fields['reason'] = error.reason;
  if (error._tag === 'RequestTooLargeError') fields['part'] = error.part;
  if (error._tag === 'CircuitOpenError') {
    const tag = (error.cause as { readonly _tag?: unknown } | undefined)?._tag;
    if (typeof tag === 'string') fields['causeTag'] = tag.slice(0, 40);
  }
  return fields;
}

/**
 * Turns any error of the integration into an MCP tool result with `isError: true`
 * whose text says what happened and what to do next ("rate limited: retry after
 * 12 s", "quota exhausted (...): do not retry ...", "invalid argument temperature:
 * must be at most 2; fix the arguments and call again", "stream interrupted
 * (connection-lost): retry for the whole answer; partial answer attached: ...").
 *
 * Every `_tag` of the union has its own sentence (an exhaustive switch). The text is
 * scrubbed of anything that looks like a credential; a prompt is never quoted, only a
 * broken stream's partial answer, which belongs to the caller. The fields an agent may
 * act on (`tag`, `retryable`, `retryAfterMs`, `status`, `requestId`, ...) are in
 * `_meta["openai-integration/error"]`. It never throws.
 *
 * @example
 * const result = await operations.chat.create(request);
 * if (result.isErr()) return toToolError(result.error);
 */
export function toToolError(error: IntegrationError): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: redactText(describe(error)) }],
    _meta: { [toolErrorMetaKey]: fieldsOf(error) },
  };
}
