import { createError, type IntegrationError } from '@openai-integration/core';
import type { ModelFilter } from '@openai-integration/operations';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { bounds, boundedText } from './bounded-inputs.ts';

const inputSchema = z.object({
  prefix: boundedText(bounds.shortText).optional().describe('Only ids that start with this, e.g. `gpt-4.1`.'),
  ownedBy: boundedText(bounds.shortText)
    .optional()
    .describe('Only models of this owner, e.g. `openai`, `system`, or an organisation for fine-tunes.'),
  createdAfter: boundedText(40)
    .optional()
    .describe('Only models created on or after this date (ISO 8601, e.g. `2025-01-01`).'),
  kind: z
    .enum(['chat', 'embedding', 'moderation'])
    .optional()
    .describe('Only models of this kind (from the server catalogue).'),
  tools: z.boolean().optional().describe('Only models with tool calling.'),
  structuredOutput: z.boolean().optional().describe('Only models with structured output.'),
  reasoning: z.boolean().optional().describe('Only reasoning models.'),
  sortBy: z.enum(['id', 'created']).optional().describe('Sort by `id` (default) or `created`.'),
  order: z.enum(['asc', 'desc']).optional().describe('`asc` (default) or `desc`.'),
  limit: z.number().int().optional().describe('Show at most this many models (1 to 500, default 100).'),
  refresh: z.boolean().optional().describe('Fetch the list again instead of using the copy cached for 5 minutes.'),
});

const outputSchema = z.object({
  models: z.array(
    z.object({
      id: z.string(),
      created: z.string().nullable().describe('Creation date (ISO 8601), when the API says.'),
      ownedBy: z.string(),
      kind: z
        .string()
        .nullable()
        .describe('`chat`, `embedding` or `moderation`; null when the catalogue does not know the model.'),
      contextWindow: z.number().nullable(),
      maxOutputTokens: z.number().nullable(),
      allowed: z.boolean().describe('Whether this server lets tool calls use the model.'),
    }),
  ),
  total: z.number().describe('Models the endpoint lists before filtering.'),
  matching: z.number().describe('Models that pass the filters (more than `models` when `limit` cut the list).'),
  fromCache: z.boolean(),
});

type Output = z.input<typeof outputSchema>;

const invalid = (path: string, message: string): IntegrationError =>
  createError('ValidationError', {
    message: `invalid argument ${path}: ${message}`,
    issues: [{ path, message, code: 'invalid_value' }],
  });

/** The `openai_list_models` tool: the endpoint's models, filtered. */
export function listModelsTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations, guards } = context;
  return {
    name: 'openai_list_models',
    title: 'List OpenAI models',
    description: [
      'Lists the models the OpenAI endpoint serves, filtered by id prefix, owner, creation date, kind or capability and sorted.',
      'Use it to check that a model exists or to see what is available; use openai_select_model to choose one for a task.',
      'Returns each model id with its creation date, owner, kind and limits (when the server catalogue knows them) and whether this server allows it.',
      'Free; reads only (the list is cached for 5 minutes unless refresh is set).',
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: { title: 'List OpenAI models', readOnlyHint: true, openWorldHint: true },
    async run(input, ctx): Promise<Result<ToolAnswer<Output>, IntegrationError>> {
      const limit = input.limit ?? 100;
      if (limit < 1 || limit > 500) return err(invalid('limit', 'must be from 1 to 500'));
      let createdAfter: Date | undefined;
      if (input.createdAfter !== undefined) {
        createdAfter = new Date(input.createdAfter);
        if (Number.isNaN(createdAfter.getTime()))
          return err(invalid('createdAfter', 'must be an ISO 8601 date such as 2025-01-01'));
      }
      const filter: ModelFilter = {
        ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
        ...(input.ownedBy === undefined ? {} : { ownedBy: input.ownedBy }),
        ...(createdAfter === undefined ? {} : { createdAfter }),
        ...(input.kind === undefined ? {} : { kind: input.kind }),
        ...(input.tools === undefined ? {} : { tools: input.tools }),
        ...(input.structuredOutput === undefined ? {} : { structuredOutput: input.structuredOutput }),
        ...(input.reasoning === undefined ? {} : { reasoning: input.reasoning }),
        ...(input.sortBy === undefined ? {} : { sortBy: input.sortBy }),
        ...(input.order === undefined ? {} : { order: input.order }),
      };
      const listed = await operations.models.list(filter, {
        signal: ctx.mcpReq.signal,
        ...(input.refresh === true ? { refresh: true } : {}),
      });
      if (listed.isErr()) return err(listed.error);
      const { value } = listed.value;
      const answer: Output = {
        models: value.models.slice(0, limit).map((model) => ({
          id: model.id,
          created: model.created > 0 ? new Date(model.created * 1_000).toISOString() : null,
          ownedBy: model.ownedBy,
          kind: model.descriptor?.kind ?? null,
          contextWindow: model.descriptor?.contextWindow ?? null,
          maxOutputTokens: model.descriptor?.maxOutputTokens ?? null,
          allowed: guards.allowedModels?.includes(model.id) ?? true,
        })),
        total: value.total,
        matching: value.models.length,
        fromCache: value.fromCache,
      };
      const shown = answer.models.map((model) => `${model.id}${model.allowed ? '' : ' (not allowed here)'}`).join(', ');
      const cut = answer.matching > answer.models.length ? ` (first ${answer.models.length})` : '';
      return ok({
        structured: answer,
        text: `${answer.matching} of ${answer.total} models match${cut}: ${shown === '' ? 'none' : shown}`,
      });
    },
  };
}
