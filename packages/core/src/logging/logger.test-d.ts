import { describe, expectTypeOf, it } from 'vitest';
import type { Logger } from './logger.ts';
import { withRedaction } from './with-redaction.ts';

/** pino's log function, as pino 9 publishes it (pino is not a dependency of core). */
interface PinoLogFn {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- copied as pino publishes it
  <T extends object>(object: T, message?: string, ...args: unknown[]): void;
  (object: unknown, message?: string, ...args: unknown[]): void;
  (message: string, ...args: unknown[]): void;
}

/** The parts of a pino `Logger` that matter here. */
interface PinoLike {
  level: string;
  fatal: PinoLogFn;
  error: PinoLogFn;
  warn: PinoLogFn;
  info: PinoLogFn;
  debug: PinoLogFn;
  trace: PinoLogFn;
  silent: PinoLogFn;
  child(bindings: Record<string, unknown>, options?: { level?: string }): PinoLike;
  isLevelEnabled(level: string): boolean;
  bindings(): Record<string, unknown>;
}

declare const pino: PinoLike;

describe('Logger', () => {
  it('is satisfied by a pino logger as it is', () => {
    expectTypeOf<PinoLike>().toExtend<Logger>();
    expectTypeOf(withRedaction(pino)).toEqualTypeOf<Logger>();
  });

  it('is not satisfied by a logger without child loggers or with message-first methods only', () => {
    expectTypeOf<Omit<PinoLike, 'child'>>().not.toExtend<Logger>();
    expectTypeOf<{
      error(message: string): void;
      warn(message: string): void;
      info(message: string): void;
      debug(message: string): void;
      child(): PinoLike;
    }>().not.toExtend<Logger>();
  });
});
