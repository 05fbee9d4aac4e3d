import type { ApiFailure } from '../http/api-failure.ts';
import { formatGoDuration } from './format-go-duration.ts';

/** A per-minute budget of requests and tokens, as OpenAI enforces per model and key. */
export interface BudgetLimits {
  readonly requestsPerMinute: number;
  readonly tokensPerMinute: number;
}

/** The outcome of charging a call against the budget. */
type BudgetCharge =
  | { readonly ok: true; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly failure: ApiFailure };

/** Where the budget's limits apply: per minute (OpenAI) or over a shorter window (Azure's 10 s). */
export interface BudgetWindow {
  /** The window in milliseconds (default a minute); the per-minute limits are scaled to it. */
  readonly windowMs?: number;
}

/** A request and token budget that depletes with calls and refills over time. */
export interface Budget {
  /** Takes one request and `tokens` tokens, or refuses with a real 429 when either is short. */
  charge(tokens: number, model: string): BudgetCharge;
  /** The rate-limit headers as they stand now, without charging anything. */
  peek(): Readonly<Record<string, string>>;
  /** Refills both buckets completely. */
  reset(): void;
}

const minuteMs = 60_000;

interface Bucket {
  readonly limit: number;
  level: number;
  updatedAt: number;
}

/**
 * Creates a budget with two token buckets (requests, tokens) that start full and
 * refill continuously, each from empty to full in one window (a minute unless
 * `window.windowMs` says otherwise; the per-minute limits are scaled to the window,
 * rounded up), on the injected clock. As OpenAI's, the reset headers say how long
 * until a bucket is full again (not until the next request may go), as Go-style
 * durations; a 429's `retry-after-ms` says how long until the refused call fits.
 */
export function createBudget(limits: BudgetLimits, now: () => number, window: BudgetWindow = {}): Budget {
  const windowMs = window.windowMs ?? minuteMs;
  const scale = (perMinute: number): number => Math.ceil((perMinute * windowMs) / minuteMs);
  const start = now();
  const requestLimit = scale(limits.requestsPerMinute);
  const tokenLimit = scale(limits.tokensPerMinute);
  const requests: Bucket = { limit: requestLimit, level: requestLimit, updatedAt: start };
  const tokens: Bucket = { limit: tokenLimit, level: tokenLimit, updatedAt: start };
  const refill = (bucket: Bucket, at: number): void => {
    const elapsed = Math.max(0, at - bucket.updatedAt);
    bucket.level = Math.min(bucket.limit, bucket.level + (elapsed * bucket.limit) / windowMs);
    bucket.updatedAt = at;
  };
  const msUntil = (bucket: Bucket, amount: number): number =>
    (Math.max(0, Math.min(amount, bucket.limit) - bucket.level) * windowMs) / bucket.limit;
  const headers = (): Record<string, string> => ({
    'x-ratelimit-limit-requests': String(requests.limit),
    'x-ratelimit-limit-tokens': String(tokens.limit),
    'x-ratelimit-remaining-requests': String(Math.max(0, Math.floor(requests.level))),
    'x-ratelimit-remaining-tokens': String(Math.max(0, Math.floor(tokens.level))),
    'x-ratelimit-reset-requests': formatGoDuration(msUntil(requests, requests.limit)),
    'x-ratelimit-reset-tokens': formatGoDuration(msUntil(tokens, tokens.limit)),
  });
  return {
    charge(cost, model) {
      const at = now();
      refill(requests, at);
      refill(tokens, at);
      const shortOf: 'requests' | 'tokens' | undefined =
        requests.level < 1 ? 'requests' : tokens.level < cost ? 'tokens' : undefined;
      if (shortOf === undefined) {
        requests.level -= 1;
        tokens.level -= cost;
        return { ok: true, headers: headers() };
      }
      const bucket = shortOf === 'requests' ? requests : tokens;
      const requested = shortOf === 'requests' ? 1 : cost;
      const waitMs = Math.max(1, Math.ceil(msUntil(bucket, requested)));
      const used = Math.ceil(bucket.limit - bucket.level);
      const unit = shortOf === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
      const waitText = waitMs < 1000 ? `${waitMs}ms` : `${(waitMs / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
      return {
        ok: false,
        failure: {
          kind: 'api-failure',
          status: 429,
          type: shortOf,
          param: null,
          code: 'rate_limit_exceeded',
          message: `Rate limit reached for ${model} in organization org-simulator on ${unit}: Limit ${bucket.limit}, Used ${used}, Requested ${requested}. Please try again in ${waitText}. Visit https://platform.openai.com/account/rate-limits to learn more.`,
          headers: { ...headers(), 'retry-after': String(Math.ceil(waitMs / 1000)), 'retry-after-ms': String(waitMs) },
        },
      };
    },
    peek() {
      const at = now();
      refill(requests, at);
      refill(tokens, at);
      return headers();
    },
    reset() {
      const at = now();
      for (const bucket of [requests, tokens]) {
        bucket.level = bucket.limit;
        bucket.updatedAt = at;
      }
    },
  };
}
