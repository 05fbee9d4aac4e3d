import type { IntegrationError } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { resolveModel } from '../guards/resolve-model.ts';
import type { ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { describeGuards } from './describe-guards.ts';
import { bounds, boundedText, modelIdSchema } from './bounded-inputs.ts';

const defaultModerationModel = 'omni-moderation-latest';

const inputSchema = z.object({
  input: z
    .union([boundedText(), z.array(boundedText()).max(bounds.inputs, `must hold at most ${bounds.inputs} texts`)])
    .describe('One text, or a list of texts, to check.'),
  model: modelIdSchema.optional().describe('Moderation model (default `omni-moderation-latest`).'),
});

const outputSchema = z.object({
  model: z.string(),
  flagged: z.boolean().describe('True when any input breaks the usage policies.'),
  results: z
    .array(
      z.object({
        flagged: z.boolean(),
        flaggedCategories: z
          .array(z.string())
          .describe('Categories that apply, e.g. `harassment`, `self-harm/intent`.'),
        scores: z.record(z.string(), z.number()).describe('Confidence per category, 0 to 1.'),
      }),
    )
    .describe('One verdict per input text, in input order.'),
});

type Output = z.input<typeof outputSchema>;

/** The `openai_moderate` tool: policy verdicts for texts. */
export function moderateTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations, guards } = context;
  const fallback = guards.allowedModels === undefined ? undefined : defaultModerationModel;
  return {
    name: 'openai_moderate',
    title: 'Check texts against OpenAI usage policies',
    description: [
      "Classifies texts with OpenAI's moderation model: harassment, hate, illicit, self-harm, sexual and violence categories.",
      'Use it to screen user-supplied or generated text before acting on it or showing it.',
      'Returns whether any text is flagged and, per text, the flagged categories and a score from 0 to 1 for each category.',
      'Free of charge and without side effects.',
      ...describeGuards(guards, { models: true, budgets: false }),
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: {
      title: 'Check texts against OpenAI usage policies',
      readOnlyHint: true,
      idempotentHint: true,
      openWorldHint: true,
    },
    async run(input, ctx): Promise<Result<ToolAnswer<Output>, IntegrationError>> {
      const model = resolveModel(guards, input.model, fallback);
      if (model.isErr()) return err(model.error);
      const result = await operations.moderations.create(
        { input: input.input, ...(model.value === undefined ? {} : { model: model.value }) },
        { signal: ctx.mcpReq.signal },
      );
      if (result.isErr()) return err(result.error);
      const { value } = result.value;
      const answer: Output = {
        model: value.model,
        flagged: value.flagged,
        results: value.results.map((verdict) => ({
          flagged: verdict.flagged,
          flaggedCategories: [...verdict.flaggedCategories],
          scores: { ...verdict.scores },
        })),
      };
      const lines = answer.results.map(
        (verdict, index) =>
          `${index + 1}: ${verdict.flagged ? `flagged (${verdict.flaggedCategories.join(', ')})` : 'not flagged'}`,
      );
      return ok({
        structured: answer,
        text: `${answer.flagged ? 'Flagged' : 'Nothing flagged'} by ${answer.model}.\n${lines.join('\n')}`,
      });
    },
  };
}
