import type { Operations } from '@openai-integration/operations';
import { McpServer, type Implementation } from '@modelcontextprotocol/server';
import { registerOpenAITools, type OpenAIToolsOptions } from '../tools/register-openai-tools.ts';

/** Options of {@link createOpenAIMcpServer}: the tool options plus the server's identity. */
export interface OpenAIMcpServerOptions extends OpenAIToolsOptions {
  /** Name and version reported to clients (default `openai-integration`, version `0.0.0`). */
  readonly serverInfo?: Implementation;
  /** Instructions for the client's model (default: a short guide to the tools and their costs). */
  readonly instructions?: string;
}

const defaultInstructions = [
  'Tools that call the OpenAI API through this server.',
  'openai_chat asks a chat model; openai_select_model picks a model for stated needs at no cost; openai_embed and openai_moderate embed and screen texts;',
  'openai_batch_submit runs large jobs at half price within 24 hours (follow them with openai_batch_status); openai_usage_report shows what has been spent and what budget is left.',
  'Calls that reach OpenAI cost money; a failed call says in its text whether and when to retry.',
].join(' ');

/**
 * Creates an MCP server with the OpenAI tools registered (see
 * {@link registerOpenAITools}), ready to connect to any transport (stdio, Streamable
 * HTTP, in-memory). A new server per connection is cheap; pass one `sessions` ledger
 * to all of them to keep per-session budgets.
 *
 * Throws a TypeError for the same programming errors as {@link registerOpenAITools}.
 *
 * @example
 * const operations = createOperations()._unsafeUnwrap();
 * const server = createOpenAIMcpServer(operations, { guards: { maxOutputTokens: 2_000 } });
 * await server.connect(new StdioServerTransport());
 */
export function createOpenAIMcpServer(operations: Operations, options: OpenAIMcpServerOptions = {}): McpServer {
  const { serverInfo, instructions, ...toolOptions } = options;
  const server = new McpServer(serverInfo ?? { name: 'openai-integration', version: '0.0.0' }, {
    capabilities: { tools: { listChanged: false } },
    instructions: instructions ?? defaultInstructions,
  });
  registerOpenAITools(server, operations, toolOptions);
  return server;
}
