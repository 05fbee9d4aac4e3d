export { OpenAIOperations } from './openai-operations.ts';
export type { OpenAIOperationsConfigOptions } from './openai-operations.ts';
export { toEffectOperations } from './to-effect-operations.ts';
export type {
  EffectBatchOperations,
  EffectChatOperations,
  EffectEmbeddingsOperations,
  EffectFileOperations,
  EffectListOperations,
  EffectListWalk,
  EffectModelOperations,
  EffectModerationOperations,
  EffectOperations,
  EffectResponsesOperations,
  EffectStreamEvent,
} from './to-effect-operations.ts';
