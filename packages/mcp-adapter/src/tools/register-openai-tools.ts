import type { Operations } from '@openai-integration/operations';
import type { CallToolResult, McpServer, RegisteredTool } from '@modelcontextprotocol/server';
import { toToolError } from '../errors/to-tool-error.ts';
import { runInToolSpan } from '../telemetry/run-in-tool-span.ts';
import { createSessionLedger, type SessionLedger } from '../sessions/create-session-ledger.ts';
import type { ToolContext } from '../internal/tool-context.ts';
import type { ToolSpec } from '../internal/tool-spec.ts';
import { toolSpecs } from '../internal/tools/tool-specs.ts';
import type { OpenAIToolName } from './openai-tool-names.ts';
import { checkToolsOptions, type OpenAIToolsOptions } from './openai-tools-options.ts';

export type { OpenAIToolsOptions } from './openai-tools-options.ts';

/** What {@link registerOpenAITools} registered. */
export interface RegisteredOpenAITools {
  /** The names of the registered tools, in listing order. */
  readonly names: readonly OpenAIToolName[];
  /** The SDK handles of the registered tools (to `disable()`, `enable()` or `remove()` one later). */
  readonly tools: Readonly<Partial<Record<OpenAIToolName, RegisteredTool>>>;
  /** The ledger that counts session usage. */
  readonly sessions: SessionLedger;
}

const unexpected: CallToolResult = {
  isError: true,
  content: [
    {
      type: 'text',
      text: 'the tool failed unexpectedly (a defect in this server, not in the request); retrying will probably fail the same way',
    },
  ],
};

function register(server: McpServer, spec: ToolSpec, context: ToolContext): RegisteredTool {
  return server.registerTool(
    spec.name,
    {
      title: spec.title,
      description: spec.description,
      inputSchema: spec.inputSchema,
      outputSchema: spec.outputSchema,
      annotations: spec.annotations,
    },
    async (input, ctx): Promise<CallToolResult> => {
      try {
        return await runInToolSpan(spec.name, ctx, async () => {
          const result = await spec.run(input, ctx);
          if (result.isErr()) return toToolError(result.error);
          return { content: [{ type: 'text', text: result.value.text }], structuredContent: result.value.structured };
        });
      } catch (thrown) {
        context.operations.logger.error(
          { tool: spec.name, error: thrown instanceof Error ? thrown.message : String(thrown) },
          'tool handler threw',
        );
        return unexpected;
      }
    },
  );
}

/**
 * Registers the OpenAI operations as MCP tools on a server: `openai_chat`,
 * `openai_embed`, `openai_moderate`, `openai_list_models`, `openai_select_model`,
 * `openai_list_files`, `openai_delete_file`, `openai_batch_submit`,
 * `openai_batch_status`, `openai_batch_cancel` and `openai_usage_report` (or the
 * subset chosen with `tools` and `exclude`).
 *
 * Each tool has a title, a description written for a model (what it does, when to use
 * it, what it returns, its cost and side effects, and the server's limits), zod input
 * and output schemas, annotations, and answers with `structuredContent` plus a short
 * text. Every failure is a tool result with `isError: true` whose text says what to do
 * next (see {@link toToolError}), never a protocol error. `openai_chat` streams: it
 * sends the text so far as progress notifications when the client asked for progress,
 * and a cancelled request aborts the OpenAI call. The `guards` (allowed models, output
 * ceiling, per-call and per-session budgets) are checked before any request is sent.
 *
 * An unknown tool name, a default model outside the allow-list or a budget that is not
 * a positive number is a programming error and throws a TypeError.
 *
 * @example
 * const server = new McpServer({ name: 'openai', version: '1.0.0' });
 * const operations = createOperations()._unsafeUnwrap();
 * registerOpenAITools(server, operations, { exclude: ['openai_delete_file'], guards: { maxOutputTokens: 2_000 } });
 */
export function registerOpenAITools(
  server: McpServer,
  operations: Operations,
  options: OpenAIToolsOptions = {},
): RegisteredOpenAITools {
  checkToolsOptions(options);
  const guards = options.guards ?? {};
  const sessions = options.sessions ?? createSessionLedger();
  const context: ToolContext = {
    operations,
    guards,
    sessions,
    progressIntervalMs: options.progressIntervalMs ?? 250,
    now: options.now ?? Date.now,
  };
  const wanted = new Set(options.tools ?? toolSpecs.map((entry) => entry.name));
  for (const name of options.exclude ?? []) wanted.delete(name);
  const tools: Partial<Record<OpenAIToolName, RegisteredTool>> = {};
  const names: OpenAIToolName[] = [];
  for (const entry of toolSpecs) {
    if (!wanted.has(entry.name)) continue;
    tools[entry.name] = register(server, entry.create(context), context);
    names.push(entry.name);
  }
  return { names, tools, sessions };
}
