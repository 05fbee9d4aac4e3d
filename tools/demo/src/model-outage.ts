/** A `fetch` that fails every request for some models with HTTP 500, for fault demos. */
export interface ModelOutage {
  readonly fetch: typeof fetch;
  /** How many requests it failed. */
  failed(): number;
}

/**
 * Wraps `fetch` so that every request whose JSON body names one of `models` gets an
 * OpenAI-style HTTP 500 without reaching the server: a model outage, on demand.
 */
export function createModelOutage(models: readonly string[], inner: typeof fetch = fetch): ModelOutage {
  let failed = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const body = typeof init?.body === 'string' ? init.body : '';
    const model = /"model"\s*:\s*"([^"]+)"/.exec(body)?.[1];
    if (model !== undefined && models.includes(model)) {
      failed += 1;
      return new Response(
        JSON.stringify({
          error: { message: `The model ${model} is having an outage.`, type: 'server_error', param: null, code: null },
        }),
        {
          status: 500,
          headers: { 'content-type': 'application/json', 'x-request-id': `req_outage_${failed}` },
        },
      );
    }
    return inner(input, init);
  };
  return { fetch: wrapped, failed: () => failed };
}
