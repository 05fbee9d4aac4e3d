import { defaultModelCatalogue } from '../models/default-model-catalogue.ts';

/** USD per million tokens for one model. `cachedInput` defaults to `input` when absent. */
export interface ModelPrice {
  readonly input: number;
  readonly cachedInput?: number;
  readonly output: number;
}

/** Prices by model id; a dated snapshot (`gpt-4o-2024-08-06`) uses its base model's price. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * The bundled list prices in USD per million tokens (standard tier): those of the
 * models of `defaultModelCatalogue`, the one list they are kept in. Override or extend
 * them with `createUsageTracker({ prices })`; a model that is in neither is reported
 * with an unknown cost, never as free.
 */
export const defaultPriceTable: PriceTable = Object.freeze(
  Object.fromEntries(
    defaultModelCatalogue.flatMap((model) => (model.price === undefined ? [] : [[model.id, model.price] as const])),
  ),
);

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
