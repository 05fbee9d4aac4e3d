import { createManualClock } from '@openai-integration/transport';
import { describe, expect, it } from 'vitest';
import { createTokenSource } from './create-token-source.ts';

const remembered: string[] = [];
const remember = (token: string): string => {
  remembered.push(token);
  return token;
};

describe('createTokenSource', () => {
  it('reuses a token with an expiry until five minutes before it, then asks once for all waiting requests', async () => {
    const clock = createManualClock(0);
    let asked = 0;
    const source = createTokenSource(
      () => {
        asked += 1;
        return Promise.resolve({ token: `token-${asked}`, expiresOnTimestamp: clock.now() + 3_600_000 });
      },
      clock,
      remember,
    );
    expect(await Promise.all([source(), source()])).toEqual(['token-1', 'token-1']);
    await clock.advance(3_600_000 - 300_001);
    expect(await source()).toBe('token-1');
    await clock.advance(1);
    expect(await source()).toBe('token-2');
    expect(asked).toBe(2);
    expect(remembered).toContain('token-2');
  });

  it('asks for a plain string on every request (credential libraries cache their own)', async () => {
    let asked = 0;
    const source = createTokenSource(() => `plain-${(asked += 1)}`, createManualClock(0), remember);
    expect(await source()).toBe('plain-1');
    expect(await source()).toBe('plain-2');
  });

  it('fails with what went wrong, never the token, for a provider that throws or gives nothing usable', async () => {
    const clock = createManualClock(0);
    await expect(
      createTokenSource(() => Promise.reject(new TypeError('boom')), clock, remember)(),
    ).rejects.toMatchObject({
      _tag: 'ConfigError',
      variable: 'azure.tokenProvider',
      message: expect.stringMatching(
        /^the Microsoft Entra ID token provider failed \(TypeError\); fix: check the credential/,
      ) as unknown,
    });
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a provider rejecting with a non-Error is the case tested
    await expect(createTokenSource(() => Promise.reject('text'), clock, remember)()).rejects.toMatchObject({
      message: expect.stringMatching(/failed \(string\)/) as unknown,
    });
    for (const bad of ['', 'has space', 'x'.repeat(16_385)])
      await expect(createTokenSource(() => bad, clock, remember)()).rejects.toMatchObject({
        _tag: 'ConfigError',
        message: expect.stringMatching(/gave no usable token/) as unknown,
      });
    await expect(
      createTokenSource(() => ({ token: 'ok-token', expiresOnTimestamp: Number.NaN }), clock, remember)(),
    ).resolves.toBe('ok-token');
  });
});
