import { describe, expect, it } from 'vitest';
import { countTokens } from './count-tokens.ts';

describe('countTokens', () => {
  it.each([
    ['', 0],
    ['   ', 0],
    ['Hello, world!', 4],
    ['The answer is 42.', 5],
    ['snake_case_word', 1],
    ['{"city":"Paris"}', 9],
    ['héllo wörld', 2],
  ])('counts %j as %i tokens', (text, expected) => {
    expect(countTokens(text)).toBe(expected);
  });
});
