import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { suite, suiteOperations } from './support/live-suite.ts';

// z.number() rather than .int(): zod 4 writes .int() with safe-integer minimum/maximum keywords; a plain number stays within what strict mode accepts everywhere.
const sumSchema = z.object({ sum: z.number() });

describe('chat.parse', () => {
  it('parses a structured answer into the zod schema', async () => {
    const answer = await suiteOperations().chat.parse(
      {
        model: suite.chatModel,
        messages: [
          { role: 'system', content: 'Answer with JSON only.' },
          { role: 'user', content: 'What is 2 + 3?' },
        ],
        max_completion_tokens: 32,
      },
      sumSchema,
      { name: 'sum' },
    );
    expect(answer.isOk()).toBe(true);
    const { value, meta } = answer._unsafeUnwrap();
    expect(sumSchema.safeParse(value.parsed).success).toBe(true);
    expect(Number.isFinite(value.parsed.sum)).toBe(true);
    expect(meta.operation).toBe('chat.parse');
  });
});
