import type { LogLevel } from './logger.ts';

const levels: readonly LogLevel[] = ['off', 'error', 'warn', 'info', 'debug'];

/** Whether a value names a log level (`off`, `error`, `warn`, `info`, `debug`). */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (levels as readonly string[]).includes(value);
}

function processEnv(): Readonly<Record<string, string | undefined>> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/**
 * Reads the log level from `OPENAI_LOG` (`off`, `error`, `warn`, `info`, `debug`;
 * case-insensitive) of `env` (default: the process environment). A missing or unknown value gives `warn` instead of failing, so a
 * typo never stops an application from starting.
 *
 * @example
 * createLogger({ level: levelFromEnv(process.env) });
 */
export function levelFromEnv(env: Readonly<Record<string, string | undefined>> = processEnv()): LogLevel {
  const value = env['OPENAI_LOG']?.trim().toLowerCase();
  return isLogLevel(value) ? value : 'warn';
}
