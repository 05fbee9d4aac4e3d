import type { IntegrationError, RateLimitSnapshot } from '@openai-integration/core';
import type { UsageTotals } from '@openai-integration/operations';
import { ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { sessionKeyOf, type ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { formatUsd } from './format-usd.ts';

const inputSchema = z.object({});

/** The most circuit breakers one report lists. */
const reportedBreakers = 20;

const totalsSchema = z.object({
  requests: z.number(),
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  totalTokens: z.number(),
  estimatedRequests: z
    .number()
    .describe('Calls whose usage was estimated (the stream broke before the server reported it).'),
  costUsd: z.number().nullable().describe('null when a model used has no known price.'),
});

const windowSchema = z.object({
  limit: z.number().nullable(),
  remaining: z.number().nullable(),
  resetMs: z.number().nullable(),
});

const outputSchema = z.object({
  session: z.object({
    ledger: z
      .string()
      .describe(
        'Whose usage this is: "session" (this HTTP session), "client:<name>" (the client its bearer token names), "client-info:<name>@<version>" (the name the client announces) or "default" (the whole process, e.g. over stdio).',
      ),
    requests: z.number(),
    tokens: z.number(),
    costUsd: z.number(),
    maxTokens: z.number().nullable().describe('The session token budget; null when there is none.'),
    maxCostUsd: z.number().nullable(),
    remainingTokens: z.number().nullable(),
    remainingCostUsd: z.number().nullable(),
  }),
  total: totalsSchema.describe('Every call this server made, all sessions together.'),
  byModel: z.array(totalsSchema.extend({ model: z.string() })),
  unpricedModels: z.array(z.string()),
  budget: z
    .object({ remainingTokens: z.number().nullable(), remainingCostUsd: z.number().nullable() })
    .describe('What is left of the server-wide budget; null where none is set.'),
  breakers: z
    .array(
      z.object({
        key: z.string().describe('endpoint:model'),
        state: z.enum(['closed', 'open', 'half-open']),
        calls: z.number(),
        failures: z.number(),
        consecutiveFailures: z.number(),
        retryAfterMs: z.number().nullable().describe('For an open circuit: how long until calls are tried again.'),
      }),
    )
    .describe(
      `At most ${reportedBreakers} circuit breakers: open ones first, then half-open, then those with the most failures.`,
    ),
  breakersLeftOut: z.number().describe('Breakers not listed because of that bound.'),
  httpSessions: z
    .object({
      open: z.number(),
      expired: z.number().describe('Closed after their idle time.'),
      evicted: z.number().describe('Idle sessions closed to make room for a new client.'),
    })
    .nullable()
    .describe('HTTP sessions of the openai-mcp server; null over stdio.'),
  rateLimit: z
    .object({
      requests: windowSchema,
      tokens: windowSchema,
      observedAt: z.string().describe('ISO time of the response the headers came from.'),
    })
    .nullable()
    .describe('The latest rate-limit headers OpenAI sent; null before any.'),
});

type Output = z.input<typeof outputSchema>;

const totals = (value: UsageTotals): z.input<typeof totalsSchema> => ({
  requests: value.requests,
  inputTokens: value.inputTokens,
  cachedInputTokens: value.cachedInputTokens,
  outputTokens: value.outputTokens,
  reasoningTokens: value.reasoningTokens,
  totalTokens: value.totalTokens,
  estimatedRequests: value.estimatedRequests,
  costUsd: value.costUsd,
});

const toRateLimit = (snapshot: RateLimitSnapshot | null): Output['rateLimit'] =>
  snapshot === null
    ? null
    : {
        requests: {
          limit: snapshot.requests.limit,
          remaining: snapshot.requests.remaining,
          resetMs: snapshot.requests.resetMs,
        },
        tokens: {
          limit: snapshot.tokens.limit,
          remaining: snapshot.tokens.remaining,
          resetMs: snapshot.tokens.resetMs,
        },
        observedAt: new Date(snapshot.observedAt).toISOString(),
      };

function render(report: Output): string {
  const { session } = report;
  const left = [
    session.remainingTokens === null ? null : `${session.remainingTokens} tokens`,
    session.remainingCostUsd === null ? null : formatUsd(session.remainingCostUsd),
  ].filter((part) => part !== null);
  const lines = [
    `session: ${session.requests} calls, ${session.tokens} tokens, ${formatUsd(session.costUsd)}${left.length === 0 ? '' : `; left: ${left.join(', ')}`}`,
    `server: ${report.total.requests} calls, ${report.total.totalTokens} tokens, ${formatUsd(report.total.costUsd)}`,
    ...report.byModel.map(
      (model) => `  ${model.model}: ${model.requests} calls, ${model.totalTokens} tokens, ${formatUsd(model.costUsd)}`,
    ),
  ];
  const open = report.breakers.filter((breaker) => breaker.state !== 'closed');
  const more = report.breakersLeftOut > 0 ? ` (${report.breakersLeftOut} more breakers not listed)` : '';
  lines.push(
    open.length === 0
      ? `circuits: all closed${more}`
      : `circuits: ${open.map((breaker) => `${breaker.key} ${breaker.state}`).join(', ')}${more}`,
  );
  const http = report.httpSessions;
  if (http !== null)
    lines.push(
      `http sessions: ${http.open} open, ${http.expired} closed after their idle time, ${http.evicted} closed to make room`,
    );
  const limit = report.rateLimit;
  if (limit !== null)
    lines.push(
      `rate limit: ${limit.requests.remaining ?? '?'} requests and ${limit.tokens.remaining ?? '?'} tokens left (as of ${limit.observedAt})`,
    );
  return lines.join('\n');
}

/** The `openai_usage_report` tool: tokens and cost by model, budgets left, breakers, rate limits. */
export function usageReportTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations, guards } = context;
  return {
    name: 'openai_usage_report',
    title: 'Report OpenAI usage and limits',
    description: [
      'Reports what this server has spent on OpenAI and what is left.',
      'Use it to check the remaining budget before a large job, or to find out why calls are refused or failing.',
      'Returns tokens and cost for this session and for the whole server by model, the budget left, the state of each circuit breaker (open means calls to that model are paused after repeated failures) and the latest rate-limit headers.',
      'Free and without side effects: no request is sent to OpenAI.',
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: { title: 'Report OpenAI usage and limits', readOnlyHint: true, openWorldHint: false },
    async run(_input, ctx): Promise<Result<ToolAnswer<Output>, IntegrationError>> {
      const usage = operations.usage.report();
      const remaining = operations.usage.remaining();
      const health = await operations.health();
      // Bounded whatever the number of keys: open circuits first, then the ones with most failures.
      const listed = await operations.transport.breakers.list({ limit: reportedBreakers });
      const now = context.now();
      const ledger = sessionKeyOf(ctx);
      const used = context.sessions.usage(ledger);
      const budget = guards.sessionBudget ?? {};
      const report: Output = {
        session: {
          ledger: ctx.sessionId === undefined ? ledger : 'session',
          requests: used.requests,
          tokens: used.tokens,
          costUsd: used.costUsd,
          maxTokens: budget.maxTokens ?? null,
          maxCostUsd: budget.maxCostUsd ?? null,
          remainingTokens: budget.maxTokens === undefined ? null : Math.max(0, budget.maxTokens - used.tokens),
          remainingCostUsd: budget.maxCostUsd === undefined ? null : Math.max(0, budget.maxCostUsd - used.costUsd),
        },
        total: totals(usage.total),
        byModel: Object.entries(usage.byModel).map(([model, value]) => ({ model, ...totals(value) })),
        unpricedModels: [...usage.unpricedModels],
        budget: { remainingTokens: remaining.tokens, remainingCostUsd: remaining.costUsd },
        breakersLeftOut: listed.omitted,
        httpSessions: context.sessions.httpSessions(),
        breakers: listed.breakers.map((breaker) => ({
          key: breaker.key,
          state: breaker.state.type,
          calls: breaker.calls,
          failures: breaker.failures,
          consecutiveFailures: breaker.consecutiveFailures,
          retryAfterMs: breaker.state.type === 'open' ? Math.max(0, breaker.state.halfOpenAt - now) : null,
        })),
        rateLimit: toRateLimit(health.rateLimit),
      };
      return ok({ structured: report, text: render(report) });
    },
  };
}
