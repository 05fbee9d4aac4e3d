import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEmbedding } from './decode-embedding.ts';

const toBase64 = (values: readonly number[]): string => {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => {
    view.setFloat32(index * 4, value, true);
  });
  return btoa(String.fromCharCode(...bytes));
};

describe('decodeEmbedding', () => {
  it('decodes little-endian float32 base64 into numbers', () => {
    expect(decodeEmbedding('AACAPwAAAMA=')._unsafeUnwrap()).toEqual([1, -2]);
  });

  it('gives back any float32 vector exactly, whichever the encoding', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 64 }), (values) => {
        const decoded = decodeEmbedding(toBase64(values))._unsafeUnwrap();
        expect(decoded).toEqual(values.map((value) => Math.fround(value)));
        expect(decodeEmbedding(decoded)._unsafeUnwrap()).toEqual(decoded);
      }),
    );
  });

  it.each([
    ['a list with text', [1, 'x']],
    ['a number', 3],
    ['text that is not base64', '***'],
    ['bytes that are not whole float32 values', btoa('abc')],
  ])('refuses %s as MalformedResponseError', (_name, value) => {
    expect(decodeEmbedding(value)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'MalformedResponseError',
      retryable: true,
    });
  });
});
