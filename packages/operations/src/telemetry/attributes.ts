/**
 * Names of the attributes, events and metrics the operations record, by the
 * OpenTelemetry GenAI semantic conventions and, where they say nothing, the package's
 * own (prefixed `openai_integration.`). Kept here rather than imported: the GenAI
 * constants of `@opentelemetry/semantic-conventions` are incubating and renamed often.
 */
export const genAiAttributes = {
  operationName: 'gen_ai.operation.name',
  /** The provider under the latest conventions. */
  providerName: 'gen_ai.provider.name',
  /** The provider under the conventions up to v1.36 (replaced by `gen_ai.provider.name`). */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestFrequencyPenalty: 'gen_ai.request.frequency_penalty',
  requestPresencePenalty: 'gen_ai.request.presence_penalty',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestSeed: 'gen_ai.request.seed',
  requestChoiceCount: 'gen_ai.request.choice.count',
  requestEncodingFormats: 'gen_ai.request.encoding_formats',
  outputType: 'gen_ai.output.type',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  embeddingsDimensionCount: 'gen_ai.embeddings.dimension.count',
  tokenType: 'gen_ai.token.type',
  /** Prompt messages as JSON (latest conventions; only when content capture is on). */
  inputMessages: 'gen_ai.input.messages',
  /** Output messages as JSON (latest conventions; only when content capture is on). */
  outputMessages: 'gen_ai.output.messages',
  /** Prompt as JSON on the `gen_ai.content.prompt` event (conventions up to v1.36). */
  prompt: 'gen_ai.prompt',
  /** Completion as JSON on the `gen_ai.content.completion` event (conventions up to v1.36). */
  completion: 'gen_ai.completion',
} as const;

/** OpenAI's own attributes: the latest names, and the names up to v1.36. */
export const openaiAttributes = {
  apiType: 'openai.api.type',
  requestServiceTier: 'openai.request.service_tier',
  responseServiceTier: 'openai.response.service_tier',
  responseSystemFingerprint: 'openai.response.system_fingerprint',
  legacyRequestServiceTier: 'gen_ai.openai.request.service_tier',
  legacyResponseServiceTier: 'gen_ai.openai.response.service_tier',
  legacyResponseSystemFingerprint: 'gen_ai.openai.response.system_fingerprint',
} as const;

/** General attributes of the OpenTelemetry conventions. */
export const generalAttributes = {
  errorType: 'error.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  httpResponseStatusCode: 'http.response.status_code',
} as const;

/** The package's own attributes (what no convention names yet). */
export const projectAttributes = {
  /** The operation as the package names it, e.g. `chat.parse`, `files.list`. */
  operation: 'openai_integration.operation',
  /** The `x-request-id` of the response. */
  requestId: 'openai_integration.request_id',
  attempts: 'openai_integration.attempts',
  /** True when the usage was estimated (a cut stream, a stream without a usage chunk). */
  usageEstimated: 'openai_integration.usage.estimated',
  costUsd: 'openai_integration.cost_usd',
  /** The transport key: the endpoint and the model, e.g. `chat:gpt-4o-mini`. */
  transportKey: 'openai_integration.transport.key',
  attemptNumber: 'openai_integration.attempt.number',
  /** Time between the previous attempt's end (or the call's start) and this attempt's start, in ms. */
  attemptWaitMs: 'openai_integration.attempt.wait_ms',
  /** The retry policy's delay before this attempt, in ms. */
  retryDelayMs: 'openai_integration.retry.delay_ms',
  /** Why the retry waited that long: `retry-after` (the server's hint) or `backoff`. */
  retryReason: 'openai_integration.retry.reason',
  /** The `_tag` of the error that caused the retry. */
  retryErrorType: 'openai_integration.retry.error_type',
  pacingWaitMs: 'openai_integration.pacing.wait_ms',
  /** What the pacer waited for: `requests`, `tokens`, `paused`, ... */
  pacingReason: 'openai_integration.pacing.reason',
  /** The circuit state an attempt met: `closed`, `open`, `half-open`. */
  circuitState: 'openai_integration.circuit.state',
  circuitFrom: 'openai_integration.circuit.from',
  circuitTo: 'openai_integration.circuit.to',
  circuitReason: 'openai_integration.circuit.reason',
  fallbackFrom: 'openai_integration.fallback.from_model',
  fallbackTo: 'openai_integration.fallback.to_model',
  fallbackReason: 'openai_integration.fallback.reason',
  budgetUnit: 'openai_integration.budget.unit',
  budgetScope: 'openai_integration.budget.scope',
  budgetLimit: 'openai_integration.budget.limit',
  budgetUsed: 'openai_integration.budget.used',
  budgetRequested: 'openai_integration.budget.requested',
  /** Where a 429 came from: `server`, or `client` (pacing refused the call). */
  rateLimitOrigin: 'openai_integration.rate_limit.origin',
  streamInterruption: 'openai_integration.stream.interruption',
  streamEvents: 'openai_integration.stream.events',
  streamCharacters: 'openai_integration.stream.characters',
  streamToolCalls: 'openai_integration.stream.tool_calls',
} as const;

/** Names of the span events the operations add. */
export const telemetryEvents = {
  retry: 'openai_integration.retry',
  pacingWait: 'openai_integration.pacing.wait',
  circuitChange: 'openai_integration.circuit.change',
  fallback: 'openai_integration.fallback',
  fallbackSkipped: 'openai_integration.fallback.skipped',
  budgetRefused: 'openai_integration.budget.refused',
  firstChunk: 'openai_integration.stream.first_chunk',
  streamInterrupted: 'openai_integration.stream.interrupted',
  /** Prompt event (conventions up to v1.36). */
  prompt: 'gen_ai.content.prompt',
  /** Completion event (conventions up to v1.36). */
  completion: 'gen_ai.content.completion',
} as const;

/** Names of the metrics; the `gen_ai.*` ones are the conventions', the others the package's own. */
export const telemetryMetrics = {
  tokenUsage: 'gen_ai.client.token.usage',
  operationDuration: 'gen_ai.client.operation.duration',
  timeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
  retries: 'openai_integration.client.retries',
  rateLimited: 'openai_integration.client.rate_limited',
  pacingWait: 'openai_integration.client.pacing.wait',
  circuitState: 'openai_integration.client.circuit.state',
  circuitChanges: 'openai_integration.client.circuit.changes',
  budgetRefusals: 'openai_integration.client.budget.refusals',
  cost: 'openai_integration.client.cost',
} as const;

/** The conventions' bucket boundaries for `gen_ai.client.token.usage`. */
export const tokenUsageBuckets: readonly number[] = Object.freeze([
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]);

/** The conventions' bucket boundaries for `gen_ai.client.operation.duration` (seconds). */
export const durationBuckets: readonly number[] = Object.freeze([
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]);
