export { registerOpenAITools } from './tools/register-openai-tools.ts';
export type { OpenAIToolsOptions, RegisteredOpenAITools } from './tools/register-openai-tools.ts';
export { isOpenAIToolName, openAIToolNames } from './tools/openai-tool-names.ts';
export type { OpenAIToolName } from './tools/openai-tool-names.ts';
export { createOpenAIMcpServer } from './server/create-openai-mcp-server.ts';
export type { OpenAIMcpServerOptions } from './server/create-openai-mcp-server.ts';
export { toToolError, toolErrorMetaKey } from './errors/to-tool-error.ts';
export type { AgentGuards, OutputTokenPolicy } from './guards/agent-guards.ts';
export { createSessionLedger } from './sessions/create-session-ledger.ts';
export type {
  HttpSessionStats,
  SessionLedger,
  SessionLedgerOptions,
  SessionUsage,
} from './sessions/create-session-ledger.ts';
// What an app needs to handle the errors of the tools and the operations, without installing core itself.
export { isApiError, isErrorTag, isIntegrationError, retryAfterOf } from '@openai-integration/core';
export type { ApiError, ErrorOf, ErrorTag, IntegrationError } from '@openai-integration/core';
// The operations the tools run on, so that an app with only this package installed can build them.
export { createOperations } from '@openai-integration/operations';
export type { Operations, OperationsOptions } from '@openai-integration/operations';
