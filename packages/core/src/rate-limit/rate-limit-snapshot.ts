import { z } from 'zod';
import { parseDuration } from './parse-duration.ts';
import { readHeader, type HeaderSource } from './header-source.ts';

const windowSchema = z.object({
  limit: z.number().nonnegative().nullable(),
  remaining: z.number().nonnegative().nullable(),
  resetMs: z.number().nonnegative().nullable(),
  resetAt: z.number().nonnegative().nullable(),
});

/**
 * The zod schema of a {@link RateLimitSnapshot}: what the `x-ratelimit-*` headers of
 * one response said about the request and token budgets.
 */
export const rateLimitSnapshotSchema = z.object({
  requests: windowSchema,
  tokens: windowSchema,
  observedAt: z.number().nonnegative(),
});

/** One budget (requests or tokens): each field is null when the header was absent or unreadable. */
export type RateLimitWindow = z.infer<typeof windowSchema>;

/**
 * What the rate-limit headers of one response said. `resetMs` is relative to
 * `observedAt`; `resetAt` is the absolute epoch time in milliseconds.
 */
export type RateLimitSnapshot = z.infer<typeof rateLimitSnapshotSchema>;

function readCount(headers: HeaderSource, name: string): number | null {
  const raw = readHeader(headers, name)?.trim();
  // Azure and some proxies send -1, empty values or garbage for "unknown".
  if (raw === undefined || !/^\d+(?:\.\d+)?$/.test(raw)) return null;
  return Number(raw);
}

function readWindow(headers: HeaderSource, kind: 'requests' | 'tokens', now: number): RateLimitWindow {
  const rawReset = readHeader(headers, `x-ratelimit-reset-${kind}`);
  const reset = rawReset === undefined ? undefined : parseDuration(rawReset);
  const resetMs = reset?.isOk() === true && reset.value >= 0 ? reset.value : null;
  return {
    limit: readCount(headers, `x-ratelimit-limit-${kind}`),
    remaining: readCount(headers, `x-ratelimit-remaining-${kind}`),
    resetMs,
    resetAt: resetMs === null ? null : now + resetMs,
  };
}

const emptyWindow = (window: RateLimitWindow): boolean =>
  window.limit === null && window.remaining === null && window.resetMs === null;

/**
 * Reads the `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` headers into a
 * typed snapshot.
 *
 * Absent, empty, negative or garbled values become `null`; it never throws. Returns
 * `undefined` when the response carried none of these headers at all (Azure, some
 * proxies), so "no information" is not mistaken for "no budget left".
 *
 * @example
 * toRateLimitSnapshot(response.headers, Date.now())?.tokens.remaining; // 149984
 */
export function toRateLimitSnapshot(headers: HeaderSource | undefined, now: number = Date.now()): RateLimitSnapshot | undefined {
  if (headers === undefined) return undefined;
  const requests = readWindow(headers, 'requests', now);
  const tokens = readWindow(headers, 'tokens', now);
  if (emptyWindow(requests) && emptyWindow(tokens)) return undefined;
  return { requests, tokens, observedAt: now };
}
