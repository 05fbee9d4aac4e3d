import type { IntegrationError } from '@openai-integration/core';
import type { ModelRequirements } from '@openai-integration/operations';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { describeGuards } from './describe-guards.ts';
import { bounds, modelIdSchema } from './bounded-inputs.ts';

const inputSchema = z.object({
  promptTokens: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('About how many tokens the prompt has (a token is about 4 characters of English).'),
  outputTokens: z.number().int().nonnegative().optional().describe('How many tokens the answer needs room for.'),
  tools: z.boolean().optional().describe('The model must support tool (function) calling.'),
  structuredOutput: z.boolean().optional().describe('The model must support JSON-schema structured output.'),
  reasoning: z
    .boolean()
    .optional()
    .describe('The model must be a reasoning model (slower, better at multi-step problems).'),
  inputModalities: z
    .array(z.enum(['text', 'image', 'audio']))
    .optional()
    .describe('Kinds of input the model must accept.'),
  kind: z
    .enum(['chat', 'embedding', 'moderation'])
    .optional()
    .describe('`chat` (default), `embedding` or `moderation`.'),
  prefer: z
    .enum(['cheapest', 'largest-context', 'most-capable'])
    .optional()
    .describe('How to rank the models that fit: `cheapest` (default), `largest-context` or `most-capable`.'),
  exclude: z
    .array(modelIdSchema)
    .max(bounds.excludedModels, `must hold at most ${bounds.excludedModels} models`)
    .optional()
    .describe('Model ids that must not be chosen.'),
});

const priceSchema = z.object({
  inputPerMillionUsd: z.number(),
  cachedInputPerMillionUsd: z.number().nullable(),
  outputPerMillionUsd: z.number(),
});

const outputSchema = z.object({
  model: z.string().describe('The chosen model id; pass it as `model` to openai_chat.'),
  reason: z.string().describe('Why it was chosen.'),
  contextWindow: z.number().describe('Prompt plus output, in tokens.'),
  maxOutputTokens: z.number(),
  reasoning: z.boolean(),
  tools: z.boolean(),
  structuredOutput: z.boolean(),
  inputModalities: z.array(z.string()),
  price: priceSchema.nullable().describe('List price in USD per million tokens; null when unknown.'),
  alternatives: z.array(z.string()).describe('Other models that fit, best first.'),
  rejected: z.array(z.object({ model: z.string(), reason: z.string() })).describe('Models that do not fit, and why.'),
});

/** The `openai_select_model` tool: requirements in, the best model and the reason out. */
export function selectModelTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations, guards } = context;
  return {
    name: 'openai_select_model',
    title: 'Choose an OpenAI model',
    description: [
      "Chooses the best OpenAI model for stated needs (prompt and output size, tool calling, structured output, reasoning, image input) from the server's model catalogue.",
      'Use it before openai_chat when unsure which model fits or to keep cost down.',
      'Returns the chosen model id, the reason, its limits and list price, the other models that fit and why the rest do not.',
      'Free and without side effects: no request is sent to OpenAI.',
      ...describeGuards(guards, { models: true, budgets: false }),
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: { title: 'Choose an OpenAI model', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    run(input): Promise<Result<ToolAnswer<z.input<typeof outputSchema>>, IntegrationError>> {
      const requirements: ModelRequirements = {
        ...(input.promptTokens === undefined ? {} : { promptTokens: input.promptTokens }),
        ...(input.outputTokens === undefined ? {} : { outputTokens: input.outputTokens }),
        ...(input.tools === undefined ? {} : { tools: input.tools }),
        ...(input.structuredOutput === undefined ? {} : { structuredOutput: input.structuredOutput }),
        ...(input.reasoning === undefined ? {} : { reasoning: input.reasoning }),
        ...(input.inputModalities === undefined ? {} : { inputModalities: input.inputModalities }),
        ...(input.kind === undefined ? {} : { kind: input.kind }),
        ...(input.prefer === undefined ? {} : { prefer: input.prefer }),
        ...(input.exclude === undefined ? {} : { exclude: input.exclude }),
        ...(guards.allowedModels === undefined ? {} : { allow: guards.allowedModels }),
      };
      const selected = operations.models.select(requirements);
      if (selected.isErr()) return Promise.resolve(err(selected.error));
      const { model, reason, alternatives, rejected } = selected.value;
      const answer: z.input<typeof outputSchema> = {
        model: model.id,
        reason,
        contextWindow: model.contextWindow,
        maxOutputTokens: model.maxOutputTokens,
        reasoning: model.reasoning,
        tools: model.tools,
        structuredOutput: model.structuredOutput,
        inputModalities: [...model.inputModalities],
        price:
          model.price === undefined
            ? null
            : {
                inputPerMillionUsd: model.price.input,
                cachedInputPerMillionUsd: model.price.cachedInput ?? null,
                outputPerMillionUsd: model.price.output,
              },
        alternatives: [...alternatives],
        rejected: rejected.map((entry) => ({ model: entry.id, reason: entry.reason })),
      };
      const more = alternatives.length === 0 ? '' : `; alternatives: ${alternatives.slice(0, 5).join(', ')}`;
      return Promise.resolve(ok({ structured: answer, text: `${model.id}: ${reason}${more}` }));
    },
  };
}
