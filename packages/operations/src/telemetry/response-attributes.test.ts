import { describe, expect, it } from 'vitest';
import { responseAttributes } from './response-attributes.ts';
import { conventionNames } from './semantic-conventions.ts';

describe('responseAttributes', () => {
  it('reads a chat completion with its service tier and fingerprint (latest names)', () => {
    expect(
      responseAttributes(
        {
          id: 'chatcmpl-1',
          model: 'gpt-4o-mini-2024-07-18',
          choices: [{ finish_reason: 'stop' }, { finish_reason: 'length' }, { finish_reason: null }],
          service_tier: 'default',
          system_fingerprint: 'fp_1',
        },
        conventionNames('latest'),
      ),
    ).toEqual({
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop', 'length'],
      'openai.response.service_tier': 'default',
      'openai.response.system_fingerprint': 'fp_1',
    });
  });

  it('reads the finish reason of a Responses API response and of a stream result', () => {
    const legacy = conventionNames('v1.36');
    expect(responseAttributes({ object: 'response', status: 'completed' }, legacy)).toEqual({
      'gen_ai.response.finish_reasons': ['completed'],
    });
    expect(
      responseAttributes(
        { object: 'response', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
        legacy,
      ),
    ).toEqual({ 'gen_ai.response.finish_reasons': ['max_output_tokens'] });
    expect(responseAttributes({ id: '', model: '', finishReason: 'tool_calls' }, legacy)).toEqual({
      'gen_ai.response.finish_reasons': ['tool_calls'],
    });
    expect(responseAttributes({ choices: [] }, legacy)).toEqual({});
    expect(responseAttributes(undefined, legacy)).toEqual({});
  });
});
