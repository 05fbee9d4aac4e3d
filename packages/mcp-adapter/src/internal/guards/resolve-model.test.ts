import { describe, expect, it } from 'vitest';
import { firstAllowed, resolveModel } from './resolve-model.ts';

describe('resolveModel', () => {
  it('uses the named model, else the fallback, else leaves it to the operations', () => {
    expect(resolveModel({}, 'gpt-4o', 'gpt-4o-mini')._unsafeUnwrap()).toBe('gpt-4o');
    expect(resolveModel({}, undefined, 'gpt-4o-mini')._unsafeUnwrap()).toBe('gpt-4o-mini');
    expect(resolveModel({}, undefined, undefined)._unsafeUnwrap()).toBeUndefined();
  });

  it('refuses a model outside the allow-list and lists the allowed ones', () => {
    const error = resolveModel(
      { allowedModels: ['gpt-4o-mini', 'gpt-4.1-mini'] },
      'gpt-5',
      undefined,
    )._unsafeUnwrapErr();
    expect(error.message).toBe(
      'invalid argument model: gpt-5 is not allowed on this server; use one of gpt-4o-mini, gpt-4.1-mini',
    );
    expect(error.issues).toEqual([
      { path: 'model', message: 'must be one of gpt-4o-mini, gpt-4.1-mini', code: 'not_allowed' },
    ]);
  });
});

describe('firstAllowed', () => {
  it('finds the first allowed model that fits, or nothing without an allow-list', () => {
    expect(
      firstAllowed({ allowedModels: ['text-embedding-3-small', 'gpt-4o-mini'] }, (model) => model.startsWith('gpt')),
    ).toBe('gpt-4o-mini');
    expect(firstAllowed({}, () => true)).toBeUndefined();
  });
});
