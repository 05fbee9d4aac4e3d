import { createError, fromHttpFailure, type IntegrationError } from '@openai-integration/core';
import { createTransport } from '@openai-integration/transport';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';

// Any call that reports its failures as values of the error union will do.
function listModels(signal: AbortSignal): ResultAsync<string, IntegrationError> {
  const request = fetch(`${process.env['OPENAI_BASE_URL'] ?? 'https://api.openai.com/v1'}/models`, {
    headers: { authorization: `Bearer ${process.env['OPENAI_API_KEY'] ?? ''}` },
    signal,
  });
  return ResultAsync.fromPromise(request, (cause) =>
    createError('ConnectionError', { message: 'could not reach the API', code: null, cause }),
  ).andThen((response) =>
    ResultAsync.fromSafePromise(response.text()).andThen((body) =>
      response.ok
        ? okAsync(body)
        : errAsync(fromHttpFailure({ status: response.status, headers: response.headers, body })),
    ),
  );
}

// Retry (backoff with jitter, server hints) around a circuit breaker per key.
const transport = createTransport({
  deadlineMs: 60_000,
  retry: {
    maxRetries: 4,
    onRetry: ({ attempt, delayMs, error }) => {
      console.warn(`attempt ${attempt} failed (${error._tag}); retrying in ${delayMs} ms`);
    },
  },
  breaker: {
    consecutiveFailures: 3,
    openDurationMs: 15_000,
    onBreak: ({ key }) => {
      console.warn(`circuit ${key} opened`);
    },
  },
});

const result = await transport.execute((signal) => listModels(signal), { key: 'models:list' });
if (result.isOk()) console.log(result.value.slice(0, 80));
else console.error(`${result.error._tag} after ${result.error.attempts ?? 0} attempt(s): ${result.error.message}`);
