import type { UsageBudget } from '@openai-integration/operations';

/** What happens to a call that asks for more output tokens than the ceiling allows. */
export type OutputTokenPolicy = 'clamp' | 'refuse';

/**
 * Limits that keep an agent from spending more than intended. Every field is optional;
 * an unset field sets no limit.
 */
export interface AgentGuards {
  /**
   * The only models a tool call may name (chat, embeddings, moderations, model
   * selection). A call that names another model is refused before any request.
   */
  readonly allowedModels?: readonly string[];
  /**
   * The chat model used when a call names none. Default: the first entry of
   * `allowedModels` when an allow-list is set, else the operations' configured model.
   */
  readonly defaultModel?: string;
  /** The most output tokens one chat call may ask for; a call that names no limit gets this one. */
  readonly maxOutputTokens?: number;
  /**
   * `clamp` (default) lowers a larger `max_output_tokens` to the ceiling and says so in
   * the result; `refuse` answers with an error instead.
   */
  readonly outputTokenPolicy?: OutputTokenPolicy;
  /** Tokens and cost one tool call may use (checked before the call from its estimate). */
  readonly callBudget?: UsageBudget;
  /** Tokens and cost all calls of one MCP session may use together. */
  readonly sessionBudget?: UsageBudget;
}
