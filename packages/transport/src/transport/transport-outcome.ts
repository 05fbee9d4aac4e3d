import type { IntegrationError } from '@openai-integration/core';
import type { Result, ResultAsync } from 'neverthrow';

/**
 * What an operation run by this package returns: a neverthrow `ResultAsync` (any
 * narrower error type fits, e.g. from `okAsync(value)`), or a promise of a `Result`
 * (e.g. from an `async` function).
 *
 * An operation reports every expected failure as an error of the union; one that
 * throws or rejects is a programming error and makes the call reject.
 */
export type TransportOutcome<T> = ResultAsync<T, IntegrationError> | PromiseLike<Result<T, IntegrationError>>;
