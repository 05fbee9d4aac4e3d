import type { AzureConfig, LoadAzureConfigOptions } from '@openai-integration/core';

/** A Microsoft Entra ID access token, alone or with its expiry (as `@azure/identity`'s `getToken` gives it). */
export type AzureToken = string | { readonly token: string; readonly expiresOnTimestamp: number };

/** Returns an access token for `https://cognitiveservices.azure.com/.default`; any credential library fits. */
export type AzureTokenProvider = () => AzureToken | Promise<AzureToken>;

/** Azure OpenAI for `createOperations({ azure })`; the `AZURE_OPENAI_*` variables turn it on as well. */
export interface AzureOptions {
  /** Settings already loaded with core's `loadAzureConfig`. Default: loaded from `load`. */
  readonly config?: AzureConfig;
  /** How to load the settings (endpoint, key, api-version, deployments) when `config` is not given. */
  readonly load?: LoadAzureConfigOptions;
  /** Authenticates with Microsoft Entra ID instead of a key. */
  readonly tokenProvider?: AzureTokenProvider;
}
