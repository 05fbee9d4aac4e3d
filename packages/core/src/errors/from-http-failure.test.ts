import { describe, expect, it } from 'vitest';
import { fromHttpFailure, toContentFilterVerdicts } from './from-http-failure.ts';

const body = (type: string | null, code: string | null, message = 'something went wrong') =>
  JSON.stringify({ error: { message, type, param: null, code } });

describe('fromHttpFailure', () => {
  const table = [
    { status: 400, tag: 'BadRequestError', retryable: false },
    { status: 401, tag: 'AuthenticationError', retryable: false },
    { status: 403, tag: 'PermissionDeniedError', retryable: false },
    { status: 404, tag: 'NotFoundError', retryable: false },
    { status: 409, tag: 'ConflictError', retryable: true },
    { status: 422, tag: 'UnprocessableEntityError', retryable: false },
    { status: 500, tag: 'InternalServerError', retryable: true },
    { status: 502, tag: 'BadGatewayError', retryable: true },
    { status: 503, tag: 'ServiceUnavailableError', retryable: true },
    { status: 504, tag: 'GatewayTimeoutError', retryable: true },
    { status: 418, tag: 'UnexpectedStatusError', retryable: false },
    { status: 408, tag: 'UnexpectedStatusError', retryable: true },
    { status: 520, tag: 'UnexpectedStatusError', retryable: true },
  ] as const;

  it.each(table)('maps HTTP $status to $tag with retryable $retryable', ({ status, tag, retryable }) => {
    const error = fromHttpFailure({ status, body: body('invalid_request_error', null) });
    expect(error).toMatchObject({ _tag: tag, status, retryable });
  });

  it('maps a 429 rate limit to a transient RateLimitError from the server', () => {
    const error = fromHttpFailure({
      status: 429,
      body: body('tokens', 'rate_limit_exceeded', 'Rate limit reached. Please try again in 174ms.'),
    });
    expect(error).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'server',
      retryable: true,
      type: 'tokens',
      code: 'rate_limit_exceeded',
      retryAfterMs: 174,
    });
  });

  it('maps a 429 insufficient_quota to a QuotaExceededError that is never retryable', () => {
    const error = fromHttpFailure({
      status: 429,
      headers: { 'x-should-retry': 'true' },
      body: body('insufficient_quota', 'insufficient_quota', 'You exceeded your current quota'),
    });
    expect(error._tag).toBe('QuotaExceededError');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('do not retry');
  });

  it('recognises quota exhaustion by type alone and by billing codes', () => {
    expect(fromHttpFailure({ status: 429, body: body('insufficient_quota', null) })._tag).toBe('QuotaExceededError');
    expect(fromHttpFailure({ status: 429, body: body('requests', 'billing_hard_limit_reached') })._tag).toBe(
      'QuotaExceededError',
    );
  });

  it('lets x-should-retry override retryable in both directions', () => {
    expect(fromHttpFailure({ status: 500, headers: { 'x-should-retry': 'false' } }).retryable).toBe(false);
    expect(fromHttpFailure({ status: 400, headers: { 'X-Should-Retry': 'true' } }).retryable).toBe(true);
    expect(fromHttpFailure({ status: 418, headers: { 'x-should-retry': 'true' } }).retryable).toBe(true);
    expect(
      fromHttpFailure({
        status: 429,
        headers: { 'x-should-retry': 'false' },
        body: body('requests', 'rate_limit_exceeded'),
      }).retryable,
    ).toBe(false);
    expect(fromHttpFailure({ status: 503, headers: { 'x-should-retry': 'maybe' } }).retryable).toBe(true);
  });

  it('copies type, code, param and the server message from an OpenAI error body', () => {
    const error = fromHttpFailure({
      status: 400,
      body: {
        error: {
          message: 'Web search options not supported with this model.',
          type: 'invalid_request_error',
          param: 'web_search_options',
          code: null,
        },
      },
    });
    expect(error).toMatchObject({
      type: 'invalid_request_error',
      param: 'web_search_options',
      code: null,
      message: 'HTTP 400: Web search options not supported with this model.',
    });
  });

  it('reads a numeric error code as text', () => {
    expect(fromHttpFailure({ status: 400, body: { error: { message: 'x', code: 42 } } }).code).toBe('42');
  });

  it('takes requestId from x-request-id, in any header shape', () => {
    expect(fromHttpFailure({ status: 500, headers: { 'x-request-id': 'req_123' } }).requestId).toBe('req_123');
    expect(fromHttpFailure({ status: 500, headers: new Headers({ 'X-Request-Id': 'req_456' }) }).requestId).toBe(
      'req_456',
    );
    expect(fromHttpFailure({ status: 500 }).requestId).toBeNull();
  });

  it('attaches the rate-limit snapshot of a 429', () => {
    const error = fromHttpFailure({
      status: 429,
      now: 1_000_000,
      headers: {
        'x-ratelimit-limit-requests': '60',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-limit-tokens': '150000',
        'x-ratelimit-remaining-tokens': '149984',
        'x-ratelimit-reset-tokens': '6m0s',
      },
      body: body('requests', 'rate_limit_exceeded'),
    });
    expect(error.rateLimit).toEqual({
      requests: { limit: 60, remaining: 0, resetMs: 1_000, resetAt: 1_001_000 },
      tokens: { limit: 150_000, remaining: 149_984, resetMs: 360_000, resetAt: 1_360_000 },
      observedAt: 1_000_000,
    });
  });

  describe('for a request that was too large', () => {
    it.each([
      { status: 413, part: 'body', says: 'the request body is too large' },
      { status: 414, part: 'url', says: 'the request URL is too long' },
      { status: 431, part: 'headers', says: 'the request headers are too large' },
    ] as const)(
      'maps HTTP $status to a RequestTooLargeError naming the $part, never retried',
      ({ status, part, says }) => {
        const error = fromHttpFailure({
          status,
          headers: { 'x-should-retry': 'true', 'x-request-id': 'req_big' },
          body: '',
        });
        expect(error).toMatchObject({
          _tag: 'RequestTooLargeError',
          status,
          part,
          retryable: false,
          requestId: 'req_big',
        });
        expect(error.message).toMatch(new RegExp(`^HTTP ${status}: ${says}`));
        expect(error.message).not.toContain('check the endpoint');
      },
    );

    it('keeps the server text after its own explanation, scrubbed, and drops an HTML page', () => {
      const json = fromHttpFailure({
        status: 413,
        knownSecrets: ['hunter2-secret'],
        body: body('invalid_request_error', null, 'Body exceeds 32MB (hunter2-secret)'),
      });
      expect(json.message).toMatch(
        /^HTTP 413: the request body is too large .*\(server said: Body exceeds 32MB \(\[redacted\]\)\)$/,
      );
      const html = fromHttpFailure({
        status: 413,
        body: '<html><body>nginx 413 Request Entity Too Large</body></html>',
      });
      expect(html.message).not.toContain('nginx');
      expect(html.message).not.toContain('server said');
    });
  });

  it('has a null snapshot when no rate-limit headers came', () => {
    expect(fromHttpFailure({ status: 429, headers: {} }).rateLimit).toBeNull();
  });

  describe('with a malformed body', () => {
    it('handles a body that is not JSON', () => {
      const error = fromHttpFailure({ status: 502, body: 'upstream connect error' });
      expect(error).toMatchObject({ _tag: 'BadGatewayError', code: null, type: null, param: null, retryable: true });
      expect(error.message).toBe('HTTP 502 (a body that is not JSON): upstream connect error');
    });

    it('handles an empty body, an absent body and a JSON null', () => {
      for (const empty of ['', '   ', undefined, null, 'null']) {
        const error = fromHttpFailure({ status: 503, body: empty });
        expect(error._tag).toBe('ServiceUnavailableError');
        expect(error.message).toMatch(/^HTTP 503/);
      }
      expect(fromHttpFailure({ status: 503, body: '' }).message).toContain('empty body');
    });

    it('handles an HTML page from a proxy without copying it', () => {
      const html =
        '<html>\r\n<head><title>502 Bad Gateway</title></head><body>nginx sk-proj-abcdefghijklmnop</body></html>';
      const error = fromHttpFailure({ status: 502, body: html });
      expect(error._tag).toBe('BadGatewayError');
      expect(error.message).toContain('HTML page');
      expect(error.message).not.toContain('nginx');
      expect(JSON.stringify(error)).not.toContain('sk-proj');
    });

    it('handles JSON without an error field: a `detail` (FastAPI) is the message, else the guidance', () => {
      const error = fromHttpFailure({ status: 500, body: '{"detail":"oops"}' });
      expect(error).toMatchObject({ _tag: 'InternalServerError', code: null, type: null, message: 'HTTP 500: oops' });
      expect(fromHttpFailure({ status: 500, body: '{"status":"down"}' }).message).toContain('server had an error');
      const stack = fromHttpFailure({ status: 500, body: `Internal error\n${'    at frame\n'.repeat(50)}` });
      expect(stack.message).toBe('HTTP 500 (a body that is not JSON): Internal error');
    });

    it('uses a top-level message of a non-OpenAI JSON body', () => {
      expect(fromHttpFailure({ status: 404, body: '{"message":"no route","code":"E404"}' })).toMatchObject({
        message: 'HTTP 404: no route',
        code: 'E404',
      });
    });

    it('handles error given as a string', () => {
      const error = fromHttpFailure({ status: 400, body: '{"error":"model is required"}' });
      expect(error).toMatchObject({ _tag: 'BadRequestError', message: 'HTTP 400: model is required', code: null });
    });

    it('handles a JSON scalar body', () => {
      expect(fromHttpFailure({ status: 500, body: '42' }).message).toContain('not JSON');
    });

    it('gives a generic hint for unknown statuses', () => {
      expect(fromHttpFailure({ status: 418 }).message).toContain('unexpected status');
      expect(fromHttpFailure({ status: 520 }).message).toContain('unexpected server status');
    });
  });

  it('scrubs keys and known secrets from the server message', () => {
    const error = fromHttpFailure({
      status: 401,
      knownSecrets: ['hunter2-secret'],
      body: body(
        'invalid_request_error',
        'invalid_api_key',
        'Incorrect API key provided: sk-proj-abc123def456ghi. Also hunter2-secret.',
      ),
    });
    expect(error.message).toBe('HTTP 401: Incorrect API key provided: [redacted]. Also [redacted].');
  });

  it('keeps the cause out of serialisation', () => {
    const cause = new Error('socket body with sk-proj-abcdefghijkl');
    const error = fromHttpFailure({ status: 500, cause });
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as Error).message).toBe('socket body with [redacted]');
    expect(cause.message).toBe('socket body with sk-proj-abcdefghijkl');
    expect(JSON.stringify(error)).not.toContain('sk-proj');
    expect(Object.keys(error)).not.toContain('cause');
  });
});

describe('content filters (Azure OpenAI)', () => {
  it('maps a 400 with code content_filter to ContentFilterError with its verdicts, never retried', () => {
    const body = {
      error: {
        message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: {
            hate: { filtered: true, severity: 'high' },
            jailbreak: { filtered: false, detected: false },
            self_harm: { filtered: false, severity: 'safe' },
          },
        },
      },
    };
    const error = fromHttpFailure({ status: 400, body: JSON.stringify(body), headers: { 'x-should-retry': 'true' } });
    expect(error).toMatchObject({
      _tag: 'ContentFilterError',
      status: 400,
      code: 'content_filter',
      param: 'prompt',
      source: 'prompt',
      retryable: false,
      verdicts: [
        { category: 'hate', filtered: true, severity: 'high' },
        { category: 'jailbreak', filtered: false, severity: null },
        { category: 'self_harm', filtered: false, severity: 'safe' },
      ],
    });
    expect(error.message).toMatch(/content filter: rephrase the prompt/);
  });

  it('keeps at most 16 verdicts of bounded names, and none from results that are not an object', () => {
    const many = Object.fromEntries(
      Array.from({ length: 30 }, (_, index) => [`c${index}`, { filtered: false, severity: 'x'.repeat(100) }]),
    );
    const verdicts = toContentFilterVerdicts({ ['n'.repeat(65)]: { filtered: true }, skipped: 'text', ...many });
    expect(verdicts).toHaveLength(16);
    expect(verdicts[0]).toEqual({ category: 'c0', filtered: false, severity: 'x'.repeat(32) });
    expect(toContentFilterVerdicts(['hate'])).toEqual([]);
    expect(toContentFilterVerdicts(null)).toEqual([]);
    const withoutResults = fromHttpFailure({
      status: 400,
      body: '{"error":{"message":"filtered","code":"content_filter"}}',
    });
    expect(withoutResults).toMatchObject({ _tag: 'ContentFilterError', verdicts: [] });
  });
});
