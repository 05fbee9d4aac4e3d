import { Transform } from 'node:stream';
import type { Logger } from '@openai-integration/core';
import { isJSONRPCNotification, isJSONRPCRequest, isJSONRPCResponse } from '@modelcontextprotocol/server';

/** The longest line read from stdin; a longer one is refused without being kept. */
export const maxStdioLineBytes = 4 * 1024 * 1024;

const isMessage = (value: unknown): boolean =>
  isJSONRPCRequest(value) || isJSONRPCNotification(value) || isJSONRPCResponse(value);

/** The id of what looks like a request, so that its error can answer it; null otherwise. */
function idOf(value: unknown): string | number | null {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/**
 * A pass-through for the stdio transport's input that answers what the SDK would drop
 * in silence: a line that is not JSON gets `-32700 Parse error`, and JSON that is not a
 * JSON-RPC message gets `-32600 Invalid Request` (with its id when it has one), as
 * JSON-RPC 2.0 requires; each is logged in one short line that never echoes the input.
 * Valid lines go on unchanged. A line longer than {@link maxStdioLineBytes} is dropped
 * as it arrives (never buffered whole) and answered with `-32600`.
 */
export function createStdioGuard(reply: (line: string) => void, logger: Logger): Transform {
  let pending = '';
  let skipping = false;
  const answer = (code: -32700 | -32600, message: string, id: string | number | null, bytes: number): void => {
    reply(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id }));
    logger.warn({ code, bytes, id }, `refused a stdio message: ${message}`);
  };
  const check = (line: string): string | null => {
    if (line.trim() === '') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      answer(-32700, 'Parse error: the line is not JSON', null, line.length);
      return null;
    }
    const messages: unknown[] = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
    if (messages.length === 0 || !messages.every(isMessage)) {
      answer(
        -32600,
        'Invalid Request: not a JSON-RPC 2.0 message',
        Array.isArray(parsed) ? null : idOf(parsed),
        line.length,
      );
      return null;
    }
    return line;
  };
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const out: string[] = [];
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        if (skipping) skipping = false;
        else {
          const kept = check(line);
          if (kept !== null) out.push(`${kept}\n`);
        }
        newline = pending.indexOf('\n');
      }
      if (!skipping && Buffer.byteLength(pending) > maxStdioLineBytes) {
        answer(-32600, `Invalid Request: a message longer than ${maxStdioLineBytes} bytes`, null, pending.length);
        skipping = true;
      }
      if (skipping) pending = '';
      callback(null, out.join(''));
    },
    flush(callback) {
      const kept = skipping ? null : check(pending);
      pending = '';
      callback(null, kept === null ? '' : `${kept}\n`);
    },
  });
}
