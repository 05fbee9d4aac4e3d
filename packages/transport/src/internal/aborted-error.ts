import { createError, redactText, type ErrorOf } from '@openai-integration/core';

// The message of what `abort()` without a reason puts on a signal (the runtime's own wording).
const stockAbortMessage = ((): unknown => {
  const controller = new AbortController();
  controller.abort();
  return (controller.signal.reason as { readonly message?: unknown } | undefined)?.message;
})();

/**
 * A readable text for an abort reason (a string, or an Error's message), else null.
 * `abort()` without a reason gives the signal a stock `AbortError`: that is no reason
 * either, so the error says the same whether the call was waiting or sending.
 */
function abortReasonText(reason: unknown): string | null {
  if (typeof reason === 'string') return redactText(reason);
  if (reason instanceof DOMException && reason.name === 'AbortError' && reason.message === stockAbortMessage)
    return null;
  if (typeof reason === 'object' && reason !== null && typeof (reason as { message?: unknown }).message === 'string') {
    return redactText((reason as { message: string }).message);
  }
  return null;
}

/** The `AbortedError` for a signal that aborted. */
export function toAbortedError(signal: AbortSignal): ErrorOf<'AbortedError'> {
  const reason = abortReasonText(signal.reason);
  return createError('AbortedError', {
    message: reason === null ? 'the call was aborted' : `the call was aborted: ${reason}`,
    reason,
  });
}
