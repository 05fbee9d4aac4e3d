import { describe, expect, expectTypeOf, it } from 'vitest';
// Only the package's own entry: an app that installed mcp-adapter alone has nothing else.
import {
  isApiError,
  isErrorTag,
  isIntegrationError,
  retryAfterOf,
  type ErrorOf,
  type ErrorTag,
  type IntegrationError,
} from '../src/index.ts';

describe('the error types, exported by mcp-adapter', () => {
  it('name the union, each variant and the guards without importing core', async () => {
    const { createError } = await import('@openai-integration/core');
    const error: IntegrationError = createError('CircuitOpenError', {
      message: 'open',
      key: 'chat:gpt-4o-mini',
      retryAfterMs: 1_000,
    });
    expect(isIntegrationError(error)).toBe(true);
    expect(isApiError(error)).toBe(false);
    expect(isErrorTag(error, 'CircuitOpenError')).toBe(true);
    expect(retryAfterOf(error)).toBe(1_000);
    expectTypeOf<ErrorOf<'CircuitOpenError'>['_tag']>().toEqualTypeOf<'CircuitOpenError'>();
    expectTypeOf<ErrorTag>().toEqualTypeOf<IntegrationError['_tag']>();
  });
});
