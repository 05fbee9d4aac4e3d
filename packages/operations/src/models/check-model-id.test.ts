import { describe, expect, it } from 'vitest';
import { checkModelId, modelIdSchema, quoteModelId } from './check-model-id.ts';

describe('checkModelId', () => {
  it.each([
    'gpt-4o-mini',
    'gpt-4o-2024-08-06',
    'ft:gpt-4o-mini:my-org:custom:abc123',
    'meta-llama/Llama-3-8B-Instruct',
    'my_deployment.v2',
    'model@v2',
    'o3',
  ])('accepts %s', (model) => {
    expect(checkModelId(model)._unsafeUnwrap()).toBe(model);
    expect(modelIdSchema.safeParse(model).success).toBe(true);
  });

  it('refuses a model id too long, quoting only its first 40 characters', () => {
    const error = checkModelId('x'.repeat(200_000))._unsafeUnwrapErr();
    expect(error.message).toBe(
      `invalid argument model: must be a model id of 1 to 256 letters, digits and . _ : / @ - (e.g. gpt-4o-mini), got "${'x'.repeat(40)}"... (200000 characters)`,
    );
    expect(error.issues).toEqual([
      { path: 'model', message: expect.stringContaining('200000 characters') as unknown, code: 'invalid_format' },
    ]);
  });

  it.each([
    ['', 'an empty text'],
    ['gpt 4o', '"gpt 4o"'],
    ['-leading', '"-leading"'],
    ['a\nb', '"a\\nb"'],
  ])('refuses %j, naming the field', (model, got) => {
    expect(checkModelId(model, 'fallback[1]')._unsafeUnwrapErr().message).toBe(
      `invalid argument fallback[1]: must be a model id of 1 to 256 letters, digits and . _ : / @ - (e.g. gpt-4o-mini), got ${got}`,
    );
  });

  it('refuses what is not a text', () => {
    expect(checkModelId(42)._unsafeUnwrapErr().message).toContain('got number');
    expect(quoteModelId('short')).toBe('"short"');
    expect(modelIdSchema.safeParse('x'.repeat(257)).success).toBe(false);
  });
});
