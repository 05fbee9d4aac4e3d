import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cursorPageSchema, nextCursor } from './cursor-page.ts';
import { modelInfoSchema } from './model-info.ts';
import { parseInput } from './parse-input.ts';

const fileSchema = z.looseObject({ id: z.string(), object: z.literal('file') });
const page = {
  object: 'list',
  data: [
    { id: 'file-1', object: 'file' },
    { id: 'file-2', object: 'file' },
  ],
  first_id: 'file-1',
  last_id: 'file-2',
  has_more: true,
} as const;

describe('cursorPageSchema', () => {
  it('validates a page over its item schema', () => {
    expect(parseInput(cursorPageSchema(fileSchema), page)).toEqual(ok(page));
  });

  it('reports a bad item with its path', () => {
    const error = parseInput(cursorPageSchema(fileSchema), {
      ...page,
      data: [{ id: 'x', object: 'batch' }],
    })._unsafeUnwrapErr();
    expect(error.issues).toEqual([{ path: 'data[0].object', message: "must be 'file'", code: 'invalid_value' }]);
  });

  it('accepts the GET /models list without cursors', () => {
    const models = {
      object: 'list',
      data: [{ id: 'gpt-4.1-mini', object: 'model', created: 1_744_316_542, owned_by: 'system' }],
    };
    expect(parseInput(cursorPageSchema(modelInfoSchema), models)).toEqual(ok(models));
  });

  it('rejects something that is not a list', () => {
    expect(
      parseInput(cursorPageSchema(fileSchema), { object: 'file', data: [] })._unsafeUnwrapErr().issues[0]?.path,
    ).toBe('object');
  });
});

describe('nextCursor', () => {
  it('returns last_id while there are more pages', () => {
    expect(nextCursor(page)).toBe('file-2');
  });

  it('falls back to the id of the last item', () => {
    expect(nextCursor({ ...page, last_id: null })).toBe('file-2');
    expect(nextCursor({ ...page, last_id: '' })).toBe('file-2');
  });

  it('returns null on the last page, an empty page or without any id', () => {
    expect(nextCursor({ ...page, has_more: false })).toBeNull();
    expect(nextCursor({ object: 'list', data: [] })).toBeNull();
    expect(nextCursor({ ...page, data: [], has_more: true })).toBeNull();
    expect(nextCursor({ object: 'list', data: [{ name: 'x' }], has_more: true })).toBeNull();
    expect(nextCursor({ object: 'list', data: ['x'], has_more: true })).toBeNull();
  });
});
