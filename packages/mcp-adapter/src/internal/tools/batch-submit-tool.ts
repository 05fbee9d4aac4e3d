import type { IntegrationError } from '@openai-integration/core';
import { estimateInputTokens, type BatchEndpoint, type BatchRequest } from '@openai-integration/operations';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { checkPlannedUsage, type PlannedUsage } from '../guards/check-planned-usage.ts';
import { limitOutput } from '../guards/limit-output.ts';
import { planBudget } from '../guards/plan-budget.ts';
import { resolveModel } from '../guards/resolve-model.ts';
import { sessionKeyOf, type ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { describeGuards } from './describe-guards.ts';
import { bounds, boundedText } from './bounded-inputs.ts';

const endpoints = ['/v1/chat/completions', '/v1/embeddings', '/v1/responses', '/v1/moderations'] as const;

/** The body field that bounds the output of each endpoint (none for embeddings and moderations). */
const outputField: Readonly<Record<BatchEndpoint, string | null>> = {
  '/v1/chat/completions': 'max_completion_tokens',
  '/v1/responses': 'max_output_tokens',
  '/v1/embeddings': null,
  '/v1/moderations': null,
};

const inputSchema = z.object({
  endpoint: z.enum(endpoints).optional().describe('The API every request goes to (default `/v1/chat/completions`).'),
  requests: z
    .array(
      z.object({
        customId: z
          .string()
          .min(1)
          .max(bounds.customIdChars, `must be at most ${bounds.customIdChars} characters`)
          .describe('Your id for the request, unique in the batch; results are matched by it.'),
        body: z
          .record(z.string(), z.unknown())
          .describe(
            'The request body as for the endpoint, with `model`, e.g. `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"..."}]}`.',
          ),
      }),
    )
    .max(50_000, 'must hold at most 50000 requests')
    .describe('The requests of the batch (1 to 50000).'),
  metadata: z
    .record(boundedText(bounds.metadataKeyChars), boundedText(bounds.metadataValueChars))
    .refine(
      (labels) => Object.keys(labels).length <= bounds.metadataEntries,
      `must have at most ${bounds.metadataEntries} labels`,
    )
    .optional()
    .describe('Up to 16 key-value labels kept with the batch.'),
});

const outputSchema = z.object({
  batchId: z.string().describe('Pass it to openai_batch_status.'),
  status: z.string().describe('Usually `validating` right after submission.'),
  endpoint: z.string(),
  inputFileId: z.string(),
  requests: z.number(),
  createdAt: z.string(),
  expiresAt: z.string().nullable().describe('When the batch expires if it has not finished (24 hours).'),
  clampedRequests: z.number().describe('Requests whose output limit the server ceiling lowered.'),
});

type Output = z.input<typeof outputSchema>;

const iso = (seconds: number | null | undefined): string | null =>
  typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1_000).toISOString() : null;

/** The `openai_batch_submit` tool: submits requests to the Batch API (half price, done within 24 h). */
export function batchSubmitTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations, guards } = context;
  return {
    name: 'openai_batch_submit',
    title: 'Submit an OpenAI batch',
    description: [
      'Submits many requests (chat completions, responses, embeddings or moderations) as one OpenAI batch: about half the price of direct calls, finished within 24 hours.',
      'Use it for large jobs that need no immediate answer; check progress and collect results with openai_batch_status.',
      'Uploads the requests as a JSONL file and creates the batch; returns the batch id and status.',
      'Costs money when the batch runs (for every request); submitting twice runs the requests twice.',
      ...describeGuards(guards, { outputCeiling: true, models: true }),
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: {
      title: 'Submit an OpenAI batch',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    },
    async run(input, ctx): Promise<Result<ToolAnswer<Output>, IntegrationError>> {
      const endpoint: BatchEndpoint = input.endpoint ?? '/v1/chat/completions';
      const field = outputField[endpoint];
      const plan = planBudget(guards, context.sessions.usage(sessionKeyOf(ctx)));
      if (plan.isErr()) return err(plan.error);
      const planned: PlannedUsage[] = [];
      const bodies: Record<string, unknown>[] = [];
      let clampedRequests = 0;
      for (const request of input.requests) {
        const named = request.body['model'];
        const model = resolveModel(guards, typeof named === 'string' ? named : undefined, undefined);
        if (model.isErr()) return err(model.error);
        let body: Record<string, unknown> = request.body;
        let outputTokens = 0;
        if (field !== null) {
          const asked = body[field] ?? body['max_tokens'];
          const limit = limitOutput(guards, typeof asked === 'number' ? asked : undefined);
          if (limit.isErr()) return err(limit.error);
          if (limit.value.clampedFrom !== null) clampedRequests += 1;
          if (limit.value.limit !== undefined) {
            const { max_tokens: _dropped, ...rest } = body;
            body = { ...rest, [field]: limit.value.limit };
            outputTokens = limit.value.limit;
          }
        }
        bodies.push(body);
        const prompt = body['messages'] ?? body['input'] ?? '';
        planned.push({ model: model.value ?? 'unknown', inputTokens: await estimateInputTokens(prompt), outputTokens });
      }
      const fits = checkPlannedUsage(operations, plan.value, guards, planned);
      if (fits.isErr()) return err(fits.error);
      // The bodies are checked line by line by `submit` (a ValidationError names each request at fault).
      const requests = input.requests.map((request, index) => ({
        customId: request.customId,
        body: bodies[index],
      })) as unknown as readonly BatchRequest[];
      const submitted = await operations.batches.submit(requests, {
        endpoint,
        signal: ctx.mcpReq.signal,
        ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
      });
      if (submitted.isErr()) return err(submitted.error);
      const batch = submitted.value.value;
      const answer: Output = {
        batchId: batch.id,
        status: batch.status,
        endpoint: batch.endpoint,
        inputFileId: batch.input_file_id,
        requests: input.requests.length,
        createdAt: iso(batch.created_at) ?? new Date(0).toISOString(),
        expiresAt: iso(batch.expires_at),
        clampedRequests,
      };
      const clamped =
        clampedRequests === 0 ? '' : ` (${clampedRequests} with max output lowered to ${guards.maxOutputTokens ?? 0})`;
      return ok({
        structured: answer,
        text: `Submitted batch ${answer.batchId} with ${answer.requests} requests${clamped} to ${endpoint}: ${answer.status}. Check it with openai_batch_status.`,
      });
    },
  };
}
