import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '@openai-integration/core';
import { createStdioGuard, maxStdioLineBytes } from './create-stdio-guard.ts';

function run(
  chunks: readonly string[],
): Promise<{ readonly passed: string; readonly replies: unknown[]; readonly logged: LogFields[] }> {
  const replies: unknown[] = [];
  const logged: LogFields[] = [];
  const logger: Logger = {
    error: () => undefined,
    warn: (fields) => logged.push(fields),
    info: () => undefined,
    debug: () => undefined,
    child: () => logger,
  };
  const guard = createStdioGuard((line) => replies.push(JSON.parse(line)), logger);
  let passed = '';
  guard.on('data', (chunk: Buffer) => {
    passed += chunk.toString('utf8');
  });
  return new Promise((resolve) => {
    guard.on('end', () => {
      resolve({ passed, replies, logged });
    });
    for (const chunk of chunks) guard.write(chunk);
    guard.end();
  });
}

describe('createStdioGuard', () => {
  it('passes valid messages through, split across chunks and with CRLF, and a last line without newline', async () => {
    const request = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
    const { passed, replies } = await run([
      request.slice(0, 10),
      `${request.slice(10)}\r\n\n`,
      '[{"jsonrpc":"2.0","method":"notifications/initialized"}]\n',
      request,
    ]);
    expect(passed).toBe(`${request}\n[{"jsonrpc":"2.0","method":"notifications/initialized"}]\n${request}\n`);
    expect(replies).toEqual([]);
  });

  it('refuses a line longer than the limit as it arrives, without keeping it, and serves the next', async () => {
    const big = 'x'.repeat(maxStdioLineBytes / 4);
    const { passed, replies, logged } = await run([
      big,
      big,
      big,
      big,
      big,
      'still the same line\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n',
    ]);
    expect(replies).toEqual([
      {
        jsonrpc: '2.0',
        error: { code: -32600, message: `Invalid Request: a message longer than ${maxStdioLineBytes} bytes` },
        id: null,
      },
    ]);
    expect(logged).toHaveLength(1);
    expect(passed).toBe('{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
  });

  it('refuses a last line that is not JSON, and one that is too long at the end', async () => {
    expect((await run(['nope'])).replies).toEqual([
      { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the line is not JSON' }, id: null },
    ]);
    const tooLong = await run(['x'.repeat(maxStdioLineBytes + 1)]);
    expect(tooLong.replies).toHaveLength(1);
    expect(tooLong.passed).toBe('');
  });
});
