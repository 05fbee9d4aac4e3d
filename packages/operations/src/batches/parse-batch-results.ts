import { createError, fromHttpFailure, redactText, withErrorFields, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import type { BatchItemOutcome } from './batch-request.ts';

interface OutputLine {
  readonly custom_id?: unknown;
  readonly response?: { readonly status_code?: unknown; readonly request_id?: unknown; readonly body?: unknown } | null;
  readonly error?: { readonly code?: unknown; readonly message?: unknown } | null;
}

const malformed = (file: string, line: number, detail: string): ErrorOf<'MalformedResponseError'> =>
  createError('MalformedResponseError', {
    message: `line ${line} of the batch ${file} file ${detail}`,
    requestId: null,
    status: null,
  });

/**
 * Parses the output and error files of a batch (JSONL) into one outcome per custom id,
 * in file order (output first). A line with a 2xx response is `succeeded`; another
 * status is `failed` with the error union's variant for it (request id kept); a line
 * with only an `error` (e.g. `batch_expired`) is `not-run`.
 *
 * Fails with: `MalformedResponseError` (a line that is not JSON or has no custom id).
 *
 * @example
 * parseBatchResults(outputText, errorText).map((outcomes) => outcomes.get('request-1')?.type);
 */
export function parseBatchResults(
  output: string,
  errors: string,
  options: { readonly knownSecrets?: readonly string[] } = {},
): Result<Map<string, BatchItemOutcome>, ErrorOf<'MalformedResponseError'>> {
  const outcomes = new Map<string, BatchItemOutcome>();
  for (const [file, text] of [
    ['output', output],
    ['error', errors],
  ] as const) {
    const lines = text.split(/\r?\n/);
    for (const [position, raw] of lines.entries()) {
      if (raw.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return err(malformed(file, position + 1, 'is not JSON'));
      }
      const line = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as OutputLine;
      const customId = line.custom_id;
      if (typeof customId !== 'string' || customId === '')
        return err(malformed(file, position + 1, 'has no custom_id'));
      const response = line.response;
      const status = typeof response?.status_code === 'number' ? response.status_code : null;
      const requestId = typeof response?.request_id === 'string' ? response.request_id : null;
      if (status !== null && status >= 200 && status < 300) {
        outcomes.set(customId, { type: 'succeeded', customId, status, requestId, body: response?.body });
      } else if (status !== null) {
        const error = withErrorFields(
          fromHttpFailure({
            status,
            body: response?.body,
            ...(options.knownSecrets === undefined ? {} : { knownSecrets: options.knownSecrets }),
          }),
          { requestId },
        );
        outcomes.set(customId, { type: 'failed', customId, status, requestId, error });
      } else {
        const code = typeof line.error?.code === 'string' ? line.error.code : null;
        const message = typeof line.error?.message === 'string' ? line.error.message : null;
        outcomes.set(customId, {
          type: 'not-run',
          customId,
          reason: redactText(
            [code, message].filter((part) => part !== null).join(': ') || 'no response',
            options.knownSecrets ?? [],
          ).slice(0, 300),
        });
      }
    }
  }
  return ok(outcomes);
}
