import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { modelInfoSchema } from './model-info.ts';
import { parseInput } from './parse-input.ts';

describe('modelInfoSchema', () => {
  it('accepts a /models item and keeps extra fields', () => {
    const model = {
      id: 'gpt-4o',
      object: 'model',
      created: 1_686_935_002,
      owned_by: 'openai',
      shutdown_date: '2026-10-23',
    };
    expect(parseInput(modelInfoSchema, model)).toEqual(ok(model));
  });

  it('rejects missing and mistyped fields', () => {
    const error = parseInput(modelInfoSchema, { id: '', object: 'file', created: '2024' })._unsafeUnwrapErr();
    expect(error.issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      'id: must be at least 1 character long',
      "object: must be 'model'",
      'created: expected number, received string',
      'owned_by: is required',
    ]);
  });
});
