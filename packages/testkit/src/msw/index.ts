export { createOpenAIHandlers } from './create-openai-handlers.ts';
export type { OpenAIHandlers, OpenAIHandlersOptions } from './create-openai-handlers.ts';
