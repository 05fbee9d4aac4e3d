import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { createOperations, registerOpenAITools } from '@openai-integration/mcp-adapter';

// OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_MODEL, ...) from the environment or .env.
const operations = createOperations();
if (operations.isErr()) {
  console.error(operations.error.message); // names the variable and the fix
  process.exit(2);
}

const server = new McpServer({ name: 'my-openai-tools', version: '1.0.0' });
const { names } = registerOpenAITools(server, operations.value, {
  exclude: ['openai_delete_file', 'openai_batch_cancel'],
  guards: {
    allowedModels: ['gpt-4.1-mini', 'gpt-4o-mini', 'text-embedding-3-small', 'omni-moderation-latest'],
    maxOutputTokens: 2_000, // a larger max_output_tokens is lowered to 2000 (outputTokenPolicy: 'refuse' refuses instead)
    sessionBudget: { maxCostUsd: 1 },
  },
});
console.error(`serving ${names.join(', ')}`); // stdout is the protocol: log to stderr
await server.connect(new StdioServerTransport());
