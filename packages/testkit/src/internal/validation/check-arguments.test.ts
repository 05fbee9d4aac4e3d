import { describe, expect, it } from 'vitest';
import { mentionsJson, unknownParameter, unrecognizedArguments } from './check-arguments.ts';

const known = new Set(['model']);

describe('unrecognizedArguments', () => {
  it('passes known arguments, and lists at most 20 unknown ones, each cut at 100 characters', () => {
    expect(unrecognizedArguments({ model: 'm' }, known)).toBeUndefined();
    const body = Object.fromEntries(Array.from({ length: 25 }, (_unused, index) => [`a${index}`, 1]));
    const many = unrecognizedArguments(body, known);
    expect(many?.message).toMatch(/^Unrecognized request arguments supplied: a0, a1, .*, a19, \.\.\.$/);
    expect(unrecognizedArguments({ ['x'.repeat(150)]: 1 }, known)?.message).toBe(
      `Unrecognized request argument supplied: ${'x'.repeat(100)}...`,
    );
  });
});

describe('unknownParameter', () => {
  it('names the first unknown parameter, cut at 100 characters', () => {
    expect(unknownParameter({ model: 'm' }, known)).toBeUndefined();
    expect(unknownParameter({ ['y'.repeat(101)]: 1 }, known)).toMatchObject({
      param: `${'y'.repeat(100)}...`,
      code: 'unknown_parameter',
    });
  });
});

describe('mentionsJson', () => {
  it('finds the word in any case, anywhere', () => {
    expect(mentionsJson(['a', 'answer in JSONL'])).toBe(true);
    expect(mentionsJson(['a', 'b'])).toBe(false);
  });
});
