import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactText } from './redact-text.ts';

describe('redactText', () => {
  it.each([
    ['sk-abcdefghijklmnopqrst', 'plain key'],
    ['sk-proj-abc123_DEF-456g', 'project key'],
    ['sk-svcacct-AbCdEf012345', 'service-account key'],
    ['sk-admin-0123456789abcd', 'admin key'],
    ['sk-abc***********xyz', 'masked key echoed in a 401'],
  ])('removes %s (%s)', (key) => {
    expect(redactText(`Incorrect API key provided: ${key}.`)).toBe(`Incorrect API key provided: ${REDACTED}.`);
  });

  it('leaves prose about bearer and basic things alone', () => {
    expect(redactText('a basic setup with a bearer token')).toBe('a basic setup with a bearer token');
  });

  it('removes bearer and basic credentials', () => {
    expect(redactText('Authorization was Bearer eyJhbGciOi.payload.sig')).toBe(`Authorization was Bearer ${REDACTED}`);
    expect(redactText('basic dXNlcjpwYXNz')).toBe(`basic ${REDACTED}`);
  });

  it('removes credential header lines', () => {
    expect(redactText('api-key: 0123456789abcdef\r\ncookie: session=abc; other=1')).toBe(
      `api-key: ${REDACTED}\r\ncookie: ${REDACTED}; other=1`,
    );
    expect(redactText('x-api-key=abc123')).toBe(`x-api-key=${REDACTED}`);
  });

  it('removes credentials from URL query strings and user-info', () => {
    expect(redactText('GET https://example.com/v1?api_key=abc123&limit=2')).toBe(
      `GET https://example.com/v1?api_key=${REDACTED}&limit=2`,
    );
    expect(redactText('https://example.com/cb?code=xyz&client_secret=s3cr3t')).toBe(
      `https://example.com/cb?code=${REDACTED}&client_secret=${REDACTED}`,
    );
    expect(redactText('proxy https://user:pa55@proxy.local:8080/')).toBe(`proxy https://${REDACTED}@proxy.local:8080/`);
  });

  it('removes credential fields inside serialised JSON', () => {
    expect(redactText('{"api_key": "abc123", "model": "gpt-4.1"}')).toBe(
      `{"api_key": "${REDACTED}", "model": "gpt-4.1"}`,
    );
    expect(redactText('{"password":"x y z","max_tokens":5}')).toBe(`{"password":"${REDACTED}","max_tokens":5}`);
  });

  it('removes known exact secrets of 4 characters or more', () => {
    expect(redactText('token is hunter2 and abc', ['hunter2', 'abc'])).toBe(`token is ${REDACTED} and abc`);
  });

  it('leaves ordinary text alone', () => {
    const text = 'Rate limit reached for gpt-4.1 in organization org-123 on tokens per min. Please try again in 1.2s.';
    expect(redactText(text)).toBe(text);
  });

  it.each([
    'task-scheduler',
    'risk-assessment.jsonl',
    'disk-usage-report',
    'ask-questions-later',
    'mask-token-id',
    'whisk-together',
    'sk-learn',
  ])('leaves %s whole', (name) => {
    expect(redactText(`writing ${name} now`)).toBe(`writing ${name} now`);
  });

  it('removes a key wherever a word can start: after punctuation, quotes, slashes and equals signs', () => {
    for (const before of ['', ' ', '"', "'", '=', ':', '/', '(', '[', '\n', ',', 'pre-', '\\n', '%20']) {
      expect(redactText(`${before}sk-proj-Ab12Cd34Ef56Gh78`)).toBe(`${before}${REDACTED}`);
    }
  });
});

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const keyBody = fc
  .array(fc.constantFrom(...`${alphabet}_-`.split('')), { minLength: 20, maxLength: 120 })
  .map((characters) => characters.join(''))
  // OpenAI's keys are random: at least one digit or capital (the real ones have dozens).
  .filter((body) => /[0-9A-Z]/.test(body));
const openAIKey = fc
  .tuple(fc.constantFrom('sk-', 'sk-proj-', 'sk-svcacct-', 'sk-admin-'), keyBody)
  .map(([prefix, body]) => prefix + body);
const words = [
  'task',
  'scheduler',
  'risk',
  'assessment',
  'disk',
  'usage',
  'report',
  'ask',
  'questions',
  'later',
  'mask',
  'token',
  'id',
  'desk',
  'whisk',
  'kiosk',
  'husk',
  'brisk',
  'model',
  'stream',
  'batch',
  'file',
  'skip',
  'sketch',
  'skill',
];
const identifier = fc
  .tuple(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 }), fc.constantFrom('-', '_'))
  .map(([parts, separator]) => parts.join(separator));
const surroundings = fc.tuple(
  fc.constantFrom('', ' ', 'x=', '"', "'", '/v1/', 'Bearer? ', 'key: ', '(', '\n'),
  fc.constantFrom('', ' ', '.', '"', ',', '&limit=2', ')', '\n'),
);

describe('redactText, for any input', () => {
  it('removes every shape of OpenAI key, embedded anywhere in text', () => {
    fc.assert(
      fc.property(openAIKey, surroundings, fc.string({ maxLength: 30 }), (key, [before, after], noise) => {
        const text = `${noise} ${before}${key}${after} ${noise}`;
        expect(redactText(text)).not.toContain(key.slice(3));
      }),
      { numRuns: 500 },
    );
  });

  it('never touches a kebab-case or snake_case identifier made of English words', () => {
    fc.assert(
      fc.property(
        identifier,
        fc.constantFrom('', 'file ', 'in ', './'),
        fc.constantFrom('', '.jsonl', ' done', '/'),
        (name, before, after) => {
          const text = `${before}${name}${after}`;
          expect(redactText(text)).toBe(text);
        },
      ),
      { numRuns: 500 },
    );
  });
});
