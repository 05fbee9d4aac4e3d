import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planEmbeddingRequests, type PlannedInput } from './plan-embedding-requests.ts';

const inputs = (tokens: readonly number[]): PlannedInput[] =>
  tokens.map((count, index) => ({ index, text: `t${index}`, tokens: count }));

describe('planEmbeddingRequests', () => {
  it('closes a request at the input count or the token limit, keeping order', () => {
    const groups = planEmbeddingRequests(inputs([5, 5, 5, 5, 5]), { maxInputs: 2, maxTokens: 100 });
    expect(groups.map((group) => group.inputs.map((input) => input.index))).toEqual([[0, 1], [2, 3], [4]]);
    const byTokens = planEmbeddingRequests(inputs([4, 4, 4, 9, 1]), { maxInputs: 10, maxTokens: 9 });
    expect(byTokens.map((group) => [group.inputs.map((input) => input.index), group.tokens])).toEqual([
      [[0, 1], 8],
      [[2], 4],
      [[3], 9],
      [[4], 1],
    ]);
  });

  it('sends an input above the token limit alone, and plans nothing for no input', () => {
    expect(
      planEmbeddingRequests(inputs([3, 50, 3]), { maxInputs: 10, maxTokens: 10 }).map((group) => group.inputs.length),
    ).toEqual([1, 1, 1]);
    expect(planEmbeddingRequests([], { maxInputs: 10, maxTokens: 10 })).toEqual([]);
  });

  it('covers every input once, in order, within the limits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 120 }),
        (tokens, maxInputs, maxTokens) => {
          const groups = planEmbeddingRequests(inputs(tokens), { maxInputs, maxTokens });
          expect(groups.flatMap((group) => group.inputs.map((input) => input.index))).toEqual(
            tokens.map((_, index) => index),
          );
          for (const group of groups) {
            expect(group.inputs.length).toBeLessThanOrEqual(maxInputs);
            expect(group.inputs.length === 1 || group.tokens <= maxTokens).toBe(true);
            expect(group.tokens).toBe(group.inputs.reduce((sum, input) => sum + input.tokens, 0));
          }
        },
      ),
    );
  });
});
