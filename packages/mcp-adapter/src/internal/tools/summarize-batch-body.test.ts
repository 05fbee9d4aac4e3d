import { describe, expect, it } from 'vitest';
import { summarizeBatchBody } from './summarize-batch-body.ts';

describe('summarizeBatchBody', () => {
  it('gives the answer of a chat completion or a response', () => {
    expect(summarizeBatchBody({ choices: [{ message: { content: 'Chat answer' } }] })).toBe('Chat answer');
    expect(summarizeBatchBody({ output_text: 'Response answer' })).toBe('Response answer');
    expect(
      summarizeBatchBody({
        output: [
          { content: [{ type: 'output_text', text: 'Part one, ' }, { text: 'part two' }] },
          { type: 'reasoning' },
        ],
      }),
    ).toBe('Part one, part two');
  });

  it('sums up embeddings and moderation verdicts', () => {
    expect(summarizeBatchBody({ data: [{ embedding: [0.1, 0.2, 0.3] }, { embedding: [0.4, 0.5, 0.6] }] })).toBe(
      '2 embeddings of 3 dimensions',
    );
    expect(summarizeBatchBody({ results: [{ flagged: true }, { flagged: false }] })).toBe('flagged, not flagged');
  });

  it('falls back to clipped JSON, and says when there is no body', () => {
    expect(summarizeBatchBody({ something: 'else' })).toBe('{"something":"else"}');
    expect(summarizeBatchBody(undefined)).toBe('no body');
    expect(summarizeBatchBody({ choices: [{ message: { content: 'x'.repeat(2_100) } }] })).toMatch(
      / \[\.\.\. 100 more characters\]$/,
    );
  });
});
