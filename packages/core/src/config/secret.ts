import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { createError, type ErrorOf } from '../errors/integration-error.ts';
import { REDACTED } from '../logging/redact-text.ts';

/**
 * Where a secret comes from: the value itself, or a function that returns it (sync or
 * async) and is called again on every `reveal()`, so a rotated key is picked up
 * without rebuilding anything.
 */
export type SecretSource = string | (() => string | PromiseLike<string>);

const secretBrand = Symbol.for('@openai-integration/core.secret');
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/**
 * A credential that cannot leak by accident: `String()`, template literals,
 * `JSON.stringify`, `util.inspect` and `console.log` all print `[redacted]`, and the
 * value is kept in a closure, not in any property. Only `reveal()` returns it.
 */
export interface Secret {
  /** Returns the current value (calling the source function again when there is one). */
  reveal(): Promise<string>;
  /**
   * Like `reveal()`, as a Result: a source that throws, rejects or returns an empty
   * value gives a `ConfigError` instead of an exception.
   *
   * Fails with: `ConfigError`.
   */
  revealResult(): ResultAsync<string, ErrorOf<'ConfigError'>>;
  /**
   * The value at once when it is fixed (the source is a string), else `undefined` (the
   * source is a function, read again on every `reveal()`). For a client that takes its
   * key once, as a string, instead of asking for it on every request.
   */
  revealFixed(): string | undefined;
  /** Always `[redacted]`. */
  toString(): string;
  /** Always `[redacted]`. */
  toJSON(): string;
}

/**
 * Wraps a credential (or a function that fetches it) in a {@link Secret}.
 *
 * `variable` names the setting in the `ConfigError` of `revealResult()` (default
 * `OPENAI_API_KEY`). A source that is neither a string nor a function is a programming
 * error and throws a TypeError.
 *
 * @example
 * const apiKey = createSecret(() => vault.read('openai')); // read again on each reveal
 * `${apiKey}`; // '[redacted]'
 * const value = await apiKey.reveal(); // 'sk-...'
 */
export function createSecret(source: SecretSource, variable = 'OPENAI_API_KEY'): Secret {
  if (typeof source !== 'string' && typeof source !== 'function') {
    throw new TypeError('createSecret expects a string or a function that returns the secret');
  }
  const read = typeof source === 'string' ? () => Promise.resolve(source) : () => Promise.resolve().then(source);
  const fix = `make the source of ${variable} return a non-empty value`;
  const failure = (problem: string, cause?: unknown): ErrorOf<'ConfigError'> =>
    createError('ConfigError', {
      message: `${variable} could not be read: ${problem}; ${fix}`,
      variable,
      fix,
      problems: [{ variable, problem, fix }],
      cause,
    });
  const secret = {
    reveal: read,
    revealFixed: () => (typeof source === 'string' ? source : undefined),
    revealResult: () =>
      ResultAsync.fromPromise(read(), (cause) => failure('its source failed', cause)).andThen((value) =>
        typeof value === 'string' && value.trim() !== ''
          ? okAsync(value)
          : errAsync(failure('its source returned an empty value')),
      ),
    toString: () => REDACTED,
    toJSON: () => REDACTED,
    [Symbol.toPrimitive]: () => REDACTED,
    [inspectCustom]: () => REDACTED,
    [Symbol.toStringTag]: 'Secret',
  };
  // The brand lets `isSecret` recognise secrets made by another copy of this package.
  Object.defineProperty(secret, secretBrand, { value: true });
  return Object.freeze(secret) satisfies Secret;
}

/** Whether a value is a {@link Secret} (by brand, so it works across copies of this package). */
export function isSecret(value: unknown): value is Secret {
  return typeof value === 'object' && value !== null && (value as { [secretBrand]?: unknown })[secretBrand] === true;
}
