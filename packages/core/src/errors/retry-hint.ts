import { parseDuration } from '../rate-limit/parse-duration.ts';
import { readHeader, type HeaderSource } from '../rate-limit/header-source.ts';

const messageHint = /try again in\s+((?:\d+(?:\.\d+)?(?:h|ms|m|s))+)/i;

/**
 * How long the server asked the caller to wait, in milliseconds, from (in order of
 * precedence) `retry-after-ms` (float milliseconds, wins even when 0), `retry-after`
 * (seconds, or an HTTP date measured against `now`), or an error message such as
 * "Please try again in 174ms" / "in 20s" / "in 1m30s".
 *
 * Returns `null` when there is no readable hint; a date in the past gives 0.
 */
export function toRetryAfterMs(
  headers: HeaderSource | undefined,
  message: string | null,
  now: number = Date.now(),
): number | null {
  const milliseconds = readHeader(headers, 'retry-after-ms')?.trim();
  if (milliseconds !== undefined && milliseconds !== '') {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = readHeader(headers, 'retry-after')?.trim();
  if (after !== undefined && after !== '') {
    if (/^\d+(?:\.\d+)?$/.test(after)) return Number(after) * 1_000;
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const match = message === null ? null : messageHint.exec(message);
  if (match?.[1] !== undefined) {
    const parsed = parseDuration(match[1]);
    if (parsed.isOk()) return parsed.value;
  }
  return null;
}

/** `x-should-retry: true|false`, the server's override of whether to retry. */
export function toShouldRetry(headers: HeaderSource | undefined): boolean | null {
  const value = readHeader(headers, 'x-should-retry')?.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}
