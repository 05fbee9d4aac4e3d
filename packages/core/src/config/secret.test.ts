import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSecret, isSecret } from './secret.ts';

const key = 'sk-proj-AbCdEfGhIjKlMnO';

describe('createSecret', () => {
  it('prints as [redacted] under String, template literals, concatenation, JSON and inspect', () => {
    const secret = createSecret(key);
    expect(String(secret)).toBe('[redacted]');
    expect(secret.toString()).toBe('[redacted]');
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- printing a Secret by accident is the case under test
    expect(`${secret}`).toBe('[redacted]');
    expect('key: ' + secret).toBe('key: [redacted]'); // eslint-disable-line @typescript-eslint/restrict-plus-operands -- the same, by concatenation
    expect(JSON.stringify({ apiKey: secret })).toBe('{"apiKey":"[redacted]"}');
    expect(inspect(secret)).toBe('[redacted]');
    expect(inspect({ nested: { secret } }, { depth: 5 })).not.toContain('sk-proj');
    expect(Object.prototype.toString.call(secret)).toBe('[object Secret]');
  });

  it('keeps the value out of every property', () => {
    const secret = createSecret(key);
    const everything = Reflect.ownKeys(secret).map((name) =>
      String((secret as unknown as Record<PropertyKey, unknown>)[name]),
    );
    expect(everything.join(' ')).not.toContain('sk-proj');
    expect(Object.isFrozen(secret)).toBe(true);
  });

  it('reveals the value', async () => {
    await expect(createSecret(key).reveal()).resolves.toBe(key);
  });

  it('reads a function source again on every reveal, so rotation is picked up', async () => {
    let current = 'sk-first-0123456789';
    const secret = createSecret(() => current);
    await expect(secret.reveal()).resolves.toBe('sk-first-0123456789');
    current = 'sk-second-0123456789';
    await expect(secret.reveal()).resolves.toBe('sk-second-0123456789');
  });

  it('gives a fixed value at once, and nothing for a source that is read on every reveal', () => {
    expect(createSecret(key).revealFixed()).toBe(key);
    expect(createSecret(() => key).revealFixed()).toBeUndefined();
  });

  it('accepts an async source', async () => {
    await expect(createSecret(() => Promise.resolve('from-vault')).reveal()).resolves.toBe('from-vault');
  });

  it('gives the value as a Result', async () => {
    const result = await createSecret(key).revealResult();
    expect(result.isOk() && result.value).toBe(key);
  });

  it('turns a failing or empty source into a ConfigError naming the variable', async () => {
    const thrown = await createSecret(() => {
      throw new Error('vault sealed');
    }).revealResult();
    expect(thrown._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ConfigError',
      variable: 'OPENAI_API_KEY',
      retryable: false,
    });
    expect(thrown._unsafeUnwrapErr().message).toContain('OPENAI_API_KEY could not be read');
    expect(thrown._unsafeUnwrapErr().cause).toBeInstanceOf(Error);

    const empty = await createSecret(() => Promise.resolve('  '), 'ADMIN_KEY').revealResult();
    expect(empty._unsafeUnwrapErr()).toMatchObject({ _tag: 'ConfigError', variable: 'ADMIN_KEY' });
    expect(empty._unsafeUnwrapErr().problems).toEqual([
      {
        variable: 'ADMIN_KEY',
        problem: 'its source returned an empty value',
        fix: 'make the source of ADMIN_KEY return a non-empty value',
      },
    ]);
  });

  it('rejects a source that is neither a string nor a function', () => {
    expect(() => createSecret(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('isSecret', () => {
  it('recognises secrets by brand', () => {
    expect(isSecret(createSecret('x'))).toBe(true);
    expect(isSecret({ reveal: () => Promise.resolve('x'), toString: () => '[redacted]' })).toBe(false);
    expect(isSecret('x')).toBe(false);
    expect(isSecret(null)).toBe(false);
  });
});
