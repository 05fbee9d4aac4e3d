import type { IntegrationError } from '@openai-integration/core';
import { defaultEmbeddingModel, estimateInputTokens } from '@openai-integration/operations';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { checkPlannedUsage } from '../guards/check-planned-usage.ts';
import { planBudget } from '../guards/plan-budget.ts';
import { firstAllowed, resolveModel } from '../guards/resolve-model.ts';
import { sessionKeyOf, type ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { describeGuards } from './describe-guards.ts';
import { formatUsd } from './format-usd.ts';
import { bounds, boundedText, modelIdSchema } from './bounded-inputs.ts';

const inputSchema = z.object({
  input: z
    .union([boundedText(), z.array(boundedText()).max(bounds.inputs, `must hold at most ${bounds.inputs} texts`)])
    .describe('One text, or a list of up to 2048 texts (none empty).'),
  model: modelIdSchema
    .optional()
    .describe('Embedding model, e.g. `text-embedding-3-small` (default) or `text-embedding-3-large`.'),
  dimensions: z.number().int().optional().describe('Shorter vectors (text-embedding-3 models only), e.g. 256.'),
});

const outputSchema = z.object({
  model: z.string(),
  dimensions: z.number().describe('Length of each vector.'),
  embeddings: z.array(z.array(z.number())).describe('One vector per input text, in input order.'),
  usage: z.object({ inputTokens: z.number(), totalTokens: z.number() }).nullable(),
  costUsd: z.number().nullable(),
  requestId: z.string().nullable(),
});

type Output = z.input<typeof outputSchema>;

/** The `openai_embed` tool: embedding vectors for one or more texts. */
export function embedTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations, guards } = context;
  const fallback =
    firstAllowed(guards, (model) => operations.models.registry.get(model)?.kind === 'embedding') ??
    (guards.allowedModels === undefined ? undefined : defaultEmbeddingModel);
  return {
    name: 'openai_embed',
    title: 'Embed texts with OpenAI',
    description: [
      'Turns texts into embedding vectors with an OpenAI embedding model.',
      'Use it for semantic search, clustering, deduplication or similarity between texts: similar meanings give vectors with a high cosine similarity.',
      'Returns one vector per text in input order (in structured content; the text result only summarises), the model, the usage and the cost.',
      'Costs money per input token (cheap); the same input gives the same vectors.',
      ...describeGuards(guards, { models: true }),
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: {
      title: 'Embed texts with OpenAI',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async run(input, ctx): Promise<Result<ToolAnswer<Output>, IntegrationError>> {
      const model = resolveModel(guards, input.model, fallback);
      if (model.isErr()) return err(model.error);
      const sessionKey = sessionKeyOf(ctx);
      const plan = planBudget(guards, context.sessions.usage(sessionKey));
      if (plan.isErr()) return err(plan.error);
      const inputTokens = await estimateInputTokens(input.input);
      const fits = checkPlannedUsage(operations, plan.value, guards, [
        { model: model.value ?? defaultEmbeddingModel, inputTokens, outputTokens: 0 },
      ]);
      if (fits.isErr()) return err(fits.error);
      const result = await operations.embeddings.create(
        {
          input: input.input,
          ...(model.value === undefined ? {} : { model: model.value }),
          ...(input.dimensions === undefined ? {} : { dimensions: input.dimensions }),
        },
        { signal: ctx.mcpReq.signal },
      );
      if (result.isErr()) return err(result.error);
      const { value, meta } = result.value;
      context.sessions.record(sessionKey, { tokens: meta.usage?.totalTokens ?? 0, costUsd: meta.costUsd });
      const answer: Output = {
        model: value.model,
        dimensions: value.embeddings[0]?.length ?? 0,
        embeddings: value.embeddings.map((vector) => [...vector]),
        usage:
          meta.usage === null ? null : { inputTokens: meta.usage.inputTokens, totalTokens: meta.usage.totalTokens },
        costUsd: meta.costUsd,
        requestId: meta.requestId,
      };
      const texts = value.embeddings.length === 1 ? '1 text' : `${value.embeddings.length} texts`;
      const tokens = answer.usage === null ? 'usage unknown' : `${answer.usage.totalTokens} tokens`;
      return ok({
        structured: answer,
        text: `Embedded ${texts} with ${answer.model}: ${answer.dimensions} dimensions each, ${tokens}, ${formatUsd(answer.costUsd)}. The vectors are in the structured result (embeddings).`,
      });
    },
  };
}
