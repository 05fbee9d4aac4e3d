import { describe, expect, it } from 'vitest';
import { cursorPage } from './cursor-page.ts';

const items = ['a', 'b', 'c'].map((id) => ({ id }));
const defaults = { limit: 2, maxLimit: 10, order: 'desc' as const };

describe('cursorPage', () => {
  it('pages newest first by default and continues after a cursor', () => {
    expect(cursorPage(items, new URLSearchParams(), defaults)).toEqual({
      object: 'list',
      data: [{ id: 'c' }, { id: 'b' }],
      first_id: 'c',
      last_id: 'b',
      has_more: true,
    });
    expect(cursorPage(items, new URLSearchParams({ after: 'b' }), defaults)).toEqual({
      object: 'list',
      data: [{ id: 'a' }],
      first_id: 'a',
      last_id: 'a',
      has_more: false,
    });
  });

  it('sends null cursors on an empty page, as the live API does', () => {
    expect(cursorPage([], new URLSearchParams({ order: 'asc' }), defaults)).toEqual({
      object: 'list',
      data: [],
      first_id: null,
      last_id: null,
      has_more: false,
    });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '11' }, 'limit'],
    [{ limit: 'x' }, 'limit'],
    [{ order: 'sideways' }, 'order'],
    [{ after: 'zzz' }, 'after'],
  ])('rejects %j naming %s', (query, param) => {
    expect(cursorPage(items, new URLSearchParams(query), defaults)).toMatchObject({
      kind: 'api-failure',
      status: 400,
      param,
    });
  });
});
