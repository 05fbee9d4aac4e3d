/** Log levels from quietest to noisiest; `off` writes nothing. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** Structured fields of one log record. */
export type LogFields = Readonly<Record<string, unknown>>;

/** One logging method: structured fields first, then the message (pino's order). */
export type LogMethod = (fields: LogFields, message: string) => void;

/**
 * The logger every package writes through. A pino logger satisfies it as it is
 * (`error`, `warn`, `info`, `debug`, `child`), and so does the default from
 * `createLogger`. Wrap any logger with `withRedaction` before use; the packages of this
 * workspace do so themselves.
 */
export interface Logger {
  readonly error: LogMethod;
  readonly warn: LogMethod;
  readonly info: LogMethod;
  readonly debug: LogMethod;
  /** A logger that adds `bindings` to every record. */
  child(bindings: LogFields): Logger;
  /**
   * Whether records of `level` are written (pino has it). When present, wrappers skip
   * building and redacting records that would be dropped anyway.
   */
  isLevelEnabled?(level: Exclude<LogLevel, 'off'>): boolean;
}
