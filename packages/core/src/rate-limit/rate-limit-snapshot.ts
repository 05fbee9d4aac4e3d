import { z } from 'zod';
import { durationMs } from './parse-duration.ts';
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

/** Whether `text` is digits with at most one decimal part (`12`, `0.5`): what a count header holds. */
function isPlainNumber(text: string): boolean {
  let digits = 0;
  let dot = -1;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) digits += 1;
    else if (code === 46 && dot === -1 && digits > 0) dot = index;
    else return false;
  }
  return digits > 0 && dot !== text.length - 1;
}

function readCount(headers: HeaderSource, name: string): number | null {
  const raw = readHeader(headers, name)?.trim();
  // Azure and some proxies send -1, empty values or garbage for "unknown".
  if (raw === undefined || !isPlainNumber(raw)) return null;
  return Number(raw);
}

// Constant names: read on every response.
const headerNames = {
  requests: {
    limit: 'x-ratelimit-limit-requests',
    remaining: 'x-ratelimit-remaining-requests',
    reset: 'x-ratelimit-reset-requests',
  },
  tokens: {
    limit: 'x-ratelimit-limit-tokens',
    remaining: 'x-ratelimit-remaining-tokens',
    reset: 'x-ratelimit-reset-tokens',
  },
} as const;

function readWindow(headers: HeaderSource, kind: 'requests' | 'tokens', now: number): RateLimitWindow {
  const names = headerNames[kind];
  const rawReset = readHeader(headers, names.reset);
  const resetMs = rawReset === undefined ? null : durationMs(rawReset);
  return {
    limit: readCount(headers, names.limit),
    remaining: readCount(headers, names.remaining),
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
export function toRateLimitSnapshot(
  headers: HeaderSource | undefined,
  now: number = Date.now(),
): RateLimitSnapshot | undefined {
  if (headers === undefined) return undefined;
  const requests = readWindow(headers, 'requests', now);
  const tokens = readWindow(headers, 'tokens', now);
  if (emptyWindow(requests) && emptyWindow(tokens)) return undefined;
  return { requests, tokens, observedAt: now };
}
