import type { UsageBudget } from '@openai-integration/operations';
import type { AgentGuards } from '../guards/agent-guards.ts';
import type { SessionLedger } from '../sessions/create-session-ledger.ts';
import { isOpenAIToolName, type OpenAIToolName } from './openai-tool-names.ts';

/** Options of `registerOpenAITools`; every field is optional. */
export interface OpenAIToolsOptions {
  /** Register only these tools (default: all of {@link openAIToolNames}). */
  readonly tools?: readonly OpenAIToolName[];
  /** Never register these tools (applied after `tools`). */
  readonly exclude?: readonly OpenAIToolName[];
  /** Limits for agents: allowed models, output ceiling, per-call and per-session budgets. */
  readonly guards?: AgentGuards;
  /**
   * Where session usage is counted. Share one ledger between the servers of several
   * sessions (HTTP) so each session keeps its own budget. Default: a new ledger.
   */
  readonly sessions?: SessionLedger;
  /** Minimum time between two progress notifications of one `openai_chat` call, in ms (default 250; 0 sends one per text delta). */
  readonly progressIntervalMs?: number;
  /** The clock for progress throttling and breaker waits, in epoch ms (default `Date.now`). */
  readonly now?: () => number;
}

function checkBudget(name: string, budget: UsageBudget | undefined): void {
  for (const [field, value] of Object.entries(budget ?? {})) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new TypeError(`registerOpenAITools: guards.${name}.${field} must be a positive number`);
    }
  }
}

/**
 * Checks the options of `registerOpenAITools` (programming errors throw a TypeError):
 * tool names, the output ceiling, budgets, and that the default model is allowed.
 */
export function checkToolsOptions(options: OpenAIToolsOptions): void {
  for (const [field, names] of [
    ['tools', options.tools],
    ['exclude', options.exclude],
  ] as const) {
    const unknown = (names ?? []).filter((name) => !isOpenAIToolName(name));
    if (unknown.length > 0)
      throw new TypeError(`registerOpenAITools: unknown tool name(s) in ${field}: ${unknown.join(', ')}`);
  }
  const guards = options.guards ?? {};
  if (
    guards.maxOutputTokens !== undefined &&
    (!Number.isInteger(guards.maxOutputTokens) || guards.maxOutputTokens <= 0)
  ) {
    throw new TypeError('registerOpenAITools: guards.maxOutputTokens must be a positive integer');
  }
  if (
    guards.outputTokenPolicy !== undefined &&
    !(['clamp', 'refuse'] as readonly string[]).includes(guards.outputTokenPolicy)
  ) {
    throw new TypeError("registerOpenAITools: guards.outputTokenPolicy must be 'clamp' or 'refuse'");
  }
  checkBudget('callBudget', guards.callBudget);
  checkBudget('sessionBudget', guards.sessionBudget);
  if (guards.allowedModels?.length === 0)
    throw new TypeError(
      'registerOpenAITools: guards.allowedModels must name at least one model (omit it for no allow-list)',
    );
  if (
    guards.defaultModel !== undefined &&
    guards.allowedModels !== undefined &&
    !guards.allowedModels.includes(guards.defaultModel)
  ) {
    throw new TypeError(
      `registerOpenAITools: guards.defaultModel ${guards.defaultModel} is not in guards.allowedModels`,
    );
  }
  if (
    options.progressIntervalMs !== undefined &&
    (!Number.isFinite(options.progressIntervalMs) || options.progressIntervalMs < 0)
  ) {
    throw new TypeError('registerOpenAITools: progressIntervalMs must be 0 or more');
  }
}
