import { describe, expect, it } from 'vitest';
import { createRunId, isRunId } from './create-run-id.ts';

const at = Date.UTC(2026, 10, 24, 10, 36, 5, 999);

describe('createRunId', () => {
  it('starts with the UTC time to the second and ends with four characters from the random source', () => {
    const values = [0, 0.5, 0.99, 0.1];
    let index = 0;
    const id = createRunId({ now: at, random: () => values[index++] ?? 0 });
    expect(id).toBe('20261124103605as9d');
    expect(isRunId(id)).toBe(true);
  });

  it('stays within the alphabet even when the random source returns 1 or less than 0', () => {
    expect(createRunId({ now: at, random: () => 1 })).toBe('202611241036059999');
    expect(createRunId({ now: at, random: () => -0.5 })).toBe('20261124103605aaaa');
  });

  it('uses the current time and Math.random by default', () => {
    const before = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const id = createRunId();
    expect(isRunId(id)).toBe(true);
    expect(id.slice(0, 8) >= before).toBe(true);
  });
});

describe('isRunId', () => {
  it('accepts only 14 digits followed by 4 lowercase letters or digits', () => {
    expect(isRunId('20261124103605abcd')).toBe(true);
    expect(isRunId('20261124103605ABCD')).toBe(false);
    expect(isRunId('2026112410360abcd')).toBe(false);
    expect(isRunId('20261124103605abc-')).toBe(false);
    expect(isRunId('')).toBe(false);
  });
});
