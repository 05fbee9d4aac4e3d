import { createError, type ErrorOf } from '@openai-integration/core';
import type { Clock } from '@openai-integration/transport';
import { err, ok, type Result } from 'neverthrow';
import type { AzureTokenProvider } from './azure-options.ts';

const fix =
  'check the credential the token provider uses (its identity, scope https://cognitiveservices.azure.com/.default and role on the resource)';

/** What a failing token provider is: a `ConfigError` naming it, with what it threw as cause and never a token. */
function tokenProviderError(problem: string, cause: unknown): ErrorOf<'ConfigError'> {
  return createError('ConfigError', {
    message: `the Microsoft Entra ID token provider ${problem}; fix: ${fix}`,
    variable: 'azure.tokenProvider',
    fix,
    problems: [{ variable: 'azure.tokenProvider', problem, fix }],
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A token this close to its expiry is asked for again. */
const refreshBeforeMs = 5 * 60_000;
const maxTokenLength = 16_384;

/** What the provider gave, checked: a usable token and its expiry (none for a plain string), or why not. */
async function askProvider(
  provider: AzureTokenProvider,
): Promise<Result<{ readonly token: string; readonly expiresOnTimestamp?: number }, ErrorOf<'ConfigError'>>> {
  let given: Awaited<ReturnType<AzureTokenProvider>>;
  try {
    given = await provider();
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.name : typeof thrown;
    return err(tokenProviderError(`failed (${reason})`, thrown));
  }
  const token = typeof given === 'string' ? given : given.token;
  if (typeof token !== 'string' || token === '' || token.length > maxTokenLength || /\s/.test(token))
    return err(tokenProviderError('gave no usable token (empty, too long or with spaces)', undefined));
  return ok(typeof given === 'string' ? { token } : { token, expiresOnTimestamp: given.expiresOnTimestamp });
}

/**
 * The bearer token of each request from a Microsoft Entra ID token provider. A token
 * given with its expiry is reused until five minutes before it expires (then one
 * request asks again, others waiting on it); a plain string is asked for on every
 * request, as credential libraries cache their tokens themselves. Each token is handed
 * to `remember` (scrubbed from logs and errors). A provider that fails or gives no
 * token throws a `ConfigError` (variable `azure.tokenProvider`) that says so, without
 * its value; the SDK passes it on as the cause of its own error, and `fromSdkError`
 * returns it.
 */
export function createTokenSource(
  provider: AzureTokenProvider,
  clock: Clock,
  remember: (token: string) => string,
): () => Promise<string> {
  let cached: { readonly token: string; readonly refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const ask = async (): Promise<string> => {
    const given = await askProvider(provider);
    if (given.isErr())
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the SDK's credential callback can fail only by throwing; the union's value itself goes, and fromSdkError returns it from the SDK's wrapper
      throw given.error;
    const { token, expiresOnTimestamp } = given.value;
    cached =
      expiresOnTimestamp === undefined || !Number.isFinite(expiresOnTimestamp)
        ? undefined
        : { token, refreshAt: expiresOnTimestamp - refreshBeforeMs };
    return remember(token);
  };
  return () => {
    if (cached !== undefined && clock.now() < cached.refreshAt) return Promise.resolve(cached.token);
    pending ??= ask().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
