export {
  createError,
  defaultRetryable,
  isApiError,
  isErrorTag,
  isIntegrationError,
  retryAfterOf,
  withErrorFields,
} from './errors/integration-error.ts';
export type {
  ApiError,
  ApiErrorFields,
  ErrorBase,
  ErrorFieldsByTag,
  ErrorInput,
  ErrorOf,
  ErrorTag,
  IntegrationError,
  RequestPart,
  StreamInterruptReason,
  StreamPartialOutput,
  ContentFilterVerdict,
  TimeoutKind,
} from './errors/integration-error.ts';
export { fromHttpFailure, toContentFilterVerdicts } from './errors/from-http-failure.ts';
export { redactError } from './errors/redact-error.ts';
export type { HttpFailure } from './errors/from-http-failure.ts';
export { toRetryAfterMs, toShouldRetry } from './errors/retry-hint.ts';
export { parseDuration } from './rate-limit/parse-duration.ts';
export type { DurationParseFailure } from './rate-limit/parse-duration.ts';
export { readHeader } from './rate-limit/header-source.ts';
export type { HeaderSource } from './rate-limit/header-source.ts';
export { rateLimitSnapshotSchema, toRateLimitSnapshot } from './rate-limit/rate-limit-snapshot.ts';
export type { RateLimitSnapshot, RateLimitWindow } from './rate-limit/rate-limit-snapshot.ts';
export { REDACTED, redactText } from './logging/redact-text.ts';
export type { LogFields, Logger, LogLevel, LogMethod } from './logging/logger.ts';
export { createLogger } from './logging/create-logger.ts';
export type { CreateLoggerOptions, LogSink } from './logging/create-logger.ts';
export { isLogLevel, levelFromEnv } from './logging/level-from-env.ts';
export { CIRCULAR, OMITTED, redact } from './logging/redact.ts';
export type { RedactOptions } from './logging/redact.ts';
export { withRedaction } from './logging/with-redaction.ts';
export { createSecret, isSecret } from './config/secret.ts';
export type { Secret, SecretSource } from './config/secret.ts';
export { configVariables } from './config/config-variables.ts';
export type { ConfigSetting, ConfigVariable } from './config/config-variables.ts';
export { integrationConfigSchema, loadConfig } from './config/load-config.ts';
export { azureConfigVariables, loadAzureConfig } from './config/load-azure-config.ts';
export type { AzureConfig, LoadAzureConfigOptions } from './config/load-azure-config.ts';
export type { ConfigSource, IntegrationConfig, LoadConfigOptions } from './config/load-config.ts';
export { parseInput } from './models/parse-input.ts';
export { chatContentPartSchema } from './models/chat-content-part.ts';
export type { ChatContentPart } from './models/chat-content-part.ts';
export { toolCallSchema } from './models/tool-call.ts';
export type { ToolCall } from './models/tool-call.ts';
export { chatMessageSchema } from './models/chat-message.ts';
export type { ChatMessage } from './models/chat-message.ts';
export { toolDefinitionSchema } from './models/tool-definition.ts';
export type { ToolDefinition } from './models/tool-definition.ts';
export { responseFormatSchema } from './models/response-format.ts';
export type { ResponseFormat } from './models/response-format.ts';
export { chatCompletionRequestSchema } from './models/chat-completion-request.ts';
export { isPlainChatRequest } from './models/is-plain-chat-request.ts';
export type { ChatCompletionRequest } from './models/chat-completion-request.ts';
export { responsesInputItemSchema } from './models/responses-input-item.ts';
export type { ResponsesInputItem } from './models/responses-input-item.ts';
export { responsesRequestSchema } from './models/responses-request.ts';
export type { ResponsesRequest } from './models/responses-request.ts';
export { addTokenUsage, tokenUsageSchema, toTokenUsage } from './models/token-usage.ts';
export type { TokenUsage } from './models/token-usage.ts';
export { modelInfoSchema } from './models/model-info.ts';
export type { ModelInfo } from './models/model-info.ts';
export { cursorPageSchema, nextCursor } from './models/cursor-page.ts';
export type { CursorPage } from './models/cursor-page.ts';
export { openAIErrorBodySchema } from './models/openai-error-body.ts';
export type { OpenAIErrorBody } from './models/openai-error-body.ts';
export { systemClock } from './clock/clock.ts';
export type { Clock } from './clock/clock.ts';
export { createManualClock } from './clock/create-manual-clock.ts';
export type { ManualClock } from './clock/create-manual-clock.ts';
