import { describe, expect, it } from 'vitest';
import { suite, suiteOperations } from './support/live-suite.ts';

describe('embeddings.create', () => {
  it('returns one vector per input, in order, shortened to the requested dimensions, and records the usage', async () => {
    const operations = suiteOperations();
    const answer = await operations.embeddings.create({
      model: suite.embeddingModel,
      input: ['a small red apple', 'a large blue whale'],
      dimensions: 16,
    });
    expect(answer.isOk()).toBe(true);
    const { value, meta } = answer._unsafeUnwrap();
    expect(value.model.startsWith(suite.embeddingModel)).toBe(true);
    expect(value.embeddings).toHaveLength(2);
    for (const vector of value.embeddings) {
      expect(vector).toHaveLength(16);
      expect(vector.every((component) => Number.isFinite(component))).toBe(true);
    }
    expect(value.embeddings[0]).not.toEqual(value.embeddings[1]);
    expect(meta.usage?.inputTokens).toBeGreaterThan(0);
    expect(operations.usage.report().byModel[meta.model]?.requests).toBe(1);
  });
});
