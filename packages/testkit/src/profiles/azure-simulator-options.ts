/** The harm categories of Azure's content filter that the simulator can trip. */
export type ContentFilterCategory = 'hate' | 'sexual' | 'violence' | 'self_harm';

/** Settings of the `azure` profile. */
export interface AzureSimulatorOptions {
  /**
   * Deployment name to the model it serves, e.g. `{ chat: 'gpt-4o-mini' }`.
   * Responses name the model, not the deployment. Default: every model of the
   * catalogue deployed under its own id.
   */
  readonly deployments?: Readonly<Record<string, string>>;
  /**
   * The `api-version` values the classic deployment API accepts (default: Azure's
   * GA versions from `2023-05-15` to `2024-10-21` and previews up to
   * `2025-04-01-preview`).
   */
  readonly apiVersions?: readonly string[];
  /**
   * Entra ID access tokens accepted as `Authorization: Bearer` in addition to the
   * `apiKey` (default: any token when `apiKey` is not set, none otherwise).
   */
  readonly entraTokens?: readonly string[];
  /**
   * Words that trip the content filter, by category (case-insensitive, whole
   * words), replacing the defaults (`hate`: `hatred`; `sexual`: `nsfw`;
   * `violence`: `murder`; `self_harm`: `suicide`); `false` switches the filter off.
   * In a prompt they make a chat completion a 400 `content_filter`; in a reply
   * (scripted or generated) they end that choice with `finish_reason: content_filter`.
   */
  readonly contentFilter?: Readonly<Partial<Record<ContentFilterCategory, readonly string[]>>> | false;
}
