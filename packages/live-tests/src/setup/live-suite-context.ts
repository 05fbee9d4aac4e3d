/**
 * What the global setup hands to every scenario (through vitest's `provide`/`inject`):
 * plain data only, never the key. A scenario in live mode reads the key itself.
 */
export interface LiveSuiteContext {
  /** `live`: the configured endpoint and key; `rehearsal`: the local simulator. */
  readonly mode: 'live' | 'rehearsal';
  /** The endpoint every scenario calls (the simulator's URL in rehearsal). */
  readonly baseUrl: string;
  /** The id of this run; everything created on the server is named after it. */
  readonly runId: string;
  readonly chatModel: string;
  readonly embeddingModel: string;
  /**
   * Whether responses are expected to carry `x-ratelimit-*` headers: true for the
   * simulator and api.openai.com; false for another endpoint (Azure and many proxies
   * leave them out).
   */
  readonly expectRateLimitHeaders: boolean;
}

/** The key the simulator accepts in rehearsal (any other key gets a 401, like the real API). */
export const rehearsalApiKey = 'sk-live-tests-rehearsal';

/** Whether an endpoint is OpenAI's own API (which sends rate-limit headers). */
export function isOpenAIEndpoint(baseUrl: string): boolean {
  return URL.canParse(baseUrl) && new URL(baseUrl).hostname === 'api.openai.com';
}
