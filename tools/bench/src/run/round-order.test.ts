import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundOrder } from './round-order.ts';

/** How often each name runs in each position, and right after each other name, over `rounds` rounds. */
function tally(
  names: readonly string[],
  rounds: number,
): { positions: Map<string, number>; successions: Map<string, number> } {
  const positions = new Map<string, number>();
  const successions = new Map<string, number>();
  for (let round = 0; round < rounds; round += 1) {
    const order = roundOrder(names, round);
    expect([...order].sort()).toEqual([...names].sort());
    order.forEach((name, index) => {
      positions.set(`${name}@${index}`, (positions.get(`${name}@${index}`) ?? 0) + 1);
      const before = order[index - 1];
      if (before !== undefined) successions.set(`${before}>${name}`, (successions.get(`${before}>${name}`) ?? 0) + 1);
    });
  }
  return { positions, successions };
}

describe('roundOrder', () => {
  it('balances positions and predecessors over a cycle of the five contenders (ten rounds)', () => {
    const names = ['fetch', 'openai', 'operations', 'ai-sdk', 'langchain'];
    const { positions, successions } = tally(names, 10);
    expect(positions.size).toBe(25);
    expect(new Set(positions.values())).toEqual(new Set([2]));
    // Every ordered pair of different names, twice each.
    expect(successions.size).toBe(20);
    expect(new Set(successions.values())).toEqual(new Set([2]));
  });

  it('balances any number of names over its cycle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), (count) => {
        const names = Array.from({ length: count }, (_, index) => `n${index}`);
        const cycle = count % 2 === 0 ? count : 2 * count;
        const { positions, successions } = tally(names, cycle);
        expect(new Set(positions.values())).toEqual(new Set([cycle / count]));
        expect(successions.size).toBe(count * (count - 1));
        expect(new Set(successions.values())).toEqual(new Set([cycle / count]));
      }),
    );
  });

  it('repeats the cycle, and leaves one name alone', () => {
    const names = ['a', 'b', 'c'];
    expect(roundOrder(names, 6)).toEqual(roundOrder(names, 0));
    expect(roundOrder(['only'], 3)).toEqual(['only']);
  });
});
