import type { Logger } from '@openai-integration/core';

const nothing = (): void => undefined;

/** A logger that writes nothing (the default when no logger is given). */
export const silentLogger: Logger = {
  error: nothing,
  warn: nothing,
  info: nothing,
  debug: nothing,
  child: () => silentLogger,
};
