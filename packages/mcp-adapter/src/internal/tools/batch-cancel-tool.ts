import type { IntegrationError } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { apiIdSchema } from './bounded-inputs.ts';

const inputSchema = z.object({
  batchId: apiIdSchema('batch_abc123').describe('The batch to cancel, e.g. `batch_abc123`.'),
});

const outputSchema = z.object({
  batchId: z.string(),
  status: z.string().describe('`cancelling`, then `cancelled` once the running requests have stopped.'),
});

type Output = z.input<typeof outputSchema>;

/** The `openai_batch_cancel` tool: stops a running batch. */
export function batchCancelTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations } = context;
  return {
    name: 'openai_batch_cancel',
    title: 'Cancel an OpenAI batch',
    description: [
      'Cancels a batch that has not ended: requests not yet run are dropped (results of finished ones stay available through openai_batch_status). It cannot be undone.',
      'Use it when a submitted batch is no longer wanted, to stop paying for its remaining requests.',
      'Returns the new status (`cancelling`, then `cancelled`); a batch that already ended is a conflict error.',
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: {
      title: 'Cancel an OpenAI batch',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: true,
    },
    async run(input, ctx): Promise<Result<ToolAnswer<Output>, IntegrationError>> {
      const cancelled = await operations.batches.cancel(input.batchId, { signal: ctx.mcpReq.signal });
      if (cancelled.isErr()) return err(cancelled.error);
      const answer: Output = { batchId: cancelled.value.value.id, status: cancelled.value.value.status };
      return ok({ structured: answer, text: `Batch ${answer.batchId} is ${answer.status}.` });
    },
  };
}
