import { createError, redactText, type ErrorOf } from '@openai-integration/core';

/** A readable text for an abort reason (a string, or an Error's message), else null. */
export function abortReasonText(reason: unknown): string | null {
  if (typeof reason === 'string') return redactText(reason);
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
