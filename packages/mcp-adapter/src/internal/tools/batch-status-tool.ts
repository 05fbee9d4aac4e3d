import type { IntegrationError } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { sessionKeyOf, type ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { formatUsd } from './format-usd.ts';
import { summarizeBatchBody } from './summarize-batch-body.ts';
import { apiIdSchema } from './bounded-inputs.ts';

const inputSchema = z.object({
  batchId: apiIdSchema('batch_abc123').describe('The batch id from openai_batch_submit, e.g. `batch_abc123`.'),
  results: z.boolean().optional().describe('Collect the results once the batch has ended (default true).'),
  maxResults: z.number().int().optional().describe('Show at most this many results (1 to 500, default 50).'),
});

const outputSchema = z.object({
  batchId: z.string(),
  status: z
    .string()
    .describe(
      '`validating`, `in_progress`, `finalizing`, `completed`, `failed`, `expired`, `cancelling` or `cancelled`.',
    ),
  ended: z.boolean().describe('True once the batch will not change any more.'),
  requestCounts: z.object({ total: z.number(), completed: z.number(), failed: z.number() }),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  outputFileId: z.string().nullable(),
  errorFileId: z.string().nullable(),
  errors: z.array(z.string()).describe('Why the batch failed validation, when it did.'),
  summary: z
    .object({ succeeded: z.number(), failed: z.number(), notRun: z.number() })
    .nullable()
    .describe('Outcomes by kind, once results were collected.'),
  results: z
    .array(
      z.object({
        customId: z.string(),
        outcome: z.enum(['succeeded', 'failed', 'not-run']),
        text: z.string().nullable().describe('The answer (chat, responses), or a summary of the body.'),
        error: z.string().nullable(),
      }),
    )
    .nullable(),
  moreResults: z.number().describe('Results not shown because of maxResults.'),
  usage: z.object({ totalTokens: z.number(), costUsd: z.number().nullable() }).nullable(),
});

type Output = z.input<typeof outputSchema>;

const ended = new Set(['completed', 'failed', 'expired', 'cancelled']);
const iso = (seconds: number | null | undefined): string | null =>
  typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1_000).toISOString() : null;

/** The `openai_batch_status` tool: a batch's state and, once it ended, its results. */
export function batchStatusTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations } = context;
  const counted = new Set<string>();
  return {
    name: 'openai_batch_status',
    title: 'Check an OpenAI batch',
    description: [
      'Reports the state of a batch submitted with openai_batch_submit and, once it has ended, its results.',
      'Use it to poll a batch (every few minutes is enough: batches take minutes to hours) and to collect the answers.',
      "Returns the status, request counts, file ids and, for an ended batch, each request's outcome matched by customId with the answer text or the error.",
      'Reading is free; the batch itself was paid for when it ran.',
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: { title: 'Check an OpenAI batch', readOnlyHint: true, openWorldHint: true },
    async run(input, ctx): Promise<Result<ToolAnswer<Output>, IntegrationError>> {
      const maxResults = Math.min(500, Math.max(1, input.maxResults ?? 50));
      const retrieved = await operations.batches.retrieve(input.batchId, { signal: ctx.mcpReq.signal });
      if (retrieved.isErr()) return err(retrieved.error);
      const batch = retrieved.value.value;
      const done = ended.has(batch.status);
      let summary: Output['summary'] = null;
      let results: Output['results'] = null;
      let moreResults = 0;
      let usage: Output['usage'] = null;
      const hasOutput = batch.output_file_id != null || batch.error_file_id != null;
      if (done && hasOutput && input.results !== false) {
        const collected = await operations.batches.results(batch, { signal: ctx.mcpReq.signal });
        if (collected.isErr()) return err(collected.error);
        const { value, meta } = collected.value;
        summary = { succeeded: value.summary.succeeded, failed: value.summary.failed, notRun: value.summary.notRun };
        results = value.items.slice(0, maxResults).map((item) => ({
          customId: item.customId,
          outcome: item.type,
          text: item.type === 'succeeded' ? summarizeBatchBody(item.body) : null,
          error: item.type === 'failed' ? item.error.message : item.type === 'not-run' ? item.reason : null,
        }));
        moreResults = Math.max(0, value.items.length - maxResults);
        if (meta.usage !== null) {
          usage = { totalTokens: meta.usage.totalTokens, costUsd: meta.costUsd };
          if (!counted.has(batch.id)) {
            counted.add(batch.id);
            context.sessions.record(sessionKeyOf(ctx), { tokens: meta.usage.totalTokens, costUsd: meta.costUsd });
          }
        }
      }
      const counts = batch.request_counts;
      const answer: Output = {
        batchId: batch.id,
        status: batch.status,
        ended: done,
        requestCounts: { total: counts?.total ?? 0, completed: counts?.completed ?? 0, failed: counts?.failed ?? 0 },
        createdAt: iso(batch.created_at) ?? new Date(0).toISOString(),
        completedAt: iso(batch.completed_at),
        outputFileId: batch.output_file_id ?? null,
        errorFileId: batch.error_file_id ?? null,
        errors: (batch.errors?.data ?? []).map(
          (entry) => `${entry.line == null ? '' : `line ${entry.line}: `}${entry.message ?? entry.code ?? 'error'}`,
        ),
        summary,
        results,
        moreResults,
        usage,
      };
      const lines = [
        `Batch ${answer.batchId}: ${answer.status} (${answer.requestCounts.completed} of ${answer.requestCounts.total} done, ${answer.requestCounts.failed} failed).`,
      ];
      if (!done) lines.push('Not finished yet: check again in a few minutes.');
      if (answer.errors.length > 0) lines.push(`Errors: ${answer.errors.join('; ')}`);
      if (summary !== null)
        lines.push(
          `Results: ${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.notRun} not run${usage === null ? '' : `; ${usage.totalTokens} tokens, ${formatUsd(usage.costUsd)}`}.`,
        );
      for (const result of results ?? [])
        lines.push(
          `${result.customId}: ${result.outcome === 'succeeded' ? (result.text ?? '') : `${result.outcome}: ${result.error ?? ''}`}`,
        );
      if (moreResults > 0) lines.push(`... and ${moreResults} more (raise maxResults).`);
      return ok({ structured: answer, text: lines.join('\n') });
    },
  };
}
