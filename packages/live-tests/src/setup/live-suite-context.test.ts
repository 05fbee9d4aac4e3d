import { describe, expect, it } from 'vitest';
import { isOpenAIEndpoint, rehearsalApiKey } from './live-suite-context.ts';

describe('isOpenAIEndpoint', () => {
  it('is true only for api.openai.com', () => {
    expect(isOpenAIEndpoint('https://api.openai.com/v1')).toBe(true);
    expect(isOpenAIEndpoint('https://my-resource.openai.azure.com/openai/v1')).toBe(false);
    expect(isOpenAIEndpoint('http://127.0.0.1:4010/v1')).toBe(false);
    expect(isOpenAIEndpoint('not a url')).toBe(false);
  });
});

describe('rehearsalApiKey', () => {
  it('looks like an OpenAI key, so that redaction is exercised in rehearsal too', () => {
    expect(rehearsalApiKey).toMatch(/^sk-[A-Za-z0-9-]{20,}$/);
  });
});
