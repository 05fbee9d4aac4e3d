export {
  createError,
  defaultRetryable,
  isApiError,
  isErrorTag,
  isIntegrationError,
  retryAfterOf,
  withErrorFields,
} from './errors/integration-error.ts';
export type {
  ApiError,
  ApiErrorFields,
  ErrorBase,
  ErrorFieldsByTag,
  ErrorInput,
  ErrorOf,
  ErrorTag,
  IntegrationError,
  StreamInterruptReason,
  StreamPartialOutput,
  TimeoutKind,
} from './errors/integration-error.ts';
export { fromHttpFailure } from './errors/from-http-failure.ts';
export type { HttpFailure } from './errors/from-http-failure.ts';
export { toRetryAfterMs, toShouldRetry } from './errors/retry-hint.ts';
export { parseDuration } from './rate-limit/parse-duration.ts';
export type { DurationParseFailure } from './rate-limit/parse-duration.ts';
export { readHeader } from './rate-limit/header-source.ts';
export type { HeaderSource } from './rate-limit/header-source.ts';
export { rateLimitSnapshotSchema, toRateLimitSnapshot } from './rate-limit/rate-limit-snapshot.ts';
export type { RateLimitSnapshot, RateLimitWindow } from './rate-limit/rate-limit-snapshot.ts';
export { REDACTED, redactText } from './logging/redact-text.ts';
export type { LogFields, Logger, LogLevel, LogMethod } from './logging/logger.ts';
