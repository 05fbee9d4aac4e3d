import type { IntegrationError } from '@openai-integration/core';
import type { ChatRequest } from '@openai-integration/operations';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { limitOutput } from '../guards/limit-output.ts';
import { attributeBudgetError, planBudget } from '../guards/plan-budget.ts';
import { firstAllowed, resolveModel } from '../guards/resolve-model.ts';
import { createProgressReporter } from '../progress/create-progress-reporter.ts';
import { sessionKeyOf, type ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { describeGuards } from './describe-guards.ts';
import { formatUsd } from './format-usd.ts';
import { bounds, boundedText, modelIdSchema } from './bounded-inputs.ts';

const messageSchema = z.object({
  role: z
    .enum(['system', 'developer', 'user', 'assistant'])
    .describe(
      'Who speaks: `system`/`developer` for instructions, `user` for the request, `assistant` for earlier answers.',
    ),
  content: boundedText().describe('The text of the message.'),
});

const inputSchema = z.object({
  messages: z
    .array(messageSchema)
    .max(bounds.messages, `must hold at most ${bounds.messages} messages`)
    .describe(
      'The whole conversation, oldest first (at least one message). The model remembers nothing between calls.',
    ),
  model: modelIdSchema
    .optional()
    .describe(
      'Model id, e.g. `gpt-4o-mini`. Omit for the server default. `openai_select_model` picks one for given needs.',
    ),
  temperature: z
    .number()
    .optional()
    .describe(
      'Sampling temperature from 0 to 2: lower is more focused and repeatable, higher more varied. Omit for the model default.',
    ),
  top_p: z.number().optional().describe('Nucleus sampling from 0 to 1; change this or temperature, not both.'),
  max_output_tokens: z
    .number()
    .int()
    .optional()
    .describe('The most tokens the answer may have; a longer answer is cut (finishReason `length`).'),
  stop: z
    .array(boundedText(bounds.stopSequenceChars))
    .max(bounds.stopSequences, `must hold at most ${bounds.stopSequences} sequences`)
    .optional()
    .describe('Up to 4 sequences where the answer stops.'),
  json: z.boolean().optional().describe('Ask for a JSON object as the answer (the messages must mention JSON).'),
});

const usageSchema = z.object({
  inputTokens: z.number().describe('Prompt tokens.'),
  outputTokens: z.number().describe('Answer tokens (reasoning included).'),
  totalTokens: z.number(),
});

const outputSchema = z.object({
  text: z.string().describe('The answer.'),
  model: z.string().describe('The model that answered.'),
  finishReason: z
    .string()
    .nullable()
    .describe('`stop` (complete), `length` (cut at the output limit), `content_filter`, ...'),
  refusal: z.string().nullable().describe('The refusal, when the model declined to answer.'),
  usage: usageSchema.nullable(),
  costUsd: z.number().nullable().describe('Cost of this call in USD; null when the model has no known price.'),
  maxOutputTokens: z.number().nullable().describe('The output limit the call was sent with.'),
  clampedFromMaxOutputTokens: z
    .number()
    .nullable()
    .describe('The limit asked for when the server ceiling lowered it; null otherwise.'),
  requestId: z.string().nullable().describe('OpenAI request id, for support.'),
});

type ChatMessage = ChatRequest['messages'][number];

function toMessage(message: z.output<typeof messageSchema>): ChatMessage {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'developer':
      return { role: 'developer', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
    case 'assistant':
      return { role: 'assistant', content: message.content };
  }
}

function render(answer: z.input<typeof outputSchema>): string {
  const cut = answer.finishReason === 'length' ? '; cut at the output limit' : '';
  const clamped =
    answer.clampedFromMaxOutputTokens === null
      ? ''
      : `; max_output_tokens lowered from ${answer.clampedFromMaxOutputTokens} to ${answer.maxOutputTokens ?? 0}`;
  const tokens = answer.usage === null ? 'usage unknown' : `${answer.usage.totalTokens} tokens`;
  const body = answer.refusal === null || answer.text !== '' ? answer.text : `(refused) ${answer.refusal}`;
  return `${body}\n\n[${answer.model}, ${tokens}, ${formatUsd(answer.costUsd)}${cut}${clamped}]`;
}

/** The `openai_chat` tool: a streamed chat completion with progress and cancellation. */
export function chatTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations, guards } = context;
  const defaultModel =
    guards.defaultModel ??
    firstAllowed(guards, (model) => (operations.models.registry.get(model)?.kind ?? 'chat') === 'chat');
  return {
    name: 'openai_chat',
    title: 'Ask an OpenAI chat model',
    description: [
      'Sends a conversation to an OpenAI chat model and returns its answer.',
      'Use it to get a second opinion, draft or rewrite text, summarise, translate or classify with another model.',
      'Send the whole conversation in `messages` (instructions first); the model keeps no memory between calls.',
      'Returns the answer text, the model that answered, why it stopped (`length` means the answer was cut at the output limit), token usage, the cost in USD and the request id.',
      'The answer is streamed: a client that sends a progress token receives the text so far as progress notifications, and cancelling the request stops the OpenAI call.',
      'Costs money for every input and output token; answers vary between calls.',
      ...describeGuards(guards, { outputCeiling: true, models: true, defaultModel }),
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: {
      title: 'Ask an OpenAI chat model',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    },
    async run(input, ctx): Promise<Result<ToolAnswer<z.input<typeof outputSchema>>, IntegrationError>> {
      const model = resolveModel(guards, input.model, defaultModel);
      if (model.isErr()) return err(model.error);
      const output = limitOutput(guards, input.max_output_tokens);
      if (output.isErr()) return err(output.error);
      const sessionKey = sessionKeyOf(ctx);
      const plan = planBudget(guards, context.sessions.usage(sessionKey));
      if (plan.isErr()) return err(plan.error);
      const messages = input.messages.map(toMessage);
      const request: ChatRequest = {
        messages,
        ...(model.value === undefined ? {} : { model: model.value }),
        ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
        ...(input.top_p === undefined ? {} : { top_p: input.top_p }),
        ...(output.value.limit === undefined ? {} : { max_completion_tokens: output.value.limit }),
        ...(input.stop === undefined ? {} : { stop: input.stop }),
        ...(input.json === true ? { response_format: { type: 'json_object' as const } } : {}),
      };
      const progress = createProgressReporter(ctx, { intervalMs: context.progressIntervalMs, now: context.now });
      const stream = operations.chat.stream(request, {
        signal: ctx.mcpReq.signal,
        ...(plan.value.budget === undefined ? {} : { budget: plan.value.budget }),
      });
      let text = '';
      for await (const event of stream) {
        if (event.type !== 'text-delta') continue;
        text += event.delta;
        progress.update(text);
      }
      await progress.flush();
      const result = await stream.result;
      // The operations own the usage: they estimate a broken stream's tokens, price and
      // record them; the session is charged exactly what they recorded, never an estimate of its own.
      const meta = await stream.meta;
      if (meta.usage !== null)
        context.sessions.record(sessionKey, { tokens: meta.usage.totalTokens, costUsd: meta.costUsd });
      if (result.isErr()) return err(attributeBudgetError(result.error, plan.value, guards));
      const { value } = result.value;
      const answer: z.input<typeof outputSchema> = {
        text: value.text,
        model: value.model ?? meta.model,
        finishReason: value.finishReason,
        refusal: value.refusal,
        usage:
          meta.usage === null
            ? null
            : {
                inputTokens: meta.usage.inputTokens,
                outputTokens: meta.usage.outputTokens,
                totalTokens: meta.usage.totalTokens,
              },
        costUsd: meta.costUsd,
        maxOutputTokens: output.value.limit ?? null,
        clampedFromMaxOutputTokens: output.value.clampedFrom,
        requestId: meta.requestId,
      };
      return ok({ structured: answer, text: render(answer) });
    },
  };
}
