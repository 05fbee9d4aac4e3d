import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from './logger.ts';
import { OMITTED } from './redact.ts';
import { REDACTED } from './redact-text.ts';
import { withRedaction } from './with-redaction.ts';

const key = 'sk-admin-0123456789abcd';

interface Entry {
  readonly level: string;
  readonly bindings: LogFields;
  readonly fields: LogFields;
  readonly message: string;
}

/** A recording logger that, like pino, needs `this` in its methods. */
class RecordingLogger implements Logger {
  readonly entries: Entry[];
  readonly bindings: LogFields;
  constructor(entries: Entry[] = [], bindings: LogFields = {}) {
    this.entries = entries;
    this.bindings = bindings;
  }
  error(fields: LogFields, message: string): void {
    this.entries.push({ level: 'error', bindings: this.bindings, fields, message });
  }
  warn(fields: LogFields, message: string): void {
    this.entries.push({ level: 'warn', bindings: this.bindings, fields, message });
  }
  info(fields: LogFields, message: string): void {
    this.entries.push({ level: 'info', bindings: this.bindings, fields, message });
  }
  debug(fields: LogFields, message: string): void {
    this.entries.push({ level: 'debug', bindings: this.bindings, fields, message });
  }
  child(bindings: LogFields): Logger {
    return new RecordingLogger(this.entries, { ...this.bindings, ...bindings });
  }
}

describe('withRedaction', () => {
  it('redacts the fields and the message of every level before the wrapped logger sees them', () => {
    const inner = new RecordingLogger();
    const logger = withRedaction(inner);
    for (const level of ['error', 'warn', 'info', 'debug'] as const) {
      logger[level]({ headers: { authorization: `Bearer ${key}` }, messages: ['hi'] }, `using ${key}`);
    }
    expect(inner.entries).toHaveLength(4);
    for (const entry of inner.entries) {
      expect(entry.fields).toEqual({ headers: { authorization: REDACTED }, messages: OMITTED });
      expect(entry.message).toBe(`using ${REDACTED}`);
    }
  });

  it('skips records the wrapped logger would drop, without reading their fields', () => {
    const inner = new RecordingLogger();
    const quiet = Object.assign(inner, { isLevelEnabled: (level: string) => level === 'error' || level === 'warn' });
    const logger = withRedaction(quiet);
    const fields = {
      get expensive(): string {
        throw new Error('fields of a dropped record must not be read');
      },
    };
    logger.info(fields, 'dropped');
    logger.debug(fields, 'dropped');
    logger.warn({ ok: true }, 'kept');
    expect(inner.entries.map((entry) => entry.message)).toEqual(['kept']);
    expect(logger.isLevelEnabled?.('info')).toBe(false);
    expect(logger.isLevelEnabled?.('error')).toBe(true);
    expect(withRedaction(new RecordingLogger()).isLevelEnabled?.('debug')).toBe(true);
  });

  it('keeps bodies when asked, still redacted', () => {
    const inner = new RecordingLogger();
    withRedaction(inner, { includeBodies: true }).debug({ body: { input: `key ${key}` } }, 'request');
    expect(inner.entries[0]?.fields).toEqual({ body: { input: `key ${REDACTED}` } });
  });

  it('keeps children redacted, bindings included', () => {
    const inner = new RecordingLogger();
    const child = withRedaction(inner, { knownSecrets: ['tenant-secret-1'] }).child({
      apiKey: key,
      tenant: 'tenant-secret-1',
    });
    child.child({ requestId: 'req_1' }).warn({ note: 'tenant-secret-1' }, 'tenant-secret-1 failed');
    expect(inner.entries[0]).toEqual({
      level: 'warn',
      bindings: { apiKey: REDACTED, tenant: REDACTED, requestId: 'req_1' },
      fields: { note: REDACTED },
      message: `${REDACTED} failed`,
    });
  });

  it('has bound methods that can be passed around', () => {
    const inner = new RecordingLogger();
    const { info } = withRedaction(inner);
    info({ a: 1 }, 'detached');
    expect(inner.entries[0]?.message).toBe('detached');
  });

  it('accepts pino-style calls from plain JavaScript and odd field values', () => {
    const inner = new RecordingLogger();
    const logger = withRedaction(inner) as unknown as { info(...args: unknown[]): void };
    logger.info(`only a message ${key}`);
    logger.info(undefined, 'no fields');
    logger.info(['not', 'an', 'object'], 5);
    expect(inner.entries.map((entry) => [entry.fields, entry.message])).toEqual([
      [{}, `only a message ${REDACTED}`],
      [{}, 'no fields'],
      [{ value: ['not', 'an', 'object'] }, ''],
    ]);
  });

  it('redacts through a pino-shaped logger', () => {
    // pino's methods take (object, message); its child returns another pino logger.
    const calls: unknown[][] = [];
    const log = (...args: unknown[]) => {
      calls.push(args);
    };
    const pino = { level: 'info', error: log, warn: log, info: log, debug: log, child: (): Logger => pino };
    withRedaction(pino).child({ token: 'x' }).info({ apiKey: key }, 'hello');
    expect(calls).toEqual([[{ apiKey: REDACTED }, 'hello']]);
  });
});
