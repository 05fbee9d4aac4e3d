import { createRedactContext, redactWith } from '../internal/redact-engine.ts';
import type { RedactOptions } from './redact-options.ts';

export type { RedactOptions } from './redact-options.ts';

export { CIRCULAR, OMITTED } from '../internal/redact-engine.ts';

/**
 * Returns a deep copy of a value that is safe to log.
 *
 * - Fields with secret names at any depth (`apiKey`, `api_key`, `authorization`,
 *   `x-api-key`, `cookie`, `set-cookie`, `password`, `secret`, `token`,
 *   `access_token`, `refresh_token`, `client_secret`, `private_key`, `credentials`, any
 *   name ending in `token`/`secret`/`password`, ...; case- and separator-insensitive)
 *   become `[redacted]`.
 * - Every string (keys too) goes through `redactText`: OpenAI keys, bearer tokens,
 *   credential headers, keys in URLs and the given known secrets are removed.
 * - `Secret` values become `[redacted]`.
 * - Bodies (`body`, `requestBody`, `responseBody`, `prompt`, `messages`, `input`,
 *   `completion`, `output`, ...) become `[omitted]` unless `includeBodies` is set.
 * - Errors become `{ name, message, code, status, stack }` with only the cause's name
 *   and message; core errors keep their fields (the partial output of a broken stream
 *   is summarised).
 * - Cycles become `[Circular]`; it never throws.
 *
 * @example
 * redact({ headers: { Authorization: 'Bearer sk-abc123def456' }, messages: [] });
 * // { headers: { Authorization: '[redacted]' }, messages: '[omitted]' }
 */
export function redact(value: unknown, options: RedactOptions = {}): unknown {
  return redactWith(value, createRedactContext(options)());
}
