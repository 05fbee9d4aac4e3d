import { describe, expect, it } from 'vitest';
import { suite, suiteOperations } from './support/live-suite.ts';

/** The family of the chat model, e.g. `gpt-4.1` for `gpt-4.1-nano`. */
const family = suite.chatModel.split('-').slice(0, 2).join('-');

describe('models.list', () => {
  it('filters the endpoint list by prefix on the client and sorts it, newest first', async () => {
    const listed = await suiteOperations().models.list(
      { prefix: family, sortBy: 'created', order: 'desc' },
      { maxAgeMs: 0 },
    );
    expect(listed.isOk()).toBe(true);
    const { models, total, fromCache } = listed._unsafeUnwrap().value;
    const ids = models.map((model) => model.id);
    expect(fromCache).toBe(false);
    expect(ids).toContain(suite.chatModel);
    expect(ids.every((id) => id.startsWith(family))).toBe(true);
    expect(total).toBeGreaterThan(models.length);
    const created = models.map((model) => model.created);
    expect(created).toEqual([...created].sort((left, right) => right - left));
  });

  it('filters by capability from the model registry', async () => {
    const listed = await suiteOperations().models.list({ kind: 'embedding' }, { maxAgeMs: 0 });
    const ids = listed._unsafeUnwrap().value.models.map((model) => model.id);
    expect(ids).toContain(suite.embeddingModel);
    expect(ids).not.toContain(suite.chatModel);
  });
});
