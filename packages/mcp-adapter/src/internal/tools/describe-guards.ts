import type { AgentGuards } from '../../guards/agent-guards.ts';

const budgetText = (budget: AgentGuards['callBudget']): string =>
  [
    budget?.maxTokens === undefined ? null : `${budget.maxTokens} tokens`,
    budget?.maxCostUsd === undefined ? null : `$${budget.maxCostUsd}`,
  ]
    .filter((part) => part !== null)
    .join(' and ');

/**
 * The sentences of a tool description that state the server's limits, so that an
 * agent knows them before it calls: allowed models, the output ceiling and whether it
 * clamps or refuses, and the budgets.
 */
export function describeGuards(
  guards: AgentGuards,
  include: {
    readonly outputCeiling?: boolean;
    readonly models?: boolean;
    readonly defaultModel?: string | undefined;
    readonly budgets?: boolean;
  },
): string[] {
  const sentences: string[] = [];
  if (include.models === true && guards.allowedModels !== undefined) {
    sentences.push(`Only these models are allowed: ${guards.allowedModels.join(', ')}.`);
  }
  if (include.defaultModel !== undefined) sentences.push(`Without \`model\`, ${include.defaultModel} is used.`);
  if (include.outputCeiling === true && guards.maxOutputTokens !== undefined) {
    sentences.push(
      (guards.outputTokenPolicy ?? 'clamp') === 'clamp'
        ? `Output is capped at ${guards.maxOutputTokens} tokens: a larger max_output_tokens is lowered to ${guards.maxOutputTokens} (clamped, and the result says so); without max_output_tokens the cap is used.`
        : `Output is capped at ${guards.maxOutputTokens} tokens: a call with a larger max_output_tokens is refused with an error; without max_output_tokens the cap is used.`,
    );
  }
  if (include.budgets !== false) {
    const call = budgetText(guards.callBudget);
    const session = budgetText(guards.sessionBudget);
    if (call !== '')
      sentences.push(`One call may use at most ${call} (checked from an estimate before the call is sent).`);
    if (session !== '')
      sentences.push(`This session may use at most ${session} in total; openai_usage_report shows what is left.`);
  }
  return sentences;
}
