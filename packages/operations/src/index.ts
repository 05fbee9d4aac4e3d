export { createOperations } from './client/create-operations.ts';
export type { Operations, OperationsHealth, OperationsOptions, SharedStore } from './client/create-operations.ts';
export type { AzureOptions, AzureToken, AzureTokenProvider } from './azure/azure-options.ts';
export type {
  ChatAnswer,
  ChatCallOptions,
  ChatOperations,
  ChatRequest,
  ChatStreamOptions,
  ParsedChatAnswer,
} from './chat/create-chat-operations.ts';
export type {
  ResponsesAnswer,
  ResponsesCreateRequest,
  ResponsesOperations,
} from './responses/create-responses-operations.ts';
export { fromSdkError } from './errors/from-sdk-error.ts';
export type { SdkErrorContext } from './errors/from-sdk-error.ts';
export type { CallOptions, ModelCallOptions, StreamCallOptions } from './call/call-options.ts';
export type { CallMeta, OperationResult, SkippedModel } from './call/call-meta.ts';
export type { ModelStream } from './call/model-stream.ts';
export { shouldFallBack } from './call/should-fall-back.ts';
export type { ChatStreamResult } from './streaming/chat-stream-accumulator.ts';
export type { ResponsesStreamResult } from './streaming/responses-stream-accumulator.ts';
export type { AnswerToolCall, StreamEvent } from './streaming/stream-event.ts';
export { createModelRegistry } from './models/create-model-registry.ts';
export type { ModelRegistry, ModelRequirements, ModelSelection } from './models/create-model-registry.ts';
export { defaultModelCatalogue } from './models/default-model-catalogue.ts';
export type { Modality, ModelDescriptor } from './models/model-descriptor.ts';
export { createUsageTracker } from './usage/create-usage-tracker.ts';
export type {
  PlannedCall,
  UsageBudget,
  UsageEntry,
  UsageReport,
  UsageTotals,
  UsageTracker,
  UsageTrackerOptions,
} from './usage/create-usage-tracker.ts';
export { defaultPriceTable, findPrice } from './usage/price-table.ts';
export type { ModelPrice, PriceTable } from './usage/price-table.ts';
export { countPromptTokens, estimateInputTokens, loadTokenCounter, tokenCounting } from './usage/estimate-tokens.ts';
export type { TokenCounter, TokenCounting } from './usage/estimate-tokens.ts';
export type {
  ListCallOptions,
  ListCollectError,
  ListError,
  ListPage,
  ListSlice,
  ListWalk,
  PageQuery,
} from './pagination/list-walk.ts';
export type { InputItemsQuery, ListOperations, StoredCompletionsQuery } from './pagination/create-list-operations.ts';
export type { ModelList, ModelListOptions, ModelOperations } from './models/create-model-operations.ts';
export { listModels } from './models/list-models.ts';
export type { ListedModel, ModelFilter, RawModel } from './models/list-models.ts';
export { defaultEmbeddingModel } from './embeddings/create-embeddings-operations.ts';
export type {
  EmbeddingRequest,
  EmbeddingsAnswer,
  EmbeddingsBatch,
  EmbeddingsOperations,
  EmbedManyOptions,
} from './embeddings/create-embeddings-operations.ts';
export { decodeEmbedding } from './embeddings/decode-embedding.ts';
export type { FileOperations, FilesQuery, FileUpload } from './files/create-file-operations.ts';
export type { FileSource } from './files/to-upload-file.ts';
export type {
  BatchesQuery,
  BatchOperations,
  BatchRunOptions,
  BatchRunReport,
  BatchSubmitOptions,
  BatchWaitOptions,
} from './batches/create-batch-operations.ts';
export type {
  BatchBodies,
  BatchEndpoint,
  BatchItemOutcome,
  BatchOutcomeSummary,
  BatchRequest,
  BatchResponseBodies,
  BatchResults,
} from './batches/batch-request.ts';
export { batchLimits, toBatchJsonl } from './batches/to-batch-jsonl.ts';
export { parseBatchResults } from './batches/parse-batch-results.ts';
export { moderationCategories } from './moderations/create-moderation-operations.ts';
export type {
  ModerationAnswer,
  ModerationCategory,
  ModerationOperations,
  ModerationRequest,
  ModerationVerdict,
} from './moderations/create-moderation-operations.ts';
// What an app needs to handle the errors of every operation, without installing core itself.
export { isApiError, isErrorTag, isIntegrationError, retryAfterOf } from '@openai-integration/core';
export type {
  ApiError,
  ErrorOf,
  ErrorTag,
  IntegrationError,
  RateLimitSnapshot,
  StreamPartialOutput,
  TokenUsage,
} from '@openai-integration/core';
export { checkModelId, maxModelIdLength, modelIdSchema } from './models/check-model-id.ts';
export {
  durationBuckets,
  genAiAttributes,
  generalAttributes,
  openaiAttributes,
  projectAttributes,
  telemetryEvents,
  telemetryMetrics,
  tokenUsageBuckets,
} from './telemetry/attributes.ts';
export { conventionsFromOptIn, latestGenAiOptIn } from './telemetry/semantic-conventions.ts';
export type { GenAiConventions } from './telemetry/semantic-conventions.ts';
export type { TelemetryOptions } from './telemetry/telemetry-options.ts';
