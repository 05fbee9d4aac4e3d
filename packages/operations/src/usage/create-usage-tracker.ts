import { createError, type ErrorOf, type TokenUsage } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { defaultPriceTable, findPrice, type ModelPrice, type PriceTable } from './price-table.ts';

/** One call's usage, as recorded. */
export interface UsageEntry {
  readonly model: string;
  /** e.g. `chat.create`, `chat.stream`, `responses.create`, `embeddings.create`. */
  readonly operation: string;
  readonly usage: TokenUsage;
  /** True when the server never reported usage (a broken stream) and it was estimated. */
  readonly estimated?: boolean;
}

/** Sums over a set of calls. `costUsd` is null when any call's model has no known price. */
export interface UsageTotals {
  readonly requests: number;
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
  readonly totalTokens: number;
  /** Calls whose usage was estimated rather than reported by the server. */
  readonly estimatedRequests: number;
  /** Cost in USD from the price table, or null when unknown (never reported as 0). */
  readonly costUsd: number | null;
}

/** Everything the tracker knows, grouped. */
export interface UsageReport {
  readonly total: UsageTotals;
  readonly byModel: Readonly<Record<string, UsageTotals>>;
  readonly byOperation: Readonly<Record<string, UsageTotals>>;
  /** Models used whose price is not in the table. */
  readonly unpricedModels: readonly string[];
}

/** Limits on what calls may use; both are optional. */
export interface UsageBudget {
  readonly maxTokens?: number;
  readonly maxCostUsd?: number;
}

/** What a call is about to use, for a budget check before it is sent. */
export interface PlannedCall {
  readonly model: string;
  readonly estimatedInputTokens: number;
  /** The call's output limit, when it has one. */
  readonly maxOutputTokens?: number | undefined;
  /** A budget for this call alone. */
  readonly callBudget?: UsageBudget | undefined;
}

/** Options of {@link createUsageTracker}. */
export interface UsageTrackerOptions {
  /** Prices merged over the bundled table (USD per million tokens). */
  readonly prices?: PriceTable;
  /** A budget across every call the tracker records. */
  readonly budget?: UsageBudget;
  /** How many recent entries `entries()` keeps (totals cover every call): a whole number >= 0. Default 1000. */
  readonly keepEntries?: number;
}

/** Records usage by model and operation, prices it, and enforces budgets. */
export interface UsageTracker {
  /** Adds one call's usage to the totals; returns its cost in USD (null for a model without a price). */
  record(entry: UsageEntry): number | null;
  report(): UsageReport;
  /** Forgets every recorded call (the budget starts over). */
  reset(): void;
  /** The most recent recorded calls (see `keepEntries`), oldest first, for export. */
  entries(): readonly UsageEntry[];
  /** The report as pretty JSON, for files and dashboards. */
  exportJson(): string;
  /** The cost of some usage with a model, or null when its price is unknown. */
  costOf(model: string, usage: TokenUsage): number | null;
  /** Whether the tracker has a token or cost budget. */
  hasBudget(): boolean;
  /** What is left of the tracker's budget (null where no limit is set). */
  remaining(): { readonly tokens: number | null; readonly costUsd: number | null };
  /**
   * Refuses a call before it is sent when it would exceed the call's or the tracker's
   * budget.
   *
   * Fails with: `BudgetExceededError`.
   */
  checkBudget(call: PlannedCall): Result<void, ErrorOf<'BudgetExceededError'>>;
}

/** Running totals; money is kept in whole nano-dollars, so that sums are exact. */
interface Totals {
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  totalTokens: number;
  estimatedRequests: number;
  costNanoUsd: number | null;
}

const zero = (): Totals => ({
  requests: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  totalTokens: 0,
  estimatedRequests: 0,
  costNanoUsd: 0,
});

const nanoPerUsd = 1_000_000_000;
/** Nano-dollars for a number of tokens at a price in USD per million tokens (1,000 nano-dollars per token per dollar). */
const nanoFor = (tokens: number, pricePerMillion: number): number => tokens * pricePerMillion * 1_000;
/** Dollars from whole nano-dollars: the double nearest the exact decimal (`0.0000496`, not `0.000049600000000000006`). */
const toUsd = (nano: number): number => nano / nanoPerUsd;

function priceUsageNano(price: ModelPrice, usage: TokenUsage): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  // One rounding per call, to the nano-dollar; every sum after it is of whole numbers.
  return Math.round(
    nanoFor(usage.inputTokens - cached, price.input) +
      nanoFor(cached, price.cachedInput ?? price.input) +
      nanoFor(usage.outputTokens, price.output),
  );
}

const toReport = (totals: Totals): UsageTotals => ({
  requests: totals.requests,
  inputTokens: totals.inputTokens,
  cachedInputTokens: totals.cachedInputTokens,
  outputTokens: totals.outputTokens,
  reasoningTokens: totals.reasoningTokens,
  totalTokens: totals.totalTokens,
  estimatedRequests: totals.estimatedRequests,
  costUsd: totals.costNanoUsd === null ? null : toUsd(totals.costNanoUsd),
});

// Every call that fits its budgets gets the same result.
const fits: Result<void, never> = ok(undefined);

/**
 * Creates a usage tracker: every call's usage by model and operation (requests,
 * input, cached input, output and reasoning tokens), its cost from a bundled,
 * overridable price table, and budgets that refuse a call before it is sent.
 *
 * An unknown model's cost is `null` (unknown), never 0; with a cost budget set, a call
 * to an unpriced model is refused, since it cannot be shown to fit. Throws a TypeError
 * for a `keepEntries` that is not a whole number >= 0.
 *
 * @example
 * const usage = createUsageTracker({ budget: { maxCostUsd: 5 } });
 * usage.report().byModel['gpt-4o-mini']?.costUsd;
 */
export function createUsageTracker(options: UsageTrackerOptions = {}): UsageTracker {
  const prices: PriceTable = { ...defaultPriceTable, ...options.prices };
  const budget = options.budget ?? {};
  const keepEntries = options.keepEntries ?? 1_000;
  if (!Number.isSafeInteger(keepEntries) || keepEntries < 0) {
    throw new TypeError(
      `keepEntries must be a whole number >= 0 (how many recent entries to keep), got ${keepEntries}`,
    );
  }
  // A ring: once full, the oldest entry is overwritten (no shifting a long array per call).
  let recent: UsageEntry[] = [];
  let oldest = 0;
  const ordered = (): UsageEntry[] =>
    oldest === 0 ? [...recent] : [...recent.slice(oldest), ...recent.slice(0, oldest)];
  let total = zero();
  let byModel = new Map<string, Totals>();
  let byOperation = new Map<string, Totals>();

  // Looked up on every call; a model's price does not change for the tracker's life.
  const priceCache = new Map<string, ModelPrice | undefined>();
  const priceOf = (model: string): ModelPrice | undefined => {
    if (!priceCache.has(model)) priceCache.set(model, findPrice(prices, model));
    return priceCache.get(model);
  };
  const costNanoOf = (model: string, usage: TokenUsage): number | null => {
    const price = priceOf(model);
    return price === undefined ? null : priceUsageNano(price, usage);
  };
  const costOf = (model: string, usage: TokenUsage): number | null => {
    const nano = costNanoOf(model, usage);
    return nano === null ? null : toUsd(nano);
  };

  const add = (totals: Totals, entry: UsageEntry, cost: number | null): void => {
    totals.requests += 1;
    totals.inputTokens += entry.usage.inputTokens;
    totals.cachedInputTokens += entry.usage.cachedInputTokens;
    totals.outputTokens += entry.usage.outputTokens;
    totals.reasoningTokens += entry.usage.reasoningTokens;
    totals.totalTokens += entry.usage.totalTokens;
    if (entry.estimated === true) totals.estimatedRequests += 1;
    totals.costNanoUsd = totals.costNanoUsd === null || cost === null ? null : totals.costNanoUsd + cost;
  };

  const group = (map: Map<string, Totals>, key: string): Totals => {
    let totals = map.get(key);
    if (totals === undefined) {
      totals = zero();
      map.set(key, totals);
    }
    return totals;
  };

  const report = (): UsageReport => ({
    total: toReport(total),
    byModel: Object.fromEntries([...byModel].map(([key, totals]) => [key, toReport(totals)])),
    byOperation: Object.fromEntries([...byOperation].map(([key, totals]) => [key, toReport(totals)])),
    unpricedModels: [...byModel.keys()].filter((model) => priceOf(model) === undefined).sort(),
  });

  const exceeded = (
    scope: 'call' | 'tracker',
    unit: 'tokens' | 'usd',
    limit: number,
    used: number,
    requested: number,
    detail: string,
  ): Result<void, ErrorOf<'BudgetExceededError'>> =>
    err(
      createError('BudgetExceededError', {
        message: `${scope === 'call' ? 'call' : 'usage'} budget exceeded: ${detail}; raise the budget, lower max output tokens, or shorten the prompt`,
        unit,
        scope,
        limit,
        used,
        requested,
      }),
    );

  const checkOne = (
    scope: 'call' | 'tracker',
    limits: UsageBudget,
    call: PlannedCall,
    usedTokens: number,
    usedNano: number | null,
  ): Result<void, ErrorOf<'BudgetExceededError'>> => {
    const requestedTokens = call.estimatedInputTokens + (call.maxOutputTokens ?? 0);
    if (limits.maxTokens !== undefined && usedTokens + requestedTokens > limits.maxTokens) {
      return exceeded(
        scope,
        'tokens',
        limits.maxTokens,
        usedTokens,
        requestedTokens,
        `${usedTokens} tokens used + about ${requestedTokens} requested > ${limits.maxTokens}`,
      );
    }
    if (limits.maxCostUsd !== undefined) {
      const price = priceOf(call.model);
      if (price === undefined) {
        return exceeded(
          scope,
          'usd',
          limits.maxCostUsd,
          toUsd(usedNano ?? 0),
          0,
          `the price of model ${call.model} is unknown, so the call cannot be shown to fit a cost budget (add it to the price table)`,
        );
      }
      const requestedNano = Math.round(
        nanoFor(call.estimatedInputTokens, price.input) + nanoFor(call.maxOutputTokens ?? 0, price.output),
      );
      const spentNano = usedNano ?? 0;
      if (spentNano + requestedNano > Math.round(limits.maxCostUsd * nanoPerUsd)) {
        const spent = toUsd(spentNano);
        const requested = toUsd(requestedNano);
        return exceeded(
          scope,
          'usd',
          limits.maxCostUsd,
          spent,
          requested,
          `$${spent.toFixed(6)} spent + about $${requested.toFixed(6)} requested > $${limits.maxCostUsd}`,
        );
      }
    }
    return fits;
  };

  return {
    record(entry) {
      const nano = costNanoOf(entry.model, entry.usage);
      add(total, entry, nano);
      add(group(byModel, entry.model), entry, nano);
      add(group(byOperation, entry.operation), entry, nano);
      if (recent.length < keepEntries) recent.push(entry);
      else if (keepEntries > 0) {
        recent[oldest] = entry;
        oldest = (oldest + 1) % keepEntries;
      }
      return nano === null ? null : toUsd(nano);
    },
    report,
    reset() {
      recent = [];
      oldest = 0;
      total = zero();
      byModel = new Map();
      byOperation = new Map();
    },
    entries: ordered,
    exportJson: () => JSON.stringify({ ...report(), entries: ordered() }, null, 2),
    costOf,
    hasBudget: () => budget.maxTokens !== undefined || budget.maxCostUsd !== undefined,
    remaining() {
      return {
        tokens: budget.maxTokens === undefined ? null : Math.max(0, budget.maxTokens - total.totalTokens),
        costUsd:
          budget.maxCostUsd === undefined || total.costNanoUsd === null
            ? null
            : toUsd(Math.max(0, Math.round(budget.maxCostUsd * nanoPerUsd) - total.costNanoUsd)),
      };
    },
    checkBudget(call) {
      if (call.callBudget !== undefined) {
        const result = checkOne('call', call.callBudget, call, 0, 0);
        if (result.isErr()) return result;
      }
      if (budget.maxTokens === undefined && budget.maxCostUsd === undefined) return fits;
      return checkOne('tracker', budget, call, total.totalTokens, total.costNanoUsd);
    },
  };
}
