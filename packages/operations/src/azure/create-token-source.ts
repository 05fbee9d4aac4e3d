import type { Clock } from '@openai-integration/transport';
import type { AzureTokenProvider } from './azure-options.ts';

/** A token this close to its expiry is asked for again. */
const refreshBeforeMs = 5 * 60_000;
const maxTokenLength = 16_384;

/**
 * The bearer token of each request from a Microsoft Entra ID token provider. A token
 * given with its expiry is reused until five minutes before it expires (then one
 * request asks again, others waiting on it); a plain string is asked for on every
 * request, as credential libraries cache their tokens themselves. Each token is handed
 * to `remember` (scrubbed from logs and errors). A provider that fails or gives no
 * token throws an error that says so, without its value.
 */
export function createTokenSource(
  provider: AzureTokenProvider,
  clock: Clock,
  remember: (token: string) => string,
): () => Promise<string> {
  let cached: { readonly token: string; readonly refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const ask = async (): Promise<string> => {
    let given: Awaited<ReturnType<AzureTokenProvider>>;
    try {
      given = await provider();
    } catch (thrown) {
      const reason = thrown instanceof Error ? thrown.name : typeof thrown;
      throw new Error(`the Microsoft Entra ID token provider failed (${reason}); check the credential it uses`, {
        cause: thrown,
      });
    }
    const token = typeof given === 'string' ? given : given.token;
    if (typeof token !== 'string' || token === '' || token.length > maxTokenLength || /\s/.test(token))
      throw new Error('the Microsoft Entra ID token provider gave no usable token (empty, too long or with spaces)');
    cached =
      typeof given === 'string' || !Number.isFinite(given.expiresOnTimestamp)
        ? undefined
        : { token, refreshAt: given.expiresOnTimestamp - refreshBeforeMs };
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
