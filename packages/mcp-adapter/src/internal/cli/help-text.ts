import { configVariables } from '@openai-integration/core';

/** The text of `openai-mcp --help`. */
export function helpText(version: string): string {
  const openai = configVariables.map(
    (entry) =>
      `  ${entry.variable.padEnd(31)}${entry.description}${entry.defaultValue === null ? '' : ` Default: ${entry.defaultValue}.`}`,
  );
  return [
    `openai-mcp ${version}: the OpenAI API as MCP tools (chat, embeddings, moderation, models, files, batches, usage).`,
    '',
    'Usage:',
    '  openai-mcp                 serve MCP over stdio (for Claude Desktop, VS Code, Cursor, ...)',
    '  openai-mcp --http          serve Streamable HTTP at http://127.0.0.1:3333/mcp',
    '',
    'Options (each also read from the environment or .env under the name in brackets):',
    '  --http                     serve Streamable HTTP instead of stdio',
    '  --host <address>           address to listen on (MCP_HOST). Default 127.0.0.1; any other',
    '                             than loopback requires MCP_AUTH_TOKEN',
    '  --port <number>            port to listen on, 0 for any free port (MCP_PORT). Default 3333',
    '  --allowed-hosts <list>     extra Host header names accepted, comma-separated (MCP_ALLOWED_HOSTS);',
    '                             localhost, 127.0.0.1, [::1] and --host are always accepted',
    '  --allowed-origins <list>   extra browser Origin host names accepted (MCP_ALLOWED_ORIGINS)',
    '  --tools <list>             only these tools (MCP_TOOLS), e.g. openai_chat,openai_usage_report',
    '  --exclude-tools <list>     never these tools (MCP_EXCLUDE_TOOLS)',
    '  --allowed-models <list>    the only models a call may use (MCP_ALLOWED_MODELS)',
    '  --max-output-tokens <n>    ceiling on a chat answer (MCP_MAX_OUTPUT_TOKENS). Default 4096',
    '  --session-idle-minutes <n> close an HTTP session idle this long (MCP_SESSION_IDLE_MINUTES). Default 10',
    '  --output-token-policy <p>  clamp (lower a larger request to the ceiling) or refuse',
    '                             (MCP_OUTPUT_TOKEN_POLICY). Default clamp',
    '  --session-max-tokens <n>   token budget of one MCP session (MCP_SESSION_MAX_TOKENS)',
    '  --session-max-cost-usd <n> cost budget of one MCP session in USD (MCP_SESSION_MAX_COST_USD)',
    '  --call-max-tokens <n>      token budget of one call (MCP_CALL_MAX_TOKENS)',
    '  --call-max-cost-usd <n>    cost budget of one call in USD (MCP_CALL_MAX_COST_USD)',
    '  --env-file <path>          the .env file to read (default .env in the working directory)',
    '  --no-env-file              read no .env file',
    '  -h, --help                 show this help',
    '  -v, --version              show the version',
    '',
    'HTTP security: requests must name an allowed Host (DNS-rebinding protection) and, when',
    'MCP_AUTH_TOKEN is set, carry "Authorization: Bearer <MCP_AUTH_TOKEN>" (401 otherwise).',
    '',
    'OpenAI settings (environment or .env; OPENAI_BASE_URL may point at any compatible endpoint):',
    ...openai,
    '',
    'OpenTelemetry: with OTEL_EXPORTER_OTLP_ENDPOINT in the environment, spans and metrics are',
    'exported over OTLP/HTTP (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS, ... as usual).',
    '',
    'Logs go to standard error; in stdio mode standard output carries the protocol only.',
    'Exit codes: 0 after a clean shutdown (SIGINT, SIGTERM, end of input), 1 on a failure while',
    'running, 2 for a configuration error.',
  ].join('\n');
}
