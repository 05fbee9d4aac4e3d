/** USD per million tokens for one model. `cachedInput` defaults to `input` when absent. */
export interface ModelPrice {
  readonly input: number;
  readonly cachedInput?: number;
  readonly output: number;
}

/** Prices by model id; a dated snapshot (`gpt-4o-2024-08-06`) uses its base model's price. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * The bundled list prices in USD per million tokens (standard tier), as published
 * by OpenAI when this table was last updated. Override or extend it with
 * `createUsageTracker({ prices })`; a model that is in neither is reported with an
 * unknown cost, never as free.
 */
export const defaultPriceTable: PriceTable = {
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },
  'omni-moderation-latest': { input: 0, output: 0 },
};

const snapshotSuffix = /-(\d{4}-\d{2}-\d{2}|\d{4}|latest|preview)$/;

/**
 * Finds the price of a model: the exact id first, then the id without a dated
 * snapshot suffix (`-2024-08-06`, `-0125`, `-latest`). Returns undefined when unknown.
 */
export function findPrice(table: PriceTable, model: string): ModelPrice | undefined {
  if (Object.hasOwn(table, model)) return table[model];
  let id = model;
  while (snapshotSuffix.test(id)) {
    id = id.replace(snapshotSuffix, '');
    if (Object.hasOwn(table, id)) return table[id];
  }
  return undefined;
}
