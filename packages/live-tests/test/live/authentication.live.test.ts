import { describe, expect, it } from 'vitest';
import { suiteOperations } from './support/live-suite.ts';

const invalidKey = 'sk-proj-oiLiveInvalidKe';

describe('authentication', () => {
  it('lists the models with the configured key', async () => {
    const listed = await suiteOperations().models.list({}, { maxAgeMs: 0 });
    expect(listed.isOk()).toBe(true);
    expect(listed._unsafeUnwrap().value.total).toBeGreaterThan(0);
  });

  it('gives AuthenticationError (401) for an invalid key, once, without the key in the error', async () => {
    const listed = await suiteOperations({ apiKey: invalidKey }).models.list({}, { maxAgeMs: 0 });
    expect(listed.isErr()).toBe(true);
    const error = listed._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'AuthenticationError', status: 401, retryable: false, attempts: 1 });
    expect(JSON.stringify(error)).not.toContain(invalidKey);
    expect(error.message).not.toContain(invalidKey);
  });
});
