import type { LogFields, Logger, LogLevel } from '@openai-integration/core';

/** One line written through a {@link RecordingLogger}. */
export interface LogLine {
  readonly level: Exclude<LogLevel, 'off'>;
  readonly fields: LogFields;
  readonly message: string;
}

/** A logger that keeps every line for assertions. */
export interface RecordingLogger extends Logger {
  readonly lines: LogLine[];
}

export function createRecordingLogger(bindings: LogFields = {}, lines: LogLine[] = []): RecordingLogger {
  const write =
    (level: LogLine['level']) =>
    (fields: LogFields, message: string): void => {
      lines.push({ level, fields: { ...bindings, ...fields }, message });
    };
  return {
    lines,
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (more) => createRecordingLogger({ ...bindings, ...more }, lines),
  };
}
