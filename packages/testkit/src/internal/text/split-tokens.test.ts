import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../tokens/count-tokens.ts';
import { splitTokens } from './split-tokens.ts';

describe('splitTokens', () => {
  it('splits into one piece per token that join back to the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        const pieces = splitTokens(text);
        expect(pieces.join('')).toBe(text);
        if (countTokens(text) > 0) expect(pieces).toHaveLength(countTokens(text));
      }),
    );
  });

  it('keeps leading space on words, trailing space on the last piece, and whitespace-only text whole', () => {
    expect(splitTokens('Hello, big world! ')).toEqual(['Hello', ',', ' big', ' world', '! ']);
    expect(splitTokens('   ')).toEqual(['   ']);
    expect(splitTokens('')).toEqual([]);
  });
});
