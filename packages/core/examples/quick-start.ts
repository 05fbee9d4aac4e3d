import {
  chatCompletionRequestSchema,
  createLogger,
  fromHttpFailure,
  loadConfig,
  parseInput,
  toTokenUsage,
} from '@openai-integration/core';

// Options > environment > .env; every bad variable is reported at once.
const config = loadConfig();
if (config.isErr()) {
  console.error(config.error.message); // "OPENAI_API_KEY is not set; fix: set OPENAI_API_KEY in the environment or in .env, ..."
  process.exit(1);
}
const { apiKey, baseUrl, model, logLevel, logBodies } = config.value;

// JSON lines on stderr; keys, tokens and (unless OPENAI_LOG_BODIES) prompts never reach them.
const logger = createLogger({ level: logLevel, redaction: { includeBodies: logBodies } });

const request = parseInput(chatCompletionRequestSchema, {
  model,
  messages: [{ role: 'user', content: 'Say hello in French.' }],
  temperature: 0.2,
});
if (request.isErr()) {
  logger.error({ issues: request.error.issues }, request.error.message); // "invalid argument temperature: must be at most 2"
  process.exit(1);
}

const response = await fetch(`${baseUrl}/chat/completions`, {
  method: 'POST',
  headers: { authorization: `Bearer ${await apiKey.reveal()}`, 'content-type': 'application/json' },
  body: JSON.stringify(request.value),
});

if (!response.ok) {
  // A typed error: RateLimitError, QuotaExceededError, ... with retryable, retryAfterMs and rateLimit.
  const error = fromHttpFailure({ status: response.status, headers: response.headers, body: await response.text() });
  logger.warn(
    { error },
    `${error._tag}: retryable=${error.retryable}, retry after ${error.retryAfterMs ?? 'unknown'} ms`,
  );
} else {
  const body = (await response.json()) as { usage?: unknown };
  const usage = toTokenUsage(body.usage);
  if (usage.isOk()) logger.info({ usage: usage.value }, 'chat completion done');
}
