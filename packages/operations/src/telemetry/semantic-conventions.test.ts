import { describe, expect, it } from 'vitest';
import { conventionNames, conventionsFromOptIn } from './semantic-conventions.ts';

describe('conventionsFromOptIn', () => {
  it('selects the latest conventions only when the list names gen_ai_latest_experimental', () => {
    expect(conventionsFromOptIn(undefined)).toBe('v1.36');
    expect(conventionsFromOptIn('')).toBe('v1.36');
    expect(conventionsFromOptIn('http,database')).toBe('v1.36');
    expect(conventionsFromOptIn('gen_ai_latest_experimental')).toBe('latest');
    expect(conventionsFromOptIn(' http/dup , GEN_AI_LATEST_EXPERIMENTAL ')).toBe('latest');
    expect(conventionsFromOptIn('gen_ai_latest_experimentalx')).toBe('v1.36');
  });

  it('reads a bounded part of a value of any length', () => {
    expect(conventionsFromOptIn(`${'x,'.repeat(100_000)}gen_ai_latest_experimental`)).toBe('v1.36');
  });
});

describe('conventionNames', () => {
  it('names the provider and the OpenAI attributes by version', () => {
    expect(conventionNames('v1.36')).toMatchObject({
      provider: 'gen_ai.system',
      requestServiceTier: 'gen_ai.openai.request.service_tier',
      apiType: undefined,
    });
    expect(conventionNames('latest')).toMatchObject({
      provider: 'gen_ai.provider.name',
      responseSystemFingerprint: 'openai.response.system_fingerprint',
      apiType: 'openai.api.type',
    });
  });
});
