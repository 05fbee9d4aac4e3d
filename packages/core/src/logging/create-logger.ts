import type { LogFields, Logger, LogLevel } from './logger.ts';
import type { RedactOptions } from './redact.ts';
import { withRedaction } from './with-redaction.ts';

/** Where the default logger writes: one JSON line per call, without the trailing newline. */
export type LogSink = (line: string) => void;

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Records below this level are not written (default `warn`; `off` writes nothing). */
  readonly level?: LogLevel;
  /** Where lines go (default: standard error, or `console.error` outside Node). */
  readonly sink?: LogSink;
  /** The clock for the `time` field, in epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Fields added to every record. */
  readonly bindings?: LogFields;
  /** Redaction of every record (default on, bodies omitted); `false` writes fields as given. */
  readonly redaction?: RedactOptions | false;
}

const rank: Readonly<Record<LogLevel, number>> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };
const reserved = new Set(['level', 'time', 'msg']);

function defaultSink(): LogSink {
  const stderr = (globalThis as { process?: { stderr?: { write?: (chunk: string) => unknown } } }).process?.stderr;
  if (typeof stderr?.write === 'function') {
    const write = stderr.write.bind(stderr);
    return (line) => {
      write(`${line}\n`);
    };
  }
  return (line) => {
    console.error(line);
  };
}

function serialise(record: Record<string, unknown>): string {
  const seen = new WeakSet();
  return JSON.stringify(record, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  });
}

function createJsonLogger(level: LogLevel, sink: LogSink, now: () => number, bindings: LogFields): Logger {
  const write = (recordLevel: Exclude<LogLevel, 'off'>) => (fields: LogFields, message: string) => {
    if (rank[recordLevel] > rank[level]) return;
    const record: Record<string, unknown> = { level: recordLevel, time: new Date(now()).toISOString(), msg: message };
    for (const source of [bindings, fields]) {
      for (const [key, value] of Object.entries(source)) record[reserved.has(key) ? `field.${key}` : key] = value;
    }
    try {
      sink(serialise(record));
    } catch {
      // A logger must never break the call it reports on.
    }
  };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (childBindings) => createJsonLogger(level, sink, now, { ...bindings, ...childBindings }),
    isLevelEnabled: (recordLevel) => rank[recordLevel] <= rank[level],
  };
}

/**
 * Creates the default {@link Logger}: one JSON object per line
 * (`{"level":"warn","time":"...","msg":"...",...fields}`) written to standard error,
 * nothing below `level` (default `warn`). Records are redacted as `withRedaction`
 * does unless `redaction: false`. It never throws, even when the sink does.
 *
 * @example
 * const logger = createLogger({ level: levelFromEnv(process.env) });
 * logger.warn({ attempt: 2, retryAfterMs: 1200 }, 'rate limited, retrying');
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const logger = createJsonLogger(
    options.level ?? 'warn',
    options.sink ?? defaultSink(),
    options.now ?? Date.now,
    options.bindings ?? {},
  );
  return options.redaction === false ? logger : withRedaction(logger, options.redaction ?? {});
}
