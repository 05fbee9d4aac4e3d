import { describe, expect, it } from 'vitest';
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
