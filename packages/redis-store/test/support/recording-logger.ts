import type { LogFields, Logger } from '@openai-integration/core';

export interface LogRecord {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly fields: LogFields;
  readonly message: string;
}

/** A logger that keeps its records for the test to read. */
export function recordingLogger(): Logger & { readonly records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (fields: LogFields, message: string): void => {
      records.push({ level, fields, message });
    };
  const logger: Logger & { readonly records: LogRecord[] } = {
    records,
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => logger,
  };
  return logger;
}
