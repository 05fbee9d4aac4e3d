import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './create-logger.ts';
import { REDACTED } from './redact-text.ts';

const now = () => Date.parse('2026-03-01T12:00:00.000Z');

function capture() {
  const lines: string[] = [];
  return {
    lines,
    sink: (line: string) => lines.push(line),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createLogger', () => {
  it('says which levels it writes', () => {
    const logger = createLogger({ level: 'warn', sink: () => undefined });
    expect((['error', 'warn', 'info', 'debug'] as const).map((level) => logger.isLevelEnabled?.(level))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(createLogger({ level: 'off', sink: () => undefined }).isLevelEnabled?.('error')).toBe(false);
  });

  it('writes one JSON line per record with level, time, message and fields', () => {
    const { sink, lines, records } = capture();
    createLogger({ sink, now, level: 'info' }).info({ attempt: 2 }, 'retrying');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(records()).toEqual([{ level: 'info', time: '2026-03-01T12:00:00.000Z', msg: 'retrying', attempt: 2 }]);
  });

  it('writes nothing below its level, which defaults to warn', () => {
    const { sink, records } = capture();
    const logger = createLogger({ sink, now });
    logger.debug({}, 'd');
    logger.info({}, 'i');
    logger.warn({}, 'w');
    logger.error({}, 'e');
    expect(records().map((record) => record['level'])).toEqual(['warn', 'error']);
  });

  it('writes nothing at all when off, and everything at debug', () => {
    const off = capture();
    const quiet = createLogger({ sink: off.sink, level: 'off' });
    quiet.error({}, 'e');
    expect(off.lines).toEqual([]);
    const all = capture();
    const loud = createLogger({ sink: all.sink, level: 'debug' });
    for (const level of ['debug', 'info', 'warn', 'error'] as const) loud[level]({}, level);
    expect(all.lines).toHaveLength(4);
  });

  it('adds bindings and child bindings, and keeps fields that clash with its own keys', () => {
    const { sink, records } = capture();
    const logger = createLogger({ sink, now, bindings: { service: 'api' } }).child({ requestId: 'req_1' });
    logger.warn({ level: 'custom', msg: 'field', time: 1 }, 'message');
    expect(records()[0]).toEqual({
      level: 'warn',
      time: '2026-03-01T12:00:00.000Z',
      msg: 'message',
      service: 'api',
      requestId: 'req_1',
      'field.level': 'custom',
      'field.msg': 'field',
      'field.time': 1,
    });
  });

  it('redacts by default, children included', () => {
    const { sink, lines } = capture();
    createLogger({ sink })
      .child({ apiKey: 'sk-abcdefghijklmnopqrst' })
      .error({ body: 'prompt text' }, 'key sk-abcdefghijklmnopqrst');
    expect(lines[0]).not.toContain('sk-abc');
    expect(lines[0]).not.toContain('prompt text');
    expect(lines[0]).toContain(REDACTED);
  });

  it('writes fields as given when redaction is off, still as valid JSON', () => {
    const { sink, records } = capture();
    const cyclic: Record<string, unknown> = { big: 12n, error: new Error('boom') };
    cyclic['self'] = cyclic;
    createLogger({ sink, now, redaction: false }).error({ cyclic, body: 'kept' }, 'raw');
    expect(records()[0]).toMatchObject({
      body: 'kept',
      cyclic: { big: '12', error: { name: 'Error', message: 'boom' }, self: '[Circular]' },
    });
  });

  it('never throws when the sink does', () => {
    const logger = createLogger({
      sink: () => {
        throw new Error('disk full');
      },
    });
    expect(() => {
      logger.error({}, 'x');
    }).not.toThrow();
  });

  it('writes to standard error by default', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    createLogger({ now }).warn({}, 'to stderr');
    expect(write).toHaveBeenCalledWith(expect.stringMatching(/^\{"level":"warn".*"msg":"to stderr"\}\n$/));
  });

  it('falls back to console.error where there is no process', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.stubGlobal('process', undefined);
    const logger = createLogger({ now });
    vi.unstubAllGlobals();
    logger.warn({}, 'no process');
    expect(error).toHaveBeenCalledWith(expect.stringContaining('"msg":"no process"'));
  });
});
