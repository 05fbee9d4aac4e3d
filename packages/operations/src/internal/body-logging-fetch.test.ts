import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '@openai-integration/core';
import { bodyLogLimitBytes, capText, createBodyLoggingFetch } from './body-logging-fetch.ts';

function capture(debugEnabled = true): {
  readonly logger: Logger;
  readonly lines: { fields: LogFields; message: string }[];
} {
  const lines: { fields: LogFields; message: string }[] = [];
  const write = (fields: LogFields, message: string): void => {
    lines.push({ fields, message });
  };
  const logger: Logger = {
    error: write,
    warn: write,
    info: write,
    debug: write,
    child: () => logger,
    isLevelEnabled: (level) => level !== 'debug' || debugEnabled,
  };
  return { logger, lines };
}

describe('capText', () => {
  it('keeps a text under the limit and cuts a longer one at a character boundary', () => {
    expect(capText('hello')).toEqual({ text: 'hello', bytes: 5, truncated: false });
    const cut = capText(`a${'€'.repeat(bodyLogLimitBytes)}`);
    expect(cut.truncated).toBe(true);
    expect(cut.bytes).toBe(1 + 3 * bodyLogLimitBytes);
    expect(new TextEncoder().encode(cut.text).byteLength).toBeLessThanOrEqual(bodyLogLimitBytes);
    expect(cut.text.endsWith('€')).toBe(true);
  });
});

describe('createBodyLoggingFetch', () => {
  it('describes binary and streamed request bodies, and file contents by their size', async () => {
    const { logger, lines } = capture();
    const inner = (): Promise<Response> =>
      Promise.resolve(
        new Response('raw file', { headers: { 'content-type': 'application/octet-stream', 'content-length': '8' } }),
      );
    const logged = createBodyLoggingFetch(inner, logger);
    await logged('https://api.example.com/v1/files/file-1/content', { method: 'GET', body: new Uint8Array(3) });
    await logged(new URL('https://api.example.com/v1/uploads'), { method: 'POST', body: new ReadableStream() });
    await logged(new Request('https://api.example.com/v1/models'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(
      lines
        .filter((line) => line.message === 'openai request body')
        .map((line) => [line.fields['method'], line.fields['requestBody']]),
    ).toEqual([
      ['GET', '[binary 3 bytes]'],
      ['POST', '[stream]'],
      ['GET', null],
    ]);
    expect(
      lines.find(
        (line) => line.fields['path'] === '/v1/files/file-1/content' && line.message === 'openai response body',
      )?.fields['responseBody'],
    ).toEqual({ contentType: 'application/octet-stream', bytes: '8' });
  });

  it('logs nothing and reads nothing below debug, or for a URL that is not HTTP', async () => {
    const quiet = capture(false);
    await createBodyLoggingFetch(() => Promise.resolve(new Response('{}')), quiet.logger)(
      'https://api.example.com/v1/models',
      { body: '{}' },
    );
    const probe = capture();
    await createBodyLoggingFetch(() => Promise.resolve(new Response('')), probe.logger)('data:,', {});
    await createBodyLoggingFetch(() => Promise.resolve(new Response('')), probe.logger)('not a url', {});
    expect([...quiet.lines, ...probe.lines]).toEqual([]);
  });

  it('describes an embeddings body that is not JSON by its size, and a failed read is only a missing line', async () => {
    const { logger, lines } = capture();
    const broken = new Response(
      new ReadableStream({
        pull: (controller) => {
          controller.error(new Error('reset'));
        },
      }),
    );
    await createBodyLoggingFetch(() => Promise.resolve(broken), logger)('https://api.example.com/v1/embeddings', {
      method: 'POST',
      body: 'not json',
    });
    await createBodyLoggingFetch(() => Promise.resolve(new Response('oops')), logger)(
      'https://api.example.com/v1/embeddings',
      { method: 'POST', body: '{"input":"one","model":"m"}' },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => line.fields['requestBody'] ?? line.fields['responseBody'])).toEqual([
      { bytes: 8 },
      { model: 'm', inputCount: 1, inputCharacters: 3, largestInput: 3 },
      { text: 'oops', bytes: 4, truncated: false },
    ]);
  });
});
