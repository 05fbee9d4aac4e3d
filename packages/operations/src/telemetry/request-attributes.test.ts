import { describe, expect, it } from 'vitest';
import { requestAttributes } from './request-attributes.ts';
import { conventionNames } from './semantic-conventions.ts';

const legacy = conventionNames('v1.36');

describe('requestAttributes', () => {
  it('reads the Responses API and embeddings names, and bounds the strings', () => {
    expect(
      requestAttributes(
        { max_output_tokens: 64, text: { format: { type: 'json_schema' } }, stop: 'x'.repeat(300) },
        legacy,
      ),
    ).toEqual({
      'gen_ai.request.max_tokens': 64,
      'gen_ai.output.type': 'json',
      'gen_ai.request.stop_sequences': ['x'.repeat(256)],
    });
    expect(
      requestAttributes({ encoding_format: 'base64', response_format: { type: 'text' }, seed: 7 }, legacy),
    ).toEqual({
      'gen_ai.request.encoding_formats': ['base64'],
      'gen_ai.output.type': 'text',
      'gen_ai.request.seed': 7,
    });
  });

  it('leaves out what is absent, not a number, or not an object, and reads no prompt', () => {
    expect(requestAttributes(null, legacy)).toEqual({});
    expect(requestAttributes('text', legacy)).toEqual({});
    expect(
      requestAttributes(
        { messages: [{ role: 'user', content: 'secret' }], temperature: Number.NaN, n: 1, stop: [1, 'a'], text: 'x' },
        legacy,
      ),
    ).toEqual({ 'gen_ai.request.stop_sequences': ['a'] });
  });
});
