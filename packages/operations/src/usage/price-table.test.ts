import { describe, expect, it } from 'vitest';
import { defaultModelCatalogue } from '../models/default-model-catalogue.ts';
import { defaultPriceTable, findPrice } from './price-table.ts';

describe('findPrice', () => {
  it('finds exact ids, dated snapshots and -latest aliases, and nothing else', () => {
    expect(findPrice(defaultPriceTable, 'gpt-4o-mini')).toEqual({ input: 0.15, cachedInput: 0.075, output: 0.6 });
    expect(findPrice(defaultPriceTable, 'gpt-4o-mini-2024-07-18')).toBe(defaultPriceTable['gpt-4o-mini']);
    expect(findPrice(defaultPriceTable, 'gpt-4.1-latest')).toBe(defaultPriceTable['gpt-4.1']);
    expect(findPrice(defaultPriceTable, 'gpt-4o-unknown')).toBeUndefined();
    expect(findPrice(defaultPriceTable, 'toString')).toBeUndefined();
  });
});

describe('defaultPriceTable', () => {
  it('holds the price of every model of the catalogue, and only those', () => {
    const priced = defaultModelCatalogue.filter((model) => model.price !== undefined);
    expect(Object.keys(defaultPriceTable).sort()).toEqual(priced.map((model) => model.id).sort());
    for (const model of priced) expect(defaultPriceTable[model.id]).toBe(model.price);
    // A model outside the catalogue has no price: its cost is unknown, never 0.
    expect(findPrice(defaultPriceTable, 'text-embedding-ada-002')).toBeUndefined();
  });
});
