import { createRedactContext, redactWith } from '../internal/redact-engine.ts';
import type { LogFields, Logger, LogMethod } from './logger.ts';
import type { RedactOptions } from './redact.ts';
import { redactText } from './redact-text.ts';

/**
 * Wraps any {@link Logger} (the default one, pino, or your own) so that every record
 * is redacted before it reaches it: fields as {@link redact} describes, the message
 * through `redactText`, and the bindings of child loggers too (children stay
 * redacted). Bodies are `[omitted]` unless `includeBodies` is set.
 *
 * The wrapper's methods are bound, so they can be passed around; the wrapped logger's
 * methods are still called on the logger itself (pino needs its `this`).
 *
 * @example
 * const logger = withRedaction(pino(), { knownSecrets: [process.env.ADMIN_TOKEN ?? ''] });
 * logger.info({ headers: { authorization: 'Bearer sk-...' } }, 'sending'); // authorization: '[redacted]'
 */
export function withRedaction(logger: Logger, options: RedactOptions = {}): Logger {
  const context = createRedactContext(options);
  const redactFields = (fields: unknown): LogFields => {
    const copy = redactWith(fields ?? {}, context());
    return typeof copy === 'object' && copy !== null && !Array.isArray(copy) ? (copy as LogFields) : { value: copy };
  };
  const method =
    (level: 'error' | 'warn' | 'info' | 'debug'): LogMethod =>
    (fields, message) => {
      // A record the logger would drop is neither copied nor redacted.
      if (logger.isLevelEnabled?.(level) === false) return;
      // Plain JavaScript callers may log pino-style, with the message only.
      const [actualFields, actualMessage]: readonly [unknown, unknown] =
        typeof fields === 'string' ? [{}, fields] : [fields, message];
      logger[level](
        redactFields(actualFields),
        redactText(typeof actualMessage === 'string' ? actualMessage : '', context().known),
      );
    };
  return {
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    child: (bindings) => withRedaction(logger.child(redactFields(bindings)), options),
    isLevelEnabled: (level) => logger.isLevelEnabled?.(level) ?? true,
  };
}
